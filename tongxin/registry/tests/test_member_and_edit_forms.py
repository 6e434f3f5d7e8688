"""添加党员 and the edit pages: the message at the field, nothing half-saved, what was typed kept,
a registered person reused (never registered twice), and the same 404 where the roles do not
allow the change."""

from datetime import date

import pytest

from conftest import new_id_number
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.core.search_keys import search_key
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(world, login):  # type: ignore[no-untyped-def]
    return login("secretary", (Role.COMMUNITY_STAFF, world.c11))


def member_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "赵桂兰",
        "id_number": new_id_number(date(1975, 3, 8)),
        "mobile": "13912345678",
        "ethnicity": "汉族",
        "education": "",
        "residence": "",
        "status": "full",
        "joined_on": "2010-07-01",
        "confirmed_on": "2011-07-01",
        "party_group": "",
        "employer": "",
        "flow_direction": "",
        "flow_place": "",
    }
    data.update(overrides)
    return data


def wrong_check_char(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def test_adding_a_new_person_as_member_writes_both(world, secretary) -> None:  # type: ignore[no-untyped-def]
    data = member_post(residence=world.g111.pk)
    response = secretary.post(f"/orgs/{world.b11.pk}/members/new/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{world.b11.pk}/"
    person = Person.objects.get(name="赵桂兰")
    assert person.residence == world.g111
    assert person.mobile == "13912345678"
    assert person.membership.organization == world.b11
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="people.person").count() >= 1
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="people.membership", object_id=str(person.membership.pk)
    ).exists()


