"""A care world on top of the needs world: an elderly woman living alone in 杨树浦社区 (c11), a
child of 9 there, and the community's members as visitors."""

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import NOW, SYSTEM, TODAY, add_person
from tongxin.care.models import Basis, ConsentBy, Kind
from tongxin.care.services import subject_register, visitor_assign

# The needs app's world (staff of c11, c12, street1, c21; a grid worker; members alice, erin, bob,
# carol; the resident 方兰) and the verified staff client of the registry tests.
from tongxin.needs.tests.conftest import actor, nw  # noqa: F401
from tongxin.registry.tests.conftest import verified_client  # noqa: F401


def register(subject_person: Any, community: Any, **kwargs: Any) -> Any:
    defaults: dict[str, Any] = {
        "kinds": [Kind.ELDERLY_ALONE],
        "basis": Basis.CONSENT,
        "consent_by": ConsentBy.SELF,
        "consent_on": TODAY,
        "place": "3号楼201",
        "by": SYSTEM,
        "now": NOW,
    }
    defaults.update(kwargs)
    return subject_register(person=subject_person, community=community, **defaults)


@pytest.fixture
def cw(nw):  # type: ignore[no-untyped-def]  # noqa: F811
    w = nw.w
    c = SimpleNamespace(n=nw, w=w)
    c.granny = add_person("刘桂兰", w.c11, mobile="13900001111", birth=date(1940, 3, 2))
    c.child = add_person("周小宝", w.c11, birth=date(2017, 6, 1))
    c.subject = register(c.granny, w.c11, notes="独居,耳背,敲门要用力。")
    visitor_assign(subject=c.subject, visitor=w.alice, by=SYSTEM, now=NOW)
    return c
