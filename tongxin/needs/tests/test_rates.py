"""The five rates: each counted as defined in tongxin.needs.rates, over needs made through the
services; None for an empty denominator; the subtree and the period cut; the child breakdown in
one query.

Deadlines are set on the rows after each step to fixed values, so that "on time" here depends on
the figures under test and not on the working-day calendar."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import NOW
from tongxin.needs.models import Channel, Need
from tongxin.needs.rates import NeedRates, need_rates, need_rates_by_child
from tongxin.needs.services import (
    need_accept,
    need_bounce,
    need_dispatch,
    need_merge,
    need_reopen,
    need_resolve,
    need_return,
    need_start,
    need_submit,
    need_visit,
    need_withdraw,
)

from .conftest import actor

pytestmark = pytest.mark.django_db

NOVEMBER = {"start": date(2026, 11, 1), "end": date(2026, 12, 1)}
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def _new(n: Any, *, community: Any, at: datetime, accept_within: timedelta = DAY) -> Need:
    need = need_submit(
        text="小区东门路灯坏了好几天,晚上很黑。",
        category="property",
        community=community,
        channel=Channel.MOBILE,
        by=actor(n.resident),
        now=at,
    )
    Need.objects.filter(pk=need.pk).update(accept_due_at=at + accept_within)
    return need


def _accept(need: Need, by: Any, at: datetime, *, resolve_within: timedelta = 3 * DAY) -> None:
    need_accept(need=need, by=actor(by), now=at)
    Need.objects.filter(pk=need.pk).update(resolve_due_at=at + resolve_within)


def _finish(need: Need, by: Any, at: datetime, *, rating: int | None = None, rater: Any = None) -> None:
    need.refresh_from_db()
    if need.status == "accepted":
        need_dispatch(need=need, to=need.community, by=actor(by), now=at)
    need_start(need=need, by=actor(by), now=at)
    need_resolve(need=need, result="已经修好了", by=actor(by), now=at)
    if rating is not None:
        need_visit(need=need, rating=rating, by=actor(rater or by), now=at + HOUR)


@pytest.fixture
def scenario(nw):  # type: ignore[no-untyped-def]
    """Needs in 杨树浦社区 (c11) and 复兴岛社区 (c12) of 定海路街道, and 长阳社区 (c21) of 平凉路街道."""
    w, s11 = nw.w, nw.staff11
    t = datetime(2026, 11, 2, 9, 0, tzinfo=NOW.tzinfo)
    n: dict[str, Need] = {}
    # c11 ─ accepted in time, dispatched to the branch, resolved in time, rated 5 by the resident.
    n["good"] = _new(nw, community=w.c11, at=t)
    _accept(n["good"], s11, t + HOUR)
    need_dispatch(need=n["good"], to=w.b11, by=actor(s11), now=t + 2 * HOUR)
    _finish(n["good"], nw.branch11, t + DAY, rating=5, rater=nw.resident)
    # c11 ─ accepted late, dispatched to the branch, bounced, sent to the community, resolved
    # late, rated 4 on the phone by staff.
    n["late"] = _new(nw, community=w.c11, at=t)
    _accept(n["late"], s11, t + 2 * DAY)
    need_dispatch(need=n["late"], to=w.b11, by=actor(s11), now=t + 2 * DAY)
    need_bounce(need=n["late"], reason="本支部无维修力量", by=actor(nw.branch11), now=t + 2 * DAY + HOUR)
    need_dispatch(need=n["late"], to=w.c11, by=actor(nw.street1), now=t + 3 * DAY)
    _finish(n["late"], s11, t + 9 * DAY, rating=4)
    # c11 ─ returned in time, and returned late (then archived: still counted as returned).
    n["returned"] = _new(nw, community=w.c11, at=t)
    need_return(need=n["returned"], reason="不属于社区职责", by=actor(s11), now=t + HOUR)
    n["returned_late"] = _new(nw, community=w.c11, at=t)
    need_return(need=n["returned_late"], reason="请拨打供电热线", by=actor(s11), now=t + 3 * DAY)
    # c11 ─ accepted then withdrawn by the resident; accepted then merged; never accepted.
    n["withdrawn"] = _new(nw, community=w.c11, at=t)
    _accept(n["withdrawn"], s11, t + HOUR)
    need_withdraw(need=n["withdrawn"], by=actor(nw.resident), now=t + 2 * HOUR)
    n["waiting"] = _new(nw, community=w.c11, at=t + 20 * DAY)
    n["merged"] = _new(nw, community=w.c11, at=t + 20 * DAY)
    _accept(n["merged"], s11, t + 20 * DAY + HOUR)
    need_merge(need=n["merged"], into=n["waiting"], by=actor(s11), now=t + 20 * DAY + 2 * HOUR)
    # c11 ─ resolved, rated 1, reopened: no longer resolved, still owed.
    n["reopened"] = _new(nw, community=w.c11, at=t)
    _accept(n["reopened"], s11, t + HOUR)
    _finish(n["reopened"], s11, t + DAY, rating=1, rater=nw.resident)
    need_reopen(need=n["reopened"], reason="灯还是不亮", by=actor(nw.resident), now=t + 2 * DAY)
    # c12 ─ accepted (no deadlines at all: on time by definition), resolved, not rated.
    n["c12"] = _new(nw, community=w.c12, at=t)
    Need.objects.filter(pk=n["c12"].pk).update(accept_due_at=None)
    need_accept(need=n["c12"], by=actor(nw.staff12), now=t + 5 * DAY)
    Need.objects.filter(pk=n["c12"].pk).update(resolve_due_at=None)
    _finish(n["c12"], nw.staff12, t + 30 * DAY)
    # c21 ─ another street: accepted in time, resolved in time, rated 2 on the phone.
    n["c21"] = _new(nw, community=w.c21, at=t)
    _accept(n["c21"], nw.staff21, t + HOUR)
    _finish(n["c21"], nw.staff21, t + DAY, rating=2)
    # c11 ─ submitted in October and resolved in November: another period.
    n["october"] = _new(nw, community=w.c11, at=t - 10 * DAY)
    _accept(n["october"], s11, t - 10 * DAY + HOUR)
    _finish(n["october"], s11, t, rating=5, rater=nw.resident)
    return n


def test_each_count_and_rate_for_a_community(nw, scenario) -> None:  # type: ignore[no-untyped-def]
    r = need_rates(territory=nw.w.c11, **NOVEMBER)
    # good, late, returned, returned_late, withdrawn, waiting, merged, reopened
    assert r.submitted == 8
    # answered at intake: good, late, withdrawn, merged, reopened + the two returned
    assert (r.accepted, r.returned) == (7, 2)
    # late accepted after its deadline, returned_late returned after it
    assert r.responded_on_time == 5
    assert r.response_rate == pytest.approx(5 / 7)
    # owed a result: good, late, reopened (withdrawn and merged are not)
    assert r.handling == 3
    assert r.resolved == 2
    assert r.resolution_rate == pytest.approx(2 / 3)
    assert r.resolved_on_time == 1
    assert r.on_time_rate == pytest.approx(1 / 2)
    # the reopened need's rating 1 was cleared when it was reopened
    assert (r.rated, r.satisfied) == (2, 2)
    assert r.satisfaction_rate == 1.0
    # dispatched: good, late, reopened
    assert (r.dispatched, r.bounced) == (3, 1)
    assert r.bounce_rate == pytest.approx(1 / 3)


def test_the_subtree_cut_street_and_district(nw, scenario) -> None:  # type: ignore[no-untyped-def]
    street = need_rates(territory=nw.w.street1, **NOVEMBER)
    c11 = need_rates(territory=nw.w.c11, **NOVEMBER)
    c12 = need_rates(territory=nw.w.c12, **NOVEMBER)
    c21 = need_rates(territory=nw.w.c21, **NOVEMBER)
    assert street == NeedRates(**{f: getattr(c11, f) + getattr(c12, f) for f in vars(c11)})
    c12_counts = (c12.accepted, c12.responded_on_time, c12.resolved, c12.resolved_on_time, c12.rated)
    assert c12_counts == (1, 1, 1, 1, 0)
    assert c12.satisfaction_rate is None
    assert (c21.submitted, c21.rated, c21.satisfied) == (1, 1, 0)
    assert c21.satisfaction_rate == 0.0
    district = need_rates(territory=nw.w.district, **NOVEMBER)
    assert district.submitted == street.submitted + c21.submitted == 10


def test_the_period_is_submission_in_start_to_end(nw, scenario) -> None:  # type: ignore[no-untyped-def]
    october = need_rates(territory=nw.w.c11, start=date(2026, 10, 1), end=date(2026, 11, 1))
    assert (october.submitted, october.resolved, october.satisfied) == (1, 1, 1)
    # end is exclusive: November 2 at 09:00 (local) is not in [Nov 1, Nov 2)
    assert need_rates(territory=nw.w.c11, start=date(2026, 11, 1), end=date(2026, 11, 2)).submitted == 0
    assert need_rates(territory=nw.w.c11, start=date(2026, 11, 2), end=date(2026, 11, 3)).submitted == 6


def test_no_needs_gives_zero_counts_and_no_rates(nw) -> None:  # type: ignore[no-untyped-def]
    r = need_rates(territory=nw.w.district, **NOVEMBER)
    assert r == NeedRates()
    assert (r.response_rate, r.on_time_rate, r.resolution_rate, r.satisfaction_rate, r.bounce_rate) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_only_submitted_needs_have_no_rates_but_a_count(nw) -> None:  # type: ignore[no-untyped-def]
    _new(nw, community=nw.w.c11, at=NOW)
    r = need_rates(territory=nw.w.street1, **NOVEMBER)
    assert r.submitted == 1
    assert r.response_rate is None
    assert r.resolution_rate is None
    assert r.bounce_rate is None


def test_by_child_matches_each_child_in_one_query(nw, scenario) -> None:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        by_street = need_rates_by_child(territory=nw.w.district, **NOVEMBER)
    # one for the children, one grouped query for all their figures
    assert len(queries.captured_queries) == 2
    assert [t for t, _r in by_street] == [nw.w.street1, nw.w.street2]
    for street, rates in by_street:
        assert rates == need_rates(territory=street, **NOVEMBER)
    by_community = need_rates_by_child(territory=nw.w.street1, **NOVEMBER)
    assert [t for t, _r in by_community] == [nw.w.c11, nw.w.c12]
    assert by_community[0][1] == need_rates(territory=nw.w.c11, **NOVEMBER)
    assert by_community[1][1] == need_rates(territory=nw.w.c12, **NOVEMBER)


def test_by_child_lists_children_without_needs(nw, scenario) -> None:  # type: ignore[no-untyped-def]
    by_street = need_rates_by_child(territory=nw.w.district, start=date(2025, 1, 1), end=date(2025, 2, 1))
    assert by_street == [(nw.w.street1, NeedRates()), (nw.w.street2, NeedRates())]
    # needs sit in communities; a community's children (grids) have none of their own
    assert need_rates_by_child(territory=nw.w.c11, **NOVEMBER) == [(nw.w.g111, NeedRates())]
    assert need_rates_by_child(territory=nw.w.g111, **NOVEMBER) == []
