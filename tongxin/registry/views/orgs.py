from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tongxin.accounts.policies import Action, can, get_visible_or_404, visible, with_visible_rosters
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership
from tongxin.people.selectors import branch_warnings_for, organizations_with_counts
from tongxin.units.models import Unit

from ..access import registry_page
from ..queries import member_counts, path_labels, tree_roots, visible_ancestors, visible_children
from .common import paginate, search_text


@registry_page
def org_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    nodes = visible(user, Organization)
    query = search_text(request)
    if query:
        found = nodes.filter(name__icontains=query).order_by("path")
    else:
        found = tree_roots(nodes)
        if len(found) == 1:
            return redirect("registry:org_detail", pk=found[0].pk)
    page = paginate(request, found.select_related("territory"))
    context = {
        "query": query,
        "page": page,
        "labels": path_labels(nodes, page.object_list),
        "members": member_counts(visible(user, Membership), page.object_list),
    }
    return render(request, "registry/orgs/list.html", context)


@registry_page
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = get_visible_or_404(user, Organization, pk)
    nodes = visible(user, Organization)
    memberships = visible(user, Membership)
    children = paginate(request, visible_children(nodes, org).select_related("territory"), param="cpage")
    members = memberships.filter(organization=org).select_related("person", "party_group", "employer")
    counted = organizations_with_counts(Organization.objects.filter(pk=org.pk)).get()
    # Rule findings count members, so they show only where the roster may be seen.
    roster_visible = with_visible_rosters(user).filter(pk=org.pk).exists()
    context = {
        "org": org,
        "ancestors": visible_ancestors(nodes, org),
        "children": children,
        "child_members": member_counts(memberships, children.object_list),
        "territory_visible": org.territory is not None and can(user, Action.VIEW, org.territory),
        "units": visible(user, Unit).filter(organizations=org).select_related("territory").order_by("name"),
        "member_total": members.count(),
        "members": paginate(request, members.order_by("person__name", "pk"), param="mpage"),
        "warnings": branch_warnings_for(counted) if roster_visible else [],
    }
    return render(request, "registry/orgs/detail.html", context)
