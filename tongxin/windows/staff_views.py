"""Staff pages: the points of the account's scope, a point's settings, hours and closures, the
appointment list (today's by default; filters, pages, Excel with masked phones, audited), done /
no-show / cancel, and booking on behalf of a caller."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import wraps
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from tongxin.accounts.pages import staff_page as shared_staff_page
from tongxin.accounts.policies import Action, visible
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.masking import mask_mobile
from tongxin.core.trees import subtree_q
from tongxin.core.validators import normalize_mobile, parse_row_id
from tongxin.people.models import Person
from tongxin.people.services import mobile_index
from tongxin.territory.models import Territory

from .forms import AppointmentFilter, ClosureForm, HoursForm, PointForm
from .mobile_views import hours_table
from .models import Appointment, AppointmentStatus, ServicePoint
from .schedule import local_zone
from .selectors import (
    appointments_for_staff,
    booked_during,
    day_bounds,
    local_day,
    managed_points,
    may_manage,
    point_for_staff,
    schedule_for,
    slots_for_day,
    staff_roots,
)
from .services import (
    POINT_LEVELS,
    PointData,
    WindowError,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    closure_add,
    closure_remove,
    opening_hours_add,
    opening_hours_remove,
    point_save,
)

View = Callable[..., HttpResponse]
POINTS_PER_PAGE = 20
APPOINTMENTS_PER_PAGE = 30
EXPORT_LIMIT = 10000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_page(view: View) -> View:
    """The shared staff gate, and no office grant over a community is "not there" too."""

    @wraps(view)
    def in_scope(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not staff_roots(request.user, Action.VIEW):
            raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
        return view(request, *args, **kwargs)

    return shared_staff_page(in_scope)


def _communities(user: Any) -> QuerySet[Territory]:
    return Territory.objects.filter(
        subtree_q(staff_roots(user, Action.CREATE)), level__in=POINT_LEVELS
    ).order_by("path")


def _refuse(form: Any, refusal: WindowError) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


@staff_page
def point_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    query = request.GET.get("q", "").strip()[:50]
    points = managed_points(request.user, Action.VIEW).select_related("community")
    if query:
        points = points.filter(Q(name__icontains=query) | Q(community__name__icontains=query))
    start, end = day_bounds(local_day(now))
    points = points.annotate(
        today=Count(
            "appointments",
            filter=Q(
                appointments__starts_at__gte=start,
                appointments__starts_at__lt=end,
                appointments__status=AppointmentStatus.BOOKED,
            ),
        )
    ).order_by("community__path", "name")
    page = Paginator(points.prefetch_related("hours", "closures"), POINTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {"point": p, "status": schedule_for(p, today=local_day(now)).status_at(now)} for p in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "may_create": _communities(request.user).exists(),
    }
    return render(request, "windows/staff/points.html", context)


def _point_data(data: dict[str, Any]) -> PointData:
    return PointData(
        community=data["community"],
        name=data["name"],
        kind=data["kind"],
        address=data["address"],
        phone=data.get("phone", ""),
        matters=tuple(data["matters"].splitlines()),
        active=bool(data.get("active")),
        closed_on_holidays=bool(data.get("closed_on_holidays")),
        slot_minutes=data["slot_minutes"],
        slot_capacity=data["slot_capacity"],
        days_ahead=data["days_ahead"],
        notice_minutes=data["notice_minutes"],
    )


def _point_form_page(request: HttpRequest, point: ServicePoint | None) -> HttpResponse:
    communities = _communities(request.user)
    if not communities.exists():
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    initial = PointForm.initial_from(point) if point else {}
    form = PointForm(request.POST or None, communities=communities, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = point_save(
                    data=_point_data(form.cleaned_data),
                    point=point,
                    by=Actor.from_request(request),
                    now=timezone.now(),
                )
            except WindowError as refusal:
                _refuse(form, refusal)
            else:
                messages.success(request, _("已保存服务点“%(name)s”。") % {"name": saved.name})
                return redirect("windows:point_hours", pk=saved.pk)
    return render(request, "windows/staff/point_form.html", {"form": form, "point": point}, status=status)


@staff_page
def point_new(request: HttpRequest) -> HttpResponse:
    return _point_form_page(request, None)


@staff_page
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _point_form_page(request, point_for_staff(request.user, pk, Action.CHANGE))


@staff_page
def point_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """The point's week and its closures, each with an add form; a refusal keeps what was typed."""
    point = point_for_staff(request.user, pk)
    now = timezone.now()
    hours_form = HoursForm(request.POST if request.POST.get("form") == "hours" else None)
    closure_form = ClosureForm(request.POST if request.POST.get("form") == "closure" else None)
    status = 200
    if request.method == "POST":
        status = 400
        by = Actor.from_request(request)
        try:
            if request.POST.get("form") == "hours" and hours_form.is_valid():
                d = hours_form.cleaned_data
                opening_hours_add(
                    point=point,
                    weekday=d["weekday"],
                    opens=d["opens"],
                    closes=d["closes"],
                    kind=d["kind"],
                    by=by,
                    now=now,
                )
                messages.success(request, _("已添加时段。"))
                return redirect("windows:point_hours", pk=point.pk)
            if request.POST.get("form") == "closure" and closure_form.is_valid():
                d = closure_form.cleaned_data
                closure_add(
                    point=point,
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    reason=d["reason"],
                    by=by,
                    now=now,
                )
                messages.success(request, _("已登记闭馆日。"))
                # Bookings already made for those days stay: staff call or cancel them with a reason.
                waiting = booked_during(point, d["starts_on"], d["ends_on"])
                if waiting:
                    messages.warning(
                        request,
                        _("闭馆期间已有%(n)d个预约,请在预约列表中联系居民或取消并说明原因。")
                        % {"n": waiting},
                    )
                return redirect("windows:point_hours", pk=point.pk)
        except WindowError as refusal:
            _refuse(hours_form if request.POST.get("form") == "hours" else closure_form, refusal)
    point = point_for_staff(request.user, pk)
    schedule = schedule_for(point, today=local_day(now))
    context = {
        "point": point,
        "hours": point.hours.all(),
        "table": hours_table(schedule),
        "status": schedule.status_at(now),
        "closures": point.closures.filter(ends_on__gte=local_day(now)),
        "hours_form": hours_form,
        "closure_form": closure_form,
        "may_change": may_manage(request.user, point, Action.CHANGE),
    }
    return render(request, "windows/staff/point_hours.html", context, status=status)


