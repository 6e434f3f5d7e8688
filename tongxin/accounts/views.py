from typing import cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tongxin.audit.models import AuditAction, AuditResult
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor

from . import second_factor as sf
from .forms import CodeForm, LoginForm
from .models import User
from .services import recovery_codes_issue, totp_device_create


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _next_url(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


PENDING_DEVICE_KEY = "tongxin_pending_totp"


def _complete_second_factor(request: HttpRequest, device: object) -> None:
    """Mark the session verified under a new session key, so a key seen before the second factor
    (on a shared computer, say) never becomes a fully signed-in session."""
    otp_login(request, device)
    request.session.cycle_key()


def _pending_device(request: HttpRequest, user: User) -> TOTPDevice:
    """The secret being enrolled belongs to this session only: another session (someone else who
    knows the password) gets a new secret and invalidates this one, never sees the same one."""
    pending = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get(PENDING_DEVICE_KEY)
    ).first()
    if pending is None:
        pending = totp_device_create(user=user, confirmed=False)
        request.session[PENDING_DEVICE_KEY] = pending.pk
    return pending


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP or recovery code; accounts without a confirmed device enrol first."""
    user = cast(User, request.user)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    if sf.confirmed_totp(user) is None:
        return redirect(
            f"{reverse('accounts:second_factor_setup')}?{urlencode({'next': _next_url(request)})}"
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = sf.seconds_to_wait(user)
        device = None if wait else sf.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            _complete_second_factor(request, device)
            audit_record(actor=Actor.from_request(request), action=AuditAction.SECOND_FACTOR, target=user)
            return redirect(_next_url(request))
        audit_record(
            actor=Actor.from_request(request),
            action=AuditAction.SECOND_FACTOR,
            result=AuditResult.FAILURE,
            target=user,
        )
        form.add_error("code", sf.refusal_message(wait))
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next_url(request)})


@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if sf.confirmed_totp(user) is not None:
        return redirect("accounts:second_factor")
    device = _pending_device(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["code"].split())):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.pop(PENDING_DEVICE_KEY, None)
            _complete_second_factor(request, device)
            codes = recovery_codes_issue(user=user)
            audit_record(
                actor=Actor.from_request(request),
                action=AuditAction.SECOND_FACTOR,
                target=user,
                detail={"enrolled": True},
            )
            messages.success(request, _("手机令牌已绑定。请妥善保存下面的恢复码,每个只能使用一次。"))
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error("code", _("验证码不正确,请确认手机时间准确后,输入令牌上当前显示的6位数字。"))
    context = {
        "form": form,
        "qr_svg": sf.provisioning_qr_svg(device),
        "secret": sf.base32_secret(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/second_factor_setup.html", context)


class LogoutView(auth_views.LogoutView):
    pass
