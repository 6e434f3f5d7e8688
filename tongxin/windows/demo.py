"""Demo service windows: a 党群服务中心 per street or town and a 党群服务站 per community or village,
each with a staggered week (evenings, weekends, 预约服务 slots), a closure here and there, and
appointments in the past (done, no-show, cancelled) and ahead; the demo resident has one ahead.
Everything through the services, so each row is validated, audited and evented like a real one.

    seed_windows(*, now, seed=0, scale=1.0) -> dict[str, int]"""

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction

from tongxin.accounts.models import User
from tongxin.core.actor import Actor
from tongxin.core.trees import subtree_q
from tongxin.people.models import Person
from tongxin.territory.models import Territory, TerritoryLevel

from .models import AppointmentStatus, HoursKind, PointKind, ServicePoint
from .schedule import local_zone
from .selectors import local_day, schedule_for, slots_for_day
from .services import (
    PointData,
    WindowError,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    closure_add,
    opening_hours_add,
    point_save,
)

OPEN, BOOK = HoursKind.OPEN, HoursKind.BOOKING
WEEKDAYS = range(5)
CENTER_WEEK = [
    *[(d, time(8, 30), time(12), OPEN) for d in WEEKDAYS],
    *[(d, time(13, 30), time(17, 30), OPEN) for d in WEEKDAYS],
    (1, time(18), time(20, 30), OPEN),
    (3, time(18), time(20, 30), OPEN),
    (5, time(9), time(16), OPEN),
    (6, time(9), time(12), BOOK),
]
STATION_WEEKS = (
    # Office hours, a Wednesday evening by appointment, Saturday morning.
    [
        *[(d, time(9), time(11, 30), OPEN) for d in WEEKDAYS],
        *[(d, time(14), time(17), OPEN) for d in WEEKDAYS],
        (2, time(18), time(20), BOOK),
        (5, time(9), time(11, 30), OPEN),
    ],
    # Tuesday to Saturday (rests on Monday), Monday and Thursday evenings by appointment.
    [
        *[(d, time(9), time(12), OPEN) for d in range(1, 6)],
        *[(d, time(13), time(17), OPEN) for d in range(1, 6)],
        (0, time(18, 30), time(20, 30), BOOK),
        (3, time(18, 30), time(20, 30), BOOK),
    ],
    # Afternoon-to-evening shift for those at work all day, Sunday morning.
    [*[(d, time(13), time(20), OPEN) for d in WEEKDAYS], (6, time(9), time(12), OPEN)],
)
CENTER_MATTERS = (
    "社保卡办理", "老年证", "居住证明", "党组织关系转接", "就业登记", "医保参保", "残疾人证咨询", "法律咨询",
)  # fmt: skip
STATION_MATTERS = ("老年证", "居住证明", "社保卡办理", "独生子女证明", "高龄津贴申请", "法律咨询")
ROADS = ("长阳路", "杨树浦路", "平凉路", "控江路", "宁国路", "许昌路", "隆昌路", "松潘路")
BOOKED_POINTS_MAX = 40
CANCEL_REASONS = ("居民来电取消", "工作人员外出培训,已电话改约", "居民已在线上办理")


def _point(
    community: Territory, kind: str, name: str, week: list[Any], rng: random.Random, by: Actor, now: datetime
) -> ServicePoint:
    center = kind == PointKind.CENTER
    data = PointData(
        community=community,
        name=name,
        kind=kind,
        address=f"{rng.choice(ROADS)}{rng.randint(10, 999)}号",
        phone=f"021-6{rng.randint(1000000, 9999999)}",
        matters=CENTER_MATTERS if center else STATION_MATTERS,
        slot_minutes=30 if center else 20,
        slot_capacity=3 if center else 1,
        days_ahead=14,
        notice_minutes=120,
    )
    point = point_save(data=data, by=by, now=now)
    for weekday, opens, closes, hours_kind in week:
        opening_hours_add(
            point=point, weekday=weekday, opens=opens, closes=closes, kind=hours_kind, by=by, now=now
        )
    return point


