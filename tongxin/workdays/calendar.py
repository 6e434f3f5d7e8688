"""Working days and deadlines on China's calendar (public holidays and 调休), in Asia/Shanghai time.

Where a year's answer comes from, in order:
1. the CalendarDay table, when it has any row for that year (administrators' edits included);
2. the chinese_calendar package, for the years it covers (1.11.0: 2004–2026);
3. otherwise plain Monday–Friday, with a logged warning, since deadlines must still be computed
   when nobody has entered the year's holidays yet.

The arithmetic lives in WorkCalendar, which takes its years from a function, so it is pure given
that function; the module-level functions build one over the database for the caller. A caller
computing many deadlines at once (a background task) should build one `work_calendar()` and reuse
it: each year is read once per calendar object, never cached across requests, so an administrator's
edit applies at once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.conf import settings

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_DAY_START = time(9, 0)
DEFAULT_DAY_END = time(17, 30)

PACKAGE_YEARS = range(
    min(chinese_calendar.constants.holidays).year, max(chinese_calendar.constants.holidays).year + 1
)
_warned_years: set[int] = set()


class YearOrigin:
    TABLE = "table"
    PACKAGE = "package"
    WEEKDAYS = "weekdays"


@dataclass(frozen=True)
class YearDays:
    """A year's exceptions to Monday–Friday, and where they came from."""

    origin: str
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)


def package_knows(year: int) -> bool:
    return year in PACKAGE_YEARS


def package_year(year: int) -> YearDays:
    """The package's 放假 and 调休上班 days of a year it knows, with Chinese names."""
    if not package_knows(year):
        raise LookupError(year)
    names = {h.value: h.chinese for h in Holiday}
    constants = chinese_calendar.constants
    return YearDays(
        origin=YearOrigin.PACKAGE,
        holidays={d: names.get(n, n) for d, n in constants.holidays.items() if d.year == year},
        workdays={d: names.get(n, n) for d, n in constants.workdays.items() if d.year == year},
    )


def weekdays_year(year: int) -> YearDays:
    if year not in _warned_years:
        _warned_years.add(year)
        logger.warning(
            "No holiday data for %s (neither the calendar table nor chinese_calendar %s-%s): "
            "counting Monday-Friday only. Run load_holidays or enter the year's days by hand.",
            year,
            PACKAGE_YEARS.start,
            PACKAGE_YEARS.stop - 1,
        )
    return YearDays(origin=YearOrigin.WEEKDAYS)