@require_POST
@staff_page
def hours_remove(request: HttpRequest, pk: int, hours_pk: int) -> HttpResponse:
    point = point_for_staff(request.user, pk, Action.CHANGE)
    hours = point.hours.filter(pk=hours_pk).first()
    if hours is None:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    opening_hours_remove(hours=hours, by=Actor.from_request(request), now=timezone.now())
    messages.success(request, _("已删除时段。已有的预约不受影响,如需取消请在预约列表中操作。"))
    return redirect("windows:point_hours", pk=point.pk)


@require_POST
@staff_page
def closure_delete(request: HttpRequest, pk: int, closure_pk: int) -> HttpResponse:
    point = point_for_staff(request.user, pk, Action.CHANGE)
    closure = point.closures.filter(pk=closure_pk).first()
    if closure is None:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    closure_remove(closure=closure, by=Actor.from_request(request), now=timezone.now())
    messages.success(request, _("已撤销闭馆日。"))
    return redirect("windows:point_hours", pk=point.pk)


# --- appointments ---------------------------------------------------------------------------


def _filtered(request: HttpRequest, form: AppointmentFilter, now: datetime) -> QuerySet[Appointment]:
    rows = appointments_for_staff(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    when = data.get("when") or "today"
    start, end = day_bounds(local_day(now))
    if when == "today":
        rows = rows.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk")
    elif when == "upcoming":
        rows = rows.filter(starts_at__gte=start).order_by("starts_at", "pk")
    elif when == "past":
        rows = rows.filter(starts_at__lt=start).order_by("-starts_at", "pk")
    else:
        rows = rows.order_by("-starts_at", "pk")
    if data.get("point"):
        rows = rows.filter(point=data["point"])
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if data.get("q"):
        rows = rows.filter(person__name__icontains=data["q"])
    return rows


def _row(a: Appointment) -> dict[str, Any]:
    start = a.starts_at.astimezone(local_zone())
    return {
        "a": a,
        "when": f"{start:%Y-%m-%d %H:%M}–{a.ends_at.astimezone(local_zone()):%H:%M}",
        "phone": mask_mobile(a.person.mobile) if a.person.mobile else "",
    }


@staff_page
def appointment_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    points = managed_points(request.user, Action.VIEW).order_by("community__path", "name")
    form = AppointmentFilter(request.GET or {"when": "today"}, points=points)
    rows = _filtered(request, form, now)
    if request.GET.get("export") == "xlsx":
        return _export(request, rows)
    page = Paginator(rows, APPOINTMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_row(a) for a in page.object_list],
        "today": local_day(now),
        "now": now,
        "query": query.urlencode(),
        "may_book": points.exists(),
    }
    return render(request, "windows/staff/appointments.html", context)


