"""Reads: a point's schedule, the points an account manages or a resident may see, free slots,
appointments for a staff list and for a resident's 我的预约."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from tongxin.accounts.policies import OFFICE, TERRITORY, Action, grant_roots
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.trees import is_within, subtree_q
from tongxin.territory.models import Territory
from tongxin.workdays.calendar import WorkCalendar, work_calendar

from .models import Appointment, AppointmentStatus, ServicePoint
from .schedule import ClosedDay, Range, Schedule, local_zone


def staff_roots(user: Any, action: Action = Action.CHANGE) -> list[str]:
    """Territory nodes on which the account runs service points (office roles, subtree)."""
    return grant_roots(user, tree=TERRITORY, roles=OFFICE, action=action)


def managed_points(user: Any, action: Action = Action.CHANGE) -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(subtree_q(staff_roots(user, action), field="community__path"))


def may_manage(user: Any, point: ServicePoint, action: Action = Action.CHANGE) -> bool:
    if user is None:  # the system (demo data, commands)
        return True
    return is_within(point.community.path, staff_roots(user, action))


def point_for_staff(user: Any, pk: int | str, action: Action = Action.VIEW) -> ServicePoint:
    """Fetch-and-check: a missing point and one outside the account's scope look the same."""
    try:
        return managed_points(user, action).select_related("community").get(pk=pk)
    except (ServicePoint.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrForbidden(_not_found()) from None


def _not_found() -> str:
    from django.utils.translation import gettext as _

    return _("未找到该记录,或您无权查看。")


def holidays_between(start: date, end: date, calendar: WorkCalendar | None = None) -> dict[date, str]:
    """Public holidays (法定节假日) from the working-day calendar, with their names."""
    calendar = calendar or work_calendar()
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in calendar.year(year).holidays.items():
            if start <= day <= end:
                found[day] = name
    return found


def schedule_for(point: ServicePoint, *, today: date, calendar: WorkCalendar | None = None) -> Schedule:
    """The point's ranges, its closures from yesterday on, and (if it rests on them) the public
    holidays of the booking horizon."""
    horizon = today + timedelta(days=max(point.days_ahead, 14) + 1)
    # .all() and a filter here, not .filter(): a list page prefetches every point's closures.
    closures = [
        ClosedDay(c.starts_on, c.ends_on, c.reason)
        for c in point.closures.all()
        if c.ends_on >= today - timedelta(days=1) and c.starts_on <= horizon
    ]
    holidays = (
        holidays_between(today - timedelta(days=1), horizon, calendar) if point.closed_on_holidays else {}
    )
    ranges = [Range(h.weekday, h.opens, h.closes, h.kind) for h in point.hours.all()]
    return Schedule(ranges=ranges, closures=closures, holidays=holidays, slot_minutes=point.slot_minutes)


def local_day(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), local_zone())
    return start, start + timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    kind: str
    free: int

    @property
    def key(self) -> str:
        return self.starts_at.astimezone(local_zone()).strftime("%H%M")


def booked_during(point: ServicePoint, first: date, last: date) -> int:
    """Open bookings of the point from the day `first` to the day `last`, both included. Safe for
    any dates (no day after date.max is ever computed)."""
    zone = local_zone()
    return Appointment.objects.filter(
        point=point,
        status=AppointmentStatus.BOOKED,
        starts_at__gte=datetime.combine(first, time.min, zone),
        starts_at__lte=datetime.combine(last, time.max, zone),
    ).count()


def booked_spans(point: ServicePoint, day: date) -> list[tuple[datetime, datetime]]:
    """(start, end) of the open bookings that touch the day."""
    start, end = day_bounds(day)
    rows = Appointment.objects.filter(
        point=point, status=AppointmentStatus.BOOKED, starts_at__lt=end, ends_at__gt=start
    ).values_list("starts_at", "ends_at")
    return list(rows)


def taken_in(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> int:
    """Bookings overlapping [start, end): after a change of the slot length a booking made for
    09:30–10:00 still takes a place in the new 09:00–10:00 slot."""
    return sum(1 for s, e in spans if s < end and e > start)


def slots_for_day(point: ServicePoint, schedule: Schedule, day: date, *, now: datetime) -> list[Slot]:
    """The day's slots a resident may still book: far enough ahead, within the horizon (from today
    to the point's days ahead; other days have none), with room."""
    earliest = now + timedelta(minutes=point.notice_minutes)
    today = local_day(now)
    if not today <= day <= today + timedelta(days=point.days_ahead):
        return []
    spans = booked_spans(point, day)
    slots = []
    for start, end, kind in schedule.slots_on(day):
        free = point.slot_capacity - taken_in(spans, start, end)
        if start >= earliest and free > 0:
            slots.append(Slot(start, end, kind, free))
    return slots


def appointments_for_person(person_id: int) -> QuerySet[Appointment]:
    return Appointment.objects.filter(person_id=person_id).select_related("point")


def appointments_for_staff(user: Any) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        subtree_q(staff_roots(user, Action.VIEW), field="point__community__path")
    ).select_related("point", "person", "handled_by")


def public_points(*, community_path: str = "", query: str = "") -> QuerySet[ServicePoint]:
    points = ServicePoint.objects.filter(active=True).select_related("community")
    if community_path:
        # Where someone lives (a grid, a community): her community's points and her street's.
        step = Territory.steplen
        places = {community_path[: 3 * step], community_path[: 2 * step]}
        points = points.filter(community__path__in=places)
    if query:
        points = points.filter(Q(name__icontains=query) | Q(community__name__icontains=query))
    return points.order_by("community__path", "name")
