import logging
from datetime import date, datetime, time, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxin.workdays import calendar as workdays_calendar
from tongxin.workdays.calendar import SHANGHAI, WorkCalendar, YearOrigin

from .conftest import package_source

CAL = WorkCalendar(package_source)


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 30), timezones=st.just(SHANGHAI)
)


@given(start=moments, n=st.integers(min_value=0, max_value=15))
def test_add_workdays_lands_on_a_working_day(start: datetime, n: int) -> None:
    assert CAL.is_workday(CAL.add_workdays(start, n).date())


@given(start=moments, n=st.integers(min_value=0, max_value=14))
def test_add_workdays_is_monotonic_in_n(start: datetime, n: int) -> None:
    assert CAL.add_workdays(start, n) < CAL.add_workdays(start, n + 1)


@given(start=moments, n=st.integers(min_value=1, max_value=15))
def test_workdays_between_inverts_add_workdays(start: datetime, n: int) -> None:
    assert CAL.workdays_between(start, CAL.add_workdays(start, n)) == n


@given(day=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)))
def test_agrees_with_chinese_calendar_for_2025_and_2026(day: date) -> None:
    assert CAL.is_workday(day) == chinese_calendar.is_workday(day)


@given(start=moments, hours=st.integers(min_value=0, max_value=60))
def test_working_hours_end_inside_office_hours_and_count_back(start: datetime, hours: int) -> None:
    end = CAL.add_working_hours(start, hours)
    assert CAL.is_workday(end.date())
    assert time(9, 0) <= end.time() <= time(17, 30)
    assert CAL.working_time_between(start, end) == timedelta(hours=hours)


def test_friday_afternoon_plus_one_working_day_is_monday_same_time() -> None:
    assert CAL.add_workdays(at(2026, 11, 27, 16), 1) == at(2026, 11, 30, 16)


def test_spring_festival_2026_with_its_adjusted_saturdays() -> None:
    # 2026-02-14 (Saturday) is worked; 15th-23rd off; 28th (Saturday) worked.
    assert CAL.is_workday(date(2026, 2, 14))
    assert not CAL.is_workday(date(2026, 2, 16))
    assert CAL.add_workdays(at(2026, 2, 13, 16), 1) == at(2026, 2, 14, 16)
    assert CAL.add_workdays(at(2026, 2, 13, 16), 2) == at(2026, 2, 24, 16)
    assert CAL.next_workday(date(2026, 2, 14)) == date(2026, 2, 24)
    assert CAL.workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6  # 14, 24-27, 28


def test_national_day_2026_with_mid_autumn_and_adjusted_days() -> None:
    # 中秋 25-27 Sep, 国庆 1-7 Oct; Sunday 20 Sep and Saturday 10 Oct are worked.
    assert CAL.add_workdays(at(2026, 9, 19, 10), 1) == at(2026, 9, 20, 17, 30)  # from a Saturday
    assert CAL.add_workdays(at(2026, 9, 24, 10), 1) == at(2026, 9, 28, 10)
    assert CAL.add_workdays(at(2026, 9, 30, 15), 1) == at(2026, 10, 8, 15)
    assert CAL.add_workdays(at(2026, 9, 30, 15), 3) == at(2026, 10, 10, 15)
    assert CAL.add_workdays(at(2026, 9, 30, 15), 4) == at(2026, 10, 12, 15)


def test_a_day_off_counts_from_the_next_working_day() -> None:
    saturday = at(2026, 11, 28, 10)
    assert CAL.add_workdays(saturday, 0) == at(2026, 11, 30, 9)
    assert CAL.add_workdays(saturday, 1) == at(2026, 11, 30, 17, 30)


def test_working_hours_skip_nights_weekends_and_holidays() -> None:
    assert CAL.add_working_hours(at(2026, 11, 27, 23), 4) == at(2026, 11, 30, 13)
    assert CAL.add_working_hours(at(2026, 11, 27, 16), 4) == at(2026, 11, 30, 11, 30)
    assert CAL.add_working_hours(at(2026, 9, 30, 17), 1) == at(2026, 10, 8, 9, 30)
    late = CAL.add_working_hours(at(2026, 11, 30, 8), 2, day_start=time(8), day_end=time(20))
    assert late == at(2026, 11, 30, 10)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        CAL.add_workdays(datetime(2026, 11, 27, 16), 1)


def test_unknown_year_falls_back_to_monday_to_friday_with_a_warning(caplog, monkeypatch) -> None:
    monkeypatch.setattr(workdays_calendar, "_warned_years", set())
    cal = WorkCalendar(package_source)
    with caplog.at_level(logging.WARNING, logger="tongxin.workdays.calendar"):
        assert cal.is_workday(date(2031, 1, 1))  # a Wednesday; 元旦 unknown to anyone
        assert not cal.is_workday(date(2031, 1, 4))
    assert cal.year(2031).origin == YearOrigin.WEEKDAYS
    assert "2031" in caplog.text
    assert "Monday-Friday" in caplog.text
