"""What the organiser uses at and after the venue: the full-screen QR code (renewed every minute),
the printable paper sign-in sheet (PDF with the same slot's QR), the page where the paper's times
are entered afterwards, and the roster as an Excel file. Exports are audited."""

from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor

from .. import qr, services
from ..forms import PaperFormSet, local
from ..models import SignUp, SignUpStatus, Slot
from ..services import ActivityError
from ..services.common import hm
from .common import staff_page
from .staff import roster_rows, slot_for_organiser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_BLANK_ROWS = 6


def scan_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("activities:scan", args=[token]))


@staff_page
def slot_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """Full screen at the venue; the page fetches a fresh code every minute (?part=live)."""
    slot = slot_for_organiser(request.user, pk)
    now = timezone.now()
    url = scan_url(request, qr.live_token(slot, now=now))
    opens, closes = services.checkin_window(slot)
    checked_in = SignUp.objects.filter(slot=slot, checked_in_at__isnull=False).count()
    confirmed = SignUp.objects.filter(slot=slot, status=SignUpStatus.CONFIRMED).count()
    template = (
        "activities/staff/_qr_live.html" if request.GET.get("part") == "live" else "activities/staff/qr.html"
    )
    return render(
        request,
        template,
        {
            "slot": slot,
            "activity": slot.activity,
            "svg": qr.qr_svg(url),
            "scan_url": url,
            "refresh": qr.REFRESH_SECONDS,
            "opens": opens,
            "closes": closes,
            "checked_in": checked_in,
            "confirmed": confirmed,
            "now": now,
        },
    )


def _audit_export(request: HttpRequest, slot: Slot, *, kind: str, rows: int) -> None:
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        target=slot,
        object_repr=f"{slot.activity.title} {kind}"[:200],
        detail={"kind": kind, "rows": rows, "rows_in_clear": 0},
    )


def _filename(slot: Slot, suffix: str) -> str:
    stamp = timezone.localtime(slot.starts_at).strftime("%Y%m%d-%H%M")
    return quote(f"{slot.activity.title}-{stamp}-{suffix}")


@staff_page
def slot_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper sign-in sheet: A4, names with masked phones, blank columns to fill in by hand,
    and the slot's paper QR (valid in the check-in window, like the live one)."""
    from weasyprint import HTML

    slot = slot_for_organiser(request.user, pk)
    rows = [r for r in roster_rows(slot) if r["s"].status in (SignUpStatus.CONFIRMED, SignUpStatus.NO_SHOW)]
    opens, closes = services.checkin_window(slot)
    html = render_to_string(
        "activities/staff/sheet.html",
        {
            "slot": slot,
            "activity": slot.activity,
            "rows": rows,
            "blanks": range(SHEET_BLANK_ROWS),
            "svg": qr.qr_svg(scan_url(request, qr.sheet_token(slot)), scale=4),
            "opens": opens,
            "closes": closes,
        },
        request=request,
    )
    buffer = BytesIO()
    HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(buffer)
    _audit_export(request, slot, kind="sheet", rows=len(rows))
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    name = _filename(slot, _("签到表"))
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}.pdf"
    return response


@staff_page
@require_POST
def slot_export(request: HttpRequest, pk: int) -> HttpResponse:
    slot = slot_for_organiser(request.user, pk)
    book = Workbook()
    sheet = book.active
    sheet.title = _("报名名单")[:31]
    headers = [
        _("姓名"),
        _("手机号"),
        _("状态"),
        _("候补位次"),
        _("签到时间"),
        _("签退时间"),
        _("签到方式"),
        _("服务时长(分钟)"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = roster_rows(slot)
    for row in rows:
        s = row["s"]
        sheet.append(
            [
                s.person.name,
                row["phone"],
                s.get_status_display(),
                row["position"] or "",
                timezone.localtime(s.checked_in_at).strftime("%Y-%m-%d %H:%M") if s.checked_in_at else "",
                timezone.localtime(s.checked_out_at).strftime("%Y-%m-%d %H:%M") if s.checked_out_at else "",
                s.get_check_method_display() if s.check_method else "",
                s.recorded_minutes if s.recorded_minutes is not None else "",
            ]
        )
    for letter, width in zip("ABCDEFGH", (12, 16, 10, 10, 18, 18, 14, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = BytesIO()
    book.save(buffer)
    _audit_export(request, slot, kind="roster", rows=len(rows))
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = _filename(slot, _("名单"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}.xlsx"
    return response


def _paper_rows(slot: Slot) -> list[SignUp]:
    return list(
        SignUp.objects.filter(slot=slot, status__in=(SignUpStatus.CONFIRMED, SignUpStatus.NO_SHOW))
        .select_related("person")
        .order_by("person__name_sort", "pk")
    )


def _initial(signup: SignUp) -> dict[str, Any]:
    return {
        "signup_id": signup.pk,
        "checked_in": timezone.localtime(signup.checked_in_at).time() if signup.checked_in_at else None,
        "checked_out": timezone.localtime(signup.checked_out_at).time() if signup.checked_out_at else None,
    }


@staff_page
def slot_paper(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper sheet's times, entered afterwards; all rows saved together or none."""
    slot = slot_for_organiser(request.user, pk)
    signups = _paper_rows(slot)
    by_id = {s.pk: s for s in signups}
    initial = [_initial(s) for s in signups]
    formset = PaperFormSet(request.POST or None, initial=initial, prefix="paper")
    status = 200
    if request.method == "POST":
        status = 400
        if formset.is_valid():
            try:
                saved = _save_paper(request, slot, formset, by_id)
            except ActivityError as refusal:
                formset._non_form_errors = formset.error_class([refusal.message])  # type: ignore[attr-defined]
            else:
                messages.success(request, _("已补录%(n)d人的签到签退时间。") % {"n": saved})
                return redirect("activities:roster", pk=slot.pk)
    day = timezone.localtime(slot.starts_at).date()
    opens, closes = services.checkout_window(slot)
    rows = [(form, by_id.get(form.initial.get("signup_id") or 0)) for form in formset.forms]
    return render(
        request,
        "activities/staff/paper.html",
        {
            "slot": slot,
            "activity": slot.activity,
            "formset": formset,
            "rows": rows,
            "day": day,
            "opens": hm(opens),
            "closes": hm(closes),
        },
        status=status,
    )


def _save_paper(request: HttpRequest, slot: Slot, formset: Any, by_id: dict[int, SignUp]) -> int:
    by, now = Actor.from_request(request), timezone.now()
    day = timezone.localtime(slot.starts_at).date()
    saved = 0
    with transaction.atomic():
        for form in formset.forms:
            data = form.cleaned_data
            signup = by_id.get(data.get("signup_id") or 0)
            if signup is None or not data.get("checked_in"):
                continue
            checked_in, checked_out = local(day, data["checked_in"]), local(day, data["checked_out"])
            if _same_minute(signup.checked_in_at, checked_in) and _same_minute(
                signup.checked_out_at, checked_out
            ):
                continue
            try:
                services.signup_enter_paper(
                    signup=signup, checked_in_at=checked_in, checked_out_at=checked_out, by=by, now=now
                )
            except ActivityError as refusal:
                raise ActivityError(f"{signup.person.name}:{refusal.message}") from None
            saved += 1
    return saved


def _same_minute(stored: Any, entered: Any) -> bool:
    return stored is not None and hm(stored) == hm(entered)