def database_year(year: int) -> YearDays:
    from .models import CalendarDay, DayKind

    rows = list(CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name"))
    if rows:
        return YearDays(
            origin=YearOrigin.TABLE,
            holidays={d: n for d, k, n in rows if k == DayKind.HOLIDAY},
            workdays={d: n for d, k, n in rows if k == DayKind.WORKDAY},
        )
    if package_knows(year):
        return package_year(year)
    return weekdays_year(year)


def configured_day() -> tuple[time, time]:
    """Office hours from settings (TONGXIN_WORKDAY_START/END, "HH:MM"), 09:00–17:30 by default."""
    start = getattr(settings, "TONGXIN_WORKDAY_START", None)
    end = getattr(settings, "TONGXIN_WORKDAY_END", None)
    day_start = time.fromisoformat(start) if start else DEFAULT_DAY_START
    day_end = time.fromisoformat(end) if end else DEFAULT_DAY_END
    if day_start >= day_end:
        raise ValueError("TONGXIN_WORKDAY_START must be before TONGXIN_WORKDAY_END")
    return day_start, day_end


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place on the calendar; pass an aware one")
    return moment.astimezone(SHANGHAI)


class WorkCalendar:
    def __init__(self, year_source: Callable[[int], YearDays] = database_year) -> None:
        self._source = year_source
        self._years: dict[int, YearDays] = {}

    def year(self, year: int) -> YearDays:
        if year not in self._years:
            self._years[year] = self._source(year)
        return self._years[year]

    def is_workday(self, d: date) -> bool:
        days = self.year(d.year)
        if d in days.workdays:
            return True
        if d in days.holidays:
            return False
        return d.weekday() < 5

    def next_workday(self, d: date) -> date:
        """The first working day strictly after d."""
        d += timedelta(days=1)
        while not self.is_workday(d):
            d += timedelta(days=1)
        return d

    def workday_on_or_after(self, d: date) -> date:
        return d if self.is_workday(d) else self.next_workday(d)

    def add_workdays(self, start: datetime, n: int) -> datetime:
        """The moment n working days after `start`: the same clock time n working days later
        (accepted Friday 16:00, +1 → the next working day 16:00). A start on a day off counts from
        the next working day, which is day 1, and the deadline is the end of day n's office
        hours; n=0 on a day off gives the start of the next working day (when the clock starts)."""
        if n < 0:
            raise ValueError("n must not be negative")
        local = _local(start)
        if not self.is_workday(local.date()):
            first = self.next_workday(local.date())
            if n == 0:
                return datetime.combine(first, configured_day()[0], SHANGHAI)
            d = first
            for _ in range(n - 1):
                d = self.next_workday(d)
            return datetime.combine(d, configured_day()[1], SHANGHAI)
        d = local.date()
        for _ in range(n):
            d = self.next_workday(d)
        return datetime.combine(d, local.timetz().replace(tzinfo=None), SHANGHAI)

    def workdays_between(self, a: date | datetime, b: date | datetime) -> int:
        """Working days d with a < d <= b (by local date); negative when b is before a.
        So workdays_between(a, add_workdays(a, n)) == n for n >= 1."""
        da = _local(a).date() if isinstance(a, datetime) else a
        db = _local(b).date() if isinstance(b, datetime) else b
        if db < da:
            return -self.workdays_between(db, da)
        count, d = 0, da + timedelta(days=1)
        while d <= db:
            count += self.is_workday(d)
            d += timedelta(days=1)
        return count

    def add_working_hours(
        self,
        start: datetime,
        hours: float | timedelta,
        *,
        day_start: time | None = None,
        day_end: time | None = None,
    ) -> datetime:
        """The moment after `hours` of office time on working days (default 09:00–17:30, from
        settings). A start outside office hours counts from the next opening."""
        configured = configured_day()
        opens, closes = day_start or configured[0], day_end or configured[1]
        remaining = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        if remaining < timedelta(0):
            raise ValueError("hours must not be negative")
        cur = _local(start)
        while True:
            d = cur.date()
            if not self.is_workday(d) or cur.time() >= closes:
                cur = datetime.combine(self.next_workday(d), opens, SHANGHAI)
                continue
            cur = max(cur, datetime.combine(d, opens, SHANGHAI))
            available = datetime.combine(d, closes, SHANGHAI) - cur
            if remaining <= available:
                return cur + remaining
            remaining -= available
            cur = datetime.combine(self.next_workday(d), opens, SHANGHAI)

    def working_time_between(
        self, a: datetime, b: datetime, *, day_start: time | None = None, day_end: time | None = None
    ) -> timedelta:
        """Office time on working days between a and b (zero when b is not after a)."""
        configured = configured_day()
        opens, closes = day_start or configured[0], day_end or configured[1]
        la, lb = _local(a), _local(b)
        total, d = timedelta(0), la.date()
        while d <= lb.date():
            if self.is_workday(d):
                lo = max(la, datetime.combine(d, opens, SHANGHAI))
                hi = min(lb, datetime.combine(d, closes, SHANGHAI))
                if hi > lo:
                    total += hi - lo
            d += timedelta(days=1)
        return total


def work_calendar() -> WorkCalendar:
    """A calendar over the database; build one per request or task and reuse it."""
    return WorkCalendar(database_year)


def is_workday(d: date, *, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or work_calendar()).is_workday(d)


def next_workday(d: date, *, calendar: WorkCalendar | None = None) -> date:
    return (calendar or work_calendar()).next_workday(d)


def add_workdays(start: datetime, n: int, *, calendar: WorkCalendar | None = None) -> datetime:
    return (calendar or work_calendar()).add_workdays(start, n)


def add_working_hours(
    start: datetime,
    hours: float | timedelta,
    *,
    day_start: time | None = None,
    day_end: time | None = None,
    calendar: WorkCalendar | None = None,
) -> datetime:
    return (calendar or work_calendar()).add_working_hours(start, hours, day_start=day_start, day_end=day_end)


def workdays_between(a: date | datetime, b: date | datetime, *, calendar: WorkCalendar | None = None) -> int:
    return (calendar or work_calendar()).workdays_between(a, b)
