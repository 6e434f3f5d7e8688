"""The bulk path writes what the services write: same entries, balances, awards (with caps)
and reversals over a small sample, and a ledger that verifies."""

from datetime import date

import pytest
from django.db import transaction

from conftest import NOW, SYSTEM
from tongxin.ledger.demo import (
    apply_plan_bulk,
    apply_plan_services,
    ledger_plan,
    seed_ledger,
    seed_ledger_bulk,
)
from tongxin.ledger.models import Account, CapReason, Entry, PointsAward, PointsRule, Posting
from tongxin.ledger.services import hours_record
from tongxin.ledger.verify import first_violation

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def snapshot() -> dict[str, list]:  # type: ignore[type-arg]
    entries = [
        (
            e.account.person_id,
            e.account.code,
            e.account.currency,
            e.amount,
            e.balance_after,
            e.posting.kind,
            e.posting.source,
            e.posting.memo,
            e.posting.created_at,
            e.posting.reverses.source if e.posting.reverses else None,
        )
        for e in Entry.objects.select_related("account", "posting__reverses").order_by("pk")
    ]
    awards = [
        (
            a.person_id,
            a.quantity,
            a.requested,
            a.granted,
            a.capped_reason,
            a.source,
            a.created_at,
            a.posting_id is None,
        )
        for a in PointsAward.objects.order_by("pk")
    ]
    balances = sorted(Account.objects.values_list("person_id", "code", "currency", "balance"), key=str)
    return {"entries": entries, "awards": awards, "balances": balances}


def services_then_undo(plan) -> dict[str, list]:  # type: ignore[no-untyped-def,type-arg]
    """The plan through the services, its snapshot, and the writes rolled back (a rollback is
    not a DELETE: the append-only triggers do not object)."""
    try:
        with transaction.atomic():
            apply_plan_services(plan)
            taken = snapshot()
            assert first_violation() is None
            raise _Undo
    except _Undo:
        return taken


def test_the_bulk_path_writes_what_the_services_write(world) -> None:  # type: ignore[no-untyped-def]
    # Tight caps, so that the sample has capped and partly granted awards.
    PointsRule.objects.filter(code="service_hour").update(cap_per_day=25, cap_per_month=120, cap_per_year=600)
    persons = [world.alice.pk, world.bob.pk, world.carol.pk]
    plan = ledger_plan(persons=persons, year_start=date(2025, 3, 1), rows=900, seed=5)
    assert any(e.reverses for e in plan)
    assert any(e.credits for e in plan)
    by_services = services_then_undo(plan)
    assert not Entry.objects.exists()
    counts = apply_plan_bulk(plan)
    by_bulk = snapshot()
    assert by_bulk == by_services
    assert counts["rows"] == Posting.objects.count() + Entry.objects.count()
    reasons = {a[4] for a in by_bulk["awards"]}
    assert {CapReason.DAY, CapReason.MONTH} <= reasons
    assert first_violation() is None


def test_bulk_history_joins_an_existing_ledger(world) -> None:  # type: ignore[no-untyped-def]
    hours_record(person=world.alice, minutes=60, source="record:1", memo="", by=SYSTEM, now=NOW)
    counts = seed_ledger_bulk(
        persons=[world.alice.pk, world.bob.pk], year_start=date(2026, 1, 1), rows=600, seed=1
    )
    assert 550 <= counts["rows"] <= 620
    assert first_violation() is None
    hours_record(person=world.bob, minutes=60, source="record:2", memo="", by=SYSTEM, now=NOW)
    assert first_violation() is None


def test_small_tier_adjustments(world) -> None:  # type: ignore[no-untyped-def]
    hours_record(person=world.alice, minutes=60, source="record:1", memo="", by=SYSTEM, now=NOW)
    assert seed_ledger(now=NOW, seed=0) == {"adjustments": 1}
    assert Account.objects.get(person=world.alice, currency="points").balance == 10
    assert first_violation() is None
