"""A too-long or malformed value (the browser's maxlength removed) is refused at the field in the
words the services use, never Django's "确保该变量包含不超过 50 字符 (目前字符数 300)。"."""

import pytest

from tongxin.accounts.models import Role
from tongxin.people.models import Person
from tongxin.registry.edit_forms import NodeRenameForm
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

pytestmark = pytest.mark.django_db

DJANGO_WORDING = ("确保该变量", "Ensure this value", "字符数")


def error_of(html: str, field: str) -> str:
    start = html.index(f'id="id_{field}_error"')
    return html[start : html.index("</div>", start)]


def plain(text: str) -> bool:
    return not any(words in text for words in DJANGO_WORDING)


def test_a_300_character_name_is_refused_like_the_service_says_it(world, street1) -> None:  # type: ignore[no-untyped-def]
    data = {"name": "王" * 300, "id_number": "", "mobile": "", "address": "路" * 300, "ethnicity": "汉族"}
    html = street1.post("/persons/new/", {**data, "residence": world.c11.pk}).content.decode()
    assert "姓名不能超过50个字。" in error_of(html, "name")
    assert "居住地址不能超过200个字。" in error_of(html, "address")
    assert plain(html)
    assert Person.objects.count() == 4
    edit = street1.post(f"/persons/{world.alice.pk}/edit/", {**data, "residence": world.c11.pk})
    assert "姓名不能超过50个字。" in error_of(edit.content.decode(), "name")
    assert Person.objects.get(pk=world.alice.pk).name == "王秀英"


def test_units_nodes_and_memberships_say_it_the_same_way(world, street1, login) -> None:  # type: ignore[no-untyped-def]
    html = street1.post(
        "/units/new/",
        {"name": "单" * 151, "credit_code": "", "kind": "", "territory": world.c11.pk, "address": ""},
    ).content.decode()
    assert "单位名称不能超过150个字。" in error_of(html, "name")
    assert plain(html)
    assert Unit.objects.count() == 1
    html = street1.post(f"/territory/{world.c12.pk}/edit/", {"name": "社" * 101}).content.decode()
    assert "名称不能超过100个字。" in error_of(html, "name")
    assert Territory.objects.get(pk=world.c12.pk).name == "复兴岛社区"
    secretary = login("secretary", (Role.COMMUNITY_STAFF, world.c11))
    membership = world.alice.membership
    html = secretary.post(
        f"/members/{membership.pk}/edit/",
        {"status": "full", "joined_on": "2005-7-1x", "is_flowing": "on", "flow_place": "苏" * 101},
    ).content.decode()
    assert "流入/流出地不能超过100个字。" in error_of(html, "flow_place")
    assert "2019-07-01" in error_of(html, "joined_on")
    assert plain(html)


def test_a_message_a_field_sets_itself_is_kept() -> None:
    form = NodeRenameForm({"name": " "})
    assert not form.is_valid()
    assert form.errors["name"] == ["请填写名称。"]
    assert str(NodeRenameForm().fields["name"].error_messages["max_length"]) == "名称不能超过100个字。"
