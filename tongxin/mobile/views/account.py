"""The phone site for residents and party members. Logging in is two steps (number, then the SMS
code) with Post/Redirect/Get between them; the number being logged in lives in the session, not in
the URL, so it stays out of server logs and browser history."""

from typing import Any, cast

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongxin.accounts.models import User
from tongxin.accounts.phone_login import PhoneLoginError, login_code_request, login_code_verify
from tongxin.care.policies import visitor_subjects
from tongxin.core.actor import Actor
from tongxin.core.crypto import decrypt, encrypt
from tongxin.core.masking import mask_mobile
from tongxin.needs import policies as needs_policies
from tongxin.people.models import Membership
from tongxin.volunteers.models import Volunteer

from ..forms import MobileForm, SmsCodeForm
from ..profile import profile_for

PENDING = "tongxin_mobile_login"  # session key: {"mobile": encrypted, "resend_at": epoch seconds}
LOGIN_URL = "mobile:login"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/m/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/m/"


@never_cache
@login_required(login_url=LOGIN_URL)
def home(request: HttpRequest) -> HttpResponse:
    from .grid import grid_communities
    from .inbox import unread_count

    user = cast(User, request.user)
    person_id = user.person_id
    member = person_id is not None and Membership.objects.filter(person_id=person_id).exists()
    volunteer = person_id is not None and Volunteer.objects.filter(person_id=person_id).exists()
    context = {
        "unread": unread_count(user),
        # Members and registered volunteers claim needs (the needs policy decides).
        "helps": needs_policies.is_claimer(user),
        "grid_worker": bool(grid_communities(user)),
        # The service card: who has a real-name person may take part; who has neither joined
        # as a volunteer nor is a member is invited to register.
        "has_person": person_id is not None,
        "serves": member or volunteer,
        "may_register": person_id is not None and not volunteer,
        "visits_care": person_id is not None and visitor_subjects(user, timezone.localdate()).exists(),
    }
    return render(request, "mobile/home.html", context)


@never_cache
@login_required(login_url=LOGIN_URL)
def me(request: HttpRequest) -> HttpResponse:
    profile = profile_for(cast(User, request.user), today=timezone.localdate())
    return render(request, "mobile/me.html", {"profile": profile})


def _send_code(request: HttpRequest, form: MobileForm) -> bool:
    """Ask for a code; on refusal the message goes to the number field and False comes back."""
    try:
        sent = login_code_request(
            mobile=form.cleaned_data["mobile"], by=Actor.from_request(request), now=timezone.now()
        )
    except PhoneLoginError as refusal:
        form.add_error("mobile", refusal.message)
        return False
    request.session[PENDING] = {
        "mobile": encrypt(sent.mobile),  # personal data: encrypted like the registry's copy
        "resend_at": int(timezone.now().timestamp()) + sent.resend_after,
    }
    return True


@never_cache
def login_number(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    pending = request.session.get(PENDING)
    pending_mobile = decrypt(pending["mobile"]) if pending else ""
    form = MobileForm(request.POST or None, initial={"mobile": pending_mobile})
    if request.method == "POST" and form.is_valid():
        # Back on this page with the number whose code is on its way: that code still works, so
        # go and type it rather than be told to wait for another one.
        if pending and form.cleaned_data["mobile"] == pending_mobile and _resend_wait(pending) > 0:
            return redirect(_with_next("mobile:login_code", request))
        if _send_code(request, form):
            return redirect(_with_next("mobile:login_code", request))
    context = {"form": form, "next": _next_url(request), "pending": bool(pending)}
    return render(request, "mobile/login.html", context)


def _resend_wait(pending: dict[str, Any]) -> int:
    return max(0, pending["resend_at"] - int(timezone.now().timestamp()))


def _with_next(name: str, request: HttpRequest) -> str:
    target = _next_url(request)
    return reverse(name) + (f"?{urlencode({'next': target})}" if target != "/m/" else "")


@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    pending = request.session.get(PENDING)
    if not pending:
        return redirect(_with_next(LOGIN_URL, request))
    mobile = decrypt(pending["mobile"])
    form = SmsCodeForm()
    resend_form = MobileForm(data={"mobile": mobile})
    if request.method == "POST" and "resend" in request.POST:
        if resend_form.is_valid() and _send_code(request, resend_form):
            return redirect(_with_next("mobile:login_code", request))
        pending = request.session[PENDING]
    elif request.method == "POST":
        form = SmsCodeForm(request.POST)
        if form.is_valid():
            try:
                user = login_code_verify(
                    mobile=mobile,
                    code=form.cleaned_data["code"],
                    by=Actor.from_request(request),
                    now=timezone.now(),
                )
            except PhoneLoginError as refusal:
                form.add_error("code", refusal.message)
            else:
                target = _next_url(request)
                del request.session[PENDING]
                login(request, user, backend=MODEL_BACKEND)  # under a new session key
                return redirect(target)
    wait = _resend_wait(pending)
    context = {
        "form": form,
        "masked_mobile": mask_mobile(mobile),
        "resend_wait": wait,
        "resend_errors": resend_form.errors.get("mobile", []) if "resend" in request.POST else [],
        "next": _next_url(request),
    }
    return render(request, "mobile/login_code.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(LOGIN_URL)
