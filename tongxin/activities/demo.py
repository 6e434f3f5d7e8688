"""Demo activities, through the services, acted out on their own timeline: each past activity is
created and published a week before its slot, people sign up over the following days, check in
and out at the venue (a few never come, a few forget to check out), the organiser confirms the
roster and the activity is finished; the hours become service records (and ledger postings) as
they would. Upcoming activities have sign-ups and one a waiting list.

    seed_activities(*, now, seed=0, scale=1.0) -> dict[str, int]

The demo member's community comes first: she subscribes to three categories there, took part in
two past activities, is signed up to one upcoming activity, and has another with free places to
sign up to herself (no skills or age limits)."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongxin.core.actor import Actor
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit
from tongxin.volunteers.models import Team, Volunteer, VolunteerStatus

from .models import Activity, SignUp, SignUpStatus
from .services import (
    ActivityData,
    ActivityError,
    SlotData,
    activity_create,
    activity_finish,
    activity_publish,
    signup_check_in,
    signup_check_out,
    signup_create,
    slot_confirm,
    subscription_save,
)

DEMO_MEMBER = "demo_member"
COMMUNITIES = 6  # at scale 1, the demo member's street first
PAST_PER_COMMUNITY = 4
UPCOMING_PER_COMMUNITY = 2
POOL = 40

# (category, title, venue, description, skills)
CATALOGUE: tuple[tuple[str, str, str, str, list[str]], ...] = (
    ("elderly", "敬老院陪伴老人", "敬老院", "陪老人聊天、读报,协助午餐。", []),
    ("elderly", "为独居老人上门理发", "社区党群服务中心", "志愿者上门为行动不便的老人理发。", ["haircut"]),
    ("elderly", "教老年人用智能手机", "社区老年活动室", "教老人扫码、视频通话、网上挂号。", ["digital"]),
    ("environment", "河道沿线垃圾清理", "滨江步道", "沿河捡拾垃圾,宣传垃圾分类。", []),
    ("environment", "垃圾分类定时定点值守", "小区垃圾投放点", "早晚投放时段在投放点引导居民分类。", []),
    ("civility", "文明交通劝导", "路口岗亭", "在路口劝导行人和非机动车遵守信号灯。", []),
    ("children", "“四点半课堂”作业辅导", "社区少儿活动室", "放学后陪伴孩子完成作业。", ["tutoring"]),
    ("health", "社区健康义诊", "社区卫生服务站", "量血压、测血糖、健康咨询。", ["medical"]),
    ("governance", "楼道堆物清理", "小区楼道", "协助物业清理楼道堆放物,消除消防隐患。", []),
    ("culture", "社区文艺汇演服务", "社区文化广场", "引导座位、维持秩序、搬运器材。", []),
    (
        "disability",
        "陪同残障人士就医",
        "区中心医院",
        "陪同行动不便的残障居民就医、取药。",
        ["companion", "driving"],
    ),
    ("emergency", "防汛应急演练", "社区广场", "参与防汛物资搬运和疏散演练。", []),
)
SUBSCRIBED = ["elderly", "environment", "civility"]


@dataclass
class Counts:
    activities: int = 0
    slots: int = 0
    signups: int = 0
    records: int = 0
    subscriptions: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "activities": self.activities,
            "activity slots": self.slots,
            "activity sign-ups": self.signups,
            "activity service records": self.records,
            "activity subscriptions": self.subscriptions,
        }


def _at(day: datetime, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localtime(day).date(), time(hour, 0)))


def _demo_member() -> Person | None:
    from tongxin.accounts.models import User

    user = (
        User.objects.filter(username=DEMO_MEMBER, person__isnull=False)
        .select_related("person__residence")
        .first()
    )
    return user.person if user else None


def _communities(member: Person | None, count: int) -> list[Territory]:
    step = Territory.steplen
    all_ = list(Territory.objects.filter(level__in=COMMUNITY_LEVELS).order_by("path"))
    home = member.residence.path[: 3 * step] if member and member.residence else ""
    street = home[: 2 * step]
    ranked = sorted(all_, key=lambda t: (t.path != home, not t.path.startswith(street or "~"), t.path))
    return ranked[:count]


def _pool(community: Territory, member: Person | None) -> list[Person]:
    """Active volunteers and party members living in the community."""
    near = {"person__residence__path__startswith": community.path}
    volunteers = Volunteer.objects.filter(status=VolunteerStatus.ACTIVE, **near).values_list(
        "person_id", flat=True
    )
    members = Membership.objects.filter(**near).values_list("person_id", flat=True)
    ids = list(dict.fromkeys([*volunteers[:POOL], *members[:POOL]]))[:POOL]
    people = list(Person.objects.filter(pk__in=ids).order_by("pk"))
    if member is not None:
        people = [p for p in people if p.pk != member.pk]
    return people


def _organisers(community: Territory) -> list[Any]:
    found: list[Any] = [community]
    team = Team.objects.filter(territory=community).order_by("pk").first()
    if team is not None:
        found.append(team)
    unit = Unit.objects.filter(territory__path__startswith=community.path).order_by("pk").first()
    if unit is not None:
        found.append(unit)
    return found


def _create(
    *,
    organiser: Any,
    community: Territory,
    item: tuple[str, str, str, str, list[str]],
    start: datetime,
    hours: int,
    capacity: int,
    published_at: datetime,
    by: Actor,
    counts: Counts,
) -> Activity:
    category, title, venue, description, skills = item
    activity = activity_create(
        organiser=organiser,
        data=ActivityData(
            title=title,
            category=category,
            community=community,
            venue=f"{community.name}{venue[2:]}" if venue.startswith("社区") else venue,
            description=description,
            skills=list(skills),
        ),
        slots=[SlotData(starts_at=start, ends_at=start + timedelta(hours=hours), capacity=capacity)],
        by=by,
        now=published_at,
    )
    activity_publish(activity=activity, by=by, now=published_at)
    counts.activities += 1
    counts.slots += 1
    return activity


def _sign_up(slot: Any, person: Person, *, by: Actor, now: datetime, counts: Counts) -> SignUp | None:
    try:
        signup = signup_create(slot=slot, person=person, by=by, now=now)
    except ActivityError:  # not eligible (skills, age) or already on the list
        return None
    counts.signups += 1
    return signup


def _take_place(
    activity: Activity,
    *,
    rng: random.Random,
    by: Actor,
    counts: Counts,
    reliable: frozenset[int] = frozenset(),
) -> None:
    """The slot happens: check-ins and check-outs, the roster confirmed, the activity finished."""
    slot = activity.slots.get()
    for signup in SignUp.objects.filter(slot=slot, status=SignUpStatus.CONFIRMED).order_by("pk"):
        fate = 1.0 if signup.person_id in reliable else rng.random()
        if fate < 0.1:
            continue  # never came: marked absent when the roster is confirmed
        arrive = slot.starts_at + timedelta(minutes=rng.randint(-20, 15))
        signup_check_in(signup=signup, by=by, now=arrive)
        if fate < 0.15:
            continue  # forgot to check out: the roster's confirmation checks her out at the end
        leave = slot.ends_at + timedelta(minutes=rng.randint(-30, 20))
        done = signup_check_out(signup=signup, by=by, now=max(leave, arrive + timedelta(minutes=10)))
        counts.records += done.record_id is not None
    confirmed = slot_confirm(slot=slot, by=by, now=slot.ends_at + timedelta(hours=2))
    counts.records += confirmed["recorded"]
    activity_finish(activity=activity, by=by, now=slot.ends_at + timedelta(hours=3))


def seed_activities(*, now: datetime, seed: int = 0, scale: float = 1.0) -> dict[str, int]:
    rng = random.Random(seed + 11)  # noqa: S311 - demo data, not secrets
    by = Actor.system("demo")
    counts = Counts()
    member = _demo_member()
    communities = _communities(member, max(1, round(COMMUNITIES * scale)))
    for index, community in enumerate(communities):
        home = index == 0
        pool = _pool(community, member)
        organisers = _organisers(community)
        with transaction.atomic():
            # Past activities, oldest first.
            for n in range(max(1, round(PAST_PER_COMMUNITY * scale))):
                item = CATALOGUE[(index * 5 + n) % len(CATALOGUE)]
                if home and n < 2:
                    item = CATALOGUE[(0, 3)[n]]  # the demo member takes part: no skills needed
                day = now - timedelta(days=rng.randint(3, 90))
                start = _at(day, rng.choice((9, 14)))
                published = start - timedelta(days=7)
                activity = _create(
                    organiser=organisers[n % len(organisers)], community=community, item=item, start=start,
                    hours=rng.choice((2, 3)), capacity=rng.randint(6, 12), published_at=published, by=by,
                    counts=counts,
                )  # fmt: skip
                slot = activity.slots.get()
                people = rng.sample(pool, min(len(pool), rng.randint(4, 10)))
                if home and member is not None and n < 2:
                    people.insert(0, member)
                for i, person in enumerate(people):
                    _sign_up(slot, person, by=by, now=published + timedelta(hours=2 + 3 * i), counts=counts)
                reliable = frozenset({member.pk}) if member is not None else frozenset()
                _take_place(activity, rng=rng, by=by, counts=counts, reliable=reliable)
        if home and member is not None and member.residence is not None:
            subscription_save(
                person=member, categories=SUBSCRIBED, communities=[community], by_sms=True, by=by, now=now
            )
            counts.subscriptions += 1
        for person in pool[: len(pool) // 3]:
            cats = rng.sample([c[0] for c in CATALOGUE], 2)
            subscription_save(
                person=person, categories=cats, communities=[community], by_sms=False, by=by, now=now
            )
            counts.subscriptions += 1
        with transaction.atomic():
            # Upcoming activities, published in the last few days.
            upcoming = max(1, round(UPCOMING_PER_COMMUNITY * scale))
            for n in range(max(3, upcoming + 1) if home else upcoming):
                item = CATALOGUE[(index * 3 + n) % len(CATALOGUE)]
                if home and n < 3:
                    # Open to everyone (no skills, no ages): a full one with a waiting list, one
                    # with places for the demo member to sign up to, one she is signed up to.
                    item = CATALOGUE[(0, 3, 5)[n]]
                start = _at(now + timedelta(days=rng.randint(2, 14)), rng.choice((9, 14)))
                capacity = 3 if home and n == 0 else rng.randint(8, 20)
                activity = _create(
                    organiser=organisers[n % len(organisers)], community=community, item=item, start=start,
                    hours=2, capacity=capacity, published_at=now - timedelta(days=rng.randint(1, 3)), by=by,
                    counts=counts,
                )  # fmt: skip
                slot = activity.slots.get()
                wanted = 5 if capacity == 3 else rng.randint(1, capacity // 2)
                for i, person in enumerate(rng.sample(pool, min(len(pool), wanted))):
                    _sign_up(slot, person, by=by, now=now - timedelta(hours=20 - i), counts=counts)
                if home and n == 2 and member is not None:
                    _sign_up(slot, member, by=by, now=now - timedelta(hours=1), counts=counts)
    return counts.as_dict()
