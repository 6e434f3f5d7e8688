"""Writes of the service windows: points, hours, closures (staff), and appointments (residents
on their phones, staff for a caller). Bad input raises WindowError with a Chinese message and
changes nothing; status changes lock the row and append an event; messages leave after commit."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.accounts.policies import Action
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError, NotFoundOrForbidden
from tongxin.people.models import Person
from tongxin.territory.models import Territory, TerritoryLevel

from . import notify
from .models import (
    Appointment,
    AppointmentChannel,
    AppointmentEvent,
    AppointmentStatus,
    Closure,
    EventKind,
    HoursKind,
    OpeningHours,
    PointKind,
    ServicePoint,
)
from .schedule import local_zone, overlapping
from .selectors import day_bounds, local_day, may_manage, schedule_for

POINT_LEVELS = (TerritoryLevel.STREET, TerritoryLevel.TOWN, TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE)
MAX_MATTERS = 30
MATTER_MAX = 50
NOTE_MAX = 200
REMIND_EVENING = time(18, 0)
REMIND_HOURS_BEFORE = timedelta(hours=2)
CLOSURE_AHEAD_DAYS = 366  # a closure starts within a year; it lasts a year at most


class WindowError(ApplicationError):
    """The request was refused; nothing changed. `field` names the input to fix."""


class SlotFull(WindowError):
    pass


def _not_found() -> NotFoundOrForbidden:
    return NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))


def _check_staff(by: Actor, point: ServicePoint) -> None:
    if not may_manage(by.user, point):
        raise _not_found()


# --- points, hours, closures ----------------------------------------------------------------


@dataclass(frozen=True)
class PointData:
    community: Territory
    name: str
    address: str
    kind: str = PointKind.CENTER
    phone: str = ""
    matters: tuple[str, ...] = ()
    active: bool = True
    closed_on_holidays: bool = True
    slot_minutes: int = 30
    slot_capacity: int = 2
    days_ahead: int = 14
    notice_minutes: int = 120


def clean_matters(values: Iterable[str]) -> list[str]:
    matters: list[str] = []
    for raw in values:
        value = " ".join(str(raw).split())
        if not value:
            continue
        if len(value) > MATTER_MAX:
            raise WindowError(_("每个事项不超过%(n)d个字。") % {"n": MATTER_MAX}, field="matters")
        if value not in matters:
            matters.append(value)
    if not matters:
        raise WindowError(_("请至少填写一项可办事项。"), field="matters")
    if len(matters) > MAX_MATTERS:
        raise WindowError(_("可办事项最多%(n)d项。") % {"n": MAX_MATTERS}, field="matters")
    return matters


def _check_point_data(data: PointData) -> dict[str, Any]:
    name, address = data.name.strip(), data.address.strip()
    if not name:
        raise WindowError(_("请填写服务点名称。"), field="name")
    if len(name) > 100:
        raise WindowError(_("名称不超过100个字。"), field="name")
    if not address:
        raise WindowError(_("请填写服务点地址,方便居民找到。"), field="address")
    if data.kind not in PointKind.values:
        raise WindowError(_("请选择服务点类型。"), field="kind")
    if data.community.level not in POINT_LEVELS:
        raise WindowError(_("服务点只能设在街道、镇、社区或村。"), field="community")
    checks = (
        ("slot_minutes", data.slot_minutes, 10, 240, _("每个时段须在10到240分钟之间。")),
        ("slot_capacity", data.slot_capacity, 1, 50, _("每个时段可约人数须在1到50之间。")),
        ("days_ahead", data.days_ahead, 1, 90, _("可提前预约天数须在1到90天之间。")),
        ("notice_minutes", data.notice_minutes, 0, 7 * 24 * 60, _("至少提前的时间须在0到7天之间。")),
    )
    for field, value, low, high, message in checks:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise WindowError(message, field=field)
    return {
        "community": data.community,
        "name": name,
        "address": address[:200],
        "kind": data.kind,
        "phone": data.phone.strip()[:30],
        "matters": clean_matters(data.matters),
        "active": data.active,
        "closed_on_holidays": data.closed_on_holidays,
        "slot_minutes": data.slot_minutes,
        "slot_capacity": data.slot_capacity,
        "days_ahead": data.days_ahead,
        "notice_minutes": data.notice_minutes,
    }


def point_save(
    *, data: PointData, by: Actor, now: datetime, point: ServicePoint | None = None
) -> ServicePoint:
    """Create a point, or change one (its hours and closures have their own services)."""
    values = _check_point_data(data)
    if not may_manage(by.user, ServicePoint(community=data.community)):
        raise WindowError(_("只能在您管辖的社区或街道设立服务点。"), field="community")
    with transaction.atomic():
        if point is None:
            point = ServicePoint(created_at=now, **values)
            action = AuditAction.CREATE
        else:
            point = ServicePoint.objects.select_for_update().select_related("community").get(pk=point.pk)
            _check_staff(by, point)
            for key, value in values.items():
                setattr(point, key, value)
            action = AuditAction.UPDATE
        point.updated_at = now
        point.save()
        audit_record(
            actor=by,
            action=action,
            target=point,
            detail={"community": data.community.pk, "active": point.active, "matters": len(point.matters)},
            now=now,
        )
    return point


def opening_hours_add(
    *, point: ServicePoint, weekday: int, opens: time, closes: time, kind: str, by: Actor, now: datetime
) -> OpeningHours:
    """One more range on a weekday. Ends after it starts, on the same day (no range across
    midnight: a late evening ends by 23:59), and does not overlap the day's other ranges."""
    _check_staff(by, point)
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise WindowError(_("请选择星期几。"), field="weekday")
    if kind not in HoursKind.values:
        raise WindowError(_("请选择时段类型。"), field="kind")
    if not isinstance(opens, time) or not isinstance(closes, time):
        raise WindowError(_("请填写开始和结束时间,例如 18:00 和 20:30。"), field="opens")
    if closes <= opens:
        raise WindowError(_("结束时间须晚于开始时间;不支持跨过午夜的时段,请在24:00前结束。"), field="closes")
    if (datetime.combine(date.min, closes) - datetime.combine(date.min, opens)) < timedelta(
        minutes=point.slot_minutes
    ):
        raise WindowError(
            _("时段太短,至少要容纳一个%(n)d分钟的预约时段。") % {"n": point.slot_minutes}, field="closes"
        )
    with transaction.atomic():
        ServicePoint.objects.select_for_update().filter(pk=point.pk).first()
        day = list(OpeningHours.objects.filter(point=point, weekday=weekday).values_list("opens", "closes"))
        if overlapping([*day, (opens, closes)]):
            raise WindowError(_("与当天已有的时段重叠,请调整时间。"), field="opens")
        hours = OpeningHours.objects.create(
            point=point, weekday=weekday, opens=opens, closes=closes, kind=kind
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=hours,
            detail={"point": point.pk, "weekday": weekday, "kind": kind},
            now=now,
        )
    return hours


