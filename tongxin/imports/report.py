"""The error report: the secretary's own sheet, row for row, with a 错误说明 column and the wrong
cells coloured, so the file can be fixed where it is and uploaded again."""

import io
from collections import defaultdict
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from .reader import find_header

ERROR_COLUMN = "错误说明"
_BAD = PatternFill("solid", fgColor="FFC7CE")
_BAD_FONT = Font(color="9C0006")


def build_report(data: bytes, sheet_title: str, problems: list[dict[str, Any]]) -> bytes:
    by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in problems:
        by_row[p["row"]].append(p)
    source = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = Workbook(write_only=True)
    try:
        ws = source[sheet_title]
        found = find_header(ws)
        header_row, columns = found if found else (1, {})
        index_of = {name: i for i, name in columns.items()}
        # The 错误说明 column sits right of the widest row, so it lines up on every row.
        width = max(max([*columns, 0]) + 1, ws.max_column or 0)
        sheet = out.create_sheet(sheet_title[:31] or "Sheet1")
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            row = [_cell(sheet, v) for v in cells]
            row += [_cell(sheet, None) for _ in range(width - len(row))]
            if number == header_row:
                row.append(_cell(sheet, ERROR_COLUMN, bold=True))
            found_problems = by_row.get(number, [])
            for p in found_problems:
                i = index_of.get(p["column"])
                if i is not None and i < len(row):
                    row[i].fill, row[i].font = _BAD, _BAD_FONT
            if found_problems:
                note = ";".join(f"{p['column']}:{p['message']}" for p in found_problems)
                row.append(_cell(sheet, note, bad=True))
            sheet.append(row)
    finally:
        source.close()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _cell(sheet: Any, value: Any, *, bold: bool = False, bad: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.number_format = "@"  # ID numbers stay text when the report is edited and re-uploaded
    if bold:
        cell.font = Font(bold=True)
    if bad:
        cell.fill, cell.font = _BAD, _BAD_FONT
    return cell
