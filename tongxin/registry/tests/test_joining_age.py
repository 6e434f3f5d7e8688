"""One joins the Party at eighteen or later (党章第一条): 添加党员 checks the 入党日期 against the
birth date in the ID number being typed, the edit page against the member's own; the message
stands at the 入党日期 field while typing and after 保存, and nothing is saved."""

from datetime import date

import pytest

from conftest import new_id_number
from tongxin.accounts.models import Role
from tongxin.people.models import Membership, Person
from tongxin.registry.edit_forms import MembershipFields

pytestmark = pytest.mark.django_db

TOO_YOUNG = "入党时须年满十八岁"


@pytest.fixture
def secretary(world, login):  # type: ignore[no-untyped-def]
    return login("secretary", (Role.COMMUNITY_STAFF, world.c11))


def joined_error(html: str) -> str:
    start = html.index('id="id_joined_on_error"')
    return html[start : html.index("</div>", start)]


def add_data(id_number: str, joined_on: str) -> dict[str, object]:
    return {
        "name": "赵小兰",
        "id_number": id_number,
        "mobile": "",
        "ethnicity": "汉族",
        "education": "",
        "residence": "",
        "status": "probationary",
        "joined_on": joined_on,
        "confirmed_on": "",
        "party_group": "",
        "employer": "",
        "flow_direction": "",
        "flow_place": "",
    }


def test_adding_a_member_who_joined_before_eighteen_is_refused_at_the_date(world, secretary) -> None:  # type: ignore[no-untyped-def]
    url = f"/orgs/{world.b11.pk}/members/new/"
    data = add_data(new_id_number(date(2005, 3, 8)), "2022-07-01")
    inline = secretary.post(url, {**data, "_field": "joined_on"}).content.decode()
    assert TOO_YOUNG in joined_error(inline)
    assert "2023-03-08" in joined_error(inline)
    page = secretary.post(url, data).content.decode()
    assert TOO_YOUNG in joined_error(page)
    assert not Person.objects.filter(name="赵小兰").exists()
    assert secretary.post(url, {**data, "joined_on": "2023-03-08"}).status_code == 302


def test_editing_a_membership_checks_the_members_own_birth_date(world, secretary) -> None:  # type: ignore[no-untyped-def]
    membership = world.alice.membership  # 王秀英, born 1980-01-01
    url = f"/members/{membership.pk}/edit/"
    data = {"status": "full", "joined_on": "1997-07-01", "confirmed_on": "1998-07-01"}
    inline = secretary.post(url, {**data, "_field": "joined_on"}).content.decode()
    assert TOO_YOUNG in joined_error(inline)
    page = secretary.post(url, data).content.decode()
    assert TOO_YOUNG in joined_error(page)
    assert Membership.objects.get(pk=membership.pk).joined_on == date(2005, 7, 1)


def test_the_check_at_save_time_lands_at_the_date_too(world, secretary, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The form's own check skipped (as if the birth date changed between check and save): the
    # service refuses at save time, and the page shows it where the date was typed.
    monkeypatch.setattr(MembershipFields, "birth_date", lambda self: None)
    membership = world.alice.membership
    data = {"status": "full", "joined_on": "1997-07-01", "confirmed_on": "1998-07-01"}
    response = secretary.post(f"/members/{membership.pk}/edit/", data)
    assert response.status_code == 200
    assert TOO_YOUNG in joined_error(response.content.decode())
    assert Membership.objects.get(pk=membership.pk).joined_on == date(2005, 7, 1)