def opening_hours_remove(*, hours: OpeningHours, by: Actor, now: datetime) -> None:
    """Appointments already booked in the range stay booked: staff cancel them with a reason."""
    _check_staff(by, hours.point)
    with transaction.atomic():
        audit_record(
            actor=by,
            action=AuditAction.DELETE,
            target=hours,
            detail={"point": hours.point_id, "weekday": hours.weekday},
            now=now,
        )
        hours.delete()


def closure_add(
    *, point: ServicePoint, starts_on: date, ends_on: date, reason: str, by: Actor, now: datetime
) -> Closure:
    _check_staff(by, point)
    reason = " ".join(reason.split())
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        raise WindowError(_("请填写闭馆的开始和结束日期。"), field="starts_on")
    if ends_on < starts_on:
        raise WindowError(_("结束日期不能早于开始日期。"), field="ends_on")
    if ends_on < local_day(now):
        raise WindowError(_("不能登记已经过去的闭馆日。"), field="ends_on")
    if starts_on > local_day(now) + timedelta(days=CLOSURE_AHEAD_DAYS):
        raise WindowError(_("闭馆日只能登记一年以内开始的,请检查日期。"), field="starts_on")
    if (ends_on - starts_on).days > 366:
        raise WindowError(_("一次登记的闭馆不超过一年。"), field="ends_on")
    if not reason:
        raise WindowError(_("请填写闭馆原因,居民会看到。"), field="reason")
    if len(reason) > 100:
        raise WindowError(_("原因不超过100个字。"), field="reason")
    with transaction.atomic():
        closure = Closure.objects.create(
            point=point,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            created_by=by.user,
            created_at=now,
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=closure,
            detail={"point": point.pk, "from": starts_on.isoformat(), "to": ends_on.isoformat()},
            now=now,
        )
    return closure


def closure_remove(*, closure: Closure, by: Actor, now: datetime) -> None:
    _check_staff(by, closure.point)
    with transaction.atomic():
        audit_record(
            actor=by, action=AuditAction.DELETE, target=closure, detail={"point": closure.point_id}, now=now
        )
        closure.delete()


# --- appointments ---------------------------------------------------------------------------


