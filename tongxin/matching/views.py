"""Pages: suggestions for one need (staff), the batch for a staff's scope, and a member's own
profile on the phone site. Views stay thin: selectors rank, services write."""

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tongxin.accounts.pages import staff_page
from tongxin.accounts.policies import visible
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs.models import Need, Status
from tongxin.needs.policies import COMMUNITY_LEVELS, is_staff_for, staff_roots, visible_q
from tongxin.needs.services import NeedError, need_dispatch
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory

from .forms import ProfileForm
from .models import HelperProfile
from .selectors import HelperSuggestion, helpers_for_need, open_needs_for_batch, suggestions_for_needs
from .services import HelperProfileError, helper_profile_save

View = Callable[..., HttpResponse]
SUGGESTIONS = 10
BATCH_PER_PAGE = 20


def _staff_need(user: Any, pk: int) -> Need:
    need = (
        Need.objects.filter(visible_q(user), pk=pk)
        .select_related("category", "community", "person__residence", "assigned_person")
        .first()
    )
    if need is None or not is_staff_for(user, need):
        raise NotFoundOrForbidden(_("未找到该诉求,或您无权查看。"))
    return need


def _named(user: Any, suggestions: list[HelperSuggestion]) -> list[dict[str, Any]]:
    """Each suggestion with the person's name only where the account may see that person."""
    ids = {s.person.pk for s in suggestions}
    seen = set(visible(user, Person).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    return [{"s": s, "name_visible": s.person.pk in seen} for s in suggestions]


@staff_page
def need_helpers(request: HttpRequest, pk: int) -> HttpResponse:
    need = _staff_need(request.user, pk)
    status = 200
    if request.method == "POST":
        try:
            person = visible(request.user, Person).get(pk=int(request.POST.get("person", "")))
        except (Person.DoesNotExist, ValueError):
            messages.error(request, _("找不到该帮办人,或不在您的管辖范围内。"))
            status = 400
        else:
            try:
                need_dispatch(need=need, to=person, by=Actor.from_request(request), now=timezone.now())
            except NeedError as refusal:
                messages.error(request, refusal.message)
                status = 400
            else:
                messages.success(request, _("已派单给%(name)s。") % {"name": person.name})
                return redirect("matching:need_helpers", pk=need.pk)
        need = _staff_need(request.user, pk)
    suggestions = helpers_for_need(need=need, now=timezone.now(), limit=SUGGESTIONS)
    context = {
        "need": need,
        "rows": _named(request.user, suggestions),
        "may_dispatch": need.status == Status.ACCEPTED,
    }
    return render(request, "matching/need_helpers.html", context, status=status)


@staff_page
def batch(request: HttpRequest) -> HttpResponse:
    """Open accepted needs of the scope with their best three. Scored a page at a time, in the
    request: the cost is loading the district's helpers (measured in README.md), not scoring."""
    if not staff_roots(request.user):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    page = Paginator(open_needs_for_batch(request.user), BATCH_PER_PAGE).get_page(request.GET.get("page"))
    started = time.perf_counter()
    needs = list(page.object_list)
    lines = suggestions_for_needs(needs, now=timezone.now(), top_k=3)
    elapsed_ms = round((time.perf_counter() - started) * 1000)
    flat = [s for line in lines for s in line]
    named = {id(row["s"]): row for row in _named(request.user, flat)}
    rows = [
        {"need": n, "suggestions": [named[id(s)] for s in line]} for n, line in zip(needs, lines, strict=True)
    ]
    return render(request, "matching/batch.html", {"page": page, "rows": rows, "elapsed_ms": elapsed_ms})


def _community_choices(person: Person, profile: HelperProfile | None) -> QuerySet[Territory]:
    """Communities of the streets where the member lives and where their branch is, and those
    they already serve."""
    places = []
    if person.residence is not None:
        places.append(person.residence.path)
    membership = Membership.objects.filter(person=person).select_related("organization__territory").first()
    if membership is not None and membership.organization.territory is not None:
        places.append(membership.organization.territory.path)
    step = Territory.steplen
    streets = {p[: 2 * step] for p in places if len(p) >= 2 * step}
    q = Q(pk__in=profile.communities.values("pk")) if profile else Q(pk__in=[])
    for street in streets:
        q |= Q(path__startswith=street)
    return Territory.objects.filter(q, level__in=COMMUNITY_LEVELS).order_by("path")


@never_cache
@login_required(login_url="mobile:login")
def my_profile(request: HttpRequest) -> HttpResponse:
    person_id = getattr(request.user, "person_id", None)
    person = Person.objects.select_related("residence").filter(pk=person_id).first() if person_id else None
    if person is None:
        raise Http404
    is_member = Membership.objects.filter(person=person).exists()
    profile = HelperProfile.objects.filter(person=person).first()
    choices = _community_choices(person, profile)
    initial: dict[str, Any] = {"consent": bool(profile and profile.consent_at)}
    if profile is not None:
        initial |= {
            "skills": profile.skills,
            "slots": profile.slots,
            "communities": list(profile.communities.all()),
            "paused": not profile.active,
        }
    elif person.residence is not None:
        initial["communities"] = list(
            choices.filter(path__in=[person.residence.path[: 3 * Territory.steplen]])
        )
    form = ProfileForm(request.POST or None, initial=initial, communities=choices)
    status = 200
    if request.method == "POST" and is_member and form.is_valid():
        data = form.cleaned_data
        try:
            helper_profile_save(
                person=person,
                skills=data["skills"],
                slots=data["slots"],
                communities=data["communities"],
                active=not data["paused"],
                consent=data["consent"],
                by=Actor.from_request(request),
                now=timezone.now(),
            )
        except HelperProfileError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("已保存,谢谢您!社区有需要时会联系您。"))
            return redirect("matching:my_profile")
    if request.method == "POST":
        status = 400
    return render(
        request,
        "matching/my_profile.html",
        {"form": form, "profile": profile, "is_member": is_member},
        status=status,
    )
