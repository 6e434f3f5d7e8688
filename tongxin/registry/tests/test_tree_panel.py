"""The trees of the left panel: pinyin keys, the search over them, lazy children in scope, and
the path to the current page opened."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SYSTEM
from tongxin.accounts.models import Role
from tongxin.core.search_keys import normalize_query, search_key, subsequence_pattern, subsequence_regex
from tongxin.orgs.services import organization_rename
from tongxin.territory.models import Territory
from tongxin.territory.services import territory_create, territory_rename

HANZI = st.sampled_from(list("定海路街道平凉长阳社区杨树浦复兴岛第一党支部委员会网格"))


def like(pattern: str, text: str) -> bool:
    """SQL LIKE for the patterns we build: literal pieces between % signs, the pattern starting
    and ending with one. Each piece is found at its first place after the previous one, which
    decides such a pattern without the backtracking a translated regex would do."""
    assert pattern.startswith("%")
    assert pattern.endswith("%")
    position = 0
    for piece in pattern.strip("%").split("%"):
        found = text.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def matches_initials(query: str, key: str) -> bool:
    """What the tree search asks of a key: the LIKE filter and the regular expression."""
    return like(subsequence_pattern(query), key) and re.search(subsequence_regex(query), key) is not None


def test_key_holds_initials_then_full_pinyin_default_reading_first() -> None:
    assert search_key("定海路街道").startswith("dhljd ")
    assert search_key("定海路街道").split(" ")[-1].split("|")[0] == "dinghailujiedao"
    assert search_key("第1网格A").startswith("d1wga ")


def test_the_issue_examples_match() -> None:
    key = search_key("定海路街道")
    assert matches_initials("dhjd", key)  # 路 left out, as people abbreviate
    assert "dinghai" in key
    assert not matches_initials("jddh", key)  # the order matters


def test_place_names_pypinyin_reads_wrongly_are_found_by_their_real_reading() -> None:
    # pypinyin alone reads 长宁 as "zhangning" and 朝阳 as "zhaoyang".
    assert matches_initials("cnq", search_key("长宁区"))
    assert "changning" in search_key("长宁区")
    assert matches_initials("cysq", search_key("朝阳社区"))
    assert "chaoyang" in search_key("朝阳社区")


def test_letters_from_two_readings_do_not_make_a_match() -> None:
    key = search_key("长宁区")  # readings znq, cnq, ...: none has a z before a c
    assert like(subsequence_pattern("zcq"), key)  # the cheap filter alone would let it through
    assert not matches_initials("zcq", key)
    assert not matches_initials("qq", search_key("长阳社区"))


@given(st.lists(HANZI, min_size=1, max_size=12).map("".join), st.data())
def test_any_in_order_choice_of_initials_finds_the_name(name: str, data: st.DataObject) -> None:
    key = search_key(name)
    initials_part, full_part = key.rsplit(" ", 1)
    readings = initials_part.split(" ")
    assert all(len(initials) == len(name) for initials in readings)
    initials = data.draw(st.sampled_from(readings))
    picked = data.draw(st.lists(st.sampled_from(range(len(initials))), min_size=1, unique=True).map(sorted))
    query = "".join(initials[i] for i in picked)
    assert matches_initials(query, key)
    full = data.draw(st.sampled_from(full_part.split("|")))
    assert normalize_query(full.upper()) == full  # typed in capitals, still the same key


def test_queries_with_chinese_are_not_keys() -> None:
    assert normalize_query("定海") == ""
    assert normalize_query(" Ding Hai ") == "dinghai"


@pytest.mark.django_db
def test_search_finds_by_initials_full_pinyin_and_name(world, login) -> None:  # type: ignore[no-untyped-def]
    admin = login("admin", (Role.DISTRICT_ADMIN, world.district))
    for query in ("dhjd", "dinghai", "定海"):
        html = admin.get("/tree/search/", {"q": query}).content.decode()
        assert f'href="/territory/{world.street1.pk}/"' in html, query
        assert "示范区" in html  # the path above the hit
    html = admin.get("/tree/search/", {"q": "yspdy"}).content.decode()
    assert f'href="/orgs/{world.b11.pk}/"' in html
    assert "没有找到" in admin.get("/tree/search/", {"q": "qqqq"}).content.decode()


@pytest.mark.django_db
def test_search_and_children_stay_in_scope(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get("/tree/search/", {"q": "plljd"}).content.decode()  # 平凉路街道: not hers
    assert f"/territory/{world.street2.pk}/" not in html
    children = street1.get(f"/tree/territory/{world.street1.pk}/children/").content.decode()
    assert "杨树浦社区" in children
    assert "复兴岛社区" in children
    assert "长阳社区" not in children
    assert 'aria-expanded="false"' in children  # 杨树浦社区 has a grid, fetched on demand
    assert street1.get(f"/tree/territory/{world.street2.pk}/children/").status_code == 404
    assert street1.get("/tree/territory/987654/children/").status_code == 404
    assert street1.get(f"/tree/bogus/{world.street1.pk}/children/").status_code == 404


@pytest.mark.django_db
def test_a_node_without_visible_children_has_no_expander(world, login) -> None:  # type: ignore[no-untyped-def]
    # The unit contact sees the unit branch only; its external superior is not drawn.
    contact = login("contact", (Role.UNIT_CONTACT, world.unit_branch))
    html = contact.get("/").content.decode()
    panel = html[html.index('class="tx-trees"') :]
    assert "示范电力公司党支部" in panel
    assert "示范能源集团党委" not in panel
    assert "tx-tree-toggle" not in panel


@pytest.mark.django_db
def test_page_opens_the_tree_down_to_its_node(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get(f"/territory/{world.c11.pk}/").content.decode()
    panel = html[html.index('class="tx-trees"') :]
    link = f'<a href="/territory/{world.c11.pk}/" class="tx-tree-link" aria-current="page">杨树浦社区</a>'
    assert link in panel
    assert "复兴岛社区" in panel  # the sibling level came with the page
    assert f'aria-controls="tx-tree-territory-{world.c11.pk}"' in panel  # its grid: on demand


@pytest.mark.django_db
def test_new_and_renamed_nodes_are_found_by_their_pinyin(world, street1) -> None:  # type: ignore[no-untyped-def]
    node = territory_create(
        name="黄兴社区", code="310110001003", level="community", parent=world.street1, by=SYSTEM
    )
    assert Territory.objects.get(pk=node.pk).search_key == search_key("黄兴社区")
    assert f"/territory/{node.pk}/" in street1.get("/tree/search/", {"q": "hxsq"}).content.decode()
    territory_rename(territory=node, name="延吉社区", by=SYSTEM)
    assert f"/territory/{node.pk}/" in street1.get("/tree/search/", {"q": "yanji"}).content.decode()
    assert f"/territory/{node.pk}/" not in street1.get("/tree/search/", {"q": "hxsq"}).content.decode()
    organization_rename(organization=world.b11, name="延吉第一党支部", by=SYSTEM)
    assert f"/orgs/{world.b11.pk}/" in street1.get("/tree/search/", {"q": "yjdy"}).content.decode()


@pytest.mark.django_db
def test_list_pages_search_by_pinyin_too(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get("/territory/", {"q": "fxd"}).content.decode()
    assert f"/territory/{world.c12.pk}/" in html
    html = street1.get("/orgs/", {"q": "yangshupu"}).content.decode()
    assert f"/orgs/{world.cc11.pk}/" in html
    assert f"/orgs/{world.b11.pk}/" in html


@pytest.mark.django_db
def test_a_visible_node_with_a_child_out_of_scope_does_not_show_it(world, street1) -> None:  # type: ignore[no-untyped-def]
    # A branch answering to 定海路街道党工委 but located in 平凉路街道: the street's staff see the
    # working committee, not the branch.
    from conftest import SYSTEM as system
    from tongxin.orgs.services import organization_create

    stray = organization_create(
        name="跨街道党支部",
        code="D0199",
        kind="branch",
        parent=world.cc11,
        territory=world.c21,
        by=system,
    )
    html = street1.get(f"/tree/org/{world.cc11.pk}/children/").content.decode()
    assert f"/orgs/{world.b11.pk}/" in html
    assert f"/orgs/{stray.pk}/" not in html
    assert "跨街道党支部" not in html
    # b11 has no visible children: no expander, nothing to fetch.
    assert f'aria-controls="tx-tree-org-{world.b11.pk}"' not in html
