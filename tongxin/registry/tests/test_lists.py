"""Filters, sorting, counts, pagination and empty states of the registry lists."""

import re
from datetime import date

import pytest

from conftest import TODAY, add_member, add_person
from tongxin.accounts.models import Role
from tongxin.people.models import MemberStatus

pytestmark = pytest.mark.django_db


def names_in(response, link: str = "/persons/") -> list[str]:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return re.findall(rf'<a href="{re.escape(link)}\d+/">([^<]+)</a></td>', html)


def test_person_filters_narrow_the_list(world, street1) -> None:  # type: ignore[no-untyped-def]
    assert set(names_in(street1.get("/persons/"))) == {"王秀英", "张敏", "陈伟"}
    assert set(names_in(street1.get("/persons/", {"member": "member"}))) == {"王秀英", "张敏"}
    assert set(names_in(street1.get("/persons/", {"member": "none"}))) == {"陈伟"}
    assert names_in(street1.get("/persons/", {"place": world.c12.pk})) == []
    assert set(names_in(street1.get("/persons/", {"place": world.c11.pk}))) == {"王秀英", "张敏", "陈伟"}
    old = add_person("周老伯", world.c11, birth=date(1940, 5, 1))
    assert names_in(street1.get("/persons/", {"age": "80+"})) == [old.name]
    assert "周老伯" not in names_in(street1.get("/persons/", {"age": "36-59"}))
    # A value that is not a choice is ignored, not an error.
    assert street1.get("/persons/", {"gender": "X", "age": "999"}).status_code == 200


def test_age_band_edges(world, street1) -> None:  # type: ignore[no-untyped-def]
    turns_18_today = add_person("满十八", world.c11, birth=date(TODAY.year - 18, TODAY.month, TODAY.day))
    assert turns_18_today.name in names_in(street1.get("/persons/", {"age": "18-35"}))
    assert turns_18_today.name not in names_in(street1.get("/persons/", {"age": "0-17"}))


def test_person_sorting_is_whitelisted(world, street1) -> None:  # type: ignore[no-untyped-def]
    add_person("安康", world.c11, birth=date(2001, 1, 1))
    by_age = names_in(street1.get("/persons/", {"sort": "age"}))
    assert by_age[0] == "安康"  # youngest first
    assert names_in(street1.get("/persons/", {"sort": "-age"}))[-1] == "安康"
    by_name = names_in(street1.get("/persons/", {"sort": "id_number_index"}))  # not a column: default
    assert by_name == names_in(street1.get("/persons/"))


def test_pagination_counts_the_whole_list(world, street1) -> None:  # type: ignore[no-untyped-def]
    for i in range(27):
        add_person(f"居民{i:02d}", world.c12)
    first = street1.get("/persons/", {"place": world.c12.pk})
    assert "找到 27 人" in first.content.decode()  # the filtered total, not the scope's
    assert len(names_in(first)) == 25
    assert "第 1 / 2 页" in first.content.decode()
    second = street1.get("/persons/", {"place": world.c12.pk, "page": 2})
    assert len(names_in(second)) == 2
    assert f"place={world.c12.pk}" in first.content.decode()  # the filter survives paging


def test_empty_states_say_what_to_do(world, login) -> None:  # type: ignore[no-untyped-def]
    street2 = login("street2", (Role.STREET_STAFF, world.street2))
    html = street2.get("/persons/", {"member": "none"}).content.decode()
    assert "没有符合筛选条件的人员" in html
    assert "清除筛选" in html
    grid = login("grid", (Role.GRID_WORKER, world.c12))
    html = grid.get("/persons/").content.decode()
    assert "还没有登记人员" in html
    assert "由所在社区的工作人员登记" in html
    assert "/persons/new/" not in html  # no button the account cannot use
    html = street2.get(f"/orgs/{world.b21.pk}/", {"status": "probationary"}).content.decode()
    assert "没有符合筛选条件的党员" in html


def test_unit_org_territory_and_member_filters(world, street1) -> None:  # type: ignore[no-untyped-def]
    assert names_in(street1.get("/units/", {"has_org": "yes"}), "/units/") == ["示范电力公司"]
    assert names_in(street1.get("/units/", {"has_org": "no"}), "/units/") == []
    assert names_in(street1.get("/units/", {"kind": "private_enterprise"}), "/units/") == []
    html = street1.get("/orgs/", {"kind": "branch"}).content.decode()
    assert names_in(street1.get("/orgs/", {"kind": "branch"}), "/orgs/") == [
        "杨树浦社区第一党支部",
        "示范电力公司党支部",
    ]
    assert names_in(street1.get("/territory/", {"level": "community"}), "/territory/") == [
        "杨树浦社区",
        "复兴岛社区",
    ]
    add_member(world.dave, world.b11, status=MemberStatus.PROBATIONARY, joined=date(2026, 1, 1))
    assert names_in(street1.get("/members/", {"status": "probationary"})) == ["陈伟"]
    html = street1.get("/members/", {"org": world.b11.pk, "sort": "-joined"}).content.decode()
    assert html.index("陈伟") < html.index("王秀英")


def test_roster_and_member_list_sort(world, street1) -> None:  # type: ignore[no-untyped-def]
    add_member(world.dave, world.b11, joined=date(1999, 7, 1))
    html = street1.get(f"/orgs/{world.b11.pk}/", {"sort": "joined"}).content.decode()
    roster = html[html.index("党员名册") :]
    assert roster.index("陈伟") < roster.index("王秀英")
    html = street1.get(f"/orgs/{world.b11.pk}/", {"sort": "-joined"}).content.decode()
    roster = html[html.index("党员名册") :]
    assert roster.index("王秀英") < roster.index("陈伟")


def test_dashboard_counts_units_on_the_scope_node_itself(world, login) -> None:  # type: ignore[no-untyped-def]
    # A community's units sit on the community, not on its grids: its secretary's coverage must
    # count them (it used to say "no units yet" beside a unit counter of 1).
    secretary = login("secretary", (Role.COMMUNITY_STAFF, world.c11))
    html = secretary.get("/").content.decode()
    assert "还没有登记驻区单位" not in html
    assert "100.0%" in html
    warnings = html[html.index("党支部设置提醒") :]
    assert f'href="/orgs/{world.b11.pk}/"' in warnings  # each warning links to its branch


def test_member_list_in_english_says_members(world, street1) -> None:  # type: ignore[no-untyped-def]
    street1.cookies["django_language"] = "en"
    html = street1.get("/members/").content.decode()
    assert "Party members" in html
    assert "Filter" in html


def test_detail_pages_show_the_tree_path(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get(f"/units/{world.unit.pk}/").content.decode()
    crumbs = html[html.index('class="breadcrumb"') :][:800]
    assert "定海路街道" in crumbs
    assert "杨树浦社区" in crumbs
    assert "示范区" not in crumbs  # the district is above her scope
    html = street1.get(f"/persons/{world.dave.pk}/").content.decode()
    crumbs = html[html.index('class="breadcrumb"') :][:900]
    assert crumbs.index("杨树浦社区") < crumbs.index("第一网格") < crumbs.index("陈伟")
