"""People for one community chunk: residents, the members of its branches, and the in-service
members (在职党员) of the units located there.

Two random streams per chunk, so that the expensive part can run in worker processes and still be
the same for the same seed:
- identities (gender, birth date, birth place, home) are drawn in order in the parent process,
  because ID numbers must be unique across the whole world and come from one shared counter;
- details (name, phone, address, membership dates...) are drawn from the chunk's own stream, in
  whichever process expands it."""

from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from random import Random

from tongxin.people.models import FlowDirection, MemberStatus

from . import naming
from .codes import IdNumberAllocator
from .specs import BranchQuota, MembershipSpec, PersonSpec, PopulationChunk, World
from .words import ETHNIC_MINORITIES, FLOW_PLACES, OTHER_AREA_CODES

LOCAL_BIRTH_SHARE = 0.72  # residents born in the district (their ID number carries its area code)
UNIT_MEMBERS_LIVING_HERE = 0.7  # in-service members who live in the district
FLOWING_RATE = 0.03


class BirthBands:
    """Birth years in weighted bands, drawn with one bisect and one randrange."""

    def __init__(self, *bands: tuple[int, int, int]) -> None:
        self.cumulative = list(accumulate(weight for _, _, weight in bands))
        self.spans = [
            (
                date(first, 1, 1).toordinal(),
                date(last, 12, 31).toordinal() - date(first, 1, 1).toordinal() + 1,
            )
            for first, last, _ in bands
        ]

    def draw(self, rng: Random) -> date:
        start, days = self.spans[bisect(self.cumulative, rng.random() * self.cumulative[-1])]
        return date.fromordinal(start + rng.randrange(days))


# Residents; community members (older: many are retired); in-service members (of working age).
RESIDENT_BIRTHS = BirthBands(
    (1940, 1954, 14), (1955, 1969, 26), (1970, 1984, 28), (1985, 1999, 26), (2000, 2004, 6)
)
COMMUNITY_MEMBER_BIRTHS = BirthBands((1940, 1954, 35), (1955, 1969, 35), (1970, 1984, 18), (1985, 2000, 12))
UNIT_MEMBER_BIRTHS = BirthBands((1964, 1974, 25), (1975, 1989, 45), (1990, 2002, 30))


@dataclass(frozen=True, slots=True)
class Identity:
    id_number: str
    home: str | None  # territory code of the residence


def chunk_identities(world: World, chunk: PopulationChunk, ids: IdNumberAllocator) -> list[Identity]:
    """Everyone in the chunk, in a fixed order: community branch members, other residents, then
    the units' in-service members."""
    rng = Random(f"{world.seed}:{chunk.community_code}:identity")
    area = chunk.district_code
    grids = world.grids[chunk.community_code]
    homes = world.homes[chunk.district_code]

    def identity(births: BirthBands, home: str | None) -> Identity:
        male = rng.random() < 0.5
        born_in = area if rng.random() < LOCAL_BIRTH_SHARE else rng.choice(OTHER_AREA_CODES)
        return Identity(ids.allocate(area=born_in, birth=births.draw(rng), male=male), home)

    def home_here() -> str:
        # Most people are registered in a grid; some only in their community.
        return rng.choice(grids) if grids and rng.random() < 0.85 else chunk.community_code

    members_here = sum(q.members for q in chunk.community_branches)
    people = [identity(COMMUNITY_MEMBER_BIRTHS, home_here()) for _ in range(members_here)]
    people += [identity(RESIDENT_BIRTHS, home_here()) for _ in range(chunk.residents - members_here)]
    for _ in range(sum(q.members for q in chunk.unit_branches)):
        home = rng.choice(homes) if rng.random() < UNIT_MEMBERS_LIVING_HERE else None
        people.append(identity(UNIT_MEMBER_BIRTHS, home))
    return people


def chunk_people(
    world: World, chunk: PopulationChunk, identities: list[Identity]
) -> tuple[list[PersonSpec], list[MembershipSpec]]:
    return DetailDrawer(world, chunk).people(identities)


