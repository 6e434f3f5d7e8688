"""The two trees in the left panel of the workbench: the caller's top nodes, the path down to the
node the page is about (expanded), and one level of children per expansion, fetched when asked.

Every read starts from the policy module's visible set, so a node the account may not see is
never drawn, not even as "has children"."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Exists, F, IntegerField, Lookup, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from tongxin.accounts.policies import visible
from tongxin.core.search_keys import normalize_query, search_key, subsequence_pattern, subsequence_regex
from tongxin.orgs.models import Organization
from tongxin.territory.models import Territory, TerritoryLevel

from .queries import path_labels, tree_roots, visible_children

# A panel lists at most this many nodes per level; the node's own page lists them all.
LEVEL_LIMIT = 100
SEARCH_LIMIT = 12


@dataclass(frozen=True)
class Tree:
    slug: str
    model: type[MP_Node]
    detail: str
    label: Any


TREES = {
    "territory": Tree("territory", Territory, "registry:territory_detail", _("属地")),
    "org": Tree("org", Organization, "registry:org_detail", _("党组织")),
}


def tree_of(node: object) -> Tree | None:
    return next((t for t in TREES.values() if isinstance(node, t.model)), None)


# The places a search example is taken from: the levels a secretary looks for by name.
EXAMPLE_LEVELS = (
    TerritoryLevel.STREET,
    TerritoryLevel.TOWN,
    TerritoryLevel.COMMUNITY,
    TerritoryLevel.VILLAGE,
)


@dataclass(frozen=True)
class SearchExample:
    name: str
    initials: str
    full: str


def search_example(user: Any, model: type[MP_Node] = Territory) -> SearchExample | None:
    """The search hint's example from the account's own scope (its first street or community, or
    its first organisation), so that what it shows can be typed and found; None when there is
    no such node."""
    nodes: QuerySet[Any] = visible(user, model)  # type: ignore[arg-type]
    if model is Territory:
        nodes = nodes.filter(level__in=EXAMPLE_LEVELS)
    place = nodes.order_by("depth", "path").only("name", "search_key").first()
    if place is None:
        return None
    # "<initials of each reading> <full readings joined by |>": the first reading of each.
    key = place.search_key or search_key(place.name)
    initials = key.split(" ", 1)[0]
    full = key.rsplit(" ", 1)[-1].split("|")[0]
    if not initials or not full:
        return None
    return SearchExample(name=place.name, initials=initials, full=full)


@dataclass
class PanelNode:
    node: MP_Node
    url: str
    children_url: str
    has_children: bool
    current: bool = False
    children: list["PanelNode"] | None = None  # None: not loaded yet
    more: int = 0  # children beyond LEVEL_LIMIT, reached through the node's page


def with_child_flag(nodes: QuerySet[Any], visible_nodes: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate whether a node has a child the account may see: one EXISTS per row, served by
    the path index (a child's path is the parent's plus one step)."""
    step = nodes.model.steplen
    kids = visible_nodes.filter(
        path__gt=OuterRef("path"),
        path__lte=Concat(OuterRef("path"), Value("Z" * step)),
        depth=OuterRef("depth") + 1,
    )
    return nodes.annotate(has_kids=Exists(kids))


def _panel_nodes(
    tree: Tree, rows: QuerySet[Any], visible_nodes: QuerySet[Any]
) -> tuple[list[PanelNode], int]:
    found = list(with_child_flag(rows, visible_nodes)[: LEVEL_LIMIT + 1])
    shown = [
        PanelNode(
            node=n,
            url=reverse(tree.detail, args=[n.pk]),
            children_url=reverse("registry:tree_children", args=[tree.slug, n.pk]),
            has_children=bool(n.has_kids),
        )
        for n in found[:LEVEL_LIMIT]
    ]
    more = rows.count() - LEVEL_LIMIT if len(found) > LEVEL_LIMIT else 0
    return shown, more


def children_of(user: Any, tree: Tree, parent: MP_Node) -> tuple[list[PanelNode], int]:
    nodes = visible(user, tree.model)
    return _panel_nodes(tree, visible_children(nodes, parent), nodes)


@dataclass
class Panel:
    tree: Tree
    roots: list[PanelNode] = field(default_factory=list)
    more: int = 0


def panel_for(user: Any, tree: Tree, current: MP_Node | None) -> Panel:
    """The tree's top nodes for the account; with `current` in this tree, every visible node on
    its path comes expanded and `current` is marked."""
    nodes = visible(user, tree.model)
    roots, more = _panel_nodes(tree, tree_roots(nodes), nodes)
    if current is not None and isinstance(current, tree.model):
        _expand_path(user, tree, roots, current)
    return Panel(tree=tree, roots=roots, more=more)


def _expand_path(user: Any, tree: Tree, level: list[PanelNode], current: MP_Node) -> None:
    while level:
        on_path = next((p for p in level if current.path.startswith(p.node.path)), None)
        if on_path is None:
            return
        if on_path.node.pk == current.pk:
            on_path.current = True
            return
        on_path.children, on_path.more = children_of(user, tree, on_path.node)
        level = on_path.children


class Like(Lookup):  # type: ignore[type-arg]
    """SQL LIKE with a pattern built by us (Django's lookups escape % and _ in the value)."""

    lookup_name = "tx_like"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


@dataclass
class Found:
    tree: Tree
    node: MP_Node
    url: str
    path: str


def search_nodes(nodes: QuerySet[Any], text: str) -> QuerySet[Any]:
    """Nodes whose name contains `text`, or whose pinyin key matches it: a substring of the
    initials or the full pinyin ranks first, the letters as an in-order subsequence of the
    initials after ("dhjd" → 定海路街道). One query over the stored key."""
    text = text.strip()[:50]
    if not text:
        return nodes.none()
    letters = normalize_query(text)
    if not letters:
        return nodes.filter(name__icontains=text).order_by("depth", "path")
    contiguous = Q(Contains(F("search_key"), letters))
    # LIKE narrows cheaply; the regular expression (PostgreSQL's, or the one Django registers on
    # SQLite) keeps the letters within one reading of the name.
    subsequence = Q(Like(F("search_key"), subsequence_pattern(letters))) & Q(
        search_key__regex=subsequence_regex(letters)
    )
    return (
        nodes.filter(contiguous | subsequence | Q(name__icontains=text))
        .annotate(rank=Case(When(contiguous, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("rank", "depth", "path")
    )


def tree_search(user: Any, text: str) -> list[tuple[Tree, list[Found]]]:
    result = []
    for tree in TREES.values():
        nodes = visible(user, tree.model)
        hits = list(search_nodes(nodes, text)[:SEARCH_LIMIT])
        labels = path_labels(nodes, hits)
        found = [Found(tree, n, reverse(tree.detail, args=[n.pk]), labels.get(n.pk, "")) for n in hits]
        if found:
            result.append((tree, found))
    return result
