"""Writing to the audit log. Callers pass what happened; the chain is this module's business."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tongxin.core.actor import Actor

from .models import AuditAction, AuditChainHead, AuditEvent, AuditResult

GENESIS_HASH = "0" * 64


def event_hash(*, prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the event's content."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "result": event.result,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "ip": event.ip,
        "detail": event.detail,
    }


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    result: AuditResult = AuditResult.SUCCESS,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction when there is one, so an event
    for a write that rolls back disappears with it."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)[:200]
    user = actor.user
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=now or timezone.now(),
            actor_id=user.pk if user is not None else None,
            actor_label=actor.label or (user.get_username() if user is not None else ""),
            action=action,
            result=result,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            ip=actor.ip,
            detail=detail or {},
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(prev_hash=head.last_hash, fields=hashed_fields(event))
        event.save(force_insert=True)
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of the fields whose values differ; the values themselves stay out of the log, since
    many are personal data."""
    return sorted(k for k in after if before.get(k) != after.get(k))
