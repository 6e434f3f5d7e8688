"""A rewards world on top of the shared one: two offering units and a community, residents with
points and credits (given through the ledger, from a test source account), an elderly resident
and her son, a registered volunteer, and staff of each offerer."""

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import NOW, SYSTEM, add_person, make_account, new_credit_code
from tongxin.accounts.models import Role
from tongxin.core.actor import Actor
from tongxin.ledger.models import Currency
from tongxin.ledger.services import person_account, posting_create, system_account
from tongxin.orgs.models import OrgKind
from tongxin.orgs.services import organization_create
from tongxin.rewards.services import ItemData, item_save
from tongxin.units.services import unit_create
from tongxin.volunteers.services import volunteer_register


def give(person: Any, currency: str, amount: int) -> None:
    """Put `amount` in the person's account from a test source (as earning would)."""
    posting_create(
        lines=[
            (system_account(code=f"test:{currency}", currency=currency), -amount),
            (person_account(person=person, currency=currency), amount),
        ],
        kind="test",
        source="test:grant",
        memo="test",
        by=SYSTEM,
        now=NOW,
    )


def as_user(user: Any) -> Actor:
    return Actor(user=user, ip="127.0.0.1", label=user.username)


@pytest.fixture
def rw(world):  # type: ignore[no-untyped-def]
    r = SimpleNamespace(w=world)
    r.unit2 = unit_create(
        name="示范图书公司",
        credit_code=new_credit_code(),
        kind="private_enterprise",
        territory=world.c21,
        by=SYSTEM,
    )
    r.unit2_branch = organization_create(
        name="示范图书公司党支部", code="X0201", kind=OrgKind.BRANCH, parent=world.external,
        territory=world.c21, units=[r.unit2], by=SYSTEM,
    )  # fmt: skip
    r.unit_contact = make_account("contact1", (Role.UNIT_CONTACT, world.unit_branch))
    r.unit2_contact = make_account("contact2", (Role.UNIT_CONTACT, r.unit2_branch))
    r.staff11 = make_account("staff11", (Role.COMMUNITY_STAFF, world.c11))
    r.staff21 = make_account("staff21", (Role.COMMUNITY_STAFF, world.c21))
    # 王秀英 (alice) redeems; 李建国 (bob) too.
    r.alice = make_account("alice", (Role.PARTY_MEMBER, world.b11), person=world.alice)
    r.bob = make_account("bob", (Role.PARTY_MEMBER, world.b21), person=world.bob)
    give(world.alice, Currency.POINTS, 100)
    give(world.bob, Currency.POINTS, 100)
    # 赵桂兰, 80, lives in c11; her son 赵强 has credits; 陈伟 (dave) volunteers in c11.
    r.granny = add_person("赵桂兰", world.c11, mobile="13600001111", birth=date(1946, 3, 1))
    r.son = add_person("赵强", world.c21, mobile="13600002222", birth=date(1975, 5, 5))
    r.granny_user = make_account("granny", (Role.RESIDENT, world.c11), person=r.granny)
    r.son_user = make_account("son", (Role.RESIDENT, world.c21), person=r.son)
    give(r.son, Currency.CREDITS, 600)
    give(r.granny, Currency.CREDITS, 120)
    volunteer_register(
        person=world.dave, skills=["companion", "cleaning"], slots=["0-am", "5-am"],
        communities=[world.c11], consent=True, by=SYSTEM, now=NOW,
    )  # fmt: skip
    r.dave = make_account("dave", (Role.RESIDENT, world.g111), person=world.dave)
    r.tea = item_save(
        data=ItemData(name="电力公司定制水杯", price=30, stock=5, per_person_limit=2),
        offerer=world.unit, by=SYSTEM, now=NOW,
    )  # fmt: skip
    r.haircut = item_save(
        data=ItemData(name="社区义剪一次", price=10, stock=None), offerer=world.c11, by=SYSTEM, now=NOW
    )
    r.book = item_save(data=ItemData(name="图书一本", price=80, stock=1), offerer=r.unit2, by=SYSTEM, now=NOW)
    r.later = NOW + timedelta(days=2)
    return r
