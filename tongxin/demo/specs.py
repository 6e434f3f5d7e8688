"""What the generator produces and both writers (services and bulk) consume: plain values keyed by
natural codes, so the same input can be written either way and the results compared."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class TerritorySpec:
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class UnitSpec:
    credit_code: str
    name: str
    kind: str
    territory_code: str
    address: str


@dataclass(frozen=True, slots=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    parent_code: str | None
    territory_code: str | None
    is_external: bool = False
    unit_codes: tuple[str, ...] = ()  # credit codes of the units this organisation belongs to
    committee_elected_on: date | None = None


@dataclass(frozen=True, slots=True)
class PersonSpec:
    name: str
    id_number: str
    mobile: str
    address: str
    ethnicity: str
    education: str
    residence_code: str | None


@dataclass(frozen=True, slots=True)
class MembershipSpec:
    id_number: str  # the person's
    org_code: str
    status: str
    joined_on: date
    confirmed_on: date | None
    in_service: bool = False
    employer_code: str | None = None  # credit code
    is_flowing: bool = False
    flow_direction: str = ""
    flow_place: str = ""
    party_group_code: str | None = None


@dataclass(frozen=True, slots=True)
class BranchQuota:
    """Members to generate for one branch: decided with the tree, because whether the branch has
    a committee depends on how many full members it will have."""

    org_code: str
    members: int
    probationary: int
    group_codes: tuple[str, ...] = ()
    employer_codes: tuple[str, ...] = ()  # unit branches: members work there (在职党员)


@dataclass(frozen=True, slots=True)
class PopulationChunk:
    """One community's people: its residents (some of them members of its branches) and the
    members of the branches of units located in it (who may live anywhere)."""

    district_code: str
    community_code: str
    residents: int
    community_branches: tuple[BranchQuota, ...]
    unit_branches: tuple[BranchQuota, ...]


@dataclass
class World:
    """The generated tree, units and organisations (small enough to hold), and the population as
    chunks expanded one community at a time."""

    seed: int
    tier: str
    today: date
    territories: list[TerritorySpec] = field(default_factory=list)
    units: list[UnitSpec] = field(default_factory=list)
    organizations: list[OrgSpec] = field(default_factory=list)
    chunks: list[PopulationChunk] = field(default_factory=list)
    # Per community: its grid codes and road names, for residences and addresses.
    grids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    roads: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Per district: every community and grid code, where in-service members may live.
    homes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    villages: set[str] = field(default_factory=set)

    def planned_residents(self) -> int:
        return sum(c.residents for c in self.chunks)

    def planned_members(self) -> int:
        return sum(q.members for c in self.chunks for q in (*c.community_branches, *c.unit_branches))
