"""A records world on top of the volunteering world: an elderly neighbour and a helper to post."""

from datetime import date, timedelta
from typing import Any

import pytest

from conftest import NOW, add_person
from tongxin.needs.tests.conftest import actor, nw  # noqa: F401
from tongxin.records.services import record_create
from tongxin.registry.tests.conftest import verified_client  # noqa: F401
from tongxin.volunteers.tests.conftest import vw  # noqa: F401

START = NOW - timedelta(days=2, hours=2)  # a morning two days ago
END = START + timedelta(hours=2)


def record(v: Any, *, person: Any = None, minutes: int = 90, by: Any = None, **kw: Any) -> Any:
    values: dict[str, Any] = {
        "person": person or v.n.fang,
        "organiser": v.w.c11,
        "title": "助老陪护",
        "place": "杨树浦社区活动室",
        "started_at": START,
        "ended_at": END,
        "minutes": minutes,
        "source": "offline",
    }
    values.update(kw)
    return record_create(by=actor(by or v.n.staff11), now=NOW, **values)


@pytest.fixture
def rw(vw):  # type: ignore[no-untyped-def]  # noqa: F811
    vw.elder = add_person("孙奶奶", vw.w.c11, birth=date(1950, 3, 1))  # 76 on the day
    return vw
