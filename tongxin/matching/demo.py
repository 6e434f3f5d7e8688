"""Demo helper profiles: a share of the party members get skills, slots and the communities they
serve, through the real service (so each is validated and audited like one typed on the phone).

    seed_helper_profiles(*, now, seed=0, share=0.3, limit=None) -> int

Called by tongxin.demo for the small tier; returns the number of profiles written."""

import random
from datetime import datetime

from django.db import transaction

from tongxin.core.actor import Actor
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Membership
from tongxin.territory.models import Territory

from .services import helper_profile_save
from .skills import SLOT_CODES

# How often each skill turns up among members (repairs and companionship are common, sign
# language rare).
SKILL_WEIGHTS = {
    "legal": 4, "counselling": 4, "medical": 6, "repair": 14, "companion": 14, "tutoring": 10,
    "haircut": 4, "driving": 8, "digital": 12, "meals": 8, "cleaning": 6, "sign_language": 1,
    "paperwork": 9,
}  # fmt: skip
# Typical weeks: office workers in the evenings and at weekends, retirees on weekday days.
SLOT_PATTERNS = (
    [f"{d}-eve" for d in range(5)] + ["5-am", "5-pm", "6-am", "6-pm"],
    [f"{d}-{p}" for d in range(5) for p in ("am", "pm")],
    ["5-am", "5-pm", "6-am"],
    [f"{d}-am" for d in range(7)],
)


def seed_helper_profiles(
    *, now: datetime, seed: int = 0, share: float = 0.3, limit: int | None = None
) -> int:
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    step = Territory.steplen
    communities = {
        t.path: t
        for t in Territory.objects.filter(level__in=COMMUNITY_LEVELS).only("pk", "path", "level", "name")
    }
    by_street: dict[str, list[Territory]] = {}
    for path, t in communities.items():
        by_street.setdefault(path[: 2 * step], []).append(t)
    members = (
        Membership.objects.filter(person__residence__isnull=False, person__helper_profile__isnull=True)
        .select_related("person__residence")
        .order_by("pk")
    )
    system = Actor.system("demo")
    written = 0
    for membership in members.iterator(chunk_size=500):
        if limit is not None and written >= limit:
            break
        if rng.random() >= share:
            continue
        person = membership.person
        home = communities.get(person.residence.path[: 3 * step])  # type: ignore[union-attr]
        if home is None:
            continue
        served = [home]
        neighbours = [t for t in by_street.get(home.path[: 2 * step], []) if t.pk != home.pk]
        if neighbours and rng.random() < 0.3:
            served.append(rng.choice(neighbours))
        skills = rng.choices(list(SKILL_WEIGHTS), weights=list(SKILL_WEIGHTS.values()))
        while len(skills) < 3 and rng.random() < 0.45:
            extra = rng.choices(list(SKILL_WEIGHTS), weights=list(SKILL_WEIGHTS.values()))[0]
            if extra not in skills:
                skills.append(extra)
        slots = [s for s in rng.choice(SLOT_PATTERNS) if s in SLOT_CODES]
        with transaction.atomic():
            helper_profile_save(
                person=person, skills=skills, slots=slots, communities=served, by=system, now=now
            )
        written += 1
    return written
