"""Reads over the organisation tree: coverage (覆盖率) of units by party organisations."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from tongxin.core.trees import subtree_q
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .models import Organization


@dataclass(frozen=True)
class CoverageRow:
    territory: Territory
    units: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.units - self.covered

    @property
    def rate(self) -> float | None:
        return self.covered / self.units if self.units else None


def units_with_org_flag(units: QuerySet[Unit]) -> QuerySet[Unit]:
    return units.annotate(has_org=Exists(Organization.units.through.objects.filter(unit_id=OuterRef("pk"))))


def coverage_by_child(*, territory: Territory, visible_units: QuerySet[Unit]) -> list[CoverageRow]:
    """For each child of `territory`: units located in its subtree, and how many have a party
    organisation. One grouped query: units are bucketed by the child's path prefix."""
    children = list(Territory.objects.get_children(territory))
    if not children:
        return []
    prefix_len = len(children[0].path)
    rows = (
        units_with_org_flag(visible_units.filter(subtree_q([territory.path], field="territory__path")))
        .order_by()  # treebeard and Meta ordering would otherwise join the GROUP BY
        .annotate(bucket=Substr("territory__path", 1, prefix_len))
        .values("bucket")
        .annotate(total=Count("id"), covered=Count("id", filter=Q(has_org=True)))
    )
    by_bucket = {r["bucket"]: r for r in rows}
    return [
        CoverageRow(
            territory=child,
            units=by_bucket.get(child.path, {}).get("total", 0),
            covered=by_bucket.get(child.path, {}).get("covered", 0),
        )
        for child in children
    ]


def coverage_total(*, territory: Territory, visible_units: QuerySet[Unit]) -> CoverageRow:
    counts = (
        units_with_org_flag(visible_units.filter(subtree_q([territory.path], field="territory__path")))
        .order_by()
        .aggregate(total=Count("id"), covered=Count("id", filter=Q(has_org=True)))
    )
    return CoverageRow(territory=territory, units=counts["total"], covered=counts["covered"])
