"""党员: the roster list across the account's organisations, "添加党员" on an organisation's page,
editing a membership, and the roster's Excel export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import (
    Action,
    creatable,
    get_visible_or_404,
    visible,
    with_visible_rosters,
)
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.orgs.models import MEMBER_HOLDING_KINDS, Organization
from tongxin.people.models import Membership, Person
from tongxin.people.services import member_add, membership_save
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .. import exports
from ..access import registry_page
from ..edit_forms import MemberAddForm, MembershipEditForm
from ..filters import MembershipFilter
from ..listing import filter_data, sort_from
from .common import field_feedback, paginate, search_text

MEMBER_SORTS = {
    "name": ("person__name_sort",),
    "joined": ("joined_on",),
    "org": ("organization__path",),
    "status": ("status",),
}


def _filter(request: HttpRequest) -> MembershipFilter:
    return MembershipFilter(filter_data(request) or None)


def _listed(request: HttpRequest, memberships: QuerySet[Membership], query: str) -> QuerySet[Membership]:
    rows = _filter(request).apply(memberships, orgs=with_visible_rosters(request.user))
    return rows.filter(person__name__icontains=query) if query else rows


@registry_page
def member_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    query = search_text(request)
    filters = _filter(request)
    sort = sort_from(request, MEMBER_SORTS, "name")
    rows = _listed(request, visible(user, Membership), query)
    context = {
        "query": query,
        "filters": filters,
        "sort": sort,
        "organization": filters.organization(with_visible_rosters(user)),
        "page": paginate(
            request,
            rows.select_related("person", "organization", "party_group", "employer").order_by(*sort.order_by),
        ),
        "may_export": visible(user, Membership, Action.EXPORT).exists(),
        "export_private": exports.members_export_private(user),
    }
    return render(request, "registry/members/list.html", context)


MEMBER_EXPORT = exports.ListExport(
    model=Membership,
    filename=gettext_lazy("党员名册"),
    title=gettext_lazy("党员名册"),
    headers=exports.MEMBER_HEADERS,
    text_columns=exports.MEMBER_TEXT_COLUMNS,
    rows=exports.member_rows,
    clear_rows=exports.members_in_clear,
)


@require_POST
@registry_page
def member_export(request: HttpRequest) -> HttpResponse:
    return exports.export_list(request, MEMBER_EXPORT, lambda rows, query: _listed(request, rows, query))


def member_addable(user: object, pk: int) -> Organization:
    """Organisations whose roster the account may add to: a branch, general branch or committee
    inside the district, on a roster the account holds CREATE on. Anything else is the 404."""
    org = (
        with_visible_rosters(user, Action.CREATE)
        .filter(pk=pk, kind__in=MEMBER_HOLDING_KINDS, is_external=False)
        .first()
    )
    if org is None:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    return org


def _add_form(request: HttpRequest, org: Organization) -> MemberAddForm:
    user = request.user
    return MemberAddForm(
        request.POST or None,
        organization=org,
        units=visible(user, Unit),
        today=timezone.localdate(),
        territories=creatable(user, Territory),
        rosters=with_visible_rosters(user),
    )


@registry_page
def member_add_page(request: HttpRequest, pk: int) -> HttpResponse:
    org = member_addable(request.user, pk)
    form = _add_form(request, org)
    if request.method == "POST" and "_field" in request.POST:
        return field_feedback(request, form)
    if request.method == "POST" and form.is_valid():
        data = form.membership_data()
        assert data is not None  # a valid form has status and joining date
        try:
            person = member_add(
                existing=form.existing,
                person=form.person_data(),
                membership=data,
                by=Actor.from_request(request),
                today=timezone.localdate(),
            )
        except ValidationError as exc:  # a concurrent registration of the same ID number or member
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("已将“%(name)s”编入“%(org)s”。") % {"name": person.name, "org": org.name}
            )
            return redirect("registry:org_detail", pk=org.pk)
    context = {"form": form, "org": org, "tree_current": org}
    return render(request, "registry/members/add.html", context)


@registry_page
def member_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    membership = get_visible_or_404(user, Membership, pk, Action.CHANGE)
    org = membership.organization
    initial = {
        "status": membership.status,
        "joined_on": membership.joined_on,
        "confirmed_on": membership.confirmed_on,
        "party_group": str(membership.party_group_id or ""),
        "in_service": membership.in_service,
        "employer": membership.employer.credit_code if membership.employer else "",
        "is_flowing": membership.is_flowing,
        "flow_direction": membership.flow_direction,
        "flow_place": membership.flow_place,
    }
    form = MembershipEditForm(
        request.POST or None,
        initial=initial,
        organization=org,
        units=visible(user, Unit) | Unit.objects.filter(pk=membership.employer_id or 0),
        today=timezone.localdate(),
        born_on=membership.person.birth_date,
    )
    if request.method == "POST" and "_field" in request.POST:
        return field_feedback(request, form)
    if request.method == "POST" and form.is_valid():
        data = form.membership_data()
        assert data is not None
        try:
            membership_save(
                person=membership.person,
                data=data,
                by=Actor.from_request(request),
                today=timezone.localdate(),
            )
        except ValidationError as exc:  # the checks run again at save time, against fresh data
            form.add_service_error(exc)
        else:
            messages.success(request, _("已保存“%(name)s”的党员信息。") % {"name": membership.person.name})
            return redirect("registry:org_detail", pk=org.pk)
    person_visible = visible(user, Person).filter(pk=membership.person_id).exists()
    context = {
        "form": form,
        "membership": membership,
        "org": org,
        "tree_current": org,
        "person_visible": person_visible,
    }
    return render(request, "registry/members/edit.html", context)
