"""Tree reads through the project's policies and selectors, against hand-written SQL over the same
rows, in one run: the ratio ORM/raw is the figure to watch, not the absolute times (DESIGN.md §9).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongxin_bench
    .venv/bin/python bench/trees.py --tier district

An empty database is seeded first with `seed_demo --tier TIER`; a seeded one is reused as it is.
Scenarios (a street is the demo street account's street):
  a. subtree listing: the street's persons, first page of 25 by id, and their count (for the
     district account, its visible persons narrowed to the street's residents);
  b. subtree counts: members per organisation located under the street;
  c. rollups: residents and members per community of the district; unit coverage per street.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import Substr  # noqa: E402

from tongxin.accounts.models import User  # noqa: E402
from tongxin.accounts.policies import visible, with_visible_rosters  # noqa: E402
from tongxin.core.trees import subtree_q, subtree_range  # noqa: E402
from tongxin.orgs.selectors import coverage_by_child  # noqa: E402
from tongxin.people.models import Membership, MemberStatus, Person  # noqa: E402
from tongxin.people.selectors import member_counts_by_org, organizations_with_counts  # noqa: E402
from tongxin.territory.models import Territory, TerritoryLevel  # noqa: E402
from tongxin.units.models import Unit  # noqa: E402


@dataclass
class Scenario:
    name: str
    orm: Callable[[], Any]
    raw: Callable[[], Any]
    rows: Callable[[Any], int]  # how many result rows, to check both sides agree


@dataclass
class Result:
    name: str
    orm_ms: float
    raw_ms: float
    rows: int

    @property
    def ratio(self) -> float:
        return self.orm_ms / self.raw_ms if self.raw_ms else float("inf")


def raw(sql: str, params: list[Any]) -> Callable[[], list[tuple]]:
    def run() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def median_ms(work: Callable[[], Any], *, warmup: int, repeat: int) -> tuple[float, Any]:
    result = None
    for _ in range(warmup):
        result = work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def scenarios(street_user: Any, district_user: Any) -> list[Scenario]:
    street = street_user.grants.get().territory
    district = district_user.grants.filter(territory__isnull=False).get().territory
    low, high = subtree_range(street.path)
    d_low, d_high = subtree_range(district.path)
    community_len = len(street.path) + Territory.steplen
    persons_of_street = (
        "FROM people_person p JOIN territory_territory t ON t.id = p.residence_id"
        " WHERE t.path BETWEEN %s AND %s"
    )

    # What a street account may see of persons, written by hand: the street's residents, the
    # members of the territorial organisations located there (wherever they live), and itself.
    own = street_user.person_id
    roster_members = """SELECT m.person_id FROM people_membership m
          JOIN orgs_organization o ON o.id = m.organization_id
          JOIN territory_territory t ON t.id = o.territory_id
         WHERE t.path BETWEEN %s AND %s
           AND NOT EXISTS (SELECT 1 FROM orgs_organization_units ou WHERE ou.organization_id = o.id)"""
    street_scope_count = f"""SELECT count(*) FROM (
        SELECT p.id {persons_of_street} UNION {roster_members} UNION SELECT %s) s"""
    # The first page: the 25 smallest ids are among the 25 smallest of each part.
    street_scope_page = f"""WITH ids AS (
        (SELECT p.id {persons_of_street} ORDER BY p.id LIMIT 25)
        UNION ({roster_members} ORDER BY 1 LIMIT 25) UNION SELECT %s)
        SELECT p.* FROM people_person p
         WHERE p.id IN (SELECT id FROM ids ORDER BY id LIMIT 25) ORDER BY p.id"""
    scope_params = [low, high, low, high, own]

    def street_persons(user: Any) -> Any:
        return visible(user, Person).filter(subtree_q([street.path], field="residence__path"))

    return [
        Scenario(
            "a1 street account: persons page (25 by id)",
            lambda: list(visible(street_user, Person).order_by("id")[:25]),
            raw(street_scope_page, scope_params),
            len,
        ),
        Scenario(
            "a2 street account: persons count",
            lambda: visible(street_user, Person).count(),
            raw(street_scope_count, scope_params),
            lambda n: n if isinstance(n, int) else n[0][0],
        ),
        Scenario(
            "a3 district account: street persons page",
            lambda: list(street_persons(district_user).order_by("id")[:25]),
            raw(f"SELECT p.* {persons_of_street} ORDER BY p.id LIMIT 25", [low, high]),
            len,
        ),
        Scenario(
            "a4 district account: street persons count",
            lambda: street_persons(district_user).count(),
            raw(f"SELECT count(*) {persons_of_street}", [low, high]),
            lambda n: n if isinstance(n, int) else n[0][0],
        ),
        Scenario(
            "b1 member_counts_by_org under street",
            lambda: member_counts_by_org(with_visible_rosters(street_user)),
            raw(
                """SELECT m.organization_id, count(*), count(*) FILTER (WHERE m.status = %s)
                     FROM people_membership m JOIN orgs_organization o ON o.id = m.organization_id
                     JOIN territory_territory t ON t.id = o.territory_id
                    WHERE t.path BETWEEN %s AND %s AND NOT EXISTS (SELECT 1 FROM orgs_organization_units ou
                          WHERE ou.organization_id = o.id)
                    GROUP BY m.organization_id""",
                [MemberStatus.FULL, low, high],
            ),
            len,
        ),
        Scenario(
            "b2 organizations_with_counts under street",
            lambda: list(organizations_with_counts(with_visible_rosters(street_user))),
            raw(
                """SELECT o.id, o.name, count(m.id), count(m.id) FILTER (WHERE m.status = %s)
                     FROM orgs_organization o JOIN territory_territory t ON t.id = o.territory_id
                     LEFT JOIN people_membership m ON m.organization_id = o.id
                    WHERE t.path BETWEEN %s AND %s AND NOT EXISTS (SELECT 1 FROM orgs_organization_units ou
                          WHERE ou.organization_id = o.id)
                    GROUP BY o.id, o.name""",
                [MemberStatus.FULL, low, high],
            ),
            len,
        ),
        Scenario(
            "c1 residents+members per community",
            lambda: list(
                visible(district_user, Person)
                .filter(subtree_q([district.path], field="residence__path"))
                .order_by()
                .annotate(bucket=Substr("residence__path", 1, community_len))
                .values("bucket")
                .annotate(residents=Count("id"), members=Count("membership"))
            ),
            raw(
                """SELECT substr(t.path, 1, %s), count(*), count(m.id)
                     FROM people_person p JOIN territory_territory t ON t.id = p.residence_id
                     LEFT JOIN people_membership m ON m.person_id = p.id
                    WHERE t.path BETWEEN %s AND %s GROUP BY 1""",
                [community_len, d_low, d_high],
            ),
            len,
        ),
        Scenario(
            "c2 coverage_by_child (units per street)",
            lambda: coverage_by_child(territory=district, visible_units=visible(district_user, Unit)),
            raw(
                """SELECT substr(t.path, 1, %s), count(*),
                          count(*) FILTER (WHERE EXISTS (
                              SELECT 1 FROM orgs_organization_units ou WHERE ou.unit_id = u.id))
                     FROM units_unit u JOIN territory_territory t ON t.id = u.territory_id
                    WHERE t.path BETWEEN %s AND %s GROUP BY 1""",
                [len(district.path) + Territory.steplen, d_low, d_high],
            ),
            len,
        ),
    ]


def ensure_seeded(tier: str) -> None:
    if Territory.objects.filter(level=TerritoryLevel.DISTRICT).exists():
        print(f"Reusing the seeded database ({Person.objects.count()} persons).")
        return
    print(f"Empty database: seeding tier {tier} first.")
    call_command("seed_demo", tier=tier)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tier", default="district", help="tier to seed when the database is empty")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="run the scenarios whose name starts with this")
    args = parser.parse_args()
    ensure_seeded(args.tier)
    street_user = User.objects.get(username="demo_street")
    district_user = User.objects.get(username="demo_district")
    counts = f"{Person.objects.count()} persons, {Membership.objects.count()} members"
    print(f"{connection.vendor}, {counts}; median of {args.repeat} after {args.warmup} warm-up runs")
    results = []
    for scenario in scenarios(street_user, district_user):
        if not scenario.name.startswith(args.only):
            continue
        orm_ms, orm_result = median_ms(scenario.orm, warmup=args.warmup, repeat=args.repeat)
        raw_ms, raw_result = median_ms(scenario.raw, warmup=args.warmup, repeat=args.repeat)
        rows = scenario.rows(orm_result)
        if rows != scenario.rows(raw_result):
            print(f"  ! {scenario.name}: ORM gave {rows} rows, raw SQL {scenario.rows(raw_result)}")
        results.append(Result(scenario.name, orm_ms, raw_ms, rows))
    print_table(results)


def print_table(results: list[Result]) -> None:
    print(f"{'scenario':<46} {'ORM ms':>9} {'raw ms':>9} {'ORM/raw':>8} {'rows':>8}")
    for r in results:
        print(f"{r.name:<46} {r.orm_ms:>9.2f} {r.raw_ms:>9.2f} {r.ratio:>8.2f} {r.rows:>8}")


if __name__ == "__main__":
    main()
