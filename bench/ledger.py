"""The ledger at the district tier (tongxin.ledger), on PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/ledger.py [--rows 1700000] [--volunteers 60000]
        [--year 2026] [--seed 1] [--repeat 9] [--postings 150] [--only p1 t1 ...]

1. When the database holds fewer ledger rows (postings + entries) than --rows, writes a year of
   service history with the bulk path (tongxin.ledger.demo.seed_ledger_bulk) for --volunteers
   persons sampled from the residents of the seeded district world, and times it.
2. Reads, each through the project's selector and through hand-written SQL over the same rows,
   median of --repeat after 3 warm-up runs, checking both return the same rows:
   p1 a person's balances and first history page (+ count), the busiest person;
   p2 the phone page 我的时长与积分 rendered through the test client, against the same raw SQL;
   t1 a team's monthly hours (30 volunteers);
   d1 the district's monthly totals per street (hours and points, one grouped query).
3. verify_ledger over the whole database.
4. Posting throughput with 1, 4 and 8 writer threads: hours_record (every posting also moves the
   one "hours issued" account, so writers queue on its row lock) and transfers between distinct
   persons (no shared row); postings/s and the ratio to one writer.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from tongxin.core.actor import Actor  # noqa: E402
from tongxin.ledger.demo import seed_ledger_bulk  # noqa: E402
from tongxin.ledger.models import Account, AccountKind, Currency, Entry, Posting  # noqa: E402
from tongxin.ledger.selectors import (  # noqa: E402
    balances_of,
    district_monthly_totals,
    entries_for,
    hours_by_month,
    year_range,
)
from tongxin.ledger.services import hours_record, person_account, posting_create  # noqa: E402
from tongxin.ledger.verify import CHECKS  # noqa: E402
from tongxin.people.models import Person  # noqa: E402
from tongxin.territory.models import Territory, TerritoryLevel  # noqa: E402

BENCH = Actor.system("bench")
PAGE = 20


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    for _ in range(3):
        result = fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def raw(sql: str, params: list[Any]) -> list[tuple]:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def ledger_rows() -> int:
    return Posting.objects.count() + Entry.objects.count()


def ensure_history(args: argparse.Namespace) -> None:
    have = ledger_rows()
    if have >= args.rows * 0.9:
        print(f"ledger already holds {have:,} rows (postings + entries); reused")
        return
    district = Territory.objects.filter(level=TerritoryLevel.DISTRICT).order_by("path").first()
    if district is None:
        sys.exit("no district in this database: seed one first (manage.py seed_demo --tier district)")
    ids = list(Person.objects.filter(residence__path__startswith=district.path).values_list("pk", flat=True))
    rng = random.Random(args.seed)
    persons = rng.sample(ids, min(args.volunteers, len(ids)))
    print(f"writing about {args.rows - have:,} ledger rows for {len(persons):,} volunteers ...", flush=True)
    started = time.perf_counter()
    counts = seed_ledger_bulk(
        persons=persons, year_start=date(args.year, 1, 1), rows=args.rows - have, seed=args.seed
    )
    seconds = time.perf_counter() - started
    print(
        f"bulk path: {counts['postings']:,} postings, {counts['entries']:,} entries, "
        f"{counts['awards']:,} awards "
        f"in {seconds:.1f} s ({counts['rows'] / seconds:,.0f} rows/s)"
    )
    with connection.cursor() as cursor:
        for table in ("ledger_posting", "ledger_entry", "ledger_account", "ledger_pointsaward"):
            cursor.execute(f"ANALYZE {table}")


# --- p1/p2: a person's balances and history page -------------------------------------------

RAW_BALANCES = "SELECT currency, balance FROM ledger_account WHERE kind = 'person' AND person_id = %s"
RAW_PAGE = (
    "SELECT e.id, e.amount, e.balance_after, e.created_at, a.currency, "
    "p.kind, p.source, p.memo, p.reverses_id "
    "FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id "
    "JOIN ledger_posting p ON p.id = e.posting_id "
    "WHERE a.kind = 'person' AND a.person_id = %s ORDER BY e.id DESC LIMIT %s"
)
RAW_COUNT = (
    "SELECT COUNT(*) FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id "
    "WHERE a.kind = 'person' AND a.person_id = %s"
)


def busiest_person() -> Person:
    row = raw(
        "SELECT a.person_id FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id "
        "WHERE a.kind = 'person' GROUP BY a.person_id ORDER BY COUNT(*) DESC LIMIT 1",
        [],
    )
    return Person.objects.get(pk=row[0][0])


def person_orm(person: Person) -> tuple[int, int]:
    balances = balances_of(person=person)
    qs = entries_for(person=person)
    page = list(qs[:PAGE])
    return len(page) + 0 * len(balances), qs.count()


def person_raw(person: Person) -> tuple[int, int]:
    raw(RAW_BALANCES, [person.pk])
    page = raw(RAW_PAGE, [person.pk, PAGE])
    return len(page), raw(RAW_COUNT, [person.pk])[0][0]


def phone_client(person: Person) -> Client | None:
    from tongxin.accounts.models import User
    from tongxin.accounts.services import role_grant

    user = User.objects.filter(person=person).first()
    if user is None:
        user = User.objects.create_user(username=f"bench_ledger_{person.pk}", person=person)
        if person.residence is not None:
            role_grant(user=user, role="resident", territory=person.residence, by=BENCH, now=timezone.now())
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/ledger/m/")
    if response.status_code != 200:
        print(f"p2 skipped: the phone page answered {response.status_code}")
        return None
    return client


# --- t1: a team's monthly hours --------------------------------------------------------------

RAW_TEAM = (
    "SELECT date_trunc('month', e.created_at AT TIME ZONE 'Asia/Shanghai') AS month, SUM(e.amount) "
    "FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id "
    "WHERE a.kind = 'person' AND a.currency = 'hours' AND a.person_id = ANY(%s) "
    "AND e.created_at >= %s AND e.created_at < %s GROUP BY 1 ORDER BY 1"
)

# --- d1: the district's monthly totals per street --------------------------------------------

RAW_DISTRICT = (
    "SELECT substr(t.path, 1, %s) AS street, "
    "date_trunc('month', e.created_at AT TIME ZONE 'Asia/Shanghai') AS month, a.currency, SUM(e.amount) "
    "FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id "
    "JOIN people_person p ON p.id = a.person_id JOIN territory_territory t ON t.id = p.residence_id "
    "WHERE a.kind = 'person' AND a.currency IN ('hours', 'points') "
    "AND e.created_at >= %s AND e.created_at < %s AND t.path > %s AND t.path <= %s "
    "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
)


def reads(args: argparse.Namespace) -> None:
    person = busiest_person()
    start, end = year_range(args.year)
    rng = random.Random(args.seed + 1)
    team = rng.sample(
        list(
            Account.objects.filter(
                kind=AccountKind.PERSON, currency=Currency.HOURS, balance__gt=0
            ).values_list("person_id", flat=True)[:5000]
        ),
        30,
    )
    district = Territory.objects.filter(level=TerritoryLevel.DISTRICT).order_by("path").first()
    assert district is not None
    street_len = len(district.path) + Territory.steplen
    hi = district.path + "Z" * (255 - len(district.path))
    scenarios: list[tuple[str, str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "p1",
            "person: balances + history page + count",
            lambda: person_orm(person),
            lambda: person_raw(person),
        ),
        (
            "t1",
            "team of 30: monthly hours",
            lambda: list(hours_by_month(person_ids=team, year=args.year)),
            lambda: raw(RAW_TEAM, [team, start, end]),
        ),
        (
            "d1",
            "district: monthly totals per street",
            lambda: list(district_monthly_totals(district=district, year=args.year)),
            lambda: raw(RAW_DISTRICT, [street_len, start, end, district.path, hi]),
        ),
    ]
    setup_test_environment()
    client = phone_client(person) if not args.only or "p2" in args.only else None
    if client is not None:
        scenarios.insert(
            1,
            (
                "p2",
                "person: the phone page rendered",
                lambda: client.get("/ledger/m/"),
                lambda: person_raw(person),
            ),
        )
    print(
        f"\n{connection.vendor}, {ledger_rows():,} ledger rows; median of {args.repeat} after 3 warm-up runs"
    )
    print(f"{'scenario':<46}{'ORM ms':>10}{'raw ms':>10}{'ORM/raw':>9}{'rows':>8}")
    for code, label, orm, sql in scenarios:
        if args.only and code not in args.only:
            continue
        orm_ms, orm_rows = median_ms(orm, args.repeat)
        raw_ms, raw_rows = median_ms(sql, args.repeat)
        n = raw_rows[0] if code in {"p1", "p2"} else len(raw_rows)
        if code not in {"p2"} and (orm_rows[0] if code == "p1" else len(orm_rows)) != n:
            print(f"WARNING {code}: ORM and raw SQL returned different row counts")
        print(f"{code} {label:<43}{orm_ms:>10.2f}{raw_ms:>10.2f}{orm_ms / raw_ms:>9.2f}{n:>8}")


def verify() -> None:
    started = time.perf_counter()
    lines = []
    for name, check in CHECKS:
        t = time.perf_counter()
        message = check()
        lines.append(f"{name} {time.perf_counter() - t:.1f}s{' FAILED: ' + message if message else ''}")
    print(f"\nverify_ledger: {time.perf_counter() - started:.1f} s ({', '.join(lines)})")


# --- writers ------------------------------------------------------------------------------------


def throughput(args: argparse.Namespace) -> None:
    holders = list(
        Account.objects.filter(kind=AccountKind.PERSON, currency=Currency.HOURS, balance__gte=600)
        .order_by("pk")
        .values_list("person_id", flat=True)[:64]
    )
    persons = list(Person.objects.filter(pk__in=holders).order_by("pk"))
    accounts = [person_account(person=p, currency=Currency.HOURS) for p in persons]
    now = timezone.now()

    def run(threads: int, work: Callable[[int, int], None]) -> float:
        barrier = threading.Barrier(threads + 1)
        errors: list[BaseException] = []

        def worker(w: int) -> None:
            try:
                barrier.wait()
                for k in range(args.postings):
                    work(w, k)
            except BaseException as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        pool = [threading.Thread(target=worker, args=(w,)) for w in range(threads)]
        for t in pool:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in pool:
            t.join()
        seconds = time.perf_counter() - started
        if errors:
            print(f"  {len(errors)} writer(s) failed: {errors[0]!r}")
        return threads * args.postings / seconds

    def hours(w: int, k: int) -> None:
        hours_record(
            person=persons[(w * 7 + k) % len(persons)],
            minutes=1,
            source="bench:1",
            memo="",
            by=BENCH,
            now=now,
        )

    def transfer(w: int, k: int) -> None:
        # Writer w moves one minute back and forth between its own two persons: no shared row.
        a, b = accounts[2 * w], accounts[2 * w + 1]
        lines = [(a, -1), (b, 1)] if k % 2 == 0 else [(b, -1), (a, 1)]
        posting_create(lines=lines, kind="transfer", source="bench:2", memo="", by=BENCH, now=now)

    print(f"\nposting throughput ({args.postings} postings per writer)")
    print(f"{'writers':<10}{'hours_record/s':>16}{'ratio':>8}{'transfers/s':>14}{'ratio':>8}")
    base: dict[str, float] = {}
    for threads in (1, 4, 8):
        rates = {"hours": run(threads, hours), "transfer": run(threads, transfer)}
        base = base or rates
        print(
            f"{threads:<10}{rates['hours']:>16.0f}{rates['hours'] / base['hours']:>8.2f}"
            f"{rates['transfer']:>14.0f}{rates['transfer'] / base['transfer']:>8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_700_000)
    parser.add_argument("--volunteers", type=int, default=60_000)
    parser.add_argument("--year", type=int, default=datetime.now().year)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--postings", type=int, default=150)
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("note: not PostgreSQL; the figures in bench/README.md are PostgreSQL's")
    ensure_history(args)
    reads(args)
    if not args.only or "verify" in args.only:
        verify()
    if not args.only or "writers" in args.only:
        throughput(args)


if __name__ == "__main__":
    main()
