"""The demo needs as plans: who submitted what, where and when, and every later step of its life
(accept or return, dispatch or claim, bounce, start, resolve, rate, reopen, archive, withdraw,
merge, consent), each at its own moment. The same plan is written by the services
(needs_services.py, step by step with `now` moving forward and the deadline clock ticking) or by
the bulk path (needs_bulk.py, rows computed directly); tests/test_needs_bulk.py shows both give
the same rows.

A plan knows its actors by role ("street" staff, "community" staff, the "claimer" member, the
"resident"); the cast (one set of accounts per street) turns a role into an account. Lives are
drawn whole and then cut at `now`: a recent need stops wherever its life had got to, which is
how the open states arise, as they do in a real queue."""

from __future__ import annotations

import heapq
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from django.db.models import Exists, OuterRef

from tongxin.core.trees import subtree_q
from tongxin.needs.categories import SENSITIVE_CATEGORIES
from tongxin.needs.models import Channel
from tongxin.needs.models import EventKind as K
from tongxin.needs.models import Status as S
from tongxin.needs.transitions import OPEN, target_of
from tongxin.orgs.models import Organization, OrgKind
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from . import need_words as words
from .needs_cast import COMMUNITY_LEVELS, STREET_LEVELS, Cast

CORPUS = Path(__file__).resolve().parents[1] / "insight" / "corpus" / "needs.jsonl"
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# The deadline clock's ticks in the demo: twice a working day, local time (09:00 and 15:00).
TICK_HOURS = (1, 7)  # UTC hours of 09:00 and 15:00 in Asia/Shanghai
# How many needs a district receives a year (DESIGN.md §9), and the small tier's demo.
PER_DISTRICT_YEAR = 450_000
DEFAULT_COUNTS = {"tiny": 0, "small": 300, "district": PER_DISTRICT_YEAR, "city": PER_DISTRICT_YEAR * 20}
DEFAULT_DAYS = {"tiny": 60, "small": 183, "district": 365, "city": 365}
PERSONS_PER_COMMUNITY = 400  # residents sampled per community to be the askers


@dataclass(slots=True)
class Step:
    kind: str
    at: datetime
    actor: str  # "street" | "community" | "claimer" | "resident" (the cast's roles)
    note: str = ""  # a reason, a result or a comment
    target: tuple[str, int] | None = None  # dispatch: ("territory" | "org" | "unit" | "person", pk)
    rating: int | None = None
    merge_into: NeedPlan | None = None  # the need merged into (planned earlier)


@dataclass(slots=True)
class NeedPlan:
    index: int
    street_id: int
    community_id: int
    category: str
    urgent: bool
    text: str
    place: str
    private: bool
    channel: str
    submitter: str  # "street" (entered on someone's behalf) | "resident" (the demo resident)
    person_id: int | None
    caller_name: str
    caller_phone: str
    tags: list[str]
    submitted_at: datetime
    steps: list[Step] = field(default_factory=list)

    def status_at(self, moment: datetime) -> str:
        status: str = S.SUBMITTED
        for step in self.steps:
            if step.at > moment:
                break
            status = target_of(step.kind, status)
        return status


# --- what the plans draw on -------------------------------------------------------------------


@dataclass
class Place:
    """A community and what a need there can be dispatched to."""

    pk: int
    street_id: int
    branches: list[int]
    units: list[int]
    members: list[int]
    residents: list[int]