def _export(request: HttpRequest, rows: QuerySet[Appointment]) -> HttpResponse:
    """The filtered list as .xlsx: phones masked (the list's own view of them), audited."""
    if not staff_roots(request.user, Action.EXPORT):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(_("预约")))
    sheet.append(
        [
            str(h)
            for h in (
                _("时间"),
                _("服务点"),
                _("预约人"),
                _("手机号"),
                _("办理事项"),
                _("渠道"),
                _("状态"),
                _("备注"),
            )
        ]
    )
    count = 0
    for a in rows[:EXPORT_LIMIT].iterator(chunk_size=500):
        r = _row(a)
        sheet.append(
            [r["when"], a.point.name, a.person.name, r["phone"], a.matter, a.get_channel_display(),
             a.get_status_display(), a.note]
        )  # fmt: skip
        count += 1
    buffer = BytesIO()
    book.save(buffer)
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        object_type="windows.appointment",
        detail={"rows": count, "filters": {k: v[:50] for k, v in request.GET.items() if k != "export"}},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = quote(f"{_('服务窗口预约')}-{stamp}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


def _staff_appointment(user: Any, pk: int) -> Appointment:
    appointment = appointments_for_staff(user).filter(pk=pk).first()
    if appointment is None:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    return appointment


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list as it was filtered (its query string rides along in the form)."""
    query = request.POST.get("back", "").lstrip("?")
    return redirect(f"{_list_url()}?{query}" if query else _list_url())


@require_POST
@staff_page
def appointment_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _staff_appointment(request.user, pk)
    try:
        appointment_mark(
            appointment=appointment,
            outcome=request.POST.get("outcome", ""),
            by=Actor.from_request(request),
            now=timezone.now(),
        )
    except WindowError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已登记:%(name)s。") % {"name": appointment.person.name})
    return _back(request)


@require_POST
@staff_page
def appointment_staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _staff_appointment(request.user, pk)
    try:
        appointment_cancel(
            appointment=appointment,
            reason=request.POST.get("reason", ""),
            by=Actor.from_request(request),
            now=timezone.now(),
        )
    except WindowError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已取消预约,并已短信告知居民。"))
    return _back(request)


@staff_page
def person_search(request: HttpRequest) -> HttpResponse:
    """Registered persons in the account's scope, by part of the name or the full mobile."""
    query = request.GET.get("pq", "").strip()[:50]
    persons = visible(request.user, Person).select_related("residence")
    found: list[dict[str, Any]] = []
    if query:
        try:
            matched = persons.filter(mobile_index=mobile_index(normalize_mobile(query)))
        except ValidationError:
            matched = persons.filter(name__icontains=query)
        found = [
            {"p": p, "phone": mask_mobile(p.mobile) if p.mobile else ""}
            for p in matched.order_by("name_sort", "pk")[:8]
        ]
    return render(request, "windows/staff/_persons.html", {"persons": found, "query": query})


def _parse_day(raw: str, today: date) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return today


@staff_page
def appointment_new(request: HttpRequest) -> HttpResponse:
    """代约: a caller on the phone or at the counter. Pick the point and day, find the person,
    the matter and a free time; the same service and rules as the phone."""
    now = timezone.now()
    today = local_day(now)
    points = (
        managed_points(request.user, Action.CREATE)
        .select_related("community")
        .order_by("community__path", "name")
    )
    if not points.exists():
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    source = request.POST if request.method == "POST" else request.GET
    raw_point = source.get("point", "")
    point_pk = parse_row_id(raw_point)
    if not raw_point:
        point = points.first()
    else:
        point = points.filter(pk=point_pk).first() if point_pk is not None else None
    if point is None:  # a point that is missing or not the account's: the same 404
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    day = max(_parse_day(source.get("day", ""), today), today)
    schedule = schedule_for(point, today=today)
    slots = slots_for_day(point, schedule, day, now=now)
    errors: dict[str, str] = {}
    chosen_person = None
    status = 200
    if request.method == "POST":
        status = 400
        person_pk = parse_row_id(request.POST.get("person", ""))
        chosen_person = visible(request.user, Person).filter(pk=person_pk).first() if person_pk else None
        slot = next((s for s in slots if s.key == request.POST.get("t", "")), None)
        if chosen_person is None:
            errors["person"] = _("请从搜索结果中选择预约人。")
        elif slot is None:
            errors["t"] = _("请选择一个还有空位的时间。")
        else:
            try:
                appointment_book(
                    point=point,
                    person=chosen_person,
                    matter=request.POST.get("matter", ""),
                    starts_at=slot.starts_at,
                    note=request.POST.get("note", ""),
                    by=Actor.from_request(request),
                    now=now,
                )
            except WindowError as refusal:
                errors[refusal.field or "t"] = str(refusal.message)
            else:
                messages.success(
                    request,
                    _("已为%(name)s预约%(when)s,已短信告知。")
                    % {
                        "name": chosen_person.name,
                        "when": f"{slot.starts_at.astimezone(local_zone()):%m-%d %H:%M}",
                    },
                )
                return redirect(f"{_list_url()}?when=upcoming&point={point.pk}")
    context = {
        "points": points,
        "point": point,
        "day": day,
        "today": today,
        "max_day": today + timedelta(days=point.days_ahead),
        "closed": schedule.closed_reason(day),
        "slots": slots,
        "errors": errors,
        "person": chosen_person,
        "person_phone": mask_mobile(chosen_person.mobile) if chosen_person and chosen_person.mobile else "",
        "post": request.POST if request.method == "POST" else {},
    }
    return render(request, "windows/staff/appointment_new.html", context, status=status)


def _list_url() -> str:
    return reverse("windows:appointments")
