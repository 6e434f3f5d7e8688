"""Demo catalogue, redemptions and time bank, made through the services.

    seed_rewards(*, now, seed=0, scale=1.0) -> dict[str, int]

Runs after seed_records (whose service records gave volunteers their points and, for service to
people 65 and over, their time credits). Units and communities offer a few items each (the demo
unit's and the demo community's first); people with points redeem some, most handed over at the
counter, a few cancelled; people with credits give some to an elderly relative or donate them to
their community's pool; elderly people book services that volunteers of their community take
and, for those in the past, are confirmed done (each writing a service record)."""

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tongxin.accounts.models import RoleGrant, User
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError
from tongxin.ledger.models import Account, AccountKind, Currency
from tongxin.matching.skills import SKILL_CODES
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .models import (
    BookingStatus,
    CatalogueItem,
    Redemption,
    TimeBankBooking,
    TimeBankTransfer,
)
from .services import (
    ItemData,
    booking_complete,
    booking_create,
    booking_take,
    credits_donate,
    credits_transfer,
    item_save,
    redemption_cancel,
    redemption_create,
    redemption_hand_over,
)
from .services.timebank import ELDERLY_AGE, community_of

UNIT_ITEMS = (
    ("定制保温杯", "印有单位标识的保温杯,限本人领取。", 60, 30, 1),
    ("电影票一张", "周边影院2D电影票,兑换后一个月内使用。", 120, 20, 2),
    ("健康体检套餐", "合作医院基础体检一次,需提前预约。", 300, 10, 1),
    ("图书一本", "党史、科普读物任选一本。", 40, 50, 3),
    ("洗衣液一瓶", "家用洗衣液2kg。", 50, 40, 2),
)
COMMUNITY_ITEMS = (
    ("社区义剪一次", "每月第二个周六上午,党群服务中心。", 10, None, None),
    ("家电清洗服务", "油烟机或空调清洗一次,由社区志愿服务队上门。", 80, None, 2),
    ("大米一袋", "5kg装,社区服务站领取。", 100, 20, 1),
    ("爱心早餐券", "社区长者食堂早餐一次。", 15, None, 10),
)
BOOK_SKILLS = ("companion", "cleaning", "meals", "repair", "digital", "haircut")
DEMO_PEOPLE = ("demo_member", "demo_resident")


def _as(user: User | None) -> Actor:
    return Actor(user=user, ip=None, label=user.username) if user else Actor.system("demo")


def _demo_offerers() -> tuple[list[Unit], list[Territory]]:
    """The demo unit contact's units and the demo community staff's communities first."""
    units: list[Unit] = []
    communities: list[Territory] = []
    for grant in RoleGrant.objects.active().filter(user__username__in=("demo_unit", "demo_community")):
        if grant.organization_id is not None:
            units.extend(Unit.objects.filter(organizations=grant.organization_id))
        if grant.territory is not None:
            communities.extend(
                Territory.objects.filter(
                    path__startswith=grant.territory.path, level__in=COMMUNITY_LEVELS
                ).order_by("path")[:1]
            )
    return units, communities


def _seed_items(*, rng: random.Random, now: datetime, scale: float, system: Actor) -> list[CatalogueItem]:
    demo_units, demo_communities = _demo_offerers()
    n_units, n_communities = max(2, round(6 * scale)), max(2, round(4 * scale))
    units = list(dict.fromkeys(demo_units + list(Unit.objects.order_by("pk")[:n_units])))[: n_units + 1]
    communities = list(
        dict.fromkeys(
            demo_communities
            + list(Territory.objects.filter(level__in=COMMUNITY_LEVELS).order_by("path")[:n_communities])
        )
    )[: n_communities + 1]
    valid = timezone.localdate(now) + timedelta(days=180)
    made = []
    for offerer, templates in [(u, UNIT_ITEMS) for u in units] + [(c, COMMUNITY_ITEMS) for c in communities]:
        for name, description, price, stock, limit in rng.sample(
            templates, 2 if offerer not in units[:1] else 3
        ):
            made.append(
                item_save(
                    data=ItemData(
                        name=name,
                        description=description,
                        price=price,
                        stock=stock,
                        per_person_limit=limit,
                        valid_until=valid if rng.random() < 0.5 else None,
                    ),
                    offerer=offerer,
                    by=system,
                    now=now - timedelta(days=rng.randint(20, 90)),
                )
            )
    return made


