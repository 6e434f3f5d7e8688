"""Sizes of the generated world, per DESIGN.md §9. Ranges are (min, max) drawn per parent node."""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Tier:
    name: str
    districts: int
    streets: tuple[int, int]  # per district
    town_share: float  # the last streets of a district are 镇 with 村
    communities: tuple[int, int]  # per street
    grids: tuple[int, int]  # per community
    residents: tuple[int, int]  # per community
    community_member_share: float  # residents who are members of a community branch
    branch_size: tuple[int, int]  # members of a community branch
    units: tuple[int, int]  # 驻区单位 per community
    unit_member_scale: float  # members of a unit's branch, relative to naming.UNIT_KIND_MIX
    violations_per_kind: int  # deliberate 支部工作条例 violations per district, for the warnings page


TIERS = {
    # For tests: every kind of node and rule violation, in a few hundred rows.
    "tiny": Tier(
        name="tiny",
        districts=1,
        streets=(2, 2),
        town_share=0.5,
        communities=(2, 2),
        grids=(1, 2),
        residents=(80, 100),
        community_member_share=0.6,
        branch_size=(30, 56),
        units=(3, 3),
        unit_member_scale=0.4,
        violations_per_kind=1,
    ),
    "small": Tier(
        name="small",
        districts=1,
        streets=(3, 3),
        town_share=0.34,
        communities=(4, 4),
        grids=(2, 2),
        residents=(1550, 1800),
        community_member_share=0.07,
        branch_size=(30, 55),
        units=(3, 5),
        unit_member_scale=1.0,
        violations_per_kind=1,
    ),
    "district": Tier(
        name="district",
        districts=1,
        streets=(12, 12),
        town_share=0.17,
        communities=(22, 28),
        grids=(4, 7),
        residents=(3600, 4700),
        community_member_share=0.07,
        branch_size=(20, 55),
        units=(4, 8),
        unit_member_scale=1.0,
        violations_per_kind=2,
    ),
}
# A city is twenty districts generated the same way, each under its own 区委.
TIERS["city"] = replace(TIERS["district"], name="city", districts=20)
