"""代录诉求: staff enter a need for a caller or a visitor (channel staff); grid workers use the
same page for what they find on their rounds (channel grid). Also the small htmx helpers of the
needs pages: the category suggested while typing, the person and dispatch-target searches, and
the photos, each checked against the account's scope."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import Action, visible
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.trees import is_within
from tongxin.core.validators import normalize_mobile, parse_row_id
from tongxin.insight.classifier import classify
from tongxin.needs import policies, services
from tongxin.needs.models import Channel, NeedCategory
from tongxin.needs.services import NeedError
from tongxin.people.models import Person
from tongxin.people.services import mobile_index
from tongxin.territory.models import Territory

from ...access import registry_page
from ...needs_forms import NeedEntryForm
from ...needs_targets import search_targets
from .common import NOT_FOUND, entry_communities, need_or_404

SUGGEST_MIN_CHARS = 6


def _entry_form(request: HttpRequest, communities: Any) -> NeedEntryForm:
    initial = {}
    if communities.count() == 1:
        initial["community"] = str(communities.first().pk)
    return NeedEntryForm(
        request.POST or None,
        request.FILES or None,
        communities=communities,
        places=visible(request.user, Territory),
        initial=initial,
    )


def _person(user: Any, raw: str) -> Person | None:
    if not raw:
        return None
    pk = parse_row_id(raw)
    person = visible(user, Person).filter(pk=pk).first() if pk is not None else None
    if person is None:
        raise NeedError(_("请从搜索结果中选择诉求人。"), field="person")
    return person


def _channel(user: Any, community: Territory) -> str:
    """Office staff over the community enter for a caller; anyone else here is a grid worker."""
    return (
        Channel.STAFF if is_within(community.path, policies.staff_roots(user, Action.VIEW)) else Channel.GRID
    )


@registry_page
def need_entry(request: HttpRequest) -> HttpResponse:
    user = request.user
    communities = entry_communities(user)
    if not communities.exists():
        raise NotFoundOrForbidden(_(NOT_FOUND))
    form = _entry_form(request, communities)
    person = None
    if request.method == "POST":
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        try:
            person = _person(user, request.POST.get("person", "").strip())
            community = data.get("community")
            if community is None:
                raise NeedError(_("请选择诉求所在的社区或村。"), field="community")
            if not data.get("category"):
                raise NeedError(_("请选择诉求类别。"), field="category")
            files = data.get("photos") or []
            need = services.need_submit(
                text=data.get("text", ""),
                category=data["category"],
                community=community,
                channel=_channel(user, community),
                by=Actor.from_request(request),
                now=timezone.now(),
                person=person,
                caller_name="" if person else data.get("caller_name", ""),
                caller_phone="" if person else data.get("caller_phone", ""),
                urgent=bool(data.get("urgent")),
                tags=data.get("tags") or [],
                place=data.get("place", ""),
                private=bool(data.get("private")),
                photos=files,
            )
        except NeedError as exc:
            form.refuse(exc)
        else:
            messages.success(request, _("已登记诉求,编号%(pk)s。") % {"pk": need.pk})
            return redirect("registry:need_detail", pk=need.pk)
    context = {"form": form, "person": person}
    return render(request, "registry/needs/entry.html", context)


@require_POST
@registry_page
def need_suggest(request: HttpRequest) -> HttpResponse:
    """The classifier's category and urgency for what has been typed so far."""
    text = request.POST.get("text", "")[:2000].strip()
    suggestion = classify(text) if len(text) >= SUGGEST_MIN_CHARS else None
    category = NeedCategory.objects.filter(code=suggestion.category).first() if suggestion else None
    return render(
        request, "registry/needs/_suggestion.html", {"suggestion": suggestion, "category": category}
    )


@registry_page
def need_person_search(request: HttpRequest) -> HttpResponse:
    """Registered persons in the account's scope, by part of the name or the full mobile."""
    query = request.GET.get("pq", "").strip()[:50]
    persons = visible(request.user, Person).select_related("residence")
    found: list[Person] = []
    if query:
        try:
            matched = persons.filter(mobile_index=mobile_index(normalize_mobile(query)))
        except ValidationError:
            matched = persons.filter(name__icontains=query)
        found = list(matched.order_by("name_sort", "pk")[:8])
    return render(request, "registry/needs/_persons.html", {"persons": found, "query": query})


@registry_page
def need_target_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("tq", "").strip()
    context = {"targets": search_targets(request.user, query), "query": query, "name": "to"}
    return render(request, "registry/needs/_targets.html", context)


@registry_page
def need_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A photo of a need, decrypted for someone who may see the need; the same 404 otherwise."""
    need = need_or_404(request.user, pk)
    photo = need.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise NotFoundOrForbidden(_(NOT_FOUND))
    from tongxin.needs import selectors

    jpeg = selectors.need_photo_jpeg(photo)  # type: ignore[attr-defined]
    response = HttpResponse(jpeg, content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="need-{need.pk}-{photo.pk}.jpg"'
    return response
