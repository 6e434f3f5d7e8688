"""The frame every step runs in: lock the row, check the step makes sense from the current status
and that this account may take it, write the change and an event, audit it, and leave the
messages to be sent after commit.

Two kinds of step share the frame (transitions.py): transitions move the status; annotations
(urge, escalate, reclassify, consent) leave it and only add an event and their own change. The
running deadline clock (deadlines.py) follows the status here, in one place, so no single step
can forget it."""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden

from .. import deadlines, policies
from ..models import EventKind, Need, NeedEvent
from ..notify import need_notify
from ..transitions import OPEN, allowed_from, changes_status, target_of
from .errors import NeedAlreadyClaimed, NeedNotAllowed, NeedTransitionNotAllowed

# Internal steps stay off the resident's timeline: a bounce between offices, the clock's urging
# and escalation (the resident sees the result, not the internal pressure), a staff correction
# of the category.
PRIVATE_STEPS = frozenset({EventKind.BOUNCE, EventKind.URGE, EventKind.ESCALATE, EventKind.RECLASSIFY})
# Steps that (re)start the handling clock at `now`.
CLOCK_STARTS = frozenset({EventKind.ACCEPT, EventKind.REOPEN})


def assignee_key(need: Need) -> str:
    for prefix, value in (
        ("territory", need.assigned_territory_id),
        ("org", need.assigned_org_id),
        ("unit", need.assigned_unit_id),
        ("person", need.assigned_person_id),
    ):
        if value is not None:
            return f"{prefix}:{value}"
    return ""


def lock_need(need_id: int) -> Need:
    need = Need.objects.select_for_update().filter(pk=need_id).first()
    if need is None:
        raise NotFoundOrForbidden(_("未找到该诉求,或您无权查看。"))
    return need


def check_step(*, locked: Need, kind: str, by: Actor) -> None:
    """Visible, makes sense from the status, and this account (or the system) may take it."""
    user = by.user
    step = EventKind(kind).label
    if (
        kind == EventKind.CLAIM
        and locked.status not in allowed_from(kind)
        and locked.assigned_person_id is not None
        and policies.could_have_claimed(user, locked)
    ):
        raise NeedAlreadyClaimed()
    # The system sees everything; a person must see the need, or it does not exist for them.
    if user is not None and not Need.objects.filter(policies.visible_q(user), pk=locked.pk).exists():
        raise NotFoundOrForbidden(_("未找到该诉求,或您无权查看。"))
    if locked.status not in allowed_from(kind):
        raise NeedTransitionNotAllowed(status=locked.status, step=step)
    if not policies.may(user, kind, locked):
        raise NeedNotAllowed(step=step)


def _follow_clock(need: Need, kind: str, now: datetime) -> None:
    if kind in CLOCK_STARTS:
        deadlines.clock_restart_handling(need, started_at=now)
    elif need.status not in OPEN:
        deadlines.clock_clear(need)


def record_step(
    *,
    locked: Need,
    kind: str,
    by: Actor,
    now: datetime,
    note: str = "",
    change: Callable[[Need], None] | None = None,
    notify_params: dict[str, str] | None = None,
    event_key: str = "",
    audit_detail: dict[str, object] | None = None,
) -> NeedEvent:
    """Apply a checked step to a locked need (inside the caller's transaction)."""
    before = locked.status
    key = event_key or assignee_key(locked)
    locked.status = target_of(kind, before)
    if change is not None:
        change(locked)
    if changes_status(kind):
        _follow_clock(locked, kind, now)
    locked.updated_at = now
    locked.save()
    event = NeedEvent.objects.create(
        need=locked,
        actor=by.user,
        actor_label=by.label,
        at=now,
        kind=kind,
        from_status=before,
        to_status=locked.status,
        note=note,
        public=kind not in PRIVATE_STEPS,
        assignee_key=key,
    )
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=locked,
        detail={
            "step": kind,
            "from": before,
            "to": locked.status,
            "assignee": assignee_key(locked),
            **(audit_detail or {}),
        },
        now=now,
    )
    need_notify(need=locked, kind=kind, params=notify_params, by=by, from_status=before)
    return event


def run_step(
    *,
    need: Need,
    kind: str,
    by: Actor,
    now: datetime,
    note: str = "",
    change: Callable[[Need], None] | None = None,
    check: Callable[[Need], None] | None = None,
    notify_params: dict[str, str] | None = None,
    event_key: str = "",
) -> Need:
    with transaction.atomic():
        locked = lock_need(need.pk)
        check_step(locked=locked, kind=kind, by=by)
        if check is not None:
            check(locked)
        record_step(
            locked=locked,
            kind=kind,
            by=by,
            now=now,
            note=note,
            change=change,
            notify_params=notify_params,
            event_key=event_key,
        )
    return locked
