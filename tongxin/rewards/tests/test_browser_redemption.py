"""A member on her phone (390 px, then 320 px) opens 积分商城 with her balance, redeems a mug and
gets a code with its QR; the unit's contact, at 1366×768, opens the counter page the QR points
to, hands the mug over, and the page then says when it was handed over; her phone shows it
collected. Screenshots: test-artifacts/screenshots/rewards-*.png; axe-core checks each screen
and every touch target on the phone is checked for 44 px."""

import re

import pytest

from conftest import Walk, staff_login
from tongxin.accounts.services import totp_device_create
from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of
from tongxin.mobile.tests.test_browser_needs import PhoneWalk, logged_in
from tongxin.rewards.models import Redemption, RedemptionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("rewards-phone-", "rewards-counter-")


def test_phone_redemption_and_counter_hand_over(live_server, rw, browser) -> None:  # type: ignore[no-untyped-def]
    context = logged_in(browser, live_server, rw.alice)
    page = context.new_page()
    phone = PhoneWalk(page, "rewards-phone-")
    page.goto(f"{live_server.url}/rewards/m/")
    expect(page.get_by_text("我的积分")).to_be_visible()
    expect(page.locator(".rw-big")).to_have_text("100")
    phone.look("shop")

    page.get_by_role("link", name=re.compile("电力公司定制水杯")).click()
    expect(page.get_by_role("heading", name="电力公司定制水杯")).to_be_visible()
    phone.look("item")
    page.get_by_role("button", name="用 30 积分兑换").click()
    expect(page.get_by_text("兑换成功")).to_be_visible()
    redemption = Redemption.objects.get(person=rw.w.alice)
    expect(page.locator(".rw-text")).to_have_text(redemption.code)
    expect(page.locator(".rw-qr svg")).to_be_visible()
    phone.look("code")
    page.set_viewport_size({"width": 320, "height": 640})
    phone.look("code-320")
    assert balance_of(person=rw.w.alice, currency=Currency.POINTS) == 70

    # The unit's contact at the counter: the QR opens the counter page with the code.
    device = totp_device_create(user=rw.unit_contact, confirmed=True)
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    staff = desk.new_page()
    walk = Walk(staff, "rewards-counter-")
    staff.goto(f"{live_server.url}/accounts/login/")
    staff_login(staff, "contact1", device)
    staff.wait_for_url(f"{live_server.url}/")
    staff.goto(f"{live_server.url}/rewards/counter/?code={redemption.code}")
    expect(staff.get_by_role("heading", name="电力公司定制水杯")).to_be_visible()
    expect(staff.get_by_text("王秀英")).to_be_visible()
    walk.look("found")
    staff.get_by_role("button", name="确认交付").click()
    expect(staff.get_by_text("已交付:电力公司定制水杯。")).to_be_visible()
    expect(staff.get_by_role("button", name="确认交付")).to_have_count(0)
    walk.look("handed-over")
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.HANDED_OVER
    # A second scan of the same code shows when it was handed over.
    staff.goto(f"{live_server.url}/rewards/counter/?code={redemption.code.lower()}")
    expect(staff.locator("dd").filter(has_text="已领取")).to_contain_text(
        redemption.handed_over_at.astimezone().strftime("%Y-%m-%d")
    )
    staff.goto(f"{live_server.url}/rewards/redemptions/")
    expect(staff.get_by_role("link", name=redemption.code)).to_be_visible()
    walk.look("list")
    staff.goto(f"{live_server.url}/rewards/")
    walk.look("items")
    desk.close()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".m-status")).to_have_text("已领取")
    expect(page.locator(".rw-qr")).to_have_count(0)
    phone.look("collected")
    context.close()
    assert phone.faults + walk.faults == []