def test_a_wrong_id_number_is_refused_at_the_field_and_nothing_is_saved(world, secretary) -> None:  # type: ignore[no-untyped-def]
    data = member_post()
    data["id_number"] = wrong_check_char(str(data["id_number"]))
    before = Person.objects.count(), Membership.objects.count()
    response = secretary.post(f"/orgs/{world.b11.pk}/members/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    block = html[html.index('id="id_id_number_block"') :][:1500]
    assert "身份证号校验位不正确" in block
    assert 'value="赵桂兰"' in html
    assert 'value="13912345678"' in html
    assert 'value="2010-07-01"' in html
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_a_refused_membership_leaves_no_new_person(world, secretary) -> None:  # type: ignore[no-untyped-def]
    data = member_post(status="probationary")  # with a 转正日期: contradiction
    response = secretary.post(f"/orgs/{world.b11.pk}/members/new/", data)
    html = response.content.decode()
    assert "预备党员尚未转正,不应填写转正日期" in html[html.index('id="id_confirmed_on_block"') :][:1500]
    assert not Person.objects.filter(name="赵桂兰").exists()


def test_inline_check_answers_for_one_field(world, secretary) -> None:  # type: ignore[no-untyped-def]
    data = member_post(_field="id_number")
    data["id_number"] = "31011019800101"
    response = secretary.post(f"/orgs/{world.b11.pk}/members/new/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="mb-3" id="id_id_number_block"')
    assert "身份证号应为18位" in html
    assert "confirmed_on" not in html  # only the field that was left
    assert not Person.objects.filter(name="赵桂兰").exists()


def test_a_registered_person_is_reused_not_registered_twice(world, secretary) -> None:  # type: ignore[no-untyped-def]
    before = Person.objects.count()
    data = member_post(name="陈伟", id_number=world.dave.id_number)
    response = secretary.post(f"/orgs/{world.b11.pk}/members/new/", data)
    assert response.status_code == 302
    assert Person.objects.count() == before
    assert Membership.objects.get(person=world.dave).organization == world.b11


def test_a_registered_person_under_another_name_is_questioned(world, secretary) -> None:  # type: ignore[no-untyped-def]
    response = secretary.post(
        f"/orgs/{world.b11.pk}/members/new/", member_post(name="陈大伟", id_number=world.dave.id_number)
    )
    html = response.content.decode()
    assert "姓名与登记的不一致" in html[html.index('id="id_name_block"') :][:1500]
    assert not Membership.objects.filter(person=world.dave).exists()


def test_a_member_of_another_branch_needs_a_transfer(world, secretary) -> None:  # type: ignore[no-untyped-def]
    response = secretary.post(
        f"/orgs/{world.b11.pk}/members/new/", member_post(name="李建国", id_number=world.bob.id_number)
    )
    html = response.content.decode()
    assert "请先办理组织关系转接" in html
    assert "长阳社区第一党支部" not in html[html.index('id="id_id_number_block"') :][:1500]  # not hers to see
    assert Membership.objects.get(person=world.bob).organization == world.b21
    response = secretary.post(
        f"/orgs/{world.b11.pk}/members/new/", member_post(name="王秀英", id_number=world.alice.id_number)
    )
    assert "此人已在本党组织的名册中" in response.content.decode()


def test_adding_members_only_where_the_roster_is_the_accounts(world, secretary, login) -> None:  # type: ignore[no-untyped-def]
    assert secretary.get(f"/orgs/{world.b21.pk}/members/new/").status_code == 404  # another street
    assert secretary.get(f"/orgs/{world.unit_branch.pk}/members/new/").status_code == 404  # a unit's own
    grid = login("grid", (Role.GRID_WORKER, world.c11))
    assert grid.get(f"/orgs/{world.b11.pk}/members/new/").status_code == 404
    assert "添加党员" not in grid.get("/").content.decode()
    response = secretary.post(f"/orgs/{world.b21.pk}/members/new/", member_post())
    assert response.status_code == 404
    assert not Person.objects.filter(name="赵桂兰").exists()


def test_editing_a_membership(world, secretary) -> None:  # type: ignore[no-untyped-def]
    m = world.alice.membership
    url = f"/members/{m.pk}/edit/"
    response = secretary.post(
        url, member_post(status="full", joined_on="2005-07-01", confirmed_on="2004-01-01")
    )
    assert "转正日期不能早于入党日期" in response.content.decode()
    m.refresh_from_db()
    assert m.confirmed_on == date(2006, 7, 1)
    response = secretary.post(
        url,
        member_post(
            status="full",
            joined_on="2005-07-01",
            confirmed_on="2006-07-02",
            is_flowing="on",
            flow_direction="out",
            flow_place="苏州",
        ),
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.confirmed_on, m.is_flowing, m.flow_place) == (date(2006, 7, 2), True, "苏州")
    other = world.bob.membership
    assert secretary.get(f"/members/{other.pk}/edit/").status_code == 404


def test_editing_a_person_keeps_hidden_values_unless_retyped(world, secretary) -> None:  # type: ignore[no-untyped-def]
    url = f"/persons/{world.alice.pk}/edit/"
    page = secretary.get(url).content.decode()
    assert world.alice.id_number not in page
    assert "13812345678" not in page
    data = {
        "name": "王秀英",
        "id_number": "",
        "mobile": "139",
        "address": "",
        "ethnicity": "汉族",
        "education": "",
        "residence": world.c11.pk,
    }
    response = secretary.post(url, data)
    assert "手机号应为11位" in response.content.decode()
    data["mobile"] = ""
    data["name"] = "王秀英 "
    data["education"] = "大学本科"
    assert secretary.post(url, data).status_code == 302
    alice = Person.objects.get(pk=world.alice.pk)
    assert (alice.id_number, alice.mobile, alice.education) == (
        world.alice.id_number,
        "13812345678",
        "大学本科",
    )
    assert secretary.get(f"/persons/{world.bob.pk}/edit/").status_code == 404


def test_editing_a_unit(world, street1) -> None:  # type: ignore[no-untyped-def]
    url = f"/units/{world.unit.pk}/edit/"
    data = {
        "name": "示范电力有限公司",
        "credit_code": "91310110MA1234567X",
        "kind": "state_enterprise",
        "territory": world.c11.pk,
        "address": "",
    }
    response = street1.post(url, data)
    assert "统一社会信用代码" in response.content.decode()
    assert Unit.objects.get(pk=world.unit.pk).name == "示范电力公司"
    data["credit_code"] = world.unit.credit_code
    assert street1.post(url, data).status_code == 302
    assert Unit.objects.get(pk=world.unit.pk).name == "示范电力有限公司"


def test_renaming_tree_nodes(world, street1, login) -> None:  # type: ignore[no-untyped-def]
    assert street1.post(f"/territory/{world.c12.pk}/edit/", {"name": " "}).status_code == 200
    assert Territory.objects.get(pk=world.c12.pk).name == "复兴岛社区"
    assert street1.post(f"/territory/{world.c12.pk}/edit/", {"name": "复兴社区"}).status_code == 302
    node = Territory.objects.get(pk=world.c12.pk)
    assert (node.name, node.search_key) == ("复兴社区", search_key("复兴社区"))
    response = street1.post(
        f"/orgs/{world.b11.pk}/edit/", {"name": "杨树浦第一党支部", "committee_elected_on": "2024-07"}
    )
    assert "请按“2024-07-01”的格式填写日期" in response.content.decode()
    assert Organization.objects.get(pk=world.b11.pk).name == "杨树浦社区第一党支部"  # nothing half-saved
    response = street1.post(
        f"/orgs/{world.b11.pk}/edit/", {"name": "杨树浦第一党支部", "committee_elected_on": "2024-07-01"}
    )
    assert response.status_code == 302
    org = Organization.objects.get(pk=world.b11.pk)
    assert (org.name, org.committee_elected_on) == ("杨树浦第一党支部", date(2024, 7, 1))
    assert street1.get(f"/territory/{world.street2.pk}/edit/").status_code == 404
    grid = login("grid", (Role.GRID_WORKER, world.c11))
    assert grid.get(f"/territory/{world.c11.pk}/edit/").status_code == 404
