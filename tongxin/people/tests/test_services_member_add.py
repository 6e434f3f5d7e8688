"""添加党员 as one service: both rows or neither, and never a move of an existing membership."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import SYSTEM, TODAY, add_person, new_id_number
from tongxin.people.models import Membership, MemberStatus, Person
from tongxin.people.services import MembershipData, PersonData, member_add, membership_save

pytestmark = pytest.mark.django_db


def full_member_of(org):  # type: ignore[no-untyped-def]
    return MembershipData(
        organization=org, status=MemberStatus.FULL, joined_on=date(2010, 7, 1), confirmed_on=date(2011, 7, 1)
    )


def add(existing, person, org):  # type: ignore[no-untyped-def]
    membership = full_member_of(org)
    return member_add(existing=existing, person=person, membership=membership, by=SYSTEM, today=TODAY)


def test_a_new_person_and_the_membership_are_written_together(world) -> None:  # type: ignore[no-untyped-def]
    data = PersonData(name="赵桂兰", id_number=new_id_number(), residence=world.c11)
    person = add(None, data, world.b11)
    assert Membership.objects.get(person=person).organization == world.b11


def test_a_refused_membership_leaves_no_new_person(world) -> None:  # type: ignore[no-untyped-def]
    number = new_id_number()
    data = PersonData(name="赵桂兰", id_number=number, residence=world.c11)
    with pytest.raises(ValidationError):
        add(None, data, world.external)
    assert not Person.objects.filter(name="赵桂兰").exists()


def test_a_person_who_became_a_member_meanwhile_is_not_moved(world) -> None:  # type: ignore[no-untyped-def]
    # The page checked that 王秀英's ID number had no membership; by the save, it has one.
    alice = world.alice
    with pytest.raises(ValidationError):
        add(alice, PersonData(name="", id_number=""), world.b21)
    assert Membership.objects.get(person=alice).organization == world.b11


def test_a_membership_created_twice_at_once_gives_a_message_not_a_crash(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    person = add_person("孙丽", world.c11)
    membership_save(person=person, data=full_member_of(world.b11), by=SYSTEM, today=TODAY)
    # The second writer did not see the first one's row when it looked (there was none to lock).
    real = Membership.objects.select_for_update

    def unseen(*args, **kwargs):  # type: ignore[no-untyped-def]
        return real(*args, **kwargs).none()

    monkeypatch.setattr(Membership.objects, "select_for_update", unseen)
    with pytest.raises(ValidationError) as refused:
        membership_save(person=person, data=full_member_of(world.b11), by=SYSTEM, today=TODAY)
    assert "已有党员信息" in str(refused.value)
    assert Membership.objects.filter(person=person).count() == 1
