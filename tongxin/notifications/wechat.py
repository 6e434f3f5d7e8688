"""WeChat 服务号 template messages (模板消息): one interface, the backend chosen by the
TONGXIN_WECHAT_BACKEND setting (the log in development, the official API in production, an
in-memory outbox in tests).

The official backend speaks the documented HTTP API under TONGXIN_WECHAT_API_BASE:
- GET  /cgi-bin/token?grant_type=client_credential&appid=APPID&secret=SECRET
       → {"access_token": "...", "expires_in": 7200}
- POST /cgi-bin/message/template/send?access_token=TOKEN
       {"touser": openid, "template_id": id, "url": url, "data": {key: {"value": text}}}
       → {"errcode": 0, "errmsg": "ok", "msgid": 123}
The access token is cached (Django's cache; configure a shared one in production so that the
processes do not take turns invalidating each other's token) until shortly before it expires. A
non-zero errcode is logged and raised, so the task runner records the failure for a retry; an
invalid or expired token also drops the cached one first."""

import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

TOKEN_CACHE_KEY = "tongxin:wechat:access_token"  # noqa: S105 - a cache key, not a secret
# Refresh this long before the token's stated expiry, so a request never carries a dying token.
TOKEN_MARGIN_SECONDS = 300
HTTP_TIMEOUT = 10
# errcodes that mean "the token you sent is no good": fetch a new one on the next try.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})


class WeChatError(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat errcode {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass(frozen=True)
class WeChatMessage:
    openid: str
    template: str  # our name for it; the backend maps it to the 服务号's template_id
    url: str = ""
    data: dict[str, str] = field(default_factory=dict)


class WeChatBackend:
    def send(self, message: WeChatMessage) -> None:
        raise NotImplementedError


class LogWeChatBackend(WeChatBackend):
    """Development: the message goes to the log, with the openid shortened."""

    def send(self, message: WeChatMessage) -> None:
        logger.info(
            "微信模板消息 → %s…: [%s] %s %s",
            message.openid[:6],
            message.template,
            json.dumps(message.data, ensure_ascii=False) if settings.DEBUG else "(DEBUG 关闭,内容不写入日志)",
            message.url,
        )


class InMemoryWeChatBackend(WeChatBackend):
    outbox: ClassVar[list[WeChatMessage]] = []

    def send(self, message: WeChatMessage) -> None:
        self.outbox.append(message)


def _absolute(url: str) -> str:
    """WeChat opens absolute addresses only; our messages carry site paths."""
    if not url or "://" in url:
        return url
    base = getattr(settings, "TONGXIN_SITE_URL", "") or ""
    return base.rstrip("/") + url if base else url


class OfficialWeChatBackend(WeChatBackend):
    def __init__(self) -> None:
        self.base = settings.TONGXIN_WECHAT_API_BASE.rstrip("/")
        self.appid = settings.TONGXIN_WECHAT_APPID
        self.secret = settings.TONGXIN_WECHAT_SECRET
        self.templates: dict[str, str] = dict(settings.TONGXIN_WECHAT_TEMPLATES)
        if urllib.parse.urlsplit(self.base).scheme not in ("http", "https"):
            raise ImproperlyConfigured("TONGXIN_WECHAT_API_BASE must be an http(s) address.")
        if not (self.appid and self.secret):
            raise ImproperlyConfigured("TONGXIN_WECHAT_APPID and TONGXIN_WECHAT_SECRET must be set.")

    def _call(self, path: str, params: dict[str, str], body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.base}{path}?{urllib.parse.urlencode(params)}"
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        # The scheme was checked in __init__ (http or https only).
        request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")  # noqa: S310
        if data is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            result: dict[str, Any] = json.loads(response.read().decode("utf-8"))
        return result

    def access_token(self) -> str:
        token = cache.get(TOKEN_CACHE_KEY)
        if token:
            return str(token)
        result = self._call(
            "/cgi-bin/token", {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        )
        if result.get("errcode") or "access_token" not in result:
            errcode, errmsg = int(result.get("errcode", -1)), str(result.get("errmsg", ""))
            logger.error("WeChat token request failed: %s %s", errcode, errmsg)
            raise WeChatError(errcode, errmsg)
        token = str(result["access_token"])
        lifetime = max(int(result.get("expires_in", 7200)) - TOKEN_MARGIN_SECONDS, 60)
        cache.set(TOKEN_CACHE_KEY, token, lifetime)
        return token

    def send(self, message: WeChatMessage) -> None:
        template_id = self.templates.get(message.template)
        if not template_id:
            # Not an error to retry: nobody registered this template with the 服务号 yet.
            logger.warning(
                "WeChat template %r is not configured (TONGXIN_WECHAT_TEMPLATES); not sent", message.template
            )
            return
        body = {
            "touser": message.openid,
            "template_id": template_id,
            "url": _absolute(message.url),
            "data": {key: {"value": value} for key, value in message.data.items()},
        }
        result = self._call("/cgi-bin/message/template/send", {"access_token": self.access_token()}, body)
        errcode = int(result.get("errcode", 0))
        if errcode != 0:
            errmsg = str(result.get("errmsg", ""))
            if errcode in TOKEN_ERRORS:
                cache.delete(TOKEN_CACHE_KEY)
            logger.error(
                "WeChat template message failed: %s %s (template %s)", errcode, errmsg, message.template
            )
            raise WeChatError(errcode, errmsg)


def wechat_backend() -> WeChatBackend:
    backend_class: type[WeChatBackend] = import_string(settings.TONGXIN_WECHAT_BACKEND)
    return backend_class()
