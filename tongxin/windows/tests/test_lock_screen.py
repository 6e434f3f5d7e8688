"""What shows on a lock screen (WeChat, SMS, the in-app notice) names the point and the time,
never the matter: nobody should read there that she applies for 低保 or a disability card."""

import pytest

from conftest import NOW
from tongxin.notifications.models import Notification
from tongxin.notifications.services import wechat_bind
from tongxin.notifications.wechat import InMemoryWeChatBackend
from tongxin.windows import notify
from tongxin.windows.services import appointment_book

from .conftest import actor, at

pytestmark = pytest.mark.django_db
MATTER = "老年证"


@pytest.fixture(autouse=True)
def _wechat_outbox():  # type: ignore[no-untyped-def]
    InMemoryWeChatBackend.outbox.clear()
    yield
    InMemoryWeChatBackend.outbox.clear()


def test_no_push_names_the_matter(ww, outbox, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    wechat_bind(user=ww.resident, openid="oFANG", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        a = appointment_book(
            point=ww.point, person=ww.fang, matter=MATTER, starts_at=at(2, 9), by=actor(ww.resident), now=NOW
        )
        notify.tell_reminder(a)
        notify.tell_cancelled(a, "设备检修")
    assert len(InMemoryWeChatBackend.outbox) == 3
    for sent in InMemoryWeChatBackend.outbox:
        assert all(MATTER not in value for value in sent.data.values()), sent.data
        assert ww.point.name in sent.data["keyword1"]
    assert len(outbox) == 3
    assert all(MATTER not in sms.text for sms in outbox)
    notices = Notification.objects.filter(recipient=ww.resident)
    assert notices.count() == 3
    assert all(MATTER not in n.title + n.body for n in notices)