def _may_book_for(user: Any, person: Person, point: ServicePoint) -> str:
    """The channel of the booking, or raise: the person herself on her phone, or staff of the
    point for a caller (the system for demo data)."""
    if user is not None and getattr(user, "person_id", None) == person.pk:
        return AppointmentChannel.MOBILE
    if may_manage(user, point, Action.CREATE):
        return AppointmentChannel.STAFF
    raise _not_found()


def _event(appointment: Appointment, kind: str, by: Actor, now: datetime, note: str = "") -> AppointmentEvent:
    return AppointmentEvent.objects.create(
        appointment=appointment, kind=kind, actor=by.user, actor_label=by.label, at=now, note=note[:NOTE_MAX]
    )


def appointment_book(
    *,
    point: ServicePoint,
    person: Person,
    matter: str,
    starts_at: datetime,
    by: Actor,
    now: datetime,
    note: str = "",
) -> Appointment:
    """Book one slot. In the future by at least the point's notice, within its booking horizon,
    on a day it is not closed, exactly at a slot of its hours (regular or 预约服务), with a place
    left, and one open booking per person per point per day. Two people taking the last place
    at once: the point's row lock lets one in, the other hears the slot is full."""
    channel = _may_book_for(by.user, person, point)
    if not point.active:
        raise WindowError(_("该服务点暂停预约,请选择其他服务点或致电咨询。"), field="point")
    if matter not in point.matters:
        raise WindowError(_("请从列表中选择要办理的事项。"), field="matter")
    note = " ".join(note.split())
    if len(note) > NOTE_MAX:
        raise WindowError(_("备注不超过%(n)d个字。") % {"n": NOTE_MAX}, field="note")
    if starts_at.tzinfo is None:
        raise WindowError(_("请从列表中选择预约时间。"), field="starts_at")
    if starts_at < now + timedelta(minutes=point.notice_minutes):
        if starts_at <= now:
            raise WindowError(_("这个时间已经过去了,请选择以后的时间。"), field="starts_at")
        raise WindowError(
            _("请至少提前%(n)s预约。") % {"n": _duration(point.notice_minutes)}, field="starts_at"
        )
    day = local_day(starts_at)
    if day > local_day(now) + timedelta(days=point.days_ahead):
        raise WindowError(_("最多可以预约%(n)d天内的时段。") % {"n": point.days_ahead}, field="starts_at")
    schedule = schedule_for(point, today=local_day(now))
    reason = schedule.closed_reason(day)
    if reason:
        raise WindowError(
            _("%(day)s闭馆(%(reason)s),请选择其他日期。") % {"day": f"{day:%m月%d日}", "reason": reason},
            field="starts_at",
        )
    slot = schedule.slot_at(starts_at)
    if slot is None:
        raise WindowError(_("该时间不在可预约时段内,请从列表中选择。"), field="starts_at")
    with transaction.atomic():
        # One lock per point serialises its bookings: the count below cannot change under us.
        ServicePoint.objects.select_for_update().filter(pk=point.pk).first()
        start, end = day_bounds(day)
        mine = Appointment.objects.filter(
            point=point,
            person=person,
            status=AppointmentStatus.BOOKED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        if mine.exists():
            raise WindowError(_("当天在该服务点已有预约。如需改时间,请先取消原来的预约。"), field="starts_at")
        taken = Appointment.objects.filter(  # overlapping: the slot length may have changed
            point=point, status=AppointmentStatus.BOOKED, starts_at__lt=slot[1], ends_at__gt=slot[0]
        ).count()
        if taken >= point.slot_capacity:
            raise SlotFull(_("该时段刚刚约满了,请选择其他时间。"), field="starts_at")
        appointment = Appointment.objects.create(
            point=point,
            person=person,
            matter=matter,
            starts_at=slot[0],
            ends_at=slot[1],
            channel=channel,
            note=note,
            booked_by=by.user,
            created_at=now,
            updated_at=now,
        )
        _event(appointment, EventKind.BOOK, by, now, note=matter)
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=appointment,
            detail={
                "point": point.pk,
                "person": person.pk,
                "channel": channel,
                "starts_at": slot[0].isoformat(),
            },
            now=now,
        )
        notify.tell_booked(appointment)
    return appointment


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        return _("%(n)d小时") % {"n": minutes // 60}
    return _("%(n)d分钟") % {"n": minutes}


def _lock(appointment: Appointment) -> Appointment:
    locked = Appointment.objects.select_for_update().filter(pk=appointment.pk).first()
    if locked is None:
        raise _not_found()
    # The point and the person come along for the checks and the messages.
    locked.point = ServicePoint.objects.select_related("community").get(pk=locked.point_id)
    locked.person = Person.objects.get(pk=locked.person_id)
    return locked


def _not_open(locked: Appointment) -> WindowError:
    label = AppointmentStatus(locked.status).label
    return WindowError(_("该预约%(status)s,不能再更改。") % {"status": label}, field="status")


def appointment_cancel(
    *, appointment: Appointment, by: Actor, now: datetime, reason: str = ""
) -> Appointment:
    """The resident cancels her own booking before it starts; staff of the point cancel any open
    booking, with a reason the resident is told (SMS and in-app)."""
    reason = " ".join(reason.split())
    with transaction.atomic():
        locked = _lock(appointment)
        own = by.user is not None and getattr(by.user, "person_id", None) == locked.person_id
        staff = not own and may_manage(by.user, locked.point)
        if not own and not staff:
            raise _not_found()
        if locked.status != AppointmentStatus.BOOKED:
            raise _not_open(locked)
        if own and locked.starts_at <= now:
            raise WindowError(_("预约时间已到,不能在手机上取消,请致电服务点。"), field="status")
        if staff and not reason:
            raise WindowError(_("请填写取消原因,居民会收到短信。"), field="reason")
        if len(reason) > NOTE_MAX:
            raise WindowError(_("原因不超过%(n)d个字。") % {"n": NOTE_MAX}, field="reason")
        locked.status = AppointmentStatus.CANCELLED
        locked.cancel_reason = reason
        if staff:
            locked.handled_by = by.user
        locked.updated_at = now
        locked.save()
        _event(locked, EventKind.CANCEL, by, now, note=reason)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={"step": "cancel", "by_resident": own},
            now=now,
        )
        if staff:
            notify.tell_cancelled(locked, reason)
    return locked


