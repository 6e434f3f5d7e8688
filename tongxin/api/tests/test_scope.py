"""Property: on random worlds and grants, each API list holds exactly the rows the access policy
gives the pages (and the independent oracle agrees), every row in scope opens, and every row out
of scope answers with the same 404 body as a row that does not exist."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from tongxin.accounts.policies import Action, visible
from tongxin.accounts.tests.scope_worlds import build, expected_visible, world_spec
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .conftest import MISSING_PK, token_client

ENDPOINTS = {
    "territory": ("/api/v1/territories/", Territory),
    "organization": ("/api/v1/organizations/", Organization),
    "unit": ("/api/v1/units/", Unit),
    "person": ("/api/v1/persons/", Person),
    "membership": ("/api/v1/memberships/", Membership),
}


def listed_ids(client, url: str) -> list[int]:  # type: ignore[no-untyped-def]
    ids: list[int] = []
    page = 1
    while True:
        body = client.get(url, {"page": page, "page_size": 100}).json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            return ids
        page += 1


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=world_spec)
def test_api_scope_is_the_policy_scope(spec) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        world = build(spec)
        client = token_client(world.user)
        for name, (url, model) in ENDPOINTS.items():
            policy = set(visible(world.user, model).values_list("pk", flat=True))
            listed = listed_ids(client, url)
            assert len(listed) == len(set(listed)), name  # no row twice
            assert set(listed) == policy == expected_visible(world, name, Action.VIEW), name
            missing = client.get(f"{url}{MISSING_PK}/")
            assert missing.status_code == 404
            for pk in model._default_manager.values_list("pk", flat=True):
                response = client.get(f"{url}{pk}/")
                if pk in policy:
                    assert response.status_code == 200, (name, pk)
                    assert response.json()["id"] == pk
                else:
                    assert response.status_code == 404, (name, pk)
                    assert response.json() == missing.json()
        transaction.set_rollback(True)
