"""A community secretary's errand, in a real browser at 1366×768: log in with password and TOTP,
find her branch by typing pinyin initials into the tree search, add a member with a mistyped ID
number (the message appears at the field, in Chinese), correct it, save, see the member in the
roster, and export the roster to Excel. axe-core checks every screen; screenshots go to
test-artifacts/screenshots/secretary-*.png."""

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Walk, make_account, staff_login
from tongxin.accounts.models import Role
from tongxin.accounts.services import totp_device_create
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.core.validators import compose_id_number
from tongxin.people.models import Membership, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("secretary-",)


def test_secretary_adds_a_member_and_exports_the_roster(live_server, world, browser) -> None:  # type: ignore[no-untyped-def]
    user = make_account("li.na", (Role.COMMUNITY_STAFF, world.c11))
    user.first_name = "李娜"
    user.save(update_fields=["first_name"])
    device = totp_device_create(user=user, confirmed=True)
    good_id = compose_id_number(area="310110", birth=date(1975, 3, 8), sequence=42)
    wrong_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")  # one mistyped check character

    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    walk = Walk(page, "secretary-")

    page.goto(f"{live_server.url}/accounts/login/")
    staff_login(page, "li.na", device)
    page.wait_for_url(f"{live_server.url}/")
    walk.look("home")

    # The territory tree starts at her community; expanding it fetches its grids, once.
    tree = page.locator(".tx-tree", has=page.get_by_role("heading", name="属地", exact=True))
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "/children/" in r.url else None)
    toggle = tree.get_by_role("button", name="杨树浦社区的下级")
    toggle.click()
    tree.get_by_role("link", name="第一网格").wait_for()
    toggle.click()  # collapse
    assert not tree.get_by_role("link", name="第一网格").is_visible()
    toggle.click()  # expand again: already loaded
    assert tree.get_by_role("link", name="第一网格").is_visible()
    assert len(fetched) == 1, fetched

    # Find the branch by the initials of 杨树浦(社区)第一(党支部), from the keyboard.
    search = page.get_by_label("查找属地或党组织")
    search.fill("yspdy")
    results = page.locator("#tx-tree-results")
    results.get_by_role("link", name="杨树浦社区第一党支部").wait_for()
    walk.look("tree-search")
    search.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/orgs/{world.b11.pk}/")
    current = page.locator(".tx-trees [aria-current=page]")
    assert current.inner_text() == "杨树浦社区第一党支部"  # the tree opened down to the branch
    walk.look("branch")

    # 添加党员 with a mistyped ID number: the message appears when the field is left.
    page.get_by_role("link", name="添加党员").first.click()
    page.wait_for_url(f"**/orgs/{world.b11.pk}/members/new/")
    page.get_by_label("姓名").fill("赵桂兰")
    page.get_by_label("身份证号").fill(wrong_id)
    page.get_by_label("手机号").focus()
    page.get_by_text("身份证号校验位不正确").wait_for()
    walk.look("member-form-inline-check")
    page.get_by_label("手机号").fill("13912345678")
    page.get_by_label("党员状态").select_option("full")
    page.get_by_label("入党日期").fill("2010-07-01")
    page.get_by_label("转正日期").fill("2011-07-01")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("没有保存").wait_for()
    assert page.get_by_label("姓名").input_value() == "赵桂兰"
    assert page.get_by_label("手机号").input_value() == "13912345678"
    assert page.get_by_label("入党日期").input_value() == "2010-07-01"
    assert "身份证号校验位不正确" in page.locator("#id_id_number_block").inner_text()
    assert not Person.objects.filter(name="赵桂兰").exists()
    walk.look("member-form-refused")

    # Corrected: saved, back on the branch with the new member in the roster.
    page.get_by_label("身份证号").fill(good_id)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/orgs/{world.b11.pk}/")
    page.get_by_text("已将“赵桂兰”编入“杨树浦社区第一党支部”").wait_for()
    roster = page.locator("section", has=page.get_by_role("heading", name="党员名册"))
    assert roster.get_by_role("link", name="赵桂兰", exact=True).is_visible()
    assert Membership.objects.filter(person__name="赵桂兰", organization=world.b11).count() == 1
    walk.look("roster")

    # The roster as Excel: the download opens as a workbook holding her row, ID number as text.
    with page.expect_download() as caught:
        roster.get_by_role("button", name="导出Excel").click()
    download = caught.value
    book = load_workbook(BytesIO(Path(download.path()).read_bytes()))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "身份证号")
    mine = next(r for r in rows[1:] if r[0] == "赵桂兰")
    assert mine[2] == good_id  # a secretary of her community may see it in clear
    assert {r[0] for r in rows[1:]} == {"王秀英", "赵桂兰"}
    id_cell = next(c for c in sheet["C"] if c.value == good_id)
    assert id_cell.data_type == "s"
    assert id_cell.number_format == "@"
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORT, actor=user, object_type="people.membership"
        ).count()
        == 1
    )
    # The button came back from "正在生成…" once the file was on its way.
    expect(roster.get_by_role("button", name="导出Excel")).to_be_visible()
    walk.look("roster-exported")

    context.close()
    assert not walk.faults, "\n".join(walk.faults)
