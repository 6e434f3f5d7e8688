"""Concurrent writers, on both databases: postings to one account lose nothing, the last points
are spent once, and a budget holds under concurrent awards."""

import threading
from collections.abc import Callable

import pytest
from django.db import connections

from conftest import NOW, SYSTEM, add_person
from tongxin.ledger.models import Currency, Entry, PointsAward, PointsRule
from tongxin.ledger.selectors import balance_of
from tongxin.ledger.services import (
    InsufficientBalance,
    hours_record,
    person_account,
    points_award,
    posting_create,
    system_account,
)
from tongxin.ledger.verify import first_violation

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrent_writers]


def run_together(workers: list[Callable[[], object]]) -> list[object]:
    """Start every worker at the same barrier; each returns a value or the exception it raised."""
    barrier = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)

    def run(i: int) -> None:
        try:
            barrier.wait(10)
            results[i] = workers[i]()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_concurrent_postings_to_one_account_lose_nothing(world) -> None:  # type: ignore[no-untyped-def]
    person = world.alice

    def worker(n: int) -> Callable[[], object]:
        def go() -> object:
            for k in range(5):
                hours_record(
                    person=person, minutes=10 + n, source=f"record:{n}{k}", memo="", by=SYSTEM, now=NOW
                )
            return "ok"

        return go

    results = run_together([worker(n) for n in range(8)])
    assert results == ["ok"] * 8
    assert balance_of(person=person, currency=Currency.HOURS) == sum(5 * (10 + n) for n in range(8))
    assert Entry.objects.count() == 80
    assert first_violation() is None


def test_concurrent_debits_of_the_last_points_have_one_winner(world) -> None:  # type: ignore[no-untyped-def]
    person = world.alice
    points_award(
        person=person, rule_code="service_hour", quantity=1, source="record:1", memo="", by=SYSTEM, now=NOW
    )
    mine = person_account(person=person, currency=Currency.POINTS)
    counter = system_account(code="redemption:counter", currency=Currency.POINTS)

    def spend() -> object:
        return posting_create(
            lines=[(mine, -10), (counter, 10)],
            kind="redemption",
            source="redemption:1",
            memo="",
            by=SYSTEM,
            now=NOW,
        )

    results = run_together([spend] * 6)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, InsufficientBalance)]
    assert (len(winners), len(losers)) == (1, 5)
    assert losers[0].message == "积分余额不足:当前余额 0 积分,本次需要 10 积分。"
    assert balance_of(person=person, currency=Currency.POINTS) == 0
    assert first_violation() is None


def test_a_budget_holds_under_concurrent_awards(world) -> None:  # type: ignore[no-untyped-def]
    PointsRule.objects.filter(code="meeting_attended").update(yearly_budget=30, cap_per_year=None)
    people = [add_person(f"参会者{i}", world.c11) for i in range(6)]

    def award(p) -> Callable[[], object]:  # type: ignore[no-untyped-def]
        return lambda: points_award(
            person=p,
            rule_code="meeting_attended",
            quantity=2,
            source="meeting:1",
            memo="",
            by=SYSTEM,
            now=NOW,
        )

    results = run_together([award(p) for p in people])
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(a.granted for a in PointsAward.objects.all()) == 30
    assert PointsAward.objects.count() == 6
    assert first_violation() is None
