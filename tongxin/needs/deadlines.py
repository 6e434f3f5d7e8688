"""The running clock of a need: which deadline applies now, when to urge (催办) and escalate (超期上报).

Two clocks, one at a time (tongxin.workdays.policy computes both from the working-day calendar):
- acceptance (受理), started at submission, while the need waits in 待受理;
- handling (办结), started at acceptance, while the need is accepted, dispatched, claimed or in
  progress. A reopened need starts it again.
urge_at/escalate_at always belong to the running clock (indexed, so the scheduled task finds its
work with a range scan); urged_at/escalated_at say that the clock already did it, and are reset
when a clock (re)starts. When a need leaves the open states the running clock is cleared (nobody
should be urged about a need that waits on the resident's rating or is closed); accept_due_at and
resolve_due_at stay, because the rate selectors compare them with what happened.

Escalation climbs the territory tree from the community: the first goes to its parent (the
street), each further one, a period later, one level up, never above the root (the district)."""

from datetime import datetime, timedelta

from django.db.models import Q

from tongxin.territory.models import Territory
from tongxin.workdays.calendar import WorkCalendar, work_calendar
from tongxin.workdays.policy import (
    DueSchedule,
    DueState,
    accept_schedule_for,
    due_state,
    need_deadlines,
    schedule_for,
    urgent_clock,
)

from .models import Need
from .models import Status as S
from .transitions import HANDLING

__all__ = [
    "DueState",
    "clock_clear",
    "clock_restart_handling",
    "clock_start_accept",
    "due_q",
    "due_state_of",
    "escalation_chain",
    "escalation_target",
    "next_escalate_at",
    "running_schedule",
]


def _reset_marks(need: Need) -> None:
    need.urged_at = None
    need.escalated_at = None


def clock_start_accept(need: Need, *, calendar: WorkCalendar | None = None) -> None:
    """At submission: the acceptance clock, from submitted_at."""
    sched = accept_schedule_for(submitted_at=need.submitted_at, urgent=need.urgent, calendar=calendar)
    need.accept_due_at = sched.due_at
    need.urge_at, need.escalate_at = sched.urge_at, sched.escalate_at
    _reset_marks(need)


def clock_restart_handling(need: Need, *, started_at: datetime, calendar: WorkCalendar | None = None) -> None:
    """At acceptance and reopening: the handling clock, from `started_at`."""
    sched = schedule_for(
        category=need.category_id, urgent=need.urgent, accepted_at=started_at, calendar=calendar
    )
    need.resolve_due_at = sched.due_at
    need.urge_at, need.escalate_at = sched.urge_at, sched.escalate_at
    _reset_marks(need)
    # A new clock escalates from the first level again: a need escalated for late acceptance
    # that is then late in handling goes to the street, not past it (the events keep the history).
    need.escalation_level, need.escalated_to = 0, None


def clock_recompute(need: Need, *, calendar: WorkCalendar | None = None) -> None:
    """After a correction of category or urgency: the running clock again from its own start (the
    need was late or early by the right rule all along; recomputing from the correction would let
    a reclassification buy a late need a fresh limit)."""
    if need.status == S.SUBMITTED:
        clock_start_accept(need, calendar=calendar)
    elif need.status in HANDLING:
        clock_restart_handling(need, started_at=_handling_start(need), calendar=calendar)


def clock_clear(need: Need) -> None:
    """The need left the open states (or waits on the resident): no running clock."""
    need.urge_at = need.escalate_at = None


def _handling_start(need: Need) -> datetime:
    # A reopened need's clock started at the reopening; resolve_due_at was computed from it, but
    # the start itself is not stored, so look for the last REOPEN event.
    from .models import EventKind

    reopened = (
        need.events.filter(kind=EventKind.REOPEN).order_by("-at").values_list("at", flat=True).first()
        if need.pk
        else None
    )
    start = reopened or need.accepted_at
    if start is None:
        raise ValueError("a handled need has an acceptance time")
    return start


def running_schedule(need: Need) -> DueSchedule | None:
    """The running clock's four moments, from the stored fields (no calendar arithmetic)."""
    if need.urge_at is None or need.escalate_at is None:
        return None
    if need.status == S.SUBMITTED:
        due = need.accept_due_at
    elif need.status in HANDLING:
        due = need.resolve_due_at
    else:
        return None
    if due is None:
        return None
    return DueSchedule(
        started_at=need.submitted_at, urge_at=need.urge_at, due_at=due, escalate_at=need.escalate_at
    )


def due_state_of(need: Need, now: datetime) -> DueState | None:
    """Where the need stands on its running clock; None when no clock runs (closed, resolved)."""
    sched = running_schedule(need)
    if sched is None:
        return None
    # After an escalation escalate_at points at the next one; the need stays escalated.
    if need.escalated_at is not None:
        return DueState.ESCALATE
    return due_state(schedule=sched, now=now)


def due_q(state: str, now: datetime) -> Q:
    """The needs in `state` at `now`, as a filter that uses the stored moments (same boundaries as
    tongxin.workdays.policy.due_state: urge from urge_at, overdue after due_at, escalate from
    escalate_at)."""
    running = Q(urge_at__isnull=False, escalate_at__isnull=False) & (
        Q(status=S.SUBMITTED, accept_due_at__isnull=False)
        | Q(status__in=HANDLING, resolve_due_at__isnull=False)
    )
    escalated = Q(escalated_at__isnull=False) | Q(escalate_at__lte=now)
    past_due = Q(status=S.SUBMITTED, accept_due_at__lt=now) | Q(status__in=HANDLING, resolve_due_at__lt=now)
    if state == DueState.ESCALATE:
        return running & escalated
    if state == DueState.OVERDUE:
        return running & past_due & ~escalated
    if state == DueState.URGE:
        return running & Q(urge_at__lte=now) & ~past_due & ~escalated
    if state == DueState.ON_TIME:
        return running & Q(urge_at__gt=now) & ~escalated
    raise ValueError(f"unknown due state {state!r}")


def escalation_chain(need: Need) -> list[Territory]:
    """The nodes escalations climb to, nearest first: the community's parent, then up to the root."""
    path, step = need.community.path, Territory.steplen
    prefixes = [path[:i] for i in range(step, len(path), step)]
    return list(Territory.objects.filter(path__in=prefixes).order_by("-depth"))


def escalation_target(need: Need, level: int) -> Territory | None:
    """The node an escalation of `level` (1 = first) goes to: the community's parent, then one
    level further up per escalation; None above the root."""
    chain = escalation_chain(need)
    return chain[level - 1] if 1 <= level <= len(chain) else None


def next_escalate_at(need: Need, escalated_at: datetime, *, calendar: WorkCalendar | None = None) -> datetime:
    """When to escalate again if nothing happens: one escalation period later."""
    policy, cal = need_deadlines(), calendar or work_calendar()
    if need.urgent:
        hours = (
            policy["urgent_accept_hours"]
            if need.status == S.SUBMITTED
            else policy["urgent_escalate_after_hours"]
        )
        if urgent_clock() == "working":
            return cal.add_working_hours(escalated_at, hours)
        return escalated_at + timedelta(hours=hours)
    return cal.add_workdays(escalated_at, policy["escalate_after_workdays"])
