"""Demo ledger history.

The small tier's hours, points and credits come from the other apps posting through the
services (records, activities, rewards); `seed_ledger` only adds a few staff adjustments. The
district tier's ~1.7M ledger rows a year come from `seed_ledger_bulk`: one plan of service
events (hours, points under service_hour with its caps, credits for service to the elderly,
the odd reversal) written either through the services or in batches with bulk_create. A test
checks that both paths write the same rows and balances over a small sample."""

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.actor import Actor
from tongxin.people.models import Person

from . import caps
from .models import Account, AccountKind, Currency, Entry, PointsAward, PointsRule, Posting, PostingKind
from .services import (
    CREDITS_ISSUED,
    HOURS_ISSUED,
    credits_earn,
    hours_record,
    ledger_adjust,
    points_award,
    posting_reverse,
    rule_account_code,
    system_account,
)
from .services.points import quantity_of, requested_points

DEMO = Actor.system("demo")
RULE = "service_hour"
BATCH = 5000
REVERSED_SHARE = 0.015  # a correction now and then
ELDERLY_SHARE = 0.15  # service to someone 65+ also earns time credits


@dataclass(frozen=True)
class Event:
    n: int  # the source number: "demo:<n>"
    person: int
    at: datetime
    minutes: int = 0
    credits: bool = False
    reverses: int | None = None  # the n of the service event whose hours this corrects


