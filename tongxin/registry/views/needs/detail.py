"""One need for the staff: everything about it, its full timeline (internal notes marked), and
the steps this account may take now, each a small htmx form whose refusal lands at its field."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_
from django.views.decorators.http import require_POST

from tongxin.core.actor import Actor
from tongxin.core.validators import parse_row_id
from tongxin.insight.classifier import Suggestion, classify
from tongxin.needs import policies, services
from tongxin.needs.categories import SENSITIVE_CATEGORIES
from tongxin.needs.models import EventKind as K
from tongxin.needs.models import Need, NeedCategory
from tongxin.needs.selectors import need_timeline
from tongxin.needs.services import NeedError
from tongxin.needs.transitions import OPEN, allowed_from

from ...access import registry_page
from ...needs_forms import (
    BounceForm,
    DispatchForm,
    MergeForm,
    NoteForm,
    ReclassifyForm,
    ReopenForm,
    ResolveForm,
    ReturnForm,
    ServiceForm,
    VisitForm,
)
from ...needs_queue import due_of
from ...needs_targets import describe_target, resolve_target
from .common import need_or_404


def _dispatch(need: Need, data: dict[str, Any], by: Actor, now: Any, files: list[Any]) -> Need:
    target = resolve_target(by.user, data.get("to", ""))
    if target is None:
        raise NeedError(_("请从搜索结果中选择承办对象。"), field="to")
    return services.need_dispatch(need=need, to=target, note=data.get("note", ""), by=by, now=now)


def _merge(need: Need, data: dict[str, Any], by: Actor, now: Any, files: list[Any]) -> Need:
    raw = str(data.get("into", "")).strip().lstrip("#")
    pk = parse_row_id(raw)
    into = Need.objects.filter(pk=pk).first() if pk is not None else None
    if into is None:
        raise NeedError(_("请输入要合并到的诉求编号。"), field="into")
    return services.need_merge(need=need, into=into, by=by, now=now)


def _resolve(need: Need, data: dict[str, Any], by: Actor, now: Any, files: list[Any]) -> Need:
    return services.need_resolve(need=need, result=data.get("result", ""), by=by, now=now, photos=files)


def _visit(need: Need, data: dict[str, Any], by: Actor, now: Any, files: list[Any]) -> Need:
    rating = data.get("rating")
    if rating is None:
        raise NeedError(_("请选择1到5星的评价。"), field="rating")
    return services.need_visit(need=need, rating=rating, comment=data.get("comment", ""), by=by, now=now)


def _reclassify(need: Need, data: dict[str, Any], by: Actor, now: Any, files: list[Any]) -> Need:
    category, urgent = data.get("category", ""), bool(data.get("urgent"))
    return services.need_reclassify(need=need, category=category, urgent=urgent, by=by, now=now)


@dataclass(frozen=True)
class Step:
    kind: str
    label: Any
    form: type[ServiceForm]
    run: Callable[[Need, dict[str, Any], Actor, Any, list[Any]], Need]
    done: Any  # the message after it worked
    style: str = "btn-outline-primary"


STEPS: dict[str, Step] = {
    s.kind: s
    for s in (
        Step(
            K.ACCEPT,
            N_("受理"),
            NoteForm,
            lambda n, d, by, now, f: services.need_accept(need=n, note=d.get("note", ""), by=by, now=now),
            N_("已受理。"),
            "btn-primary",
        ),
        Step(
            K.RETURN,
            N_("退回"),
            ReturnForm,
            lambda n, d, by, now, f: services.need_return(need=n, reason=d.get("reason", ""), by=by, now=now),
            N_("已退回,居民会收到退回原因。"),
        ),
        Step(K.DISPATCH, N_("派单"), DispatchForm, _dispatch, N_("已派单。"), "btn-primary"),
        Step(K.MERGE, N_("合并"), MergeForm, _merge, N_("已合并。")),
        Step(
            K.BOUNCE,
            N_("退单"),
            BounceForm,
            lambda n, d, by, now, f: services.need_bounce(need=n, reason=d.get("reason", ""), by=by, now=now),
            N_("已退单,诉求回到派单人的工作台。"),
        ),
        Step(
            K.START,
            N_("开始办理"),
            NoteForm,
            lambda n, d, by, now, f: services.need_start(need=n, note=d.get("note", ""), by=by, now=now),
            N_("已开始办理。"),
            "btn-primary",
        ),
        Step(K.RESOLVE, N_("办结"), ResolveForm, _resolve, N_("已办结,居民会收到办理结果。"), "btn-primary"),
        Step(K.VISIT, N_("电话回访"), VisitForm, _visit, N_("已记录回访。"), "btn-primary"),
        Step(
            K.ARCHIVE,
            N_("归档"),
            NoteForm,
            lambda n, d, by, now, f: services.need_archive(need=n, by=by, now=now),
            N_("已归档。"),
        ),
        Step(
            K.REOPEN,
            N_("重新办理"),
            ReopenForm,
            lambda n, d, by, now, f: services.need_reopen(need=n, reason=d.get("reason", ""), by=by, now=now),
            N_("已重新办理,请再次派单。"),
        ),
        Step(K.RECLASSIFY, N_("更正类别"), ReclassifyForm, _reclassify, N_("已更正类别。")),
    )
}


def steps_for(user: Any, need: Need) -> list[Step]:
    """The steps valid now: the transition table says from where, the policy says who."""
    return [
        step
        for kind, step in STEPS.items()
        if need.status in allowed_from(kind) and policies.may(user, kind, need)
    ]


def _initial_form(step: Step, need: Need) -> forms.Form:
    if step.kind == K.RECLASSIFY:
        initial = {"category": need.category_id, "urgent": need.urgent}
        return step.form(initial=initial, auto_id=auto_id(step.kind))
    return step.form(auto_id=auto_id(step.kind))


def auto_id(kind: str) -> str:
    """Several step forms share field names on one page; their ids must differ."""
    return f"{kind}-%s"


def _suggestion(need: Need) -> Suggestion | None:
    """What the classifier proposed at intake; for a need that predates it, what it proposes
    now, so staff reviewing it see a second opinion either way."""
    if need.suggested_category:
        return Suggestion(
            category=need.suggested_category,
            urgent=bool(need.suggested_urgent),
            confidence=need.suggestion_confidence or 0.0,
        )
    return classify(need.text) if need.text else None


def duplicate_hints(need: Need) -> list[Any]:
    try:
        from tongxin.needs.hints import need_duplicate_hints
    except ImportError:
        return []
    return need_duplicate_hints(community=need.community, text=need.text, exclude_pk=need.pk, limit=3)


def matching_url(need: Need) -> str:

    try:
        return reverse("matching:need_helpers", args=[need.pk])
    except NoReverseMatch:
        return ""


def detail_context(
    request: HttpRequest, need: Need, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    steps = steps_for(user, need)
    step_forms = {s.kind: (bound or {}).get(s.kind) or _initial_form(s, need) for s in steps}
    suggestion = _suggestion(need)
    suggested = NeedCategory.objects.filter(code=suggestion.category).first() if suggestion else None
    dispatch_form = step_forms.get(K.DISPATCH)
    chosen = None
    if dispatch_form is not None and dispatch_form.is_bound:
        chosen = describe_target(user, dispatch_form.data.get("to", ""))
    return {
        "need": need,
        "due": due_of(need, now),
        "timeline": need_timeline(need, public_only=False).select_related("actor"),
        "photos": list(need.photos.only("pk", "stage", "width", "height", "uploaded_at")),
        "phone": services.need_phone_reveal(need=need, by=Actor.from_request(request), now=now),
        "sensitive": need.private or need.category_id in SENSITIVE_CATEGORIES,
        "suggested": suggested,
        "suggestion": suggestion,
        "corrections": list(need.corrections.select_related("by")),
        "steps": [(s, step_forms[s.kind]) for s in steps],
        "chosen_target": chosen,
        "hints": duplicate_hints(need) if any(s.kind == K.MERGE for s in steps) else [],
        "matching_url": matching_url(need) if need.status in OPEN else "",
        "open": need.status in OPEN,
    }


@registry_page
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = need_or_404(request.user, pk)
    return render(request, "registry/needs/detail.html", detail_context(request, need))


@require_POST
@registry_page
def need_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take one step. Refused: the form comes back with the message at its field and what was
    typed kept; nothing changed. Done: the page reloads with the new status and timeline."""
    user = request.user
    need = need_or_404(user, pk)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    form = spec.form(request.POST, request.FILES, auto_id=auto_id(spec.kind))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    files = data.get("photos") or []
    try:
        spec.run(need, data, Actor.from_request(request), timezone.now(), files)
    except NeedError as exc:
        form.refuse(exc)  # type: ignore[attr-defined]
        if request.htmx:  # type: ignore[attr-defined]
            context = {"need": need, "step": spec, "form": form}
            if step == K.DISPATCH:
                context["chosen_target"] = describe_target(user, request.POST.get("to", ""))
            if step == K.MERGE:
                context["hints"] = duplicate_hints(need)
            return render(request, "registry/needs/_step_form.html", context)
        context = detail_context(request, need, {step: form})
        context["error"] = exc.message
        return render(request, "registry/needs/detail.html", context)
    messages.success(request, str(spec.done))
    url = reverse("registry:need_detail", args=[need.pk])
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)
