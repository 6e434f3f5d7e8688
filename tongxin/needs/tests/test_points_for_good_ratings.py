"""A member who serves a need the resident rates 4 or 5 stars earns the district's points for it,
with the need as the entry's source; lower ratings, and needs no person served, earn nothing."""

from datetime import timedelta

import pytest

from conftest import NOW
from tongxin.ledger.models import Currency, PointsAward, PointsRule
from tongxin.ledger.selectors import balance_of, entries_for, source_words
from tongxin.needs.services import (
    need_accept,
    need_claim,
    need_dispatch,
    need_reopen,
    need_resolve,
    need_start,
    need_visit,
)

from .conftest import actor, submit

pytestmark = pytest.mark.django_db


def _served_by_alice(nw):  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
    need_claim(need=need, by=actor(nw.alice), now=NOW)
    need_start(need=need, by=actor(nw.alice), now=NOW)
    need_resolve(need=need, result="已更换楼道灯泡两只。", by=actor(nw.alice), now=NOW)
    return need


def test_a_five_star_rating_gives_the_helper_the_rules_points_with_the_need_as_source(nw) -> None:  # type: ignore[no-untyped-def]
    rule = PointsRule.objects.get(code="need_resolved_good")
    need = _served_by_alice(nw)
    need_visit(need=need, rating=5, by=actor(nw.resident), now=NOW)

    assert balance_of(person=nw.w.alice, currency=Currency.POINTS) == rule.points_per_unit
    entry = entries_for(person=nw.w.alice, currency=Currency.POINTS).get()
    assert entry.posting.source == f"need:{need.pk}"
    assert source_words(entry.posting.source) == f"诉求办理 #{need.pk}"
    # The resident who rated earns nothing.
    assert balance_of(person=nw.fang, currency=Currency.POINTS) == 0


@pytest.mark.parametrize("rating", [1, 2, 3])
def test_a_middling_or_bad_rating_earns_nothing(nw, rating) -> None:  # type: ignore[no-untyped-def]
    need = _served_by_alice(nw)
    need_visit(need=need, rating=rating, by=actor(nw.resident), now=NOW)
    assert balance_of(person=nw.w.alice, currency=Currency.POINTS) == 0
    assert not PointsAward.objects.exists()


def test_a_need_reopened_after_one_star_earns_once_it_is_served_well(nw) -> None:  # type: ignore[no-untyped-def]
    need = _served_by_alice(nw)
    need_visit(need=need, rating=1, by=actor(nw.resident), now=NOW)
    need_reopen(need=need, by=actor(nw.resident), now=NOW, reason="灯还是不亮")
    later = NOW + timedelta(hours=2)
    need_dispatch(need=need, to=nw.w.alice, by=actor(nw.staff11), now=later)
    need_start(need=need, by=actor(nw.alice), now=later)
    need_resolve(need=need, result="换了整套灯具。", by=actor(nw.alice), now=later)
    need_visit(need=need, rating=4, by=actor(nw.resident), now=later)
    rule = PointsRule.objects.get(code="need_resolved_good")
    assert PointsAward.objects.get().granted == rule.points_per_unit


def test_a_need_dispatched_to_a_committee_and_resolved_by_staff_earns_no_one_points(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.c11, by=actor(nw.staff11), now=NOW)
    need_start(need=need, by=actor(nw.staff11), now=NOW)
    need_resolve(need=need, result="物业已修好。", by=actor(nw.staff11), now=NOW)
    need_visit(need=need, rating=5, by=actor(nw.resident), now=NOW)
    assert not PointsAward.objects.exists()


def test_the_daily_cap_records_the_award_as_capped_not_lost(nw) -> None:  # type: ignore[no-untyped-def]
    rule = PointsRule.objects.get(code="need_resolved_good")
    per_day_needs = rule.cap_per_day // rule.points_per_unit
    for _ in range(per_day_needs + 1):
        need_visit(need=_served_by_alice(nw), rating=5, by=actor(nw.resident), now=NOW)
    assert balance_of(person=nw.w.alice, currency=Currency.POINTS) == rule.cap_per_day
    last = PointsAward.objects.order_by("pk").last()
    assert (last.requested, last.granted) == (rule.points_per_unit, 0)
    assert last.capped_reason
