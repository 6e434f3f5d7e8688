"""verify_ledger names the first broken invariant: each test corrupts one row behind the
triggers' back and reads the name."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import NOW, SYSTEM
from tongxin.ledger import triggers
from tongxin.ledger.models import Account, Entry, PointsRule, Posting
from tongxin.ledger.services import hours_record, points_award, posting_reverse
from tongxin.ledger.verify import first_violation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(world):  # type: ignore[no-untyped-def]
    world.h1 = hours_record(person=world.alice, minutes=120, source="record:1", memo="", by=SYSTEM, now=NOW)
    world.h2 = hours_record(person=world.bob, minutes=60, source="record:2", memo="", by=SYSTEM, now=NOW)
    world.award = points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=2,
        source="record:1",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    world.rev = posting_reverse(posting=world.h2, memo="更正", by=SYSTEM, now=NOW)
    return world


def corrupt(fn) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while deferred foreign-key checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        triggers.allow_test_flush(cursor, connection.vendor)
    try:
        fn()
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            triggers.restore_after_test_flush(cursor, connection.vendor)


def test_a_sound_ledger_passes(ledger, capsys) -> None:  # type: ignore[no-untyped-def]
    assert first_violation() is None
    call_command("verify_ledger")
    assert "账本校验通过" in capsys.readouterr().out


def test_an_edited_entry_is_named(ledger) -> None:  # type: ignore[no-untyped-def]
    entry = ledger.h1.entries.order_by("pk").last()
    corrupt(lambda: Entry.objects.filter(pk=entry.pk).update(amount=150))
    with pytest.raises(CommandError) as err:
        call_command("verify_ledger")
    assert f"记账 #{ledger.h1.pk} 的分录合计为 30" in str(err.value)


def test_a_balance_that_differs_from_its_entries_is_named(ledger) -> None:  # type: ignore[no-untyped-def]
    account = Account.objects.get(person=ledger.alice, currency="hours")
    Account.objects.filter(pk=account.pk).update(balance=100)  # balances are not trigger-protected
    v = first_violation()
    assert v is not None
    assert v.check == "balance"
    assert f"账户 #{account.pk} 的余额为 100,但分录合计为 120" in v.message


def test_a_wrong_running_balance_is_named(ledger) -> None:  # type: ignore[no-untyped-def]
    entry = ledger.h1.entries.get(amount=120)
    corrupt(lambda: Entry.objects.filter(pk=entry.pk).update(balance_after=119))
    v = first_violation()
    assert v is not None
    assert (v.check, f"分录 #{entry.pk}" in v.message) == ("running_balance", True)


def test_a_reversal_of_the_wrong_posting_is_named(ledger) -> None:  # type: ignore[no-untyped-def]
    corrupt(lambda: Posting.objects.filter(pk=ledger.rev.pk).update(reverses=ledger.h1))
    v = first_violation()
    assert v is not None
    assert v.check == "reversal"
    assert f"冲正记账 #{ledger.rev.pk}" in v.message


def test_an_award_that_disagrees_with_its_posting_is_named(ledger) -> None:  # type: ignore[no-untyped-def]
    from tongxin.ledger.models import PointsAward

    corrupt(lambda: PointsAward.objects.filter(pk=ledger.award.pk).update(granted=25, requested=25))
    v = first_violation()
    assert v is not None
    assert v.check == "award_posting"
    assert f"积分奖励 #{ledger.award.pk}" in v.message


def test_awards_over_a_cap_are_named(ledger) -> None:  # type: ignore[no-untyped-def]
    PointsRule.objects.filter(code="service_hour").update(cap_per_day=5)  # behind the service's back
    v = first_violation()
    assert v is not None
    assert v.check == "caps"
    assert "超过每日上限 5" in v.message
