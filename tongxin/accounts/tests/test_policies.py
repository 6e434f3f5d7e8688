"""Scope rules on a fixed world; the random-tree property tests live in test_scope_properties.py."""

import pytest

from conftest import make_account
from tongxin.accounts.models import Role
from tongxin.accounts.policies import Action, can, get_visible_or_404, visible
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(x) for x in qs}


def test_street_sees_its_territory_units_and_residents(world) -> None:  # type: ignore[no-untyped-def]
    street = make_account("street1", (Role.STREET_STAFF, world.street1))
    assert names(visible(street, Territory)) == {"定海路街道", "杨树浦社区", "复兴岛社区", "第一网格"}
    assert names(visible(street, Unit)) == {"示范电力公司"}
    assert names(visible(street, Person)) == {"王秀英", "张敏", "陈伟"}


def test_street_does_not_see_a_units_internal_party_records(world) -> None:  # type: ignore[no-untyped-def]
    street = make_account("street1", (Role.STREET_STAFF, world.street1))
    members = visible(street, Membership)
    assert {m.person.name for m in members} == {"王秀英"}  # not 张敏, a member of the unit's branch
    assert not can(street, Action.VIEW, world.carol.membership)


def test_unit_contact_sees_own_branch_members_only(world) -> None:  # type: ignore[no-untyped-def]
    contact = make_account("unit", (Role.UNIT_CONTACT, world.unit_branch))
    assert names(visible(contact, Organization)) == {"示范电力公司党支部"}
    assert {m.person.name for m in visible(contact, Membership)} == {"张敏"}
    assert names(visible(contact, Person)) == {"张敏"}
    assert names(visible(contact, Unit)) == {"示范电力公司"}


def test_grid_worker_sees_grid_residents_and_may_not_reveal(world) -> None:  # type: ignore[no-untyped-def]
    grid = make_account("grid", (Role.GRID_WORKER, world.g111))
    assert names(visible(grid, Person)) == {"陈伟"}
    assert not can(grid, Action.REVEAL, world.dave)


def test_member_sees_only_self(world) -> None:  # type: ignore[no-untyped-def]
    member = make_account("alice", (Role.PARTY_MEMBER, world.b11), person=world.alice)
    assert names(visible(member, Person)) == {"王秀英"}
    assert not can(member, Action.REVEAL, world.alice)
    assert names(visible(member, Territory)) == set()


def test_missing_and_forbidden_raise_the_same_error(world) -> None:  # type: ignore[no-untyped-def]
    street = make_account("street2", (Role.STREET_STAFF, world.street2))
    with pytest.raises(NotFoundOrForbidden) as forbidden:
        get_visible_or_404(street, Person, world.alice.pk)
    with pytest.raises(NotFoundOrForbidden) as missing:
        get_visible_or_404(street, Person, 999_999)
    assert str(forbidden.value) == str(missing.value)


def test_admin_roles_see_no_registry_rows(world) -> None:  # type: ignore[no-untyped-def]
    auditor = make_account("auditor", (Role.AUDIT_ADMIN, world.district))
    for model in (Territory, Organization, Unit, Person, Membership):
        assert not visible(auditor, model).exists()


def test_rule_findings_follow_the_member_roster(world) -> None:  # type: ignore[no-untyped-def]
    """A street is told about its community branches' problems, not about a unit's branch,
    whose members are that unit's internal party records."""
    from tongxin.accounts.policies import with_visible_rosters
    from tongxin.registry.tests.conftest import verified_client

    street = make_account("street1", (Role.STREET_STAFF, world.street1))
    assert names(with_visible_rosters(street)) >= {"杨树浦社区第一党支部"}
    assert "示范电力公司党支部" not in names(with_visible_rosters(street))
    home = verified_client(street).get("/").content.decode().split('id="main"', 1)[1]  # not the tree panel
    assert "杨树浦社区第一党支部" in home
    assert "示范电力公司党支部" not in home
    contact = make_account("unit", (Role.UNIT_CONTACT, world.unit_branch))
    assert "示范电力公司党支部" in verified_client(contact).get("/").content.decode()
