"""The posting services: balanced, locked, never negative, reversed once, capped points."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from conftest import NOW, SYSTEM
from tongxin.ledger.models import Account, CapReason, Currency, Entry, PointsAward, PointsRule, Posting
from tongxin.ledger.selectors import balance_of, entries_for, source_words, star_level, star_progress
from tongxin.ledger.services import (
    AlreadyReversed,
    InsufficientBalance,
    LedgerError,
    UnbalancedPosting,
    credits_earn,
    hours_record,
    person_account,
    points_award,
    posting_create,
    posting_reverse,
    source_reverse,
    system_account,
)

pytestmark = pytest.mark.django_db


def test_hours_record_credits_the_person_against_the_issued_account(world) -> None:  # type: ignore[no-untyped-def]
    posting = hours_record(person=world.alice, minutes=90, source="record:12", memo="", by=SYSTEM, now=NOW)
    assert balance_of(person=world.alice, currency=Currency.HOURS) == 90
    assert sorted(posting.entries.values_list("amount", flat=True)) == [-90, 90]
    entry = entries_for(person=world.alice, currency=Currency.HOURS).get()
    assert entry.balance_after == 90
    assert source_words(entry.posting.source) == "志愿服务记录 #12"


def test_unbalanced_and_mixed_postings_are_refused_and_nothing_is_written(world) -> None:  # type: ignore[no-untyped-def]
    pts = system_account(code="x", currency=Currency.POINTS)
    mine = person_account(person=world.alice, currency=Currency.POINTS)
    hours = person_account(person=world.bob, currency=Currency.HOURS)
    with pytest.raises(UnbalancedPosting) as err:
        posting_create(lines=[(pts, -5), (mine, 4)], kind="points", source="t:1", memo="", by=SYSTEM, now=NOW)
    assert "实际为 -1" in err.value.message
    with pytest.raises(LedgerError, match="一种币种"):
        posting_create(
            lines=[(pts, -5), (hours, 5)], kind="points", source="t:1", memo="", by=SYSTEM, now=NOW
        )
    with pytest.raises(LedgerError, match="不能为 0"):
        posting_create(lines=[(pts, 0), (mine, 0)], kind="points", source="t:1", memo="", by=SYSTEM, now=NOW)
    assert not Posting.objects.exists()
    assert not Entry.objects.exists()


def test_a_person_account_never_goes_negative(world) -> None:  # type: ignore[no-untyped-def]
    counter = system_account(code="redemption:counter", currency=Currency.POINTS)
    mine = person_account(person=world.alice, currency=Currency.POINTS)
    points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=2,
        source="record:1",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    with pytest.raises(InsufficientBalance) as err:
        posting_create(
            lines=[(mine, -25), (counter, 25)],
            kind="redemption",
            source="redemption:1",
            memo="",
            by=SYSTEM,
            now=NOW,
        )
    assert err.value.message == "积分余额不足:当前余额 20 积分,本次需要 25 积分。"
    assert balance_of(person=world.alice, currency=Currency.POINTS) == 20
    posting_create(
        lines=[(mine, -20), (counter, 20)],
        kind="redemption",
        source="redemption:2",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    assert balance_of(person=world.alice, currency=Currency.POINTS) == 0


def test_reversal_restores_balances_once(world) -> None:  # type: ignore[no-untyped-def]
    posting = hours_record(person=world.alice, minutes=60, source="record:3", memo="", by=SYSTEM, now=NOW)
    reversal = posting_reverse(posting=posting, memo="更正", by=SYSTEM, now=NOW)
    assert reversal.reverses == posting
    assert balance_of(person=world.alice, currency=Currency.HOURS) == 0
    assert Account.objects.get(code="hours:issued").balance == 0
    with pytest.raises(AlreadyReversed):
        posting_reverse(posting=posting, memo="", by=SYSTEM, now=NOW)
    with pytest.raises(LedgerError, match="冲正记录不能再冲正"):
        posting_reverse(posting=reversal, memo="", by=SYSTEM, now=NOW)


def test_source_reverse_reverses_every_live_posting_of_the_source(world) -> None:  # type: ignore[no-untyped-def]
    hours_record(person=world.alice, minutes=120, source="record:7", memo="", by=SYSTEM, now=NOW)
    points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=2,
        source="record:7",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    credits_earn(person=world.alice, minutes=120, source="record:7", memo="", by=SYSTEM, now=NOW)
    assert len(source_reverse(source="record:7", memo="更正", by=SYSTEM, now=NOW)) == 3
    assert source_reverse(source="record:7", memo="更正", by=SYSTEM, now=NOW) == []
    for currency in Currency.values:
        assert balance_of(person=world.alice, currency=currency) == 0


def test_points_over_the_daily_cap_are_recorded_as_capped(world) -> None:  # type: ignore[no-untyped-def]
    rule = PointsRule.objects.get(code="service_hour")  # 10 per hour, 80 a day
    first = points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=Decimal("6.5"),
        source="record:1",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    assert (first.requested, first.granted, first.capped_reason) == (65, 65, "")
    second = points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=3,
        source="record:2",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    assert (second.requested, second.granted, second.capped_reason) == (30, 15, CapReason.DAY)
    third = points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=1,
        source="record:3",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    assert (third.granted, third.capped_reason, third.posting) == (0, CapReason.DAY, None)
    assert balance_of(person=world.alice, currency=Currency.POINTS) == 80
    # The next day the cap starts again; a reversed award frees its room.
    nxt = points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=1,
        source="record:4",
        memo="",
        by=SYSTEM,
        now=NOW + timedelta(days=1),
    )
    assert nxt.granted == 10
    source_reverse(source="record:1", memo="", by=SYSTEM, now=NOW)
    again = points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=1,
        source="record:5",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    assert again.granted == 10
    assert PointsAward.objects.filter(rule=rule).count() == 5


def test_budget_and_inactive_rules(world) -> None:  # type: ignore[no-untyped-def]
    PointsRule.objects.filter(code="meeting_attended").update(yearly_budget=12, cap_per_year=None)
    a = points_award(
        person=world.alice,
        rule_code="meeting_attended",
        quantity=2,
        source="meeting:1",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    b = points_award(
        person=world.bob,
        rule_code="meeting_attended",
        quantity=1,
        source="meeting:1",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    assert (a.granted, b.granted, b.capped_reason) == (10, 2, CapReason.BUDGET)
    PointsRule.objects.filter(code="activity_attended").update(active=False)
    c = points_award(
        person=world.alice,
        rule_code="activity_attended",
        quantity=1,
        source="activity:1",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    assert (c.granted, c.capped_reason) == (0, CapReason.INACTIVE)
    with pytest.raises(LedgerError, match="不存在"):
        points_award(
            person=world.alice, rule_code="nope", quantity=1, source="x:1", memo="", by=SYSTEM, now=NOW
        )
    with pytest.raises(LedgerError, match="正数"):
        points_award(
            person=world.alice,
            rule_code="service_hour",
            quantity=-1,
            source="x:1",
            memo="",
            by=SYSTEM,
            now=NOW,
        )


def test_bad_minutes_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    for minutes in (0, -5, 1.5, True):
        with pytest.raises(LedgerError, match="正整数分钟"):
            hours_record(person=world.alice, minutes=minutes, source="record:1", memo="", by=SYSTEM, now=NOW)
    assert not Posting.objects.exists()


def test_the_database_refuses_to_edit_or_delete_ledger_rows(world) -> None:  # type: ignore[no-untyped-def]
    posting = hours_record(person=world.alice, minutes=60, source="record:1", memo="", by=SYSTEM, now=NOW)
    award = points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=1,
        source="record:1",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    for statement in (
        lambda: Entry.objects.filter(posting=posting).update(amount=600),
        lambda: Entry.objects.filter(posting=posting).delete(),
        lambda: Posting.objects.filter(pk=posting.pk).update(memo="x"),
        lambda: Posting.objects.filter(pk=posting.pk).delete(),
        lambda: PointsAward.objects.filter(pk=award.pk).update(granted=0),
    ):
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
            statement()
    assert Entry.objects.filter(posting=posting, amount=60).exists()


def test_the_database_refuses_a_negative_person_balance(world) -> None:  # type: ignore[no-untyped-def]
    mine = person_account(person=world.alice, currency=Currency.POINTS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=mine.pk).update(balance=-1)


def test_star_levels() -> None:
    assert [star_level(minutes=h * 60) for h in (0, 99, 100, 299, 300, 600, 1000, 1499, 1500, 9999)] == [
        0,
        0,
        1,
        1,
        2,
        3,
        4,
        4,
        5,
        5,
    ]
    assert star_progress(minutes=200 * 60) == {
        "level": 1,
        "next_hours": 300,
        "missing_minutes": 6000,
        "percent": 50,
    }
    assert star_progress(minutes=1500 * 60)["next_hours"] is None


def test_sources_read_as_words() -> None:
    assert source_words("record:12") == "志愿服务记录 #12"
    assert source_words("redemption:3") == "积分兑换 #3"
    assert source_words("timebank:transfer:5") == "时间币转赠 #5"
    assert source_words("timebank:booking:9") == "时间币预约服务 #9"
    assert source_words("signup:4") == "参加志愿活动 #4"
    assert source_words("adjustment:77") == "人工调整"
    assert source_words("mystery:1") == "mystery:1"
    assert source_words("need") == "诉求办理"
