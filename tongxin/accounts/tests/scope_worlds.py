"""Random worlds for the scope property tests: two trees, units, people and one account's grants,
plus an oracle that computes what the account may see by walking parent links, independently of
the materialised paths the policies use."""

import contextlib
import itertools
from dataclasses import dataclass, field
from datetime import date

from hypothesis import strategies as st

from conftest import NOW, SYSTEM, add_member, add_person, new_credit_code
from tongxin.accounts.models import Role, User
from tongxin.accounts.policies import ROLE_ACTIONS, Action
from tongxin.accounts.services import role_grant
from tongxin.core.errors import ApplicationError
from tongxin.orgs.models import OrgKind
from tongxin.orgs.services import organization_create
from tongxin.territory.services import territory_create
from tongxin.units.services import unit_create

OFFICE = {Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF}

# A world spec: streets → communities → grids (counts), units (community index, has own branch),
# persons (residence index or None, membership branch index or None), grants (role, tree, node).
# Registry roles are drawn more often than the rest: they are where the scope rules live.
roles = st.sampled_from([*OFFICE, Role.UNIT_CONTACT, Role.GRID_WORKER]) | st.sampled_from(list(Role))
community_spec = st.integers(min_value=0, max_value=2)  # grids per community
street_spec = st.lists(community_spec, min_size=1, max_size=3)
world_spec = st.fixed_dictionaries(
    {
        "streets": st.lists(street_spec, min_size=1, max_size=3),
        "branches_per_community": st.integers(min_value=0, max_value=2),
        "units": st.lists(st.tuples(st.integers(0, 50), st.booleans()), min_size=1, max_size=4),
        "persons": st.lists(
            st.tuples(st.integers(0, 50) | st.none(), st.integers(0, 50) | st.none()), min_size=2, max_size=8
        ),
        "grants": st.lists(
            st.tuples(roles, st.sampled_from(["territory", "organization"]), st.integers(0, 50)),
            min_size=1,
            max_size=3,
        ),
        "self_person": st.integers(0, 50) | st.none(),
    }
)


@dataclass
class World:
    territories: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    branches: list = field(default_factory=list)
    units: list = field(default_factory=list)
    persons: list = field(default_factory=list)
    parent: dict = field(default_factory=dict)  # (kind, pk) -> (kind, pk) of the parent node
    user: User | None = None


_codes = itertools.count(1)


def build(spec: dict) -> World:
    w = World()
    district = territory_create(name="区", code="310199", level="district", parent=None, by=SYSTEM)
    committee = organization_create(
        name="区委",
        code=f"H{next(_codes)}",
        kind=OrgKind.COMMITTEE,
        parent=None,
        territory=district,
        by=SYSTEM,
    )
    w.territories.append(district)
    w.organizations.append(committee)
    communities = []
    for s, street_grids in enumerate(spec["streets"], start=1):
        street = territory_create(
            name=f"街道{s}", code=f"310199{s:03d}", level="street", parent=district, by=SYSTEM
        )
        w.territories.append(street)
        w.parent[("t", street.pk)] = ("t", district.pk)
        working = organization_create(
            name=f"党工委{s}",
            code=f"H{next(_codes)}",
            kind=OrgKind.WORKING_COMMITTEE,
            parent=committee,
            territory=street,
            by=SYSTEM,
        )
        w.organizations.append(working)
        w.parent[("o", working.pk)] = ("o", committee.pk)
        for c, grids in enumerate(street_grids, start=1):
            community = territory_create(
                name=f"社区{s}-{c}", code=f"{street.code}{c:03d}", level="community", parent=street, by=SYSTEM
            )
            w.territories.append(community)
            communities.append(community)
            w.parent[("t", community.pk)] = ("t", street.pk)
            cc = organization_create(
                name=f"社区党委{s}-{c}",
                code=f"H{next(_codes)}",
                kind=OrgKind.COMMITTEE,
                parent=working,
                territory=community,
                by=SYSTEM,
            )
            w.organizations.append(cc)
            w.parent[("o", cc.pk)] = ("o", working.pk)
            for g in range(1, grids + 1):
                grid = territory_create(
                    name=f"网格{s}-{c}-{g}",
                    code=f"{community.code}{g:03d}",
                    level="grid",
                    parent=community,
                    by=SYSTEM,
                )
                w.territories.append(grid)
                w.parent[("t", grid.pk)] = ("t", community.pk)
            for b in range(spec["branches_per_community"]):
                branch = organization_create(
                    name=f"支部{s}-{c}-{b}",
                    code=f"H{next(_codes)}",
                    kind=OrgKind.BRANCH,
                    parent=cc,
                    territory=community,
                    by=SYSTEM,
                )
                w.organizations.append(branch)
                w.branches.append(branch)
                w.parent[("o", branch.pk)] = ("o", cc.pk)
    external = organization_create(
        name="区外集团党委",
        code=f"H{next(_codes)}",
        kind=OrgKind.COMMITTEE,
        parent=None,
        territory=None,
        is_external=True,
        by=SYSTEM,
    )
    w.organizations.append(external)
    for i, (where, has_branch) in enumerate(spec["units"]):
        community = communities[where % len(communities)]
        unit = unit_create(
            name=f"单位{i}",
            credit_code=new_credit_code(),
            kind="private_enterprise",
            territory=community,
            by=SYSTEM,
        )
        w.units.append(unit)
        if has_branch:
            branch = organization_create(
                name=f"单位支部{i}",
                code=f"H{next(_codes)}",
                kind=OrgKind.BRANCH,
                parent=external,
                territory=community,
                units=[unit],
                by=SYSTEM,
            )
            w.organizations.append(branch)
            w.branches.append(branch)
            w.parent[("o", branch.pk)] = ("o", external.pk)
    for i, (residence, branch) in enumerate(spec["persons"]):
        home = w.territories[residence % len(w.territories)] if residence is not None else None
        person = add_person(f"人员{i}", home, birth=date(1970 + i, 1, 1))
        if branch is not None and w.branches:
            add_member(person, w.branches[branch % len(w.branches)])
        w.persons.append(person)
    own = (
        w.persons[spec["self_person"] % len(w.persons)]
        if spec["self_person"] is not None and w.persons
        else None
    )
    w.user = User.objects.create_user(username=f"u{next(_codes)}", password="x", person=own)
    for role, tree, index in spec["grants"]:
        nodes = w.territories if tree == "territory" else [o for o in w.organizations if not o.is_external]
        node = nodes[index % len(nodes)]
        # Refused grants (三员分立, duplicates) are part of the space: the account keeps the others.
        with contextlib.suppress(ApplicationError):
            role_grant(user=w.user, role=role, by=SYSTEM, now=NOW, **{tree: node})
    w.user = User.objects.get(pk=w.user.pk)
    return w


