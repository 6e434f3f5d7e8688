"""Stateful property tests: random sequences of hours, points (with caps), spending, transfers
and reversals against a model of the balances. After every step: each posting sums to zero,
each balance equals the sum of its entries, no person's balance is negative, the model agrees,
no cap is exceeded and verify_ledger finds nothing."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from conftest import NOW, SYSTEM
from tongxin.ledger.models import Account, AccountKind, Currency, Posting
from tongxin.ledger.services import (
    AlreadyReversed,
    InsufficientBalance,
    LedgerError,
    hours_record,
    person_account,
    points_award,
    posting_create,
    posting_reverse,
    system_account,
)
from tongxin.ledger.verify import first_violation

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=12,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class _Rollback(Exception):
    pass


def machine_for(persons):  # type: ignore[no-untyped-def]
    class LedgerMachine(RuleBasedStateMachine):
        """Each example runs in a savepoint rolled back at its end, so examples start empty."""

        def __init__(self) -> None:
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.expected: dict[tuple[int, str], int] = {}
            self.postings: list[Posting] = []
            self.reversed: set[int] = set()

        @initialize()
        def accounts(self) -> None:
            self.counter = system_account(code="redemption:counter", currency=Currency.POINTS)
            for p in persons:
                for c in Currency.values:
                    person_account(person=p, currency=c)
                    self.expected[(p.pk, c)] = 0

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        @rule(who=st.sampled_from(range(len(persons))), minutes=st.integers(1, 600))
        def hours(self, who: int, minutes: int) -> None:
            p = persons[who]
            self.postings.append(
                hours_record(person=p, minutes=minutes, source="record:1", memo="", by=SYSTEM, now=NOW)
            )
            self.expected[(p.pk, Currency.HOURS)] += minutes

        @rule(
            who=st.sampled_from(range(len(persons))),
            code=st.sampled_from(["service_hour", "need_resolved_good", "meeting_attended"]),
            quantity=st.integers(1, 12),
            day=st.integers(0, 2),
        )
        def points(self, who: int, code: str, quantity: int, day: int) -> None:
            p = persons[who]
            award = points_award(
                person=p,
                rule_code=code,
                quantity=quantity,
                source="need:1",
                memo="",
                by=SYSTEM,
                now=NOW + timedelta(days=day),
            )
            assert 0 <= award.granted <= award.requested
            assert (award.granted < award.requested) == bool(award.capped_reason)
            if award.posting:
                self.postings.append(award.posting)
            self.expected[(p.pk, Currency.POINTS)] += award.granted

        @rule(who=st.sampled_from(range(len(persons))), amount=st.integers(1, 200))
        def spend(self, who: int, amount: int) -> None:
            p = persons[who]
            mine = person_account(person=p, currency=Currency.POINTS)
            before = self.expected[(p.pk, Currency.POINTS)]
            try:
                posting = posting_create(
                    lines=[(mine, -amount), (self.counter, amount)],
                    kind="redemption",
                    source="redemption:1",
                    memo="",
                    by=SYSTEM,
                    now=NOW,
                )
            except InsufficientBalance:
                assert amount > before
                return
            assert amount <= before
            self.postings.append(posting)
            self.expected[(p.pk, Currency.POINTS)] -= amount

        @rule(
            a=st.sampled_from(range(len(persons))),
            b=st.sampled_from(range(len(persons))),
            amount=st.integers(1, 300),
        )
        def transfer_hours(self, a: int, b: int, amount: int) -> None:
            if a == b:
                return
            pa, pb = persons[a], persons[b]
            src = person_account(person=pa, currency=Currency.HOURS)
            dst = person_account(person=pb, currency=Currency.HOURS)
            try:
                posting = posting_create(
                    lines=[(src, -amount), (dst, amount)],
                    kind="transfer",
                    source="transfer:1",
                    memo="",
                    by=SYSTEM,
                    now=NOW,
                )
            except InsufficientBalance:
                assert amount > self.expected[(pa.pk, Currency.HOURS)]
                return
            self.postings.append(posting)
            self.expected[(pa.pk, Currency.HOURS)] -= amount
            self.expected[(pb.pk, Currency.HOURS)] += amount

        @precondition(lambda self: bool(self.postings))
        @rule(index=st.integers(0, 1000))
        def reverse(self, index: int) -> None:
            posting = self.postings[index % len(self.postings)]
            person_lines = [
                (e.account.person_id, e.account.currency, -e.amount)
                for e in posting.entries.select_related("account")
                if e.account.kind == AccountKind.PERSON
            ]
            try:
                posting_reverse(posting=posting, memo="", by=SYSTEM, now=NOW)
            except AlreadyReversed:
                assert posting.pk in self.reversed
                return
            except InsufficientBalance:
                assert any(self.expected[(pk, c)] + amount < 0 for pk, c, amount in person_lines)
                return
            assert posting.pk not in self.reversed
            self.reversed.add(posting.pk)
            for pk, c, amount in person_lines:
                self.expected[(pk, c)] += amount

        @invariant()
        def ledger_holds(self) -> None:
            if not self.expected:
                return
            assert first_violation() is None
            balances = {
                (a.person_id, a.currency): a.balance
                for a in Account.objects.filter(kind=AccountKind.PERSON, person__in=persons)
            }
            assert balances == self.expected
            assert min(balances.values()) >= 0

    return LedgerMachine


def test_ledger_state_machine(world) -> None:  # type: ignore[no-untyped-def]
    persons = [world.alice, world.bob, world.carol]
    run_state_machine_as_test(machine_for(persons), settings=SETTINGS)


def test_bad_lines_change_nothing(world) -> None:  # type: ignore[no-untyped-def]
    mine = person_account(person=world.alice, currency=Currency.POINTS)
    counter = system_account(code="c", currency=Currency.POINTS)
    for lines in ([(mine, 5)], [(mine, 5), (counter, -4)], [(mine, "5"), (counter, -5)]):
        with pytest.raises(LedgerError):
            posting_create(lines=lines, kind="x", source="x:1", memo="", by=SYSTEM, now=NOW)  # type: ignore[arg-type]
    assert not Posting.objects.exists()
    assert connection.vendor in {"sqlite", "postgresql"}
