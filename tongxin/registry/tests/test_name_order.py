"""People are listed in pinyin order, as a Chinese register is (丁 before 李 before 张), not in the
order of their character codes (丁 万 严 于…): the person list, the 党员 list, an organisation's
roster, the Excel exports of them, and the members working at a unit."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from conftest import SYSTEM, add_member, add_person
from tongxin.accounts.models import Role
from tongxin.people.models import Membership
from tongxin.territory.services import territory_create

pytestmark = pytest.mark.django_db

NAMES = ["张三", "丁娜琳", "林", "李四", "万芳"]
PINYIN_ORDER = ["丁娜琳", "李四", "林", "万芳", "张三"]


@pytest.fixture
def community(world, login):  # type: ignore[no-untyped-def]
    """A community of its own with five residents, all members of one branch, and its secretary."""
    place = territory_create(
        name="松花社区", code="310110001003", level="community", parent=world.street1, by=SYSTEM
    )
    for name in NAMES:
        member = add_member(add_person(name, place), world.b11)
        Membership.objects.filter(pk=member.pk).update(employer=world.unit, in_service=True)
    return login("songhua", (Role.COMMUNITY_STAFF, place))


def listed(html: str) -> list[str]:
    found = re.findall(r'<a href="/persons/\d+/">([^<]+)</a>', html)
    return [name for name in found if name in NAMES]


def exported(response) -> list[str]:  # type: ignore[no-untyped-def]
    ws = load_workbook(BytesIO(response.content)).active
    return [row[0].value for row in ws.iter_rows(min_row=2) if row[0].value in NAMES]


def test_person_list_and_its_export_are_in_pinyin_order(community) -> None:  # type: ignore[no-untyped-def]
    assert listed(community.get("/persons/").content.decode()) == PINYIN_ORDER
    assert listed(community.get("/persons/", {"sort": "-name"}).content.decode()) == PINYIN_ORDER[::-1]
    assert exported(community.post("/persons/export/", {"q": ""})) == PINYIN_ORDER


def test_member_list_roster_and_their_exports_are_in_pinyin_order(world, street1, community) -> None:  # type: ignore[no-untyped-def]
    assert listed(street1.get("/members/").content.decode()) == PINYIN_ORDER
    roster = street1.get(f"/orgs/{world.b11.pk}/").content.decode()
    assert listed(roster) == PINYIN_ORDER
    assert exported(street1.post("/members/export/", {"q": "", "org": world.b11.pk})) == PINYIN_ORDER
    assert exported(street1.post("/members/export/", {"q": ""})) == PINYIN_ORDER


def test_members_working_at_a_unit_are_in_pinyin_order(world, street1, community) -> None:  # type: ignore[no-untyped-def]
    assert listed(street1.get(f"/units/{world.unit.pk}/").content.decode()) == PINYIN_ORDER
