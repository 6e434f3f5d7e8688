"""The running clock across the 2026 National Day holiday (1–7 October off, Saturday 10 October a
working day): acceptance from submission, handling from acceptance, restarted on reopening,
cleared when the need leaves the open states; due_state_of and due_q agree."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tongxin.needs.deadlines import DueState, due_q, due_state_of
from tongxin.needs.models import Channel, Need
from tongxin.needs.services import (
    need_accept,
    need_claim,
    need_reopen,
    need_resolve,
    need_start,
    need_visit,
    need_withdraw,
)
from tongxin.needs.services import need_submit as _need_submit

from .conftest import actor

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


# Wednesday 30 September, 16:00: the last working afternoon before the holiday.
SUBMITTED = at(9, 30, 16)


def submit_at(nw: Any, now: datetime, *, urgent: bool = False, category: str = "property") -> Need:
    return _need_submit(
        text="楼道灯坏了一个星期,晚上老人上下楼看不见。",
        category=category,
        community=nw.w.c11,
        channel=Channel.MOBILE,
        by=actor(nw.resident),
        now=now,
        urgent=urgent,
    )


def test_acceptance_clock_skips_the_holiday_and_counts_the_adjusted_saturday(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    # One working day: the next working day (Thursday 8 October) at the same time.
    assert need.accept_due_at == at(10, 8, 16)
    # Urged at 80% of the office time in between (8.5 h a day): 8 October 14:18.
    assert need.urge_at == at(10, 8, 14, 18)
    # Escalated two working days later: Friday 9, then Saturday 10 October (调休上班).
    assert need.escalate_at == at(10, 10, 16)
    assert need.resolve_due_at is None
    assert due_state_of(need, at(10, 5, 12)) == DueState.ON_TIME
    assert due_state_of(need, at(10, 8, 15)) == DueState.URGE
    assert due_state_of(need, at(10, 9, 9)) == DueState.OVERDUE
    assert due_state_of(need, at(10, 10, 16)) == DueState.ESCALATE


def test_handling_clock_starts_at_acceptance(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    need_accept(need=need, by=actor(nw.staff11), now=at(10, 8, 10))
    need.refresh_from_db()
    # property: 5 working days from Thursday 8 October 10:00 → 9, 10 (Sat), 12, 13, 14 October.
    assert need.resolve_due_at == at(10, 14, 10)
    assert need.accept_due_at == at(10, 8, 16)  # kept: the rates compare it with accepted_at
    assert need.escalate_at == at(10, 16, 10)
    assert need.urge_at is not None
    assert at(10, 13) < need.urge_at < need.resolve_due_at
    assert need.urged_at is None
    assert need.escalated_at is None
    assert due_state_of(need, at(10, 12)) == DueState.ON_TIME


def test_urgent_needs_count_clock_hours(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, at(10, 3, 22), urgent=True)  # a holiday night
    assert need.accept_due_at == at(10, 3, 23)
    assert need.escalate_at == at(10, 4, 0)
    need_accept(need=need, by=actor(nw.staff11), now=at(10, 3, 22, 30))
    need.refresh_from_db()
    assert need.resolve_due_at == at(10, 4, 2, 30)
    assert need.escalate_at == at(10, 4, 6, 30)


def test_clock_is_cleared_when_the_need_leaves_the_open_states_and_restarts_on_reopen(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    need_accept(need=need, by=actor(nw.staff11), now=at(10, 8, 10))
    need_claim(need=need, by=actor(nw.alice), now=at(10, 8, 11))
    need_start(need=need, by=actor(nw.alice), now=at(10, 8, 12))
    need.refresh_from_db()
    assert need.urge_at is not None  # dispatch, claim and start keep the running clock
    need_resolve(need=need, result="已更换灯泡。", by=actor(nw.alice), now=at(10, 9, 10))
    need.refresh_from_db()
    # Waiting on the resident's rating: nobody is urged.
    assert need.urge_at is None
    assert need.escalate_at is None
    assert due_state_of(need, at(12, 1)) is None
    assert need.resolve_due_at == at(10, 14, 10)
    need_visit(need=need, rating=1, comment="还是不亮", by=actor(nw.resident), now=at(10, 9, 18))
    Need.objects.filter(pk=need.pk).update(urged_at=at(10, 9), escalated_at=at(10, 9))
    need_reopen(need=need, by=actor(nw.resident), now=at(10, 10, 9))
    need.refresh_from_db()
    # A fresh handling clock from the reopening (Saturday 10 October is a working day).
    assert need.resolve_due_at == at(10, 16, 9)
    assert need.urged_at is None
    assert need.escalated_at is None
    need_withdraw(need=need, by=actor(nw.resident), now=at(10, 11))
    need.refresh_from_db()
    assert need.urge_at is None
    assert need.escalate_at is None


def test_due_q_agrees_with_due_state_of(nw) -> None:  # type: ignore[no-untyped-def]
    needs = [submit_at(nw, SUBMITTED + timedelta(hours=h)) for h in (0, 20, 200)]
    needs.append(submit_at(nw, at(10, 3, 22), urgent=True))
    accepted = submit_at(nw, SUBMITTED)
    need_accept(need=accepted, by=actor(nw.staff11), now=at(10, 8, 10))
    resolved = submit_at(nw, SUBMITTED)
    need_accept(need=resolved, by=actor(nw.staff11), now=at(10, 8, 10))
    need_claim(need=resolved, by=actor(nw.alice), now=at(10, 8, 10))
    need_start(need=resolved, by=actor(nw.alice), now=at(10, 8, 10))
    need_resolve(need=resolved, result="好了", by=actor(nw.alice), now=at(10, 8, 11))
    escalated = submit_at(nw, SUBMITTED)
    Need.objects.filter(pk=escalated.pk).update(escalated_at=at(10, 10, 16), escalate_at=at(10, 14, 16))
    for moment in (
        at(10, 1),
        at(10, 3, 22, 30),
        at(10, 4, 1),
        at(10, 8, 15),
        at(10, 9, 9),
        at(10, 12),
        at(10, 20),
    ):
        for state in DueState.values:
            by_q = set(Need.objects.filter(due_q(state, moment)).values_list("pk", flat=True))
            by_python = {n.pk for n in Need.objects.all() if due_state_of(n, moment) == state}
            assert by_q == by_python, (moment, state)
    assert due_state_of(Need.objects.get(pk=escalated.pk), at(10, 12)) == DueState.ESCALATE
    assert due_state_of(Need.objects.get(pk=resolved.pk), at(10, 12)) is None
