"""Tree nodes through the API: created only under a node the caller may add to, with the tree
services' own placement and code rules; renamed by whoever may change the node."""

import pytest

from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.orgs.models import Organization
from tongxin.territory.models import Territory

pytestmark = pytest.mark.django_db


def test_a_street_adds_a_community_and_the_tree_knows_it(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    payload = {"name": "新华社区", "code": "310110001003", "level": "community", "parent": world.street1.pk}
    response = street1_api.post("/api/v1/territories/", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["parent"], body["depth"]) == (world.street1.pk, 3)
    node = Territory.objects.get(pk=body["id"])
    assert Territory.objects.get_parent(node) == world.street1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="territory.territory").filter(
        object_id=str(node.pk), actor_id=street1_api.user.pk
    )


def test_tree_rules_give_field_messages_and_write_nothing(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    before = Territory.objects.count()
    wrong_level = street1_api.post(
        "/api/v1/territories/",
        {"name": "错层", "code": "310110001004", "level": "street", "parent": world.street1.pk},
    )
    assert wrong_level.status_code == 400
    assert wrong_level.json()["fields"] == {"parent": ["“街道”不能直接设在“定海路街道”之下。"]}
    wrong_code = street1_api.post(
        "/api/v1/territories/",
        {"name": "错码", "code": "310110002009", "level": "community", "parent": world.street1.pk},
    )
    assert wrong_code.json()["fields"] == {"code": ["区划代码应以上级代码 310110001 开头。"]}
    elsewhere = street1_api.post(
        "/api/v1/territories/",
        {"name": "越权", "code": "310110002009", "level": "community", "parent": world.street2.pk},
    )
    assert elsewhere.json()["fields"] == {"parent": ["未找到该记录,或您无权使用。"]}
    assert Territory.objects.count() == before


def test_rename_needs_the_change_right(world, street1_api, api) -> None:  # type: ignore[no-untyped-def]
    renamed = street1_api.patch(f"/api/v1/territories/{world.c11.pk}/", {"name": "杨树浦新社区"})
    assert renamed.status_code == 200, renamed.json()
    assert Territory.objects.get(pk=world.c11.pk).name == "杨树浦新社区"
    grid = api("grid", (Role.GRID_WORKER, world.c11))
    refused = grid.patch(f"/api/v1/territories/{world.c11.pk}/", {"name": "网格员改名"})
    assert refused.status_code == 404
    assert Territory.objects.get(pk=world.c11.pk).name == "杨树浦新社区"


def test_an_organisation_is_added_under_one_the_caller_may_add_to(world, api) -> None:  # type: ignore[no-untyped-def]
    committee = api("cc11", (Role.COMMUNITY_STAFF, world.cc11))
    payload = {"name": "杨树浦社区第二党支部", "code": "D010102", "kind": "branch", "territory": world.c11.pk}
    refused = committee.post("/api/v1/organizations/", {**payload, "parent": world.cc21.pk})
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["parent", "territory"]  # neither is this account's
    # Adding under the committee needs a grant in the 隶属 tree; placing it, sight of the place.
    street = api("s1", (Role.STREET_STAFF, world.street1), (Role.STREET_STAFF, world.wc1))
    created = street.post("/api/v1/organizations/", {**payload, "parent": world.cc11.pk})
    assert created.status_code == 201, created.json()
    assert Organization.objects.get_parent(Organization.objects.get(code="D010102")) == world.cc11
    duplicate = street.post("/api/v1/organizations/", {**payload, "parent": world.cc11.pk})
    assert duplicate.json()["fields"] == {"code": ["组织编码 D010102 已被使用。"]}
    assert street.patch(f"/api/v1/organizations/{world.cc11.pk}/", {"name": "x"}).status_code == 405