# --- The oracle ------------------------------------------------------------------------------


def _ancestors_or_self(w: World, key: tuple[str, int]) -> set[tuple[str, int]]:
    seen = {key}
    while key in w.parent:
        key = w.parent[key]
        seen.add(key)
    return seen


def expected_visible(w: World, model_name: str, action: Action) -> set[int]:
    """Which pks of a model the account may act on, from the rules as written in the issue."""
    grants = [
        g for g in w.user.grants.filter(revoked_at__isnull=True) if action in ROLE_ACTIONS.get(g.role, ())
    ]
    t_nodes = {(g.role, ("t", g.territory_id)) for g in grants if g.territory_id}
    o_nodes = {(g.role, ("o", g.organization_id)) for g in grants if g.organization_id}

    def under(key: tuple[str, int] | None, nodes: set, roles: set) -> bool:
        if key is None:
            return False
        chain = _ancestors_or_self(w, key)
        return any(role in roles and node in chain for role, node in nodes)

    result: set[int] = set()
    if model_name == "territory":
        result = {t.pk for t in w.territories if under(("t", t.pk), t_nodes, OFFICE | {Role.GRID_WORKER})}
    elif model_name == "organization":
        for o in w.organizations:
            if under(("t", o.territory_id) if o.territory_id else None, t_nodes, OFFICE) or under(
                ("o", o.pk), o_nodes, OFFICE | {Role.UNIT_CONTACT}
            ):
                result.add(o.pk)
    elif model_name == "unit":
        for u in w.units:
            orgs = list(u.organizations.all())
            if under(("t", u.territory_id), t_nodes, OFFICE) or any(
                under(("o", o.pk), o_nodes, OFFICE | {Role.UNIT_CONTACT}) for o in orgs
            ):
                result.add(u.pk)
    elif model_name in {"person", "membership"}:
        for p in w.persons:
            m = getattr(p, "membership", None)
            org = m.organization if m else None
            roster = org is not None and (
                under(("o", org.pk), o_nodes, OFFICE | {Role.UNIT_CONTACT})
                or (not org.units.exists() and under(("t", org.territory_id), t_nodes, OFFICE))
            )
            mine = action == Action.VIEW and w.user.person_id == p.pk
            if model_name == "person":
                home = ("t", p.residence_id) if p.residence_id else None
                if under(home, t_nodes, OFFICE | {Role.GRID_WORKER}) or roster or mine:
                    result.add(p.pk)
            elif m is not None and (roster or mine):
                result.add(m.pk)
    return result