def _residents(community: Territory, rng: random.Random, limit: int) -> list[Person]:
    persons = list(
        Person.objects.filter(subtree_q([community.path], field="residence__path"))
        .exclude(mobile_index="")
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    picked = rng.sample(persons, min(limit, len(persons)))
    return list(Person.objects.filter(pk__in=picked).order_by("pk"))


def _book_random(
    point: ServicePoint, person: Person, day_offset: int, rng: random.Random, by: Actor, now: datetime
) -> Any:
    """A booking on the day `day_offset` from now (negative: in the past, booked then)."""
    zone = local_zone()
    day = local_day(now) + timedelta(days=day_offset)
    booked_at = (
        now if day_offset >= 1 else datetime.combine(day - timedelta(days=2), time(20), zone)
    )  # a past booking was made two evenings before
    schedule = schedule_for(point, today=local_day(booked_at))
    slots = slots_for_day(point, schedule, day, now=booked_at)
    if not slots:
        return None
    slot = rng.choice(slots)
    try:
        return appointment_book(
            point=point,
            person=person,
            matter=rng.choice(point.matters),
            starts_at=slot.starts_at,
            by=by,
            now=booked_at,
        )
    except WindowError:
        return None


def _close_past(appointment: Any, rng: random.Random, by: Actor) -> str:
    after = appointment.starts_at + timedelta(minutes=20)
    roll = rng.random()
    if roll < 0.1:
        appointment_cancel(
            appointment=appointment,
            reason=rng.choice(CANCEL_REASONS),
            by=by,
            now=appointment.starts_at - timedelta(hours=3),
        )
        return AppointmentStatus.CANCELLED
    outcome = AppointmentStatus.NO_SHOW if roll < 0.2 else AppointmentStatus.DONE
    appointment_mark(appointment=appointment, outcome=outcome, by=by, now=after)
    return outcome


def _demo_resident_booking(by: Actor, now: datetime) -> int:
    """The demo resident books, on her own phone, the first evening slot (or else any slot) of
    her community's station or her street's centre."""
    user = User.objects.filter(username="demo_resident").select_related("person__residence").first()
    if user is None or user.person is None or user.person.residence is None:
        return 0
    home = user.person.residence
    step = Territory.steplen
    places = [home.path[: 3 * step], home.path[: 2 * step]]
    points = ServicePoint.objects.filter(community__path__in=places).order_by("-community__depth")
    actor = Actor(user=user, label=user.username)
    for evening_only in (True, False):
        for point in points:
            schedule = schedule_for(point, today=local_day(now))
            for offset in range(1, point.days_ahead):
                slots = slots_for_day(point, schedule, local_day(now) + timedelta(days=offset), now=now)
                if evening_only:
                    slots = [s for s in slots if s.starts_at.astimezone(local_zone()).time() >= time(18)]
                for slot in slots[:1]:
                    try:
                        appointment_book(
                            point=point,
                            person=user.person,
                            matter=point.matters[1 % len(point.matters)],
                            starts_at=slot.starts_at,
                            by=actor,
                            now=now,
                            note="想顺便问一下高龄津贴",
                        )
                    except WindowError:
                        continue
                    return 1
    return 0


def seed_windows(*, now: datetime, seed: int = 0, scale: float = 1.0) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    by = Actor.system("demo")
    counts = {"service points": 0, "opening hours": 0, "closures": 0, "appointments": 0}
    per_point_past = max(1, round(8 * scale))
    per_point_ahead = max(1, round(4 * scale))
    with transaction.atomic():
        streets = Territory.objects.filter(level__in=[TerritoryLevel.STREET, TerritoryLevel.TOWN]).order_by(
            "path"
        )
        points: list[ServicePoint] = []
        for street in streets:
            points.append(
                _point(street, PointKind.CENTER, f"{street.name}党群服务中心", CENTER_WEEK, rng, by, now)
            )
        communities = Territory.objects.filter(
            level__in=[TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE]
        ).order_by("path")
        for i, community in enumerate(communities):
            week = STATION_WEEKS[i % len(STATION_WEEKS)]
            points.append(
                _point(community, PointKind.STATION, f"{community.name}党群服务站", week, rng, by, now)
            )
        counts["service points"] = len(points)
        counts["opening hours"] = sum(p.hours.count() for p in points)
        # The demo resident books first, so the random bookings never take her evening.
        counts["appointments"] += _demo_resident_booking(by, now)
        # Bookings at the first points in tree order (every centre, then the first street's
        # stations, where the demo accounts are): a district's 300 stations get their hours only,
        # which keeps its seeding to about a minute.
        for point in points[:BOOKED_POINTS_MAX]:
            people = _residents(point.community, rng, per_point_past + per_point_ahead)
            for n, person in enumerate(people):
                ahead = n >= per_point_past
                offset = rng.randint(1, 10) if ahead else -rng.randint(1, 30)
                appointment = _book_random(point, person, offset, rng, by, now)
                if appointment is None:
                    continue
                counts["appointments"] += 1
                if not ahead:
                    _close_past(appointment, rng, by)
        # One station shuts for a day next week (its bookings that day stay, for staff to call).
        if len(points) > 1:
            shut = points[-1]
            day = local_day(now) + timedelta(days=rng.randint(3, 6))
            closure_add(point=shut, starts_on=day, ends_on=day, reason="设备检修", by=by, now=now)
            counts["closures"] = 1
    return counts
