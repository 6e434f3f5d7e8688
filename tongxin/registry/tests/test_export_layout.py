"""Exported workbooks open readable (columns wide enough for an 18-digit ID number and a long
organisation name) and say so when they hold personal data in clear; the page says it too, next
to the export button, only where it applies."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tongxin.accounts.models import Role
from tongxin.registry.exports import MAX_WIDTH, column_widths, workbook_response

pytestmark = pytest.mark.django_db

NOTICE = "导出的文件含完整身份证号等个人信息,请妥善保管。"


def book(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def width(ws, header: str) -> float:  # type: ignore[no-untyped-def]
    column = next(c.column_letter for c in ws[1] if c.value == header)
    return ws.column_dimensions[column].width


def test_id_numbers_and_long_names_are_not_cut_off(world, street1) -> None:  # type: ignore[no-untyped-def]
    ws = book(street1.post("/members/export/", {"q": ""})).active
    assert width(ws, "身份证号") >= 18
    assert width(ws, "所在党组织") >= 2 * len("杨树浦社区第一党支部")  # Chinese characters count double
    assert width(ws, "性别") < width(ws, "身份证号")
    assert ws.cell(row=1, column=1).value == "姓名"  # the table still starts on the first row


def test_widths_are_capped_and_never_narrower_than_the_header() -> None:
    widths = column_widths(["地址", "x"], [["路" * 200, ""]])
    assert widths[0] == MAX_WIDTH
    assert widths[1] >= 3


def test_an_export_in_clear_carries_a_notice_and_the_button_says_so(world, street1) -> None:  # type: ignore[no-untyped-def]
    assert NOTICE in street1.get("/persons/").content.decode()
    assert NOTICE in street1.get("/members/").content.decode()
    assert NOTICE in street1.get(f"/orgs/{world.b11.pk}/").content.decode()
    workbook = book(street1.post("/persons/export/", {"q": ""}))
    assert workbook.sheetnames == ["人员", "说明"]
    assert workbook["说明"]["A1"].value == NOTICE
    alice = next(row for row in workbook.active.iter_rows(values_only=True) if row[0] == "王秀英")
    assert alice[5] == world.alice.id_number


def test_without_clear_data_there_is_no_notice_anywhere(world, login) -> None:  # type: ignore[no-untyped-def]
    grid = login("grid", (Role.GRID_WORKER, world.g111))  # may see, neither reveal nor export
    page = grid.get("/persons/").content.decode()
    assert "陈伟" in page
    assert NOTICE not in page
    response, _ = workbook_response(
        filename="x", title="人员", headers=["姓名"], rows=[["陈伟"]], text_columns=set()
    )
    assert load_workbook(BytesIO(response.content)).sheetnames == ["人员"]
