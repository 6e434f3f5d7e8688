"""Lists: paged with a count (page size capped), filtered, ordered and searched, always within
the caller's scope."""

import pytest

from conftest import add_person
from tongxin.accounts.models import Role

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.json()
    return [r["name"] for r in response.json()["results"]]


def test_pages_carry_the_count_and_the_size_is_capped(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    for i in range(110):
        add_person(f"居民{i:03d}", world.c12)
    first = street1_api.get("/api/v1/persons/", {"page_size": 500}).json()
    assert first["count"] == 113
    assert len(first["results"]) == 100
    assert first["next"].endswith("page=2&page_size=500")
    second = street1_api.get("/api/v1/persons/", {"page_size": 500, "page": 2}).json()
    assert len(second["results"]) == 13
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})
    default = street1_api.get("/api/v1/persons/").json()
    assert len(default["results"]) == 25
    past_the_end = street1_api.get("/api/v1/persons/", {"page": 99})
    assert past_the_end.status_code == 404
    assert past_the_end.json()["code"] == "not_found"
    assert past_the_end.json()["message"] == "没有这一页:页码应为 1 到 5 之间的整数。"


def test_people_are_ordered_by_the_pinyin_of_their_names(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    for name in ["张三", "丁娜琳", "林", "李四", "万芳"]:
        add_person(name, world.c12)
    wanted = ["丁娜琳", "李四", "林", "万芳", "张三"]
    listed = names(street1_api.get("/api/v1/persons/", {"page_size": 100}))
    assert [n for n in listed if n in wanted] == wanted
    backwards = names(street1_api.get("/api/v1/persons/", {"page_size": 100, "ordering": "-name"}))
    assert [n for n in backwards if n in wanted] == wanted[::-1]


def test_territories_filter_by_parent_level_and_code(world, district_api) -> None:  # type: ignore[no-untyped-def]
    assert names(district_api.get("/api/v1/territories/", {"parent": world.street1.pk})) == [
        "杨树浦社区",
        "复兴岛社区",
    ]
    assert names(district_api.get("/api/v1/territories/", {"level": "street"})) == [
        "定海路街道",
        "平凉路街道",
    ]
    assert names(district_api.get("/api/v1/territories/", {"code": "310110002001"})) == ["长阳社区"]
    top = district_api.get("/api/v1/territories/", {"code": "310110"}).json()["results"][0]
    assert top["parent"] is None
    assert district_api.get(f"/api/v1/territories/{world.c11.pk}/").json()["parent"] == world.street1.pk


def test_organizations_filter_by_kind_parent_and_territory(world, district_api) -> None:  # type: ignore[no-untyped-def]
    assert names(district_api.get("/api/v1/organizations/", {"kind": "working_committee"})) == [
        "定海路街道党工委",
        "平凉路街道党工委",
    ]
    assert names(district_api.get("/api/v1/organizations/", {"parent": world.cc11.pk})) == [
        "杨树浦社区第一党支部"
    ]
    in_c11 = names(
        district_api.get("/api/v1/organizations/", {"territory": world.c11.pk, "ordering": "name"})
    )
    assert in_c11 == sorted(["杨树浦社区党委", "杨树浦社区第一党支部", "示范电力公司党支部"])


def test_units_filter_by_territory_and_credit_code(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    assert names(street1_api.get("/api/v1/units/", {"territory": world.c11.pk})) == ["示范电力公司"]
    assert names(street1_api.get("/api/v1/units/", {"territory": world.c12.pk})) == []
    code = world.unit.credit_code.lower()
    assert names(street1_api.get("/api/v1/units/", {"credit_code": code})) == ["示范电力公司"]
    unit = street1_api.get("/api/v1/units/").json()["results"][0]
    assert unit["has_org"] is True


def test_persons_filter_by_residence_and_name_and_order(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    assert names(street1_api.get("/api/v1/persons/", {"residence": world.c11.pk, "ordering": "name"})) == [
        "王秀英",
        "张敏",
    ]  # wang before zhang: pinyin order
    assert names(street1_api.get("/api/v1/persons/", {"name": "秀"})) == ["王秀英"]
    by_id_desc = street1_api.get("/api/v1/persons/", {"ordering": "-id"}).json()["results"]
    assert [r["id"] for r in by_id_desc] == sorted((r["id"] for r in by_id_desc), reverse=True)


def test_memberships_filter_by_organization_and_status(world, district_api) -> None:  # type: ignore[no-untyped-def]
    from conftest import add_member

    add_member(world.dave, world.b11, status="probationary")
    rows = district_api.get("/api/v1/memberships/", {"organization": world.b11.pk}).json()["results"]
    assert sorted(r["person_name"] for r in rows) == sorted(["王秀英", "陈伟"])
    probationary = district_api.get("/api/v1/memberships/", {"status": "probationary"}).json()["results"]
    assert [r["person_name"] for r in probationary] == ["陈伟"]


def test_a_filter_that_is_not_a_number_is_a_field_error(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    response = street1_api.get("/api/v1/persons/", {"residence": "abc"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert list(body["fields"]) == ["residence"]


def test_filters_never_widen_the_scope(world, api) -> None:  # type: ignore[no-untyped-def]
    community = api("c11", (Role.COMMUNITY_STAFF, world.c11))
    assert names(community.get("/api/v1/persons/", {"residence": world.c21.pk})) == []
    assert names(community.get("/api/v1/territories/", {"parent": world.district.pk})) == []


def test_an_unknown_address_under_the_api_answers_in_readable_json(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    response = street1_api.get("/api/v1/no-such-list/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "未找到该记录" in response.content.decode()  # the Chinese as text, not \uXXXX escapes