def ledger_plan(*, persons: Sequence[int], year_start: date | datetime, rows: int, seed: int) -> list[Event]:
    """Service events until about `rows` postings+entries (3 rows a posting of two entries),
    in time order over the year from `year_start`."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    start = year_start if isinstance(year_start, datetime) else datetime.combine(year_start, time())
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    events: list[Event] = []
    budget, n = rows, 0
    while budget > 0 and persons:
        n += 1
        day = rng.randrange(365)
        at = start + timedelta(days=day, hours=rng.randrange(8, 20), minutes=rng.randrange(60))
        minutes = rng.choice((30, 60, 60, 90, 120, 120, 180, 240, 300, 480))
        credits = rng.random() < ELDERLY_SHARE
        events.append(Event(n=n, person=rng.choice(persons), at=at, minutes=minutes, credits=credits))
        budget -= 9 if credits else 6
        if rng.random() < REVERSED_SHARE and day < 360:
            n += 1
            later = at + timedelta(days=rng.randrange(1, 5), minutes=rng.randrange(60))
            events.append(Event(n=n, person=events[-1].person, at=later, reverses=events[-1].n))
            budget -= 3
    events.sort(key=lambda e: (e.at, e.n))
    return events


def _memo(event: Event) -> str:
    return _("志愿服务(历史数据)")


def apply_plan_services(plan: Sequence[Event]) -> dict[str, int]:
    """The plan through the real services: the reference the bulk path must match."""
    persons = Person.objects.in_bulk({e.person for e in plan})
    hours_posting: dict[int, Posting] = {}
    with transaction.atomic():
        for e in plan:
            person = persons[e.person]
            if e.reverses is not None:
                posting_reverse(posting=hours_posting[e.reverses], memo=_("更正时长"), by=DEMO, now=e.at)
                continue
            source = f"demo:{e.n}"
            hours_posting[e.n] = hours_record(
                person=person, minutes=e.minutes, source=source, memo=_memo(e), by=DEMO, now=e.at
            )
            points_award(
                person=person,
                rule_code=RULE,
                quantity=Decimal(e.minutes) / 60,
                source=source,
                memo=_memo(e),
                by=DEMO,
                now=e.at,
            )
            if e.credits:
                credits_earn(
                    person=person, minutes=e.minutes, source=source, memo=_memo(e), by=DEMO, now=e.at
                )
    return {"events": len(plan)}


class _BulkWriter:
    """Postings, entries and awards in memory, flushed in batches; balances kept in a dict and
    written once at the end."""

    def __init__(self, plan: Sequence[Event]) -> None:
        first = plan[0].at if plan else timezone.now()
        self.rule = PointsRule.objects.get(code=RULE)
        self.issued = {
            Currency.HOURS: system_account(
                code=HOURS_ISSUED, currency=Currency.HOURS, name=_("志愿服务时长发放")
            ),
            Currency.CREDITS: system_account(
                code=CREDITS_ISSUED, currency=Currency.CREDITS, name=_("时间币发放")
            ),
            Currency.POINTS: system_account(
                code=rule_account_code(self.rule), currency=Currency.POINTS, name=self.rule.name
            ),
        }
        person_ids = sorted({e.person for e in plan})
        existing = {
            (a.person_id, a.currency): a
            for a in Account.objects.filter(kind=AccountKind.PERSON, person_id__in=person_ids)
        }
        missing = [
            Account(kind=AccountKind.PERSON, person_id=p, currency=c, allow_negative=False, created_at=first)
            for p in person_ids
            for c in Currency.values
            if (p, c) not in existing
        ]
        Account.objects.bulk_create(missing, batch_size=BATCH)
        self.accounts = {
            (a.person_id, a.currency): a
            for a in Account.objects.filter(kind=AccountKind.PERSON, person_id__in=person_ids)
        }
        locked = [a.pk for a in self.accounts.values()] + [a.pk for a in self.issued.values()]
        self.balance = dict(
            Account.objects.select_for_update().filter(pk__in=locked).values_list("pk", "balance")
        )
        self.used: dict[Any, int] = defaultdict(int)
        if plan:
            self._load_used(person_ids, plan[0].at, plan[-1].at)
        self.postings: list[Posting] = []
        self.lines: list[list[tuple[int, int, int]]] = []  # (account pk, amount, balance after)
        self.awards: list[tuple[PointsAward, int | None]] = []  # the award, its posting's index
        self.unflushed: dict[int, int] = {}  # event n → index in self.postings
        self.done: dict[int, tuple[Posting, list[tuple[int, int, int]]]] = {}
        self.counts = {"postings": 0, "entries": 0, "awards": 0}

    def _load_used(self, person_ids: list[int], first: datetime, last: datetime) -> None:
        start = caps.windows_of(first).year[0]
        end = caps.windows_of(last).year[1]
        live = PointsAward.objects.filter(rule=self.rule, created_at__gte=start, created_at__lt=end).filter(
            Q(posting__isnull=True) | Q(posting__reversed_by__isnull=True)
        )
        for person, at, granted in live.values_list("person_id", "created_at", "granted"):
            self._count(person, at, granted, mine=person in set(person_ids))

    def _keys(self, person: int, at: datetime) -> tuple[Any, Any, Any, Any]:
        local = timezone.localtime(at)
        return (person, local.date()), (person, local.year, local.month), (person, local.year), local.year

    def _count(self, person: int, at: datetime, granted: int, *, mine: bool = True) -> None:
        day, month, year, budget = self._keys(person, at)
        if mine:
            self.used[day] += granted
            self.used[month] += granted
            self.used[year] += granted
        self.used[budget] += granted

    def post(
        self,
        *,
        n: int,
        kind: str,
        currency: str,
        lines: list[tuple[int, int]],
        at: datetime,
        memo: str,
        reverses: Posting | None = None,
    ) -> int:
        posting = Posting(
            kind=kind, currency=currency, source=f"demo:{n}", memo=memo, reverses=reverses, created_at=at
        )
        entries = []
        for account, amount in lines:
            self.balance[account] += amount
            entries.append((account, amount, self.balance[account]))
        self.postings.append(posting)
        self.lines.append(entries)
        return len(self.postings) - 1

    def service(self, e: Event) -> None:
        mine = self.accounts[(e.person, Currency.HOURS)].pk
        issued = self.issued[Currency.HOURS].pk
        index = self.post(
            n=e.n,
            kind=PostingKind.HOURS,
            currency=Currency.HOURS,
            lines=[(issued, -e.minutes), (mine, e.minutes)],
            at=e.at,
            memo=_memo(e),
        )
        self.unflushed[e.n] = index
        qty = quantity_of(Decimal(e.minutes) / 60)
        requested = requested_points(self.rule, qty)
        day, month, year, budget = self._keys(e.person, e.at)
        r = self.rule
        granted, reason = caps.grant(
            requested=requested,
            day=(r.cap_per_day, self.used[day]),
            month=(r.cap_per_month, self.used[month]),
            year=(r.cap_per_year, self.used[year]),
            budget=(r.yearly_budget, self.used[budget]),
        )
        if not r.active:
            granted, reason = 0, ("inactive" if requested else "")
        points_index = None
        if granted:
            self._count(e.person, e.at, granted)
            points_index = self.post(
                n=e.n,
                kind=PostingKind.POINTS,
                currency=Currency.POINTS,
                at=e.at,
                memo=_memo(e),
                lines=[
                    (self.issued[Currency.POINTS].pk, -granted),
                    (self.accounts[(e.person, Currency.POINTS)].pk, granted),
                ],
            )
        award = PointsAward(
            person_id=e.person,
            rule=r,
            quantity=qty,
            requested=requested,
            granted=granted,
            capped_reason=reason,
            source=f"demo:{e.n}",
            created_at=e.at,
        )
        self.awards.append((award, points_index))
        if e.credits:
            self.post(
                n=e.n,
                kind=PostingKind.CREDITS,
                currency=Currency.CREDITS,
                at=e.at,
                memo=_memo(e),
                lines=[
                    (self.issued[Currency.CREDITS].pk, -e.minutes),
                    (self.accounts[(e.person, Currency.CREDITS)].pk, e.minutes),
                ],
            )
        if len(self.postings) >= BATCH:
            self.flush()

    def reverse(self, e: Event) -> None:
        assert e.reverses is not None
        if e.reverses in self.unflushed:
            self.flush()
        original, lines = self.done[e.reverses]
        self.post(
            n=e.reverses,
            kind=PostingKind.REVERSAL,
            currency=original.currency,
            at=e.at,
            memo=_("更正时长"),
            reverses=original,
            lines=[(acc, -amount) for acc, amount, _after in lines],
        )

    def flush(self) -> None:
        if not self.postings:
            return
        Posting.objects.bulk_create(self.postings, batch_size=BATCH)
        entries = [
            Entry(
                posting_id=p.pk, account_id=acc, amount=amount, balance_after=after, created_at=p.created_at
            )
            for p, lines in zip(self.postings, self.lines, strict=True)
            for acc, amount, after in lines
        ]
        Entry.objects.bulk_create(entries, batch_size=BATCH)
        awards = []
        for award, index in self.awards:
            if index is not None:
                award.posting_id = self.postings[index].pk
            awards.append(award)
        PointsAward.objects.bulk_create(awards, batch_size=BATCH)
        for n, index in self.unflushed.items():
            self.done[n] = (self.postings[index], self.lines[index])
        self.counts["postings"] += len(self.postings)
        self.counts["entries"] += len(entries)
        self.counts["awards"] += len(awards)
        self.postings, self.lines, self.awards, self.unflushed = [], [], [], {}

    def finish(self) -> dict[str, int]:
        self.flush()
        _write_balances(self.balance)
        return self.counts | {"rows": self.counts["postings"] + self.counts["entries"]}


def _write_balances(balances: dict[int, int]) -> None:
    """One UPDATE … FROM (VALUES …) per batch on PostgreSQL (bulk_update's CASE grows with the
    square of the batch); bulk_update in small batches elsewhere."""
    items = sorted(balances.items())
    if connection.vendor != "postgresql":
        rows = Account.objects.in_bulk([pk for pk, _b in items])
        for pk, balance in items:
            rows[pk].balance = balance
        Account.objects.bulk_update(list(rows.values()), ["balance"], batch_size=500)
        return
    with connection.cursor() as cursor:
        for i in range(0, len(items), BATCH):
            chunk = items[i : i + BATCH]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE ledger_account a SET balance = v.balance FROM (VALUES {values}) AS v(id, balance) "  # noqa: S608 - placeholders only
                "WHERE a.id = v.id",
                [x for pair in chunk for x in pair],
            )


def apply_plan_bulk(plan: Sequence[Event]) -> dict[str, int]:
    """The same plan in batches: one transaction holding the touched accounts' locks, so no
    service posting interleaves with the running balances computed here."""
    with transaction.atomic():
        writer = _BulkWriter(plan)
        for e in plan:
            if e.reverses is None:
                writer.service(e)
            else:
                writer.reverse(e)
        return writer.finish()


def seed_ledger_bulk(
    *, persons: Sequence[int], year_start: date | datetime, rows: int, seed: int
) -> dict[str, int]:
    """About `rows` postings+entries of service history over the year from `year_start`."""
    return apply_plan_bulk(ledger_plan(persons=persons, year_start=year_start, rows=rows, seed=seed))


def seed_ledger(*, now: datetime, seed: int = 0, scale: float = 1.0) -> dict[str, int]:
    """Small tier: the other apps' services post the hours and points; here only a few points
    handed out by hand for service done offline, so that the history shows what an adjustment
    looks like."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    holders = list(
        Account.objects.filter(kind=AccountKind.PERSON, currency=Currency.HOURS, balance__gt=0)
        .order_by("pk")
        .values_list("person_id", flat=True)[:50]
    )
    done = 0
    for person_id in rng.sample(holders, min(len(holders), max(1, int(3 * scale)))):
        ledger_adjust(
            person=Person.objects.get(pk=person_id),
            currency=Currency.POINTS,
            amount=10,
            reason=_("补发线下志愿活动积分"),
            by=DEMO,
            now=now,
        )
        done += 1
    return {"adjustments": done}
