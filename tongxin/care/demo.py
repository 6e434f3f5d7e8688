"""Demo care registry for the small tier: about a hundred subjects across the communities, each
registered, assigned and visited through the services at the moments the story happens (the
registration some months ago, the visits on their cadence since), so that every row, event and
audit entry is what the pages would have written. A share of subjects stopped being visited a
while ago: they are overdue today. The demo member (demo_member) visits five people in their own
community, two of them overdue.

    seed_care(*, now, seed=0, scale=1.0) -> {"care subjects": n, "care visits": m, ...}

Children are left out: the generated world has nobody under 14 (a left-behind child would need a
guardian's consent, which the services check)."""

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef

from tongxin.accounts.models import User
from tongxin.core.actor import Actor
from tongxin.core.trees import subtree_q
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory

from .models import Basis, CareSubject, Condition, ConsentBy, Kind, Way
from .services import local_date, subject_register, visit_log, visitor_assign

SUBJECTS = 120  # at scale 1.0
DEMO_MEMBER = "demo_member"
DEMO_MEMBER_SUBJECTS = 5
KIND_WEIGHTS = (
    ([Kind.ELDERLY_ALONE], 55),
    ([Kind.ELDERLY_ALONE, Kind.DISABLED], 10),
    ([Kind.DISABLED], 15),
    ([Kind.HARDSHIP], 12),
    ([Kind.ELDERLY_ALONE, Kind.HARDSHIP], 8),
)
NOTES = (
    "精神不错,家里整洁。",
    "血压有点高,提醒按时吃药。",
    "冰箱里菜不多,下次带点菜。",
    "子女上周来看过。",
    "腿脚不便,楼道扶手松了,已报物业。",
    "聊了半小时家常,心情挺好。",
    "",
    "",
)
SUBJECT_NOTES = ("耳背,敲门要用力。", "子女在外地,每月回来一次。", "行动不便,需上门。", "", "")
WAYS = ([Way.HOME] * 6) + ([Way.PHONE] * 3) + [Way.VIDEO]


def _elderly(person: Person, today: date) -> bool:
    return (today - person.birth_date).days >= 60 * 365


def seed_care(*, now: datetime, seed: int = 0, scale: float = 1.0) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    system = Actor.system("demo")
    today = local_date(now)
    step = Territory.steplen
    communities = list(Territory.objects.filter(level__in=COMMUNITY_LEVELS).order_by("path"))
    if not communities:
        return {}
    is_member = Exists(Membership.objects.filter(person_id=OuterRef("pk")))
    already = CareSubject.objects.filter(active=True).values("person_id")
    total = max(len(communities), round(SUBJECTS * scale))
    per_community = max(1, total // len(communities))

    demo_person = User.objects.filter(username=DEMO_MEMBER).values_list("person_id", flat=True).first()
    home: str | None = None
    if demo_person is not None:
        residence = Person.objects.filter(pk=demo_person).values_list("residence__path", flat=True).first()
        home = residence[: 3 * step] if residence else None

    made = {"care subjects": 0, "care assignments": 0, "care visits": 0}
    for community in communities:
        members = list(
            Person.objects.filter(is_member, subtree_q([community.path], field="residence__path"))
            .exclude(pk=demo_person or 0)
            .order_by("pk")
            .values_list("pk", flat=True)[:40]
        )
        if not members:
            continue
        residents = list(
            Person.objects.filter(~is_member, subtree_q([community.path], field="residence__path"))
            .exclude(pk__in=already)
            .order_by("birth_date", "pk")[: per_community * 6]
        )
        rng.shuffle(residents)
        mine = DEMO_MEMBER_SUBJECTS if community.path == home else 0
        for i, person in enumerate(residents[: max(per_community, mine)]):
            visitors = [demo_person] if i < mine else [rng.choice(members)]
            if rng.random() < 0.15:
                second = rng.choice(members)
                if second not in visitors:
                    visitors.append(second)
            # The demo member's first two are overdue; elsewhere about one in six.
            overdue = (i < 2) if i < mine else rng.random() < 0.17
            _story(person, community, visitors, overdue, rng, system, now, today, made)
    return made


def _story(
    person: Person,
    community: Territory,
    visitors: list[int | None],
    overdue: bool,
    rng: random.Random,
    system: Actor,
    now: datetime,
    today: date,
    made: dict[str, int],
) -> None:
    kinds = rng.choices([k for k, _w in KIND_WEIGHTS], weights=[w for _k, w in KIND_WEIGHTS])[0]
    if Kind.ELDERLY_ALONE in kinds and not _elderly(person, today):
        kinds = [Kind.HARDSHIP] if rng.random() < 0.5 else [Kind.DISABLED]
    registered = now - timedelta(days=rng.randint(40, 200), hours=rng.randint(0, 8))
    legal = Kind.HARDSHIP in kinds and rng.random() < 0.6
    basis: dict[str, object] = (
        {
            "basis": Basis.LEGAL,
            "legal_basis": "民政部门认定",
            "legal_reference": f"民救〔{registered.year}〕{rng.randint(10, 300)}号",
        }
        if legal
        else {"basis": Basis.CONSENT, "consent_by": ConsentBy.SELF, "consent_on": local_date(registered)}
    )
    with transaction.atomic():
        subject = subject_register(
            person=person,
            kinds=kinds,
            community=community,
            place=f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}{rng.randint(0, 2)}{rng.randint(1, 4)}室",
            notes=rng.choice(SUBJECT_NOTES),
            by=system,
            now=registered,
            **basis,  # type: ignore[arg-type]
        )
        made["care subjects"] += 1
        people = Person.objects.in_bulk([v for v in visitors if v is not None])
        for visitor in people.values():
            visitor_assign(subject=subject, visitor=visitor, by=system, now=registered)
            made["care assignments"] += 1
        if not people:
            return
        cadence = subject.cadence_days
        # Visits on the cadence, a little early or late; an overdue subject's visits stop more
        # than a cadence ago.
        stop = now - timedelta(days=cadence + rng.randint(2, 20)) if overdue else now
        at = registered + timedelta(days=cadence * rng.uniform(0.4, 0.9))
        while at < stop:
            visit_log(
                subject=subject,
                visitor=rng.choice(list(people.values())),
                visited_at=at,
                way=rng.choice(WAYS),
                condition=rng.choices(
                    [Condition.GOOD, Condition.ATTENTION, Condition.URGENT], weights=[85, 14, 1]
                )[0],
                notes=rng.choice(NOTES),
                follow_up=rng.random() < 0.08,
                by=system,
                now=at,
            )
            made["care visits"] += 1
            at += timedelta(days=cadence * rng.uniform(0.6, 0.95), hours=rng.randint(-3, 3))
