"""The scheduled clock with fixed `now` values across the National Day holiday: urging, escalation
one level up per period and never above the district, idempotency, two workers at once, the task
and the command."""

import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from tongxin.audit.models import AuditEvent
from tongxin.core.actor import Actor
from tongxin.needs import policies
from tongxin.needs.deadlines import DueState, due_state_of
from tongxin.needs.models import EventKind, Need, NeedEvent
from tongxin.needs.services import NeedNotAllowed, need_accept, need_resolve
from tongxin.needs.services.clock import CLOCK, need_clock_advance
from tongxin.needs.tasks import need_clock_tick

from .conftest import actor
from .test_deadlines import SUBMITTED, at, submit_at

SH = ZoneInfo("Asia/Shanghai")


def kinds(need: Need) -> list[str]:
    return list(need.events.values_list("kind", flat=True))


@pytest.mark.django_db
def test_nothing_happens_over_the_holiday_then_urge_then_escalate_twice_and_stop(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    # Holiday: the acceptance deadline is 8 October 16:00, nothing is due before.
    for moment in (at(10, 1), at(10, 5), at(10, 8, 14)):
        assert need_clock_advance(now=moment).urged == 0
    assert kinds(need) == ["submit"]

    r = need_clock_advance(now=at(10, 8, 14, 30))
    assert (r.urged, r.escalated) == (1, 0)
    need.refresh_from_db()
    assert need.urged_at == at(10, 8, 14, 30)
    urge = need.events.get(kind=EventKind.URGE)
    assert urge.public is False
    assert urge.actor is None
    assert urge.actor_label == CLOCK.label
    assert urge.from_status == urge.to_status == "submitted"
    assert "受理时限(10-08 16:00)" in urge.note

    # Overdue on 9 October, escalated on Saturday 10 October 16:00 (a working day) to the street.
    assert need_clock_advance(now=at(10, 9, 12)).escalated == 0
    r = need_clock_advance(now=at(10, 10, 16))
    assert (r.urged, r.escalated) == (0, 1)
    need.refresh_from_db()
    assert need.status == "submitted"  # escalation changes who watches, not the status
    assert need.escalation_level == 1
    assert need.escalated_to == nw.w.street1
    assert need.escalated_at == at(10, 10, 16)
    # The next escalation two working days later: Monday 12, Tuesday 13 October.
    assert need.escalate_at == at(10, 13, 16)
    assert due_state_of(need, at(10, 12)) == DueState.ESCALATE
    event = need.events.get(kind=EventKind.ESCALATE)
    assert event.public is False
    assert "定海路街道" in event.note

    r = need_clock_advance(now=at(10, 13, 16))
    need.refresh_from_db()
    assert r.escalated == 1
    assert need.escalation_level == 2
    assert need.escalated_to == nw.w.district
    # The district is the root: no further escalation is scheduled.
    assert need.escalate_at is None
    assert need_clock_advance(now=at(12, 31)).escalated == 0
    need.refresh_from_db()
    assert need.escalation_level == 2
    assert kinds(need) == ["submit", "urge", "escalate", "escalate"]
    assert AuditEvent.objects.filter(actor_id__isnull=True, detail__step="escalate").count() == 2


@pytest.mark.django_db
def test_a_tick_is_idempotent(nw) -> None:  # type: ignore[no-untyped-def]
    needs = [submit_at(nw, SUBMITTED) for _ in range(3)]
    first = need_clock_advance(now=at(10, 8, 15))
    again = need_clock_advance(now=at(10, 8, 15))
    assert (first.urged, again.urged) == (3, 0)
    first = need_clock_advance(now=at(10, 10, 17))
    again = need_clock_advance(now=at(10, 10, 17))
    assert (first.escalated, again.escalated) == (3, 0)
    assert NeedEvent.objects.filter(kind=EventKind.URGE).count() == 3
    assert NeedEvent.objects.filter(kind=EventKind.ESCALATE).count() == 3
    for need in needs:
        need.refresh_from_db()
        assert need.escalation_level == 1


@pytest.mark.django_db
def test_escalation_supersedes_urging_after_a_long_outage(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    r = need_clock_advance(now=at(10, 12, 9))  # the worker was down from before the urge moment
    assert (r.urged, r.escalated) == (0, 1)
    assert kinds(need) == ["submit", "escalate"]


@pytest.mark.django_db
def test_acceptance_restarts_the_clock_and_the_handling_clock_urges_the_handlers(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    need_clock_advance(now=at(10, 8, 15))
    need_accept(need=need, by=actor(nw.staff11), now=at(10, 8, 15, 30))
    need.refresh_from_db()
    assert need.urged_at is None
    assert need_clock_advance(now=at(10, 9)).urged == 0
    assert need.resolve_due_at is not None
    r = need_clock_advance(now=need.resolve_due_at)
    assert r.urged == 1
    assert "办结时限" in need.events.filter(kind=EventKind.URGE).last().note  # type: ignore[union-attr]


@pytest.mark.django_db
def test_resolved_and_closed_needs_are_left_alone(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    need_accept(need=need, by=actor(nw.staff11), now=at(10, 8, 10))
    from tongxin.needs.services import need_claim, need_start

    need_claim(need=need, by=actor(nw.alice), now=at(10, 8, 10))
    need_start(need=need, by=actor(nw.alice), now=at(10, 8, 10))
    need_resolve(need=need, result="已修好", by=actor(nw.alice), now=at(10, 8, 11))
    assert need_clock_advance(now=at(12, 31)) == need_clock_advance(now=at(12, 31))
    assert kinds(need)[-1] == "resolve"


@pytest.mark.django_db
def test_the_system_may_urge_and_escalate_and_nothing_else(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    assert policies.may(None, EventKind.URGE, need)
    assert policies.may(None, EventKind.ESCALATE, need)
    for kind in (
        EventKind.ACCEPT,
        EventKind.RETURN,
        EventKind.RECLASSIFY,
        EventKind.CONSENT,
        EventKind.CLAIM,
    ):
        assert not policies.may(None, kind, need)
    with pytest.raises(NeedNotAllowed):
        need_accept(need=need, by=Actor.system("clock"), now=at(10, 8))
    # …and people may not urge or escalate by hand through the clock's steps.
    assert not policies.may(nw.staff11, EventKind.URGE, need)
    assert not policies.may(nw.street1, EventKind.ESCALATE, need)


@pytest.mark.django_db
def test_the_task_and_the_command(nw) -> None:  # type: ignore[no-untyped-def]
    submit_at(nw, SUBMITTED)
    result = need_clock_tick.enqueue(at(10, 8, 15).isoformat())
    assert result.return_value == {"urged": 1, "escalated": 0}
    out = StringIO()
    call_command("need_clock", "--once", "--now", at(10, 10, 17).isoformat(), stdout=out)
    assert "上报 1 件" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("need_clock", "--once", "--now", "2026-10-10 17:00")
    with pytest.raises(CommandError):
        call_command("need_clock", "--now", at(10, 10).isoformat())


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrent_writers
def test_two_workers_at_once_do_not_double(nw) -> None:  # type: ignore[no-untyped-def]
    for _ in range(30):
        submit_at(nw, SUBMITTED)
    barrier = threading.Barrier(2)
    results: list[tuple[int, int]] = []

    def work() -> None:
        try:
            barrier.wait(5)
            r = need_clock_advance(now=at(10, 12, 9))
            results.append((r.urged, r.escalated))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(e for _, e in results) == 30
    assert NeedEvent.objects.filter(kind=EventKind.ESCALATE).count() == 30
    assert set(Need.objects.values_list("escalation_level", flat=True)) == {1}
