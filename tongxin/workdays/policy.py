"""Deadline policy for residents' needs: how long acceptance and handling may take, when to urge
(催办) and when to escalate. Inputs for the needs app, free of its models so they sit below it.

Defaults are here; settings.TONGXIN_NEED_DEADLINES overrides any key (finish_workdays merges per
category). Urgent needs count clock hours day and night unless TONGXIN_URGENT_CLOCK = "working",
in which case only office hours on working days count."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .calendar import WorkCalendar, work_calendar

# DESIGN.md §11's fourteen category codes; the needs app's categories must be exactly these.
DEFAULT_NEED_DEADLINES: dict[str, Any] = {
    "accept_workdays": 1,
    "urgent_accept_hours": 1,
    "finish_workdays": {
        "elderly": 5,
        "disability": 5,
        "children": 5,
        "hardship": 3,
        "psych": 3,
        "legal": 10,
        "property": 5,
        "facility": 7,
        "safety": 3,
        "employment": 10,
        "health": 5,
        "culture": 10,
        "policy": 3,
        "other": 10,
    },
    "urgent_finish_hours": 4,
    "urge_percent": 80,
    "escalate_after_workdays": 2,
    "urgent_escalate_after_hours": 4,
}
CATEGORY_CODES = frozenset(DEFAULT_NEED_DEADLINES["finish_workdays"])
URGENT_CLOCKS = ("calendar", "working")


class DueState(models.TextChoices):
    ON_TIME = "on_time", _("正常")
    URGE = "urge", _("临期催办")
    OVERDUE = "overdue", _("已超期")
    ESCALATE = "escalate", _("超期上报")


@dataclass(frozen=True)
class DueSchedule:
    """The moments a need's clock passes: store all four on the need so that the scheduled task
    finds what to urge or escalate with an indexed query instead of recomputing each one."""

    started_at: datetime
    urge_at: datetime
    due_at: datetime
    escalate_at: datetime


def need_deadlines() -> dict[str, Any]:
    overrides: dict[str, Any] = getattr(settings, "TONGXIN_NEED_DEADLINES", {}) or {}
    merged = {**DEFAULT_NEED_DEADLINES, **overrides}
    merged["finish_workdays"] = {
        **DEFAULT_NEED_DEADLINES["finish_workdays"],
        **overrides.get("finish_workdays", {}),
    }
    if not 0 < merged["urge_percent"] <= 100:
        raise ValueError("TONGXIN_NEED_DEADLINES['urge_percent'] must be in 1..100")
    return merged


def urgent_clock() -> str:
    clock: str = getattr(settings, "TONGXIN_URGENT_CLOCK", "calendar")
    if clock not in URGENT_CLOCKS:
        raise ValueError(f"TONGXIN_URGENT_CLOCK must be one of {URGENT_CLOCKS}, not {clock!r}")
    return clock


def _hours_schedule(
    start: datetime, hours: int, escalate_hours: int, percent: int, cal: WorkCalendar
) -> DueSchedule:
    if urgent_clock() == "working":
        due = cal.add_working_hours(start, hours)
        urge = cal.add_working_hours(start, timedelta(hours=hours) * percent / 100)
        return DueSchedule(start, urge, due, cal.add_working_hours(due, escalate_hours))
    span = timedelta(hours=hours)
    return DueSchedule(
        start, start + span * percent / 100, start + span, start + span + timedelta(hours=escalate_hours)
    )


def _workdays_schedule(
    start: datetime, days: int, escalate_days: int, percent: int, cal: WorkCalendar
) -> DueSchedule:
    due = cal.add_workdays(start, days)
    # Urge at a share of the office time, not of the wall clock: 80% of "Friday 16:00 to
    # Monday 16:00" should fall on Monday afternoon, not on Sunday morning.
    urge = cal.add_working_hours(start, cal.working_time_between(start, due) * percent / 100)
    return DueSchedule(start, min(urge, due), due, cal.add_workdays(due, escalate_days))


def accept_schedule_for(
    *, submitted_at: datetime, urgent: bool, calendar: WorkCalendar | None = None
) -> DueSchedule:
    """When a submitted need must be accepted (受理)."""
    policy, cal = need_deadlines(), calendar or work_calendar()
    if urgent:
        hours = policy["urgent_accept_hours"]
        return _hours_schedule(submitted_at, hours, hours, policy["urge_percent"], cal)
    return _workdays_schedule(
        submitted_at,
        policy["accept_workdays"],
        policy["escalate_after_workdays"],
        policy["urge_percent"],
        cal,
    )


def schedule_for(
    *, category: str, urgent: bool, accepted_at: datetime, calendar: WorkCalendar | None = None
) -> DueSchedule:
    """When an accepted need must be finished (办结); the clock starts at acceptance."""
    policy, cal = need_deadlines(), calendar or work_calendar()
    if category not in policy["finish_workdays"]:
        raise ValueError(f"unknown need category {category!r}")
    if urgent:
        return _hours_schedule(
            accepted_at,
            policy["urgent_finish_hours"],
            policy["urgent_escalate_after_hours"],
            policy["urge_percent"],
            cal,
        )
    return _workdays_schedule(
        accepted_at,
        policy["finish_workdays"][category],
        policy["escalate_after_workdays"],
        policy["urge_percent"],
        cal,
    )


def deadline_for(
    *, category: str, urgent: bool, accepted_at: datetime, calendar: WorkCalendar | None = None
) -> datetime:
    return schedule_for(category=category, urgent=urgent, accepted_at=accepted_at, calendar=calendar).due_at


def due_state(*, schedule: DueSchedule, now: datetime) -> DueState:
    """Before urge_at: on time; from urge_at to due_at: urge; after due_at: overdue; from
    escalate_at: escalate to the parent territory node."""
    if now >= schedule.escalate_at:
        return DueState.ESCALATE
    if now > schedule.due_at:
        return DueState.OVERDUE
    if now >= schedule.urge_at:
        return DueState.URGE
    return DueState.ON_TIME
