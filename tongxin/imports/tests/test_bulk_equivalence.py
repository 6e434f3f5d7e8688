"""The import writes in batches; the rows it leaves must be the rows the services would leave."""

from datetime import date

import pytest
from django.forms.models import model_to_dict

from conftest import SYSTEM, TODAY, new_id_number
from tongxin.people.models import Membership, Person
from tongxin.people.selectors import person_find_by_id_number
from tongxin.people.services import MembershipData, PersonData, membership_save, person_create, person_update

from .conftest import run, xlsx

pytestmark = pytest.mark.django_db

SKIP = {"id", "id_number", "id_number_index", "person"}


def stored(person: Person) -> tuple[dict, dict]:
    person = Person.objects.get(pk=person.pk)
    membership = Membership.objects.get(person=person)
    return (
        {k: v for k, v in model_to_dict(person).items() if k not in SKIP},
        {k: v for k, v in model_to_dict(membership).items() if k not in SKIP},
    )


def find(number: str) -> Person:
    found = person_find_by_id_number(persons=Person.objects.all(), id_number=number)
    assert found is not None
    return found


@pytest.mark.parametrize(
    "cells",
    [
        {"党员状态": "正式党员", "转正日期": "2006-07-01", "是否在职党员": "是", "工作单位": "示范电力公司"},
        {"党员状态": "预备党员", "转正日期": "", "民族": "回族", "学历": "", "手机号": ""},
    ],
)
def test_a_created_row_equals_person_create_plus_membership_save(world, row, cells) -> None:
    by_import, by_service = new_id_number(date(1970, 5, 5)), new_id_number(date(1970, 5, 5))
    if int(by_import[16]) % 2 != int(by_service[16]) % 2:  # the same gender, derived from the number
        by_service = new_id_number(date(1970, 5, 5))
    assert run(xlsx([row(身份证号=by_import, **cells)])).ok
    values = dict(
        zip(["姓名", "手机号", "民族", "学历"], ["赵桂兰", "13912345678", "汉族", "大学本科"], strict=True)
    )
    values.update({k: v for k, v in cells.items() if k in values})
    person = person_create(
        data=PersonData(
            name=values["姓名"],
            id_number=by_service,
            mobile=values["手机号"],
            ethnicity=values["民族"],
            education=values["学历"],
            residence=world.c11,
        ),
        by=SYSTEM,
    )
    full = cells["党员状态"] == "正式党员"
    membership_save(
        person=person,
        data=MembershipData(
            organization=world.b11,
            status="full" if full else "probationary",
            joined_on=date(2005, 7, 1),
            confirmed_on=date(2006, 7, 1) if full else None,
            in_service=full,
            employer=world.unit if full else None,
        ),
        by=SYSTEM,
        today=TODAY,
    )
    imported = find(by_import)
    assert imported.id_number == by_import
    assert stored(imported)[0] | {"mobile_index": None} == stored(person)[0] | {"mobile_index": None}
    assert stored(imported)[1] == stored(person)[1]
    assert imported.mobile_index == person.mobile_index


def test_an_updated_row_equals_person_update(world, row) -> None:
    alice, bob = world.alice, world.bob
    assert run(
        xlsx(
            [row(姓名="王秀英", 身份证号=alice.id_number, 手机号="13700000000", 居住社区编码=world.c12.code)]
        )
    ).ok
    person_update(
        person=bob,
        data=PersonData(
            name=bob.name,
            id_number=bob.id_number,
            mobile="13700000000",
            ethnicity="汉族",
            residence=world.c12,
        ),
        by=SYSTEM,
    )
    a, b = Person.objects.get(pk=alice.pk), Person.objects.get(pk=bob.pk)
    assert (a.mobile, a.mobile_index, a.residence) == (b.mobile, b.mobile_index, b.residence)
    assert person_find_by_id_number(persons=Person.objects.all(), id_number=alice.id_number) == a
