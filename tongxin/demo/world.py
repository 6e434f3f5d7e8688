"""The generator: a fictional district (or several) as plain specs, the same for the same seed.

Shape: 区 → 街道/镇 → 社区/村 → 网格 in the territory tree; 区委 → 街道党工委/镇党委 → 社区党委/党总支 →
党支部 → 党小组 in the organisation tree; 驻区单位 in communities, most with their own branch under
a district sector committee, the street's 综合党委 or an external group committee; 联合党支部 for
small units. Member numbers per branch are fixed here, before any person exists, because they decide
whether a branch must have a committee (支部工作条例)."""

import math
from datetime import date, timedelta
from random import Random

from tongxin.orgs.models import OrgKind
from tongxin.territory.models import TerritoryLevel

from . import naming
from .codes import CreditCodeAllocator
from .specs import BranchQuota, OrgSpec, PopulationChunk, TerritorySpec, UnitSpec, World
from .tiers import Tier
from .words import DISTRICT_NAMES, chinese_number

PROBATIONARY_RATE = 0.03  # members who joined within the last year
GROUP_SIZE = 25  # a branch over 50 members is split into party groups of about this size
VIOLATION_KINDS = ("no_committee", "too_few_full", "joint_too_many_units", "no_party_groups")
# Which district-level sector committee a unit of each kind answers to (None: the street's 综合党委).
SECTOR_OF_KIND = {
    "government": "S1",
    "public_institution": "S1",
    "school": "S2",
    "hospital": "S3",
    "state_enterprise": "S4",
}
SECTORS = (
    ("S1", "机关工作委员会"),
    ("S2", "教育工作委员会"),
    ("S3", "卫生健康工作委员会"),
    ("S4", "国有资产监督管理委员会委员会"),
)
EXTERNAL_GROUPS = 6  # external superiors (集团党委) per district


def generate_world(*, tier: Tier, seed: int, today: date) -> World:
    world = World(seed=seed, tier=tier.name, today=today)
    credit_codes = CreditCodeAllocator()
    for index in range(tier.districts):
        DistrictBuilder(world=world, tier=tier, index=index, credit_codes=credit_codes).build()
    return world


