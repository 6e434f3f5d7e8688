"""Writing a checked import: one transaction, rows in batches.

Every value has already been through person_clean / membership_clean, so this module only stores
what they returned. One service call per row (person_create + membership_save) costs about a dozen
statements and two audit-chain locks per row; batching keeps a 10,000-row file to a short write
transaction, which matters on SQLite where the write lock blocks every other writer meanwhile.
tests/test_bulk_equivalence.py proves the batches give the same rows as the services.

Audit: one event per written row (a person created or changed, its membership with it), carrying
the names of the changed fields only, never values — the registry's own services log each person
this way and a person's history must show an import like any other edit — plus one summary event
per import with the counts, so "who imported what, when" is one row to find. Unchanged rows write
nothing and log nothing, so re-importing a file leaves the log as it was."""

from datetime import datetime
from typing import Any

from django.db import transaction

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.people.models import Membership, Person

from .validation import RowPlan

BATCH = 500


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
            Membership(person=p.person, **p.membership_values)
            for p in updates
            if p.membership is None
        ]
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        _update_memberships(updates, now)
        for p, person in zip(creates, new_people, strict=True):
            audit_record(
                actor=by,
                action=AuditAction.CREATE,
                target=person,
                detail={"import": reference, "membership": "create"},
                now=now,
            )
        for p in updates:
            assert p.person is not None
            detail: dict[str, Any] = {"import": reference, "fields": _visible_names(p.person_changed)}
            if p.membership_changed:
                detail["membership"] = "update" if p.membership is not None else "create"
                detail["membership_fields"] = sorted(p.membership_changed)
            audit_record(actor=by, action=AuditAction.UPDATE, target=p.person, detail=detail, now=now)
        counts = {"create": len(creates), "update": len(updates), "unchanged": len(plans) - len(creates) - len(updates)}
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            object_type="imports.memberimport",
            object_id=reference,
            object_repr="党员信息导入",
            detail={"import": reference, **counts},
            now=now,
        )
    return counts


def _visible_names(fields: list[str]) -> list[str]:
    return sorted(f for f in fields if not f.endswith("_index"))


def _update_persons(updates: list[RowPlan], now: datetime) -> None:
    changed: set[str] = set()
    people = []
    for p in updates:
        if not p.person_changed:
            continue
        assert p.person is not None
        for key in p.person_changed:
            setattr(p.person, key, p.person_values[key])
            changed.add(key)
            if key in {"id_number", "mobile"}:
                changed.add(f"{key}_index")
                setattr(p.person, f"{key}_index", p.person_values[f"{key}_index"])
        p.person.updated_at = now
        people.append(p.person)
    if people:
        Person.objects.bulk_update(people, sorted(changed | {"updated_at"}), batch_size=BATCH)


def _update_memberships(updates: list[RowPlan], now: datetime) -> None:
    changed: set[str] = set()
    rows = []
    for p in updates:
        if p.membership is None or not p.membership_changed:
            continue
        for key in p.membership_changed:
            setattr(p.membership, key, p.membership_values[key])
            changed.add(key)
        p.membership.updated_at = now
        rows.append(p.membership)
    if rows:
        Membership.objects.bulk_update(rows, sorted(changed | {"updated_at"}), batch_size=BATCH)
