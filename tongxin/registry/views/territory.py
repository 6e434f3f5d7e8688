from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tongxin.accounts.policies import can_create_under, get_visible_or_404, visible
from tongxin.core.trees import subtree_q
from tongxin.orgs.selectors import coverage_by_child, units_with_org_flag
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from ..access import registry_page
from ..queries import counts_by_child, path_labels, tree_roots, visible_ancestors, visible_children
from .common import paginate, search_text


@registry_page
def territory_list(request: HttpRequest) -> HttpResponse:
    """Where browsing starts: the account's top nodes, or the nodes whose name matches."""
    nodes = visible(request.user, Territory)
    query = search_text(request)
    if query:
        found = nodes.filter(name__icontains=query).order_by("path")
    else:
        found = tree_roots(nodes)
        if len(found) == 1:  # one grant, one top node: go straight to it
            return redirect("registry:territory_detail", pk=found[0].pk)
    page = paginate(request, found)
    context = {"query": query, "page": page, "labels": path_labels(nodes, page.object_list)}
    return render(request, "registry/territory/list.html", context)


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
        "ancestors": visible_ancestors(nodes, node),
        "children": paginate(request, rows, param="cpage"),
        "units": paginate(
            request, subtree_units.select_related("territory").order_by("name", "pk"), param="upage"
        ),
        "resident_total": visible(user, Person)
        .filter(subtree_q([node.path], field="residence__path"))
        .count(),
        "may_create": can_create_under(user, node),
    }
    return render(request, "registry/territory/detail.html", context)
