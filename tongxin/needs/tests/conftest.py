"""A needs world on top of the root `world`: staff, residents and members with accounts."""

from types import SimpleNamespace
from typing import Any

import pytest

from conftest import NOW, add_member, add_person, make_account
from tongxin.accounts.models import Role
from tongxin.core.actor import Actor
from tongxin.needs.models import Channel, Need
from tongxin.needs.services import need_submit


def actor(user: Any) -> Actor:
    return Actor(user=user, label=user.username)


@pytest.fixture
def nw(world):  # type: ignore[no-untyped-def]
    n = SimpleNamespace(w=world)
    n.staff11 = make_account("staff11", (Role.COMMUNITY_STAFF, world.c11))
    n.staff12 = make_account("staff12", (Role.COMMUNITY_STAFF, world.c12))
    n.street1 = make_account("street1", (Role.STREET_STAFF, world.street1))
    n.staff21 = make_account("staff21", (Role.COMMUNITY_STAFF, world.c21))
    n.grid = make_account("grid111", (Role.GRID_WORKER, world.c11))
    n.branch11 = make_account("branch11", (Role.COMMUNITY_STAFF, world.b11))
    # 方兰 lives in a grid of 杨树浦社区 and is no party member: the resident.
    n.fang = add_person("方兰", world.g111, mobile="13611112222")
    n.resident = make_account("fang", (Role.RESIDENT, world.g111), person=n.fang)
    n.other_resident = make_account("dave", (Role.RESIDENT, world.g111), person=world.dave)
    # alice: a member of the community's branch, living there.
    n.alice = make_account("alice", (Role.PARTY_MEMBER, world.b11), person=world.alice)
    # carol: a member of the unit's branch, living in 杨树浦社区.
    n.carol = make_account("carol", (Role.PARTY_MEMBER, world.unit_branch), person=world.carol)
    # bob: a member in another street.
    n.bob = make_account("bob", (Role.PARTY_MEMBER, world.b21), person=world.bob)
    # erin: a second member of the community's branch, for the race.
    erin = add_person("赵琳", world.c11, mobile="13700001111")
    add_member(erin, world.b11)
    n.erin = make_account("erin", (Role.PARTY_MEMBER, world.b11), person=erin)
    return n


def submit(n: Any, *, category: str = "property", by: Any = None, **kwargs: Any) -> Need:
    by = by or n.resident
    defaults: dict[str, Any] = {
        "text": "3号楼楼道灯坏了一个星期,晚上老人上下楼看不见。",
        "community": n.w.c11,
        "channel": Channel.MOBILE,
        "place": "3号楼2单元",
    }
    defaults.update(kwargs)
    return need_submit(category=category, by=actor(by), now=NOW, **defaults)
