"""Reading an uploaded workbook: find the sheet and header row, map columns, yield data rows.

openpyxl read_only streams the sheet XML, so a 100,000-row file never sits in memory as cell
objects; data_only gives formulas' cached values. A formula Excel never calculated (files written
by scripts) has no cached value, which data_only reads as empty: such cells are found with a second
pass that sees the formulas, and only when the sheet contains any."""

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .cells import is_blank
from .columns import ID_NUMBER, NAME, canonical_header

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 20


class FileRejected(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class DataRow:
    number: int  # the row number Excel shows
    values: dict[str, Any]  # column name → raw cell value
    formulas: set[str] = field(default_factory=set)  # columns holding a formula with no value


@dataclass
class Sheet:
    title: str
    header_row: int  # the last header row (data starts below it)
    columns: dict[int, str]  # 0-based column index → column name
    rows: list[DataRow]


def no_header_message() -> str:
    return _("找不到表头:第一行应包含 姓名、身份证号 等列名(可下载导入模板对照)。")


def check_upload(data: bytes, filename: str = "") -> None:
    """Refuse, before any parsing, what is not an .xlsx file or is too large."""
    if len(data) > MAX_BYTES:
        raise FileRejected(_("文件超过 %(mb)s MB,请分成几个文件导入。") % {"mb": MAX_BYTES // (1024 * 1024)})
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRejected(_("这是旧版Excel(.xls)文件,请在Excel中“另存为”.xlsx格式后再上传。"))
    if data[:2] != b"PK" or (filename and not filename.lower().endswith((".xlsx", ".xlsm"))):
        raise FileRejected(_("只能导入Excel .xlsx 文件,请下载导入模板填写后上传。"))


def read_sheet(data: bytes) -> Sheet:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRejected(_("文件无法打开,可能已损坏或不是Excel .xlsx 文件。")) from None
    try:
        for ws in book.worksheets:
            found = find_header(ws)
            if found is None:
                continue
            header_row, columns = found
            rows = _data_rows(ws, header_row, columns)
            sheet = Sheet(title=ws.title, header_row=header_row, columns=columns, rows=rows)
            if _has_formulas(data, book, ws.title):
                _mark_uncalculated(data, sheet)
            return sheet
    finally:
        book.close()
    raise FileRejected(no_header_message())


def find_header(ws: Any) -> tuple[int, dict[int, str]] | None:
    """The first row naming both 姓名 and 身份证号, merged with the row below when that row
    carries further column names (a two-level header under a merged group title)."""
    top = list(ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS + 1, values_only=True))
    for i, cells in enumerate(top[:HEADER_SEARCH_ROWS]):
        columns = _named(cells)
        if not {NAME, ID_NUMBER} <= set(columns.values()):
            continue
        below = _named(top[i + 1]) if i + 1 < len(top) else {}
        extra = {k: v for k, v in below.items() if v not in columns.values()}
        if extra:
            return i + 2, {**columns, **extra}
        return i + 1, columns
    return None


def _named(cells: tuple[Any, ...]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, value in enumerate(cells):
        name = canonical_header(value)
        if name is not None and name not in columns.values():
            columns[index] = name
    return columns


def _data_rows(ws: Any, header_row: int, columns: dict[int, str]) -> list[DataRow]:
    rows: list[DataRow] = []
    last = max(columns) + 1
    for number, cells in enumerate(
        ws.iter_rows(min_row=header_row + 1, max_col=last, values_only=True), start=header_row + 1
    ):
        values = {name: cells[i] if i < len(cells) else None for i, name in columns.items()}
        if all(is_blank(v) for v in values.values()):
            continue  # empty rows, wherever they are, and the formatted-but-empty tail
        rows.append(DataRow(number=number, values=values))
        if len(rows) > MAX_ROWS:
            raise FileRejected(_("文件超过 %(n)s 行,请分成几个文件导入。") % {"n": f"{MAX_ROWS:,}"})
    return rows


def _has_formulas(data: bytes, book: Any, title: str) -> bool:
    """Whether the sheet's XML has any <f> element; a cheap byte search, no XML parsing."""
    ws = book[title]
    path = getattr(ws, "_worksheet_path", None) or getattr(ws, "path", None)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [path.lstrip("/")] if path else [n for n in archive.namelist() if "worksheets/" in n]
            return any(b"<f" in archive.read(n) or b":f>" in archive.read(n) for n in names)
    except (KeyError, zipfile.BadZipFile):
        return True


def _mark_uncalculated(data: bytes, sheet: Sheet) -> None:
    by_number = {r.number: r for r in sheet.rows}
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = book[sheet.title]
        last = max(sheet.columns) + 1
        for number, cells in enumerate(
            ws.iter_rows(min_row=sheet.header_row + 1, max_col=last, values_only=True),
            start=sheet.header_row + 1,
        ):
            row = by_number.get(number)
            for i, name in sheet.columns.items():
                formula = cells[i] if i < len(cells) else None
                if isinstance(formula, str) and formula.startswith("="):
                    if row is None:  # a formula row that read as entirely empty
                        row = DataRow(number=number, values=dict.fromkeys(sheet.columns.values()))
                        by_number[number] = row
                        sheet.rows.append(row)
                    if is_blank(row.values.get(name)):
                        row.formulas.add(name)
    finally:
        book.close()
    sheet.rows.sort(key=lambda r: r.number)


def iter_all_rows(data: bytes, title: str) -> Iterator[tuple[Any, ...]]:
    """Every row of the sheet as values, for the error report that mirrors the original."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        yield from book[title].iter_rows(values_only=True)
    finally:
        book.close()
