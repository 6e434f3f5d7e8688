from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record, changed_fields
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError
from tongxin.core.validators import clean_text, normalize_credit_code
from tongxin.territory.models import Territory

from .models import Unit, UnitKind

# The unit's name is left out: the existing unit may lie outside the caller's scope.
DUPLICATE_CODE_MESSAGE = gettext_lazy("统一社会信用代码 %(code)s 已登记,请勿重复录入。")


def unit_clean(
    *,
    name: str,
    credit_code: str,
    kind: str,
    territory: Territory | None,
    address: str,
    existing: Unit | None,
) -> dict[str, object]:
    errors: dict[str, str] = {}
    values: dict[str, object] = {"name": clean_text(name), "address": clean_text(address), "kind": kind}
    if not values["name"]:
        errors["name"] = _("请填写单位名称。")
    try:
        values["credit_code"] = normalize_credit_code(credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages[0]
    else:
        clash = Unit.objects.filter(credit_code=values["credit_code"])
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            errors["credit_code"] = str(DUPLICATE_CODE_MESSAGE) % {"code": values["credit_code"]}
    if kind not in UnitKind.values:
        errors["kind"] = _("请选择单位类型。")
    if territory is None:
        errors["territory"] = _("请选择单位所在的社区或街道。")
    values["territory"] = territory
    if errors:
        raise ValidationError(errors)
    return values


def unit_create(
    *, name: str, credit_code: str, kind: str, territory: Territory | None, address: str = "", by: Actor
) -> Unit:
    values = unit_clean(
        name=name, credit_code=credit_code, kind=kind, territory=territory, address=address, existing=None
    )
    try:
        with transaction.atomic():
            unit = Unit.objects.create(**values)
            audit_record(actor=by, action=AuditAction.CREATE, target=unit)
    except IntegrityError:
        # Registered by someone else a moment ago: the unique index chose one.
        raise ValidationError(
            {"credit_code": str(DUPLICATE_CODE_MESSAGE) % {"code": values["credit_code"]}}
        ) from None
    return unit


def unit_update(
    *,
    unit: Unit,
    name: str,
    credit_code: str,
    kind: str,
    territory: Territory | None,
    address: str = "",
    by: Actor,
) -> Unit:
    values = unit_clean(
        name=name, credit_code=credit_code, kind=kind, territory=territory, address=address, existing=unit
    )
    before = {k: getattr(unit, k) for k in values}
    with transaction.atomic():
        for key, value in values.items():
            setattr(unit, key, value)
        unit.save()
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=unit,
            detail={"fields": changed_fields(before, values)},
        )
    return unit


def unit_delete(*, unit: Unit, by: Actor) -> None:
    if unit.organizations.exists():
        raise ApplicationError(_("“%(name)s”仍有关联的党组织,不能删除。") % {"name": unit})
    if unit.employed_members.exists():
        raise ApplicationError(_("“%(name)s”仍是在职党员的工作单位,不能删除。") % {"name": unit})
    pk, name = unit.pk, unit.name
    with transaction.atomic():
        unit.delete()
        audit_record(
            actor=by, action=AuditAction.DELETE, object_type="units.unit", object_id=str(pk), object_repr=name
        )
