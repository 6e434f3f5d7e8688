"""Points under a rule, within its caps per day, month and year and its yearly budget."""

from datetime import datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tongxin.core.actor import Actor
from tongxin.people.models import Person

from .. import caps
from ..models import CapReason, Currency, PointsAward, PointsRule, PostingKind
from .errors import LedgerError
from .postings import person_account, posting_create, system_account

MAX_QUANTITY = Decimal(10_000)


def rule_account_code(rule: PointsRule) -> str:
    return f"rule:{rule.code}"


def quantity_of(value: Decimal | int) -> Decimal:
    try:
        quantity = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise LedgerError(_("数量必须是正数。"), field="quantity") from exc
    if isinstance(value, bool) or not Decimal(0) < quantity <= MAX_QUANTITY:
        raise LedgerError(_("数量必须是正数。"), field="quantity")
    return quantity


def requested_points(rule: PointsRule, quantity: Decimal) -> int:
    return int((quantity * rule.points_per_unit).to_integral_value(rounding=ROUND_FLOOR))


def _live(qs):  # type: ignore[no-untyped-def]
    """Awards that still count: their posting (if any) has not been reversed."""
    return qs.filter(Q(posting__isnull=True) | Q(posting__reversed_by__isnull=True))


def used_points(*, rule: PointsRule, person: Person, now: datetime) -> dict[str, int]:
    """Points already granted under `rule` in the day, month and year around `now` (the
    person's) and in the year (everyone's, against the budget)."""
    w = caps.windows_of(now)
    mine = _live(
        PointsAward.objects.filter(
            rule=rule, person=person, created_at__gte=w.year[0], created_at__lt=w.year[1]
        )
    )
    sums = mine.aggregate(
        day=Sum("granted", filter=Q(created_at__gte=w.day[0], created_at__lt=w.day[1])),
        month=Sum("granted", filter=Q(created_at__gte=w.month[0], created_at__lt=w.month[1])),
        year=Sum("granted"),
    )
    budget = 0
    if rule.yearly_budget is not None:
        everyone = _live(
            PointsAward.objects.filter(rule=rule, created_at__gte=w.year[0], created_at__lt=w.year[1])
        )
        budget = everyone.aggregate(total=Sum("granted"))["total"] or 0
    return {k: sums[k] or 0 for k in ("day", "month", "year")} | {"budget": budget}


def points_award(
    *,
    person: Person,
    rule_code: str,
    quantity: Decimal | int,
    source: str,
    memo: str,
    by: Actor,
    now: datetime,
) -> PointsAward:
    """Award points for `quantity` of the rule's unit (hours of service, needs, meetings). What
    exceeds a cap is not granted, and the award records which cap stopped it; an award is always
    written, with a posting only when something was granted."""
    qty = quantity_of(quantity)
    if not source or len(source) > 80:
        raise LedgerError(_("请注明记账来源(不超过80个字符)。"))
    with transaction.atomic():
        # The rule row is the lock that keeps the budget and the person's caps exact under
        # concurrent awards.
        rule = PointsRule.objects.select_for_update().filter(code=rule_code).first()
        if rule is None:
            raise LedgerError(_("积分规则“%(code)s”不存在。") % {"code": rule_code})
        requested = requested_points(rule, qty)
        if not rule.active:
            granted, reason = 0, (CapReason.INACTIVE.value if requested else "")
        else:
            used = used_points(rule=rule, person=person, now=now)
            granted, reason = caps.grant(
                requested=requested,
                day=(rule.cap_per_day, used["day"]),
                month=(rule.cap_per_month, used["month"]),
                year=(rule.cap_per_year, used["year"]),
                budget=(rule.yearly_budget, used["budget"]),
            )
        posting = None
        if granted:
            source_account = system_account(
                code=rule_account_code(rule), currency=Currency.POINTS, name=rule.name, now=now
            )
            mine = person_account(person=person, currency=Currency.POINTS, now=now)
            posting = posting_create(
                lines=[(source_account, -granted), (mine, granted)],
                kind=PostingKind.POINTS,
                source=source,
                memo=memo,
                by=by,
                now=now,
            )
        return PointsAward.objects.create(
            person=person,
            rule=rule,
            quantity=qty,
            requested=requested,
            granted=granted,
            capped_reason=reason,
            posting=posting,
            source=source,
            created_at=now,
        )
