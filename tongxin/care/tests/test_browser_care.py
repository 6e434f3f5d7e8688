"""A member on her phone (390 px, then 320 px) opens 我的走访: the overdue visit comes first in
red; she logs a visit in a few taps (a refusal first: no condition chosen), the person moves down
the list, she reveals the number to call, and reads her history. Then a community worker, at
1366×768, reads the registry with its overdue badge, a subject's record and the coverage bars.
Screenshots: test-artifacts/screenshots/care-*.png; axe-core checks every screen, and every touch
target on the phone is checked for 44 px."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import SYSTEM, Walk, add_person, staff_login
from tongxin.accounts.services import totp_device_create
from tongxin.care.models import CareVisit, Kind
from tongxin.care.services import visitor_assign
from tongxin.mobile.tests.test_browser_needs import PhoneWalk, logged_in

from .conftest import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("care-",)


def test_a_member_logs_a_visit_on_her_phone_and_staff_read_the_registry(live_server, cw, browser) -> None:  # type: ignore[no-untyped-def]
    month_ago = timezone.now() - timedelta(days=30)
    late = add_person("孙爷爷", cw.w.c11, mobile="13900003333", birth=date(1937, 1, 1))
    overdue = register(
        late,
        cw.w.c11,
        kinds=[Kind.ELDERLY_ALONE, Kind.DISABLED],
        now=month_ago,
        place="7号楼102",
        consent_on=month_ago.date(),
    )
    visitor_assign(subject=overdue, visitor=cw.w.alice, by=SYSTEM, now=month_ago)

    context = logged_in(browser, live_server, cw.n.alice)
    page = context.new_page()
    walk = PhoneWalk(page, "care-phone-")
    page.goto(f"{live_server.url}/care/m/")
    cards = page.locator(".m-cards a.m-card")
    expect(cards.first).to_contain_text("孙爷爷")
    expect(cards.first).to_contain_text("已逾期")
    expect(cards.nth(1)).to_contain_text("刘桂兰")
    walk.look("list")

    cards.first.click()
    page.wait_for_url(f"**/care/m/{overdue.pk}/")
    expect(page.get_by_text("139****3333")).to_be_visible()
    walk.look("subject")
    page.get_by_text("上门", exact=True).click()
    page.get_by_role("button", name="登记走访").click()
    expect(page.get_by_text("请选择对象的情况。")).to_be_visible()
    walk.look("refused")
    assert not CareVisit.objects.exists()

    page.get_by_text("上门", exact=True).click()
    page.get_by_text("良好", exact=True).click()
    page.get_by_label("走访记录(选填)").fill("精神不错,帮他换了灯泡。")
    page.get_by_role("button", name="登记走访").click()
    page.wait_for_url("**/care/m/")
    expect(page.get_by_role("status")).to_contain_text("已登记走访,谢谢您!")
    expect(cards.first).to_contain_text("刘桂兰")  # 孙爷爷 is no longer due
    walk.look("logged")
    visit = CareVisit.objects.get()
    assert visit.subject == overdue
    assert visit.visitor == cw.w.alice
    assert visit.notes == "精神不错,帮他换了灯泡。"

    page.get_by_role("link", name="孙爷爷").click()
    page.get_by_role("button", name="打电话").click()
    expect(page.get_by_role("link", name="拨打 13900003333")).to_be_visible()
    walk.look("call")
    page.goto(f"{live_server.url}/care/m/history/")
    expect(page.get_by_text("精神不错,帮他换了灯泡。")).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 640})
    walk.look("history-320")
    page.goto(f"{live_server.url}/care/m/")
    walk.look("list-320")
    context.close()
    assert walk.faults == []

    # The community worker.
    device = totp_device_create(user=cw.n.staff11, confirmed=True)
    overdue_too = add_person("钱奶奶", cw.w.c11, mobile="13900004444", birth=date(1933, 2, 2))
    register(overdue_too, cw.w.c11, now=month_ago, consent_on=month_ago.date())
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = desk.new_page()
    walk = Walk(page, "care-staff-")
    page.goto(f"{live_server.url}/accounts/login/")
    staff_login(page, "staff11", device)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/care/")
    expect(page.get_by_role("link", name="1 人逾期")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("钱奶奶")
    expect(page.locator("tbody tr").first).to_contain_text("未指派")
    walk.look("registry")
    page.get_by_role("link", name="孙爷爷").click()
    expect(page.get_by_text("精神不错,帮他换了灯泡。")).to_be_visible()
    expect(page.get_by_text("139****3333")).to_be_visible()
    walk.look("detail")
    page.goto(f"{live_server.url}/care/coverage/")
    expect(page.get_by_text("在册 3 人:按时走访 2 人,逾期 1 人。")).to_be_visible()
    walk.look("coverage")
    page.goto(f"{live_server.url}/care/new/")
    page.get_by_label("查找已登记的居民(姓名)").fill("方兰")
    expect(page.get_by_role("radio", name="方兰")).to_be_visible()
    walk.look("register")
    desk.close()
    assert walk.faults == []
