"""The points caps as a pure function, shared by points_award and the demo's bulk path so that
both grant the same points for the same history."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .models import CapReason


@dataclass(frozen=True)
class Windows:
    day: tuple[datetime, datetime]
    month: tuple[datetime, datetime]
    year: tuple[datetime, datetime]


def windows_of(now: datetime) -> Windows:
    """The local (Asia/Shanghai) day, month and year that contain `now`, as [start, end)."""
    local = timezone.localtime(now)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    month = day.replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    year = month.replace(month=1)
    tz = local.tzinfo
    return Windows(
        day=(day, (day + timedelta(days=1)).replace(tzinfo=tz)),
        month=(month, next_month),
        year=(year, year.replace(year=year.year + 1)),
    )


def grant(
    *,
    requested: int,
    day: tuple[int | None, int],
    month: tuple[int | None, int],
    year: tuple[int | None, int],
    budget: tuple[int | None, int],
) -> tuple[int, str]:
    """How much of `requested` fits under each (cap, already used), and which cap bound it."""
    granted, reason = requested, CapReason.NONE.value
    for code, (cap, used) in (
        (CapReason.DAY, day),
        (CapReason.MONTH, month),
        (CapReason.YEAR, year),
        (CapReason.BUDGET, budget),
    ):
        if cap is None:
            continue
        room = max(0, cap - used)
        if room < granted:
            granted, reason = room, code.value
    return granted, reason
