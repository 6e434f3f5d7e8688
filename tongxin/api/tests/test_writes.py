"""Units and memberships written through the API: the same services and rules as the pages,
the caller audited, references limited to the caller's scope, and nothing written on an error."""

import pytest

from conftest import new_credit_code
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.people.models import Membership
from tongxin.units.models import Unit

from .conftest import MISSING_PK

pytestmark = pytest.mark.django_db


def test_unit_create_and_a_duplicate_credit_code(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    code = new_credit_code()
    payload = {
        "name": "示范书店",
        "credit_code": code.lower(),
        "kind": "private_enterprise",
        "territory": world.c12.pk,
    }
    created = street1_api.post("/api/v1/units/", payload)
    assert created.status_code == 201, created.json()
    assert created.json()["credit_code"] == code
    assert created.json()["has_org"] is False
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="units.unit", object_id=str(created.json()["id"])
    )
    assert event.actor_id == street1_api.user.pk
    again = street1_api.post("/api/v1/units/", {**payload, "name": "另一家"})
    assert again.status_code == 400
    assert again.json()["fields"] == {"credit_code": [f"统一社会信用代码 {code} 已登记,请勿重复录入。"]}
    assert not Unit.objects.filter(name="另一家").exists()


def test_a_unit_contact_edits_its_unit_in_place_but_cannot_move_it_or_create(world, api) -> None:  # type: ignore[no-untyped-def]
    contact = api("contact", (Role.UNIT_CONTACT, world.unit_branch))
    renamed = contact.patch(f"/api/v1/units/{world.unit.pk}/", {"name": "示范电力股份公司"})
    assert renamed.status_code == 200, renamed.json()
    assert Unit.objects.get(pk=world.unit.pk).name == "示范电力股份公司"
    moved = contact.patch(f"/api/v1/units/{world.unit.pk}/", {"territory": world.c21.pk})
    assert moved.status_code == 400
    assert list(moved.json()["fields"]) == ["territory"]
    created = contact.post(
        "/api/v1/units/",
        {"name": "新单位", "credit_code": new_credit_code(), "kind": "other", "territory": world.c11.pk},
    )
    assert created.status_code == 400
    assert list(created.json()["fields"]) == ["territory"]


def test_a_read_only_role_cannot_change_a_row_it_sees(world, api) -> None:  # type: ignore[no-untyped-def]
    grid = api("grid", (Role.GRID_WORKER, world.c11))
    assert grid.get(f"/api/v1/persons/{world.alice.pk}/").status_code == 200
    changed = grid.patch(f"/api/v1/persons/{world.alice.pk}/", {"name": "改名"})
    missing = grid.patch(f"/api/v1/persons/{MISSING_PK}/", {"name": "改名"})
    assert changed.status_code == missing.status_code == 404
    assert changed.json() == missing.json()


def test_membership_create_with_rule_errors_writes_nothing(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    payload = {
        "person": world.dave.pk,
        "organization": world.b11.pk,
        "status": "probationary",
        "joined_on": "2024-07-01",
        "confirmed_on": "2025-07-01",
        "in_service": True,
    }
    before = (Membership.objects.count(), AuditEvent.objects.count())
    response = street1_api.post("/api/v1/memberships/", payload)
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "confirmed_on": ["预备党员尚未转正,不应填写转正日期。"],
        "employer": ["在职党员须填写工作单位。"],
    }
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before
    ok = street1_api.post(
        "/api/v1/memberships/", {**payload, "confirmed_on": None, "employer": world.unit.pk}
    )
    assert ok.status_code == 201, ok.json()
    membership = Membership.objects.get(person=world.dave)
    assert (membership.organization, membership.employer) == (world.b11, world.unit)
    twice = street1_api.post("/api/v1/memberships/", {**payload, "confirmed_on": None, "in_service": False})
    assert twice.status_code == 400
    assert twice.json()["fields"] == {"person": ["此人已有党员信息,请修改原记录。"]}


def test_membership_update_and_its_organisation_stays_in_scope(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    membership = Membership.objects.get(person=world.alice)
    flowing = street1_api.patch(
        f"/api/v1/memberships/{membership.pk}/",
        {"is_flowing": True, "flow_direction": "out", "flow_place": "苏州"},
    )
    assert flowing.status_code == 200, flowing.json()
    membership.refresh_from_db()
    assert (membership.is_flowing, membership.flow_direction, membership.flow_place) == (True, "out", "苏州")
    elsewhere = street1_api.patch(f"/api/v1/memberships/{membership.pk}/", {"organization": world.b21.pk})
    assert elsewhere.status_code == 400
    assert elsewhere.json()["fields"] == {"organization": ["未找到该记录,或您无权使用。"]}
    assert Membership.objects.get(pk=membership.pk).organization == world.b11


def test_a_body_that_is_not_json_is_a_parse_error_and_other_types_unsupported(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    broken = street1_api.post("/api/v1/units/", "{not json", content_type="application/json")
    assert (broken.status_code, broken.json()["code"]) == (400, "parse_error")
    form = street1_api.post("/api/v1/units/", "name=x", content_type="application/x-www-form-urlencoded")
    assert (form.status_code, form.json()["code"]) == (415, "unsupported_media_type")
    delete = street1_api.delete(f"/api/v1/units/{world.unit.pk}/")
    assert (delete.status_code, delete.json()["code"]) == (405, "method_not_allowed")


def test_moving_a_member_to_another_organisation_is_a_transfer_not_an_edit(world, district_api) -> None:  # type: ignore[no-untyped-def]
    # Both organisations are in scope; the move is still refused, as the form and the import
    # refuse it: 组织关系转接 has its own procedure.
    membership = Membership.objects.get(person=world.alice)
    moved = district_api.patch(f"/api/v1/memberships/{membership.pk}/", {"organization": world.cc11.pk})
    assert moved.status_code == 400
    assert moved.json()["fields"] == {
        "organization": ["此人的组织关系在“杨树浦社区第一党支部”,请先办理组织关系转接。"]
    }
    assert Membership.objects.get(pk=membership.pk).organization == world.b11
