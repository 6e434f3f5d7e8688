"""Demo service records over the past year, through the services (each posts its hours, points
and, for service to someone 65 or over, time credits to the ledger), with a few corrections
asked for and decided, and a few certificates.

    seed_records(*, now, seed=0, scale=1.0) -> dict[str, int]

Runs after seed_volunteers. Teams and communities hold offline sessions (助老陪护, 义诊, 垃圾分类
宣传…) attended by some of their members; the demo member's and demo resident's records include
one corrected, one correction pending and a certificate."""

import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongxin.core.actor import Actor
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.volunteers.models import Team, TeamMember, VolunteerStatus

from .models import RecordKind, ServiceRecord
from .services import (
    certificate_issue,
    correction_decide,
    correction_request,
    current_records,
    record_correct,
    record_create,
)

SESSIONS_PER_TEAM = 6  # at scale 1, over the year
RECORDS_CAP = 3000  # at scale 1: a district's hundreds of teams stay a few minutes of seeding
MEAN_ATTENDANCE = 6.5
TITLES = (
    ("助老陪护", "社区日间照料中心"),
    ("爱心理发", "社区党群服务中心"),
    ("垃圾分类宣传", "小区门口"),
    ("义诊咨询", "社区卫生服务站"),
    ("四点半课堂", "社区活动室"),
    ("智能手机教学", "社区党群服务中心"),
    ("楼道清洁", "小区楼道"),
    ("助餐送餐", "社区长者食堂"),
    ("防诈骗宣传", "社区广场"),
    ("文明交通劝导", "路口"),
)
HOURS = (60, 90, 120, 120, 150, 180, 240)
DEMO_PEOPLE = ("demo_member", "demo_resident")


def _elders(now: datetime) -> dict[str, list[Person]]:
    """Residents 65 or over per community path (beneficiaries of 助老 sessions)."""
    step = Territory.steplen
    cutoff = timezone.localtime(now).date().replace(year=timezone.localtime(now).year - 66)
    found: dict[str, list[Person]] = {}
    for person in (
        Person.objects.filter(birth_date__lte=cutoff, residence__isnull=False)
        .select_related("residence")
        .order_by("pk")[:3000]
    ):
        found.setdefault(person.residence.path[: 3 * step], []).append(person)  # type: ignore[union-attr]
    return found


def seed_records(*, now: datetime, seed: int = 0, scale: float = 1.0) -> dict[str, int]:
    rng = random.Random(seed + 7)  # noqa: S311 - demo data, not secrets
    system = Actor.system("demo")
    step = Territory.steplen
    elders = _elders(now)
    plan: list[dict[str, Any]] = []
    teams = list(Team.objects.select_related("territory", "unit__territory", "organization__territory"))
    sessions = max(
        1,
        min(
            round(SESSIONS_PER_TEAM * scale),
            round(RECORDS_CAP * scale / (max(1, len(teams)) * MEAN_ATTENDANCE)),
        ),
    )
    for team in teams:
        members = list(
            TeamMember.objects.filter(
                team=team, left_on__isnull=True, volunteer__status=VolunteerStatus.ACTIVE
            )
            .select_related("volunteer__person__residence")
            .values_list("volunteer__person", flat=True)
        )
        if not members:
            continue
        place_node = (
            team.territory
            or (team.unit.territory if team.unit else None)
            or (team.organization.territory if team.organization else None)
        )
        for _i in range(sessions):
            title, place = rng.choice(TITLES)
            day = timezone.localtime(now) - timedelta(days=rng.randint(3, 360))
            start = day.replace(
                hour=rng.choice((8, 9, 14, 15, 18)), minute=rng.choice((0, 30)), second=0, microsecond=0
            )
            span = rng.choice(HOURS)
            pool = elders.get(place_node.path[: 3 * step], []) if place_node is not None else []
            # A session's organiser: the team, or (a third of the time) the community itself.
            organiser: Any = team
            if team.territory is not None and rng.random() < 0.33:
                organiser = team.territory
            for person_id in rng.sample(members, min(len(members), rng.randint(3, 10))):
                minutes = span if rng.random() < 0.8 else max(30, span - rng.choice((15, 30, 45)))
                beneficiary = rng.choice(pool) if title in ("助老陪护", "助餐送餐") and pool else None
                plan.append(
                    {
                        "person_id": person_id,
                        "organiser": organiser,
                        "title": title,
                        "place": place,
                        "started_at": start,
                        "ended_at": start + timedelta(minutes=span),
                        "minutes": minutes,
                        "beneficiary": beneficiary if beneficiary and beneficiary.pk != person_id else None,
                    }
                )
    plan.sort(key=lambda p: p["started_at"])
    persons = {p.pk: p for p in Person.objects.filter(pk__in={p["person_id"] for p in plan})}
    made: list[ServiceRecord] = []
    for item in plan:
        person = persons[item.pop("person_id")]
        with transaction.atomic():
            made.append(
                record_create(
                    person=person,
                    source="offline",
                    reason="纸质签到表录入",
                    by=system,
                    now=item["ended_at"] + timedelta(hours=2),
                    **item,
                )
            )
    corrections = _seed_corrections(rng=rng, made=made, now=now, system=system)
    certificates = _seed_certificates(rng=rng, now=now, system=system)
    return {
        "service records": ServiceRecord.objects.count(),
        "corrections": corrections,
        "certificates": certificates,
    }