def _balances(currency: str, minimum: int, limit: int) -> list[tuple[Person, int]]:
    rows = (
        Account.objects.filter(kind=AccountKind.PERSON, currency=currency, balance__gte=minimum)
        .select_related("person__residence")
        .order_by("-balance", "pk")[:limit]
    )
    return [(a.person, a.balance) for a in rows if a.person is not None]


def _demo_persons() -> list[Person]:
    return [
        u.person for u in User.objects.filter(username__in=DEMO_PEOPLE).select_related("person") if u.person
    ]


def _seed_redemptions(*, rng: random.Random, items: list[CatalogueItem], now: datetime, scale: float) -> int:
    if not items:
        return 0
    cheapest = min(i.price for i in items)
    people = _balances(Currency.POINTS, cheapest, max(10, round(60 * scale)))
    demo = {p.pk for p in _demo_persons()}
    people.sort(key=lambda pb: (pb[0].pk not in demo, rng.random()))
    made = 0
    for person, balance in people:
        budget = balance
        wanted = 2 if person.pk in demo else rng.choice((1, 1, 2))
        for n in range(wanted):
            affordable = [i for i in items if i.price <= budget]
            if not affordable:
                break
            item = rng.choice(affordable)
            when = now - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 8))
            try:
                with transaction.atomic():
                    r = redemption_create(item=item, person=person, by=Actor.system("demo"), now=when)
                    budget -= r.points
                    made += 1
                    roll = rng.random()
                    # The demo people keep their newest one to show at the counter.
                    if person.pk in demo and n == wanted - 1:
                        continue
                    if roll < 0.65:
                        redemption_hand_over(
                            code=r.code,
                            by=Actor.system("demo"),
                            now=when + timedelta(hours=rng.randint(1, 48)),
                        )
                    elif roll < 0.75:
                        redemption_cancel(
                            redemption=r, by=Actor.system("demo"), now=when + timedelta(hours=2)
                        )
                        budget += r.points
            except ApplicationError:
                continue  # sold out or over the per-person limit: the next person tries
    return made


def _elderly_cutoff(now: datetime) -> date:
    today = timezone.localdate(now)
    return today.replace(year=today.year - ELDERLY_AGE - 1)


def _seed_transfers(*, rng: random.Random, now: datetime, scale: float) -> int:
    givers = _balances(Currency.CREDITS, 60, max(6, round(30 * scale)))
    cutoff = _elderly_cutoff(now)
    made = 0
    for person, balance in givers:
        home = community_of(person)
        if home is None:
            continue
        roll = rng.random()
        try:
            with transaction.atomic():
                if roll < 0.5:
                    # An elderly neighbour with a mobile stands in for the relative.
                    relative = (
                        Person.objects.filter(residence__path__startswith=home.path, birth_date__lte=cutoff)
                        .exclude(Q(mobile_index="") | Q(pk=person.pk))
                        .order_by("pk")
                        .first()
                    )
                    if relative is None:
                        continue
                    credits_transfer(
                        person=person, to_name=relative.name, to_mobile=relative.mobile,
                        minutes=min(balance, rng.choice((60, 120, 180))), by=Actor.system("demo"),
                        now=now - timedelta(days=rng.randint(5, 30)),
                    )  # fmt: skip
                else:
                    credits_donate(
                        person=person, community=home, minutes=min(balance, rng.choice((60, 60, 120))),
                        by=Actor.system("demo"), now=now - timedelta(days=rng.randint(5, 30)),
                    )  # fmt: skip
                made += 1
        except ApplicationError:
            continue
    return made


def _volunteers_of(community: Territory) -> list[Person]:
    return list(
        Person.objects.filter(volunteer__isnull=False, helper_profile__communities=community).order_by("pk")[
            :20
        ]
    )


