"""A community worker, in a real browser at 1366×768, opens the suggestions for a leaking pipe:
the helpers are ranked with score bars and reasons; she dispatches to the first and the page
says so. Then a member records her skills and free slots on a phone. Screenshots:
test-artifacts/screenshots/matching-*.png; axe-core checks each screen."""

import pytest

from conftest import NOW, Walk, staff_login
from tongxin.accounts.services import totp_device_create
from tongxin.matching.models import HelperProfile
from tongxin.needs.models import Status
from tongxin.needs.services import need_accept

from .conftest import actor, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("matching-",)


def test_staff_dispatch_from_the_suggestions_and_a_member_registers(live_server, mw, browser) -> None:  # type: ignore[no-untyped-def]
    need = submit(mw.n, text="厨房水管漏水,楼下都渗了,麻烦找人来修一下。")
    need_accept(need=need, by=actor(mw.n.staff11), now=NOW)
    other = submit(mw.n, text="家里的电脑连不上网,想请人教教怎么用手机挂号。", category="health")
    need_accept(need=other, by=actor(mw.n.staff11), now=NOW)
    device = totp_device_create(user=mw.n.staff11, confirmed=True)

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    walk = Walk(page, "matching-")
    page.goto(f"{live_server.url}/accounts/login/")
    staff_login(page, "staff11", device)
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/matching/needs/{need.pk}/")
    cards = page.locator("ol[aria-label='推荐的帮办人'] > li")
    expect(cards.first).to_contain_text("王秀英")
    expect(cards.first).to_contain_text("擅长维修")
    expect(cards.first.get_by_role("progressbar")).to_be_visible()
    walk.look("suggestions")

    cards.first.get_by_role("button", name="派单给TA").click()
    expect(page.get_by_role("status").first).to_contain_text("已派单给王秀英")
    walk.look("dispatched")
    need.refresh_from_db()
    assert need.status == Status.DISPATCHED
    assert need.assigned_person == mw.w.alice

    page.goto(f"{live_server.url}/matching/batch/")
    expect(page.get_by_role("link", name=f"#{other.pk}")).to_be_visible()
    walk.look("batch")
    context.close()

    # A member on her phone.
    phone = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = phone.new_page()
    walk.page = page
    session = _session_for(live_server, mw.n.carol)
    phone.add_cookies([session])
    page.goto(f"{live_server.url}/matching/me/")
    page.get_by_text("法律", exact=True).click()
    page.get_by_label("周六上午").check()
    page.get_by_label("周日晚上").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("请勾选同意后再保存")
    walk.look("member-refused")
    page.get_by_text("我同意社区工作人员").click()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    walk.look("member-saved")
    profile = HelperProfile.objects.get(person=mw.w.carol)
    assert "legal" in profile.skills
    assert profile.slots == ["5-am", "6-eve"]
    assert walk.faults == []


def _session_for(live_server, user):  # type: ignore[no-untyped-def]
    """A session cookie for a phone-site user, as the SMS login would leave it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": live_server.url}
