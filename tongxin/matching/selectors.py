"""Reads for matching: who could help with a need, best first, and why.

The database rows become plain HelperRow/NeedRow values (places as integer ids of territory path
prefixes, one per level, from the materialised paths) and go through the one scorer in
scoring.py, so the staff page, the batch page and the benchmark rank alike."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.trees import subtree_q
from tongxin.needs.models import Need, Status
from tongxin.needs.policies import is_sensitive, staff_roots
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from .models import HelperProfile
from .scoring import (
    DIST_COMMUNITY,
    DIST_DISTRICT,
    DIST_GRID,
    DIST_STREET,
    SKILL_NAMED,
    HelperRow,
    NeedRow,
    PairScore,
    helper_arrays,
    match_batch,
    next_slot,
    pair_score,
    slot_waits,
)
from .skills import PERIOD_LABEL, SKILL_CODES, SKILL_LABEL, SLOT_CODES, codes_of, need_skill_masks, slot_label

STEP = Territory.steplen
DISTRICT, STREET, COMMUNITY, GRID = 1, 2, 3, 4  # depth of each level in the territory tree
# Needs on someone's hands: the load that makes a busy helper rank lower.
LOAD_STATUSES = (Status.DISPATCHED, Status.CLAIMED, Status.IN_PROGRESS)


class PlaceIds:
    """Integer ids for territory path prefixes, handed out on first sight."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def of(self, path: str) -> int:
        return self._ids.setdefault(path, len(self._ids))

    def at(self, path: str, depth: int) -> int:
        return self.of(path[: depth * STEP]) if len(path) >= depth * STEP else -1


def helpers_available() -> QuerySet[HelperProfile]:
    """Profiles that may be suggested: active and consented."""
    return HelperProfile.objects.filter(active=True, consent_at__isnull=False)


def _in_districts(
    profiles: QuerySet[HelperProfile], district_paths: Iterable[str]
) -> QuerySet[HelperProfile]:
    paths = list(district_paths)
    near = subtree_q(paths, field="person__residence__path") | Q(
        pk__in=HelperProfile.communities.through.objects.filter(
            subtree_q(paths, field="territory__path")
        ).values("helperprofile_id")
    )
    return profiles.filter(near)


def helper_rows(profiles: QuerySet[HelperProfile], places: PlaceIds) -> list[HelperRow]:
    """The profiles as scorer rows, with their load and ratings: four queries whatever the count."""
    base = list(
        profiles.order_by().values_list(
            "pk", "person_id", "skill_bits", "slot_bits", "person__residence__path"
        )
    )
    served: dict[int, list[str]] = {}
    links = HelperProfile.communities.through.objects.filter(helperprofile_id__in=profiles.values("pk"))
    for profile_id, path in links.values_list("helperprofile_id", "territory__path"):
        served.setdefault(profile_id, []).append(path)
    person_ids = profiles.values("person_id")
    load = dict(
        Need.objects.filter(assigned_person_id__in=person_ids, status__in=LOAD_STATUSES)
        .order_by()
        .values("assigned_person_id")
        .annotate(n=Count("pk"))
        .values_list("assigned_person_id", "n")
    )
    ratings = {
        pid: (total, n)
        for pid, total, n in Need.objects.filter(assigned_person_id__in=person_ids, rating__isnull=False)
        .order_by()
        .values("assigned_person_id")
        .annotate(total=Sum("rating"), n=Count("pk"))
        .values_list("assigned_person_id", "total", "n")
    }
    rows = []
    for profile_id, person_id, skill_bits, slot_bits, residence in base:
        paths = [*served.get(profile_id, []), *([residence] if residence else [])]
        total, count = ratings.get(person_id, (0, 0))
        rows.append(
            HelperRow(
                person_id=person_id,
                skill_bits=skill_bits,
                slot_bits=slot_bits,
                grid=places.at(residence, GRID) if residence and len(residence) == GRID * STEP else -1,
                communities=frozenset(places.at(p, COMMUNITY) for p in paths if len(p) >= COMMUNITY * STEP),
                streets=frozenset(places.at(p, STREET) for p in paths if len(p) >= STREET * STEP),
                districts=frozenset(places.at(p, DISTRICT) for p in paths),
                load=load.get(person_id, 0),
                rating_total=total or 0,
                rating_count=count,
            )
        )
    return rows


def need_row(need: Need, places: PlaceIds) -> NeedRow:
    """The need as a scorer row. Its grid is the resident's, when they live in a grid of the
    need's community (the need records the community and a building, not a grid)."""
    community = need.community.path
    residence = need.person.residence.path if need.person_id and need.person and need.person.residence else ""
    in_grid = len(residence) == GRID * STEP and residence.startswith(community)
    named, usual = need_skill_masks(need.category_id, need.text)
    return NeedRow(
        need_id=need.pk,
        named=named,
        usual=usual,
        grid=places.at(residence, GRID) if in_grid else -1,
        community=places.at(community, COMMUNITY),
        street=places.at(community, STREET),
        district=places.at(community, DISTRICT),
        urgent=need.urgent,
        sensitive=is_sensitive(need),
        resident=need.person_id if need.person_id is not None else -1,
    )


@dataclass(frozen=True)
class HelperSuggestion:
    person: Person
    score: float  # out of 100
    reasons: list[str]
    skill_fit: str  # "named" (the text asks for their skill), "usual" (the category does), ""
    distance: str  # "grid", "community", "street", "district"
    available: str  # their next free slot ("周六上午"), "" when none recorded
    load: int  # open needs on their hands
    rating: float | None  # mean of their past ratings, None when never rated
    rating_count: int
    parts: PairScore


