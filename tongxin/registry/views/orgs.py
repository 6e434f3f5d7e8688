from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import Action, can, get_visible_or_404, visible, with_visible_rosters
from tongxin.orgs.models import MEMBER_HOLDING_KINDS, Organization
from tongxin.orgs.services import organization_edit
from tongxin.people.models import Membership
from tongxin.people.selectors import branch_warnings_for, organizations_with_counts
from tongxin.units.models import Unit

from .. import exports
from ..access import registry_page
from ..edit_forms import OrgEditForm
from ..filters import MembershipFilter, OrgFilter
from ..listing import filter_data, sort_from
from ..queries import member_counts, path_labels, tree_roots, visible_ancestors, visible_children
from ..tree_panel import search_nodes
from .common import node_edit, paginate, search_text

ORG_SORTS = {"name": ("name",), "code": ("code",), "kind": ("kind", "path"), "path": ("path",)}
ROSTER_SORTS = {"name": ("person__name_sort",), "joined": ("joined_on",), "status": ("status",)}


def _listed(request: HttpRequest, orgs: QuerySet[Organization], query: str) -> QuerySet[Organization]:
    orgs = OrgFilter(filter_data(request) or None).apply(orgs)
    return search_nodes(orgs, query) if query else orgs


@registry_page
def org_list(request: HttpRequest) -> HttpResponse:
    """Without search or filter: the account's top nodes, to browse down from. With either: every
    matching organisation in scope, as a sortable list."""
    user = request.user
    nodes = visible(user, Organization)
    query = search_text(request)
    filters = OrgFilter(request.GET or None)
    sort = sort_from(request, ORG_SORTS, "path")
    if query or filters.active:
        found = _listed(request, nodes, query)
        found = found.order_by(*sort.order_by) if "sort" in request.GET or not query else found
    else:
        found = tree_roots(nodes)
        if len(found) == 1:
            return redirect("registry:org_detail", pk=found[0].pk)
    page = paginate(request, found.select_related("territory"))
    context = {
        "query": query,
        "filters": filters,
        "sort": sort,
        "page": page,
        "labels": path_labels(nodes, page.object_list),
        "members": member_counts(visible(user, Membership), page.object_list),
        "may_export": visible(user, Organization, Action.EXPORT).exists(),
    }
    return render(request, "registry/orgs/list.html", context)


ORG_EXPORT = exports.ListExport(
    model=Organization,
    filename=gettext_lazy("党组织名单"),
    title=gettext_lazy("党组织"),
    headers=exports.ORG_HEADERS,
    text_columns=exports.ORG_TEXT_COLUMNS,
    rows=exports.org_rows,
)


@require_POST
@registry_page
def org_export(request: HttpRequest) -> HttpResponse:
    return exports.export_list(request, ORG_EXPORT, lambda rows, query: _listed(request, rows, query))


@registry_page
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = get_visible_or_404(user, Organization, pk)
    nodes = visible(user, Organization)
    memberships = visible(user, Membership)
    children = paginate(request, visible_children(nodes, org).select_related("territory"), param="cpage")
    roster_filter = MembershipFilter(request.GET or None)
    sort = sort_from(request, ROSTER_SORTS, "name")
    roster = memberships.filter(organization=org)
    members = roster_filter.apply(roster, orgs=nodes).select_related("person", "party_group", "employer")
    counted = organizations_with_counts(Organization.objects.filter(pk=org.pk)).get()
    # Rule findings count members, so they show only where the roster may be seen.
    roster_visible = with_visible_rosters(user).filter(pk=org.pk).exists()
    may_add = (
        org.kind in MEMBER_HOLDING_KINDS
        and not org.is_external
        and with_visible_rosters(user, Action.CREATE).filter(pk=org.pk).exists()
    )
    context = {
        "org": org,
        "tree_current": org,
        "ancestors": visible_ancestors(nodes, org),
        "children": children,
        "child_members": member_counts(memberships, children.object_list),
        "territory_visible": org.territory is not None and can(user, Action.VIEW, org.territory),
        "units": visible(user, Unit).filter(organizations=org).select_related("territory").order_by("name"),
        "member_total": roster.count(),
        "filters": roster_filter,
        "sort": sort,
        "members": paginate(request, members.order_by(*sort.order_by), param="mpage"),
        "warnings": branch_warnings_for(counted) if roster_visible else [],
        "may_add_member": may_add,
        "may_edit": can(user, Action.CHANGE, org),
        "may_edit_members": visible(user, Membership, Action.CHANGE).filter(organization=org).exists(),
        "may_export_roster": visible(user, Membership, Action.EXPORT).filter(organization=org).exists(),
        "export_extra": [("org", org.pk)],
        "export_private": exports.members_export_private(user, roster),
        "may_export_children": visible(user, Organization, Action.EXPORT).exists(),
        "children_export": [("parent", org.pk)],
    }
    return render(request, "registry/orgs/detail.html", context)


@registry_page
def org_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible_or_404(request.user, Organization, pk, Action.CHANGE)
    initial = {"name": org.name, "committee_elected_on": org.committee_elected_on}
    form = OrgEditForm(request.POST or None, initial=initial)
    return node_edit(
        request,
        org,
        form,
        lambda actor: organization_edit(organization=org, **form.cleaned_data, by=actor),
    )
