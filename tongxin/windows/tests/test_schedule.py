"""Open-now and next-opening labels from a point's staggered week: evenings, weekends, closures,
holidays; ranges never cross midnight."""

from datetime import date, time, timedelta

import pytest

from tongxin.windows.models import HoursKind
from tongxin.windows.schedule import ClosedDay, Range, Schedule, overlapping

from .conftest import WEEK, at


def week(**kw):  # type: ignore[no-untyped-def]
    return Schedule(ranges=[Range(*r) for r in WEEK], **kw)


def test_open_in_the_morning_with_its_closing_time() -> None:
    status = week().status_at(at(1, 10))  # Monday 10:00
    assert status.open_now
    assert status.label == "现在开放(至12:00)"


def test_lunch_break_says_when_it_opens_again_today() -> None:
    status = week().status_at(at(1, 12, 30))
    assert not status.open_now
    assert status.label == "今天13:30开放"


def test_an_evening_opening_says_tonight() -> None:
    evening = Schedule(ranges=[Range(1, time(18), time(20, 30), HoursKind.OPEN)])
    assert evening.status_at(at(2, 15)).label == "今晚18:00开放"  # Tuesday afternoon
    assert evening.status_at(at(2, 19)).label == "现在开放(至20:30)"
    assert evening.status_at(at(2, 20, 30)).label == "周二18:00开放"  # closed at 20:30 sharp: next week


def test_booking_only_evenings_do_not_make_a_point_open_now() -> None:
    status = week().status_at(at(2, 19))  # Tuesday 19:00, 预约服务 only
    assert not status.open_now
    assert status.label == "明天09:00开放"


def test_saturday_morning_and_sunday_closed() -> None:
    assert week().status_at(at(6, 9, 30)).open_now  # Saturday
    sunday = week().status_at(at(0, 10))  # NOW, Sunday
    assert not sunday.open_now
    assert sunday.label == "明天09:00开放"
    assert week().status_at(at(6, 12, 5)).label == "周一09:00开放"


def test_a_closure_shuts_the_day_and_names_its_reason() -> None:
    monday = at(1, 10).date()
    closed = week(closures=[ClosedDay(monday, monday, "设备检修")])
    status = closed.status_at(at(1, 10))
    assert not status.open_now
    assert status.label == "今日闭馆:设备检修,明天09:00开放"
    assert closed.slots_on(monday) == []


def test_a_public_holiday_closes_a_point_that_rests_on_holidays() -> None:
    monday = at(1, 10).date()
    holiday = week(holidays={monday: "元旦"})
    assert holiday.closed_reason(monday) == "元旦"
    assert not holiday.status_at(at(1, 10)).open_now


def test_nothing_ahead_says_so() -> None:
    assert Schedule(ranges=[]).status_at(at(0, 10)).label == "近期不开放"


def test_slots_cover_both_kinds_and_drop_a_short_tail() -> None:
    tuesday = at(2, 0).date()
    slots = week().slots_on(tuesday)
    starts = [s[0].strftime("%H:%M") for s in slots]
    assert starts[:2] == ["09:00", "09:30"]
    assert "13:30" in starts
    assert "16:30" in starts
    assert "17:00" not in starts
    evening = [s for s in slots if s[2] == HoursKind.BOOKING]
    assert [s[0].strftime("%H:%M") for s in evening] == ["18:00", "18:30", "19:00", "19:30", "20:00"]
    odd = Schedule(ranges=[Range(1, time(18), time(19, 10), HoursKind.OPEN)], slot_minutes=30)
    assert [s[0].strftime("%H:%M") for s in odd.slots_on(tuesday)] == ["18:00", "18:30"]


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        ([(time(9), time(12)), (time(12), time(13))], False),  # touching is fine
        ([(time(9), time(12)), (time(11), time(13))], True),
        ([(time(18), time(20)), (time(9), time(12)), (time(19), time(21))], True),
        ([(time(9), time(10))], False),
    ],
)
def test_overlap(ranges, expected) -> None:  # type: ignore[no-untyped-def]
    assert overlapping(ranges) is expected


def test_a_day_far_ahead_has_no_running_range() -> None:
    s = week()
    far = at(0, 10) + timedelta(days=400)
    assert isinstance(s.next_opening(far), type(at(0, 10)))
    assert s.ranges_on(date(2027, 1, 4), kinds=[HoursKind.BOOKING]) == []  # a Monday: no evening