def load_places(cast: Cast) -> list[Place]:
    places = []
    street_of = {}
    for street in Territory.objects.filter(level__in=STREET_LEVELS, pk__in=list(cast.streets)):
        for pk in Territory.objects.filter(subtree_q([street.path]), level__in=COMMUNITY_LEVELS).values_list(
            "pk", flat=True
        ):
            street_of[pk] = street.pk
    communities = Territory.objects.filter(pk__in=list(street_of)).order_by("path")
    has_units = Exists(Organization.units.through.objects.filter(organization_id=OuterRef("pk")))
    branches: dict[int, list[int]] = defaultdict(list)
    for org_id, territory_id in (
        Organization.objects.filter(
            ~has_units, kind=OrgKind.BRANCH, is_external=False, territory_id__in=list(street_of)
        )
        .order_by("path")
        .values_list("pk", "territory_id")
    ):
        branches[territory_id].append(org_id)
    units: dict[int, list[int]] = defaultdict(list)
    for unit_id, territory_id in (
        Unit.objects.filter(territory_id__in=list(street_of)).order_by("pk").values_list("pk", "territory_id")
    ):
        units[territory_id].append(unit_id)
    is_member = Exists(Membership.objects.filter(person_id=OuterRef("pk")))
    # The claiming members never ask themselves: nobody may claim their own need.
    claimers = [s.claimer.person_id for s in cast.streets.values() if s.claimer and s.claimer.person_id]
    for community in communities:
        in_community = (
            Person.objects.filter(subtree_q([community.path], field="residence__path"))
            .exclude(pk__in=claimers)
            .order_by("pk")
        )
        places.append(
            Place(
                pk=community.pk,
                street_id=street_of[community.pk],
                branches=branches[community.pk],
                units=units[community.pk],
                members=list(in_community.filter(is_member).values_list("pk", flat=True)[:50]),
                residents=list(in_community.values_list("pk", flat=True)[:PERSONS_PER_COMMUNITY]),
            )
        )
    return places


def load_corpus() -> dict[str, list[tuple[str, bool]]]:
    by_category: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            text = row["text"].strip()
            if 2 <= len(text) <= 1000:
                by_category[row["category"]].append((text, bool(row["urgent"])))
    return by_category


# --- the plans --------------------------------------------------------------------------------


