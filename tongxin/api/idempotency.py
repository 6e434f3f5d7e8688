"""Idempotency-Key on POST: a retried request creates nothing new and gets the first answer.

The key belongs to the account. The first request with a key inserts the record in the same
transaction as its write; a concurrent twin's insert waits on the unique index until the first
commits, then fails and replays the stored answer. Only successful answers are stored: after a
validation error nothing was written, and the corrected retry may reuse the key."""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from .errors import ApiError
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"


def request_fingerprint(request: Request) -> str:
    """Method, path and raw body: "the same request" is the same bytes sent to the same place.

    A multipart body (a need with photos) is compared by its parsed fields and the files' bytes
    instead: a client picks a new random boundary for each attempt, so the raw bytes of a retry
    differ, and photos may be larger than Django lets a view read as one body."""
    digest = hashlib.sha256()
    content_type = request.content_type or ""
    if content_type.startswith("multipart/form-data"):
        for part in (request.method or "", request.path, "multipart/form-data"):
            digest.update(part.encode() + b"\0")
        fields: Any = request.data
        for name in sorted(fields.keys()):
            for value in fields.getlist(name):
                digest.update(name.encode() + b"=")
                if hasattr(value, "chunks"):
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(str(value).encode())
                digest.update(b"\0")
        return digest.hexdigest()
    for part in (request.method or "", request.path, content_type):
        digest.update(part.encode() + b"\0")
    digest.update(request._request.body)
    return digest.hexdigest()


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError({HEADER: [_("Idempotency-Key 须为 1 到 255 个可见字符。")]})
    return key


def idempotent(request: Request, handler: Callable[[], Response]) -> Response:
    """Run `handler` at most once per (account, key); the body is read before any parsing."""
    key = idempotency_key(request)
    if key is None:
        return handler()
    fingerprint = request_fingerprint(request)
    now = timezone.now()
    user = cast(Any, request.user)
    # Answers are kept 24 hours; older ones go here (whatever this request's outcome), so no
    # periodic job is needed.
    IdempotencyRecord.objects.filter(created_at__lte=now - KEEP_FOR).delete()
    with transaction.atomic():
        # Inside the transaction: on SQLite the write lock is taken at BEGIN, so a twin waits
        # here and then sees the stored answer.
        stored = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if stored is None:
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user,
                        key=key,
                        method=request.method or "",
                        path=request.path[:500],
                        body_hash=fingerprint,
                        status=0,
                        response={},
                        created_at=now,
                    )
            except IntegrityError:
                stored = IdempotencyRecord.objects.get(user=user, key=key)
            else:
                response = handler()
                if not 200 <= response.status_code < 300:
                    transaction.set_rollback(True)
                    return response
                record.status = response.status_code
                record.response = json.loads(JSONRenderer().render(response.data))
                record.save(update_fields=["status", "response"])
                return response
    return _replay(stored, fingerprint)


def _replay(stored: IdempotencyRecord, fingerprint: str) -> Response:
    if stored.body_hash != fingerprint:
        raise ApiError(status_code=422, code="idempotency_key_reused")
    return Response(stored.response, status=stored.status, headers={REPLAYED_HEADER: "true"})
