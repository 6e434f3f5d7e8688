"""Members and volunteers helping from the phone: the needs they may claim (phones
masked), claiming (two at once: the later one is thanked), their own claimed or dispatched needs,
starting and resolving them. The resident's number shows in clear only to whoever handles it."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongxin.accounts.models import User
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs import policies, selectors, services
from tongxin.needs.models import Need, Status
from tongxin.needs.services import NeedAlreadyClaimed, NeedError

from ..forms import ResolveForm
from .common import page_of, tone_of, visible_need_or_404

LOGIN_URL = "mobile:login"
HANDLING = (Status.DISPATCHED, Status.CLAIMED, Status.IN_PROGRESS)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def handler_context(request: HttpRequest, need: Need, extra: dict[str, Any]) -> dict[str, Any]:
    """What a need's page adds for a helper: claim, start, resolve, and the phone."""
    user = _user(request)
    handler = policies.is_assignee(user, need)
    claimable = not handler and policies.may_claim(user, need)  # never her own need (the policy)
    phone = (
        services.need_phone_reveal(need=need, by=Actor.from_request(request), now=timezone.now())
        if handler or claimable
        else ""
    )
    return {
        "handler": handler,
        "may_claim": claimable,
        "may_start": handler and need.status in (Status.DISPATCHED, Status.CLAIMED),
        "may_resolve": handler and need.status == Status.IN_PROGRESS,
        "phone": phone,
        "phone_clear": handler and phone.isdigit(),
        "resolve_form": extra.pop("resolve_form", None) or ResolveForm(),
    }


@never_cache
@login_required(login_url=LOGIN_URL)
def claimable_list(request: HttpRequest) -> HttpResponse:
    # Only the page's needs are built (and their phones decrypted and masked).
    page = page_of(request, selectors.need_claimable_qs(_user(request)))
    page.object_list = [selectors.claimable_view(n) for n in page.object_list]
    return render(request, "mobile/helping/claimable.html", {"page": page})


@never_cache
@login_required(login_url=LOGIN_URL)
def my_handling(request: HttpRequest) -> HttpResponse:
    """Needs in this person's hands, those still open first."""
    user = _user(request)
    if user.person_id is None:
        needs = Need.objects.none()
    else:
        needs = (
            Need.objects.filter(assigned_person_id=user.person_id)
            .select_related("category", "community")
            .order_by("-updated_at", "-pk")
        )
    open_needs = list(needs.filter(status__in=HANDLING))
    done = list(needs.exclude(status__in=HANDLING)[:20])
    rows = [{"need": n, "tone": tone_of(n.status)} for n in open_needs + done]
    page = page_of(request, rows)
    return render(request, "mobile/helping/mine.html", {"page": page})


@login_required(login_url=LOGIN_URL)
@require_POST
def need_claim(request: HttpRequest, pk: int) -> HttpResponse:
    # Not the visibility check first: a need someone has just claimed is no longer visible to the
    # later claimer, who must be thanked rather than told it does not exist. The service decides
    # (thanks, or the same refusal as for a missing need).
    need = Need.objects.filter(pk=pk).first()
    if need is None:
        raise Http404
    try:
        services.need_claim(need=need, by=Actor.from_request(request), now=timezone.now())
    except NeedAlreadyClaimed as late:
        # Someone was quicker: thank them and go back to the list, the need is no longer theirs.
        messages.info(request, late.message)
        return redirect("mobile:claimable")
    except NotFoundOrForbidden:
        raise Http404 from None
    except NeedError as refusal:
        messages.error(request, refusal.message)
        return redirect("mobile:claimable")
    messages.success(request, _("认领成功。请尽快联系居民,谢谢您!"))
    return redirect("mobile:need_detail", pk=need.pk)


@login_required(login_url=LOGIN_URL)
@require_POST
def need_start(request: HttpRequest, pk: int) -> HttpResponse:
    need = visible_need_or_404(_user(request), pk)
    try:
        services.need_start(need=need, by=Actor.from_request(request), now=timezone.now())
    except NotFoundOrForbidden:
        raise Http404 from None
    except NeedError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已开始办理。办好后请在这里填写结果。"))
    return redirect("mobile:need_detail", pk=need.pk)


@never_cache
@login_required(login_url=LOGIN_URL)
@require_POST
def need_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    from .needs import _render_detail

    need = visible_need_or_404(_user(request), pk)
    form = ResolveForm(request.POST, request.FILES)
    if form.is_valid():
        kwargs: dict[str, Any] = {}
        if form.cleaned_data["photos"]:
            kwargs["photos"] = form.cleaned_data["photos"]
        try:
            services.need_resolve(
                need=need,
                result=form.cleaned_data["result"] or "",
                by=Actor.from_request(request),
                now=timezone.now(),
                **kwargs,
            )
        except NotFoundOrForbidden:
            raise Http404 from None
        except NeedError as refusal:
            if refusal.field in ("result", "photos"):
                form.add_error(refusal.field, refusal.message)
            else:
                messages.error(request, refusal.message)
                return redirect("mobile:need_detail", pk=need.pk)
        else:
            messages.success(request, _("已办结,居民会收到通知并评价。谢谢您!"))
            return redirect("mobile:need_detail", pk=need.pk)
    photos_again = any(request.FILES.getlist("photos"))
    return _render_detail(request, need, resolve_form=form, resolve_photos_again=photos_again)
