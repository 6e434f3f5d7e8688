"""Batch matching: 10,000 open needs against 100,000 helpers (tongxin.matching.scoring).

    .venv/bin/python bench/matching.py [--needs 10000] [--helpers 100000] [--sample 20] [--seed 1]
                                       [--db-needs 60] [--db-helpers 1500]

1. Generates, in memory, a district-tier territory (12 streets × 25 communities × 10 grids), the
   helpers (residence grid, 1–3 communities served, 1–3 skills, ~30% of the 21 weekly slots,
   load 0–3, 0–12 past ratings) and the needs (all 14 categories, half with a skill named in the
   text, 10% urgent, the sensitive share of the categories plus 10% private), and times
   match_batch (top 3) end to end, including building the helper columns.
2. Scores a sample of needs with the naive per-pair Python scorer (pair_score over every helper)
   and checks it gives the same top 3 as the batch; prints the time per pair of both and the ratio.
3. Writes a smaller world into a fresh test database (SQLite, or PostgreSQL when DATABASE_URL is
   set) through the ORM and checks that, for every need there, the batch over the helpers loaded
   from the database gives the same top 3 as helpers_for_need (the staff page's selector).
"""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from tongxin.matching.scoring import HelperRow, NeedRow, helper_arrays, match_batch, naive_top, slot_waits  # noqa: E402
from tongxin.matching.skills import CATEGORY_SKILLS, SKILL_BIT, SKILL_CODES, SLOT_CODES  # noqa: E402
from tongxin.needs.categories import CATEGORIES, SENSITIVE_CATEGORIES  # noqa: E402

STREETS, COMMUNITIES, GRIDS = 12, 25, 10
NOW = datetime(2026, 11, 28, 9, 30, tzinfo=timezone.get_fixed_timezone(480))  # a Saturday morning


def world(rng: random.Random) -> list[tuple[int, int, int, tuple[int, ...]]]:
    """(district, street, community, grids) ids, one id space."""
    ids = iter(range(1, 10**9))
    district = next(ids)
    places = []
    for _s in range(STREETS):
        street = next(ids)
        for _c in range(COMMUNITIES):
            community = next(ids)
            places.append((district, street, community, tuple(next(ids) for _g in range(GRIDS))))
    return places


def helpers(rng: random.Random, places: list, n: int) -> list[HelperRow]:
    by_street: dict[int, list] = {}
    for p in places:
        by_street.setdefault(p[1], []).append(p)
    rows = []
    person_ids = rng.sample(range(1, 10 * n), n)
    for pid in person_ids:
        home = rng.choice(places)
        grid = rng.choice(home[3]) if rng.random() < 0.9 else -1
        served = {home} | set(rng.sample(by_street[home[1]], rng.randint(0, 2)))
        skills = 0
        for code in rng.sample(SKILL_CODES, rng.randint(1, 3)):
            skills |= SKILL_BIT[code]
        slots = sum(1 << i for i in range(len(SLOT_CODES)) if rng.random() < 0.3)
        count = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 12])
        rows.append(
            HelperRow(
                person_id=pid,
                skill_bits=skills,
                slot_bits=slots,
                grid=grid,
                communities=frozenset(p[2] for p in served),
                streets=frozenset(p[1] for p in served),
                districts=frozenset(p[0] for p in served),
                load=rng.choice([0, 0, 0, 1, 1, 2, 3]),
                rating_total=sum(rng.choice([3, 4, 5, 5, 5]) for _ in range(count)),
                rating_count=count,
            )
        )
    return rows


def needs(rng: random.Random, places: list, n: int, person_ids: list[int]) -> list[NeedRow]:
    rows = []
    for i in range(n):
        place = rng.choice(places)
        category = rng.choice(CATEGORIES)[0]
        usual = sum(SKILL_BIT[c] for c in CATEGORY_SKILLS[category])
        named = SKILL_BIT[rng.choice(SKILL_CODES)] if rng.random() < 0.5 else 0
        rows.append(
            NeedRow(
                need_id=i + 1,
                named=named,
                usual=usual,
                grid=rng.choice(place[3]) if rng.random() < 0.8 else -1,
                community=place[2],
                street=place[1],
                district=place[0],
                urgent=rng.random() < 0.1,
                sensitive=category in SENSITIVE_CATEGORIES or rng.random() < 0.1,
                resident=rng.choice(person_ids) if rng.random() < 0.05 else -rng.randint(2, 10**6),
            )
        )
    return rows


