"""The official WeChat backend against a fake API on localhost: the token request, its caching,
the template message's JSON body, and errors (logged, raised, a bad token dropped)."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tongxin.notifications.wechat import (
    TOKEN_CACHE_KEY,
    LogWeChatBackend,
    OfficialWeChatBackend,
    WeChatError,
    WeChatMessage,
)


class FakeWeChat:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.token_replies: list[dict[str, Any]] = []
        self.send_replies: list[dict[str, Any]] = []
        self.tokens_issued = 0


@pytest.fixture
def fake() -> Iterator[tuple[FakeWeChat, str]]:
    state = FakeWeChat()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, body: dict[str, Any]) -> None:
            raw = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _record(self, body: bytes) -> dict[str, Any]:
            parts = urlsplit(self.path)
            entry = {
                "method": self.command,
                "path": parts.path,
                "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                "content_type": self.headers.get("Content-Type", ""),
                "body": json.loads(body.decode("utf-8")) if body else None,
            }
            state.requests.append(entry)
            return entry

        def do_GET(self) -> None:
            entry = self._record(b"")
            if entry["path"] == "/cgi-bin/token":
                if state.token_replies:
                    self._reply(state.token_replies.pop(0))
                    return
                state.tokens_issued += 1
                self._reply({"access_token": f"TOKEN{state.tokens_issued}", "expires_in": 7200})
            else:
                self._reply({"errcode": 404, "errmsg": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            self._record(self.rfile.read(length))
            self._reply(
                state.send_replies.pop(0)
                if state.send_replies
                else {"errcode": 0, "errmsg": "ok", "msgid": 1}
            )

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    cache.delete(TOKEN_CACHE_KEY)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with override_settings(
        TONGXIN_WECHAT_API_BASE=base,
        TONGXIN_WECHAT_APPID="wxAPPID",
        TONGXIN_WECHAT_SECRET="SECRET",
        TONGXIN_WECHAT_TEMPLATES={"need_status": "TPL-STATUS"},
        TONGXIN_SITE_URL="https://tx.example.cn",
    ):
        yield state, base
    server.shutdown()
    server.server_close()
    cache.delete(TOKEN_CACHE_KEY)


MESSAGE = WeChatMessage(
    openid="oOPENID123",
    template="need_status",
    url="/m/needs/12/",
    data={
        "first": "您反映的诉求已受理",
        "keyword1": "12",
        "keyword2": "已受理",
        "remark": "我们会尽快办理。",
    },
)


def test_token_then_template_message_in_the_official_format(fake) -> None:  # type: ignore[no-untyped-def]
    state, _base = fake
    OfficialWeChatBackend().send(MESSAGE)
    token, send = state.requests
    assert token["method"] == "GET"
    assert token["path"] == "/cgi-bin/token"
    assert token["query"] == {"grant_type": "client_credential", "appid": "wxAPPID", "secret": "SECRET"}
    assert send["method"] == "POST"
    assert send["path"] == "/cgi-bin/message/template/send"
    assert send["query"] == {"access_token": "TOKEN1"}
    assert send["content_type"].startswith("application/json")
    assert send["body"] == {
        "touser": "oOPENID123",
        "template_id": "TPL-STATUS",
        "url": "https://tx.example.cn/m/needs/12/",
        "data": {
            "first": {"value": "您反映的诉求已受理"},
            "keyword1": {"value": "12"},
            "keyword2": {"value": "已受理"},
            "remark": {"value": "我们会尽快办理。"},
        },
    }


def test_the_token_is_cached_until_it_expires(fake) -> None:  # type: ignore[no-untyped-def]
    state, _base = fake
    backend = OfficialWeChatBackend()
    for _ in range(3):
        backend.send(MESSAGE)
    OfficialWeChatBackend().send(MESSAGE)  # a new backend object (a new task) shares the cache
    paths = [r["path"] for r in state.requests]
    assert paths.count("/cgi-bin/token") == 1
    assert paths.count("/cgi-bin/message/template/send") == 4
    assert {r["query"]["access_token"] for r in state.requests[1:]} == {"TOKEN1"}
    # Expired (the cache entry is gone): the next message fetches a new one.
    cache.delete(TOKEN_CACHE_KEY)
    backend.send(MESSAGE)
    assert state.requests[-1]["query"] == {"access_token": "TOKEN2"}


def test_token_lifetime_is_shortened_by_the_margin(fake, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _state, _base = fake
    seen: dict[str, Any] = {}
    real_set = cache.set

    def spy(key: str, value: Any, timeout: Any = None, **kwargs: Any) -> None:
        seen[key] = timeout
        real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    OfficialWeChatBackend().send(MESSAGE)
    assert seen[TOKEN_CACHE_KEY] == 7200 - 300


def test_an_error_code_is_logged_and_raised(fake, caplog) -> None:  # type: ignore[no-untyped-def]
    state, _base = fake
    state.send_replies.append({"errcode": 43004, "errmsg": "require subscribe"})
    with pytest.raises(WeChatError) as exc:
        OfficialWeChatBackend().send(MESSAGE)
    assert exc.value.errcode == 43004
    assert "43004" in caplog.text
    # The token is still good: kept.
    assert cache.get(TOKEN_CACHE_KEY) == "TOKEN1"


def test_an_expired_token_error_drops_the_cached_token(fake) -> None:  # type: ignore[no-untyped-def]
    state, _base = fake
    state.send_replies.append({"errcode": 42001, "errmsg": "access_token expired"})
    backend = OfficialWeChatBackend()
    with pytest.raises(WeChatError):
        backend.send(MESSAGE)
    assert cache.get(TOKEN_CACHE_KEY) is None
    backend.send(MESSAGE)  # the retry fetches a fresh token
    assert state.requests[-1]["query"] == {"access_token": "TOKEN2"}


def test_a_refused_token_request_is_raised(fake) -> None:  # type: ignore[no-untyped-def]
    state, _base = fake
    state.token_replies.append({"errcode": 40125, "errmsg": "invalid appsecret"})
    with pytest.raises(WeChatError, match="40125"):
        OfficialWeChatBackend().send(MESSAGE)
    assert [r["path"] for r in state.requests] == ["/cgi-bin/token"]
    assert cache.get(TOKEN_CACHE_KEY) is None


def test_an_unconfigured_template_is_not_sent(fake, caplog) -> None:  # type: ignore[no-untyped-def]
    state, _base = fake
    OfficialWeChatBackend().send(WeChatMessage(openid="o1", template="unknown", data={}))
    assert state.requests == []
    assert "not configured" in caplog.text


def test_configuration_is_checked() -> None:
    with (
        override_settings(TONGXIN_WECHAT_APPID="", TONGXIN_WECHAT_SECRET=""),
        pytest.raises(ImproperlyConfigured),
    ):
        OfficialWeChatBackend()
    with (
        override_settings(
            TONGXIN_WECHAT_API_BASE="file:///etc", TONGXIN_WECHAT_APPID="a", TONGXIN_WECHAT_SECRET="b"
        ),
        pytest.raises(ImproperlyConfigured),
    ):
        OfficialWeChatBackend()


def test_the_log_backend_shortens_the_openid(caplog) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="tongxin.notifications"):
        LogWeChatBackend().send(MESSAGE)
    assert "oOPENI…" in caplog.text
    assert "oOPENID123" not in caplog.text


@pytest.mark.django_db
def test_notify_reaches_the_fake_api_through_the_task(fake, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    """End to end: notify() → after commit → the task → the official backend → the HTTP API."""
    from django.contrib.auth import get_user_model

    from conftest import NOW
    from tongxin.notifications.services import Message, notify, wechat_bind

    state, _base = fake
    user = get_user_model().objects.create_user("wx")
    wechat_bind(user=user, openid="oWX", now=NOW)
    message = Message(
        title="t", url="/m/needs/3/", wechat_template="need_status", wechat_data={"keyword1": "3"}
    )
    official = "tongxin.notifications.wechat.OfficialWeChatBackend"
    with override_settings(TONGXIN_WECHAT_BACKEND=official), django_capture_on_commit_callbacks(execute=True):
        notify(recipient_user=user, message=message, now=NOW)
        assert state.requests == []  # nothing leaves before the commit
    assert [r["path"] for r in state.requests] == ["/cgi-bin/token", "/cgi-bin/message/template/send"]
    assert state.requests[1]["body"]["touser"] == "oWX"
    assert state.requests[1]["body"]["data"] == {"keyword1": {"value": "3"}}
