"""The ledger's invariants checked over the whole database, each as one set-based query that
stops at the first offending row (in id order), so the check stays fast on millions of rows."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import PointsAward


@dataclass(frozen=True)
class Violation:
    check: str
    message: str


def _first(sql: str) -> tuple | None:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def _posting_sums() -> str | None:
    row = _first(
        "SELECT posting_id, SUM(amount) FROM ledger_entry GROUP BY posting_id "
        "HAVING SUM(amount) <> 0 ORDER BY posting_id LIMIT 1"
    )
    if not row:
        return None
    return _("记账 #%(id)d 的分录合计为 %(sum)d,不为 0。") % {"id": row[0], "sum": row[1]}


def _posting_sizes() -> str | None:
    row = _first(
        "SELECT p.id, COUNT(e.id) FROM ledger_posting p LEFT JOIN ledger_entry e ON e.posting_id = p.id "
        "GROUP BY p.id HAVING COUNT(e.id) < 2 ORDER BY p.id LIMIT 1"
    )
    if not row:
        return None
    return _("记账 #%(id)d 只有 %(n)d 条分录(至少应有两条)。") % {"id": row[0], "n": row[1]}


def _currencies() -> str | None:
    row = _first(
        "SELECT e.id, e.posting_id FROM ledger_entry e JOIN ledger_posting p ON p.id = e.posting_id "
        "JOIN ledger_account a ON a.id = e.account_id WHERE a.currency <> p.currency ORDER BY e.id LIMIT 1"
    )
    if not row:
        return None
    return _("分录 #%(id)d 的账户币种与记账 #%(posting)d 不一致。") % {
        "id": row[0],
        "posting": row[1],
    }


def _balances() -> str | None:
    row = _first(
        "SELECT a.id, a.balance, COALESCE(s.total, 0) FROM ledger_account a LEFT JOIN "
        "(SELECT account_id, SUM(amount) AS total FROM ledger_entry GROUP BY account_id) s "
        "ON s.account_id = a.id WHERE a.balance <> COALESCE(s.total, 0) ORDER BY a.id LIMIT 1"
    )
    if not row:
        return None
    return _("账户 #%(id)d 的余额为 %(balance)d,但分录合计为 %(sum)d。") % {
        "id": row[0],
        "balance": row[1],
        "sum": row[2],
    }


def _running() -> str | None:
    row = _first(
        "SELECT id, account_id, balance_after, running FROM (SELECT id, account_id, balance_after, "
        "SUM(amount) OVER (PARTITION BY account_id ORDER BY id ROWS UNBOUNDED PRECEDING) AS running "
        "FROM ledger_entry) t WHERE balance_after <> running ORDER BY id LIMIT 1"
    )
    if not row:
        return None
    return _("分录 #%(id)d(账户 #%(account)d)记账后余额为 %(after)d,按顺序累计应为 %(running)d。") % {
        "id": row[0],
        "account": row[1],
        "after": row[2],
        "running": row[3],
    }


def _negatives() -> str | None:
    row = _first(
        "SELECT id, balance FROM ledger_account WHERE NOT allow_negative AND balance < 0 ORDER BY id LIMIT 1"
    )
    if row:
        return _("账户 #%(id)d 不允许负余额,但余额为 %(balance)d。") % {"id": row[0], "balance": row[1]}
    row = _first(
        "SELECT e.id, e.account_id, e.balance_after FROM ledger_entry e JOIN ledger_account a "
        "ON a.id = e.account_id WHERE e.balance_after < 0 AND NOT a.allow_negative ORDER BY e.id LIMIT 1"
    )
    if not row:
        return None
    return _("分录 #%(id)d 使账户 #%(account)d 的余额变为 %(after)d(不允许为负)。") % {
        "id": row[0],
        "account": row[1],
        "after": row[2],
    }


def _reversals() -> str | None:
    row = _first(
        "SELECT r.id FROM ledger_posting r JOIN ledger_posting o ON o.id = r.reverses_id "
        "WHERE o.reverses_id IS NOT NULL OR o.currency <> r.currency ORDER BY r.id LIMIT 1"
    )
    if row:
        return _("冲正记账 #%(id)d 冲正的不是一笔普通记账。") % {"id": row[0]}
    row = _first(
        "SELECT rid, account_id, SUM(amount) FROM ("
        " SELECT r.id AS rid, e.account_id, e.amount FROM ledger_posting r"
        " JOIN ledger_entry e ON e.posting_id = r.id WHERE r.reverses_id IS NOT NULL"
        " UNION ALL"
        " SELECT r.id AS rid, e.account_id, e.amount FROM ledger_posting r"
        " JOIN ledger_entry e ON e.posting_id = r.reverses_id WHERE r.reverses_id IS NOT NULL"
        ") pair GROUP BY rid, account_id HAVING SUM(amount) <> 0 ORDER BY rid, account_id LIMIT 1"
    )
    if not row:
        return None
    return _("冲正记账 #%(id)d 在账户 #%(account)d 上与原记账相差 %(diff)d。") % {
        "id": row[0],
        "account": row[1],
        "diff": row[2],
    }


def _award_postings() -> str | None:
    row = _first(
        "SELECT w.id FROM ledger_pointsaward w JOIN ledger_entry e ON e.posting_id = w.posting_id "
        "JOIN ledger_account a ON a.id = e.account_id "
        "WHERE a.kind = 'person' AND (a.person_id <> w.person_id OR e.amount <> w.granted "
        "OR a.currency <> 'points') ORDER BY w.id LIMIT 1"
    )
    if not row:
        return None
    return _("积分奖励 #%(id)d 与其记账的人员或积分不一致。") % {"id": row[0]}


CAP_LABELS = {"day": gettext_lazy("每日"), "month": gettext_lazy("每月"), "year": gettext_lazy("每年")}


def _caps() -> str | None:
    """Live awards since the rule's current settings, per person and local day/month/year, and
    per rule and year against the budget."""
    live = PointsAward.objects.filter(created_at__gte=F("rule__updated_at")).filter(
        Q(posting__isnull=True) | Q(posting__reversed_by__isnull=True)
    )
    for period, trunc in (("day", TruncDate), ("month", TruncMonth), ("year", TruncYear)):
        cap = f"rule__cap_per_{period}"
        over = (
            live.filter(**{f"{cap}__isnull": False})
            .annotate(period=trunc("created_at"))
            .values("rule_id", "rule__code", "person_id", "period", cap)
            .annotate(total=Sum("granted"))
            .filter(total__gt=F(cap))
            .order_by("rule_id", "person_id", "period")
            .first()
        )
        if over:
            return _(
                "积分规则“%(rule)s”:人员 #%(person)d 在 %(period)s 获得 %(total)d 分,"
                "超过%(label)s上限 %(cap)d。"
            ) % {
                "rule": over["rule__code"],
                "person": over["person_id"],
                "period": over["period"],
                "total": over["total"],
                "label": str(CAP_LABELS[period]),
                "cap": over[cap],
            }
    over = (
        live.filter(rule__yearly_budget__isnull=False)
        .annotate(period=TruncYear("created_at"))
        .values("rule_id", "rule__code", "period", "rule__yearly_budget")
        .annotate(total=Sum("granted"))
        .filter(total__gt=F("rule__yearly_budget"))
        .order_by("rule_id", "period")
        .first()
    )
    if not over:
        return None
    return _("积分规则“%(rule)s”在 %(period)s 年度共发放 %(total)d 分,超过年度预算 %(cap)d。") % {
        "rule": over["rule__code"],
        "period": over["period"],
        "total": over["total"],
        "cap": over["rule__yearly_budget"],
    }


CHECKS: list[tuple[str, Callable[[], str | None]]] = [
    ("posting_sum", _posting_sums),
    ("posting_size", _posting_sizes),
    ("currency", _currencies),
    ("balance", _balances),
    ("running_balance", _running),
    ("negative", _negatives),
    ("reversal", _reversals),
    ("award_posting", _award_postings),
    ("caps", _caps),
]


def violations() -> Iterator[Violation]:
    """Each check's first violation, in the order of CHECKS."""
    for name, check in CHECKS:
        message = check()
        if message:
            yield Violation(name, message)


def first_violation() -> Violation | None:
    return next(violations(), None)