def _seed_bookings(*, rng: random.Random, now: datetime, scale: float) -> int:
    """Elderly people with credits book (some in the past, taken and done; some ahead, open or
    taken), and each community with a pool books once for a resident without credits."""
    cutoff = _elderly_cutoff(now)
    elders = [
        (p, b)
        for p, b in _balances(Currency.CREDITS, 60, max(10, round(40 * scale)))
        if p.birth_date <= cutoff
    ]
    system = Actor.system("demo")
    made = 0
    local = timezone.localtime(now)
    for i, (elder, balance) in enumerate(elders):
        community = community_of(elder)
        if community is None:
            continue
        volunteers = [v for v in _volunteers_of(community) if v.pk != elder.pk]
        past = i % 3 != 2
        created = (
            now - timedelta(days=rng.randint(4, 20)) if past else now - timedelta(hours=rng.randint(1, 30))
        )
        wanted = (
            local - timedelta(days=rng.randint(1, 3)) if past else local + timedelta(days=rng.randint(1, 6))
        )
        wanted = wanted.replace(hour=rng.choice((9, 10, 14, 15)), minute=0, second=0, microsecond=0)
        if wanted <= created:
            created = wanted - timedelta(days=1)
        minutes = min(balance // 30 * 30, rng.choice((60, 60, 90, 120)))
        try:
            with transaction.atomic():
                booking = booking_create(
                    beneficiary=elder, payer=elder, skill=rng.choice(BOOK_SKILLS), minutes=minutes,
                    wanted_at=wanted, address=rng.choice(("1号楼", "3号楼2单元", "5号楼", "12号楼1单元")),
                    by=system, now=created,
                )  # fmt: skip
                made += 1
                if volunteers and (past or rng.random() < 0.5):
                    booking_take(
                        booking=booking, volunteer=rng.choice(volunteers), by=system,
                        now=created + timedelta(hours=rng.randint(1, 12)),
                    )  # fmt: skip
                    if past:
                        booking_complete(
                            booking=booking, by=system, now=wanted + timedelta(minutes=minutes, hours=2)
                        )
        except ApplicationError:
            continue
    return made + _seed_pool_bookings(rng=rng, now=now)


def _seed_pool_bookings(*, rng: random.Random, now: datetime) -> int:
    cutoff = _elderly_cutoff(now)
    made = 0
    pools = Account.objects.filter(
        kind=AccountKind.SYSTEM, currency=Currency.CREDITS, code__startswith="timebank:pool:", balance__gte=60
    )
    for pool in pools.order_by("pk"):
        community = Territory.objects.filter(pk=int(pool.code.rsplit(":", 1)[1])).first()
        if community is None:
            continue
        elder = (
            Person.objects.filter(residence__path__startswith=community.path, birth_date__lte=cutoff)
            .exclude(pk__in=TimeBankBooking.objects.values("beneficiary"))
            .order_by("pk")
            .first()
        )
        if elder is None:
            continue
        wanted = (timezone.localtime(now) + timedelta(days=2)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        try:
            with transaction.atomic():
                booking_create(
                    beneficiary=elder, payer=None, skill=rng.choice(SKILL_CODES[:11]), minutes=60,
                    wanted_at=wanted, address="社区登记地址", note="老人无智能手机,社区代约",
                    by=Actor.system("demo"), now=now,
                )  # fmt: skip
                made += 1
        except ApplicationError:
            continue
    return made


def seed_rewards(*, now: datetime, seed: int = 0, scale: float = 1.0) -> dict[str, int]:
    rng = random.Random(seed + 11)  # noqa: S311 - demo data, not secrets
    system = Actor.system("demo")
    items = _seed_items(rng=rng, now=now, scale=scale, system=system)
    _seed_redemptions(rng=rng, items=items, now=now, scale=scale)
    _seed_transfers(rng=rng, now=now, scale=scale)
    _seed_bookings(rng=rng, now=now, scale=scale)
    return {
        "reward items": CatalogueItem.objects.count(),
        "redemptions": Redemption.objects.count(),
        "time-bank transfers": TimeBankTransfer.objects.count(),
        "time-bank bookings": TimeBankBooking.objects.count(),
        "bookings done": TimeBankBooking.objects.filter(status=BookingStatus.DONE).count(),
    }
