"""Demo volunteers and teams, through the services (each registration validated and audited as if
typed on the phone or entered from a paper form).

    seed_volunteers(*, now, seed=0, scale=1.0) -> dict[str, int]

About a quarter of the party members living in the district and some residents register; every
community gets a team, and so do some units and branches. The demo member and the demo resident
are registered and in their community's team, so their phone pages have something to show."""

import random
from datetime import datetime, timedelta

from django.db import transaction

from tongxin.core.actor import Actor
from tongxin.matching.models import HelperProfile
from tongxin.matching.skills import SLOT_CODES
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.orgs.models import Organization, OrgKind
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .models import Team, TeamMember, Volunteer, VolunteerStatus
from .services import team_create, team_member_add, volunteer_register

MEMBER_SHARE = 0.25
MEMBER_CAP = 2000  # at scale 1: a district's quarter would be ~10,000 one-by-one registrations
RESIDENTS = 200  # at scale 1
UNIT_TEAMS = 8
BRANCH_TEAMS = 8
DEMO_PEOPLE = ("demo_member", "demo_resident")
SKILL_WEIGHTS = {
    "legal": 3, "counselling": 3, "medical": 5, "repair": 12, "companion": 16, "tutoring": 10,
    "haircut": 4, "driving": 6, "digital": 12, "meals": 10, "cleaning": 9, "sign_language": 1,
    "paperwork": 6,
}  # fmt: skip
SLOT_PATTERNS = (
    [f"{d}-eve" for d in range(5)] + ["5-am", "5-pm", "6-am", "6-pm"],
    [f"{d}-{p}" for d in range(5) for p in ("am", "pm")],
    ["5-am", "5-pm", "6-am"],
    [f"{d}-am" for d in range(7)],
)


def _skills(rng: random.Random) -> list[str]:
    names, weights = list(SKILL_WEIGHTS), list(SKILL_WEIGHTS.values())
    skills = rng.choices(names, weights=weights)
    while len(skills) < 3 and rng.random() < 0.5:
        extra = rng.choices(names, weights=weights)[0]
        if extra not in skills:
            skills.append(extra)
    return skills


def _demo_persons() -> list[Person]:
    from tongxin.accounts.models import User

    ids = User.objects.filter(username__in=DEMO_PEOPLE, person__isnull=False).values_list(
        "person_id", flat=True
    )
    return list(Person.objects.filter(pk__in=list(ids)).select_related("residence"))


def seed_volunteers(*, now: datetime, seed: int = 0, scale: float = 1.0) -> dict[str, int]:
    rng = random.Random(seed + 5)  # noqa: S311 - demo data, not secrets
    step = Territory.steplen
    system = Actor.system("demo")
    communities = {t.path: t for t in Territory.objects.filter(level__in=COMMUNITY_LEVELS)}
    profiles = {p.person_id: p for p in HelperProfile.objects.prefetch_related("communities")}

    def register(person: Person, when: datetime) -> Volunteer | None:
        if person.residence is None:
            return None
        home = communities.get(person.residence.path[: 3 * step])
        if home is None:
            return None
        profile = profiles.get(person.pk)
        if profile is not None and profile.skills and profile.slots:
            skills, slots = profile.skills, profile.slots
            served = list(profile.communities.all()) or [home]
        else:
            skills, slots, served = (
                _skills(rng),
                [s for s in rng.choice(SLOT_PATTERNS) if s in SLOT_CODES],
                [home],
            )
        with transaction.atomic():
            return volunteer_register(
                person=person,
                skills=skills,
                slots=slots,
                communities=served,
                consent=True,
                by=system,
                now=when,
            )

    registered = 0
    # Registrations spread over the past two years, oldest first, so codes count up with time.
    members = list(
        Membership.objects.filter(person__residence__isnull=False, person__volunteer__isnull=True)
        .select_related("person__residence")
        .order_by("pk")
    )
    chosen = [m.person for m in members if rng.random() < MEMBER_SHARE * scale][: int(MEMBER_CAP * scale)]
    # Every twentieth resident (no party member) up to RESIDENTS: spread over the district.
    residents = list(
        Person.objects.filter(residence__isnull=False, membership__isnull=True, volunteer__isnull=True)
        .select_related("residence")
        .order_by("pk")[: int(RESIDENTS * scale) * 20 : 20]
    )
    people = _demo_persons() + chosen + residents
    seen: set[int] = set()
    for i, person in enumerate(people):
        if person.pk in seen:
            continue
        seen.add(person.pk)
        when = now - timedelta(days=730) + timedelta(days=730 * i // max(1, len(people)))
        if register(person, when) is not None:
            registered += 1

    teams, joined = _seed_teams(rng=rng, now=now, system=system)
    return {"volunteers": registered, "teams": teams, "team members": joined}


def _seed_teams(*, rng: random.Random, now: datetime, system: Actor) -> tuple[int, int]:
    step = Territory.steplen
    active = list(
        Volunteer.objects.filter(status=VolunteerStatus.ACTIVE)
        .select_related("person__residence")
        .order_by("pk")
    )
    by_community: dict[str, list[Volunteer]] = {}
    for v in active:
        if v.person.residence is not None:
            by_community.setdefault(v.person.residence.path[: 3 * step], []).append(v)
    demo_ids = {p.pk for p in _demo_persons()}
    teams = joined = 0
    founded = now - timedelta(days=400)

    def make(name: str, owner: object, pool: list[Volunteer], size: int) -> None:
        nonlocal teams, joined
        if not pool or Team.objects.filter(name=name).exists():
            return
        leader = next((v for v in pool if v.person_id not in demo_ids), pool[0])
        team = team_create(name=name, owner=owner, leader=leader, by=system, now=founded)  # type: ignore[arg-type]
        teams += 1
        joined += 1
        picks = [v for v in pool if v.person_id in demo_ids]
        others = [v for v in pool if v.pk != leader.pk and v.person_id not in demo_ids]
        picks += rng.sample(others, min(size, len(others)))
        for v in picks:
            if (
                v.pk == leader.pk
                or TeamMember.objects.filter(team=team, volunteer=v, left_on__isnull=True).exists()
            ):
                continue
            team_member_add(
                team=team, volunteer=v, by=system, now=founded + timedelta(days=rng.randint(0, 300))
            )
            joined += 1

    for community in Territory.objects.filter(level__in=COMMUNITY_LEVELS).order_by("path"):
        make(
            f"{community.name}志愿服务队", community, by_community.get(community.path, []), rng.randint(8, 20)
        )
    for unit in (
        Unit.objects.filter(territory__isnull=False).select_related("territory").order_by("pk")[:UNIT_TEAMS]
    ):
        pool = by_community.get(unit.territory.path[: 3 * step], [])  # type: ignore[union-attr]
        make(f"{unit.name}志愿服务队", unit, pool, rng.randint(4, 10))
    branches = Organization.objects.filter(kind=OrgKind.BRANCH, is_external=False).order_by("path")[
        :BRANCH_TEAMS
    ]
    branch_of = dict(
        Membership.objects.filter(person__volunteer__status=VolunteerStatus.ACTIVE).values_list(
            "person_id", "organization_id"
        )
    )
    for branch in branches:
        pool = [v for v in active if branch_of.get(v.person_id) == branch.pk]
        make(f"{branch.name}党员先锋队", branch, pool, rng.randint(4, 12))
    return teams, joined
