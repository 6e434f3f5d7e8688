"""A few recent needs in the demo accounts' street that wait on them, whatever the random lives
gave: needs to accept or return (demo_community, demo_street), one the community is handling, to
claim (demo_member), to rate and one with a public story (demo_resident), one overdue that the
clock urges and escalates, and a duplicate merged into it."""

from __future__ import annotations

from datetime import timedelta
from random import Random
from typing import TYPE_CHECKING, Any

from tongxin.needs.models import EventKind as K

from .needs_plan import DAY, NeedPlan, Step

if TYPE_CHECKING:
    from .needs_plan import Planner


def featured_plans(self: Planner) -> list[NeedPlan]:
    """A few recent needs in the demo street that wait on the demo accounts: to accept or
    return (demo_community, demo_street), to claim (demo_member), to rate (demo_resident), and
    one overdue."""
    demo_place = next((p for p in self.places if p.pk == self.cast.resident_community_id), None)
    if demo_place is None:
        return []
    recent = self.now - 3 * DAY
    plans: list[NeedPlan] = []

    def add(
        steps: list[tuple[str, float, str, dict[str, Any]]],
        *,
        submitter: str = "street",
        open_claim: bool = False,
    ) -> None:
        plan = self._plan(self._daytime(recent + self._hours(0, 40)), place=demo_place, submitter=submitter)
        if open_claim:
            plan.category, plan.private = "property", False
            plan.text = _text(self.corpus, "property", self.rng)
            plan.urgent = False
        t = plan.submitted_at
        for kind, hours, actor, extra in steps:
            t += timedelta(hours=hours, seconds=7)
            plan.steps.append(Step(kind, t, actor, **extra))
        plans.append(plan)

    for _ in range(3):
        add([])  # 待受理
    for _ in range(2):
        add([(K.ACCEPT, 1, "street", {})], open_claim=True)  # to claim
    # Dispatched to the community (demo_community's own), which has started on it.
    add(
        [
            (K.ACCEPT, 1, "street", {}),
            (K.DISPATCH, 1, "street", {"target": ("territory", demo_place.pk)}),
            (K.START, 2, "community", {}),
        ]
    )
    cast = self.cast.streets[demo_place.street_id]
    if cast.claimer is not None and demo_place.pk in cast.claim_communities:
        # claimed by demo_member, who has yet to start on it
        add([(K.ACCEPT, 1, "street", {}), (K.CLAIM, 2, "claimer", {})], open_claim=True)
    if cast.claimer_org_id is not None:
        add(
            [
                (K.ACCEPT, 1, "street", {}),
                (K.DISPATCH, 1, "street", {"target": ("org", cast.claimer_org_id)}),
            ],
            open_claim=True,
        )
    if self.cast.unit_contact_unit_id is not None and self.cast.unit_contact_unit_id in demo_place.units:
        add(
            [
                (K.ACCEPT, 1, "street", {}),
                (K.DISPATCH, 1, "street", {"target": ("unit", self.cast.unit_contact_unit_id)}),
            ]
        )
    if self.cast.resident is not None:
        add([], submitter="resident")
        add(
            [
                (K.ACCEPT, 0.5, "street", {}),
                (K.DISPATCH, 1, "street", {"target": ("territory", demo_place.pk)}),
                (K.START, 2, "street", {}),
            ],
            submitter="resident",
        )
        add(
            [
                (K.ACCEPT, 0.5, "street", {}),
                (K.DISPATCH, 1, "street", {"target": ("territory", demo_place.pk)}),
                (K.START, 2, "street", {}),
                (K.RESOLVE, 20, "street", {"note": "已督促物业维修,问题已解决。"}),
            ],
            submitter="resident",
            open_claim=True,
        )
        # Rated 5 and the resident agreed to a public story (the community's public page).
        add(
            [
                (K.ACCEPT, 0.5, "street", {}),
                (K.DISPATCH, 1, "street", {"target": ("territory", demo_place.pk)}),
                (K.START, 2, "street", {}),
                (
                    K.RESOLVE,
                    6,
                    "street",
                    {"note": "社区联系物业当天修好了楼道灯,王阿姨说晚上下楼再也不怕了。"},
                ),
                (K.VISIT, 3, "resident", {"rating": 5, "note": "谢谢社区,很及时!"}),
                (K.CONSENT, 0.1, "resident", {}),
            ],
            submitter="resident",
            open_claim=True,
        )
    # Overdue: accepted ten days ago and dispatched, still not done (the clock urges and escalates).
    late = self._plan(self._daytime(self.now - 10 * DAY), place=demo_place, submitter="street")
    late.category, late.urgent, late.private = "facility", False, False
    late.text = _text(self.corpus, "facility", self.rng)
    late.steps = [
        Step(K.ACCEPT, late.submitted_at + timedelta(hours=2, seconds=3), "street"),
        Step(
            K.DISPATCH,
            late.submitted_at + timedelta(hours=3, seconds=3),
            "street",
            target=("territory", demo_place.pk),
        ),
    ]
    plans.append(late)
    # A second report of the same problem, merged into the overdue one.
    duplicate = self._plan(self._daytime(recent + self._hours(0, 40)), place=demo_place, submitter="street")
    duplicate.category, duplicate.urgent, duplicate.private = late.category, False, False
    duplicate.text = _text(self.corpus, "facility", self.rng)
    duplicate.steps = [
        Step(K.ACCEPT, duplicate.submitted_at + timedelta(hours=1, seconds=5), "street"),
        Step(K.MERGE, duplicate.submitted_at + timedelta(hours=2, seconds=5), "street", merge_into=late),
    ]
    plans.append(duplicate)
    return plans


def _text(corpus: dict[str, list[tuple[str, bool]]], category: str, rng: Random) -> str:
    non_urgent = [text for text, urgent in corpus[category] if not urgent]
    return rng.choice(non_urgent)
