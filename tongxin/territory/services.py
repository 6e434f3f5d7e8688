"""Writes to the territory tree. Each write is validated, audited and done in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError
from tongxin.core.tree_services import node_delete_guarded, node_insert, node_move, node_rename
from tongxin.core.validators import clean_text

from .models import ALLOWED_CHILD_LEVELS, CODE_LENGTH, Territory, TerritoryLevel


def validate_territory_placement(*, level: str, code: str, parent: Territory | None) -> None:
    parent_level = parent.level if parent else None
    if level not in ALLOWED_CHILD_LEVELS[parent_level]:
        raise ValidationError(
            {
                "parent": _("“%(level)s”不能直接设在“%(parent)s”之下。")
                % {"level": TerritoryLevel(level).label, "parent": parent or _("顶层")}
            }
        )
    if not code.isdigit() or len(code) != CODE_LENGTH[TerritoryLevel(level)]:
        raise ValidationError(
            {
                "code": _("%(level)s的区划代码应为%(n)s位数字。")
                % {"level": TerritoryLevel(level).label, "n": CODE_LENGTH[TerritoryLevel(level)]}
            }
        )
    if parent is not None and not code.startswith(parent.code):
        raise ValidationError({"code": _("区划代码应以上级代码 %(code)s 开头。") % {"code": parent.code}})
    if Territory.objects.filter(code=code).exists():
        raise ValidationError({"code": _("区划代码 %(code)s 已被使用。") % {"code": code}})


def territory_create(*, name: str, code: str, level: str, parent: Territory | None, by: Actor) -> Territory:
    name, code = clean_text(name), clean_text(code)
    if not name:
        raise ValidationError({"name": _("请填写名称。")})
    validate_territory_placement(level=level, code=code, parent=parent)
    with transaction.atomic():
        node = node_insert(node=Territory(name=name, code=code, level=level), parent=parent)
        audit_record(actor=by, action=AuditAction.CREATE, target=node)
    return node


def territory_rename(*, territory: Territory, name: str, by: Actor) -> Territory:
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("请填写名称。")})
    with transaction.atomic():
        before = node_rename(node=territory, name=name)
        audit_record(
            actor=by, action=AuditAction.UPDATE, target=territory, detail={"fields": ["name"], "from": before}
        )
    return territory


def territory_move(*, territory: Territory, new_parent: Territory, by: Actor) -> Territory:
    def placement_check() -> None:
        if territory.level not in ALLOWED_CHILD_LEVELS[new_parent.level]:
            raise ApplicationError(
                _("“%(level)s”不能直接设在“%(parent)s”之下。")
                % {"level": territory.get_level_display(), "parent": new_parent},
                field="parent",
            )

    with transaction.atomic():
        node_move(node=territory, new_parent=new_parent, placement_check=placement_check)
        audit_record(actor=by, action=AuditAction.MOVE, target=territory, detail={"to": new_parent.pk})
    return territory


def territory_delete(*, territory: Territory, by: Actor) -> None:
    pk, name = territory.pk, territory.name
    with transaction.atomic():
        node_delete_guarded(
            node=territory,
            blockers=[
                (lambda: territory.residents.count(), _("“%(name)s”还登记有 %(count)s 名居民,不能删除。")),
                (lambda: territory.units.count(), _("“%(name)s”还有 %(count)s 个驻区单位,不能删除。")),
                (
                    lambda: territory.organizations.count(),
                    _("“%(name)s”还有 %(count)s 个党组织,不能删除。"),
                ),
            ],
        )
        audit_record(
            actor=by,
            action=AuditAction.DELETE,
            object_type="territory.territory",
            object_id=str(pk),
            object_repr=name,
        )
