"""The rate selectors (tongxin.needs.rates) on a district's year of needs, against hand-written SQL
that computes the same figures over the same rows in the same run (DESIGN.md §9: ratios, not
absolute times alone). The figures of both sides must be equal, or the script stops.

    createdb -U postgres -h 127.0.0.1 tx_bench_needs
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tx_bench_needs
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/need_rates.py            # seeds the empty database first (tree + needs)
    .venv/bin/python bench/need_rates.py --repeat 5 --only street

An empty database is seeded with the district tier's territory tree and a year of needs through
the bulk path (`seed_demo --tier district --no-people`: the askers are callers, so the ~1.25M
persons, which the rates never read, are not generated). A database that holds needs is reused."""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from tongxin.core.trees import subtree_range  # noqa: E402
from tongxin.needs.models import Need, NeedEvent  # noqa: E402
from tongxin.needs.rates import COUNT_FIELDS, NeedRates, need_rates, need_rates_by_child, period_bounds  # noqa: E402
from tongxin.territory.models import Territory, TerritoryLevel  # noqa: E402

# The same definitions as tongxin/needs/rates.py, written by hand: one pass over the needs of the
# subtree and period, events looked up by need (the need_id index) only for the rows that ask.
RAW_COUNTS = """
  count(*) AS submitted,
  count(*) FILTER (WHERE n.accepted_at IS NOT NULL
                      OR n.status IN ('returned', 'archived')) AS accepted,
  count(*) FILTER (WHERE n.accepted_at IS NULL AND n.status IN ('returned', 'archived')) AS returned,
  count(*) FILTER (WHERE
      (n.accepted_at IS NOT NULL AND (n.accept_due_at IS NULL OR n.accepted_at <= n.accept_due_at))
   OR (n.accepted_at IS NULL AND n.status IN ('returned', 'archived')
       AND (n.accept_due_at IS NULL OR EXISTS (
            SELECT 1 FROM needs_needevent e
             WHERE e.need_id = n.id AND e.kind = 'return'
               AND e.at <= n.accept_due_at)))) AS responded_on_time,
  count(*) FILTER (WHERE n.accepted_at IS NOT NULL AND n.status NOT IN ('withdrawn', 'merged')) AS handling,
  count(*) FILTER (WHERE n.accepted_at IS NOT NULL AND n.status NOT IN ('withdrawn', 'merged')
                     AND n.resolved_at IS NOT NULL) AS resolved,
  count(*) FILTER (WHERE n.accepted_at IS NOT NULL AND n.status NOT IN ('withdrawn', 'merged')
                     AND n.resolved_at IS NOT NULL
                     AND (n.resolve_due_at IS NULL OR n.resolved_at <= n.resolve_due_at)) AS resolved_on_time,
  count(*) FILTER (WHERE n.accepted_at IS NOT NULL AND n.status NOT IN ('withdrawn', 'merged')
                     AND n.resolved_at IS NOT NULL AND n.rating IS NOT NULL) AS rated,
  count(*) FILTER (WHERE n.accepted_at IS NOT NULL AND n.status NOT IN ('withdrawn', 'merged')
                     AND n.resolved_at IS NOT NULL AND n.rating >= 4) AS satisfied,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM needs_needevent e
                                  WHERE e.need_id = n.id AND e.kind = 'dispatch')) AS dispatched,
  count(*) FILTER (WHERE n.bounce_count > 0) AS bounced
"""
RAW_FROM = """
  FROM needs_need n JOIN territory_territory c ON c.id = n.community_id
 WHERE c.path BETWEEN %s AND %s AND n.submitted_at >= %s AND n.submitted_at < %s
"""


def raw_rates(node: Territory, start: date, end: date) -> NeedRates:
    low, high = subtree_range(node.path)
    since, until = period_bounds(start, end)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {RAW_COUNTS} {RAW_FROM}", [low, high, since, until])
        row = cursor.fetchone()
    return NeedRates(**dict(zip(COUNT_FIELDS, row, strict=True)))


def raw_rates_by_child(node: Territory, start: date, end: date) -> list[tuple[str, NeedRates]]:
    low, high = subtree_range(node.path)
    since, until = period_bounds(start, end)
    length = len(node.path) + Territory.steplen
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT substr(c.path, 1, %s) AS child, {RAW_COUNTS} {RAW_FROM} GROUP BY 1",
            [length, low, high, since, until],
        )
        by_path = {r[0]: NeedRates(**dict(zip(COUNT_FIELDS, r[1:], strict=True))) for r in cursor.fetchall()}
    children = Territory.objects.get_children(node).order_by("path")
    return [(c.path, by_path.get(c.path, NeedRates())) for c in children]


