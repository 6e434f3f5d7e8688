"""Writing to the audit log. Callers pass what happened; the chain is this module's business."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from tongxin.core.actor import Actor

from .models import AuditAction, AuditChainHead, AuditEvent, AuditResult

GENESIS_HASH = "0" * 64


def event_hash(*, prev_hash: str, fields: dict[str, Any]) -> str:
    """HMAC-SHA256, keyed by TONGXIN_AUDIT_KEY, over the previous hash and a canonical JSON of the
    event's content. The key lives outside the database, so someone who can write to the
    database still cannot rebuild a consistent chain after editing it."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = settings.TONGXIN_AUDIT_KEY.encode()
    return hmac.new(key, f"{prev_hash}|{canonical}".encode(), hashlib.sha256).hexdigest()


def _as_stored(ip: str | None, detail: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """Values in the form the database gives them back, so that the hash verifies later:
    IPv6 addresses are normalised by the field, and JSON loses tuples and float spellings."""
    if ip and ":" in ip:
        ip = clean_ipv6_address(ip)
    if _has_float(detail):
        raise ValueError("audit detail must not contain floats (their JSON spelling is not stable)")
    return ip, json.loads(json.dumps(detail, ensure_ascii=False))


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_float(v) for v in value)
    return False


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
    ip, detail = _as_stored(actor.ip, detail or {})
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
            ip=ip,
            detail=detail,
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
