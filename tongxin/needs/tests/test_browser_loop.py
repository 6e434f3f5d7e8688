"""The whole needs loop as people walk it, in one real browser (DESIGN.md §4, loop 1):

a resident on her phone reports a problem and the category is suggested while she types; the
community secretary, at her desk, accepts it and dispatches it to the community's party branch;
two members of that branch open the need on their phones at the same moment and both press
认领 — one wins, the other is thanked and sent back to the list; the winner starts, resolves it
with what was done; the resident rates it, and her timeline shows every step. Screenshots go to
test-artifacts/screenshots/needs-loop-*.png."""

import pytest

from conftest import Walk, staff_login
from tongxin.accounts.services import totp_device_create
from tongxin.mobile.tests.test_browser_needs import logged_in
from tongxin.needs.models import EventKind, Need, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("needs-loop-",)
TEXT = "我家楼下路口的路灯坏了半个月,晚上出门黑乎乎的,老人走路怕摔"


def test_a_need_from_a_phone_to_a_rated_result(live_server, nw, browser) -> None:  # type: ignore[no-untyped-def]
    # 1. The resident reports it on her phone; the category is suggested while she types.
    resident = logged_in(browser, live_server, nw.resident).new_page()
    walk = Walk(resident, "needs-loop-")
    resident.goto(f"{live_server.url}/m/needs/new/")
    box = resident.get_by_label("遇到了什么困难?")
    box.click()
    box.press_sequentially(TEXT, delay=15)
    resident.get_by_text("系统建议").wait_for()
    suggested = resident.locator("#id_category").input_value()
    assert suggested == "facility", suggested  # a street light outside the compound
    walk.look("resident-suggested")
    resident.get_by_role("button", name="提交").click()
    resident.get_by_text("已提交。").wait_for()
    need = Need.objects.get(person=nw.fang)
    assert need.status == Status.SUBMITTED
    assert need.category_id == need.suggested_category == "facility"

    # 2. The secretary accepts it and dispatches it to the community's branch.
    device = totp_device_create(user=nw.staff11, confirmed=True)
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    staff_login(desk, nw.staff11.username, device)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/needs/{need.pk}/")
    expect(desk.locator("body")).to_contain_text(TEXT[:12])
    desk.locator("#step-accept").get_by_role("button", name="受理").click()
    desk.get_by_text("已受理。").wait_for()
    picker = desk.locator("#step-dispatch")
    picker.get_by_role("searchbox").fill("第一党支部")
    picker.get_by_text("杨树浦社区第一党支部").click()
    picker.get_by_role("button", name="派单").click()
    desk.get_by_text("已派单。").wait_for()
    walk.page = desk
    walk.look("secretary-dispatched")
    need.refresh_from_db()
    assert (need.status, need.assigned_org_id) == (Status.DISPATCHED, nw.w.b11.pk)

    # 3. Two members of the branch open it at once; both press 认领, one wins.
    alice = logged_in(browser, live_server, nw.alice).new_page()
    erin = logged_in(browser, live_server, nw.erin).new_page()
    for page in (alice, erin):
        page.goto(f"{live_server.url}/m/help/")
        expect(page.locator(".m-card-text").first).to_contain_text(TEXT[:12])
    walk.page = erin
    walk.look("member-claimable")
    alice.get_by_role("button", name="我来认领").first.click()
    alice.wait_for_load_state("networkidle")
    erin.get_by_role("button", name="我来认领").first.click()
    erin.get_by_text("该诉求刚刚已被他人认领,感谢您的热心!").wait_for()
    walk.look("second-claimer-thanked")
    need.refresh_from_db()
    assert (need.status, need.assigned_person_id) == (Status.CLAIMED, nw.w.alice.pk)
    assert need.events.filter(kind=EventKind.CLAIM).count() == 1

    # 4. The winner starts and resolves it; the resident's full phone is hers now.
    alice.goto(f"{live_server.url}/m/needs/{need.pk}/")
    expect(alice.locator("body")).to_contain_text("13611112222")
    alice.get_by_role("button", name="开始办理").click()
    alice.get_by_role("button", name="办结").wait_for()
    alice.get_by_label("办理结果").fill("已联系市政,路灯于今日修复,晚上亮了。")
    alice.get_by_role("button", name="办结").click()
    alice.get_by_text("已办结").first.wait_for()
    walk.page = alice
    walk.look("member-resolved")
    need.refresh_from_db()
    assert need.status == Status.RESOLVED

    # 5. The resident rates it; her timeline shows every step, in order.
    resident.goto(f"{live_server.url}/m/needs/{need.pk}/")
    expect(resident.locator("body")).to_contain_text("已联系市政,路灯于今日修复")
    resident.locator("label[for=star-5]").click()
    resident.get_by_role("button", name="提交评价").click()
    resident.get_by_text("谢谢您的评价!").wait_for()
    walk.page = resident
    walk.look("resident-rated")
    need.refresh_from_db()
    assert (need.status, need.rating) == (Status.VISITED, 5)
    steps = resident.locator(".m-timeline li strong").all_inner_texts()
    assert list(reversed(steps)) == ["提交", "受理", "派单", "认领", "开始办理", "办结", "回访"], steps
    assert not walk.faults, "\n".join(walk.faults)
