"""A volunteering world on top of the needs world: registered volunteers and a community team."""

from types import SimpleNamespace
from typing import Any

import pytest

from conftest import NOW, SYSTEM
from tongxin.needs.tests.conftest import actor, nw  # noqa: F401
from tongxin.registry.tests.conftest import verified_client  # noqa: F401
from tongxin.volunteers.services import team_create, volunteer_register

SLOTS = ["5-am", "5-pm", "6-am"]


def register(person: Any, communities: list[Any], *, by: Any = None, skills: list[str] | None = None) -> Any:
    return volunteer_register(
        person=person,
        skills=skills or ["companion"],
        slots=SLOTS,
        communities=communities,
        consent=True,
        by=actor(by) if by is not None else SYSTEM,
        now=NOW,
    )


@pytest.fixture
def vw(nw):  # type: ignore[no-untyped-def]  # noqa: F811
    """fang (a resident, no member) and alice (a member) registered; a team of 杨树浦社区 led by
    alice with fang in it; bob (other street) registered too."""
    w = nw.w
    v = SimpleNamespace(n=nw, w=w)
    v.fang = register(nw.fang, [w.c11], by=nw.resident)
    v.alice = register(w.alice, [w.c11], by=nw.alice, skills=["repair", "driving"])
    v.bob = register(w.bob, [w.c21])
    v.team = team_create(
        name="杨树浦社区助老服务队", owner=w.c11, leader=v.alice, by=actor(nw.staff11), now=NOW
    )
    from tongxin.volunteers.services import team_member_add

    team_member_add(team=v.team, volunteer=v.fang, by=actor(nw.staff11), now=NOW)
    return v
