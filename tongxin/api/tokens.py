"""Access tokens for API clients: issued once in clear, kept as a hash, revocable, expiring.

Issuing and revoking are audited. A token is presented as `Authorization: Token <value>`; any
kind of failure (unknown, revoked, expired, inactive account) gets the same answer, so a caller
cannot learn which part was wrong."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor

from .models import ApiToken

TOKEN_PREFIX = "txn_"  # noqa: S105 - a label, not a secret
KEYWORD = "Token"
# Writing last_used_at on every request would turn each read into a write; once a minute is
# enough to tell whether a token is still in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)
AUTH_FAILED = _("未登录,或登录凭据无效、已过期。")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_issue(
    *, user: Any, name: str, days: int | None, by: Actor, now: datetime
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the clear value, which is never stored."""
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            key_hash=token_hash(clear),
            prefix=clear[:12],
            created_at=now,
            expires_at=now + timedelta(days=days) if days else None,
        )
        audit_record(
            actor=by,
            action=AuditAction.GRANT,
            target=token,
            detail={"user": user.pk, "name": token.name, "days": days},
            now=now,
        )
    return token, clear


def api_token_revoke(*, token: ApiToken, by: Actor, now: datetime) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit_record(
                actor=by, action=AuditAction.REVOKE, target=token, detail={"user": token.user_id}, now=now
            )
    return token


def token_user(token: str, *, now: datetime) -> tuple[Any, ApiToken] | None:
    """The account a token authenticates, or None for every kind of failure alike."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or (row.expires_at is not None and row.expires_at <= now) or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user, row


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token txn_…`. No CSRF check: a token is not sent by the browser on its own."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(AUTH_FAILED)
        try:
            token = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(AUTH_FAILED) from None
        found = token_user(token, now=timezone.now())
        if found is None:
            raise exceptions.AuthenticationFailed(AUTH_FAILED)
        return found

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD
