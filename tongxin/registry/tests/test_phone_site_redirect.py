"""Residents and party members without a registry role belong on the phone site: the staff pages
send them to /m/ instead of showing them the workbench's layout. Staff, and a member who also
holds a staff role, still reach the workbench."""

import pytest

from tongxin.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.PARTY_MEMBER, Role.RESIDENT])
def test_a_resident_or_member_opening_the_workbench_lands_on_the_phone_site(world, login, role) -> None:  # type: ignore[no-untyped-def]
    node = world.b11 if role == Role.PARTY_MEMBER else world.c11
    member = login("alice", (role, node), person=world.alice)
    for address in ("/", "/persons/", f"/persons/{world.alice.pk}/", "/members/", "/territory/"):
        response = member.get(address)
        assert response.status_code == 302, address
        assert response["Location"] == "/m/"
    assert member.post("/persons/export/", {"q": ""})["Location"] == "/m/"  # nothing exported
    assert member.get("/m/", follow=True).status_code == 200


def test_staff_and_a_member_who_is_also_staff_reach_the_workbench(world, login, street1) -> None:  # type: ignore[no-untyped-def]
    assert street1.get("/").status_code == 200
    both = login(
        "alice", (Role.PARTY_MEMBER, world.b11), (Role.COMMUNITY_STAFF, world.c11), person=world.alice
    )
    assert both.get("/persons/").status_code == 200


def test_an_account_without_any_role_still_gets_the_workbench_home(world, login) -> None:  # type: ignore[no-untyped-def]
    response = login("newcomer").get("/")
    assert response.status_code == 200
