"""The resident's side of the needs loop: 我要反映 (with the category suggested while typing and
duplicate hints), 我的诉求, a need's page with its public timeline and photos, and the resident's
steps on it: withdraw, rate, reopen when unsatisfied, agree to a public story."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongxin.accounts.models import User
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.masking import mask_mobile
from tongxin.needs import policies, selectors, services
from tongxin.needs.models import Need, NeedPhoto, PhotoStage, Status
from tongxin.needs.services import NeedError
from tongxin.needs.transitions import OPEN

from ..forms import NeedForm, PhoneForm, RateForm
from .common import (
    STATUS_HINTS,
    home_community,
    page_of,
    preset_place,
    suggest_box,
    tone_of,
    visible_need_or_404,
)

LOGIN_URL = "mobile:login"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _refuse(form: PhoneForm, error: NeedError, aliases: dict[str, str] | None = None) -> None:
    """The service's message at the field it names (the form's own name for it), else on top."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _photos_note(request: HttpRequest) -> bool:
    """Files cannot be handed back to a browser: say so when some were chosen."""
    return any(f for f in request.FILES.getlist("photos"))


@never_cache
@login_required(login_url=LOGIN_URL)
def need_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    person = user.person
    community = home_community(person)
    if community is None:
        return render(request, "mobile/needs/no_community.html")
    masked = mask_mobile(person.mobile) if person is not None and person.mobile else ""
    initial = {"place": preset_place(person), "contact": "mine"}
    form = NeedForm(request.POST or None, request.FILES or None, initial=initial, masked_mobile=masked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = data["text"] or ""
        category = data["category"] or suggest_box_category(text)
        kwargs: dict[str, Any] = {}
        if data["photos"]:
            kwargs["photos"] = data["photos"]
        try:
            need = services.need_submit(
                text=text,
                category=category,
                community=community,
                channel="mobile",
                by=Actor.from_request(request),
                now=timezone.now(),
                urgent=data["urgent"],
                tags=data["tags"],
                place=data["place"] or "",
                private=data["private"],
                caller_phone=(data["other_phone"] or "") if data["contact"] == "other" else "",
                **kwargs,
            )
        except NeedError as refusal:
            _refuse(form, refusal, {"caller_phone": "other_phone"})
        else:
            messages.success(request, _("已提交。社区会在1个工作日内受理,进展会在“消息”里告诉您。"))
            return redirect("mobile:need_detail", pk=need.pk)
    posted = form.data if form.is_bound else {}
    box = suggest_box(
        text=str(posted.get("text", "")),
        category=str(posted.get("category", "")),
        urgent=bool(posted.get("urgent")),
        chosen=True,  # a form sent back keeps what was sent; the suggestion only shows
        community=community,
        error=" ".join(str(e) for e in form.errors.get("category", [])),
        suggest=form.is_bound,
    )
    context = {
        "form": form,
        "box": box,
        "community": community,
        "photos_again": form.is_bound and bool(form.errors) and _photos_note(request),
    }
    return render(request, "mobile/needs/new.html", context)


def suggest_box_category(text: str) -> str:
    """The classifier's category when the resident left the choice empty (no script ran). An
    empty text gets "other" only so that the service's own message about the text is the one
    she reads."""
    from tongxin.insight.classifier import classify

    return classify(text).category if text.strip() else "other"


@login_required(login_url=LOGIN_URL)
@require_POST
def need_suggest(request: HttpRequest) -> HttpResponse:
    """htmx, while the resident types: the category and 急 proposed, and similar open needs."""
    user = _user(request)
    community = home_community(user.person)
    grid_community = request.POST.get("community")
    if grid_community:
        from .grid import grid_communities

        community = next((c for c in grid_communities(user) if str(c.pk) == grid_community), None)
    box = suggest_box(
        text=request.POST.get("text", "")[:2000],
        category=request.POST.get("category", ""),
        urgent=bool(request.POST.get("urgent")),
        chosen=request.POST.get("chosen") == "1",
        community=community,
    )
    return render(request, "mobile/needs/_suggest.html", {"box": box, "oob": True})


def _my_needs_q(user: User) -> Q:
    q = Q(submitted_by=user)
    if user.person_id is not None:
        q |= Q(person_id=user.person_id)
    return q


@never_cache
@login_required(login_url=LOGIN_URL)
def need_list(request: HttpRequest) -> HttpResponse:
    needs = (
        Need.objects.filter(_my_needs_q(_user(request)))
        .select_related("category")
        .order_by("-submitted_at", "-pk")
    )
    page = page_of(request, needs)
    rows = [{"need": n, "tone": tone_of(n.status)} for n in page]
    return render(request, "mobile/needs/list.html", {"page": page, "rows": rows})


def _photo_rows(need: Need) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = {PhotoStage.SUBMIT: [], PhotoStage.RESOLVE: []}
    for pk, stage in (
        NeedPhoto.objects.filter(need=need).order_by("uploaded_at", "pk").values_list("pk", "stage")
    ):
        rows.setdefault(stage, []).append(pk)
    return rows


@never_cache
@login_required(login_url=LOGIN_URL)
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    need = visible_need_or_404(user, pk)
    return _render_detail(request, need)


def _render_detail(request: HttpRequest, need: Need, **extra: Any) -> HttpResponse:
    from .helping import handler_context

    user = _user(request)
    mine = policies.is_submitter(user, need)
    photos = _photo_rows(need)
    context = {
        "need": need,
        "tone": tone_of(need.status),
        "status_hint": STATUS_HINTS.get(Status(need.status), ""),
        "timeline": selectors.need_timeline(need, public_only=True),
        "submit_photos": photos[PhotoStage.SUBMIT],
        "resolve_photos": photos[PhotoStage.RESOLVE],
        "mine": mine,
        "may_withdraw": mine and need.status in OPEN,
        "may_rate": mine and need.status == Status.RESOLVED,
        "may_reopen": mine
        and need.status == Status.VISITED
        and need.rating is not None
        and need.rating <= services.flow.REOPEN_MAX_RATING,
        "may_consent": mine and need.status in (Status.RESOLVED, Status.VISITED, Status.ARCHIVED),
        "rate_form": extra.pop("rate_form", None) or RateForm(),
        "stars": range(5, 0, -1),  # reversed in the page so a checked star lights up those before it
        **handler_context(request, need, extra),
        **extra,
    }
    return render(request, "mobile/needs/detail.html", context, status=200)


def _step(request: HttpRequest, pk: int, run: Any) -> HttpResponse:
    """Run a resident's step; a refusal comes back as a message on the need's page."""
    need = visible_need_or_404(_user(request), pk)
    try:
        run(need, Actor.from_request(request), timezone.now())
    except NotFoundOrForbidden:
        raise Http404 from None
    except NeedError as refusal:
        messages.error(request, refusal.message)
    return redirect("mobile:need_detail", pk=need.pk)


@never_cache
@login_required(login_url=LOGIN_URL)
def need_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure?" on its own page (no script needed); POST withdraws."""
    need = visible_need_or_404(_user(request), pk)
    if not policies.is_submitter(_user(request), need):
        raise Http404
    if request.method != "POST":
        if need.status not in OPEN:  # nothing to confirm: the page says what can be done now
            return redirect("mobile:need_detail", pk=need.pk)
        return render(request, "mobile/needs/withdraw.html", {"need": need})

    def run(n: Need, by: Actor, now: Any) -> None:
        services.need_withdraw(need=n, by=by, now=now, reason=request.POST.get("reason", ""))
        messages.success(request, _("已撤回。如有需要,可以随时重新反映。"))

    return _step(request, pk, run)


@login_required(login_url=LOGIN_URL)
@require_POST
def need_rate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    need = visible_need_or_404(user, pk)
    if not policies.is_submitter(user, need):
        raise Http404  # staff record phone follow-ups on the desk, not here
    form = RateForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, need, rate_form=form)
    try:
        services.need_visit(
            need=need,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"] or "",
            by=Actor.from_request(request),
            now=timezone.now(),
        )
    except NotFoundOrForbidden:
        raise Http404 from None
    except NeedError as refusal:
        if refusal.field in ("rating", "comment"):
            form.add_error(refusal.field, refusal.message)
            return _render_detail(request, need, rate_form=form)
        messages.error(request, refusal.message)
        return redirect("mobile:need_detail", pk=need.pk)
    messages.success(request, _("谢谢您的评价!"))
    return redirect("mobile:need_detail", pk=need.pk)


