"""The score of a helper for a need, in integer points out of 1000, and the batch that computes
it for every (need, helper) pair with numpy.

Points (shown to staff as score / 10, out of 100):

    skill fit      400  the helper has a skill the text names (水管漏水 → 维修)
                   280  ...or a skill the category usually calls for (property → 维修)
    distance       250  same grid (the resident's grid: where they live, inside the need's community)
                   190  same community (the helper lives there or serves it)
                   100  same street,  40 same district,  0 elsewhere
    availability   150 × (1 − wait / horizon), wait = hours from now until the helper's next free
                   slot (0 inside one); horizon 168 h (a week), 24 h for urgent needs; no slots: 0
    load           100 / (1 + open needs on their hands: dispatched, claimed, in progress)
    rating         100 × (r − 1) / 4, r = (sum of ratings + 3 × 4.0) / (count + 3): a newcomer
                   starts at 4.0 stars and three ratings move them half-way to their own mean

Skill beats distance: a skilled helper in the same street (400/280 + 100) outranks an unskilled
neighbour in the same grid (250). Distance beats availability, load and rating together only
partly (the gap grid→street is 150, as large as availability), which is deliberate: near and
free often beats nearer and busy.

Who is a candidate at all: someone in the need's district with a fitting skill, or anyone
serving the need's own community. For a sensitive need (DESIGN.md §7: private or in a
vulnerable category) only helpers of the need's own community: a stranger from across the
district should not learn that an old man lives alone. The resident is never their own helper.

Ties go to the smaller person id, so every path (the batch, one need, the naive scorer) gives
the same order."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from .skills import SLOT_CODES, slot_starts

SKILL_NAMED, SKILL_USUAL = 400, 280
DIST_GRID, DIST_COMMUNITY, DIST_STREET, DIST_DISTRICT = 250, 190, 100, 40
AVAIL_MAX, AVAIL_HORIZON_H, AVAIL_URGENT_HORIZON_H = 150, 168.0, 24.0
LOAD_MAX = 100
RATING_MAX, PRIOR_MEAN, PRIOR_COUNT = 100, 4.0, 3
MAX_POINTS = SKILL_NAMED + DIST_GRID + AVAIL_MAX + LOAD_MAX + RATING_MAX
# Keys pack points and the tie-break into one int32: points << IDX_BITS | (IDX_MASK - index)
# (1000 points need 10 bits, so a batch takes up to 2^20 helpers).
IDX_BITS = 20
IDX_MASK = (1 << IDX_BITS) - 1
NO_WAIT = math.inf


def half_up(x: float) -> int:
    return math.floor(x + 0.5)


def availability_points(wait_h: float, *, urgent: bool) -> int:
    if wait_h == NO_WAIT:
        return 0
    horizon = AVAIL_URGENT_HORIZON_H if urgent else AVAIL_HORIZON_H
    return half_up(AVAIL_MAX * max(0.0, 1.0 - wait_h / horizon))


def load_points(load: int) -> int:
    return half_up(LOAD_MAX / (1 + load))


def rating_mean(total: int, count: int) -> float:
    return (total + PRIOR_COUNT * PRIOR_MEAN) / (count + PRIOR_COUNT)


def rating_points(total: int, count: int) -> int:
    return half_up(RATING_MAX * (rating_mean(total, count) - 1.0) / 4.0)


def slot_waits(now: datetime) -> list[float]:
    """Hours until each slot (by bit index) is next reachable, from `now`."""
    waits = [0.0] * len(SLOT_CODES)
    for index, wait in slot_starts(now):
        waits[index] = wait
    return waits


def next_slot(slot_bits: int, waits: Sequence[float]) -> tuple[int, float] | None:
    """(bit index, wait in hours) of the helper's soonest slot; ties to the lower bit."""
    best: tuple[int, float] | None = None
    for index, wait in enumerate(waits):
        if slot_bits >> index & 1 and (best is None or wait < best[1]):
            best = (index, wait)
    return best


@dataclass
class HelperRow:
    """One helper, as plain values. Places are ids of territory path prefixes (one id space for
    every level): the residence grid, and the communities, streets and districts they live in or
    serve."""

    person_id: int
    skill_bits: int
    slot_bits: int
    grid: int  # -1: not living in a grid
    communities: frozenset[int]
    streets: frozenset[int]
    districts: frozenset[int]
    load: int = 0
    rating_total: int = 0
    rating_count: int = 0


