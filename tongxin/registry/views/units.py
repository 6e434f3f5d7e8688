from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import Action, can, can_create_under, creatable, get_visible_or_404, visible
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.orgs.models import Organization
from tongxin.orgs.selectors import units_with_org_flag
from tongxin.people.models import Membership
from tongxin.territory.models import Territory
from tongxin.units.models import Unit
from tongxin.units.services import unit_create, unit_update

from .. import exports
from ..access import registry_page
from ..edit_forms import UnitEditForm
from ..filters import UnitFilter
from ..forms import UnitForm
from ..listing import filter_data, sort_from
from ..queries import place_path
from .common import creatable_territories, field_feedback, paginate, places_for_edit, search_text


def _matching(units: QuerySet[Unit], query: str) -> QuerySet[Unit]:
    return units.filter(Q(name__icontains=query) | Q(credit_code=query.upper())) if query else units


UNIT_SORTS = {"name": ("name",), "kind": ("kind", "name"), "territory": ("territory__path", "name")}


def _filter(request: HttpRequest) -> UnitFilter:
    return UnitFilter(filter_data(request) or None, territories=visible(request.user, Territory))


def _listed(request: HttpRequest, units: QuerySet[Unit], query: str) -> QuerySet[Unit]:
    return _filter(request).apply(_matching(units, query))


@registry_page
def unit_list(request: HttpRequest) -> HttpResponse:
    query = search_text(request)
    filters = _filter(request)
    sort = sort_from(request, UNIT_SORTS, "name")
    units = filters.apply(_matching(visible(request.user, Unit), query))
    context = {
        "query": query,
        "filters": filters,
        "sort": sort,
        "page": paginate(
            request, units_with_org_flag(units).select_related("territory").order_by(*sort.order_by)
        ),
        "may_create": creatable(request.user, Territory).exists(),
        "may_export": visible(request.user, Unit, Action.EXPORT).exists(),
    }
    return render(request, "registry/units/list.html", context)


UNIT_EXPORT = exports.ListExport(
    model=Unit,
    filename=gettext_lazy("驻区单位名单"),
    title=gettext_lazy("驻区单位"),
    headers=exports.UNIT_HEADERS,
    text_columns=exports.UNIT_TEXT_COLUMNS,
    rows=exports.unit_rows,
)


@require_POST
@registry_page
def unit_export(request: HttpRequest) -> HttpResponse:
    return exports.export_list(request, UNIT_EXPORT, lambda rows, query: _listed(request, rows, query))


@registry_page
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = get_visible_or_404(user, Unit, pk)
    in_service = (
        visible(user, Membership)
        .filter(employer=unit)
        .select_related("person", "organization")
        .order_by("person__name_sort", "pk")
    )
    context = {
        "unit": unit,
        "tree_current": unit.territory if can(user, Action.VIEW, unit.territory) else None,
        "ancestors": place_path(user, unit.territory),
        "may_edit": can(user, Action.CHANGE, unit),
        "has_org": Organization.objects.filter(units=unit).exists(),
        "territory_visible": can(user, Action.VIEW, unit.territory),
        "organizations": visible(user, Organization).filter(units=unit).order_by("path"),
        "in_service": paginate(request, in_service, param="mpage"),
        "may_export_members": visible(user, Membership, Action.EXPORT).filter(employer=unit).exists(),
        "members_export": [("employer", unit.pk)],
        "export_private": exports.members_export_private(user, in_service),
    }
    return render(request, "registry/units/detail.html", context)


def _unit_form(request: HttpRequest) -> UnitForm:
    initial = {"territory": request.GET.get("territory", "")}
    return UnitForm(request.POST or None, territories=creatable_territories(request.user), initial=initial)


@registry_page
def unit_create_page(request: HttpRequest) -> HttpResponse:
    form = _unit_form(request)
    if request.method == "POST" and form.is_valid():
        # The choices already hold only creatable places; ask the policy itself before writing.
        if not can_create_under(request.user, form.cleaned_data["territory"]):
            raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
        try:
            unit = unit_create(**form.unit_args(), by=Actor.from_request(request))
        except ValidationError as exc:  # a concurrent registration of the same credit code
            form.add_service_error(exc)
        else:
            messages.success(request, _("已登记驻区单位“%(name)s”。") % {"name": unit.name})
            return redirect("registry:unit_detail", pk=unit.pk)
    return render(request, "registry/units/form.html", {"form": form})


@require_POST
@registry_page
def unit_validate(request: HttpRequest) -> HttpResponse:
    return field_feedback(request, _unit_form(request))


@registry_page
def unit_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = get_visible_or_404(user, Unit, pk, Action.CHANGE)
    places = places_for_edit(user, unit.territory_id)
    initial = {
        "name": unit.name,
        "credit_code": unit.credit_code,
        "kind": unit.kind,
        "territory": str(unit.territory_id),
        "address": unit.address,
    }
    form = UnitEditForm(request.POST or None, initial=initial, territories=places, unit=unit)
    if request.method == "POST" and "_field" in request.POST:
        return field_feedback(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            unit_update(unit=unit, **form.unit_args(), by=Actor.from_request(request))
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已保存驻区单位“%(name)s”。") % {"name": unit.name})
            return redirect("registry:unit_detail", pk=unit.pk)
    context = {"form": form, "unit": unit}
    return render(request, "registry/units/edit.html", context)
