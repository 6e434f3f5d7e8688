from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import Action, can, can_create_under, get_visible_or_404, visible
from tongxin.core.trees import subtree_q
from tongxin.orgs.selectors import coverage_by_child, units_with_org_flag
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.territory.services import territory_rename
from tongxin.units.models import Unit

from .. import exports
from ..access import registry_page
from ..edit_forms import NodeRenameForm
from ..filters import TerritoryFilter
from ..listing import filter_data, sort_from
from ..queries import counts_by_child, path_labels, tree_roots, visible_ancestors, visible_children
from ..tree_panel import search_nodes
from .common import node_edit, paginate, search_text

TERRITORY_SORTS = {"name": ("name",), "code": ("code",), "level": ("depth", "path"), "path": ("path",)}


def _listed(request: HttpRequest, nodes: QuerySet[Territory], query: str) -> QuerySet[Territory]:
    nodes = TerritoryFilter(filter_data(request) or None).apply(nodes)
    return search_nodes(nodes, query) if query else nodes


@registry_page
def territory_list(request: HttpRequest) -> HttpResponse:
    """Where browsing starts: the account's top nodes; with a search (name, pinyin or initials) or
    a level filter, every matching node in scope."""
    nodes = visible(request.user, Territory)
    query = search_text(request)
    filters = TerritoryFilter(request.GET or None)
    sort = sort_from(request, TERRITORY_SORTS, "path")
    if query or filters.active:
        found = _listed(request, nodes, query)
        found = found.order_by(*sort.order_by) if "sort" in request.GET or not query else found
    else:
        found = tree_roots(nodes)
        if len(found) == 1:  # one grant, one top node: go straight to it
            return redirect("registry:territory_detail", pk=found[0].pk)
    page = paginate(request, found)
    context = {
        "query": query,
        "filters": filters,
        "sort": sort,
        "page": page,
        "labels": path_labels(nodes, page.object_list),
        "may_export": visible(request.user, Territory, Action.EXPORT).exists(),
    }
    return render(request, "registry/territory/list.html", context)


TERRITORY_EXPORT = exports.ListExport(
    model=Territory,
    filename=gettext_lazy("属地名单"),
    title=gettext_lazy("属地"),
    headers=exports.TERRITORY_HEADERS,
    text_columns=exports.TERRITORY_TEXT_COLUMNS,
    rows=exports.territory_rows,
)


@require_POST
@registry_page
def territory_export(request: HttpRequest) -> HttpResponse:
    return exports.export_list(request, TERRITORY_EXPORT, lambda rows, query: _listed(request, rows, query))


@registry_page
def territory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    node = get_visible_or_404(user, Territory, pk)
    nodes = visible(user, Territory)
    units = visible(user, Unit)
    children = list(visible_children(nodes, node))
    coverage = {row.territory.pk: row for row in coverage_by_child(territory=node, visible_units=units)}
    residents = counts_by_child(children, visible(user, Person), "residence__path")
    unit_counts = counts_by_child(children, units, "territory__path")
    rows = [
        {
            "node": child,
            "residents": residents.get(child.path, 0),
            "units": unit_counts.get(child.path, 0),
            "coverage": coverage.get(child.pk),
        }
        for child in children
    ]
    subtree_units = units_with_org_flag(units.filter(subtree_q([node.path], field="territory__path")))
    context = {
        "node": node,
        "tree_current": node,
        "ancestors": visible_ancestors(nodes, node),
        "children": paginate(request, rows, param="cpage"),
        "units": paginate(
            request, subtree_units.select_related("territory").order_by("name", "pk"), param="upage"
        ),
        "resident_total": visible(user, Person)
        .filter(subtree_q([node.path], field="residence__path"))
        .count(),
        "may_create": can_create_under(user, node),
        "may_edit": can(user, Action.CHANGE, node),
        # Each table exports as shown: the node's children, the units of its subtree.
        "may_export_children": visible(user, Territory, Action.EXPORT).exists(),
        "may_export_units": visible(user, Unit, Action.EXPORT).exists(),
        "children_export": [("parent", node.pk)],
        "units_export": [("territory", node.pk)],
    }
    return render(request, "registry/territory/detail.html", context)


@registry_page
def territory_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_visible_or_404(request.user, Territory, pk, Action.CHANGE)
    form = NodeRenameForm(request.POST or None, initial={"name": node.name})
    return node_edit(
        request,
        node,
        form,
        lambda actor: territory_rename(territory=node, name=form.cleaned_data["name"], by=actor),
    )
