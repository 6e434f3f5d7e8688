"""Writes to the working-day calendar: loading the package's defaults for a year, and
administrators' edits, which always win over the package."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.validators import clean_text

from .calendar import SHANGHAI, package_knows, package_year, work_calendar
from .models import CalendarDay, DayKind, DaySource

OBJECT_TYPE = "workdays.calendarday"


@dataclass(frozen=True)
class LoadResult:
    year: int
    created: int
    updated: int
    deleted: int
    kept_manual: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def holidays_load(*, year: int, by: Actor, now: datetime) -> LoadResult:
    """Bring the package's rows for `year` into the table. Running it twice changes nothing;
    manual rows are never touched; package rows the package no longer lists are removed."""
    if not package_knows(year):
        raise LookupError(year)
    days = package_year(year)
    wanted = {d: (DayKind.HOLIDAY, n) for d, n in days.holidays.items()}
    wanted |= {d: (DayKind.WORKDAY, n) for d, n in days.workdays.items()}
    created = updated = kept = 0
    with transaction.atomic():
        existing = {row.date: row for row in CalendarDay.objects.select_for_update().filter(date__year=year)}
        for d, (kind, name) in sorted(wanted.items()):
            row = existing.get(d)
            if row is None:
                CalendarDay.objects.create(
                    date=d, kind=kind, name=name, source=DaySource.PACKAGE, updated_at=now
                )
                created += 1
            elif row.source == DaySource.MANUAL:
                kept += 1
            elif (row.kind, row.name) != (kind, name):
                row.kind, row.name, row.updated_at, row.updated_by = kind, name, now, None
                row.save(update_fields=["kind", "name", "updated_at", "updated_by"])
                updated += 1
        stale = [row.pk for d, row in existing.items() if row.source == DaySource.PACKAGE and d not in wanted]
        deleted = CalendarDay.objects.filter(pk__in=stale).delete()[0] if stale else 0
        kept += sum(1 for d, row in existing.items() if row.source == DaySource.MANUAL and d not in wanted)
        result = LoadResult(year, created, updated, deleted, kept)
        if result.changed:
            audit_record(
                actor=by,
                action=AuditAction.IMPORT,
                object_type=OBJECT_TYPE,
                object_id=str(year),
                object_repr=_("%(year)s 年节假日安排") % {"year": year},
                detail={"created": created, "updated": updated, "deleted": deleted, "kept_manual": kept},
                now=now,
            )
    return result


def _validate(*, day: date, kind: str, name: str, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if day < today:
        errors["date"] = _("不能修改已经过去的日期,以免改变已算出的办理时限。")
    if kind not in DayKind.values:
        errors["kind"] = _("请选择“放假”或“调休上班”。")
    elif kind == DayKind.WORKDAY and day.weekday() < 5:
        errors["kind"] = _("调休上班日必须是周六或周日;工作日本来就上班。")
    elif kind == DayKind.HOLIDAY and day.weekday() >= 5 and not _next_to_holiday(day):
        errors["kind"] = _("周末本来就休息;只有与假期相连的周末才需标为放假,请先设置相邻的放假日。")
    if not name:
        errors["name"] = _("请填写节日名称,例如“春节”。")
    elif len(name) > 50:
        errors["name"] = _("节日名称不能超过 50 个字。")
    return errors


def _next_to_holiday(day: date) -> bool:
    cal = work_calendar()
    return any(n in cal.year(n.year).holidays for n in (day - timedelta(days=1), day + timedelta(days=1)))


def _seed_year(*, year: int, by: Actor, now: datetime) -> None:
    """The table answers for a year alone once it has a row, so the first manual edit of a year
    the package knows brings in the package's other days first."""
    if package_knows(year) and not CalendarDay.objects.filter(date__year=year).exists():
        holidays_load(year=year, by=by, now=now)


def calendar_day_set(
    *, date: date, kind: str | None, name: str = "", note: str = "", by: Actor, now: datetime
) -> CalendarDay | None:
    """Mark a day as 放假 or 调休上班 by hand, or (kind None) return it to the plain week rule.
    Raises ValidationError keyed by field; bad input changes nothing. The view decides who may
    (this app sits below accounts); every change is audited.

    Calendars are built per request or task and read a year once (see calendar.py), so the next
    deadline computed after this returns sees the edit; nothing is cached across requests."""
    if kind is None:
        _day_clear(date=date, by=by, now=now)
        return None
    name, note = clean_text(name), clean_text(note)
    with transaction.atomic():
        # Seeding first lets the check see the package's neighbouring holidays; an error rolls
        # the seeding back with everything else.
        _seed_year(year=date.year, by=by, now=now)
        errors = _validate(day=date, kind=kind, name=name, today=now.astimezone(SHANGHAI).date())
        if len(note) > 200:
            errors["note"] = _("备注不能超过 200 个字。")
        if errors:
            raise ValidationError(errors)
        row = CalendarDay.objects.select_for_update().filter(date=date).first()
        before = None if row is None else (row.kind, row.name, row.note, row.source)
        if row is None:
            row = CalendarDay(date=date)
        row.kind, row.name, row.note, row.source = kind, name, note, DaySource.MANUAL
        row.updated_by, row.updated_at = by.user, now
        row.save()
        audit_record(
            actor=by,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            target=row,
            detail={
                "date": date.isoformat(),
                "kind": kind,
                "name": name,
                "before": list(before) if before else None,
            },
            now=now,
        )
    return row


def _day_clear(*, date: date, by: Actor, now: datetime) -> None:
    """Back to normal: the day follows the week again. A year the package knows is seeded first,
    since removing a day from a year with no rows would otherwise drop all its package days."""
    if date < now.astimezone(SHANGHAI).date():
        raise ValidationError({"date": _("不能修改已经过去的日期,以免改变已算出的办理时限。")})
    with transaction.atomic():
        _seed_year(year=date.year, by=by, now=now)
        if CalendarDay.objects.filter(date=date).exists():
            calendar_day_remove(date=date, by=by, now=now)


def calendar_day_remove(*, date: date, by: Actor, now: datetime) -> None:
    """Return a day to the plain week rule. A day the package lists comes back on the next
    load_holidays unless it is set by hand instead."""
    if date < now.astimezone(SHANGHAI).date():
        raise ValidationError({"date": _("不能修改已经过去的日期,以免改变已算出的办理时限。")})
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=date).first()
        if row is None:
            raise ValidationError({"date": _("这一天没有节假日安排。")})
        audit_record(
            actor=by,
            action=AuditAction.DELETE,
            target=row,
            detail={"date": date.isoformat(), "kind": row.kind, "name": row.name, "source": row.source},
            now=now,
        )
        row.delete()
