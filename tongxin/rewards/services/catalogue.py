"""What a unit or a community offers for points: added and edited by its own staff."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.validators import clean_text
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .. import policies
from ..models import CatalogueItem
from .errors import CatalogueError

NAME_MAX, DESCRIPTION_MAX = 60, 1000
PRICE_MAX = 100_000
STOCK_MAX = 100_000
PER_PERSON_MAX = 1_000


@dataclass
class ItemData:
    name: str
    price: int
    description: str = ""
    stock: int | None = None
    per_person_limit: int | None = None
    active: bool = True
    valid_until: date | None = None


def _check(data: ItemData, *, today: date) -> ItemData:
    name = clean_text(data.name)
    if not name:
        raise CatalogueError(_("请填写名称。"), field="name")
    if len(name) > NAME_MAX:
        raise CatalogueError(_("名称不能超过%(n)d个字。") % {"n": NAME_MAX}, field="name")
    description = clean_text(data.description)
    if len(description) > DESCRIPTION_MAX:
        raise CatalogueError(_("说明不能超过%(n)d个字。") % {"n": DESCRIPTION_MAX}, field="description")
    if not isinstance(data.price, int) or data.price <= 0:
        raise CatalogueError(_("所需积分须为正整数。"), field="price")
    if data.price > PRICE_MAX:
        raise CatalogueError(_("所需积分不能超过%(n)d分。") % {"n": PRICE_MAX}, field="price")
    if data.stock is not None and not 0 <= data.stock <= STOCK_MAX:
        raise CatalogueError(
            _("库存须为0到%(n)d之间的整数;服务类不限量请留空。") % {"n": STOCK_MAX}, field="stock"
        )
    if data.per_person_limit is not None and data.per_person_limit <= 0:
        raise CatalogueError(_("每人限兑须为正整数;不限请留空。"), field="per_person_limit")
    if data.per_person_limit is not None and data.per_person_limit > PER_PERSON_MAX:
        raise CatalogueError(
            _("每人限兑不能超过%(n)d件;不限请留空。") % {"n": PER_PERSON_MAX}, field="per_person_limit"
        )
    if data.valid_until is not None and data.valid_until < today:
        raise CatalogueError(_("有效期不能早于今天。"), field="valid_until")
    return ItemData(
        name=name,
        price=data.price,
        description=description,
        stock=data.stock,
        per_person_limit=data.per_person_limit,
        active=data.active,
        valid_until=data.valid_until,
    )


def item_save(
    *,
    data: ItemData,
    by: Actor,
    now: datetime,
    item: CatalogueItem | None = None,
    offerer: Unit | Territory | None = None,
) -> CatalogueItem:
    """Add an item (give `offerer`: a unit or a community) or change one (give `item`). Only the
    offering unit's contacts and the community's staff may; bad input changes nothing."""
    if (item is None) == (offerer is None):
        raise ValueError("give either item or offerer")
    if offerer is not None:
        if isinstance(offerer, Territory) and offerer.level not in COMMUNITY_LEVELS:
            raise CatalogueError(_("只有社区、村或驻区单位可以提供兑换物品。"), field="offerer")
        if not policies.may_manage_offerer(by.user, offerer):
            raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    clean = _check(data, today=timezone.localdate(now))
    with transaction.atomic():
        if item is None:
            item = CatalogueItem(
                unit=offerer if isinstance(offerer, Unit) else None,
                community=offerer if isinstance(offerer, Territory) else None,
                created_by=by.user,
                created_at=now,
            )
            action = AuditAction.CREATE
        else:
            locked = CatalogueItem.objects.select_for_update().filter(pk=item.pk).first()
            if locked is None or not policies.may_manage_item(by.user, locked):
                raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
            item = locked
            action = AuditAction.UPDATE
        item.name, item.description, item.price = clean.name, clean.description, clean.price
        item.stock, item.per_person_limit = clean.stock, clean.per_person_limit
        item.active, item.valid_until = clean.active, clean.valid_until
        item.updated_at = now
        item.save()
        audit_record(
            actor=by,
            action=action,
            target=item,
            detail={
                "name": item.name,
                "price": item.price,
                "stock": item.stock,
                "limit": item.per_person_limit,
                "active": item.active,
                "valid_until": item.valid_until.isoformat() if item.valid_until else None,
            },
            now=now,
        )
    return item
