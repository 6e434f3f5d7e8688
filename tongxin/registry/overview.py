"""What the 工作台 shows for one account: counts, coverage of units by party organisations, and
the branch-rule warnings, all inside the account's scope."""

from dataclasses import dataclass, field
from typing import Any

from tongxin.accounts.policies import visible, with_visible_rosters
from tongxin.orgs.models import Organization
from tongxin.orgs.selectors import CoverageRow, coverage_by_child, coverage_total
from tongxin.people.models import Membership, Person
from tongxin.people.selectors import BranchWarnings, branch_warnings
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .queries import tree_roots


@dataclass
class Coverage:
    """Coverage rows for the children of the account's top territory node, or, when the account
    holds several unrelated territory grants, one row per granted node."""

    scope: list[Territory]
    rows: list[CoverageRow]
    units: int = 0
    covered: int = 0

    @property
    def rate(self) -> float | None:
        return self.covered / self.units if self.units else None

    def chart_data(self) -> dict[str, Any]:
        return {
            "names": [row.territory.name for row in self.rows],
            "covered": [row.covered for row in self.rows],
            "uncovered": [row.uncovered for row in self.rows],
        }


@dataclass
class Overview:
    counts: dict[str, int]
    coverage: Coverage | None
    warnings: list[BranchWarnings] = field(default_factory=list)


def scope_coverage(user: Any) -> Coverage | None:
    roots = list(tree_roots(visible(user, Territory)))
    if not roots:
        return None
    units = visible(user, Unit)
    if len(roots) == 1:
        root = roots[0]
        total = coverage_total(territory=root, visible_units=units)
        rows = coverage_by_child(territory=root, visible_units=units)
        # Units registered on the node itself (a community's units sit on the community, not on
        # its grids) belong to no child row: they get a row of their own under the node's name.
        direct = CoverageRow(
            territory=root,
            units=total.units - sum(r.units for r in rows),
            covered=total.covered - sum(r.covered for r in rows),
        )
        if direct.units or not rows:
            rows = [*rows, direct]
    else:
        rows = [coverage_total(territory=root, visible_units=units) for root in roots]
    return Coverage(
        scope=roots,
        rows=rows,
        units=sum(r.units for r in rows),
        covered=sum(r.covered for r in rows),
    )


def overview_for(user: Any) -> Overview:
    counts = {
        "territories": visible(user, Territory).count(),
        "organizations": visible(user, Organization).count(),
        "units": visible(user, Unit).count(),
        "persons": visible(user, Person).count(),
        "members": visible(user, Membership).count(),
    }
    return Overview(
        counts=counts,
        coverage=scope_coverage(user),
        warnings=branch_warnings(with_visible_rosters(user)),
    )
