"""Every table a user can see has its 导出Excel: a territory's 下级属地 and 驻区单位, an
organisation's 下级党组织, a unit's 在职党员; each file holds what the table shows, in scope."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from conftest import SYSTEM, add_member
from tongxin.accounts.models import Role
from tongxin.people.models import Membership
from tongxin.territory.services import territory_create

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    return [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_a_community_secretary_exports_both_tables_of_the_territory_page(world, login) -> None:  # type: ignore[no-untyped-def]
    secretary = login("yangshupu", (Role.COMMUNITY_STAFF, world.c11))
    territory_create(name="第二网格", code="310110001001002", level="grid", parent=world.c11, by=SYSTEM)
    html = secretary.get(f"/territory/{world.c11.pk}/").content.decode()
    assert html.count("导出Excel") == 2
    assert 'action="/territory/export/"' in html
    assert f'name="parent" value="{world.c11.pk}"' in html
    assert 'action="/units/export/"' in html
    assert f'name="territory" value="{world.c11.pk}"' in html
    children = names(secretary.post("/territory/export/", {"q": "", "parent": world.c11.pk}))
    assert children == ["第一网格", "第二网格"]
    units = names(secretary.post("/units/export/", {"q": "", "territory": world.c11.pk}))
    assert units == ["示范电力公司"]


def test_a_street_exports_the_children_and_units_of_one_community_only(world, street1) -> None:  # type: ignore[no-untyped-def]
    assert names(street1.post("/territory/export/", {"q": "", "parent": world.street1.pk})) == [
        "杨树浦社区",
        "复兴岛社区",
    ]
    assert names(street1.post("/units/export/", {"q": "", "territory": world.c12.pk})) == []
    # A place outside the account's scope gives an empty file, not the whole list.
    assert names(street1.post("/units/export/", {"q": "", "territory": world.c21.pk})) == []


def test_an_organisation_exports_its_sub_organisations(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get(f"/orgs/{world.wc1.pk}/").content.decode()
    assert f'name="parent" value="{world.wc1.pk}"' in html
    assert names(street1.post("/orgs/export/", {"q": "", "parent": world.wc1.pk})) == ["杨树浦社区党委"]


def test_a_unit_exports_its_members_in_service(world, street1) -> None:  # type: ignore[no-untyped-def]
    add_member(world.dave, world.b11)
    Membership.objects.filter(person=world.dave).update(in_service=True, employer=world.unit)
    html = street1.get(f"/units/{world.unit.pk}/").content.decode()
    assert f'name="employer" value="{world.unit.pk}"' in html
    assert names(street1.post("/members/export/", {"q": "", "employer": world.unit.pk})) == ["陈伟"]
