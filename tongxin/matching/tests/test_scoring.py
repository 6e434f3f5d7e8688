"""The scorer on constructed rows: the weights' order (skill beats distance), availability,
load, the ratings prior, who is a candidate, and the batch agreeing with the naive scorer."""

import random
from datetime import datetime

from django.utils import timezone

from tongxin.matching.scoring import (
    HelperRow,
    NeedRow,
    helper_arrays,
    match_batch,
    naive_top,
    pair_score,
    rating_points,
    slot_waits,
)
from tongxin.matching.skills import SKILL_BIT, SLOT_BIT, need_skill_masks, slot_starts

# Sunday 29 November 2026, 10:00 in Shanghai: inside Sunday morning's slot.
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=timezone.get_fixed_timezone(480))
WAITS = slot_waits(NOW)
D, S1, S2, C11, C12, C21, G1, G2 = 1, 2, 3, 11, 12, 21, 111, 112
REPAIR, CLEANING = SKILL_BIT["repair"], SKILL_BIT["cleaning"]
ALL = sum(SLOT_BIT.values())


def need(**kw) -> NeedRow:  # type: ignore[no-untyped-def]
    base = {
        "need_id": 1,
        "named": REPAIR,
        "usual": REPAIR,
        "grid": G1,
        "community": C11,
        "street": S1,
        "district": D,
        "urgent": False,
        "sensitive": False,
        "resident": -1,
    }
    base.update(kw)
    return NeedRow(**base)  # type: ignore[arg-type]


def helper(pid: int, *, skill: int = REPAIR, where: str = "grid", slots: int = ALL, **kw) -> HelperRow:  # type: ignore[no-untyped-def]
    places = {
        "grid": (G1, C11, S1),
        "other_grid": (G2, C11, S1),
        "community": (-1, C11, S1),
        "street": (-1, C12, S1),
        "district": (-1, C21, S2),
        "elsewhere": (-1, 99, 98),
    }[where]
    district = 97 if where == "elsewhere" else D
    return HelperRow(
        pid,
        skill,
        slots,
        places[0],
        frozenset({places[1]}),
        frozenset({places[2]}),
        frozenset({district}),
        **kw,
    )


def ranked(n: NeedRow, helpers: list[HelperRow]) -> list[int]:
    return [helpers[i].person_id for i, _pts in naive_top(n, helpers, WAITS, 10)]


def test_skill_beats_distance() -> None:
    neighbour = helper(1, skill=CLEANING, where="grid")
    skilled_same_street = helper(2, where="street")
    assert ranked(need(), [neighbour, skilled_same_street]) == [2, 1]


def test_with_equal_skills_nearer_ranks_first() -> None:
    hs = [
        helper(5, where="district"),
        helper(4, where="street"),
        helper(3, where="community"),
        helper(2, where="grid"),
    ]
    assert ranked(need(), hs) == [2, 3, 4, 5]


def test_a_skill_the_text_names_beats_one_the_category_suggests() -> None:
    n = need(named=SKILL_BIT["legal"], usual=REPAIR)
    assert ranked(n, [helper(1, skill=REPAIR), helper(2, skill=SKILL_BIT["legal"])]) == [2, 1]


def test_outside_the_district_or_without_skill_beyond_the_community_no_suggestion() -> None:
    n = need()
    assert pair_score(n, helper(1, where="elsewhere"), WAITS) is None
    assert pair_score(n, helper(2, skill=CLEANING, where="street"), WAITS) is None
    assert pair_score(n, helper(3, skill=CLEANING, where="community"), WAITS) is not None


def test_a_sensitive_need_goes_only_to_its_own_community() -> None:
    n = need(sensitive=True)
    assert pair_score(n, helper(1, where="street"), WAITS) is None
    assert pair_score(n, helper(2, where="community"), WAITS) is not None


def test_the_resident_is_never_their_own_helper() -> None:
    assert pair_score(need(resident=7), helper(7), WAITS) is None


