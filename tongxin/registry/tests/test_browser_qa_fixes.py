"""The QA fixes as a community secretary meets them in a real browser: the search hint names her
own community, her territory page exports both its tables (the personal-data notice only where
the file holds it), and a wrong mobile number is removed with the 清除 box. axe-core checks every
screen; screenshots go to test-artifacts/screenshots/qafix-*.png."""

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Walk, make_account, staff_login
from tongxin.accounts.models import Role
from tongxin.accounts.services import totp_device_create
from tongxin.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_PREFIXES = ("qafix-",)


def test_secretary_exports_her_territory_tables_and_removes_a_wrong_mobile(
    live_server, world, browser
) -> None:  # type: ignore[no-untyped-def]
    user = make_account("fu.xing", (Role.COMMUNITY_STAFF, world.c11))
    device = totp_device_create(user=user, confirmed=True)
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    walk = Walk(page, "qafix-")
    page.goto(f"{live_server.url}/accounts/login/")
    staff_login(page, "fu.xing", device)
    page.wait_for_url(f"{live_server.url}/")
    assert "例如 yspsq 或 yangshupushequ 找到“杨树浦社区”" in page.locator("#tx-tree-q-hint").inner_text()

    page.goto(f"{live_server.url}/territory/{world.c11.pk}/")
    children = page.locator("section", has=page.get_by_role("heading", name="下级属地"))
    units = page.locator("section", has=page.get_by_role("heading", name="驻区单位"))
    walk.look("territory-page")
    with page.expect_download() as caught:
        children.get_by_role("button", name="导出Excel").click()
    grids = load_workbook(BytesIO(Path(caught.value.path()).read_bytes())).active
    assert [r[0] for r in grids.iter_rows(min_row=2, values_only=True)] == ["第一网格"]
    with page.expect_download() as caught:
        units.get_by_role("button", name="导出Excel").click()
    book = load_workbook(BytesIO(Path(caught.value.path()).read_bytes()))
    assert [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)] == ["示范电力公司"]
    assert book.sheetnames == ["驻区单位"]  # no personal data, no notice
    assert "妥善保管" not in page.content()

    page.goto(f"{live_server.url}/persons/")
    assert page.get_by_text("导出的文件含完整身份证号等个人信息,请妥善保管。").is_visible()
    walk.look("persons-notice")

    page.goto(f"{live_server.url}/persons/{world.alice.pk}/edit/")
    page.get_by_label("清除手机号").check()
    walk.look("edit-clear-mobile")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/persons/{world.alice.pk}/")
    assert Person.objects.get(pk=world.alice.pk).mobile == ""
    walk.look("mobile-removed")
    context.close()
    assert not walk.faults, "\n".join(walk.faults)