@login_required(login_url=LOGIN_URL)
@require_POST
def need_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def run(n: Need, by: Actor, now: Any) -> None:
        if not policies.is_submitter(by.user, n):
            raise NotFoundOrForbidden("")
        services.need_reopen(need=n, by=by, now=now, reason=request.POST.get("reason", ""))
        messages.success(request, _("已请社区重新办理,会有人再联系您。"))

    return _step(request, pk, run)


@login_required(login_url=LOGIN_URL)
@require_POST
def need_consent(request: HttpRequest, pk: int) -> HttpResponse:
    consent = request.POST.get("consent") == "1"

    def run(n: Need, by: Actor, now: Any) -> None:
        if not policies.is_submitter(by.user, n):
            raise NotFoundOrForbidden("")
        services.need_story_consent(need=n, consent=consent, by=by, now=now)
        messages.success(request, _("已同意,谢谢您!") if consent else _("已收回同意,不会公开这件事。"))

    return _step(request, pk, run)


@login_required(login_url=LOGIN_URL)
def need_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo, to whoever may see its need (same 404 otherwise); never cached by a proxy."""
    photo = NeedPhoto.objects.filter(pk=pk).select_related("need").first()
    if photo is None:
        raise Http404
    visible_need_or_404(_user(request), photo.need_id)
    body = selectors.need_photo_jpeg(photo)
    response = HttpResponse(body, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
