"""The scheduled clock: urge (催办) needs whose running deadline is near, escalate (超期上报) those
past it, one level up the territory tree per escalation period.

Idempotent by construction: a need is urged when urge_at has passed and urged_at is empty, and
urging fills urged_at; a need is escalated when escalate_at has passed, and escalating moves
escalate_at a period past `now` (or clears it at the root). So a second run at the same `now`
finds nothing. Two workers at once do not double either: each batch is locked with SKIP LOCKED on
PostgreSQL (a row another worker holds is left to it), and the conditions are read under the lock.
SQLite has no row locks, but it serialises writers, which gives the same result."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils.translation import gettext as _

from tongxin.core.actor import Actor
from tongxin.territory.models import Territory
from tongxin.workdays.calendar import SHANGHAI, WorkCalendar, work_calendar

from .. import deadlines
from ..models import EventKind as K
from ..models import Need
from ..models import Status as S
from ..transitions import OPEN
from .steps import check_step, record_step

CLOCK = Actor.system("系统催办")
BATCH = 200


@dataclass(frozen=True)
class ClockResult:
    urged: int
    escalated: int


def _batch(**filters: object) -> list[Need]:
    qs = Need.objects.filter(status__in=OPEN, **filters).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        # Lock the needs only, not their communities (of=self): a territory row must stay free for
        # the other worker's batch and for anyone editing the tree.
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs.select_related("community")[:BATCH])


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%m-%d %H:%M")


def urge_note(need: Need) -> str:
    """The handlers' note when the running clock nears its limit (the demo's bulk path too)."""
    if need.status == S.SUBMITTED:
        due = need.accept_due_at
        return _("即将超过受理时限(%(due)s),请尽快受理") % {"due": _local(due) if due else ""}
    due = need.resolve_due_at
    return _("即将超过办结时限(%(due)s),请尽快办理") % {"due": _local(due) if due else ""}


def escalation_note(need: Need, target: Territory) -> str:
    waiting = _("超期未受理") if need.status == S.SUBMITTED else _("超期未办结")
    return _("%(why)s,已上报%(node)s督办") % {"why": waiting, "node": target.name}


def _escalate(need: Need, *, now: datetime, cal: WorkCalendar) -> bool:
    level = need.escalation_level + 1
    chain = deadlines.escalation_chain(need)
    target = chain[level - 1] if level <= len(chain) else None
    if target is None:
        # Already at the root: nobody higher to tell; the clock stops escalating.
        need.escalate_at = None
        need.save(update_fields=["escalate_at"])
        return False
    check_step(locked=need, kind=K.ESCALATE, by=CLOCK)
    note = escalation_note(need, target)
    further = level < len(chain)

    def change(n: Need) -> None:
        n.escalation_level, n.escalated_to, n.escalated_at = level, target, now
        # Escalation says more than urging: a need escalated before it was urged is not urged too.
        n.urged_at = n.urged_at or now
        n.escalate_at = deadlines.next_escalate_at(n, now, calendar=cal) if further else None

    record_step(
        locked=need,
        kind=K.ESCALATE,
        by=CLOCK,
        now=now,
        note=note,
        change=change,
        notify_params={"node": target.name},
        audit_detail={"level": level, "to": target.pk},
    )
    return True


def _urge(need: Need, *, now: datetime) -> None:
    check_step(locked=need, kind=K.URGE, by=CLOCK)
    note = urge_note(need)

    def change(n: Need) -> None:
        n.urged_at = now

    record_step(locked=need, kind=K.URGE, by=CLOCK, now=now, note=note, change=change)


def need_clock_advance(*, now: datetime) -> ClockResult:
    """One tick: escalate first (so a need past both moments is escalated, not also urged), then
    urge. Each batch commits on its own, so a long tick neither holds locks for long nor loses
    finished work if it stops halfway."""
    cal = work_calendar()  # one calendar for the tick: each year read once
    urged = escalated = 0
    while True:
        with transaction.atomic():
            rows = _batch(escalate_at__lte=now)
            for need in rows:
                escalated += _escalate(need, now=now, cal=cal)
        if len(rows) < BATCH:
            break
    while True:
        with transaction.atomic():
            rows = _batch(urge_at__lte=now, urged_at__isnull=True)
            for need in rows:
                _urge(need, now=now)
                urged += 1
        if len(rows) < BATCH:
            break
    return ClockResult(urged=urged, escalated=escalated)
