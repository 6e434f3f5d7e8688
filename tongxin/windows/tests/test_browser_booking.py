"""A resident books an evening appointment on her phone (390 px, then 320 px) and finds it in
我的预约; the community's staff see it in today's list and mark it done. The clock is held at
NOW (Sunday 10:00) for the server too, so the point's Sunday evening 预约服务 hours are today.
Screenshots: test-artifacts/screenshots/windows-*.png; axe-core and 44 px targets on every screen."""

from datetime import time
from unittest import mock

import pytest
from playwright.sync_api import expect

from conftest import NOW, Walk, staff_login
from tongxin.accounts.services import totp_device_create
from tongxin.mobile.tests.test_browser_needs import PhoneWalk, logged_in
from tongxin.windows.models import Appointment, AppointmentStatus, HoursKind
from tongxin.windows.services import closure_add

from .conftest import WEEK, actor, at, make_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_PREFIXES = ("windows-",)
SUNDAY = [(6, time(14), time(17), HoursKind.OPEN), (6, time(18), time(20, 30), HoursKind.BOOKING)]


def test_a_resident_books_an_evening_on_her_phone_and_staff_see_it_today(live_server, nw, browser) -> None:  # type: ignore[no-untyped-def]
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        point = make_point(nw.w.c11, week=[*WEEK, *SUNDAY])
        make_point(nw.w.c12, name="复兴岛社区党群服务站")
        closure_add(
            point=point, starts_on=at(3, 0).date(), ends_on=at(3, 0).date(), reason="消防检查",
            by=actor(nw.staff11), now=NOW,
        )  # fmt: skip
        context = logged_in(browser, live_server, nw.resident)
        page = context.new_page()
        walk = PhoneWalk(page, "windows-")

        page.goto(f"{live_server.url}/windows/m/")
        card = page.locator(".m-card-link", has_text="杨树浦社区党群服务中心")
        expect(card).to_contain_text("今天14:00开放")
        walk.look("points")

        card.click()
        expect(page.locator(".w-hours")).to_contain_text("18:00–20:30")
        expect(page.get_by_text("消防检查")).to_be_visible()
        walk.look("point")

        page.get_by_role("link", name="预约办事").click()
        page.get_by_role("link", name="老年证").click()
        expect(page.get_by_text("闭馆:消防检查")).to_be_visible()
        walk.look("days")
        page.locator(".w-big a", has_text="今天").click()
        expect(page.get_by_role("heading", name="晚上")).to_be_visible()
        walk.look("times")
        page.locator(".w-times a", has_text="18:30").click()
        expect(page.get_by_text("请确认")).to_be_visible()
        page.get_by_label("想告诉工作人员的(可不填)").fill("下班后过来")
        walk.look("confirm")
        page.get_by_role("button", name="确认预约").click()
        page.wait_for_url("**/windows/m/mine/")
        expect(page.get_by_text("预约成功")).to_be_visible()
        upcoming = page.locator(".m-card", has_text="杨树浦社区党群服务中心")
        expect(upcoming).to_contain_text("18:30")
        expect(upcoming).to_contain_text("老年证")
        walk.look("mine")
        appointment = Appointment.objects.get(person=nw.fang)
        assert appointment.starts_at == at(0, 18, 30)
        assert appointment.channel == "mobile"

        # The narrowest phone, large text: the day list still fits.
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(f"{live_server.url}/windows/m/points/{point.pk}/book/?m=1")
        page.get_by_role("button", name="大字").click()
        walk.look("days-320px-large-text")
        page.evaluate("localStorage.removeItem('tx-large-text')")
        context.close()

        # The community's staff: today's list, then 办结.
        device = totp_device_create(user=nw.staff11, confirmed=True)
        staff = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        desk = staff.new_page()
        office = Walk(desk, "windows-staff-")
        desk.goto(f"{live_server.url}/accounts/login/")
        staff_login(desk, "staff11", device)
        desk.wait_for_url(f"{live_server.url}/")
        desk.goto(f"{live_server.url}/windows/appointments/")
        row = desk.locator("tr", has_text="方兰")
        expect(row).to_contain_text("18:30")
        expect(row).to_contain_text("136****2222")
        expect(row).not_to_contain_text("13611112222")
        office.look("today")
        row.get_by_role("button", name="办结").click()
        expect(desk.get_by_role("status").first).to_contain_text("已登记:方兰")
        office.look("done")
        desk.goto(f"{live_server.url}/windows/points/{point.pk}/hours/")
        office.look("hours")
        staff.close()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    assert not walk.faults + office.faults, "\n".join(walk.faults + office.faults)
