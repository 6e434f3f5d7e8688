"""A resident on her phone, in a real browser: registers as a volunteer (big checkboxes, the slots
grid, the consent explained), finds the service the community recorded for her, asks for a
correction, sees it accepted as a reversal and a replacement, issues her certificate and
downloads the PDF; then anyone checks its code on the public page. Screenshots go to
test-artifacts/screenshots/records-*.png; axe-core and the 44 px targets are checked on each."""

import pytest

from conftest import NOW
from tongxin.mobile.tests.test_browser_needs import PHONE, PhoneWalk, logged_in
from tongxin.records.models import Certificate, CorrectionRequest
from tongxin.records.services import correction_decide, format_code
from tongxin.volunteers.models import Volunteer

from .conftest import actor, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_PREFIXES = ("records-phone-", "records-public-")


def test_volunteer_records_certificate_and_public_check(live_server, nw, browser) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    context = logged_in(browser, live_server, nw.resident)
    page = context.new_page()
    walk = PhoneWalk(page, "records-phone-")

    # Registration on the phone.
    page.goto(f"{live_server.url}/volunteers/m/register/")
    walk.look("register-empty")
    page.get_by_label("陪护").check()
    page.get_by_label("电脑手机").check()
    page.get_by_label("周六上午").check()
    page.get_by_label("周日下午").check()
    page.get_by_role("button", name="注册").click()
    walk.look("register-refused")
    assert page.get_by_text("请阅读说明并勾选同意后再登记").is_visible()
    page.get_by_label("我已阅读上面的说明").check()
    page.get_by_role("button", name="注册").click()
    volunteer = Volunteer.objects.get(person=nw.fang)
    assert page.get_by_text(volunteer.code).first.is_visible()
    walk.look("registered")

    # The community recorded her service; she finds it and asks for a correction.
    rw = SimpleNamespace(n=nw, w=nw.w)
    r = record(rw, minutes=90)
    page.goto(f"{live_server.url}/records/m/")
    walk.look("records")
    page.get_by_role("link", name="时长不对?申请更正").click()
    page.get_by_label("小时").fill("2")
    page.get_by_label("分钟").fill("0")
    page.get_by_label("为什么要更正").fill("我11点才离开,签退时忘了扫码。")
    walk.look("correction-form")
    page.get_by_role("button", name="提交申请").click()
    assert page.get_by_text("更正申请处理中").is_visible()
    walk.look("correction-pending")
    correction_decide(
        request=CorrectionRequest.objects.get(record=r), accept=True, reason="", by=actor(nw.staff11), now=NOW
    )
    page.reload()
    assert page.get_by_text("冲销", exact=True).first.is_visible()
    assert page.get_by_text("已更正").first.is_visible()
    walk.look("corrected")

    # Her certificate: issued, downloaded.
    page.get_by_role("link", name="我的证明").click()
    page.get_by_role("button", name="开具新证明").click()
    certificate = Certificate.objects.get(person=nw.fang)
    code = format_code(certificate.code)
    assert page.get_by_text(code).first.is_visible()
    walk.look("certificates")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # At 320 px the records page still fits.
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{live_server.url}/records/m/")
    walk.look("records-320")

    # Anyone checks the code on the public page.
    public = browser.new_context(**PHONE).new_page()
    pwalk = PhoneWalk(public, "records-public-")
    public.goto(f"{live_server.url}/records/verify/")
    public.get_by_label("请输入证明上的验证码").fill(code.lower())
    public.get_by_role("button", name="核验").click()
    assert public.get_by_text("证明有效").is_visible()
    assert public.get_by_text("方*").is_visible()
    assert public.get_by_text("2.0 小时").is_visible()
    pwalk.look("valid")
    public.goto(f"{live_server.url}/records/verify/?code=ABCD-EFGH-JKLM")
    assert public.get_by_text("没有找到这个验证码").is_visible()
    pwalk.look("unknown")
    context.close()

    # The leader of a team answers a request about her team's record on her phone.
    from tongxin.records.services import correction_request
    from tongxin.volunteers.services import team_create
    from tongxin.volunteers.tests.conftest import register

    leader = register(nw.w.alice, [nw.w.c11], by=nw.alice)
    team = team_create(
        name="杨树浦社区助老服务队", owner=nw.w.c11, leader=leader, by=actor(nw.staff11), now=NOW
    )
    theirs = record(rw, minutes=60, organiser=team, by=nw.alice, title="爱心理发")
    correction_request(
        record=theirs,
        by_person=nw.fang,
        reason="理发到11点",
        proposed_minutes=90,
        by=actor(nw.resident),
        now=NOW,
    )
    lead_page = logged_in(browser, live_server, nw.alice).new_page()
    lwalk = PhoneWalk(lead_page, "records-phone-leader-")
    lead_page.goto(f"{live_server.url}/records/m/")
    lead_page.get_by_role("link", name="队员的更正申请").click()
    assert lead_page.get_by_text("理发到11点").is_visible()
    lwalk.look("requests")
    lead_page.get_by_role("button", name="同意更正").click()
    assert lead_page.get_by_text("没有待答复的更正申请").is_visible()
    lwalk.look("answered")
    assert walk.faults + pwalk.faults + lwalk.faults == []