@dataclass
class NeedRow:
    need_id: int
    named: int  # skill bits the text names
    usual: int  # skill bits the category calls for
    grid: int  # the resident's grid inside the community, or -1
    community: int
    street: int
    district: int
    urgent: bool
    sensitive: bool
    resident: int = -1  # the resident's person id, never suggested


def skill_points(need: NeedRow, skill_bits: int) -> int:
    if skill_bits & need.named:
        return SKILL_NAMED
    if skill_bits & need.usual:
        return SKILL_USUAL
    return 0


def distance_points(need: NeedRow, h: HelperRow) -> int:
    if need.grid >= 0 and h.grid == need.grid:
        return DIST_GRID
    if need.community in h.communities:
        return DIST_COMMUNITY
    if need.street in h.streets:
        return DIST_STREET
    if need.district in h.districts:
        return DIST_DISTRICT
    return 0


def is_candidate(need: NeedRow, h: HelperRow, skill: int, dist: int) -> bool:
    if h.person_id == need.resident:
        return False
    if need.sensitive:
        return dist >= DIST_COMMUNITY
    return dist >= DIST_COMMUNITY or (skill > 0 and dist >= DIST_DISTRICT)


@dataclass(frozen=True)
class PairScore:
    points: int
    skill: int
    distance: int
    availability: int
    load: int
    rating: int


def pair_score(need: NeedRow, h: HelperRow, waits: Sequence[float]) -> PairScore | None:
    """The naive scorer: one pair in plain Python. The batch must agree with it exactly; pages
    use it to explain the few pairs they show."""
    skill = skill_points(need, h.skill_bits)
    dist = distance_points(need, h)
    if not is_candidate(need, h, skill, dist):
        return None
    slot = next_slot(h.slot_bits, waits)
    avail = availability_points(slot[1] if slot else NO_WAIT, urgent=need.urgent)
    load = load_points(h.load)
    rating = rating_points(h.rating_total, h.rating_count)
    return PairScore(skill + dist + avail + load + rating, skill, dist, avail, load, rating)


def naive_top(
    need: NeedRow, helpers: Sequence[HelperRow], waits: Sequence[float], k: int
) -> list[tuple[int, int]]:
    """(helper index, points) of the best k by pair_score, ties to the smaller person id."""
    scored = []
    for index, h in enumerate(helpers):
        s = pair_score(need, h, waits)
        if s is not None:
            scored.append((-s.points, h.person_id, index))
    scored.sort()
    return [(index, -neg) for neg, _pid, index in scored[:k]]


# --- The batch ----------------------------------------------------------------------------------

IntArray = npt.NDArray[np.int64]


@dataclass
class HelperArrays:
    """Helpers as columns, sorted by person id (so a smaller index is a smaller id), and for each
    place id the indices of the helpers there."""

    rows: list[HelperRow]
    person_ids: IntArray
    skill_bits: IntArray
    static_points: dict[bool, IntArray]  # availability + load + rating, for urgent False/True
    by_grid: dict[int, IntArray] = field(default_factory=dict)
    by_community: dict[int, IntArray] = field(default_factory=dict)
    by_street: dict[int, IntArray] = field(default_factory=dict)
    by_district: dict[int, IntArray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)


def _inverted(pairs: Iterable[tuple[int, int]]) -> dict[int, IntArray]:
    grouped: dict[int, list[int]] = {}
    for place, index in pairs:
        grouped.setdefault(place, []).append(index)
    return {place: np.array(indices, dtype=np.int64) for place, indices in grouped.items()}


