"""The tree search's hint shows an example from the account's own places, so what it suggests can
be typed and found; not a street of somebody else's district."""

import pytest
from django.template.loader import render_to_string

from conftest import make_account
from tongxin.accounts.models import Role
from tongxin.registry.tree_panel import search_example

pytestmark = pytest.mark.django_db


def test_a_street_sees_its_own_street_as_the_example_and_it_finds_it(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get("/persons/").content.decode()
    assert "例如 dhljd 或 dinghailujiedao 找到“定海路街道”" in html
    found = street1.get("/tree/search/", {"q": "dhljd"}).content.decode()
    assert "定海路街道" in found


def test_a_community_secretary_sees_their_community_not_another_street(world, login) -> None:  # type: ignore[no-untyped-def]
    secretary = login("fuxing", (Role.COMMUNITY_STAFF, world.c12))
    html = secretary.get("/persons/").content.decode()
    assert "例如 fxdsq 或 fuxingdaoshequ 找到“复兴岛社区”" in html
    assert "定海路街道" not in html


def test_without_a_place_in_scope_the_hint_is_a_general_sentence(world) -> None:  # type: ignore[no-untyped-def]
    nobody = make_account("nobody")
    assert search_example(nobody) is None
    html = render_to_string("registry/tree/_panel.html", {"panels": [], "example": None})
    assert "可输入名称、拼音或拼音首字母" in html
    assert "dhjd" not in html


def test_the_list_search_boxes_suggest_the_accounts_own_places(world, street1) -> None:  # type: ignore[no-untyped-def]
    territory = street1.get("/territory/", {"q": "x"}).content.decode()
    assert 'placeholder="例如:定海路街道、dhljd"' in territory
    assert "杨树浦社区、dhjd" not in territory
    orgs = street1.get("/orgs/", {"q": "x"}).content.decode()
    assert 'placeholder="例如:定海路街道党工委、dhljddgw"' in orgs
    assert "第一党支部、ysp" not in orgs