def _demo_person_ids() -> list[int]:
    from tongxin.accounts.models import User

    return list(
        User.objects.filter(username__in=DEMO_PEOPLE, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )


def _seed_corrections(*, rng: random.Random, made: list[ServiceRecord], now: datetime, system: Actor) -> int:
    """About 2% of records: the volunteer asks; most are accepted, some refused with a reason;
    a few are corrected by the organiser directly. The demo people get one decided, one open."""
    count = 0
    demo = set(_demo_person_ids())
    for record in made:
        if record.person_id in demo or rng.random() >= 0.02:
            continue
        when = record.recorded_at + timedelta(days=rng.randint(1, 5))
        if when > now:
            continue
        span = int((record.ended_at - record.started_at).total_seconds() // 60)
        proposed = span if record.minutes < span else max(30, record.minutes - 30)
        if proposed == record.minutes:
            continue
        if rng.random() < 0.2:
            record_correct(
                record=record, minutes=proposed, reason="核对纸质签到表后更正", by=system, now=when
            )
            count += 1
            continue
        with transaction.atomic():
            request = correction_request(
                record=record,
                by_person=record.person,
                reason="我签退时忘了扫码,实际服务到活动结束",
                proposed_minutes=proposed,
                by=system,
                now=when,
            )
            accept = rng.random() < 0.7
            correction_decide(
                request=request,
                accept=accept,
                reason="" if accept else "签到表显示提前离开",
                by=system,
                now=when + timedelta(days=1),
            )
        count += 1
    for person_id in demo:
        mine = list(current_records(Person(pk=person_id)).order_by("started_at")[:2])
        if len(mine) < 2:
            continue
        decided, pending = mine
        for record, decide in ((decided, True), (pending, False)):
            span = int((record.ended_at - record.started_at).total_seconds() // 60)
            proposed = span if record.minutes < span else max(30, record.minutes - 30)
            if proposed == record.minutes:
                continue
            request = correction_request(
                record=record,
                by_person=record.person,
                reason="实际服务到活动结束",
                proposed_minutes=proposed,
                by=system,
                now=now - timedelta(days=2),
            )
            if decide:
                correction_decide(
                    request=request, accept=True, reason="", by=system, now=now - timedelta(days=1)
                )
            count += 1
    return count


def _seed_certificates(*, rng: random.Random, now: datetime, system: Actor) -> int:
    with_records = list(
        ServiceRecord.objects.filter(kind=RecordKind.ORIGINAL).values_list("person_id", flat=True).distinct()
    )
    chosen = set(rng.sample(with_records, min(20, len(with_records)))) | {
        p for p in _demo_person_ids() if p in set(with_records)
    }
    count = 0
    for person in Person.objects.filter(pk__in=chosen):
        certificate_issue(person=person, by=system, now=now - timedelta(days=rng.randint(0, 60)))
        count += 1
    return count
