"""退单 once per level, withdrawal before resolution, merging duplicates, reopening on a bad rating."""

import pytest

from conftest import NOW
from tongxin.needs.models import EventKind, Status
from tongxin.needs.selectors import need_timeline
from tongxin.needs.services import (
    NeedError,
    NeedTransitionNotAllowed,
    need_accept,
    need_bounce,
    need_dispatch,
    need_merge,
    need_reopen,
    need_resolve,
    need_start,
    need_visit,
    need_withdraw,
)

from .conftest import actor, submit

pytestmark = pytest.mark.django_db


def _accepted(nw):  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    return need


def test_a_branch_bounces_once_and_the_need_returns_to_the_dispatcher(nw) -> None:  # type: ignore[no-untyped-def]
    need = _accepted(nw)
    need_dispatch(need=need, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
    need_bounce(need=need, reason="本支部无维修力量", by=actor(nw.branch11), now=NOW)
    need.refresh_from_db()
    assert need.status == Status.ACCEPTED
    assert need.bounce_count == 1
    assert need.assigned_org is None
    # The bounce is internal: not on the resident's timeline.
    assert EventKind.BOUNCE not in need_timeline(need, public_only=True).values_list("kind", flat=True)
    assert need_timeline(need, public_only=False).filter(kind=EventKind.BOUNCE).exists()

    # Sent back to the same branch, it may not bounce again.
    need_dispatch(need=need, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NeedError) as err:
        need_bounce(need=need, reason="还是不行", by=actor(nw.branch11), now=NOW)
    assert "本级已退过一次单" in err.value.message
    need.refresh_from_db()
    assert need.status == Status.DISPATCHED
    assert need.bounce_count == 1

    # Another level (a community sent to by the street) may bounce its own once.
    to_community = _accepted(nw)
    need_dispatch(need=to_community, to=nw.w.c11, by=actor(nw.street1), now=NOW)
    need_bounce(need=to_community, reason="需街道协调", by=actor(nw.staff11), now=NOW)
    to_community.refresh_from_db()
    assert to_community.bounce_count == 1


def test_a_bounce_needs_a_reason(nw) -> None:  # type: ignore[no-untyped-def]
    need = _accepted(nw)
    need_dispatch(need=need, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NeedError) as err:
        need_bounce(need=need, reason="", by=actor(nw.branch11), now=NOW)
    assert err.value.field == "reason"


def test_the_resident_withdraws_until_it_is_resolved(nw) -> None:  # type: ignore[no-untyped-def]
    need = _accepted(nw)
    need_dispatch(need=need, to=nw.w.c11, by=actor(nw.staff11), now=NOW)
    need_start(need=need, by=actor(nw.staff11), now=NOW)
    need_resolve(need=need, result="已修复", by=actor(nw.staff11), now=NOW)
    with pytest.raises(NeedTransitionNotAllowed) as err:
        need_withdraw(need=need, by=actor(nw.resident), now=NOW)
    assert "已办结" in err.value.message


def test_a_duplicate_is_merged_into_an_open_need_of_the_same_community(nw) -> None:  # type: ignore[no-untyped-def]
    first, dup = _accepted(nw), submit(nw)
    elsewhere = submit(nw, community=nw.w.c12, by=nw.staff12, channel="staff", caller_name="周先生")
    with pytest.raises(NeedError):
        need_merge(need=dup, into=dup, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NeedError):
        need_merge(need=dup, into=elsewhere, by=actor(nw.street1), now=NOW)
    need_merge(need=dup, into=first, by=actor(nw.staff11), now=NOW)
    dup.refresh_from_db()
    assert dup.status == Status.MERGED
    assert dup.merged_into == first
    assert need_timeline(dup, public_only=True).last().note == f"与编号{first.pk}的诉求合并办理"
    # A merged need cannot take further duplicates.
    third = submit(nw)
    with pytest.raises(NeedError):
        need_merge(need=third, into=dup, by=actor(nw.staff11), now=NOW)


def _visited(nw, rating):  # type: ignore[no-untyped-def]
    need = _accepted(nw)
    need_dispatch(need=need, to=nw.w.alice, by=actor(nw.staff11), now=NOW)
    need_start(need=need, by=actor(nw.alice), now=NOW)
    need_resolve(need=need, result="已处理", by=actor(nw.alice), now=NOW)
    need_visit(need=need, rating=rating, comment="没修好", by=actor(nw.resident), now=NOW)
    return need


def test_an_unsatisfied_rating_reopens_the_need(nw) -> None:  # type: ignore[no-untyped-def]
    need = _visited(nw, 2)
    need_reopen(need=need, by=actor(nw.resident), now=NOW, reason="灯还是不亮")
    need.refresh_from_db()
    assert need.status == Status.ACCEPTED
    assert need.rating is None
    assert need.assigned_person is None
    kinds = list(need.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.VISIT, EventKind.REOPEN]
    assert "2星" in need.events.get(kind=EventKind.VISIT).note


def test_a_satisfied_rating_does_not_reopen(nw) -> None:  # type: ignore[no-untyped-def]
    need = _visited(nw, 3)
    with pytest.raises(NeedError) as err:
        need_reopen(need=need, by=actor(nw.resident), now=NOW)
    assert "1–2星" in err.value.message
    need.refresh_from_db()
    assert need.status == Status.VISITED
    assert need.rating == 3
