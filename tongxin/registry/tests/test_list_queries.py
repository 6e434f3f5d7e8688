"""Lists cost the same number of queries however many rows a page shows (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import SYSTEM, add_member, add_person, new_credit_code
from tongxin.orgs.models import OrgKind
from tongxin.orgs.services import organization_create
from tongxin.territory.services import territory_create
from tongxin.units.services import unit_create

pytestmark = pytest.mark.django_db

LISTS = ["/persons/", "/members/", "/units/", "/orgs/?q=支部", "/territory/?q=社区", "/audit/"]


def queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_each_list_costs_the_same_with_more_rows(world, login) -> None:  # type: ignore[no-untyped-def]
    from tongxin.accounts.models import Role

    district = login("district", (Role.DISTRICT_ADMIN, world.district))
    auditor = login("auditor", (Role.AUDIT_ADMIN, world.district))
    before = {url: queries(auditor if url == "/audit/" else district, url) for url in LISTS}
    for n in range(3):
        place = territory_create(
            name=f"新社区{n}", code=f"31011000200{n + 2}", level="community", parent=world.street2, by=SYSTEM
        )
        organization_create(
            name=f"新社区{n}第一党支部",
            code=f"D0201{n + 2:02d}",
            kind=OrgKind.BRANCH,
            parent=world.cc21,
            territory=place,
            by=SYSTEM,
        )
        person = add_person(f"新党员{n}", world.c21, mobile=f"1391234567{n}")
        add_member(person, world.b21)
        unit_create(
            name=f"新单位{n}",
            credit_code=new_credit_code(),
            kind="private_enterprise",
            territory=world.c21,
            by=SYSTEM,
        )
    after = {url: queries(auditor if url == "/audit/" else district, url) for url in LISTS}
    assert after == before