def timed(work: Callable[[], Any], repeat: int, warmup: int) -> tuple[list[float], Any]:
    result = None
    for _ in range(warmup):
        result = work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


def seed(needs: int) -> None:
    from tongxin.core.actor import Actor  # noqa: F401 - the seeding's own import, kept local
    from tongxin.demo.seeding import SeedOptions, seed_demo

    now = timezone.now()
    print(f"seeding the district tier's tree and {needs} needs over 365 days (bulk path)…", flush=True)
    started = time.perf_counter()
    report = seed_demo(
        SeedOptions(
            tier="district",
            seed=2026,
            today=timezone.localdate(),
            now=now,
            people=False,
            accounts=False,
            needs=needs,
            need_days=365,
        )
    )
    print(f"seeded in {time.perf_counter() - started:.0f} s: {report.counts}")
    for phase, seconds in report.seconds.items():
        print(f"  {phase}: {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--needs", type=int, default=450_000, help="needs to seed into an empty database")
    parser.add_argument("--only", default="", help="run the scenarios whose name contains this")
    args = parser.parse_args()
    if not Need.objects.exists():
        seed(args.needs)
    district = Territory.objects.filter(level=TerritoryLevel.DISTRICT).order_by("path").first()
    assert district is not None
    street = Territory.objects.filter(path__startswith=district.path, depth=district.depth + 1).order_by(
        "path"
    )[0]
    community = Territory.objects.filter(path__startswith=street.path, depth=street.depth + 1).order_by(
        "path"
    )[0]
    end = timezone.localdate() + timedelta(days=1)
    start = end - timedelta(days=366)
    month_start = end - timedelta(days=30)
    scenarios: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "need_rates district (year)",
            lambda: need_rates(territory=district, start=start, end=end),
            lambda: raw_rates(district, start, end),
        ),
        (
            "need_rates district (30 days)",
            lambda: need_rates(territory=district, start=month_start, end=end),
            lambda: raw_rates(district, month_start, end),
        ),
        (
            "need_rates street (year)",
            lambda: need_rates(territory=street, start=start, end=end),
            lambda: raw_rates(street, start, end),
        ),
        (
            "need_rates community (year)",
            lambda: need_rates(territory=community, start=start, end=end),
            lambda: raw_rates(community, start, end),
        ),
        (
            "by_child district → streets (year)",
            lambda: [(t.path, r) for t, r in need_rates_by_child(territory=district, start=start, end=end)],
            lambda: raw_rates_by_child(district, start, end),
        ),
        (
            "by_child street → communities (year)",
            lambda: [(t.path, r) for t, r in need_rates_by_child(territory=street, start=start, end=end)],
            lambda: raw_rates_by_child(street, start, end),
        ),
    ]
    print(
        f"{connection.vendor}, {Need.objects.count()} needs, {NeedEvent.objects.count()} events; "
        f"district {district.name}, street {street.name}, community {community.name}; "
        f"period {start}..{end}; median and p95 of {args.repeat} after {args.warmup} warm-up runs"
    )
    print(f"{'scenario':38} {'ORM ms':>9} {'p95':>9} {'raw ms':>9} {'p95':>9} {'ORM/raw':>8} {'needs':>8}")
    for name, orm, raw in scenarios:
        if args.only and args.only not in name:
            continue
        orm_times, orm_result = timed(orm, args.repeat, args.warmup)
        raw_times, raw_result = timed(raw, args.repeat, args.warmup)
        if orm_result != raw_result:
            sys.exit(f"{name}: the figures differ\n ORM {orm_result}\n raw {raw_result}")
        submitted = (
            orm_result.submitted
            if isinstance(orm_result, NeedRates)
            else sum(r.submitted for _p, r in orm_result)
        )
        orm_median, raw_median = statistics.median(orm_times), statistics.median(raw_times)
        print(
            f"{name:38} {orm_median:9.1f} {p95(orm_times):9.1f} {raw_median:9.1f} {p95(raw_times):9.1f} "
            f"{orm_median / raw_median:8.2f} {submitted:8d}",
            flush=True,
        )


if __name__ == "__main__":
    main()
