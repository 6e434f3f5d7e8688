"""A volunteer on a phone (390 px, then 320 px) opens 我的时长与积分: balances, the star level
with its progress bar, the history with each entry's source in words, filtered to points; a
district admin tunes a points rule on the staff page and is told what is wrong first, then
corrects the volunteer's points by hand from her person page. Screenshots:
test-artifacts/screenshots/ledger-*.png; axe-core checks each screen."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from conftest import NOW, SYSTEM, Walk, make_account, staff_login
from tongxin.accounts.services import totp_device_create
from tongxin.ledger.models import Currency, PointsRule
from tongxin.ledger.selectors import balance_of
from tongxin.ledger.services import credits_earn, hours_record, points_award, posting_create, system_account
from tongxin.ledger.services import person_account as account_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("ledger-",)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}


def history(world) -> None:  # type: ignore[no-untyped-def]
    for i in range(12):
        at = NOW - timedelta(days=3 * i)
        hours_record(
            person=world.alice, minutes=600 + 30 * i, source=f"record:{40 + i}", memo="", by=SYSTEM, now=at
        )
        points_award(
            person=world.alice,
            rule_code="service_hour",
            quantity=3,
            source=f"record:{40 + i}",
            memo="",
            by=SYSTEM,
            now=at,
        )
    credits_earn(person=world.alice, minutes=90, source="record:40", memo="", by=SYSTEM, now=NOW)
    counter = system_account(code="redemption:counter", currency=Currency.POINTS)
    posting_create(
        lines=[(account_of(person=world.alice, currency=Currency.POINTS), -50), (counter, 50)],
        kind="redemption",
        source="redemption:7",
        memo="兑换:大米一袋",
        by=SYSTEM,
        now=NOW,
    )


def test_my_hours_and_points_on_a_phone_and_the_rules_page(live_server, world, browser) -> None:  # type: ignore[no-untyped-def]
    history(world)
    alice = make_account("alice", ("party_member", world.b11), person=world.alice)
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    context = browser.new_context(**PHONE)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    walk = Walk(page, "ledger-")

    page.goto(f"{live_server.url}/ledger/m/")
    expect(page.get_by_role("heading", name="我的时长与积分")).to_be_visible()
    expect(page.locator(".lg-balance").first).to_contain_text("153")  # 12 services, 153 hours
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_text("积分兑换 #7")).to_be_visible()
    walk.look("phone-all")
    page.get_by_role("link", name="积分", exact=True).click()
    expect(page.get_by_text("志愿服务记录 #40").first).to_be_visible()
    walk.look("phone-points")
    page.set_viewport_size({"width": 320, "height": 700})
    page.get_by_role("link", name="下一页 ›").click() if page.get_by_role(
        "link", name="下一页 ›"
    ).count() else None
    walk.look("phone-320")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320
    context.close()

    admin = make_account("admin", ("district_admin", world.district))
    device = totp_device_create(user=admin, confirmed=True)
    staff = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = staff.new_page()
    walk.page = page
    page.goto(f"{live_server.url}/accounts/login/")
    staff_login(page, "admin", device)
    page.wait_for_url(f"{live_server.url}/")
    points_before = balance_of(person=world.alice, currency=Currency.POINTS)
    page.goto(f"{live_server.url}/ledger/rules/")
    expect(page.get_by_role("link", name="志愿服务时长")).to_be_visible()
    walk.look("staff-rules")
    page.get_by_role("link", name="志愿服务时长").click()
    page.get_by_label("每日上限").fill("900")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("每日上限不能大于每月上限。")).to_be_visible()
    walk.look("staff-rule-error")
    page.get_by_label("每日上限").fill("60")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("积分规则已保存。")).to_be_visible()
    walk.look("staff-rule-saved")
    assert PointsRule.objects.get(code="service_hour").cap_per_day == 60
    page.goto(f"{live_server.url}/ledger/totals/")
    expect(page.get_by_role("cell", name="定海路街道").first).to_be_visible()
    walk.look("staff-totals")

    # Her account from her person page: a points adjustment, refused first for a fraction.
    page.goto(f"{live_server.url}/persons/{world.alice.pk}/")
    page.get_by_role("link", name="时长与积分").click()
    expect(page.get_by_role("heading", name="王秀英的时长与积分")).to_be_visible()
    page.get_by_label("币种").select_option("points")
    page.get_by_label("调整方向").select_option("debit")
    page.get_by_label("数额").fill("2.5")
    page.get_by_label("调整原因").fill("兑换大米登记有误,补扣积分")
    page.get_by_role("button", name="确认调整").click()
    expect(page.get_by_text("积分须为整数。")).to_be_visible()
    expect(page.get_by_label("调整原因")).to_have_value("兑换大米登记有误,补扣积分")
    walk.look("staff-person-adjust-error")
    page.get_by_label("数额").fill("20")
    page.get_by_role("button", name="确认调整").click()
    expect(page.get_by_text("已调整,本人的收支明细中可以看到这笔调整及原因。")).to_be_visible()
    expect(page.get_by_role("cell", name="兑换大米登记有误,补扣积分")).to_be_visible()
    walk.look("staff-person-adjusted")
    assert balance_of(person=world.alice, currency=Currency.POINTS) == points_before - 20
    staff.close()
    assert walk.faults == []
