"""The error report mirrors the secretary's own sheet, so row numbers match what she sees."""

import io

import pytest
from openpyxl import load_workbook

from tongxin.imports.columns import TEMPLATE_NAMES
from tongxin.imports.report import build_report

from .conftest import run, xlsx

pytestmark = pytest.mark.django_db


def test_the_report_keeps_title_rows_extra_columns_and_row_numbers(world, row) -> None:
    header = ["序号", *TEMPLATE_NAMES, "备注"]
    rows = [[1, *row(), "新党员"], [2, *row(民族="火星族", 身份证号="1234"), ""]]
    data = xlsx(rows, header=header, before=[["杨树浦社区党员花名册"], []])
    result = run(data)
    assert [(p.row, p.column) for p in result.problems] == [(5, "身份证号"), (5, "民族")]
    report = load_workbook(
        io.BytesIO(build_report(data, result.sheet_title, [p.as_json() for p in result.problems]))
    )
    sheet = report.active
    assert sheet.cell(row=1, column=1).value == "杨树浦社区党员花名册"
    assert sheet.cell(row=3, column=17).value == "错误说明"
    assert sheet.cell(row=4, column=17).value is None
    note = sheet.cell(row=5, column=17).value
    assert note.startswith("身份证号:身份证号应为18位")
    assert "民族:民族“火星族”不在国家标准民族名称中。" in note
    assert sheet.cell(row=5, column=3).fill.fgColor.rgb.endswith("FFC7CE")  # 身份证号, after 序号 and 姓名
    assert sheet.cell(row=5, column=5).fill.fgColor.rgb.endswith("FFC7CE")  # 民族
    assert sheet.cell(row=5, column=2).fill.fgColor.rgb in (None, "00000000")
    assert sheet.cell(row=4, column=16).value == "新党员"  # extra columns are kept as they were
