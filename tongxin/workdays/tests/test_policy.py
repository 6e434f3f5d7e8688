from datetime import datetime

import pytest
from django.test import override_settings

from tongxin.workdays.calendar import SHANGHAI, WorkCalendar
from tongxin.workdays.policy import (
    CATEGORY_CODES,
    DueState,
    accept_schedule_for,
    deadline_for,
    due_state,
    schedule_for,
)

from .conftest import package_source

CAL = WorkCalendar(package_source)


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def test_the_fourteen_categories_of_the_design() -> None:
    assert len(CATEGORY_CODES) == 14
    assert {"elderly", "psych", "policy", "other"} <= CATEGORY_CODES


def test_accept_within_one_working_day() -> None:
    friday = at(2026, 11, 27, 16)
    assert accept_schedule_for(submitted_at=friday, urgent=False, calendar=CAL).due_at == at(2026, 11, 30, 16)


def test_finish_deadline_per_category_over_the_national_day() -> None:
    accepted = at(2026, 9, 30, 15)
    assert deadline_for(category="policy", urgent=False, accepted_at=accepted, calendar=CAL) == at(
        2026, 10, 10, 15
    )
    assert deadline_for(category="property", urgent=False, accepted_at=accepted, calendar=CAL) == at(
        2026, 10, 13, 15
    )


def test_urgent_need_at_23_counts_clock_hours_by_default() -> None:
    late = at(2026, 11, 27, 23)
    assert deadline_for(category="safety", urgent=True, accepted_at=late, calendar=CAL) == at(2026, 11, 28, 3)


@override_settings(TONGXIN_URGENT_CLOCK="working")
def test_urgent_need_at_23_on_the_working_clock() -> None:
    late = at(2026, 11, 27, 23)
    assert deadline_for(category="safety", urgent=True, accepted_at=late, calendar=CAL) == at(
        2026, 11, 30, 13
    )


@override_settings(TONGXIN_NEED_DEADLINES={"finish_workdays": {"policy": 1}, "urgent_finish_hours": 2})
def test_settings_override_single_keys() -> None:
    friday = at(2026, 11, 27, 16)
    assert deadline_for(category="policy", urgent=False, accepted_at=friday, calendar=CAL) == at(
        2026, 11, 30, 16
    )
    assert deadline_for(category="legal", urgent=False, accepted_at=friday, calendar=CAL) == at(
        2026, 12, 11, 16
    )
    assert deadline_for(category="legal", urgent=True, accepted_at=friday, calendar=CAL) == at(
        2026, 11, 27, 18
    )


@override_settings(TONGXIN_URGENT_CLOCK="nights-off")
def test_a_wrong_clock_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="TONGXIN_URGENT_CLOCK"):
        deadline_for(category="safety", urgent=True, accepted_at=at(2026, 11, 27, 23), calendar=CAL)


def test_unknown_category_is_refused() -> None:
    with pytest.raises(ValueError, match="category"):
        deadline_for(category="weather", urgent=False, accepted_at=at(2026, 11, 27, 16), calendar=CAL)


def test_urge_at_80_percent_of_office_time_then_overdue_then_escalate() -> None:
    # policy: 3 working days from Friday 16:00 → Wednesday 16:00; 25.5 office hours, 80% = 20.4 h.
    s = schedule_for(category="policy", urgent=False, accepted_at=at(2026, 11, 27, 16), calendar=CAL)
    assert (s.urge_at, s.due_at, s.escalate_at) == (
        at(2026, 12, 2, 10, 54),
        at(2026, 12, 2, 16),
        at(2026, 12, 4, 16),
    )
    assert due_state(schedule=s, now=at(2026, 12, 1, 12)) == DueState.ON_TIME
    assert due_state(schedule=s, now=at(2026, 12, 2, 11)) == DueState.URGE
    assert due_state(schedule=s, now=at(2026, 12, 2, 16)) == DueState.URGE
    assert due_state(schedule=s, now=at(2026, 12, 2, 16, 1)) == DueState.OVERDUE
    assert due_state(schedule=s, now=at(2026, 12, 4, 16)) == DueState.ESCALATE


def test_urgent_schedule_on_the_clock() -> None:
    s = schedule_for(category="safety", urgent=True, accepted_at=at(2026, 11, 27, 23), calendar=CAL)
    assert (s.urge_at, s.due_at, s.escalate_at) == (
        datetime(2026, 11, 28, 2, 12, tzinfo=SHANGHAI),
        at(2026, 11, 28, 3),
        at(2026, 11, 28, 7),
    )
