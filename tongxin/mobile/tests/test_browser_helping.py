"""The helper's side and the grid report in a real browser at phone size: a member takes a need
from the claimable list (phone masked until then), starts and resolves it; the resident sees the
unread badge and opens the message; a grid worker reports at 320 px. Screenshots go to
test-artifacts/screenshots/mobile-helping-*.png, axe-core and the 44 px check on every screen."""

import pytest
from django.conf import settings

from conftest import NOW
from tongxin.needs.models import Need
from tongxin.needs.services import need_accept
from tongxin.needs.tests.conftest import actor, submit
from tongxin.registry.tests.conftest import verified_client

from .test_browser_needs import PHONE, PhoneWalk, logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_PREFIXES = ("mobile-helping-",)


def test_a_member_takes_a_need_on_her_phone_and_a_grid_worker_reports_one(live_server, nw, browser) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw, text="小区东门口的路灯坏了三天,晚上出门很黑", place="东门")
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    walk_faults: list[str] = []

    member = logged_in(browser, live_server, nw.alice)
    page = member.new_page()
    walk = PhoneWalk(page, "mobile-helping-member-")
    page.goto(f"{live_server.url}/m/")
    page.get_by_role("link", name="可认领的诉求").click()
    page.get_by_text("136****2222").wait_for()
    walk.look("claimable")
    page.get_by_role("button", name="我来认领").click()
    page.get_by_text("认领成功").wait_for()
    assert page.get_by_role("link", name="13611112222").is_visible()
    walk.look("claimed")
    page.get_by_role("button", name="开始办理").click()
    page.get_by_label("办理结果(居民会看到)").fill("已联系物业换了灯泡,东门亮了。")
    walk.look("resolve-form")
    page.get_by_role("button", name="办结", exact=True).click()
    page.get_by_text("已办结,居民会收到通知并评价").wait_for()
    walk.look("resolved")
    member.close()
    walk_faults += walk.faults

    resident = logged_in(browser, live_server, nw.resident)
    page = resident.new_page()
    walk = PhoneWalk(page, "mobile-helping-inbox-")
    page.goto(f"{live_server.url}/m/")
    assert page.locator(".m-badge").is_visible()
    walk.look("home-badge")
    page.get_by_role("link", name="消息").click()
    walk.look("inbox")
    page.get_by_role("button", name=f"您的诉求已办结(编号{need.pk})").click()
    page.wait_for_url(f"**/m/needs/{need.pk}/")
    resident.close()
    walk_faults += walk.faults

    grid = verified_client(nw.grid)
    context = browser.new_context(**{**PHONE, "viewport": {"width": 320, "height": 640}})
    cookie = grid.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    walk = PhoneWalk(page, "mobile-helping-grid-")
    page.goto(f"{live_server.url}/m/grid/report/")
    page.get_by_label("发现了什么问题?").press_sequentially("5号楼门口井盖松了,踩上去晃", delay=20)
    page.get_by_text("系统建议").wait_for()
    page.get_by_label("居民姓名(代居民反映时填)").fill("刘阿姨")
    walk.look("form-320px")
    page.get_by_role("button", name="上报").click()
    page.get_by_text("已上报").wait_for()
    assert Need.objects.get(channel="grid").caller_name == "刘阿姨"  # encrypted: compared in Python
    context.close()
    walk_faults += walk.faults

    assert not walk_faults, "\n".join(walk_faults)
