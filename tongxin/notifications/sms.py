"""Text messages (短信): one interface, the backend chosen by the TONGXIN_SMS_BACKEND setting.

A vendor backend (阿里云短信, 腾讯云短信 …) subclasses SmsBackend and implements `send`: vendors send
pre-approved templates with named parameters, never free text, so a message is (number, template
name, parameters) and each backend maps the template name to its own template id (for example from
a setting) and signs the HTTP request. WeChat or in-app channels later sit beside this module.

`sms_send` is what services call. It queues the message only when the caller's transaction
commits (a login code for a rolled-back request is never sent), and hands it to a background task,
so the request takes as long whether or not a message goes out: a caller must not be able to tell
from the timing whether a number is registered. The queued task carries the message encrypted,
because a login code must not lie in clear in the task table."""

import json
import logging
from dataclasses import dataclass, field
from typing import ClassVar

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

from tongxin.core.crypto import decrypt, encrypt
from tongxin.core.masking import mask_mobile

logger = logging.getLogger(__name__)

# What each template says, for backends that send or show text themselves (the log, tests). A
# vendor backend sends the template id registered with the vendor and these parameters instead.
TEMPLATES: dict[str, str] = {
    "login_code": "【同心】您的登录验证码是{code},{minutes}分钟内有效。请勿告诉他人。",
}


def sms_templates_register(templates: dict[str, str]) -> None:
    """Apps add their templates when they load (AppConfig.ready), so that a task worker that
    delivers a queued message knows them too. A name keeps one text: registering another text
    under a name already taken is a programming error."""
    for name, text in templates.items():
        if TEMPLATES.setdefault(name, text) != text:
            raise ValueError(f"SMS template {name!r} is already registered with another text")


@dataclass(frozen=True)
class SmsMessage:
    to: str
    template: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return TEMPLATES[self.template].format(**self.params)


class SmsBackend:
    """Sends one message; raises on failure (the task runner records it)."""

    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class LogSmsBackend(SmsBackend):
    """Development: the message goes to the log instead of a phone. The number is always masked,
    because logs are kept and copied around and development data is often a copy of real data;
    the developer knows which number they typed from its last four digits. The text (with the
    code) is shown only when DEBUG is on: on a production server this backend is a configuration
    mistake, and codes written to a log there would be credentials lying in the open."""

    def send(self, message: SmsMessage) -> None:
        text = message.text if settings.DEBUG else f"[{message.template}] (DEBUG 关闭,内容不写入日志)"
        logger.info("短信 → %s: %s", mask_mobile(message.to), text)


class InMemorySmsBackend(SmsBackend):
    """Tests: messages are kept in `outbox` (shared by every instance, like Django's mail.outbox)."""

    outbox: ClassVar[list[SmsMessage]] = []

    def send(self, message: SmsMessage) -> None:
        self.outbox.append(message)


def sms_backend() -> SmsBackend:
    backend_class: type[SmsBackend] = import_string(settings.TONGXIN_SMS_BACKEND)
    return backend_class()


@task()
def deliver_sms(sealed: str) -> None:
    data = json.loads(decrypt(sealed))
    sms_backend().send(SmsMessage(to=data["to"], template=data["template"], params=data["params"]))


def sms_send(*, to: str, template: str, params: dict[str, str]) -> None:
    if template not in TEMPLATES:
        raise ValueError(f"unknown SMS template {template!r}")
    sealed = encrypt(json.dumps({"to": to, "template": template, "params": params}, ensure_ascii=False))
    transaction.on_commit(lambda: deliver_sms.enqueue(sealed))
