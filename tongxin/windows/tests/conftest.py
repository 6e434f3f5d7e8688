"""A windows world on top of the needs world: a 党群服务中心 in 杨树浦社区 (c11) with staggered hours,
its staff, and residents with accounts. NOW is Sunday 2026-11-29 10:00 (+08:00)."""

from datetime import datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import NOW, SYSTEM

# The needs app's world (staff, a resident, members) and the verified staff client.
from tongxin.needs.tests.conftest import actor, nw  # noqa: F401
from tongxin.registry.tests.conftest import verified_client  # noqa: F401
from tongxin.windows.models import HoursKind, ServicePoint
from tongxin.windows.schedule import local_zone
from tongxin.windows.services import PointData, opening_hours_add, point_save

MATTERS = ("社保卡办理", "老年证", "居住证明", "党组织关系转接")
# Weekdays 09:00–12:00 and 13:30–17:00 open; Tue/Thu evenings 18:00–20:30 by appointment;
# Saturday morning open 09:00–12:00.
WEEK = [
    *[(d, time(9), time(12), HoursKind.OPEN) for d in range(5)],
    *[(d, time(13, 30), time(17), HoursKind.OPEN) for d in range(5)],
    (1, time(18), time(20, 30), HoursKind.BOOKING),
    (3, time(18), time(20, 30), HoursKind.BOOKING),
    (5, time(9), time(12), HoursKind.OPEN),
]


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A local moment `day_offset` days after NOW's date."""
    day = NOW.astimezone(local_zone()).date() + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, minute), local_zone())


def make_point(
    community: Any, *, name: str = "杨树浦社区党群服务中心", week: Any = WEEK, **kw: Any
) -> ServicePoint:
    data = PointData(
        community=community, name=name, address="杨树浦路100号", phone="021-65550000", matters=MATTERS, **kw
    )
    point = point_save(data=data, by=SYSTEM, now=NOW)
    for weekday, opens, closes, kind in week:
        opening_hours_add(
            point=point, weekday=weekday, opens=opens, closes=closes, kind=kind, by=SYSTEM, now=NOW
        )
    return point


@pytest.fixture
def ww(nw):  # type: ignore[no-untyped-def]  # noqa: F811
    w = SimpleNamespace(n=nw, world=nw.w)
    w.point = make_point(nw.w.c11)
    w.other = make_point(nw.w.c21, name="长阳社区党群服务中心")
    w.fang = nw.fang
    w.resident = nw.resident
    w.staff = nw.staff11
    w.staff21 = nw.staff21
    return w
