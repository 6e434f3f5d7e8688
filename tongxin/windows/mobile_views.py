"""Phone pages: the service points (public, with "现在开放" / "今晚18:00开放"), a point's hours,
booking in big steps (事项 → 日期 → 时间 → 确认), and 我的预约 with cancel."""

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.validators import parse_row_id
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.workdays.calendar import work_calendar

from .models import WEEKDAY_NAMES, Appointment, AppointmentStatus, Closure, HoursKind, ServicePoint
from .schedule import EVENING, Schedule, local_zone
from .selectors import appointments_for_person, local_day, public_points, schedule_for, slots_for_day
from .services import POINT_LEVELS, WindowError, appointment_book, appointment_cancel

POINTS_PER_PAGE = 10
MINE_PER_PAGE = 10
NOON = 12


def _person(request: HttpRequest) -> Person | None:
    person_id = getattr(request.user, "person_id", None)
    return Person.objects.select_related("residence").filter(pk=person_id).first() if person_id else None


def _with_schedule(points: list[ServicePoint], now: datetime) -> list[dict[str, Any]]:
    calendar = work_calendar()
    today = local_day(now)
    rows = []
    for point in points:
        schedule = schedule_for(point, today=today, calendar=calendar)
        rows.append({"point": point, "status": schedule.status_at(now), "schedule": schedule})
    return rows


def _prefetched(points: Any) -> Any:
    return points.prefetch_related(
        "hours", Prefetch("closures", queryset=Closure.objects.order_by("starts_on"))
    )


@never_cache
def point_list(request: HttpRequest) -> HttpResponse:
    """Public: anyone may see where and when the windows are open. `?c=<community>` shows that
    community's points and its street's (a link from a community's own page); a signed-in
    resident sees her own community's first; "全部" or a search shows the rest."""
    now = timezone.now()
    query = request.GET.get("q", "").strip()[:50]
    chosen = parse_row_id(request.GET.get("c", ""))
    home = Territory.objects.filter(pk=chosen, level__in=POINT_LEVELS).first() if chosen else None
    if home is None and request.user.is_authenticated:
        person = _person(request)
        home = person.residence if person and person.residence else None
    if home is not None and len(home.path) > 3 * home.steplen:  # a grid: name its community
        home = Territory.objects.filter(path=home.path[: 3 * home.steplen]).first() or home
    mine = bool(home) and not query and request.GET.get("all") != "1"
    points = public_points(community_path=home.path if (mine and home) else "", query=query)
    page = Paginator(_prefetched(points), POINTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": _with_schedule(list(page.object_list), now),
        "query": query,
        "mine": mine,
        "home": home,
        "linked": bool(chosen) and home is not None,
    }
    return render(request, "windows/m/points.html", context)


def _public_point(pk: int) -> ServicePoint:
    point = _prefetched(ServicePoint.objects.filter(active=True, pk=pk).select_related("community")).first()
    if point is None:
        raise Http404
    return point


def hours_table(schedule: Schedule) -> list[dict[str, Any]]:
    """One row per weekday: its ranges, evenings and weekends marked for the eye."""
    rows = []
    for weekday, name in enumerate(WEEKDAY_NAMES):
        ranges = [
            {
                "text": f"{r.opens:%H:%M}–{r.closes:%H:%M}",
                "booking": r.kind == HoursKind.BOOKING,
                "evening": r.closes > EVENING,
            }
            for r in schedule.by_day[weekday]
        ]
        rows.append({"name": name, "weekend": weekday >= 5, "ranges": ranges})
    return rows


@never_cache
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    point = _public_point(pk)
    row = _with_schedule([point], now)[0]
    closures = [c for c in point.closures.all() if c.ends_on >= local_day(now)][:5]
    context = {**row, "hours": hours_table(row["schedule"]), "closures": closures}
    return render(request, "windows/m/point.html", context)


def _parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _days(point: ServicePoint, schedule: Schedule, now: datetime) -> list[dict[str, Any]]:
    today = local_day(now)
    days = []
    for offset in range(point.days_ahead + 1):
        day = today + timedelta(days=offset)
        closed = schedule.closed_reason(day)
        slots = [] if closed else slots_for_day(point, schedule, day, now=now)
        if not closed and not schedule.ranges_on(day):
            continue  # a day without hours is simply not offered
        days.append(
            {
                "day": day,
                "weekday": WEEKDAY_NAMES[day.weekday()],
                "closed": closed,
                "free": len(slots),
                "evening": any(s.starts_at.astimezone(local_zone()).time() >= EVENING for s in slots),
                "weekend": day.weekday() >= 5,
                "today": day == today,
            }
        )
    return days


