"""One entry point: in-app always (in the caller's transaction), SMS when a phone and a
registered template are given, WeChat when the account has bound an openid (after commit, through
a task); and the inbox selectors and service."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from conftest import NOW
from tongxin.notifications.inbox import notification_mark_read, notifications_for, unread_count
from tongxin.notifications.models import Notification, WeChatBinding
from tongxin.notifications.services import IN_APP, Message, notify, notify_many, wechat_bind
from tongxin.notifications.wechat import InMemoryWeChatBackend

pytestmark = pytest.mark.django_db

MESSAGE = Message(
    title="您的诉求已受理(编号7)",
    body="我们会尽快安排办理。",
    url="/m/needs/7/",
    sms_template="login_code",
    sms_params={"code": "1", "minutes": "5"},
    wechat_template="need_status",
    wechat_data={"first": "您的诉求已受理", "keyword1": "7"},
)


@pytest.fixture(autouse=True)
def _wechat_outbox():  # type: ignore[no-untyped-def]
    InMemoryWeChatBackend.outbox.clear()
    yield
    InMemoryWeChatBackend.outbox.clear()


@pytest.fixture
def users():  # type: ignore[no-untyped-def]
    user_model = get_user_model()
    return user_model.objects.create_user("u1"), user_model.objects.create_user("u2")


def test_all_three_channels(users, outbox, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    u1, _u2 = users
    wechat_bind(user=u1, openid="oABC", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient_user=u1, phone="13800001111", message=MESSAGE, now=NOW)
        assert Notification.objects.filter(recipient=u1).count() == 1  # in-app: at once
        assert outbox == []
        assert InMemoryWeChatBackend.outbox == []
    assert [m.template for m in outbox] == ["login_code"]
    (sent,) = InMemoryWeChatBackend.outbox
    assert (sent.openid, sent.template, sent.url) == ("oABC", "need_status", "/m/needs/7/")
    assert sent.data == {"first": "您的诉求已受理", "keyword1": "7"}


def test_channels_are_skipped_when_they_cannot_apply(
    users, outbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    u1, _u2 = users
    unknown_sms = Message(title="t", sms_template="no_such_template", wechat_template="need_status")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient_user=u1, phone="13800001111", message=unknown_sms, now=NOW
        )  # no binding, no template
        notify(phone="13800001111", message=MESSAGE, now=NOW)  # a caller without an account: SMS only
        notify(recipient_user=u1, message=MESSAGE, channels={IN_APP}, now=NOW)
    assert [m.to for m in outbox] == ["13800001111"]
    assert InMemoryWeChatBackend.outbox == []
    assert Notification.objects.count() == 2


def test_a_rolled_back_step_leaves_no_trace(users, outbox, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    u1, _u2 = users
    wechat_bind(user=u1, openid="oABC", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(recipient_user=u1, phone="13800001111", message=MESSAGE, now=NOW)
                raise RuntimeError
        except RuntimeError:
            pass
    assert Notification.objects.count() == 0
    assert outbox == []
    assert InMemoryWeChatBackend.outbox == []


def test_notify_many_tells_each_once(users) -> None:  # type: ignore[no-untyped-def]
    u1, u2 = users
    assert notify_many(recipients=[u1, u2, u1, None], message=MESSAGE, now=NOW) == 2
    assert Notification.objects.count() == 2


def test_inbox(users) -> None:  # type: ignore[no-untyped-def]
    u1, u2 = users
    for i in range(3):
        notify(recipient_user=u1, message=Message(title=f"m{i}"), now=NOW + timedelta(minutes=i))
    notify(recipient_user=u2, message=Message(title="other"), now=NOW)
    assert [n.title for n in notifications_for(u1)] == ["m2", "m1", "m0"]
    assert unread_count(u1) == 3
    first = notifications_for(u1).last()
    assert first is not None
    # Someone else's notification: nothing happens.
    assert notification_mark_read(user=u2, now=NOW, notification_id=first.pk) == 0
    assert notification_mark_read(user=u1, now=NOW, notification_id=first.pk) == 1
    assert unread_count(u1) == 2
    assert notification_mark_read(user=u1, now=NOW) == 2
    assert unread_count(u1) == 0
    assert unread_count(u2) == 1
    # Marking again changes nothing (the first read time stays).
    assert notification_mark_read(user=u1, now=NOW + timedelta(days=1)) == 0


def test_inbox_for_anonymous() -> None:
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert list(notifications_for(anon)) == []
    assert unread_count(anon) == 0
    assert notification_mark_read(user=anon, now=NOW) == 0


def test_an_openid_belongs_to_one_account(users) -> None:  # type: ignore[no-untyped-def]
    u1, u2 = users
    wechat_bind(user=u1, openid="oSAME", now=NOW)
    wechat_bind(user=u2, openid="oSAME", now=NOW)
    assert list(WeChatBinding.objects.values_list("user", flat=True)) == [u2.pk]
    wechat_bind(user=u2, openid="oNEW", now=NOW)
    assert WeChatBinding.objects.get(user=u2).openid == "oNEW"
    with pytest.raises(ValueError, match="openid"):
        wechat_bind(user=u1, openid="  ", now=NOW)
