from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import (
    Action,
    can,
    can_create_under,
    creatable,
    get_visible_or_404,
    person_to_reveal,
    visible,
)
from tongxin.core import masking
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.people.models import Membership, Person
from tongxin.people.selectors import looks_like_id_number, persons_matching
from tongxin.people.services import REVEALABLE, person_create, person_reveal, person_update
from tongxin.territory.models import Territory

from .. import exports
from ..access import registry_page
from ..edit_forms import PersonEditForm
from ..filters import PersonFilter
from ..forms import PersonForm
from ..listing import filter_data, sort_from
from ..queries import place_path
from .common import creatable_territories, field_feedback, paginate, places_for_edit, search_text

PERSON_SORTS = {
    "name": ("name_sort",),
    "age": ("-birth_date",),  # youngest first when ascending by age
    "residence": ("residence__path",),
}


def _filter(request: HttpRequest) -> PersonFilter:
    return PersonFilter(filter_data(request) or None, territories=visible(request.user, Territory))


def _listed(request: HttpRequest, persons: QuerySet[Person], query: str) -> QuerySet[Person]:
    return _filter(request).apply(persons_matching(persons=persons, query=query), today=timezone.localdate())


@registry_page
def person_list(request: HttpRequest) -> HttpResponse:
    persons = visible(request.user, Person)
    query = search_text(request)
    if request.method == "POST" and not looks_like_id_number(query):
        # A name search becomes an ordinary address, so that its pages can be linked and paged.
        return redirect(f"{request.path}?{urlencode({'q': query})}" if query else request.path)
    sort = sort_from(request, PERSON_SORTS, "name")
    filters = _filter(request)
    rows = (
        filters.apply(persons_matching(persons=persons, query=query), today=timezone.localdate())
        .select_related("residence", "membership")
        .defer("address")
        .order_by(*sort.order_by)
    )
    context = {
        "query": query,
        "query_private": looks_like_id_number(query),
        "filters": filters,
        "sort": sort,
        "page": paginate(request, rows),
        "may_create": creatable(request.user, Territory).exists(),
        "may_export": visible(request.user, Person, Action.EXPORT).exists(),
        "export_private": exports.persons_export_private(request.user),
    }
    return render(request, "registry/persons/list.html", context)


PERSON_EXPORT = exports.ListExport(
    model=Person,
    filename=gettext_lazy("人员名单"),
    title=gettext_lazy("人员"),
    headers=exports.PERSON_HEADERS,
    text_columns=exports.PERSON_TEXT_COLUMNS,
    rows=exports.person_rows,
    clear_rows=exports.persons_in_clear,
)


@require_POST  # the search it carries may be an ID number
@registry_page
def person_export(request: HttpRequest) -> HttpResponse:
    return exports.export_list(request, PERSON_EXPORT, lambda rows, query: _listed(request, rows, query))


def field_label(field: str) -> str:
    return str(getattr(Person._meta.get_field(field), "verbose_name", field))


def _detail_context(request: HttpRequest, person: Person, revealed: dict[str, str]) -> dict[str, Any]:
    user = request.user
    residence = person.residence
    membership = (
        visible(user, Membership)
        .filter(person=person)
        .select_related("organization", "party_group", "employer")
        .first()
    )
    return {
        "person": person,
        "residence_visible": residence is not None and can(user, Action.VIEW, residence),
        "may_reveal": can(user, Action.REVEAL, person),
        "sensitive": [
            {
                "field": f,
                "label": field_label(f),
                "value": getattr(person, f),
                "clear": revealed.get(f, ""),
            }
            for f in REVEALABLE
        ],
        "membership": membership,
        "may_edit": can(user, Action.CHANGE, person),
        "may_edit_membership": membership is not None and can(user, Action.CHANGE, membership),
        "tree_current": residence if residence is not None and can(user, Action.VIEW, residence) else None,
        "ancestors": place_path(user, residence),
        "org_visible": membership is not None and can(user, Action.VIEW, membership.organization),
    }


@registry_page
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(request.user, Person, pk)
    return render(request, "registry/persons/detail.html", _detail_context(request, person, {}))


@require_POST
@registry_page
def person_reveal_field(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """Show one sensitive value in clear. The policy is asked again here, whatever the page
    showed; a refusal is logged as DENIED and answered with the same 404 as a missing person."""
    actor = Actor.from_request(request)
    person = person_to_reveal(request.user, pk, field, by=actor)
    value = person_reveal(person=person, field=field, by=actor)
    if not request.htmx:  # type: ignore[attr-defined]
        # Without JavaScript the button posts a plain form: answer with the whole page.
        context = _detail_context(request, person, {field: value})
        return render(request, "registry/persons/detail.html", context)
    context = {"person": person, "field": field, "value": value, "label": field_label(field)}
    return render(request, "registry/persons/_revealed.html", context)


def _person_form(request: HttpRequest) -> PersonForm:
    initial = {"residence": request.GET.get("territory", "")}
    return PersonForm(request.POST or None, territories=creatable_territories(request.user), initial=initial)


@registry_page
def person_create_page(request: HttpRequest) -> HttpResponse:
    form = _person_form(request)
    if request.method == "POST" and form.is_valid():
        # The choices already hold only creatable places; ask the policy itself before writing.
        if not can_create_under(request.user, form.cleaned_data["residence"]):
            raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
        try:
            person = person_create(data=form.person_data(), by=Actor.from_request(request))
        except ValidationError as exc:  # a concurrent registration of the same ID number
            form.add_service_error(exc)
        else:
            messages.success(request, _("已登记“%(name)s”。") % {"name": person.name})
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/persons/form.html", {"form": form})


@require_POST
@registry_page
def person_validate(request: HttpRequest) -> HttpResponse:
    """Inline check of the field the user has just left; nothing is saved."""
    return field_feedback(request, _person_form(request))


@registry_page
def person_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = get_visible_or_404(user, Person, pk, Action.CHANGE)
    places = places_for_edit(user, person.residence_id)
    initial = {
        "name": person.name,
        "ethnicity": person.ethnicity,
        "education": person.education,
        "residence": str(person.residence_id or ""),
    }
    masked = {
        "id_number": masking.mask_id_number(person.id_number),
        "mobile": masking.mask_mobile(person.mobile),
        "address": masking.mask_address(person.address),
    }
    form = PersonEditForm(
        request.POST or None, initial=initial, territories=places, person=person, masked=masked
    )
    if request.method == "POST" and "_field" in request.POST:
        return field_feedback(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(person=person, data=form.person_data(), by=Actor.from_request(request))
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已保存“%(name)s”的信息。") % {"name": person.name})
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/persons/edit.html", {"form": form, "person": person})