DISTANCE_KEY = {
    DIST_GRID: "grid",
    DIST_COMMUNITY: "community",
    DIST_STREET: "street",
    DIST_DISTRICT: "district",
}


def _distance_text(key: str) -> str:
    return {
        "grid": _("同一网格"),
        "community": _("同一社区"),
        "street": _("同一街道"),
        "district": _("同区"),
    }.get(key, "")


def _slot_text(index: int, wait_h: float, now: datetime) -> str:
    code = SLOT_CODES[index]
    day = (timezone.localtime(now) + timedelta(hours=wait_h)).date()
    today = timezone.localtime(now).date()
    period = PERIOD_LABEL[code.split("-")[1]]
    if day == today:
        return _("今天%(period)s有空") % {"period": period}
    if day == today + timedelta(days=1):
        return _("明天%(period)s有空") % {"period": period}
    return _("%(slot)s有空") % {"slot": slot_label(code)}


def explain(
    need: NeedRow, helper: HelperRow, person: Person, waits: Sequence[float], now: datetime
) -> HelperSuggestion | None:
    parts = pair_score(need, helper, waits)
    if parts is None:
        return None
    reasons = []
    fit = ""
    if parts.skill:
        fit = "named" if parts.skill == SKILL_NAMED else "usual"
        wanted = need.named if fit == "named" else need.usual
        skills = _("、").join(str(SKILL_LABEL[c]) for c in codes_of(helper.skill_bits & wanted, SKILL_CODES))
        reasons.append(_("擅长%(skills)s") % {"skills": skills})
    distance = DISTANCE_KEY.get(parts.distance, "")
    if distance:
        reasons.append(_distance_text(distance))
    slot = next_slot(helper.slot_bits, waits)
    available = ""
    if slot is not None:
        available = slot_label(SLOT_CODES[slot[0]])
        reasons.append(_slot_text(slot[0], slot[1], now))
    else:
        reasons.append(_("未登记空闲时段"))
    if helper.load:
        reasons.append(_("手上%(n)d件在办") % {"n": helper.load})
    else:
        reasons.append(_("手上暂无在办"))
    rating = None
    if helper.rating_count:
        rating = helper.rating_total / helper.rating_count
        reasons.append(_("过往评价%(r).1f星") % {"r": rating})
    else:
        reasons.append(_("暂无评价"))
    return HelperSuggestion(
        person=person,
        score=parts.points / 10,
        reasons=reasons,
        skill_fit=fit,
        distance=distance,
        available=available,
        load=helper.load,
        rating=rating,
        rating_count=helper.rating_count,
        parts=parts,
    )


def _district_path(need: Need) -> str:
    return need.community.path[: DISTRICT * STEP]


def _candidates(needs: Sequence[Need]) -> QuerySet[HelperProfile]:
    """Only the profiles that can be candidates for at least one of the needs (scoring.py): those
    living in or serving one of the needs' communities, and those of their districts with a skill
    one of the (non-sensitive) needs calls for. Filtering in SQL leaves the ranking as it is
    (a helper's score does not depend on the others) and spares loading the whole district."""
    communities = sorted({n.community.path for n in needs})
    wanted = 0
    for n in needs:
        if not is_sensitive(n):
            named, usual = need_skill_masks(n.category_id, n.text)
            wanted |= named | usual
    through = HelperProfile.communities.through
    near = subtree_q(communities, field="person__residence__path") | Q(
        pk__in=through.objects.filter(territory__path__in=communities).values("helperprofile_id")
    )
    profiles = helpers_available().alias(fit=F("skill_bits").bitand(wanted))
    return _in_districts(profiles.filter(near | Q(fit__gt=0)), {_district_path(n) for n in needs})


def suggestions_for_needs(
    needs: Sequence[Need], *, now: datetime, top_k: int = 3
) -> list[list[HelperSuggestion]]:
    """The best `top_k` helpers of each need, in one batch over the helpers of their districts."""
    if not needs:
        return []
    places = PlaceIds()
    rows = helper_rows(_candidates(needs), places)
    arrays = helper_arrays(rows, now)
    need_rows = [need_row(n, places) for n in needs]
    idx, _pts = match_batch(need_rows, arrays, top_k=top_k)
    chosen = {arrays.rows[i].person_id for i in idx.ravel() if i >= 0}
    persons = Person.objects.in_bulk(chosen)
    waits = slot_waits(now)
    result = []
    for r, nrow in enumerate(need_rows):
        line = []
        for i in idx[r]:
            if i < 0:
                break
            helper = arrays.rows[i]
            suggestion = explain(nrow, helper, persons[helper.person_id], waits, now)
            if suggestion is not None:
                line.append(suggestion)
        result.append(line)
    return result


def helpers_for_need(*, need: Need, now: datetime, limit: int = 10) -> list[HelperSuggestion]:
    """The helpers to suggest for a need, best first, each with the reasons in plain Chinese.

    Scoring and who is a candidate: tongxin.matching.scoring. The caller decides who may see the
    suggestions (staff over the need) and whose names (accounts.policies.visible)."""
    return suggestions_for_needs([need], now=now, top_k=limit)[0]


def open_needs_for_batch(user: Any) -> QuerySet[Need]:
    """Accepted needs waiting for a helper in the account's staff scope, oldest first."""
    roots = staff_roots(user)
    return (
        Need.objects.filter(
            subtree_q(roots, field="community__path"),
            status=Status.ACCEPTED,
            assigned_territory__isnull=True,
            assigned_org__isnull=True,
            assigned_unit__isnull=True,
            assigned_person__isnull=True,
        )
        .select_related("category", "community", "person__residence")
        .order_by("-urgent", "accepted_at", "pk")
    )