def appointment_mark(
    *, appointment: Appointment, outcome: str, by: Actor, now: datetime, note: str = ""
) -> Appointment:
    """Staff close a booking: 已办结 (done; the person may have come early), or 未到场 (no-show,
    only once the slot has begun)."""
    if outcome not in (AppointmentStatus.DONE, AppointmentStatus.NO_SHOW):
        raise WindowError(_("请选择办结或未到场。"), field="outcome")
    note = " ".join(note.split())[:NOTE_MAX]
    with transaction.atomic():
        locked = _lock(appointment)
        if not may_manage(by.user, locked.point):  # the system (demo data) may
            raise _not_found()
        if locked.status != AppointmentStatus.BOOKED:
            raise _not_open(locked)
        if local_day(locked.starts_at) > local_day(now):
            raise WindowError(_("预约日期还没到,不能登记结果。"), field="outcome")
        if outcome == AppointmentStatus.NO_SHOW and locked.starts_at > now:
            raise WindowError(_("预约时间还没到,不能登记未到场。"), field="outcome")
        locked.status = outcome
        locked.handled_by = by.user
        locked.updated_at = now
        locked.save()
        kind = EventKind.DONE if outcome == AppointmentStatus.DONE else EventKind.NO_SHOW
        _event(locked, kind, by, now, note=note)
        audit_record(actor=by, action=AuditAction.UPDATE, target=locked, detail={"step": outcome}, now=now)
    return locked


# --- reminders ------------------------------------------------------------------------------


def reminder_due_at(appointment: Appointment) -> datetime | None:
    """When the reminder goes out: 18:00 the evening before; for a booking made after that,
    two hours before the start; a booking made within those two hours needs none (its
    confirmation just came)."""
    zone = local_zone()
    start = appointment.starts_at.astimezone(zone)
    evening = datetime.combine(start.date() - timedelta(days=1), REMIND_EVENING, zone)
    if appointment.created_at < evening:
        return evening
    late = start - REMIND_HOURS_BEFORE
    if appointment.created_at < late:
        return late
    return None


def reminders_send(*, now: datetime, by: Actor | None = None) -> int:
    """Remind every open booking whose reminder is due and not yet sent. Idempotent: each row is
    locked and re-read, reminder_sent_at marks it, a second run (or a second worker) sends none."""
    by = by or Actor.system("window_reminders")
    candidates = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=1, hours=6),
    ).order_by("starts_at")
    sent = 0
    for candidate in candidates.iterator(chunk_size=200):
        due = reminder_due_at(candidate)
        if due is None or due > now:
            continue
        with transaction.atomic():
            locked = Appointment.objects.select_for_update().filter(pk=candidate.pk).first()
            if (
                locked is None
                or locked.reminder_sent_at is not None
                or locked.status != AppointmentStatus.BOOKED
            ):
                continue
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            _event(locked, EventKind.REMIND, by, now)
            notify.tell_reminder(locked)
            sent += 1
    return sent
