"""A point's week as numbers: which ranges apply on a day, whether it is open at a moment, when it
opens next, and which appointment slots a day offers. Pure given its inputs (the point's ranges,
its closures and the holidays), so the rules are tested without pages.

Ranges never cross midnight: OpeningHours refuses close <= open, so a late evening ends at 23:59
at the latest. All clock times are Asia/Shanghai (the settings' TIME_ZONE)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from .models import HoursKind

EVENING = time(18, 0)
LOOKAHEAD_DAYS = 14


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Range:
    weekday: int
    opens: time
    closes: time
    kind: str

    @property
    def evening(self) -> bool:
        return self.closes > EVENING

    @property
    def weekend(self) -> bool:
        return self.weekday >= 5


@dataclass(frozen=True)
class ClosedDay:
    starts_on: date
    ends_on: date
    reason: str


@dataclass(frozen=True)
class Status:
    open_now: bool
    label: str
    tone: str  # open / soon / closed


class Schedule:
    def __init__(
        self,
        *,
        ranges: Iterable[Range],
        closures: Iterable[ClosedDay] = (),
        holidays: dict[date, str] | None = None,
        slot_minutes: int = 30,
    ) -> None:
        self.by_day: dict[int, list[Range]] = {d: [] for d in range(7)}
        for r in ranges:
            self.by_day[r.weekday].append(r)
        for day_ranges in self.by_day.values():
            day_ranges.sort(key=lambda r: r.opens)
        self.closures = list(closures)
        self.holidays = holidays or {}
        self.slot_minutes = slot_minutes
        self.zone = local_zone()

    # --- days ---------------------------------------------------------------------------------

    def closed_reason(self, day: date) -> str:
        """Why the point is shut all day (an explicit closure, a public holiday), or ""."""
        for c in self.closures:
            if c.starts_on <= day <= c.ends_on:
                return c.reason
        return self.holidays.get(day, "")

    def ranges_on(self, day: date, *, kinds: Iterable[str] = tuple(HoursKind.values)) -> list[Range]:
        if self.closed_reason(day):
            return []
        wanted = set(kinds)
        return [r for r in self.by_day[day.weekday()] if r.kind in wanted]

    def _at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, self.zone)

    # --- open now -----------------------------------------------------------------------------

    def open_range_at(self, moment: datetime) -> Range | None:
        local = moment.astimezone(self.zone)
        for r in self.ranges_on(local.date(), kinds=[HoursKind.OPEN]):
            if r.opens <= local.time() < r.closes:
                return r
        return None

    def next_opening(self, moment: datetime, *, days: int = LOOKAHEAD_DAYS) -> datetime | None:
        """The next start of a regular range after `moment` (not counting one already running)."""
        local = moment.astimezone(self.zone)
        for offset in range(days + 1):
            day = local.date() + timedelta(days=offset)
            for r in self.ranges_on(day, kinds=[HoursKind.OPEN]):
                start = self._at(day, r.opens)
                if start > local:
                    return start
        return None

    def status_at(self, moment: datetime) -> Status:
        """ "现在开放(至20:30)", "今晚18:00开放", "明天09:00开放", "周六09:00开放", "今日闭馆:…"."""
        local = moment.astimezone(self.zone)
        running = self.open_range_at(local)
        if running is not None:
            return Status(True, _("现在开放(至%(t)s)") % {"t": f"{running.closes:%H:%M}"}, "open")
        nxt = self.next_opening(local)
        today = local.date()
        closed_today = self.closed_reason(today)
        if nxt is None:
            if closed_today:
                return Status(False, _("今日闭馆:%(reason)s") % {"reason": closed_today}, "closed")
            return Status(False, _("近期不开放"), "closed")
        clock = f"{nxt.time():%H:%M}"
        day = nxt.date()
        if day == today:
            text = _("今晚%(t)s开放") if nxt.time() >= EVENING else _("今天%(t)s开放")
            return Status(False, text % {"t": clock}, "soon")
        if day == today + timedelta(days=1):
            label = _("明天%(t)s开放") % {"t": clock}
        else:
            from .models import WEEKDAY_NAMES

            label = _("%(day)s%(t)s开放") % {"day": WEEKDAY_NAMES[day.weekday()], "t": clock}
        if closed_today:
            label = _("今日闭馆:%(reason)s,%(next)s") % {"reason": closed_today, "next": label}
        return Status(False, label, "closed")

    # --- appointment slots --------------------------------------------------------------------

    def slots_on(self, day: date) -> list[tuple[datetime, datetime, str]]:
        """Every slot of the day's ranges (both kinds): (start, end, kind), in order. A range that
        does not divide into whole slots leaves its tail unbooked."""
        length = timedelta(minutes=self.slot_minutes)
        found = []
        for r in self.ranges_on(day):
            start, end = self._at(day, r.opens), self._at(day, r.closes)
            while start + length <= end:
                found.append((start, start + length, r.kind))
                start += length
        found.sort()
        return found

    def slot_at(self, starts_at: datetime) -> tuple[datetime, datetime, str] | None:
        local = starts_at.astimezone(self.zone)
        for slot in self.slots_on(local.date()):
            if slot[0] == local:
                return slot
        return None


def overlapping(ranges: Iterable[tuple[time, time]]) -> bool:
    """Whether any two [open, close) ranges of one day overlap (touching ends are fine)."""
    ordered = sorted(ranges)
    return any(b_open < a_close for (_a_open, a_close), (b_open, _b_close) in pairwise(ordered))