def test_slot_waits_from_sunday_morning() -> None:
    waits = dict(slot_starts(NOW))
    assert waits[6 * 3 + 0] == 0  # Sunday morning: now
    assert waits[6 * 3 + 1] == 2  # Sunday afternoon from 12:00
    assert waits[0] == 22  # Monday 08:00
    assert waits[5 * 3 + 0] == 6 * 24 - 2  # next Saturday 08:00


def test_free_now_beats_free_on_saturday_and_urgent_needs_look_one_day_ahead() -> None:
    now_free = helper(2, slots=SLOT_BIT["6-am"])
    saturday = helper(1, slots=SLOT_BIT["5-am"])
    assert ranked(need(), [saturday, now_free]) == [2, 1]
    slow = pair_score(need(), saturday, WAITS)
    assert slow is not None
    assert slow.availability == round(150 * (1 - 142 / 168))
    urgent = pair_score(need(urgent=True), saturday, WAITS)
    assert urgent is not None
    assert urgent.availability == 0
    never = pair_score(need(), helper(3, slots=0), WAITS)
    assert never is not None
    assert never.availability == 0


def test_load_lowers_the_rank() -> None:
    assert ranked(need(), [helper(1, load=2), helper(2, load=0)]) == [2, 1]
    busy = pair_score(need(), helper(1, load=1), WAITS)
    assert busy is not None
    assert busy.load == 50


def test_ratings_prior() -> None:
    assert rating_points(0, 0) == 75  # a newcomer: 4.0 stars
    assert rating_points(5, 1) == 81  # one 5-star: (5 + 12) / 4 = 4.25
    assert rating_points(50, 10) == 94  # ten 5-stars: 4.77
    assert rating_points(1, 1) == 56  # one 1-star does not sink them to the bottom
    hs = [helper(1, rating_total=5, rating_count=1), helper(2, rating_total=50, rating_count=10), helper(3)]
    assert ranked(need(), hs) == [2, 1, 3]


def test_ties_go_to_the_smaller_person_id() -> None:
    assert ranked(need(), [helper(9), helper(3), helper(5)]) == [3, 5, 9]


def test_keywords_in_the_text_name_skills() -> None:
    named, usual = need_skill_masks("property", "厨房水管漏水,楼下都渗了")
    assert named == REPAIR
    assert usual == REPAIR
    named, usual = need_skill_masks("elderly", "独居老人想找人帮忙理发")
    assert named & SKILL_BIT["haircut"]
    assert named & SKILL_BIT["companion"]
    assert need_skill_masks("other", "表扬")[0] == 0


def test_the_batch_agrees_with_the_naive_scorer() -> None:
    rng = random.Random(4)
    communities = [(c, 100 + c // 5, 1000 + c // 20) for c in range(40)]
    helpers = []
    for pid in rng.sample(range(1, 5000), 600):
        c, s, d = rng.choice(communities)
        extra = rng.choice(communities)
        helpers.append(
            HelperRow(
                pid,
                rng.randrange(1, 1 << 13),
                rng.randrange(0, 1 << 21),
                c * 10 + rng.randrange(3) if rng.random() < 0.8 else -1,
                frozenset({c, extra[0]}),
                frozenset({s, extra[1]}),
                frozenset({d, extra[2]}),
                rng.randrange(4),
                rng.randrange(30),
                rng.randrange(7),
            )
        )
    needs = []
    for i in range(120):
        c, s, d = rng.choice(communities)
        needs.append(
            NeedRow(
                i,
                rng.choice([0, REPAIR, SKILL_BIT["legal"]]),
                rng.randrange(0, 1 << 13),
                c * 10 + rng.randrange(3) if rng.random() < 0.7 else -1,
                c,
                s,
                d,
                rng.random() < 0.2,
                rng.random() < 0.4,
                rng.choice(helpers).person_id if rng.random() < 0.3 else -1,
            )
        )
    arrays = helper_arrays(helpers, NOW)
    idx, pts = match_batch(needs, arrays, top_k=5)
    for r, n in enumerate(needs):
        got = [(int(i), int(p)) for i, p in zip(idx[r], pts[r], strict=True) if i >= 0]
        assert got == naive_top(n, arrays.rows, WAITS, 5), n