def iter_population(
    world: World, ids: IdNumberAllocator | None = None
) -> Iterator[tuple[list[PersonSpec], list[MembershipSpec]]]:
    ids = ids or IdNumberAllocator()
    for chunk in world.chunks:
        yield chunk_people(world, chunk, chunk_identities(world, chunk, ids))


class DetailDrawer:
    def __init__(self, world: World, chunk: PopulationChunk) -> None:
        self.world, self.chunk, self.today = world, chunk, world.today
        self.rng = Random(f"{world.seed}:{chunk.community_code}:details")

    def people(self, identities: list[Identity]) -> tuple[list[PersonSpec], list[MembershipSpec]]:
        persons = [self.person(identity) for identity in identities]
        memberships = []
        position = 0
        for in_service, quotas in ((False, self.chunk.community_branches), (True, self.chunk.unit_branches)):
            if in_service:
                position = self.chunk.residents  # unit members come after all residents
            for quota in quotas:
                for i in range(quota.members):
                    memberships.append(self.membership(persons[position], quota, i, in_service=in_service))
                    position += 1
        return persons, memberships

    def person(self, identity: Identity) -> PersonSpec:
        rng = self.rng
        number = identity.id_number
        born = int(number[6:10])
        return PersonSpec(
            name=naming.person_name(rng, male=int(number[16]) % 2 == 1),
            id_number=number,
            mobile=naming.mobile(rng) if rng.random() < (0.55 if born < 1950 else 0.9) else "",
            address=self.address(identity.home) if identity.home else "",
            ethnicity="汉族" if rng.random() < 0.96 else rng.choice(ETHNIC_MINORITIES),
            education=education(rng, born),
            residence_code=identity.home,
        )

    def address(self, home: str) -> str:
        community = home[:12]
        roads = self.world.roads[community]
        if community in self.world.villages:
            return naming.village_address(self.rng, roads[0])
        return naming.street_address(self.rng, self.rng.choice(roads))

    def membership(
        self, person: PersonSpec, quota: BranchQuota, i: int, *, in_service: bool
    ) -> MembershipSpec:
        rng = self.rng
        number = person.id_number
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        probationary = i < quota.probationary
        joined = joined_date(rng, birth=birth, today=self.today, probationary=probationary)
        flowing = not in_service and rng.random() < FLOWING_RATE
        return MembershipSpec(
            id_number=number,
            org_code=quota.org_code,
            status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
            joined_on=joined,
            confirmed_on=None if probationary else add_years(joined, 1),
            in_service=in_service,
            employer_code=quota.employer_codes[i % len(quota.employer_codes)] if in_service else None,
            is_flowing=flowing,
            flow_direction=rng.choice(FlowDirection.values) if flowing else "",
            flow_place=rng.choice(FLOW_PLACES) if flowing else "",
            party_group_code=quota.group_codes[i % len(quota.group_codes)] if quota.group_codes else None,
        )


def joined_date(rng: Random, *, birth: date, today: date, probationary: bool) -> date:
    """Nobody joins before 18; a full member joined over a year ago, a probationary one within it."""
    adult = add_years(birth, 18)
    if probationary:
        return max(adult, today - timedelta(days=rng.randint(0, 360)))
    latest = today - timedelta(days=366)
    typical = birth + timedelta(days=rng.randint(20 * 365, 40 * 365))
    return max(adult, min(typical, latest))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


_EDUCATION = (
    (1955, ("小学", "初中", "高中", "中等专科", "大学专科"), (20, 55, 85, 95, 100)),
    (1975, ("初中", "高中", "中等专科", "大学专科", "大学本科"), (20, 50, 65, 85, 100)),
    (9999, ("高中", "大学专科", "大学本科", "研究生(硕士)", "研究生(博士)"), (15, 40, 85, 97, 100)),
)


def education(rng: Random, born: int) -> str:
    for before, levels, cumulative in _EDUCATION:
        if born < before:
            return levels[bisect(cumulative, rng.random() * 100)]
    raise AssertionError("unreachable")
