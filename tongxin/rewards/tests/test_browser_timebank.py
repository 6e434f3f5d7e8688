"""The time bank on phones: a son tries to give credits to himself (refused), gives 1.5 to his
mother and books a home visit for her; a volunteer of her community takes it and then sees the
address. Screenshots: test-artifacts/screenshots/rewards-timebank-*.png and
rewards-volunteer-*.png; axe-core and the 44 px touch targets checked on each screen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tongxin.mobile.tests.test_browser_needs import PhoneWalk, logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("rewards-timebank-", "rewards-volunteer-")


def test_phone_time_bank_transfer_book_and_take(live_server, rw, browser) -> None:  # type: ignore[no-untyped-def]
    context = logged_in(browser, live_server, rw.son_user)
    page = context.new_page()
    phone = PhoneWalk(page, "rewards-timebank-")
    page.goto(f"{live_server.url}/rewards/m/timebank/")
    expect(page.locator(".rw-big")).to_have_text("10")
    phone.look("home")
    page.get_by_role("link", name="转给亲属").click()
    page.get_by_label("亲属姓名").fill("赵强")
    page.get_by_label("亲属手机号").fill("13600002222")
    page.get_by_label("转出时间币(个)").fill("1")
    page.get_by_role("button", name="确认转出").click()
    expect(page.get_by_text("不能转给自己。")).to_be_visible()
    phone.look("transfer-self")
    page.get_by_label("亲属姓名").fill("赵桂兰")
    page.get_by_label("亲属手机号").fill("13600001111")
    page.get_by_label("转出时间币(个)").fill("1.5")
    page.get_by_role("button", name="确认转出").click()
    expect(page.get_by_text("已转给赵桂兰 1.5 个时间币。")).to_be_visible()
    page.get_by_role("link", name="预约服务").click()
    page.get_by_label("为谁预约").select_option(label="赵桂兰")
    page.get_by_label("需要什么服务").select_option("cleaning")
    page.get_by_label("需要多长时间").select_option("120")
    page.get_by_label("哪一天").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    page.get_by_label("几点").fill("09:30")
    page.get_by_label("服务地点(如3号楼2单元)").fill("3号楼2单元101")
    phone.look("book")
    page.get_by_role("button", name="确认预约").click()
    expect(page.get_by_text("预约成功")).to_be_visible()
    phone.look("booked")
    context.close()

    volunteer = logged_in(browser, live_server, rw.dave)
    vpage = volunteer.new_page()
    vwalk = PhoneWalk(vpage, "rewards-volunteer-")
    vpage.goto(f"{live_server.url}/rewards/m/timebank/open/")
    expect(vpage.get_by_text("家政保洁")).to_be_visible()
    vwalk.look("open")
    vpage.get_by_role("button", name="我来接单").click()
    expect(vpage.get_by_text("接单成功")).to_be_visible()
    expect(vpage.get_by_text("3号楼2单元101")).to_be_visible()
    vwalk.look("taken")
    volunteer.close()
    assert phone.faults + vwalk.faults == []
