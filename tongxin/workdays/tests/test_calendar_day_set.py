"""calendar_day_set as the 工作日历 page uses it: set, clear (kind None), refuse, audit, and the
next deadline computed after an edit counting on the edited calendar."""

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import NOW, SYSTEM
from tongxin.audit.models import AuditEvent
from tongxin.workdays.calendar import SHANGHAI, YearOrigin, add_workdays, is_workday, work_calendar
from tongxin.workdays.models import CalendarDay, DayKind, DaySource
from tongxin.workdays.policy import deadline_for
from tongxin.workdays.services import calendar_day_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """The messages are compared in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def audits(action: str | None = None) -> int:
    events = AuditEvent.objects.filter(object_type="workdays.calendarday")
    return (events.filter(action=action) if action else events).count()


def test_set_a_holiday_then_back_to_normal_both_audited() -> None:
    day = date(2027, 1, 4)  # a Monday, in a year the package does not know
    row = calendar_day_set(date=day, kind=DayKind.HOLIDAY, name=" 元旦 ", by=SYSTEM, now=NOW)
    assert row is not None
    assert (row.kind, row.name, row.source) == (DayKind.HOLIDAY, "元旦", DaySource.MANUAL)
    assert not is_workday(day)
    assert audits("create") == 1
    assert calendar_day_set(date=day, kind=None, name="", by=SYSTEM, now=NOW) is None
    assert not CalendarDay.objects.filter(date=day).exists()
    assert is_workday(day)
    assert audits("delete") == 1


def test_clearing_a_normal_day_changes_nothing() -> None:
    calendar_day_set(date=date(2027, 3, 3), kind=None, name="", by=SYSTEM, now=NOW)
    assert not CalendarDay.objects.exists()
    assert audits() == 0


def test_clearing_a_package_day_seeds_the_year_first() -> None:
    # 2026-12-31 is not a package day, but clearing any day of 2026 must not lose the others.
    calendar_day_set(date=date(2026, 12, 31), kind=None, name="", by=SYSTEM, now=NOW)
    cal = work_calendar()
    assert cal.year(2026).origin == YearOrigin.TABLE
    assert not cal.is_workday(date(2026, 10, 1))


def test_a_changed_day_is_audited_as_an_update_with_what_it_was() -> None:
    day = date(2027, 2, 6)  # Saturday
    calendar_day_set(date=day, kind=DayKind.WORKDAY, name="春节", by=SYSTEM, now=NOW)
    calendar_day_set(date=day, kind=DayKind.WORKDAY, name="春节调休", by=SYSTEM, now=NOW)
    event = AuditEvent.objects.filter(object_type="workdays.calendarday", action="update").get()
    assert event.detail["before"][:2] == [DayKind.WORKDAY, "春节"]
    assert event.detail["name"] == "春节调休"


@pytest.mark.parametrize(
    ("day", "kind", "name", "field", "message"),
    [
        (date(2027, 1, 6), DayKind.WORKDAY, "春节", "kind", "调休上班日必须是周六或周日"),
        (date(2027, 1, 9), DayKind.HOLIDAY, "春节", "kind", "周末本来就休息"),
        (date(2027, 1, 6), DayKind.HOLIDAY, "", "name", "请填写节日名称"),
        (date(2027, 1, 6), DayKind.HOLIDAY, "节" * 51, "name", "不能超过 50 个字"),
        (date(2026, 11, 20), DayKind.HOLIDAY, "春节", "date", "不能修改已经过去的日期"),
        (date(2026, 11, 20), None, "", "date", "不能修改已经过去的日期"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(day, kind, name, field, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        calendar_day_set(date=day, kind=kind, name=name, by=SYSTEM, now=NOW)
    assert message in caught.value.message_dict[field][0]
    assert not CalendarDay.objects.exists()
    assert audits() == 0


def test_the_next_deadline_sees_an_edit() -> None:
    """Calendars are built per computation, so a year read before an edit is not reused after it."""
    accepted = datetime(2027, 1, 4, 10, tzinfo=SHANGHAI)  # Monday
    before = add_workdays(accepted, 1)
    assert before.date() == date(2027, 1, 5)
    due_before = deadline_for(category="policy", urgent=False, accepted_at=accepted)  # 3 working days
    assert due_before == datetime(2027, 1, 7, 10, tzinfo=SHANGHAI)
    calendar_day_set(date=date(2027, 1, 5), kind=DayKind.HOLIDAY, name="测试假日", by=SYSTEM, now=NOW)
    assert add_workdays(accepted, 1).date() == date(2027, 1, 6)
    assert deadline_for(category="policy", urgent=False, accepted_at=accepted) == datetime(
        2027, 1, 8, 10, tzinfo=SHANGHAI
    )
    calendar_day_set(date=date(2027, 1, 5), kind=None, name="", by=SYSTEM, now=NOW)
    assert add_workdays(accepted, 1).date() == date(2027, 1, 5)