def _periods(slots: list[Any]) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {_("上午"): [], _("下午"): [], _("晚上"): []}
    keys = list(groups)
    for slot in slots:
        clock = slot.starts_at.astimezone(local_zone()).time()
        groups[keys[0] if clock.hour < NOON else keys[2] if clock >= EVENING else keys[1]].append(slot)
    return [(name, items) for name, items in groups.items() if items]


@never_cache
@login_required(login_url="mobile:login")
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """One page, four steps, each a choice of big buttons carried in the query string; the last
    step posts. A refusal (the slot just filled up) shows the times again with the reason."""
    now = timezone.now()
    point = _public_point(pk)
    person = _person(request)
    if person is None:
        return render(request, "windows/m/no_person.html", status=403)
    source = request.POST if request.method == "POST" else request.GET
    matter_index = source.get("m", "")
    index = parse_row_id(matter_index)  # ASCII digits only: "²".isdigit() but int("²") fails
    matter = point.matters[index] if index is not None and index < len(point.matters) else ""
    day = _parse_day(source.get("day", "")) if matter else None
    error = ""
    today = local_day(now)
    if day is not None and not today <= day <= today + timedelta(days=point.days_ahead):
        error = _("只能预约今天起%(n)d天内的日期,请重新选择。") % {"n": point.days_ahead}
        day = None
    schedule = schedule_for(point, today=today)
    slots = slots_for_day(point, schedule, day, now=now) if day else []
    chosen = next((s for s in slots if s.key == source.get("t", "")), None)
    status = 200
    if request.method == "POST":
        if chosen is None:
            error = _("这个时间已经约不上了(可能刚刚约满),请选择其他时间。")
            status = 400
        else:
            try:
                appointment_book(
                    point=point,
                    person=person,
                    matter=matter,
                    starts_at=chosen.starts_at,
                    by=Actor.from_request(request),
                    now=now,
                    note=request.POST.get("note", ""),
                )
            except WindowError as refusal:
                error = str(refusal.message)
                status = 400
                chosen = None
                slots = slots_for_day(point, schedule, day, now=now) if day else []
            else:
                messages.success(request, _("预约成功!我们会在前一天晚上提醒您。"))
                return redirect("windows:my_appointments")
    step = "matter" if not matter else "day" if not day else "time" if not chosen else "confirm"
    context = {
        "point": point,
        "step": step,
        "matters": list(enumerate(point.matters)),
        "m": matter_index,
        "matter": matter,
        "day": day,
        "weekday": WEEKDAY_NAMES[day.weekday()] if day else "",
        "days": _days(point, schedule, now) if step == "day" else [],
        "periods": _periods(slots) if step == "time" else [],
        "chosen": chosen,
        "error": error,
    }
    return render(request, "windows/m/book.html", context, status=status)


@never_cache
@login_required(login_url="mobile:login")
def my_appointments(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if person is None:
        return render(request, "windows/m/no_person.html", status=403)
    now = timezone.now()
    mine = appointments_for_person(person.pk)
    upcoming = list(mine.filter(status=AppointmentStatus.BOOKED, ends_at__gt=now).order_by("starts_at"))
    past = mine.exclude(pk__in=[a.pk for a in upcoming]).order_by("-starts_at")
    page = Paginator(past, MINE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"upcoming": upcoming, "page": page, "now": now}
    return render(request, "windows/m/mine.html", context)


@require_POST
@login_required(login_url="mobile:login")
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    person_id = getattr(request.user, "person_id", None)
    appointment = Appointment.objects.filter(pk=pk, person_id=person_id).first() if person_id else None
    if appointment is None:
        raise Http404
    try:
        appointment_cancel(appointment=appointment, by=Actor.from_request(request), now=timezone.now())
    except NotFoundOrForbidden:
        raise Http404 from None
    except WindowError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已取消预约。"))
    return redirect("windows:my_appointments")
