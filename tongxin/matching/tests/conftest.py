"""A matching world on top of the needs world: members with helper profiles, and a staff
client that has passed the second factor."""

from types import SimpleNamespace
from typing import Any

import pytest

from conftest import NOW, SYSTEM, add_member, add_person, make_account
from tongxin.accounts.models import Role
from tongxin.matching.services import helper_profile_save

# The needs app's own fixtures (its world of staff, a resident and members; categories seeded
# again after a transactional test).
from tongxin.needs.tests.conftest import actor, nw, submit  # noqa: F401
from tongxin.registry.tests.conftest import verified_client  # noqa: F401

ALL_WEEK = [f"{d}-{p}" for d in range(7) for p in ("am", "pm", "eve")]


def profile(person: Any, skills: list[str], communities: list[Any], slots: list[str] | None = None) -> Any:
    return helper_profile_save(
        person=person,
        skills=skills,
        slots=ALL_WEEK if slots is None else slots,
        communities=communities,
        by=SYSTEM,
        now=NOW,
    )


@pytest.fixture
def mw(nw):  # type: ignore[no-untyped-def]  # noqa: F811
    """Helpers around 杨树浦社区 (c11, grid g111) where 方兰 (the resident) lives:
    - alice: c11 branch member living in c11, repairs;
    - erin: c11 member, companion (no repair);
    - gina: member living in grid g111, cleaning only (a neighbour, no fitting skill);
    - hank: member living in 复兴岛社区 (c12, same street), repairs;
    - bob: member in 长阳社区 (other street), repairs;
    Each with every slot of the week."""
    w = nw.w
    m = SimpleNamespace(n=nw, w=w)
    gina = add_person("孙丽", w.g111, mobile="13500002222")
    add_member(gina, w.b11)
    hank = add_person("周强", w.c12, mobile="13500003333")
    add_member(hank, w.b11)
    m.gina, m.hank = gina, hank
    m.gina_user = make_account("gina", (Role.PARTY_MEMBER, w.b11), person=gina)
    profile(w.alice, ["repair"], [w.c11])
    profile(nw.erin.person, ["companion"], [w.c11])
    profile(gina, ["cleaning"], [w.c11])
    profile(hank, ["repair"], [w.c12])
    profile(w.bob, ["repair"], [w.c21])
    return m
