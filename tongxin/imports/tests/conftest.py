"""Building real .xlsx files in tests, as a secretary's Excel would save them."""

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from conftest import SYSTEM, TODAY, new_id_number
from tongxin.imports.columns import TEMPLATE_NAMES
from tongxin.imports.scope import ImportScope
from tongxin.imports.services import ImportResult, members_import


def xlsx(
    rows: list[list[Any]], *, header: list[str] | None = None, before: list[list[Any]] | None = None
) -> bytes:
    """A workbook whose first sheet holds `before` rows (titles), the header, then `rows`."""
    book = Workbook()
    ws = book.active
    for row in before or []:
        ws.append(row)
    ws.append(header or TEMPLATE_NAMES)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def member_row(world: Any, **overrides: Any) -> list[Any]:
    """A valid template row for a new full member of 杨树浦社区第一党支部, with overrides by column."""
    values: dict[str, Any] = {
        "姓名": "赵桂兰",
        "身份证号": new_id_number(date(1975, 3, 8)),
        "手机号": "13912345678",
        "民族": "汉族",
        "学历": "大学本科",
        "入党日期": "2005-07-01",
        "转正日期": "2006-07-01",
        "党员状态": "正式党员",
        "所在党组织编码": world.b11.code,
        "工作单位": "",
        "工作单位统一社会信用代码": "",
        "居住社区编码": world.c11.code,
        "是否在职党员": "否",
        "是否流动党员": "否",
    }
    values.update(overrides)
    return [values[name] for name in TEMPLATE_NAMES]


def run(data: bytes, *, user: Any = None, dry_run: bool = False) -> ImportResult:
    return members_import(
        data=data,
        filename="党员.xlsx",
        scope=ImportScope(user=user),
        by=SYSTEM,
        today=TODAY,
        dry_run=dry_run,
    )


def problems_of(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in result.problems]


def read_back(data: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data))
    return list(book.active.iter_rows(values_only=True))


@pytest.fixture
def row(world):  # type: ignore[no-untyped-def]
    return lambda **kw: member_row(world, **kw)


def with_cached_value(data: bytes, ref: str, value: str) -> bytes:
    """Give formula cell `ref` the cached result Excel stores on save (openpyxl writes none)."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                pattern = rf'<c r="{ref}"><f>(.*?)</f><v\s*/>'.encode()
                content = re.sub(pattern, rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>'.encode(), content)
            target.writestr(item, content)
    return out.getvalue()
