"""The registry as Excel: the rows the list shows for the same filters, in the account's export
scope; phones masked, no notes, no address; one audit row per file (DESIGN.md §7)."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tongxin.accounts.policies import Action
from tongxin.core.actor import Actor
from tongxin.core.masking import mask_mobile

from . import policies, selectors, services
from .models import Basis, CareSubject

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_MAX = 50_000


def _headers() -> list[str]:
    return [
        _("编号"),
        _("姓名"),
        _("关爱类别"),
        _("所在社区"),
        _("手机号"),
        _("登记依据"),
        _("走访周期(天)"),
        _("最近走访"),
        _("下次走访"),
        _("逾期天数"),
        _("走访人"),
        _("状态"),
    ]


def _basis_text(s: CareSubject) -> str:
    if s.basis == Basis.LEGAL:
        return f"{s.legal_basis} {s.legal_reference}".strip()
    return f"{s.get_consent_by_display()}{_('同意')} {s.consent_on:%Y-%m-%d}" if s.consent_on else ""


def subjects_workbook(request: HttpRequest, filters: selectors.ListFilters) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    exportable = policies.staff_subjects(user, Action.EXPORT).values("pk")
    rows = selectors.with_open_visitors(
        selectors.subject_list(user, filters, today=today).filter(pk__in=exportable), today
    )[:EXPORT_MAX]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("关爱对象")[:31])
    bold = Font(bold=True)
    header = []
    for label in _headers():
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for s in rows:
        phone = WriteOnlyCell(sheet, value=mask_mobile(s.person.mobile) if s.person.mobile else "")
        phone.number_format = "@"
        last = timezone.localtime(s.last_visited_at).strftime("%Y-%m-%d") if s.last_visited_at else ""
        sheet.append(
            [
                s.pk,
                s.person.name,
                "、".join(s.kind_labels),
                s.community.name,
                phone,
                _basis_text(s),
                s.cadence_days,
                last,
                s.due_on.strftime("%Y-%m-%d") if s.active else "",
                services.overdue_days(s, today) if s.active else "",
                "、".join(a.visitor.name for a in s.open_assignments),  # type: ignore[attr-defined]
                _("在册") if s.active else _("已销册"),
            ]
        )
        count += 1
    services.subjects_export_audit(
        count=count, filters=filters.as_audit(), by=Actor.from_request(request), now=timezone.now()
    )
    buffer = BytesIO()
    book.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = quote(f"{_('关爱对象')}-{stamp}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
