"""Writing a checked import: one transaction, rows in batches.

Every value has already been through person_clean / membership_clean, so this module only stores
what they returned. One service call per row (person_create + membership_save) costs about a dozen
statements and two audit-chain locks per row; batching keeps a 10,000-row file to a short write
transaction, which matters on SQLite where the write lock blocks every other writer meanwhile.
tests/test_bulk_equivalence.py proves the batches give the same rows as the services.

Audit: one summary event per import with the counts, so "who imported what, when" is one row
to find, and one event per batch of up to 500 written persons listing their ids with, for each
changed person, the names (never the values) of the fields that changed, so a person's import is
traceable. Not one event per row: every audit append updates the one chain-head row, and inside a
single transaction PostgreSQL keeps every dead version of that row until commit, so per-row events
made the write quadratic (10,000 rows: 92 s of writing, measured; 2,000 rows: 5.6 s). Unchanged
rows write nothing and log nothing, so re-importing a file leaves the log as it was."""

from datetime import datetime
from typing import Any

from django.db import transaction

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.people.models import Membership, Person

from .plans import RowPlan

BATCH = 500
AUDIT_BATCH = 500


def write_plans(plans: list[RowPlan], *, by: Actor, now: datetime, reference: str) -> dict[str, int]:
    creates = [p for p in plans if p.action == "create"]
    updates = [p for p in plans if p.action == "update"]
    if not creates and not updates:
        return {"create": 0, "update": 0, "unchanged": len(plans)}
    with transaction.atomic():
        new_people = Person.objects.bulk_create(
            [Person(**p.person_values) for p in creates], batch_size=BATCH
        )
        _update_persons(updates, now)
        memberships = [
            Membership(person=person, **p.membership_values)
            for p, person in zip(creates, new_people, strict=True)
        ]
        memberships += [
            Membership(person=p.person, **p.membership_values) for p in updates if p.membership is None
        ]
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        _update_memberships(updates, now)
        _audit_rows(creates, new_people, updates, by=by, now=now, reference=reference)
        counts = {
            "create": len(creates),
            "update": len(updates),
            "unchanged": len(plans) - len(creates) - len(updates),
        }
        audit_record(
            actor=by,
            action=AuditAction.IMPORT,
            object_type="imports.memberimport",
            object_id=reference[:64],
            object_repr="党员信息导入",
            detail={"import": reference, **counts},
            now=now,
        )
    return counts


def _audit_rows(
    creates: list[RowPlan],
    new_people: list[Person],
    updates: list[RowPlan],
    *,
    by: Actor,
    now: datetime,
    reference: str,
) -> None:
    written: list[tuple[int, Any]] = [(person.pk, "create") for person in new_people]
    for p in updates:
        assert p.person is not None
        changes: dict[str, Any] = {"fields": _visible_names(p.person_changed)}
        if p.membership_changed:
            changes["membership"] = "update" if p.membership is not None else "create"
            changes["membership_fields"] = sorted(p.membership_changed)
        written.append((p.person.pk, changes))
    for start in range(0, len(written), AUDIT_BATCH):
        batch = written[start : start + AUDIT_BATCH]
        audit_record(
            actor=by,
            action=AuditAction.CREATE if any(c == "create" for _, c in batch) else AuditAction.UPDATE,
            object_type=Person._meta.label_lower,
            object_repr=f"党员信息导入 {start + 1}–{start + len(batch)}",
            detail={
                "import": reference,
                "created": [pk for pk, change in batch if change == "create"],
                "updated": {str(pk): change for pk, change in batch if change != "create"},
            },
            now=now,
        )


def _visible_names(fields: list[str]) -> list[str]:
    return sorted(f for f in fields if not f.endswith("_index"))


# Changed rows are written one UPDATE each, with only their changed columns: bulk_update's CASE
# expressions over every row and column took 6 ms a row at 5,000 rows (measured), this 0.3 ms.


def _update_persons(updates: list[RowPlan], now: datetime) -> None:
    for p in updates:
        if not p.person_changed:
            continue
        assert p.person is not None
        fields = {key: p.person_values[key] for key in p.person_changed}
        for key in ("id_number", "mobile"):
            if key in fields:
                fields[f"{key}_index"] = p.person_values[f"{key}_index"]
        # Through the model field, so the encrypted columns are encrypted as on save().
        for key, value in fields.items():
            setattr(p.person, key, value)
        p.person.updated_at = now
        p.person.save(update_fields=[*fields, "updated_at"])


def _update_memberships(updates: list[RowPlan], now: datetime) -> None:
    for p in updates:
        if p.membership is None or not p.membership_changed:
            continue
        for key in p.membership_changed:
            setattr(p.membership, key, p.membership_values[key])
        p.membership.updated_at = now
        p.membership.save(update_fields=[*p.membership_changed, "updated_at"])
