"""The frame every lifecycle step runs in: lock the row, check the step makes sense from the
current status and that this account may take it, write the change and an event, audit it, and
leave the resident's message to be sent after commit."""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden

from .. import policies
from ..models import EventKind, Need, NeedEvent
from ..notify import need_notify
from ..transitions import allowed_from, target_of
from .errors import NeedAlreadyClaimed, NeedNotAllowed, NeedTransitionNotAllowed

# Internal steps stay off the resident's timeline.
PRIVATE_STEPS = frozenset({EventKind.BOUNCE})


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


def _lock(need_id: int) -> Need:
    need = Need.objects.select_for_update().filter(pk=need_id).first()
    if need is None:
        raise NotFoundOrForbidden(_("未找到该诉求,或您无权查看。"))
    return need


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
    step = EventKind(kind).label
    user = by.user
    with transaction.atomic():
        locked = _lock(need.pk)
        if (
            kind == EventKind.CLAIM
            and locked.status not in allowed_from(kind)
            and locked.assigned_person_id is not None
            and policies.could_have_claimed(user, locked)
        ):
            raise NeedAlreadyClaimed()
        if not Need.objects.filter(policies.visible_q(user), pk=locked.pk).exists():
            raise NotFoundOrForbidden(_("未找到该诉求,或您无权查看。"))
        if locked.status not in allowed_from(kind):
            raise NeedTransitionNotAllowed(status=locked.status, step=step)
        if not policies.may(user, kind, locked):
            raise NeedNotAllowed(step=step)
        if check is not None:
            check(locked)
        before = locked.status
        key = event_key or assignee_key(locked)
        locked.status = target_of(kind)
        if change is not None:
            change(locked)
        locked.updated_at = now
        locked.save()
        NeedEvent.objects.create(
            need=locked,
            actor=user,
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
            detail={"step": kind, "from": before, "to": locked.status, "assignee": assignee_key(locked)},
            now=now,
        )
        need_notify(need=locked, kind=kind, params=notify_params)
    return locked
