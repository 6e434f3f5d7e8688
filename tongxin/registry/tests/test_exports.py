"""Excel export of the person list: what the exporter may see, masked unless they may reveal,
ID numbers as text, audited."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.core.masking import mask_id_number

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    return [[c.value for c in row] for row in book.active.iter_rows()]


def test_export_holds_the_visible_rows_in_clear_for_a_revealer_with_ids_as_text(world, street1) -> None:  # type: ignore[no-untyped-def]
    response = street1.post("/persons/export/", {"q": ""})
    rows = sheet_rows(response)
    assert rows[0][:2] == ["姓名", "性别"]
    names = {r[0] for r in rows[1:]}
    assert names == {"王秀英", "张敏", "陈伟"}  # not 李建国, who lives in another street
    alice = next(r for r in rows[1:] if r[0] == "王秀英")
    assert alice[5] == world.alice.id_number  # a string: 18 digits survive
    book = load_workbook(BytesIO(response.content))
    id_cell = book.active.cell(row=2, column=6)
    assert id_cell.number_format == "@"
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert event.detail == {"rows": 3, "query": "", "rows_in_clear": 3}


def test_export_follows_the_search(world, street1) -> None:  # type: ignore[no-untyped-def]
    rows = sheet_rows(street1.post("/persons/export/", {"q": world.carol.id_number}))
    assert [r[0] for r in rows[1:]] == ["张敏"]
    # The search itself is personal data: the audit row keeps it masked.
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert event.detail["query"] == mask_id_number(world.carol.id_number)


def test_a_unit_contact_exports_only_its_own_members(world, login) -> None:  # type: ignore[no-untyped-def]
    contact = login("unit", (Role.UNIT_CONTACT, world.unit_branch))
    rows = sheet_rows(contact.post("/persons/export/", {"q": ""}))
    assert [r[0] for r in rows[1:]] == ["张敏"]
    assert rows[1][5] == world.carol.id_number


def test_masked_export_for_an_account_that_may_export_but_not_reveal(world, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tongxin.accounts import policies

    monkeypatch.setitem(
        policies.ROLE_ACTIONS, Role.STREET_STAFF, frozenset({policies.Action.VIEW, policies.Action.EXPORT})
    )
    street = login("street1", (Role.STREET_STAFF, world.street1))
    rows = sheet_rows(street.post("/persons/export/", {"q": ""}))
    alice = next(r for r in rows[1:] if r[0] == "王秀英")
    assert alice[5] == mask_id_number(world.alice.id_number)
    assert alice[2].endswith("岁")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq").detail["rows_in_clear"] == 0


def test_no_export_right_looks_like_no_page_and_get_is_refused(world, login, street1) -> None:  # type: ignore[no-untyped-def]
    grid = login("grid", (Role.GRID_WORKER, world.g111))
    assert grid.post("/persons/export/", {"q": ""}).status_code == 404
    assert "导出Excel" not in grid.get("/persons/").content.decode()
    assert street1.get("/persons/export/").status_code == 405
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_unit_export_holds_visible_units_with_codes_as_text(world, street1, login) -> None:  # type: ignore[no-untyped-def]
    from conftest import SYSTEM, new_credit_code
    from tongxin.units.services import unit_create

    unit_create(
        name="平凉路商店", credit_code=new_credit_code(), kind="other", territory=world.c21, by=SYSTEM
    )
    response = street1.post("/units/export/", {"q": ""})
    rows = sheet_rows(response)
    assert rows[0][:2] == ["单位名称", "统一社会信用代码"]
    assert rows[1:] == [["示范电力公司", world.unit.credit_code, "国有企业", "杨树浦社区", "是", None]]
    assert load_workbook(BytesIO(response.content)).active.cell(row=2, column=2).number_format == "@"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="units.unit").exists()
    grid = login("grid", (Role.GRID_WORKER, world.g111))
    assert grid.post("/units/export/", {"q": ""}).status_code == 404
