"""Writes to the party organisation tree."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError
from tongxin.core.tree_services import node_delete_guarded, node_insert, node_move, node_rename
from tongxin.core.validators import clean_text
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .models import ALLOWED_CHILD_KINDS, Organization, OrgKind


def _check_placement(*, kind: str, parent: Organization | None) -> None:
    parent_kind = parent.kind if parent else None
    if kind not in ALLOWED_CHILD_KINDS[parent_kind]:
        raise ValidationError(
            {
                "parent": _("“%(kind)s”不能设在“%(parent)s”之下。")
                % {"kind": OrgKind(kind).label, "parent": parent or _("顶层")}
            }
        )


def organization_create(
    *,
    name: str,
    code: str,
    kind: str,
    parent: Organization | None,
    territory: Territory | None,
    is_external: bool = False,
    units: Iterable[Unit] = (),
    committee_elected_on: date | None = None,
    by: Actor,
) -> Organization:
    name, code = clean_text(name), clean_text(code)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("请填写党组织名称。")
    if not code:
        errors["code"] = _("请填写组织编码。")
    elif Organization.objects.filter(code=code).exists():
        errors["code"] = _("组织编码 %(code)s 已被使用。") % {"code": code}
    if kind not in OrgKind.values:
        errors["kind"] = _("请选择党组织类别。")
    if not is_external and territory is None:
        errors["territory"] = _("区内党组织须选择所在属地。")
    if errors:
        raise ValidationError(errors)
    _check_placement(kind=kind, parent=parent)
    units = list(units)
    with transaction.atomic():
        org = Organization(
            name=name,
            code=code,
            kind=kind,
            is_external=is_external,
            territory=territory,
            committee_elected_on=committee_elected_on,
        )
        org = node_insert(node=org, parent=parent)
        if units:
            org.units.set(units)
        audit_record(actor=by, action=AuditAction.CREATE, target=org, detail={"units": [u.pk for u in units]})
    return org


def organization_rename(*, organization: Organization, name: str, by: Actor) -> Organization:
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("请填写党组织名称。")})
    if len(name) > 100:
        raise ValidationError({"name": _("名称不能超过100个字。")})
    with transaction.atomic():
        before = node_rename(node=organization, name=name)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=organization,
            detail={"fields": ["name"], "from": before},
        )
    return organization


def organization_record_committee(*, organization: Organization, elected_on: date | None, by: Actor) -> None:
    with transaction.atomic():
        organization.committee_elected_on = elected_on
        organization.save(update_fields=["committee_elected_on", "updated_at"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=organization,
            detail={"fields": ["committee_elected_on"]},
        )


def organization_edit(
    *, organization: Organization, name: str, committee_elected_on: date | None, by: Actor
) -> Organization:
    """The edit page's one save: each field that changed is written and audited, all or none."""
    with transaction.atomic():
        if name != organization.name:
            organization_rename(organization=organization, name=name, by=by)
        if committee_elected_on != organization.committee_elected_on:
            organization_record_committee(organization=organization, elected_on=committee_elected_on, by=by)
    return organization


def organization_move(*, organization: Organization, new_parent: Organization, by: Actor) -> Organization:
    def placement_check() -> None:
        if organization.kind not in ALLOWED_CHILD_KINDS[new_parent.kind]:
            raise ApplicationError(
                _("“%(kind)s”不能设在“%(parent)s”之下。")
                % {"kind": organization.get_kind_display(), "parent": new_parent},
                field="parent",
            )

    with transaction.atomic():
        node_move(node=organization, new_parent=new_parent, placement_check=placement_check)
        audit_record(actor=by, action=AuditAction.MOVE, target=organization, detail={"to": new_parent.pk})
    return organization


def organization_delete(*, organization: Organization, by: Actor) -> None:
    pk, name = organization.pk, organization.name
    with transaction.atomic():
        node_delete_guarded(
            node=organization,
            blockers=[
                (
                    lambda: organization.memberships.count(),
                    _("“%(name)s”还有 %(count)s 名党员,请先办理组织关系转接。"),
                ),
            ],
        )
        audit_record(
            actor=by,
            action=AuditAction.DELETE,
            object_type="orgs.organization",
            object_id=str(pk),
            object_repr=name,
        )
