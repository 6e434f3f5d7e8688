"""The one way to tell somebody something: `notify`.

- In-app: always, when there is an account. The row is written in the caller's transaction, so it
  appears and rolls back with the step that caused it (a database row needs no "after commit").
- SMS: when a phone number is given and the message names a registered SMS template (sms.py sends
  it after commit, through a task).
- WeChat: when the account has bound an openid and the message names a WeChat template; sent
  after commit through a task, which looks the binding up when it runs.
Messages must not carry more personal detail than a lock screen may show: a need's number and
status, never its text."""

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tongxin.core.crypto import decrypt, encrypt

from . import sms
from .models import Notification, WeChatBinding
from .wechat import WeChatMessage, wechat_backend

IN_APP, SMS, WECHAT = "in_app", "sms", "wechat"
ALL_CHANNELS = frozenset({IN_APP, SMS, WECHAT})


@dataclass(frozen=True)
class Message:
    title: str
    body: str = ""
    url: str = ""
    sms_template: str = ""
    sms_params: Mapping[str, str] = field(default_factory=dict)
    wechat_template: str = ""
    wechat_data: Mapping[str, str] = field(default_factory=dict)


@task()
def deliver_wechat(sealed: str) -> None:
    data = json.loads(decrypt(sealed))
    binding = WeChatBinding.objects.filter(user_id=data["user"]).first()
    if binding is None:  # unbound between the step and the delivery
        return
    wechat_backend().send(
        WeChatMessage(openid=binding.openid, template=data["template"], url=data["url"], data=data["data"])
    )


def _send_wechat(user_pk: int, message: Message) -> None:
    sealed = encrypt(
        json.dumps(
            {
                "user": user_pk,
                "template": message.wechat_template,
                "url": message.url,
                "data": dict(message.wechat_data),
            },
            ensure_ascii=False,
        )
    )
    transaction.on_commit(lambda: deliver_wechat.enqueue(sealed))


def notify(
    *,
    recipient_user: Any = None,
    phone: str = "",
    message: Message,
    channels: Collection[str] = ALL_CHANNELS,
    now: datetime | None = None,
) -> None:
    now = now or timezone.now()
    if recipient_user is not None and IN_APP in channels:
        Notification.objects.create(
            recipient=recipient_user, title=message.title, body=message.body, url=message.url, created_at=now
        )
    if phone and SMS in channels and message.sms_template in sms.TEMPLATES:
        sms.sms_send(to=phone, template=message.sms_template, params=dict(message.sms_params))
    if (
        recipient_user is not None
        and WECHAT in channels
        and message.wechat_template
        and WeChatBinding.objects.filter(user=recipient_user).exists()
    ):
        _send_wechat(recipient_user.pk, message)


def notify_many(*, recipients: Iterable[Any], message: Message, now: datetime | None = None) -> int:
    """In-app (and WeChat) to several accounts at once, each once: the handlers of a need. Two
    queries whatever the number of recipients (the scheduled clock tells hundreds at a time)."""
    now = now or timezone.now()
    users: dict[int, Any] = {}
    for user in recipients:
        if user is not None:
            users.setdefault(user.pk, user)
    if not users:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(recipient=u, title=message.title, body=message.body, url=message.url, created_at=now)
            for u in users.values()
        ]
    )
    if message.wechat_template:
        bound = WeChatBinding.objects.filter(user_id__in=list(users)).values_list("user_id", flat=True)
        for user_pk in bound:
            _send_wechat(user_pk, message)
    return len(users)


def wechat_bind(*, user: Any, openid: str, now: datetime) -> WeChatBinding:
    """Record (or move) an account's openid; an openid belongs to one account at a time."""
    openid = openid.strip()
    if not openid or len(openid) > 64:
        raise ValueError("openid must be 1–64 characters")
    with transaction.atomic():
        WeChatBinding.objects.filter(openid=openid).exclude(user=user).delete()
        binding, _ = WeChatBinding.objects.update_or_create(
            user=user, defaults={"openid": openid, "created_at": now}
        )
    return binding
