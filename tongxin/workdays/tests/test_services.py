from datetime import date, datetime

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from conftest import NOW, SYSTEM
from tongxin.audit.models import AuditEvent
from tongxin.workdays.calendar import SHANGHAI, YearOrigin, work_calendar
from tongxin.workdays.models import CalendarDay, DayKind, DaySource
from tongxin.workdays.services import calendar_day_remove, calendar_day_set

pytestmark = pytest.mark.django_db

LAST_YEAR = datetime(2025, 12, 1, 10, tzinfo=SHANGHAI)


def test_load_holidays_is_idempotent_and_audited_once() -> None:
    call_command("load_holidays", year=2026)
    rows = list(CalendarDay.objects.values_list("date", "kind", "name", "source"))
    assert (date(2026, 2, 14), DayKind.WORKDAY, "春节", DaySource.PACKAGE) in rows
    assert (date(2026, 10, 1), DayKind.HOLIDAY, "国庆节", DaySource.PACKAGE) in rows
    events = AuditEvent.objects.filter(object_type="workdays.calendarday").count()
    call_command("load_holidays", year=2026)
    assert list(CalendarDay.objects.values_list("date", "kind", "name", "source")) == rows
    assert AuditEvent.objects.filter(object_type="workdays.calendarday").count() == events == 1


def test_table_agrees_with_chinese_calendar_after_loading() -> None:
    call_command("load_holidays", year=2025)
    call_command("load_holidays", year=2026)
    cal = work_calendar()
    day = date(2025, 1, 1)
    while day.year < 2027:
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day = date.fromordinal(day.toordinal() + 1)
    assert cal.year(2026).origin == YearOrigin.TABLE


@pytest.mark.parametrize("loaded_first", [True, False])
def test_manual_rows_win_and_survive_reloading(loaded_first: bool) -> None:
    if loaded_first:
        call_command("load_holidays", year=2026)
    # The package says 2026-02-14 (Saturday) is worked; the district decides to rest.
    calendar_day_set(date=date(2026, 2, 14), kind=DayKind.HOLIDAY, name="春节", by=SYSTEM, now=LAST_YEAR)
    call_command("load_holidays", year=2026)
    row = CalendarDay.objects.get(date=date(2026, 2, 14))
    assert (row.kind, row.source) == (DayKind.HOLIDAY, DaySource.MANUAL)
    assert not work_calendar().is_workday(date(2026, 2, 14))
    assert work_calendar().is_workday(date(2026, 2, 28))  # the package's other 调休 Saturday


def test_first_manual_edit_of_a_year_keeps_the_package_days() -> None:
    calendar_day_set(date=date(2026, 12, 26), kind=DayKind.WORKDAY, name="元旦", by=SYSTEM, now=NOW)
    cal = work_calendar()
    assert cal.is_workday(date(2026, 12, 26))
    assert not cal.is_workday(date(2026, 10, 1))  # still the package's 国庆节
    assert AuditEvent.objects.filter(object_type="workdays.calendarday", action="create").exists()


def test_a_year_the_package_does_not_know() -> None:
    with pytest.raises(CommandError, match="2027"):
        call_command("load_holidays", year=2027)
    assert not CalendarDay.objects.exists()
    assert work_calendar().year(2027).origin == YearOrigin.WEEKDAYS
    calendar_day_set(date=date(2027, 2, 8), kind=DayKind.HOLIDAY, name="春节", by=SYSTEM, now=NOW)
    cal = work_calendar()
    assert cal.year(2027).origin == YearOrigin.TABLE
    assert not cal.is_workday(date(2027, 2, 8))
    assert cal.is_workday(date(2027, 2, 9))


@pytest.mark.parametrize(
    ("day", "kind", "name", "field", "message"),
    [
        (date(2026, 12, 30), DayKind.WORKDAY, "元旦", "kind", "调休上班日必须是周六或周日"),
        (date(2026, 12, 5), DayKind.HOLIDAY, "元旦", "kind", "周末本来就休息"),
        (date(2026, 11, 2), DayKind.HOLIDAY, "元旦", "date", "不能修改已经过去的日期"),
        (date(2026, 12, 31), DayKind.HOLIDAY, "  ", "name", "请填写节日名称"),
        (date(2026, 12, 31), "leave", "元旦", "kind", "请选择"),
    ],
)
def test_bad_edits_are_refused_at_the_field_and_change_nothing(day, kind, name, field, message) -> None:
    with pytest.raises(ValidationError) as caught:
        calendar_day_set(date=day, kind=kind, name=name, by=SYSTEM, now=NOW)
    assert message in caught.value.message_dict[field][0]
    assert not CalendarDay.objects.exists()  # the year's seeding rolled back too
    assert not AuditEvent.objects.filter(object_type="workdays.calendarday").exists()


def test_a_weekend_next_to_a_holiday_may_be_a_holiday_and_removal_is_audited() -> None:
    calendar_day_set(date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦", by=SYSTEM, now=NOW)
    calendar_day_set(date=date(2027, 1, 2), kind=DayKind.HOLIDAY, name="元旦", by=SYSTEM, now=NOW)
    assert not work_calendar().is_workday(date(2027, 1, 1))
    calendar_day_remove(date=date(2027, 1, 1), by=SYSTEM, now=NOW)
    assert work_calendar().is_workday(date(2027, 1, 1))
    assert AuditEvent.objects.filter(object_type="workdays.calendarday", action="delete").count() == 1
