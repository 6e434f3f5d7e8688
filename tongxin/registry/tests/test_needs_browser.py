"""A community secretary's morning in the 诉求工作台, in a real browser at 1366×768: the nav badge
counts what waits; she accepts a new need and dispatches it to her branch (found by typing its
name), bulk-dispatches two accepted needs at once, and corrects the category of another. axe-core
checks every screen; screenshots go to test-artifacts/screenshots/needs-queue-*.png."""

import pytest

from conftest import NOW, Walk, staff_login
from tongxin.accounts.services import totp_device_create
from tongxin.needs.models import NeedCorrection, Status
from tongxin.needs.services import need_accept

from .needs_world import actor, seed_categories, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("needs-queue-",)


@pytest.fixture
def morning(world):  # type: ignore[no-untyped-def]
    seed_categories()
    return world


def test_secretary_accepts_dispatches_bulk_dispatches_and_reclassifies(
    live_server, morning, nw, browser
) -> None:  # type: ignore[no-untyped-def]
    staff = nw.staff11
    staff.first_name = "李娜"
    staff.save(update_fields=["first_name"])
    device = totp_device_create(user=staff, confirmed=True)
    new = submit(nw, text="3号楼楼道灯坏了一个星期,晚上老人上下楼看不见。", urgent=True, tags=["急"])
    bulk = [
        submit(nw, text="5号楼门口的井盖松了,踩上去晃动,怕有人摔倒。", place="5号楼"),
        submit(nw, text="小区健身器材的单杠断了一根,孩子玩很危险。", place="中心花园"),
    ]
    for n in bulk:
        need_accept(need=n, by=actor(staff), now=NOW)
    wrong = submit(nw, category="other", text="我家老人八十多岁独居,想申请每天送餐上门。", place="2号楼")

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    walk = Walk(page, "needs-queue-")
    page.goto(f"{live_server.url}/accounts/login/")
    staff_login(page, staff.username, device)
    page.wait_for_url(f"{live_server.url}/")

    # The navigation says four needs wait for her (two new, two to dispatch).
    nav = page.get_by_role("navigation", name="主导航")
    entry = nav.get_by_role("link", name="诉求工作台")
    expect(entry).to_contain_text("4")
    entry.click()
    page.wait_for_url("**/needs/")
    expect(page.locator(".tx-need-table tbody tr")).to_have_count(4)
    walk.look("queue")

    # Open the new one, accept it, dispatch it to the branch.
    page.get_by_role("link", name=new.text[:20], exact=False).first.click()
    page.wait_for_url(f"**/needs/{new.pk}/")
    walk.look("detail-new")
    # 退回 without a reason: refused at the field, through htmx, nothing changed.
    page.locator("details", has=page.locator("#step-return")).locator("summary").click()
    page.locator("#step-return").get_by_role("button", name="退回").click()
    page.locator("#step-return").get_by_text("请填写内容").wait_for()
    new.refresh_from_db()
    assert new.status == Status.SUBMITTED
    walk.look("return-refused")
    page.locator("#step-accept").get_by_role("button", name="受理").click()
    page.get_by_text("已受理。").wait_for()
    walk.look("accepted")
    picker = page.locator("#step-dispatch")
    picker.get_by_role("searchbox").fill("第一党支部")
    picker.get_by_text("杨树浦社区第一党支部").click()
    picker.get_by_role("button", name="派单").click()
    page.get_by_text("已派单。").wait_for()
    new.refresh_from_db()
    assert (new.status, new.assigned_org_id) == (Status.DISPATCHED, morning.b11.pk)
    expect(page.locator(".tx-timeline")).to_contain_text("已派单至杨树浦社区第一党支部")
    walk.look("dispatched")

    # Back to the queue: bulk-dispatch the two accepted ones to the community itself.
    page.goto(f"{live_server.url}/needs/?tab=accepted")
    expect(page.locator(".tx-need-table tbody tr")).to_have_count(2)
    page.get_by_label("全选本页").check()
    expect(page.locator(".tx-bulk-bar")).to_contain_text("已选 2 条")
    bar = page.locator(".tx-bulk-bar")
    bar.get_by_role("searchbox").fill("杨树浦")
    bar.get_by_role("radio", name="社区 杨树浦社区").check()
    walk.look("bulk-selected")
    bar.get_by_role("button", name="批量派单").click()
    page.get_by_text("派单成功 2 条").wait_for()
    walk.look("bulk-result")
    for n in bulk:
        n.refresh_from_db()
        assert (n.status, n.assigned_territory_id) == (Status.DISPATCHED, morning.c11.pk)

    # The elderly resident's meal request was filed under 其他: correct it.
    page.goto(f"{live_server.url}/needs/{wrong.pk}/")
    panel = page.locator("details", has=page.locator("#step-reclassify"))
    panel.locator("summary").click()
    form = page.locator("#step-reclassify")
    form.get_by_label("类别").select_option("elderly")
    form.get_by_role("button", name="更正类别").click()
    page.get_by_text("已更正类别。").wait_for()
    wrong.refresh_from_db()
    assert wrong.category_id == "elderly"
    assert NeedCorrection.objects.filter(need=wrong, from_category="other", to_category="elderly").exists()
    walk.look("reclassified")

    # 代录诉求: the category is suggested while she types; an empty caller is refused at the field.
    page.goto(f"{live_server.url}/needs/new/")
    page.get_by_label("诉求内容").fill("楼上邻居家漏水,把我家卫生间天花板泡坏了,找物业也不管。")
    page.get_by_text("建议类别").wait_for()
    page.get_by_role("button", name="采用建议").click()
    assert page.locator("#id_category").input_value() != ""
    walk.look("entry-suggested")
    page.get_by_role("button", name="登记诉求").click()
    page.get_by_text("请填写诉求人姓名或联系电话").wait_for()
    assert "天花板泡坏了" in page.get_by_label("诉求内容").input_value()
    walk.look("entry-refused")
    page.get_by_label("来电/来访人姓名").fill("周阿姨")
    page.get_by_role("button", name="登记诉求").click()
    page.get_by_text("已登记诉求").wait_for()
    walk.look("entry-saved")

    page.goto(f"{live_server.url}/needs/places/")
    walk.look("places")
    page.goto(f"{live_server.url}/needs/rates/")
    walk.look("rates")
    page.goto(f"{live_server.url}/needs/?tab=all")
    walk.look("queue-after")
    context.close()
    assert not walk.faults, "\n".join(walk.faults)
