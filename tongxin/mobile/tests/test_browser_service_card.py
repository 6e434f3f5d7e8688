"""The service card end to end, as the issue walks it, in one browser session per person:

a community worker (1366×768, TOTP) publishes an activity on the staff form; 孙悦, a volunteer
subscribed to 助老 in her community, gets the message on her phone (375×740), signs up, scans the
venue's QR to check in and later out; her hours and points appear in 我的时长与积分 with the
service record as their source; she asks for a correction of the hours, which the worker accepts
on the correction queue (a reversal and a replacement, never an edit); she issues her 志愿服务记录证明,
downloads the PDF (read back with pdftotext) and a stranger verifies its code on the public page;
finally she spends points on the community's catalogue and her balance drops by the price.

Each app's own browser test covers its pages' refusals and edge cases; this one proves they
join up. The clock cannot be waited on: after sign-up the slot is moved to have started two hours
ago, and the check-in moved back with it, so the hours are real minutes of a real slot.
Screenshots: test-artifacts/screenshots/card-*.png."""

import subprocess
from datetime import timedelta
from shutil import which

import pytest
from django.utils import timezone

from conftest import SHOTS, Walk, add_person, make_account, staff_login
from tongxin.accounts.models import Role
from tongxin.accounts.services import totp_device_create
from tongxin.activities.models import Activity, SignUp
from tongxin.activities.services import subscription_save
from tongxin.core.actor import Actor
from tongxin.ledger.models import Currency, Posting
from tongxin.ledger.selectors import balance_of
from tongxin.mobile.tests.test_browser_needs import PhoneWalk, logged_in
from tongxin.records.models import Certificate, CorrectionRequest, ServiceRecord
from tongxin.rewards.services import ItemData, item_save
from tongxin.volunteers.services import volunteer_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("card-",)
PHONE_375 = {"width": 375, "height": 740}


@pytest.fixture
def card(world):  # type: ignore[no-untyped-def]
    now = timezone.now()
    staff = make_account("staff11", (Role.COMMUNITY_STAFF, world.c11))
    by = Actor(user=staff, label="staff11")
    sun = add_person("孙悦", world.c11, mobile="13600003333")
    volunteer_register(
        person=sun,
        skills=["companion"],
        slots=["5-am"],
        communities=[world.c11],
        consent=True,
        by=by,
        now=now,
    )
    sun_user = make_account("sun", (Role.RESIDENT, world.c11), person=sun)
    subscription_save(
        person=sun,
        categories=["elderly"],
        communities=[world.c11],
        by_sms=False,
        by=Actor(user=sun_user, label="sun"),
        now=now,
    )
    item = item_save(
        data=ItemData(
            name="社区理发券", price=10, description="社区理发室任选一次", stock=5, per_person_limit=1
        ),
        offerer=world.c11,
        by=by,
        now=now,
    )
    return world, staff, sun, sun_user, item