def in_memory(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    places = world(rng)
    t = time.perf_counter()
    hs = helpers(rng, places, args.helpers)
    ns = needs(rng, places, args.needs, [h.person_id for h in hs])
    print(f"generated {len(ns):,} needs and {len(hs):,} helpers in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    arrays = helper_arrays(hs, NOW)
    t_cols = time.perf_counter() - t
    t = time.perf_counter()
    idx, pts = match_batch(ns, arrays, top_k=3)
    t_batch = time.perf_counter() - t
    pairs = len(ns) * len(hs)
    total = t_cols + t_batch
    print(
        f"batch: helper columns {t_cols:.2f} s + scoring {t_batch:.2f} s = {total:.2f} s "
        f"for {pairs:,} pairs ({total / pairs * 1e9:.1f} ns per pair)"
    )
    filled = (idx[:, 0] >= 0).mean()
    print(f"needs with at least one suggestion: {filled:.1%}; with three: {(idx[:, 2] >= 0).mean():.1%}")

    waits = slot_waits(NOW)
    sample = rng.sample(range(len(ns)), args.sample)
    t = time.perf_counter()
    mismatches = 0
    for i in sample:
        naive = naive_top(ns[i], arrays.rows, waits, 3)
        batch = [(int(a), int(b)) for a, b in zip(idx[i], pts[i], strict=True) if a >= 0]
        if naive != batch:
            mismatches += 1
            print(f"  MISMATCH need {ns[i].need_id}: naive {naive} batch {batch}")
    t_naive = time.perf_counter() - t
    per_naive = t_naive / (len(sample) * len(hs))
    per_batch = total / pairs
    print(
        f"naive per-pair Python scorer on {len(sample)} needs × {len(hs):,} helpers: {t_naive:.1f} s, "
        f"{per_naive * 1e9:.0f} ns per pair; batch is {per_naive / per_batch:.0f}× faster per pair"
    )
    print(f"top 3 naive == batch: {len(sample) - mismatches}/{len(sample)} needs")
    if mismatches:
        sys.exit(1)


def in_database(args: argparse.Namespace) -> None:
    """A smaller world in a fresh test database, written through the ORM (bulk paths for the
    helpers and needs; EncryptedTextField encrypts on save as usual)."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    from conftest import SYSTEM
    from tongxin.core.validators import compose_id_number
    from tongxin.matching.models import HelperProfile
    from tongxin.matching.selectors import (
        PlaceIds,
        helper_rows,
        helpers_available,
        helpers_for_need,
        need_row,
        suggestions_for_needs,
    )
    from tongxin.needs.models import Channel, Need, Status
    from tongxin.people.models import Gender, Person
    from tongxin.people.services import id_number_index
    from tongxin.territory.models import Territory
    from tongxin.territory.services import territory_create

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(args.seed)
        t = time.perf_counter()
        grids: list[Territory] = []
        communities: list[Territory] = []
        for d in range(2):
            district = territory_create(
                name=f"区{d}", code=f"31011{d}", level="district", parent=None, by=SYSTEM
            )
            for s in range(3):
                street = territory_create(
                    name=f"街道{d}{s}", code=f"31011{d}00{s}", level="street", parent=district, by=SYSTEM
                )
                for c in range(4):
                    community = territory_create(
                        name=f"社区{d}{s}{c}",
                        code=f"31011{d}00{s}00{c}",
                        level="community",
                        parent=street,
                        by=SYSTEM,
                    )
                    communities.append(community)
                    for g in range(3):
                        grids.append(
                            territory_create(
                                name=f"网格{d}{s}{c}{g}",
                                code=f"31011{d}00{s}00{c}00{g}",
                                level="grid",
                                parent=community,
                                by=SYSTEM,
                            )
                        )
        people = []
        for i in range(args.db_helpers + args.db_needs):
            number = compose_id_number(
                area="310110", birth=date(1950, 1, 1) + timedelta(days=i // 500), sequence=i % 500 * 2
            )
            people.append(
                Person(
                    name=f"人{i}",
                    id_number=number,
                    id_number_index=id_number_index(number),
                    gender=Gender.FEMALE,
                    birth_date=NOW.date(),
                    residence=rng.choice(grids),
                )
            )
        people = Person.objects.bulk_create(people, batch_size=1000)
        helpers_p, residents = people[: args.db_helpers], people[args.db_helpers :]
        profiles = HelperProfile.objects.bulk_create(
            [
                HelperProfile(
                    person=p,
                    skill_bits=sum(SKILL_BIT[c] for c in rng.sample(SKILL_CODES, rng.randint(1, 3))),
                    slot_bits=sum(1 << i for i in range(21) if rng.random() < 0.3),
                    consent_at=NOW,
                    created_at=NOW,
                    updated_at=NOW,
                )
                for p in helpers_p
            ],
            batch_size=1000,
        )
        through = HelperProfile.communities.through
        links = []
        home_of = {c.path: c.pk for c in communities}
        for prof, person in zip(profiles, helpers_p, strict=True):
            # Their home community, and now and then one more anywhere (even the other district).
            home = person.residence
            assert home is not None  # every generated helper lives somewhere
            served = {home_of[home.path[:12]]}
            if rng.random() < 0.3:
                served.add(rng.choice(communities).pk)
            links += [through(helperprofile_id=prof.pk, territory_id=c) for c in served]
        through.objects.bulk_create(links, batch_size=2000)
        by_path = {c.path: c for c in communities}

        def need(person: Person, status: str, **kw: object) -> Need:
            category = rng.choice(CATEGORIES)[0]
            assert person.residence is not None
            return Need(
                person=person,
                channel=Channel.STAFF,
                text=rng.choice(TEXTS),
                category_id=category,
                community=by_path[person.residence.path[:12]],
                status=status,
                submitted_at=NOW,
                accepted_at=NOW,
                updated_at=NOW,
                urgent=rng.random() < 0.1,
                private=rng.random() < 0.1,
                **kw,
            )

        history = []
        for person in rng.sample(helpers_p, len(helpers_p) // 3):
            for _ in range(rng.randint(1, 4)):
                history.append(
                    need(
                        rng.choice(residents),
                        Status.VISITED,
                        assigned_person=person,
                        rating=rng.choice([2, 3, 4, 5, 5]),
                    )
                )
            if rng.random() < 0.4:
                history.append(
                    need(
                        rng.choice(residents),
                        rng.choice([Status.DISPATCHED, Status.IN_PROGRESS]),
                        assigned_person=person,
                    )
                )
        Need.objects.bulk_create(history, batch_size=1000)
        open_needs = Need.objects.bulk_create([need(p, Status.ACCEPTED) for p in residents])
        print(
            f"database ({connection.vendor}): {len(helpers_p):,} helpers, {len(history):,} past needs, "
            f"{len(open_needs)} open needs written in {time.perf_counter() - t:.1f} s"
        )

        # The batch as the page runs it: every helper of the database loaded once.
        t = time.perf_counter()
        places = PlaceIds()
        rows = helper_rows(helpers_available(), places)
        t_load = time.perf_counter() - t
        needs_db = list(
            Need.objects.filter(pk__in=[n.pk for n in open_needs])
            .select_related("community", "person__residence")
            .order_by("pk")
        )
        t = time.perf_counter()
        arrays = helper_arrays(rows, NOW)
        need_rows = [need_row(n, places) for n in needs_db]
        idx, _pts = match_batch(need_rows, arrays, top_k=3)
        t_batch = time.perf_counter() - t
        print(
            f"loading {len(rows):,} helper rows (profile, places, load, ratings): {t_load * 1000:.0f} ms "
            f"({t_load / len(rows) * 1e6:.0f} µs per helper); "
            f"scoring {len(need_rows)} needs: {t_batch * 1000:.0f} ms"
        )
        agree = 0
        t = time.perf_counter()
        for r, n in enumerate(needs_db):
            single = [s.person.pk for s in helpers_for_need(need=n, now=NOW, limit=3)]
            batch = [arrays.rows[i].person_id for i in idx[r] if i >= 0]
            if single == batch:
                agree += 1
            else:
                print(f"  MISMATCH need {n.pk}: helpers_for_need {single} batch {batch}")
        t_single = (time.perf_counter() - t) / len(needs_db)
        print(f"helpers_for_need: {t_single * 1000:.0f} ms per need (loads its candidates each time)")
        print(f"top 3 batch == helpers_for_need: {agree}/{len(needs_db)} needs")
        # The batch page: one page of 20 needs, candidates filtered in SQL, scored in one batch.
        page = needs_db[:20]
        t = time.perf_counter()
        suggestions_for_needs(page, now=NOW, top_k=3)
        t_page = time.perf_counter() - t
        from tongxin.matching.selectors import _candidates

        t = time.perf_counter()
        loaded = len(helper_rows(_candidates(page), PlaceIds()))
        t_cand = time.perf_counter() - t
        print(
            f"batch page (suggestions_for_needs, {len(page)} needs): {t_page * 1000:.0f} ms, of which "
            f"loading its {loaded:,} candidate helpers {t_cand * 1000:.0f} ms"
        )
        if agree != len(needs_db):
            sys.exit(1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


TEXTS = (
    "厨房水管漏水,楼下都渗了",
    "想请律师看看租房合同",
    "独居老人想找人陪同去医院看病",
    "孩子作业没人辅导",
    "家里的电脑连不上网,想学用手机挂号",
    "老人行动不便,想请人上门理发",
    "小区路灯坏了好几天",
    "想咨询低保怎么申请",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--helpers", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db-needs", type=int, default=60)
    parser.add_argument("--db-helpers", type=int, default=3000)
    parser.add_argument("--skip-db", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    if not args.skip_memory:
        in_memory(args)
    if not args.skip_db:
        in_database(args)


if __name__ == "__main__":
    main()
