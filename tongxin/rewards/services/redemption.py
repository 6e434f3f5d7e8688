"""积分兑换: a person redeems an item on her phone, shows the code at the counter, and the
offering unit's or community's staff hand it over.

One transaction per redemption: the item row is locked first, so two people after the last item
queue on it and the second one reads a stock of 0; the per-person limit is counted under the same
lock. The points move through the ledger (person → the offerer's redemption account), whose own
check refuses a balance below zero."""

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of
from tongxin.ledger.services import (
    InsufficientBalance,
    person_account,
    posting_create,
    source_reverse,
    system_account,
)
from tongxin.people.models import Person

from .. import policies
from ..models import CatalogueItem, Redemption, RedemptionEvent, RedemptionEventKind, RedemptionStatus
from .errors import RedemptionError

# No 0/O, 1/I/L: the code is read aloud and typed at the counter.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Redemption.objects.filter(code=code).exists():
            return code


def normalize_code(raw: object) -> str:
    return "".join(ch for ch in str(raw or "").upper() if ch.isalnum())[:20]


def _event(redemption: Redemption, kind: str, before: str, *, by: Actor, now: datetime) -> None:
    RedemptionEvent.objects.create(
        redemption=redemption,
        kind=kind,
        from_status=before,
        to_status=redemption.status,
        at=now,
        actor=by.user,
        actor_label=by.label,
    )


def _short_of_points(person: Person, need: int) -> RedemptionError:
    have = balance_of(person=person, currency=Currency.POINTS)
    return RedemptionError(
        _("积分不足:现有 %(have)d 分,需要 %(need)d 分。") % {"have": have, "need": need}, field="points"
    )


def redemption_create(*, item: CatalogueItem, person: Person, by: Actor, now: datetime) -> Redemption:
    """Redeem one of `item` for `person` (herself, on her phone). Refusals: off the shelf or
    expired, sold out, the per-person limit reached, too few points — each with nothing changed."""
    if by.user is not None and getattr(by.user, "person_id", None) != person.pk:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    with transaction.atomic():
        locked = CatalogueItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None or not locked.active:
            raise RedemptionError(_("该物品已下架。"))
        if locked.valid_until is not None and locked.valid_until < timezone.localdate(now):
            raise RedemptionError(_("该物品已过兑换有效期。"))
        if locked.stock is not None and locked.stock < 1:
            raise RedemptionError(_("来晚了一步,“%(name)s”已兑完。") % {"name": locked.name})
        if locked.per_person_limit is not None:
            taken = (
                Redemption.objects.filter(item=locked, person=person)
                .exclude(status=RedemptionStatus.CANCELLED)
                .count()
            )
            if taken >= locked.per_person_limit:
                raise RedemptionError(
                    _("“%(name)s”每人限兑 %(n)d 次,您已兑过 %(taken)d 次。")
                    % {"name": locked.name, "n": locked.per_person_limit, "taken": taken}
                )
        if balance_of(person=person, currency=Currency.POINTS) < locked.price:
            raise _short_of_points(person, locked.price)
        redemption = Redemption.objects.create(
            item=locked, person=person, points=locked.price, code=new_code(), created_at=now
        )
        offerer = locked.offerer
        try:
            posting_create(
                lines=[
                    (person_account(person=person, currency=Currency.POINTS), -locked.price),
                    (
                        system_account(
                            code=locked.sink_code,
                            currency=Currency.POINTS,
                            name=_("积分兑换:%(who)s") % {"who": offerer},
                        ),
                        locked.price,
                    ),
                ],
                kind="redemption",
                source=redemption.ledger_source,
                memo=locked.name,
                by=by,
                now=now,
            )
        except InsufficientBalance:
            # Spent elsewhere between the check and the posting: the whole redemption goes.
            raise _short_of_points(person, locked.price) from None
        if locked.stock is not None:
            locked.stock -= 1
            locked.updated_at = now
            locked.save(update_fields=["stock", "updated_at"])
        _event(redemption, RedemptionEventKind.REDEEM, "", by=by, now=now)
    return redemption


def _lock(redemption_id: int) -> Redemption:
    locked = (
        Redemption.objects.select_for_update(of=("self",))
        .select_related("item")
        .filter(pk=redemption_id)
        .first()
    )
    if locked is None:
        raise NotFoundOrForbidden(_("未找到该兑换码,或不是本单位(社区)的兑换。"))
    return locked


def redemption_hand_over(*, code: str, by: Actor, now: datetime) -> Redemption:
    """The counter: the offerer's staff scan or type the code and hand the item over, once."""
    code = normalize_code(code)
    if not code:
        raise RedemptionError(_("请输入兑换码。"), field="code")
    found = Redemption.objects.filter(code=code).select_related("item").first()
    if found is None or not policies.may_manage_item(by.user, found.item):
        raise NotFoundOrForbidden(_("未找到该兑换码,或不是本单位(社区)的兑换。"))
    with transaction.atomic():
        locked = _lock(found.pk)
        if locked.status == RedemptionStatus.HANDED_OVER:
            when = timezone.localtime(locked.handed_over_at).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
            raise RedemptionError(_("该兑换码已于 %(when)s 领取过,不能重复领取。") % {"when": when})
        if locked.status == RedemptionStatus.CANCELLED:
            raise RedemptionError(_("该兑换已取消,积分已退回,不能领取。"))
        before = locked.status
        locked.status = RedemptionStatus.HANDED_OVER
        locked.handed_over_at, locked.handed_over_by = now, by.user
        locked.save(update_fields=["status", "handed_over_at", "handed_over_by"])
        _event(locked, RedemptionEventKind.HAND_OVER, before, by=by, now=now)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={"step": "hand_over", "item": locked.item_id, "person": locked.person_id},
            now=now,
        )
    return locked


def redemption_cancel(*, redemption: Redemption, by: Actor, now: datetime) -> Redemption:
    """Before hand-over, the person herself or the offerer's staff cancel: the points come back
    through a reversing posting and the stock is restored."""
    with transaction.atomic():
        locked = _lock(redemption.pk)
        own = by.user is not None and getattr(by.user, "person_id", None) == locked.person_id
        staff = not own and policies.may_manage_item(by.user, locked.item)
        if not (own or staff):
            raise NotFoundOrForbidden(_("未找到该兑换码,或不是本单位(社区)的兑换。"))
        if locked.status == RedemptionStatus.HANDED_OVER:
            raise RedemptionError(_("已领取的兑换不能取消。"))
        if locked.status == RedemptionStatus.CANCELLED:
            raise RedemptionError(_("该兑换已经取消过了。"))
        item = CatalogueItem.objects.select_for_update().get(pk=locked.item_id)
        source_reverse(source=locked.ledger_source, memo=_("取消兑换,退回积分"), by=by, now=now)
        if item.stock is not None:
            item.stock += 1
            item.updated_at = now
            item.save(update_fields=["stock", "updated_at"])
        before = locked.status
        locked.status, locked.cancelled_at = RedemptionStatus.CANCELLED, now
        locked.save(update_fields=["status", "cancelled_at"])
        _event(locked, RedemptionEventKind.CANCEL, before, by=by, now=now)
        if staff:
            audit_record(
                actor=by,
                action=AuditAction.UPDATE,
                target=locked,
                detail={"step": "cancel", "item": locked.item_id, "person": locked.person_id},
                now=now,
            )
    return locked
