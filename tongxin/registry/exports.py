"""Excel exports of the registry lists: the rows the account may export, personal data masked
unless the account may reveal that row, ID numbers and codes written as text, each export audited.

openpyxl's write-only mode streams rows, so a street's hundred thousand residents do not sit in
memory as cell objects."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tongxin.accounts.policies import Action, visible
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core import masking
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.orgs.selectors import units_with_org_flag
from tongxin.people.models import Person
from tongxin.units.models import Unit

from .views.common import search_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "@"  # Excel's text format: an 18-digit ID number must never become 3.1011E+17


def workbook_response(
    *,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_columns: set[int],
) -> tuple[HttpResponse, int]:
    """An .xlsx download; returns the response and how many data rows it holds."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    bold = Font(bold=True)
    sheet.append([_cell(sheet, h, font=bold) for h in headers])
    count = 0
    for row in rows:
        sheet.append(
            [_cell(sheet, v, number_format=TEXT if i in text_columns else None) for i, v in enumerate(row)]
        )
        count += 1
    buffer = BytesIO()
    book.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'{filename}-{stamp}.xlsx')}"
    return response, count


def _cell(
    sheet: Any, value: Any, *, font: Font | None = None, number_format: str | None = None
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value="" if value is None else value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@dataclass(frozen=True)
class ListExport:
    """What differs between the exported lists; the rules (scope, audit, text cells) do not."""

    model: type[Model]
    filename: str
    title: str
    headers: Sequence[str]
    text_columns: set[int]
    rows: Callable[[Any, QuerySet[Any]], Iterable[Sequence[Any]]]
    # How many of the exported rows carry personal data in clear (for the audit row).
    clear_rows: Callable[[Any, QuerySet[Any]], int] = lambda user, rows: 0


def export_list(
    request: HttpRequest, spec: ListExport, matching: Callable[[QuerySet[Any], str], QuerySet[Any]]
) -> HttpResponse:
    """The list as the account sees it, narrowed by its search, as .xlsx; one audit row."""
    exportable = visible(request.user, spec.model, Action.EXPORT)
    if not exportable.exists():
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    query = search_text(request)
    rows = matching(exportable, query)
    response, count = workbook_response(
        filename=spec.filename,
        title=spec.title,
        headers=spec.headers,
        rows=spec.rows(request.user, rows),
        text_columns=spec.text_columns,
    )
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        object_type=spec.model._meta.label_lower,
        object_repr=f"{spec.title} × {count}",
        detail={"rows": count, "query": query[:100], "rows_in_clear": spec.clear_rows(request.user, rows)},
    )
    return response


PERSON_HEADERS = [
    "姓名",
    "性别",
    "出生日期/年龄",
    "民族",
    "学历",
    "身份证号",
    "手机号",
    "居住地址",
    "居住社区/网格",
]
PERSON_TEXT_COLUMNS = {5, 6}


def person_rows(user: Any, persons: QuerySet[Person]) -> Iterable[list[Any]]:
    """One row per person; the clear values only where the account may reveal that person."""
    revealable = visible(user, Person, Action.REVEAL).filter(pk=OuterRef("pk"))
    today = timezone.localdate()
    rows = persons.annotate(may_reveal=Exists(revealable)).select_related("residence").order_by("name", "pk")
    for p in rows.iterator(chunk_size=2000):
        clear = p.may_reveal  # type: ignore[attr-defined]
        yield [
            p.name,
            p.get_gender_display(),
            p.birth_date.isoformat() if clear else f"{masking.age_on(p.birth_date, today)}岁",
            p.ethnicity,
            p.education,
            p.id_number if clear else masking.mask_id_number(p.id_number),
            p.mobile if clear else masking.mask_mobile(p.mobile),
            p.address if clear else masking.mask_address(p.address),
            p.residence.name if p.residence else "",
        ]


UNIT_HEADERS = ["单位名称", "统一社会信用代码", "单位类型", "所在属地", "是否建立党组织", "单位地址"]
UNIT_TEXT_COLUMNS = {1}


def unit_rows(user: Any, units: QuerySet[Unit]) -> Iterable[list[Any]]:
    rows = units_with_org_flag(units).select_related("territory").order_by("name", "pk")
    for u in rows.iterator(chunk_size=2000):
        has_org = u.has_org  # type: ignore[attr-defined]
        yield [
            u.name,
            u.credit_code,
            u.get_kind_display(),
            u.territory.name,
            _("是") if has_org else _("否"),
            u.address,
        ]


def persons_in_clear(user: Any, persons: QuerySet[Person]) -> int:
    return visible(user, Person, Action.REVEAL).filter(pk__in=persons.values("pk")).count()
