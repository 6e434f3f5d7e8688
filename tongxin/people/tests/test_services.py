from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import SYSTEM, TODAY, add_person, new_id_number
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.people.models import Membership, MemberStatus, Person
from tongxin.people.selectors import person_find_by_id_number
from tongxin.people.services import MembershipData, PersonData, membership_save, person_create, person_update

pytestmark = pytest.mark.django_db


def test_person_gets_gender_and_birth_date_from_the_id_number(world) -> None:  # type: ignore[no-untyped-def]
    person = add_person("刘芳", world.c11, birth=date(1956, 3, 8))
    assert person.birth_date == date(1956, 3, 8)
    assert person.gender in {"M", "F"}


def test_every_bad_field_is_reported_at_once_and_nothing_is_saved(world) -> None:  # type: ignore[no-untyped-def]
    before = Person.objects.count()
    with pytest.raises(ValidationError) as exc:
        person_create(
            data=PersonData(
                name="  ",
                id_number="110105194912310021",
                mobile="123",
                ethnicity="火星族",
                residence=world.c11,
            ),
            by=SYSTEM,
        )
    errors = exc.value.message_dict
    assert "校验位" in errors["id_number"][0]
    assert "手机号" in errors["mobile"][0]
    assert "姓名" in errors["name"][0]
    assert "民族" in errors["ethnicity"][0]
    assert Person.objects.count() == before


def test_the_same_person_is_never_registered_twice(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        person_create(data=PersonData(name="王秀英", id_number=world.alice.id_number.lower()), by=SYSTEM)
    assert "已登记" in exc.value.message_dict["id_number"][0]


def test_find_by_id_number_uses_the_blind_index(world) -> None:  # type: ignore[no-untyped-def]
    found = person_find_by_id_number(persons=Person.objects.all(), id_number=f" {world.alice.id_number} ")
    assert found == world.alice
    assert person_find_by_id_number(persons=Person.objects.all(), id_number=new_id_number()) is None


def test_update_is_audited_without_the_values(world) -> None:  # type: ignore[no-untyped-def]
    person_update(
        person=world.alice,
        data=PersonData(
            name="王秀英", id_number=world.alice.id_number, mobile="13900001111", residence=world.c11
        ),
        by=SYSTEM,
    )
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(world.alice.pk)).latest("seq")
    assert event.detail == {"fields": ["mobile"]}
    assert "13900001111" not in str(event.detail)


def membership(org, **kw) -> MembershipData:  # type: ignore[no-untyped-def]
    values = {
        "organization": org,
        "status": MemberStatus.FULL,
        "joined_on": date(2010, 7, 1),
        "confirmed_on": date(2011, 7, 1),
    }
    values.update(kw)
    return MembershipData(**values)


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"confirmed_on": date(2009, 1, 1)}, "confirmed_on", "不能早于入党日期"),
        ({"status": MemberStatus.PROBATIONARY}, "confirmed_on", "预备党员尚未转正"),
        ({"joined_on": date(2030, 1, 1), "confirmed_on": None}, "joined_on", "不能晚于今天"),
        ({"in_service": True}, "employer", "在职党员须填写工作单位"),
        ({"is_flowing": True}, "flow_direction", "流动方向"),
        # add_person's people are born 1980-01-01: eighteen on 1998-01-01.
        ({"joined_on": date(1997, 12, 31), "confirmed_on": None}, "joined_on", "1998-01-01 年满十八岁"),
    ],
)
def test_membership_rules(world, changes, field, text) -> None:  # type: ignore[no-untyped-def]
    person = add_person("新党员", world.c11)
    with pytest.raises(ValidationError) as exc:
        membership_save(person=person, data=membership(world.b11, **changes), by=SYSTEM, today=TODAY)
    assert text in exc.value.message_dict[field][0]
    assert not Membership.objects.filter(person=person).exists()


def test_members_belong_to_branches_not_to_party_groups_or_external_stubs(world) -> None:  # type: ignore[no-untyped-def]
    person = add_person("新党员", world.c11)
    with pytest.raises(ValidationError) as exc:
        membership_save(person=person, data=membership(world.external), by=SYSTEM, today=TODAY)
    assert "organization" in exc.value.message_dict


def test_in_service_member_links_employer_and_residence(world) -> None:  # type: ignore[no-untyped-def]
    person = add_person("在职党员", world.c21)
    saved = membership_save(
        person=person,
        data=membership(world.unit_branch, in_service=True, employer=world.unit),
        by=SYSTEM,
        today=TODAY,
    )
    assert saved.employer == world.unit
    assert person.residence == world.c21
    again = membership_save(
        person=person, data=membership(world.unit_branch, in_service=False), by=SYSTEM, today=TODAY
    )
    assert again.pk == saved.pk
    assert again.employer is None


def test_a_simultaneous_duplicate_gets_the_same_message_not_an_error_page(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two secretaries save the same new person at once: both pass the check, the unique index
    lets one through, the other sees the ordinary duplicate message."""
    from tongxin.people import services

    data = PersonData(name="孙丽", id_number=new_id_number(), residence=world.c11)
    checked_before_the_other_save = services.person_clean(data)
    person_create(data=data, by=SYSTEM)
    monkeypatch.setattr(services, "person_clean", lambda _data: dict(checked_before_the_other_save))
    with pytest.raises(ValidationError) as exc:
        person_create(data=data, by=SYSTEM)
    assert "已登记" in exc.value.message_dict["id_number"][0]


def test_joining_on_the_eighteenth_birthday_is_allowed(world) -> None:  # type: ignore[no-untyped-def]
    person = add_person("新党员", world.c11)
    data = membership(world.b11, joined_on=date(1998, 1, 1), confirmed_on=date(1999, 1, 1))
    membership_save(person=person, data=data, by=SYSTEM, today=TODAY)
    assert Membership.objects.get(person=person).joined_on == date(1998, 1, 1)


@pytest.mark.parametrize("name", ["😀😀", "Robert'); DROP TABLE people;--", "123", "   "])
def test_names_that_no_id_card_carries_are_refused(world, name) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        person_create(data=PersonData(name=name, id_number=new_id_number(), residence=world.c11), by=SYSTEM)
    assert exc.value.message_dict["name"][0] in {"姓名只能包含汉字、字母、间隔号“·”和空格。", "请填写姓名。"}
    assert not Person.objects.filter(name=name.strip()).exists()


def test_minority_and_foreign_names_are_kept_with_their_separator(world) -> None:  # type: ignore[no-untyped-def]
    person = person_create(
        data=PersonData(name="阿依古丽・买买提", id_number=new_id_number(), residence=world.c11), by=SYSTEM
    )
    assert person.name == "阿依古丽·买买提"  # the katakana dot becomes the 间隔号
    other = person_create(
        data=PersonData(name="John  Smith", id_number=new_id_number(), residence=world.c11), by=SYSTEM
    )
    assert other.name == "John Smith"


def test_people_sort_by_the_pinyin_of_their_names(world) -> None:  # type: ignore[no-untyped-def]
    for name in ["张三", "丁娜琳", "林", "李四", "万芳"]:
        add_person(name, world.c11)
    added = Person.objects.filter(name__in=["张三", "丁娜琳", "林", "李四", "万芳"]).order_by("name_sort")
    assert [p.name for p in added] == ["丁娜琳", "李四", "林", "万芳", "张三"]
