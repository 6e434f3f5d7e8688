"""Audit of logins: Django and axes announce these through signals, the one place where we listen
to signals, because the events happen inside their code, not ours."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from tongxin.audit.models import AuditAction, AuditResult
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor, client_ip


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=Actor(user=user, ip=client_ip(request)), action=AuditAction.LOGIN, target=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=Actor(user=user, ip=client_ip(request)), action=AuditAction.LOGOUT, target=user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    ip = client_ip(request) if request is not None else None
    audit_record(
        actor=Actor(user=None, ip=ip, label=username),
        action=AuditAction.LOGIN_FAILED,
        result=AuditResult.FAILURE,
        object_type="accounts.user",
        object_repr=username,
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    audit_record(
        actor=Actor(user=None, ip=client_ip(request), label=username or ""),
        action=AuditAction.LOCKOUT,
        result=AuditResult.DENIED,
        object_type="accounts.user",
        object_repr=username or "",
    )