def test_publish_serve_record_correct_certify_verify_and_redeem(live_server, card, browser) -> None:  # type: ignore[no-untyped-def]
    _world, staff_user, sun, sun_user, item = card
    device = totp_device_create(user=staff_user, confirmed=True)
    start = (timezone.localtime() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    end = min(start + timedelta(hours=2), start.replace(hour=23, minute=59))

    # 1. The organiser publishes.
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    staff = desk.new_page()
    walk = Walk(staff, "card-staff-")
    staff.goto(f"{live_server.url}/accounts/login/")
    staff_login(staff, "staff11", device)
    staff.wait_for_url(f"{live_server.url}/")
    staff.get_by_role("link", name="志愿活动").first.click()
    staff.get_by_role("link", name="新建活动").first.click()
    staff.get_by_label("活动名称").fill("重阳敬老陪伴")
    staff.get_by_label("类别").select_option(label="助老")
    staff.get_by_label("所在社区").select_option(label="杨树浦社区")
    staff.get_by_label("活动地点").fill("杨树浦敬老院")
    staff.get_by_label("详细地址").fill("杨树浦路100号")
    staff.get_by_label("活动内容").fill("陪老人聊天、读报,协助午餐。")
    staff.locator("#id_slots-0-day").fill(start.date().isoformat())
    staff.locator("#id_slots-0-start").fill(start.strftime("%H:%M"))
    staff.locator("#id_slots-0-end").fill(end.strftime("%H:%M"))
    staff.locator("#id_slots-0-capacity").fill("10")
    staff.get_by_role("button", name="保存").click()
    expect(staff.get_by_role("status").first).to_contain_text("已创建草稿")
    staff.get_by_role("button", name="发布").click()
    expect(staff.get_by_role("status").first).to_contain_text("已发布")
    walk.look("published")

    # 2. The volunteer hears of it on her phone and signs up.
    phone = logged_in(browser, live_server, sun_user)
    page = phone.new_page()
    page.set_viewport_size(PHONE_375)
    mwalk = PhoneWalk(page, "card-phone-")
    page.goto(f"{live_server.url}/m/")
    expect(page.get_by_role("link", name="志愿活动")).to_be_visible()
    mwalk.look("home")
    page.goto(f"{live_server.url}/m/inbox/")
    expect(page.get_by_text("新活动:重阳敬老陪伴")).to_be_visible()
    mwalk.look("inbox")
    page.goto(f"{live_server.url}/activities/m/")
    page.get_by_role("link", name="重阳敬老陪伴").click()
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("报名成功")
    mwalk.look("signed-up")

    # 3. At the venue: the slot has begun; she scans the code on the organiser's screen.
    slot = Activity.objects.get().slots.get()
    slot.starts_at = timezone.now() - timedelta(hours=2)
    slot.ends_at = timezone.now() + timedelta(hours=1)
    slot.save()
    staff.goto(f"{live_server.url}/activities/slots/{slot.pk}/qr/")
    scan_url = staff.locator("a[data-scan-url]").get_attribute("href")
    assert scan_url
    walk.look("qr")
    page.goto(scan_url.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="签到").click()
    expect(page.get_by_role("status")).to_contain_text("签到成功")
    signup = SignUp.objects.get(person=sun)
    SignUp.objects.filter(pk=signup.pk).update(checked_in_at=slot.starts_at + timedelta(minutes=5))
    page.get_by_role("button", name="签退").click()
    expect(page.get_by_role("status")).to_contain_text("签退成功")
    mwalk.look("checked-out")
    record = ServiceRecord.objects.get(source=f"signup:{signup.pk}")
    served = record.minutes
    assert 110 <= served <= 116

    # 4. Hours and points in the ledger, with the record as their source.
    page.goto(f"{live_server.url}/ledger/m/")
    expect(page.get_by_role("heading", name="我的时长与积分")).to_be_visible()
    expect(page.get_by_text(f"志愿服务记录 #{record.pk}").first).to_be_visible()
    points = balance_of(person=sun, currency=Currency.POINTS)
    assert points > 0
    assert balance_of(person=sun, currency=Currency.HOURS) == served
    expect(page.locator(".lg-balance").nth(1)).to_contain_text(str(points))
    mwalk.look("ledger")

    # 5. She left for twenty minutes in the middle: she asks to correct her own record, and the
    # organiser accepts.
    page.goto(f"{live_server.url}/records/m/")
    page.get_by_role("link", name="时长不对?申请更正").first.click()
    page.get_by_label("小时").fill("1")
    page.get_by_label("分钟").fill("35")
    page.get_by_label("为什么要更正").fill("中途回家取药离开了20分钟,不该算进去。")
    mwalk.look("correction-form")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("更正申请处理中")).to_be_visible()
    staff.goto(f"{live_server.url}/records/corrections/")
    expect(staff.get_by_text("中途回家取药离开了20分钟")).to_be_visible()
    walk.look("corrections")
    staff.get_by_role("button", name="同意更正").first.click()
    expect(staff.get_by_role("status").first).to_be_visible()
    assert CorrectionRequest.objects.get().status == "accepted"
    replacement = ServiceRecord.objects.get(replaces=record, kind="replacement")
    assert replacement.minutes == 95
    assert balance_of(person=sun, currency=Currency.HOURS) == 95
    assert Posting.objects.filter(source=f"record:{record.pk}", reverses__isnull=False).exists()
    page.goto(f"{live_server.url}/records/m/")
    expect(page.get_by_text("已更正").first).to_be_visible()
    mwalk.look("records-corrected")

    # 6. Her certificate, and anyone may check its code.
    page.get_by_role("link", name="我的证明").click()
    page.get_by_role("button", name="开具新证明").click()
    certificate = Certificate.objects.get(person=sun)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载PDF").first.click()
    pdf = SHOTS / "card-certificate.pdf"
    download.value.save_as(pdf)
    if which("pdftotext"):
        text = subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "孙悦" in text
        assert "1.6" in text  # 95 minutes
        assert certificate.code.replace("-", "")[:4] in text.replace("-", "")
        subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(SHOTS / "card-certificate")],  # noqa: S607
            check=True,
        )
    pdf.unlink()
    stranger = browser.new_context(viewport=PHONE_375, locale="zh-CN").new_page()
    stranger.goto(f"{live_server.url}/records/verify/")
    stranger.get_by_label("请输入证明上的验证码").fill(certificate.code)
    stranger.get_by_role("button", name="核验").click()
    expect(stranger.get_by_text("证明有效")).to_be_visible()
    expect(stranger.get_by_text("1.6 小时")).to_be_visible()
    expect(stranger.get_by_text("孙悦")).to_have_count(0)  # the public sees 孙*, never the name
    PhoneWalk(stranger, "card-public-").look("verified")

    # 7. Points spent on the community's catalogue.
    before = balance_of(person=sun, currency=Currency.POINTS)
    page.goto(f"{live_server.url}/rewards/m/")
    page.get_by_role("link", name="社区理发券").click()
    page.get_by_role("button", name="用 10 积分兑换").click()
    expect(page.get_by_text("兑换成功")).to_be_visible()
    mwalk.look("redeemed")
    assert balance_of(person=sun, currency=Currency.POINTS) == before - 10
    item.refresh_from_db()
    assert item.stock == 4

    phone.close()
    desk.close()
    assert walk.faults + mwalk.faults == []
