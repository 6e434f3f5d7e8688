"""The district administrator in a real browser (1366×768): renames a need category in place,
is refused a bad name at the field, then marks a day of next year as a holiday on the 工作日历
page. axe-core checks every screen; screenshots go to test-artifacts/screenshots/settings-*.png."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import Walk, make_account, staff_login
from tongxin.accounts.models import Role
from tongxin.accounts.services import totp_device_create
from tongxin.needs.models import NeedCategory
from tongxin.workdays.calendar import SHANGHAI, work_calendar
from tongxin.workdays.models import CalendarDay, DayKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_PREFIXES = ("settings-",)


def test_administrator_renames_a_category_and_marks_a_holiday(live_server, world, browser) -> None:  # type: ignore[no-untyped-def]
    user = make_account("qu.guanli", (Role.DISTRICT_ADMIN, world.district))
    device = totp_device_create(user=user, confirmed=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    walk = Walk(page, "settings-")
    page.goto(f"{live_server.url}/accounts/login/")
    staff_login(page, "qu.guanli", device)
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("link", name="设置", exact=True).click()
    page.wait_for_url("**/settings/categories/")
    row = page.locator("#cat-other")
    row.get_by_label("other 的名称").fill("养老助老")
    row.get_by_role("button", name="保存").click()
    page.locator("#cat-other .invalid-feedback").wait_for()
    assert "已有名为“养老助老”的类别" in page.locator("#cat-other").inner_text()
    walk.look("category-refused")
    row = page.locator("#cat-other")
    row.get_by_label("other 的名称").fill("其他诉求")
    row.get_by_label("other 的排序").fill("99")
    row.get_by_role("button", name="保存").click()
    page.locator("#cat-other").get_by_text("已保存").wait_for()
    assert NeedCategory.objects.filter(code="other", name="其他诉求", order=99).exists()
    walk.look("category-renamed")

    next_year = timezone.now().astimezone(SHANGHAI).date().year + 1
    monday = date(next_year, 3, 1)
    monday += timedelta(days=(7 - monday.weekday()) % 7)
    page.get_by_role("link", name="工作日历", exact=True).first.click()
    page.wait_for_url("**/settings/calendar/")
    walk.look("calendar-this-year")
    page.get_by_role("link", name=f"{next_year} 年").click()
    page.wait_for_url(f"**/settings/calendar/?year={next_year}")
    walk.look("calendar-next-year")
    page.locator(f'a[data-day="{monday.isoformat()}"]').click()
    panel = page.locator("#tx-day-panel")
    panel.get_by_label("调休上班").check()
    panel.get_by_label("节日名称").fill("测试调休")
    panel.get_by_role("button", name="保存").click()
    panel.get_by_text("调休上班日必须是周六或周日").wait_for()
    walk.look("day-refused")
    panel.get_by_label("放假").check()
    panel.get_by_label("节日名称").fill("植树休假")
    panel.get_by_role("button", name="保存").click()
    page.get_by_text(f"已将 {monday.isoformat()} 设为放假(植树休假)").wait_for()
    cell = page.locator(f'a[data-day="{monday.isoformat()}"]')
    assert "植树休假" in cell.inner_text()
    assert "tx-holiday" in cell.locator("xpath=..").get_attribute("class")
    assert CalendarDay.objects.filter(date=monday, kind=DayKind.HOLIDAY).exists()
    assert not work_calendar().is_workday(monday)
    cell.scroll_into_view_if_needed()
    walk.look("holiday-set")
    context.close()
    assert not walk.faults, "\n".join(walk.faults)