class Planner:
    def __init__(self, *, cast: Cast, places: list[Place], seed: int, now: datetime) -> None:
        self.cast, self.places, self.now = cast, places, now
        self.rng = Random(f"{seed}:needs")
        self.corpus = load_corpus()
        self.categories = list(words.CATEGORY_WEIGHTS)
        self.category_weights = list(words.CATEGORY_WEIGHTS.values())
        self.recent: dict[int, list[NeedPlan]] = defaultdict(list)  # per community, for merges

    def texts(self) -> list[str]:
        """Every text a plan may carry (the corpus), for the bulk path to classify at once."""
        return [text for rows in self.corpus.values() for text, _urgent in rows]

    def iter_plans(self, *, count: int, days: int) -> Iterator[NeedPlan]:
        """The plans in order of submission, numbered from 0, drawn as they are taken (a district's
        year does not fit in memory as objects)."""
        if not self.places or count <= 0:
            return
        rng = self.rng
        start = self.now - days * DAY
        span = (self.now - HOUR - start).total_seconds()
        moments = sorted(self._daytime(start + timedelta(seconds=rng.random() * span)) for _ in range(count))
        from .needs_featured import featured_plans  # the featured plans build on this module

        featured = sorted(featured_plans(self), key=lambda p: p.submitted_at)
        drawn = (self._plan(moment) for moment in moments)
        for index, plan in enumerate(heapq.merge(drawn, featured, key=lambda p: p.submitted_at)):
            plan.index = index
            yield plan

    def _daytime(self, moment: datetime) -> datetime:
        """Most needs arrive in the day: a night moment moves to the next morning. Seconds are never
        0, so no step coincides with a clock tick."""
        local_hour = (moment.hour + 8) % 24
        if local_hour < 7:
            moment += timedelta(hours=7 - local_hour)
        return moment.replace(second=max(moment.second, 1), microsecond=0)

    def _plan(self, moment: datetime, *, place: Place | None = None, submitter: str = "") -> NeedPlan:
        rng = self.rng
        place = place or rng.choice(self.places)
        category = rng.choices(self.categories, self.category_weights)[0]
        text, urgent = rng.choice(self.corpus[category])
        resident = (
            not submitter
            and self.cast.resident is not None
            and place.pk == self.cast.resident_community_id
            and rng.random() < 0.15
        ) or submitter == "resident"
        person_id = None
        caller_name = caller_phone = ""
        if resident:
            person_id = self.cast.resident.person_id if self.cast.resident else None
        elif place.residents and rng.random() < 0.85:
            person_id = rng.choice(place.residents)
        else:
            caller_name = rng.choice(words.CALLER_NAMES)
            caller_phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        plan = NeedPlan(
            index=-1,
            street_id=place.street_id,
            community_id=place.pk,
            category=category,
            urgent=urgent,
            text=text,
            place=f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元" if rng.random() < 0.6 else "",
            private=rng.random() < (0.3 if category in SENSITIVE_CATEGORIES else 0.05),
            channel=Channel.MOBILE if resident else rng.choice((Channel.STAFF, Channel.STAFF, Channel.API)),
            submitter="resident" if resident else "street",
            person_id=person_id,
            caller_name=caller_name,
            caller_phone=caller_phone,
            tags=["急"]
            if urgent
            else ([rng.choice(("难", "愁", "怨", "盼", "忧"))] if rng.random() < 0.3 else []),
            submitted_at=moment,
        )
        if not submitter:
            plan.steps = [s for s in self._life(plan, place) if s.at < self.now]
            self.recent[place.pk] = [*self.recent[place.pk][-30:], plan]
        return plan

    def _hours(self, low: float, high: float) -> timedelta:
        return timedelta(seconds=int(self.rng.uniform(low, high) * 3600) + 1)

    def _answer_delay(self, urgent: bool) -> timedelta:
        r = self.rng.random()
        if urgent:
            return self._hours(0.05, 1) if r < 0.9 else self._hours(1, 8)
        if r < 0.8:
            return self._hours(0.2, 6)
        return self._hours(6, 30) if r < 0.95 else self._hours(30, 160)

    def _handling_delay(self, urgent: bool) -> timedelta:
        r = self.rng.random()
        if urgent:
            return self._hours(0.5, 6) if r < 0.85 else self._hours(6, 72)
        if r < 0.7:
            return self._hours(4, 72)
        return self._hours(72, 240) if r < 0.9 else self._hours(240, 720)

    def _life(self, plan: NeedPlan, place: Place) -> list[Step]:
        rng, steps = self.rng, []
        t = plan.submitted_at
        fate = rng.random()
        answer = t + self._answer_delay(plan.urgent)
        if fate < 0.06:  # 退回
            steps.append(Step(K.RETURN, answer, "street", note=rng.choice(words.RETURN_REASONS)))
            if rng.random() < 0.5:
                steps.append(Step(K.ARCHIVE, answer + self._hours(24, 240), "street"))
            return steps
        if fate < 0.075:  # withdrawn before anyone answered
            steps.append(
                Step(
                    K.WITHDRAW,
                    t + self._hours(0.1, 3),
                    plan.submitter,
                    note=rng.choice(words.WITHDRAW_REASONS),
                )
            )
            return steps
        steps.append(Step(K.ACCEPT, answer, "street"))
        t = answer
        if fate < 0.10:  # merged into an open need about the same thing
            moment = t + self._hours(0.2, 12)
            target = self._merge_target(plan, moment)
            if target is not None:
                # A duplicate: another resident reporting the same problem, in their own words.
                plan.category, plan.urgent, plan.private = target.category, target.urgent, target.private
                plan.text = self.rng.choice(self.corpus[target.category])[0]
                steps.append(Step(K.MERGE, moment, "street", merge_into=target))
                return steps
        if fate < 0.12:  # withdrawn while being handled
            steps.append(
                Step(
                    K.WITHDRAW,
                    t + self._hours(1, 48),
                    plan.submitter,
                    note=rng.choice(words.WITHDRAW_REASONS),
                )
            )
            return steps
        rounds = 0
        while True:
            rounds += 1
            t = self._handle(plan, place, steps, t)
            resolved = t + self._handling_delay(plan.urgent)
            handler = steps[-1].actor if steps[-1].kind in (K.CLAIM, K.START) else "street"
            steps.append(
                Step(K.RESOLVE, resolved, handler, note=rng.choice(words.RESOLUTIONS[plan.category]))
            )
            if rng.random() < 0.12:
                return steps  # the resident was never reached for a rating
            visited = resolved + self._hours(2, 72)
            rating = (
                rng.choices((1, 2, 3, 4, 5), (4, 6, 12, 30, 48))[0] if rounds == 1 else rng.choice((3, 4, 5))
            )
            rater = "resident" if plan.submitter == "resident" else "street"
            steps.append(
                Step(K.VISIT, visited, rater, note=rng.choice(words.COMMENTS[rating]), rating=rating)
            )
            if plan.submitter == "resident" and rating >= 4 and rng.random() < 0.5:
                steps.append(Step(K.CONSENT, visited + self._hours(0.01, 0.2), "resident"))
            if rating <= 2 and rounds == 1 and rng.random() < 0.6:
                t = visited + self._hours(1, 48)
                steps.append(Step(K.REOPEN, t, rater, note=rng.choice(words.REOPEN_REASONS)))
                continue
            if rng.random() < 0.7:
                steps.append(Step(K.ARCHIVE, visited + self._hours(24, 240), "street"))
            return steps

    def _handle(self, plan: NeedPlan, place: Place, steps: list[Step], t: datetime) -> datetime:
        """From 已受理 to 办理中: a claim by a member, or a dispatch (perhaps bounced once)."""
        rng = self.rng
        cast = self.cast.streets[plan.street_id]
        claimable = (
            cast.claimer is not None
            and not plan.private
            and plan.category not in SENSITIVE_CATEGORIES
            and place.pk in cast.claim_communities
        )
        t += self._hours(0.1, 8)
        if claimable and rng.random() < 0.4:
            steps.append(Step(K.CLAIM, t, "claimer"))
            t += self._hours(0.5, 24)
            steps.append(Step(K.START, t, "claimer"))
            return t
        bounce_here = place.pk in cast.claim_communities or self._is_first_community(place)
        r = rng.random()
        if bounce_here and r < 0.15:
            # The street sends it to the community, which bounces it: a matter for the street.
            steps.append(Step(K.DISPATCH, t, "street", target=("territory", place.pk)))
            t += self._hours(1, 24)
            steps.append(Step(K.BOUNCE, t, "community", note=rng.choice(words.BOUNCE_REASONS)))
            t += self._hours(1, 24)
            r = rng.uniform(0.35, 1)  # dispatched elsewhere this time
        target = self._target(place, r)
        steps.append(Step(K.DISPATCH, t, "street", target=target))
        t += self._hours(0.5, 24)
        if (
            target[0] == "org"
            and cast.claimer is not None
            and target[1] == cast.claimer_org_id
            and rng.random() < 0.5
        ):
            steps.append(Step(K.CLAIM, t, "claimer"))
            t += self._hours(0.5, 12)
            steps.append(Step(K.START, t, "claimer"))
            return t
        steps.append(Step(K.START, t, "street"))
        return t

    def _is_first_community(self, place: Place) -> bool:
        first = next((p for p in self.places if p.street_id == place.street_id), None)
        return first is not None and first.pk == place.pk

    def _target(self, place: Place, r: float) -> tuple[str, int]:
        rng = self.rng
        if r < 0.35 or not (place.branches or place.units or place.members):
            return ("territory", place.pk)
        if r < 0.65 and place.branches:
            return ("org", rng.choice(place.branches))
        if r < 0.85 and place.units:
            return ("unit", rng.choice(place.units))
        if place.members:
            return ("person", rng.choice(place.members))
        return ("territory", place.pk)

    def _merge_target(self, plan: NeedPlan, moment: datetime) -> NeedPlan | None:
        candidates = [
            p
            for p in self.recent[plan.community_id]
            if p.submitted_at < plan.submitted_at and p.status_at(moment) in OPEN
        ]
        return candidates[-1] if candidates else None


def first_tick_after(moment: datetime) -> datetime:
    """The clock's next tick strictly after `moment` (09:00 or 15:00 Shanghai, every day)."""
    day = moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    for offset in range(3):
        base = day.replace(hour=0) + offset * DAY
        for hour in TICK_HOURS:
            tick = base.replace(hour=hour)
            if tick > moment:
                return tick
    raise AssertionError("unreachable")


def ticks_between(start: datetime, end: datetime) -> list[datetime]:
    ticks, tick = [], first_tick_after(start)
    while tick < end:
        ticks.append(tick)
        tick = first_tick_after(tick)
    return ticks