def helper_arrays(helpers: Iterable[HelperRow], now: datetime) -> HelperArrays:
    rows = sorted(helpers, key=lambda h: h.person_id)
    if len(rows) > IDX_MASK:
        raise ValueError("too many helpers for one batch")
    n = len(rows)
    skill = np.fromiter((h.skill_bits for h in rows), dtype=np.int64, count=n)
    slots = np.fromiter((h.slot_bits for h in rows), dtype=np.int64, count=n)
    load = np.fromiter((h.load for h in rows), dtype=np.float64, count=n)
    r_total = np.fromiter((h.rating_total for h in rows), dtype=np.float64, count=n)
    r_count = np.fromiter((h.rating_count for h in rows), dtype=np.float64, count=n)
    # The same arithmetic, in the same order, as the scalar functions above (so the same floats).
    wait = np.full(n, np.inf)
    for index, w in enumerate(slot_waits(now)):
        has = (slots >> index) & 1 == 1
        wait = np.where(has & (w < wait), w, wait)
    load_pts = np.floor(LOAD_MAX / (1 + load) + 0.5)
    mean = (r_total + PRIOR_COUNT * PRIOR_MEAN) / (r_count + PRIOR_COUNT)
    rating_pts = np.floor(RATING_MAX * (mean - 1.0) / 4.0 + 0.5)
    static = {}
    for urgent, horizon in ((False, AVAIL_HORIZON_H), (True, AVAIL_URGENT_HORIZON_H)):
        avail = np.where(
            np.isinf(wait), 0.0, np.floor(AVAIL_MAX * np.maximum(0.0, 1.0 - wait / horizon) + 0.5)
        )
        static[urgent] = (avail + load_pts + rating_pts).astype(np.int64)
    return HelperArrays(
        rows=rows,
        person_ids=np.fromiter((h.person_id for h in rows), dtype=np.int64, count=n),
        skill_bits=skill,
        static_points=static,
        by_grid=_inverted((h.grid, i) for i, h in enumerate(rows) if h.grid >= 0),
        by_community=_inverted((c, i) for i, h in enumerate(rows) for c in h.communities),
        by_street=_inverted((s, i) for i, h in enumerate(rows) for s in h.streets),
        by_district=_inverted((d, i) for i, h in enumerate(rows) for d in h.districts),
    )


_EMPTY = np.zeros(0, dtype=np.int64)


def match_batch(needs: Sequence[NeedRow], helpers: HelperArrays, top_k: int = 3) -> tuple[IntArray, IntArray]:
    """For each need, the indices (into helpers.rows) of its best `top_k` helpers and their
    points; -1 where there are fewer candidates.

    Everything that does not depend on the need's place is computed once per kind of need
    (skill points + the helpers' own points, packed with the tie-break into int32 keys, per
    (named skills, usual skills, urgent)); the distance column once per community (scattered
    from the inverted place indices). A need then costs one addition, its grid's few helpers,
    the candidate mask and k passes of argmax over int32 columns that stay in the CPU's cache."""
    n, k = len(needs), top_k
    out_idx = np.full((n, k), -1, dtype=np.int64)
    out_pts = np.full((n, k), -1, dtype=np.int64)
    h = len(helpers)
    if h == 0 or n == 0 or k <= 0:
        return out_idx, out_pts
    kk = min(k, h)
    tiebreak = (IDX_MASK - np.arange(h, dtype=np.int64)).astype(np.int32)
    pid_to_index = {int(p): i for i, p in enumerate(helpers.person_ids)}
    bases: dict[tuple[int, int, bool], tuple[npt.NDArray[np.int32], npt.NDArray[np.bool_]]] = {}
    groups: dict[int, list[int]] = {}
    for i, need in enumerate(needs):
        groups.setdefault(need.community, []).append(i)
    for community, members in groups.items():
        first = needs[members[0]]
        dist = np.zeros(h, dtype=np.int32)
        dist[helpers.by_district.get(first.district, _EMPTY)] = DIST_DISTRICT
        dist[helpers.by_street.get(first.street, _EMPTY)] = DIST_STREET
        dist[helpers.by_community.get(community, _EMPTY)] = DIST_COMMUNITY
        near = dist >= DIST_COMMUNITY
        in_district = dist >= DIST_DISTRICT
        dist_key = dist << IDX_BITS
        for i in members:
            need = needs[i]
            kind = (need.named, need.usual, need.urgent)
            if kind not in bases:
                skills = helpers.skill_bits
                skill = np.where(
                    skills & need.named != 0, SKILL_NAMED, np.where(skills & need.usual != 0, SKILL_USUAL, 0)
                )
                base = ((skill + helpers.static_points[need.urgent]) << IDX_BITS).astype(np.int32) | tiebreak
                bases[kind] = (base, skill > 0)
            base, skilled = bases[kind]
            keys = base + dist_key
            if need.grid >= 0:
                grid = helpers.by_grid.get(need.grid, _EMPTY)
                keys[grid] += (DIST_GRID - dist[grid]) << IDX_BITS
            ok = near if need.sensitive else near | (skilled & in_district)
            keys = np.where(ok, keys, -1)
            own = pid_to_index.get(need.resident)
            if own is not None:
                keys[own] = -1
            # k rounds of argmax beat a partial sort here: keys are unique, argmax is one
            # vectorised pass, and introselect degrades on these half-sorted columns.
            for j in range(kk):
                best = int(np.argmax(keys))
                key = int(keys[best])
                if key < 0:
                    break
                out_idx[i, j] = best
                out_pts[i, j] = key >> IDX_BITS
                keys[best] = -1
    return out_idx, out_pts
