from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import SYSTEM, add_member, add_person, new_credit_code
from tongxin.core.errors import ApplicationError
from tongxin.orgs.models import Organization, OrgKind
from tongxin.orgs.selectors import coverage_by_child, coverage_total
from tongxin.orgs.services import organization_create, organization_delete, organization_move
from tongxin.people.models import MemberStatus
from tongxin.people.selectors import branch_warnings, organizations_with_counts
from tongxin.units.models import Unit
from tongxin.units.services import unit_create

pytestmark = pytest.mark.django_db


def warnings_of(org: Organization) -> list[str]:
    found = branch_warnings(Organization.objects.filter(pk=org.pk))
    return found[0].messages if found else []


def test_a_party_group_cannot_hang_under_a_committee(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        organization_create(
            name="第一党小组",
            code="D0101G1",
            kind=OrgKind.PARTY_GROUP,
            parent=world.cc11,
            territory=world.c11,
            by=SYSTEM,
        )
    assert "不能设在" in exc.value.message_dict["parent"][0]


def test_internal_organisations_need_a_territory(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        organization_create(
            name="无属地支部", code="Z1", kind=OrgKind.BRANCH, parent=world.cc11, territory=None, by=SYSTEM
        )
    assert "territory" in exc.value.message_dict


def test_branch_with_fewer_than_three_full_members_is_warned(world) -> None:  # type: ignore[no-untyped-def]
    assert any("不足3人" in m for m in warnings_of(world.b11))
    for i in range(2):
        add_member(add_person(f"党员{i}", world.c11), world.b11)
    assert warnings_of(world.b11) == []


def test_probationary_members_do_not_count_as_full(world) -> None:  # type: ignore[no-untyped-def]
    for i in range(2):
        add_member(
            add_person(f"预备{i}", world.c11),
            world.b11,
            status=MemberStatus.PROBATIONARY,
            joined=date(2026, 3, 1),
        )
    assert any("不足3人" in m for m in warnings_of(world.b11))


def test_seven_full_members_need_a_committee(world) -> None:  # type: ignore[no-untyped-def]
    for i in range(6):
        add_member(add_person(f"党员{i}", world.c11), world.b11)
    assert any("支委会" in m for m in warnings_of(world.b11))
    world.b11.committee_elected_on = date(2025, 6, 1)
    world.b11.save()
    assert warnings_of(world.b11) == []


def test_joint_branch_over_five_units_is_warned(world) -> None:  # type: ignore[no-untyped-def]
    units = [
        unit_create(
            name=f"小微企业{i}",
            credit_code=new_credit_code(),
            kind="private_enterprise",
            territory=world.c11,
            by=SYSTEM,
        )
        for i in range(6)
    ]
    joint = organization_create(
        name="楼宇联合党支部",
        code="D010102",
        kind=OrgKind.JOINT_BRANCH,
        parent=world.cc11,
        territory=world.c11,
        units=units,
        by=SYSTEM,
    )
    for i in range(3):
        add_member(add_person(f"联合{i}", world.c11), joint)
    assert warnings_of(joint) == ["联合党支部覆盖 6 个单位,超过5个。"]


def test_branch_over_fifty_members_without_groups_is_warned(world) -> None:  # type: ignore[no-untyped-def]
    for i in range(50):
        add_member(add_person(f"党员{i}", world.c11), world.b11)
    world.b11.committee_elected_on = date(2025, 6, 1)
    world.b11.save()
    assert warnings_of(world.b11) == ["党员 51 人,超过50人,应划分党小组。"]
    organization_create(
        name="第一党小组",
        code="D010101G1",
        kind=OrgKind.PARTY_GROUP,
        parent=world.b11,
        territory=world.c11,
        by=SYSTEM,
    )
    assert warnings_of(world.b11) == []


def test_counts_are_not_inflated_by_joins(world) -> None:  # type: ignore[no-untyped-def]
    add_member(add_person("党员甲", world.c11), world.b11)
    org = organizations_with_counts(Organization.objects.filter(pk=world.unit_branch.pk)).get()
    assert (org.member_count, org.full_count, org.unit_count) == (1, 1, 1)


def test_coverage_counts_units_with_and_without_an_organisation(world) -> None:  # type: ignore[no-untyped-def]
    unit_create(
        name="无党组织企业",
        credit_code=new_credit_code(),
        kind="private_enterprise",
        territory=world.c21,
        by=SYSTEM,
    )
    rows = {
        r.territory.name: (r.units, r.covered)
        for r in coverage_by_child(territory=world.district, visible_units=Unit.objects.all())
    }
    assert rows == {"定海路街道": (1, 1), "平凉路街道": (1, 0)}
    total = coverage_total(territory=world.district, visible_units=Unit.objects.all())
    assert (total.units, total.covered, total.rate) == (2, 1, 0.5)


def test_organisation_with_members_cannot_be_deleted(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="还有 1 名党员"):
        organization_delete(organization=world.b11, by=SYSTEM)


def test_organisation_cannot_move_under_itself(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="下级节点"):
        organization_move(organization=world.wc1, new_parent=world.cc11, by=SYSTEM)


def test_an_edit_writes_and_audits_only_what_changed(world) -> None:  # type: ignore[no-untyped-def]
    from tongxin.audit.models import AuditAction, AuditEvent
    from tongxin.orgs.services import organization_edit

    branch = world.b11
    updates = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(branch.pk))
    elected = date(2025, 6, 1)
    organization_edit(organization=branch, name=branch.name, committee_elected_on=elected, by=SYSTEM)
    assert [e.detail["fields"] for e in updates.all()] == [["committee_elected_on"]]

    organization_edit(organization=branch, name="杨树浦第一支部", committee_elected_on=elected, by=SYSTEM)
    branch.refresh_from_db()
    assert (branch.name, branch.committee_elected_on) == ("杨树浦第一支部", elected)
    assert sorted(e.detail["fields"][0] for e in updates.all()) == ["committee_elected_on", "name"]
