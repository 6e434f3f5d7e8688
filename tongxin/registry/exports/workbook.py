"""The workbook of a registry list export: the rows the account may export, personal data masked
unless the account may reveal that row, ID numbers and codes written as text, each export audited.

openpyxl's write-only mode streams rows, so a street's hundred thousand residents do not sit in
memory as cell objects."""

import itertools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tongxin.accounts.policies import Action, visible
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core import masking
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.people.selectors import looks_like_id_number

from ..listing import filter_items, search_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "@"  # Excel's text format: an 18-digit ID number must never become 3.1011E+17


# Column widths are measured on the header and the first rows (the rest stream past unmeasured),
# in Excel's units of about one Latin character; a Chinese character takes two.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
PRIVATE_NOTICE = gettext_lazy("导出的文件含完整身份证号等个人信息,请妥善保管。")


def display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Wide enough for the header and the longest sampled value (an 18-digit ID number, a long
    organisation name), with a little air, capped so one long address does not push the rest away."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], display_width(value))
    return [float(min(MAX_WIDTH, max(MIN_WIDTH, w + 2))) for w in widths]


def workbook_response(
    *,
    filename: str | Promise,
    title: str | Promise,
    headers: Sequence[str | Promise],
    rows: Iterable[Sequence[Any]],
    text_columns: set[int],
    notice: str = "",
) -> tuple[HttpResponse, int]:
    """An .xlsx download; returns the response and how many data rows it holds. A `notice` (the
    file holds personal data in clear) goes on a 说明 sheet, leaving the table itself as it was,
    so that it still sorts, filters and re-reads from its first row."""
    # Labels may be lazy translations: the file is in the language of the page it came from.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(title)[:31])
    rows = iter(rows)
    labels = [str(h) for h in headers]
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    # In write-only mode the widths must be set before the first row is written.
    for i, width in enumerate(column_widths(labels, sample), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    sheet.append([_cell(sheet, h, font=bold) for h in labels])
    count = 0
    for row in itertools.chain(sample, rows):
        sheet.append(
            [_cell(sheet, v, number_format=TEXT if i in text_columns else None) for i, v in enumerate(row)]
        )
        count += 1
    if notice:
        note = book.create_sheet(title=pgettext("export sheet", "说明"))
        note.column_dimensions["A"].width = float(min(MAX_WIDTH * 2, display_width(notice) + 2))
        note.append([_cell(note, notice, font=Font(bold=True, color="C00000"))])
    buffer = BytesIO()
    book.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'{filename!s}-{stamp}.xlsx')}"
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
    filename: str | Promise  # translated when the file is made: the page's language
    title: str | Promise
    headers: Sequence[str | Promise]
    text_columns: set[int]
    rows: Callable[[Any, QuerySet[Any]], Iterable[Sequence[Any]]]
    # How many of the exported rows carry personal data in clear (for the audit row).
    clear_rows: Callable[[Any, QuerySet[Any]], int] = lambda user, rows: 0
    # The rows the account may export at all; the policy's EXPORT scope unless a list has its own
    # gate (the audit log: the audit administrator's, all of it).
    exportable: Callable[[Any], QuerySet[Any]] | None = None


def export_list(
    request: HttpRequest, spec: ListExport, matching: Callable[[QuerySet[Any], str], QuerySet[Any]]
) -> HttpResponse:
    """The list as the account sees it, narrowed by its search, as .xlsx; one audit row."""
    if spec.exportable is not None:
        exportable = spec.exportable(request.user)
    else:
        exportable = visible(request.user, spec.model, Action.EXPORT)
    if not exportable.exists():
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    query = search_text(request)
    filters = {k: v[:100] for k, v in filter_items(request)[:10]}
    rows = matching(exportable, query)
    in_clear = spec.clear_rows(request.user, rows)
    response, count = workbook_response(
        filename=spec.filename,
        title=spec.title,
        headers=spec.headers,
        rows=spec.rows(request.user, rows),
        text_columns=spec.text_columns,
        notice=str(PRIVATE_NOTICE) if in_clear else "",
    )
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        object_type=spec.model._meta.label_lower,
        object_repr=f"{_in_source_language(spec.title)} × {count}",
        detail={
            "rows": count,
            # A search by ID number is personal data: the log keeps it masked, like every page.
            "query": masking.mask_id_number(query) if looks_like_id_number(query) else query,
            **({"filters": filters} if filters else {}),
            "rows_in_clear": in_clear,
        },
    )
    _mark_download(request, response)
    return response


def _in_source_language(label: str | Promise) -> str:
    """The audit log reads the same whatever language the exporter's pages were in."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def _mark_download(request: HttpRequest, response: HttpResponse) -> None:
    """Tell the page's "正在生成…" button that the file is on its way (tongxin.js polls for this
    cookie). The workbook is built in this request rather than by a background task: write-only
    openpyxl keeps memory flat, a district's 100,000 rows take seconds, and no file holding personal
    data is left on the server's disk waiting to be fetched."""
    token = request.POST.get("download_token", "")
    if token and len(token) <= 64 and token.isalnum():
        response.set_cookie("tx_export", token, max_age=120, samesite="Lax", secure=request.is_secure())
