"""An activities world on top of the needs world: the organisers' staff, volunteers and members
with accounts, and a helper to make a published activity."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import NOW, add_person, make_account
from tongxin.accounts.models import Role
from tongxin.activities.models import Activity
from tongxin.activities.services import ActivityData, SlotData, activity_create, activity_publish
from tongxin.needs.tests.conftest import actor, nw  # noqa: F401
from tongxin.volunteers.services import volunteer_register

START = NOW + timedelta(days=2)  # 2026-12-01 10:00 +08:00


@pytest.fixture
def aw(nw):  # type: ignore[no-untyped-def]  # noqa: F811
    """staff11 organises for 杨树浦社区; 孙悦 is a registered volunteer (not a member) with an
    account; alice and erin are members; 方兰 (resident) is neither."""
    a = SimpleNamespace(n=nw, w=nw.w)
    a.staff = nw.staff11
    a.sun = add_person("孙悦", nw.w.c11, mobile="13600003333")
    volunteer_register(
        person=a.sun,
        skills=["companion", "digital"],
        slots=["5-am"],
        communities=[nw.w.c11],
        consent=True,
        by=actor(nw.staff11),
        now=NOW,
    )
    a.sun_user = make_account("sun", (Role.RESIDENT, nw.w.c11), person=a.sun)
    return a


def make_activity(
    a: Any,
    *,
    capacity: int = 2,
    start: datetime = START,
    hours: int = 2,
    publish: bool = True,
    slots: int = 1,
    **data: Any,
) -> Activity:
    fields: dict[str, Any] = {
        "title": "敬老院陪伴老人",
        "category": "elderly",
        "community": a.w.c11,
        "venue": "杨树浦敬老院",
        "address": "杨树浦路100号",
    }
    fields.update(data)
    activity = activity_create(
        organiser=a.w.c11,
        data=ActivityData(**fields),
        slots=[
            SlotData(
                starts_at=start + timedelta(days=i),
                ends_at=start + timedelta(days=i, hours=hours),
                capacity=capacity,
            )
            for i in range(slots)
        ],
        by=actor(a.staff),
        now=NOW,
    )
    if publish:
        activity = activity_publish(activity=activity, by=actor(a.staff), now=NOW)
    return activity
