"""Accounts and balanced postings: the one place that writes entries and moves balances."""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.actor import Actor
from tongxin.people.models import Person

from ..models import Account, AccountKind, Currency, Entry, Posting, PostingKind
from .errors import AlreadyReversed, InsufficientBalance, LedgerError, UnbalancedPosting

HOURS_ISSUED = "hours:issued"
CREDITS_ISSUED = "credits:issued"
ADJUSTMENTS = "adjustment"
MAX_LINES = 100


def person_account(*, person: Person, currency: str, now: datetime | None = None) -> Account:
    """The person's account in `currency`, opened on first use; never negative."""
    account, _created = Account.objects.get_or_create(
        kind=AccountKind.PERSON,
        person=person,
        currency=currency,
        defaults={"allow_negative": False, "created_at": now or timezone.now()},
    )
    return account


def system_account(*, code: str, currency: str, name: str = "", now: datetime | None = None) -> Account:
    """A source or sink account (hours issued, a rule's points, a redemption counter) by code;
    it may go negative: its balance is minus what it has issued."""
    if not code:
        raise LedgerError(_("系统账户必须有代码。"))
    account, _created = Account.objects.get_or_create(
        kind=AccountKind.SYSTEM,
        code=code,
        currency=currency,
        defaults={"name": name[:100], "allow_negative": True, "created_at": now or timezone.now()},
    )
    return account


def _check_lines(lines: Sequence[tuple[Account, int]]) -> str:
    if len(lines) < 2:
        raise LedgerError(_("一笔记账至少需要两条分录。"))
    if len(lines) > MAX_LINES:
        raise LedgerError(_("一笔记账的分录过多。"))
    currencies = set()
    for account, amount in lines:
        if account.pk is None:
            raise LedgerError(_("账户不存在。"))
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise LedgerError(_("金额必须是整数。"))
        if amount == 0:
            raise LedgerError(_("分录金额不能为 0。"))
        currencies.add(account.currency)
    if len(currencies) != 1:
        raise LedgerError(_("一笔记账只能使用一种币种。"))
    total = sum(amount for _account, amount in lines)
    if total != 0:
        raise UnbalancedPosting(total=total)
    return currencies.pop()


def posting_create(
    *,
    lines: Sequence[tuple[Account, int]],
    kind: str,
    source: str,
    memo: str,
    by: Actor,
    now: datetime,
    reverses: Posting | None = None,
) -> Posting:
    """Write one balanced posting: entries summing to zero in one currency. The accounts are
    locked in primary-key order (so two postings never deadlock), each entry carries the
    account's balance after it, and a person's account never goes below zero."""
    lines = list(lines)
    currency = _check_lines(lines)
    if not kind:
        raise LedgerError(_("请注明记账类型。"))
    if not source or len(source) > 80:
        raise LedgerError(_("请注明记账来源(不超过80个字符)。"))
    with transaction.atomic():
        ids = sorted({account.pk for account, _amount in lines})
        locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        if len(locked) != len(ids):
            raise LedgerError(_("账户不存在。"))
        if reverses is not None and Posting.objects.filter(reverses=reverses).exists():
            raise AlreadyReversed
        running = {pk: account.balance for pk, account in locked.items()}
        after = []
        for account, amount in lines:
            running[account.pk] += amount
            after.append(running[account.pk])
        for pk, balance in running.items():
            account = locked[pk]
            if balance < 0 and not account.allow_negative:
                needed = -sum(a for acc, a in lines if acc.pk == pk and a < 0)
                raise InsufficientBalance(currency=currency, balance=account.balance, needed=needed)
        user = by.user if getattr(by.user, "pk", None) else None
        try:
            with transaction.atomic():
                posting = Posting.objects.create(
                    kind=kind,
                    currency=currency,
                    source=source,
                    memo=memo[:200],
                    reverses=reverses,
                    created_by=user,
                    created_at=now,
                )
        except IntegrityError as exc:
            if reverses is not None:
                raise AlreadyReversed from exc
            raise
        Entry.objects.bulk_create(
            [
                Entry(
                    posting=posting,
                    account_id=account.pk,
                    amount=amount,
                    balance_after=balance,
                    created_at=now,
                )
                for (account, amount), balance in zip(lines, after, strict=True)
            ]
        )
        for pk, balance in running.items():
            Account.objects.filter(pk=pk).update(balance=balance)
    for account, _amount in lines:
        account.balance = running[account.pk]
    return posting


def posting_reverse(*, posting: Posting, memo: str, by: Actor, now: datetime) -> Posting:
    """Undo a posting with a new one that negates each of its entries; once per posting."""
    if posting.reverses_id is not None:
        raise LedgerError(_("冲正记录不能再冲正。"))
    lines = [
        (entry.account, -entry.amount) for entry in posting.entries.select_related("account").order_by("pk")
    ]
    return posting_create(
        lines=lines,
        kind=PostingKind.REVERSAL,
        source=posting.source,
        memo=memo or _("冲正 #%(id)d") % {"id": posting.pk},
        by=by,
        now=now,
        reverses=posting,
    )


def source_reverse(*, source: str, memo: str, by: Actor, now: datetime) -> list[Posting]:
    """Reverse every posting of `source` not yet reversed (a corrected service record's hours,
    points and credits), in one transaction: all or nothing."""
    with transaction.atomic():
        postings = Posting.objects.filter(
            source=source, reverses__isnull=True, reversed_by__isnull=True
        ).order_by("pk")
        return [posting_reverse(posting=p, memo=memo, by=by, now=now) for p in postings]


def _positive_minutes(minutes: int) -> None:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= 100_000:
        raise LedgerError(_("时长必须是正整数分钟。"), field="minutes")


def hours_record(
    *, person: Person, minutes: int, source: str, memo: str, by: Actor, now: datetime
) -> Posting:
    """Credit a person's service hours (in minutes) from the hours-issued account."""
    _positive_minutes(minutes)
    with transaction.atomic():
        issued = system_account(
            code=HOURS_ISSUED, currency=Currency.HOURS, name=_("志愿服务时长发放"), now=now
        )
        mine = person_account(person=person, currency=Currency.HOURS, now=now)
        return posting_create(
            lines=[(issued, -minutes), (mine, minutes)],
            kind=PostingKind.HOURS,
            source=source,
            memo=memo,
            by=by,
            now=now,
        )


def credits_earn(
    *, person: Person, minutes: int, source: str, memo: str, by: Actor, now: datetime
) -> Posting:
    """Credit time-bank credits (1 hour of service to someone 65+ = 60 = 1 时间币)."""
    _positive_minutes(minutes)
    with transaction.atomic():
        issued = system_account(code=CREDITS_ISSUED, currency=Currency.CREDITS, name=_("时间币发放"), now=now)
        mine = person_account(person=person, currency=Currency.CREDITS, now=now)
        return posting_create(
            lines=[(issued, -minutes), (mine, minutes)],
            kind=PostingKind.CREDITS,
            source=source,
            memo=memo,
            by=by,
            now=now,
        )
