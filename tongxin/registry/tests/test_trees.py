"""Browsing the two trees and the 工作台 within one street's scope."""

import re

import pytest

from conftest import SYSTEM, new_credit_code
from tongxin.accounts.models import Role
from tongxin.units.services import unit_create

pytestmark = pytest.mark.django_db


def test_territory_browsing_starts_at_the_callers_top_node(world, street1) -> None:  # type: ignore[no-untyped-def]
    response = street1.get("/territory/")
    assert response.status_code == 302
    assert response["Location"] == f"/territory/{world.street1.pk}/"
    html = street1.get(response["Location"]).content.decode()
    assert "杨树浦社区" in html
    assert "复兴岛社区" in html
    assert "长阳社区" not in html
    assert "示范区" not in html  # the district above is outside the grant: not in the breadcrumb


def test_community_page_shows_counts_units_and_breadcrumb(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get(f"/territory/{world.c11.pk}/").content.decode()
    assert f'href="/territory/{world.street1.pk}/">定海路街道</a>' in html  # breadcrumb
    assert "登记居民 3 人" in html  # 王秀英, 张敏, and 陈伟 in the grid below
    assert "第一网格" in html
    assert "示范电力公司" in html
    assert "已建立" in html
    assert f"/persons/new/?territory={world.c11.pk}" in html


def test_district_sees_coverage_per_street(world, login) -> None:  # type: ignore[no-untyped-def]
    unit_create(
        name="平凉路菜场", credit_code=new_credit_code(), kind="other", territory=world.c21, by=SYSTEM
    )
    district = login("district", (Role.DISTRICT_ADMIN, world.district))
    html = district.get(f"/territory/{world.district.pk}/").content.decode()
    assert "100.0%" in html  # 定海路街道: its one unit has a branch
    assert "0.0%" in html  # 平凉路街道: its market has none


def test_territory_search_finds_by_name_with_the_path_above(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get("/territory/", {"q": "网格"}).content.decode()
    assert "第一网格" in html
    assert "定海路街道 › 杨树浦社区" in html
    html = street1.get("/territory/", {"q": "长阳"}).content.decode()
    assert "没有找到符合条件的属地" in html


def test_org_tree_starts_at_every_visible_root(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get("/orgs/").content.decode()
    assert "定海路街道党工委" in html
    assert "示范电力公司党支部" in html  # its superior is outside the district: a root for the street
    assert "以下 2 个党组织" in html
    assert "中共示范区委员会" not in html


def test_branch_page_shows_members_warning_and_unit(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get(f"/orgs/{world.b11.pk}/").content.decode()
    assert "王秀英" in html
    assert "不足3人" in html
    assert "未设支委会" in html
    assert f'href="/orgs/{world.cc11.pk}/">杨树浦社区党委</a>' in html


def test_street_sees_a_units_branch_but_not_its_members(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get(f"/orgs/{world.unit_branch.pk}/").content.decode()
    assert "示范电力公司" in html
    assert "张敏" not in html
    assert "没有您可以查看的党员记录" in html


def test_unit_contact_sees_the_members_of_its_branch(world, login) -> None:  # type: ignore[no-untyped-def]
    contact = login("contact", (Role.UNIT_CONTACT, world.unit_branch))
    response = contact.get("/orgs/")
    assert response["Location"] == f"/orgs/{world.unit_branch.pk}/"
    assert "张敏" in contact.get(response["Location"]).content.decode()


def test_home_shows_counts_coverage_and_warnings_to_act_on(world, street1) -> None:  # type: ignore[no-untyped-def]
    unit_create(
        name="复兴岛物流有限公司", credit_code=new_credit_code(), kind="other", territory=world.c12, by=SYSTEM
    )
    html = street1.get("/").content.decode()
    assert "范围:定海路街道" in html
    assert "覆盖率 <strong>50.0%</strong>" in html
    assert "tx-coverage-data" in html  # the chart's numbers
    assert f'href="/orgs/{world.b11.pk}/">杨树浦社区第一党支部</a>' in html
    assert "不足3人" in html


def test_home_for_a_unit_contact_explains_the_missing_coverage(world, login) -> None:  # type: ignore[no-untyped-def]
    contact = login("contact", (Role.UNIT_CONTACT, world.unit_branch))
    html = contact.get("/").content.decode()
    assert "没有属地范围" in html


def test_pages_load_only_vendored_assets(world, street1) -> None:  # type: ignore[no-untyped-def]
    """A clone runs with no CDN: every script and stylesheet comes from our own /static/."""
    html = street1.get("/").content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(url.startswith("/static/") for url in assets), assets
    for name in (
        "bootstrap.min.css",
        "bootstrap-icons.min.css",
        "htmx.min.js",
        "cdn.min.js",
        "echarts.min.js",
    ):
        assert any(url.endswith(name) for url in assets), name