class DistrictBuilder:
    def __init__(self, *, world: World, tier: Tier, index: int, credit_codes: CreditCodeAllocator) -> None:
        self.world, self.tier, self.credit_codes = world, tier, credit_codes
        self.code = f"{310199 - index}"
        self.name = DISTRICT_NAMES[index % len(DISTRICT_NAMES)]
        self.rng = Random(f"{world.seed}:{self.code}")
        self.places = naming.PlaceNames(self.rng)
        self.committee_code = f"D{self.code}"
        self.violations = dict.fromkeys(VIOLATION_KINDS, tier.violations_per_kind)
        self.last_violated_community = ""
        self.homes: list[str] = []
        # The district's first units take every kind once, so even the small demo shows them all.
        self.kinds_to_show = iter(naming.UNIT_KINDS)

    # --- the territory tree ----------------------------------------------------------------------

    def build(self) -> None:
        rng, tier = self.rng, self.tier
        self.territory(self.code, self.name, TerritoryLevel.DISTRICT, None)
        self.org(self.committee_code, f"中共{self.name}委员会", OrgKind.COMMITTEE, None, self.code)
        for suffix, name in SECTORS:
            self.org(
                self.committee_code + suffix,
                f"中共{self.name}{name}",
                OrgKind.COMMITTEE,
                self.committee_code,
                self.code,
            )
        self.external_codes: dict[int, str] = {}
        streets = rng.randint(*tier.streets)
        towns = round(streets * tier.town_share)
        for i in range(1, streets + 1):
            is_town = i > streets - towns
            self.street(number=100 + i - (streets - towns) if is_town else i, is_town=is_town)
        self.world.homes[self.code] = tuple(self.homes)

    def territory(self, code: str, name: str, level: str, parent: str | None) -> None:
        self.world.territories.append(TerritorySpec(code=code, name=name, level=level, parent_code=parent))

    def org(
        self, code: str, name: str, kind: str, parent: str | None, territory: str | None, **extra: object
    ) -> None:
        self.world.organizations.append(
            OrgSpec(code=code, name=name, kind=kind, parent_code=parent, territory_code=territory, **extra)  # type: ignore[arg-type]
        )

    def external_group(self) -> str:
        """A group's party committee outside the district: an external stub root, made when a
        unit first answers to it."""
        n = self.rng.randint(1, EXTERNAL_GROUPS)
        if n not in self.external_codes:
            code = f"X{self.code}{n:02d}"
            name = f"中共申江{self.places.stem()}集团有限公司委员会"
            self.org(code, name, OrgKind.COMMITTEE, None, None, is_external=True)
            self.external_codes[n] = code
        return self.external_codes[n]

    def street(self, *, number: int, is_town: bool) -> None:
        rng = self.rng
        code = f"{self.code}{number:03d}"
        stem = self.places.stem()
        name = f"{stem}镇" if is_town else f"{stem}路街道"
        self.territory(code, name, TerritoryLevel.TOWN if is_town else TerritoryLevel.STREET, self.code)
        party = f"D{code}"
        kind = OrgKind.COMMITTEE if is_town else OrgKind.WORKING_COMMITTEE
        self.org(party, f"中共{name}{'委员会' if is_town else '工作委员会'}", kind, self.committee_code, code)
        # 两新组织综合党委: where the street's non-public enterprises and social organisations belong.
        self.org(party + "Z", f"中共{name}综合委员会", OrgKind.COMMITTEE, party, code)
        for j in range(1, rng.randint(*self.tier.communities) + 1):
            village = is_town and j % 3 != 1  # a town is mostly villages, with a few communities
            self.community(street=code, street_party=party, number=200 + j if village else j, village=village)

    def community(self, *, street: str, street_party: str, number: int, village: bool) -> None:
        rng, world = self.rng, self.world
        code = f"{street}{number:03d}"
        stem = self.places.stem()
        name = f"{stem}村" if village else stem + rng.choice(naming.words.COMMUNITY_SUFFIXES)
        self.territory(code, name, TerritoryLevel.VILLAGE if village else TerritoryLevel.COMMUNITY, street)
        grids = tuple(f"{code}{g:03d}" for g in range(1, rng.randint(*self.tier.grids) + 1))
        for g, grid in enumerate(grids, start=1):
            self.territory(grid, f"第{chinese_number(g)}网格", TerritoryLevel.GRID, code)
        world.grids[code] = grids
        world.roads[code] = (name,) if village else (f"{stem}路", *(self.places.road() for _ in range(3)))
        if village:
            world.villages.add(code)
        self.homes.extend((code, *grids))
        residents = rng.randint(*self.tier.residents)
        branches = self.community_party(code=code, name=name, parent=street_party, residents=residents)
        unit_branches = self.units(community=code, place=stem, street_party=street_party)
        world.chunks.append(
            PopulationChunk(
                district_code=self.code,
                community_code=code,
                residents=max(residents, sum(b.members for b in branches) + 10),
                community_branches=tuple(branches),
                unit_branches=tuple(unit_branches),
            )
        )

    # --- violations of the branch rules, a few per district ---------------------------------------

    def take_violation(self, kind: str, community: str) -> bool:
        """At most one deliberate violation per community, so they spread over the first ones."""
        if self.violations[kind] <= 0 or self.last_violated_community == community:
            return False
        self.violations[kind] -= 1
        self.last_violated_community = community
        return True

    # --- the community's party organisation -------------------------------------------------------

    def community_party(self, *, code: str, name: str, parent: str, residents: int) -> list[BranchQuota]:
        rng = self.rng
        sizes = split_into_branches(
            rng, round(residents * self.tier.community_member_share), self.tier.branch_size
        )
        special = next(
            (k for k in ("no_party_groups", "too_few_full", "no_committee") if self.take_violation(k, code)),
            None,
        )
        # A violation gets a branch of its own, sized to break exactly one rule.
        special_size = {
            "no_party_groups": rng.randint(52, 58),
            "too_few_full": 4,
            "no_committee": rng.randint(8, 12),
        }
        if special is not None:
            sizes.append(special_size[special])
        party = f"D{code}"
        large = sum(sizes) >= 100
        self.org(
            party,
            f"中共{name}{'委员会' if large else '总支部委员会'}",
            OrgKind.COMMITTEE if large else OrgKind.GENERAL_BRANCH,
            parent,
            code,
        )
        quotas = []
        for n, size in enumerate(sizes, start=1):
            is_special = special is not None and n == len(sizes)
            quotas.append(
                self.branch(
                    code=f"{party}B{n:02d}",
                    name=f"中共{name}第{chinese_number(n)}支部委员会",
                    kind=OrgKind.BRANCH,
                    parent=party,
                    territory=code,
                    size=size,
                    probationary=2
                    if is_special and special == "too_few_full"
                    else probationary_count(rng, size),
                    groups=size > 50 and not (is_special and special == "no_party_groups"),
                    committee=not (is_special and special == "no_committee"),
                )
            )
        return quotas

    def branch(
        self,
        *,
        code: str,
        name: str,
        kind: str,
        parent: str,
        territory: str,
        size: int,
        probationary: int,
        groups: bool,
        committee: bool,
        units: tuple[str, ...] = (),
    ) -> BranchQuota:
        full = size - probationary
        elected = (
            self.world.today - timedelta(days=self.rng.randint(30, 4 * 365))
            if committee and full >= 7
            else None
        )
        self.org(code, name, kind, parent, territory, unit_codes=units, committee_elected_on=elected)
        group_codes: tuple[str, ...] = ()
        if groups:
            group_codes = tuple(f"{code}G{g}" for g in range(1, math.ceil(size / GROUP_SIZE) + 1))
            for g, group in enumerate(group_codes, start=1):
                self.org(
                    group,
                    f"{name.removesuffix('委员会')}第{chinese_number(g)}党小组",
                    OrgKind.PARTY_GROUP,
                    code,
                    territory,
                )
        return BranchQuota(
            org_code=code,
            members=size,
            probationary=probationary,
            group_codes=group_codes,
            employer_codes=units,
        )

    # --- units and their party organisations ------------------------------------------------------

    def units(self, *, community: str, place: str, street_party: str) -> list[BranchQuota]:
        rng = self.rng
        quotas: list[BranchQuota] = []
        without_org: list[UnitSpec] = []
        for _ in range(rng.randint(*self.tier.units)):
            kind = next(self.kinds_to_show, None) or naming.unit_kind(rng)
            unit = self.unit(community=community, place=place, kind=kind)
            if rng.random() < naming.ORG_CHANCE[unit.kind]:
                quotas.append(self.unit_branch(unit, street_party=street_party))
            elif unit.kind in {"private_enterprise", "social_organization", "other"}:
                without_org.append(unit)
        if self.take_violation("joint_too_many_units", community):
            without_org = [
                self.unit(community=community, place=place, kind="private_enterprise") for _ in range(6)
            ]
            quotas.append(
                self.joint_branch(
                    without_org, community=community, place=place, number=1, parent=street_party + "Z"
                )
            )
        elif len(without_org) >= 2 and rng.random() < 0.5:
            covered = without_org[: rng.randint(2, 5)]
            quotas.append(
                self.joint_branch(
                    covered, community=community, place=place, number=1, parent=street_party + "Z"
                )
            )
        return quotas

    def unit(self, *, community: str, place: str, kind: str) -> UnitSpec:
        rng = self.rng
        area = "310000" if kind == "state_enterprise" else self.code  # city-registered groups
        unit = UnitSpec(
            credit_code=self.credit_codes.allocate(kind=kind, area=area),
            name=naming.unit_name(rng, kind=kind, place=place, district=self.name),
            kind=kind,
            territory_code=community,
            address=naming.unit_address(rng, rng.choice(self.world.roads[community])),
        )
        self.world.units.append(unit)
        return unit

    def unit_branch(self, unit: UnitSpec, *, street_party: str) -> BranchQuota:
        rng = self.rng
        sector = SECTOR_OF_KIND.get(unit.kind)
        if unit.kind == "research_institute" or (unit.kind == "state_enterprise" and rng.random() < 0.6):
            parent = self.external_group()
        elif sector is not None:
            parent = self.committee_code + sector
        else:
            parent = street_party + "Z"
        size = max(3, round(rng.randint(*naming.MEMBER_RANGE[unit.kind]) * self.tier.unit_member_scale))
        return self.branch(
            code=f"U{unit.credit_code}",
            name=f"中共{unit.name}支部委员会",
            kind=OrgKind.BRANCH,
            parent=parent,
            territory=unit.territory_code,
            size=size,
            probationary=probationary_count(rng, size),
            groups=size > 50,
            committee=True,
            units=(unit.credit_code,),
        )

    def joint_branch(
        self, units: list[UnitSpec], *, community: str, place: str, number: int, parent: str
    ) -> BranchQuota:
        rng = self.rng
        size = sum(rng.randint(2, 4) for _ in units)
        return self.branch(
            code=f"J{community}{number:02d}",
            name=f"中共{place}非公企业联合支部委员会",
            kind=OrgKind.JOINT_BRANCH,
            parent=parent,
            territory=community,
            size=size,
            probationary=probationary_count(rng, size),
            groups=size > 50,
            committee=True,
            units=tuple(u.credit_code for u in units),
        )


def split_into_branches(rng: Random, members: int, size_range: tuple[int, int]) -> list[int]:
    """Branch sizes adding up to `members`; the last remainder joins the previous branch when it
    would be too small to stand alone."""
    low, high = size_range
    sizes: list[int] = []
    remaining = members
    while remaining > 0:
        size = min(remaining, rng.randint(low, high))
        sizes.append(size)
        remaining -= size
    if len(sizes) > 1 and sizes[-1] < low:
        last = sizes.pop()
        sizes[-1] += last
    return sizes or [low]


def probationary_count(rng: Random, size: int) -> int:
    """Members who joined within the last year, keeping at least three full members."""
    drawn = sum(rng.random() < PROBATIONARY_RATE for _ in range(size))
    return max(0, min(drawn, size - 3))
