"""Page-shaped reads over the two trees, always on a queryset the policy module has already scoped.

These are small and specific to how the registry pages browse a tree level by level, so they live
beside the pages; the domain selectors stay in their apps."""

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.db.models import Count, QuerySet
from django.db.models.functions import Length, Substr
from treebeard.mp_tree import MP_Node

from tongxin.accounts.policies import visible
from tongxin.core.trees import subtree_q

N = TypeVar("N", bound=MP_Node)


def tree_roots(nodes: QuerySet[N]) -> QuerySet[N]:
    """The visible nodes whose parent is not visible: where an account's view of a tree starts.

    A street's staff see their street's subtree in the territory tree, but in the organisation tree
    they see scattered subtrees (the territorial branches, a unit's branch under an external
    superior), so the starting points are computed from the visible set, not from the grants."""
    step = nodes.model.steplen
    return (
        nodes.annotate(parent_path=Substr("path", 1, Length("path") - step))
        .exclude(parent_path__in=nodes.values("path"))
        .order_by("path")
    )


def visible_ancestors(nodes: QuerySet[N], node: N) -> list[N]:
    """The breadcrumb above `node`, leaving out ancestors the account may not see."""
    step = type(node).steplen
    paths = [node.path[: step * depth] for depth in range(1, node.depth)]
    return list(nodes.filter(path__in=paths).order_by("depth"))


def visible_children(nodes: QuerySet[N], node: N) -> QuerySet[N]:
    return nodes.filter(subtree_q([node.path]), depth=node.depth + 1).order_by("path")


def place_path(user: object, place: MP_Node | None) -> list[MP_Node]:
    """The breadcrumb of a place (a person's residence, a unit's location): its visible
    ancestors and itself, as far as the account may see them."""
    if place is None:
        return []
    nodes = visible(user, type(place))
    return [*visible_ancestors(nodes, place), *nodes.filter(pk=place.pk)]


def counts_by_child(children: Sequence[MP_Node], rows: QuerySet, path_field: str) -> dict[str, int]:  # type: ignore[type-arg]
    """How many of `rows` fall in each child's subtree, in one grouped query: rows are bucketed by
    the prefix of their tree path that names the child. `rows` is already scoped to the caller."""
    if not children:
        return {}
    prefix_len = len(children[0].path)
    parent_path = children[0].path[: -type(children[0]).steplen]
    grouped = (
        rows.filter(subtree_q([parent_path], field=path_field))
        .order_by()  # Meta and treebeard orderings would otherwise join the GROUP BY
        .annotate(bucket=Substr(path_field, 1, prefix_len))
        .values("bucket")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["bucket"]: row["n"] for row in grouped}


def path_labels(nodes: QuerySet[N], page: Iterable[N]) -> dict[int, str]:
    """For each node of a search result, the visible nodes above it ("街道 › 社区"), fetched in one
    query for the whole page so that equal names in different places can be told apart."""
    page = list(page)
    step = nodes.model.steplen
    wanted = {n.path[: step * d] for n in page for d in range(1, n.depth)}
    names = dict(nodes.filter(path__in=wanted).values_list("path", "name")) if wanted else {}
    return {
        n.pk: " › ".join(names[n.path[: step * d]] for d in range(1, n.depth) if n.path[: step * d] in names)
        for n in page
    }


def member_counts(memberships: QuerySet, orgs: Iterable[MP_Node]) -> dict[int, int]:  # type: ignore[type-arg]
    """Members recorded directly in each organisation, counting only memberships the caller may
    see (a street sees a unit's branch, not its internal member records)."""
    ids = [o.pk for o in orgs]
    if not ids:
        return {}
    rows = (
        memberships.filter(organization_id__in=ids)
        .order_by()
        .values("organization_id")
        .annotate(n=Count("pk"))
    )
    return {row["organization_id"]: row["n"] for row in rows}
