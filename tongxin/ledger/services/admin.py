"""Staff writes: tuning a points rule, and a manual adjustment with a reason. Both audited."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record, changed_fields
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.people.models import Person

from ..models import Currency, PointsRule, Posting, PostingKind
from ..policies import may_adjust, may_configure_rule
from .errors import LedgerError
from .postings import ADJUSTMENTS, person_account, posting_create, system_account

RULE_FIELDS = ("points_per_unit", "cap_per_day", "cap_per_month", "cap_per_year", "yearly_budget", "active")
MAX_POINTS_PER_UNIT = 1000
MAX_CAP = 1_000_000
MAX_BUDGET = 10_000_000_000


def _optional_positive(value: int | None, *, field: str, limit: int) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise LedgerError(
            _("上限须为 1 至 %(max)d 之间的整数,留空表示不设上限。") % {"max": limit}, field=field
        )


def points_rule_update(
    *,
    rule: PointsRule,
    points_per_unit: int,
    cap_per_day: int | None,
    cap_per_month: int | None,
    cap_per_year: int | None,
    yearly_budget: int | None,
    active: bool,
    by: Actor,
    now: datetime,
) -> PointsRule:
    """Change a rule's points, caps, budget or state. Bad input changes nothing."""
    if not may_configure_rule(by.user, rule):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    if (
        isinstance(points_per_unit, bool)
        or not isinstance(points_per_unit, int)
        or not 1 <= points_per_unit <= MAX_POINTS_PER_UNIT
    ):
        raise LedgerError(
            _("每单位积分须为 1 至 %(max)d 之间的整数。") % {"max": MAX_POINTS_PER_UNIT},
            field="points_per_unit",
        )
    _optional_positive(cap_per_day, field="cap_per_day", limit=MAX_CAP)
    _optional_positive(cap_per_month, field="cap_per_month", limit=MAX_CAP)
    _optional_positive(cap_per_year, field="cap_per_year", limit=MAX_CAP)
    if yearly_budget is not None and (
        isinstance(yearly_budget, bool)
        or not isinstance(yearly_budget, int)
        or not 1 <= yearly_budget <= MAX_BUDGET
    ):
        raise LedgerError(_("年度预算须为正整数,留空表示不设预算。"), field="yearly_budget")
    if cap_per_day and cap_per_month and cap_per_day > cap_per_month:
        raise LedgerError(_("每日上限不能大于每月上限。"), field="cap_per_day")
    if cap_per_month and cap_per_year and cap_per_month > cap_per_year:
        raise LedgerError(_("每月上限不能大于每年上限。"), field="cap_per_month")
    if cap_per_day and cap_per_year and cap_per_day > cap_per_year:
        raise LedgerError(_("每日上限不能大于每年上限。"), field="cap_per_day")
    if cap_per_year and yearly_budget and cap_per_year > yearly_budget:
        raise LedgerError(_("个人每年上限不能大于年度预算。"), field="cap_per_year")
    new = {
        "points_per_unit": points_per_unit,
        "cap_per_day": cap_per_day,
        "cap_per_month": cap_per_month,
        "cap_per_year": cap_per_year,
        "yearly_budget": yearly_budget,
        "active": bool(active),
    }
    with transaction.atomic():
        locked = PointsRule.objects.select_for_update().get(pk=rule.pk)
        before = {f: getattr(locked, f) for f in RULE_FIELDS}
        changed = changed_fields(before, new)
        if not changed:
            return locked
        for field, value in new.items():
            setattr(locked, field, value)
        locked.updated_at = now
        locked.save(update_fields=[*RULE_FIELDS, "updated_at"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={
                "fields": changed,
                "before": {f: before[f] for f in changed},
                "after": {f: new[f] for f in changed},
            },
            now=now,
        )
    return locked


def ledger_adjust(
    *, person: Person, currency: str, amount: int, reason: str, by: Actor, now: datetime
) -> Posting:
    """A manual correction by staff (positive credits the person, negative debits), against the
    adjustments account, with the reason in the memo and an audit row. Staff adjust points and
    time credits only: service hours are certified by whoever organised the service, so they are
    recorded and corrected through the service records (the system may still post hours)."""
    if not may_adjust(by.user, person):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    if currency not in Currency.values:
        raise LedgerError(_("请选择币种。"), field="currency")
    if currency == Currency.HOURS and by.user is not None:
        raise LedgerError(_("服务时长由组织方在服务记录中登记和更正,不能在这里调整。"), field="currency")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0 or abs(amount) > 1_000_000:
        raise LedgerError(_("调整数额须为非零整数。"), field="amount")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise LedgerError(_("请写明调整原因(至少4个字)。"), field="reason")
    with transaction.atomic():
        adjustments = system_account(code=ADJUSTMENTS, currency=currency, name=_("人工调整"), now=now)
        mine = person_account(person=person, currency=currency, now=now)
        posting = posting_create(
            lines=[(adjustments, -amount), (mine, amount)],
            kind=PostingKind.ADJUSTMENT,
            source=f"adjustment:{person.pk}",
            memo=reason,
            by=by,
            now=now,
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=posting,
            detail={"person": person.pk, "currency": currency, "amount": amount},
            now=now,
        )
    return posting
