"""消息 on the phone: the resident is told of each step in-app, sees an unread badge on the home
page, opens a message (read, and on to the need) or marks them all read."""

from datetime import timedelta

import pytest

from conftest import NOW
from tongxin.needs.services import need_accept
from tongxin.needs.tests.conftest import actor, submit
from tongxin.notifications.models import Notification

from .test_needs_intake import client_for

pytestmark = pytest.mark.django_db


def test_a_step_reaches_her_inbox_with_a_badge_and_opens_the_need(
    nw, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    with django_capture_on_commit_callbacks(execute=True):
        need_accept(need=need, by=actor(nw.staff11), now=NOW)
    client = client_for(nw.resident)
    home = client.get("/m/").content.decode()
    assert 'class="m-badge">1<span class="m-sr">条未读</span>' in home
    html = client.get("/m/inbox/").content.decode()
    assert f"您的诉求已受理(编号{need.pk})" in html
    assert "m-unread" in html
    note = Notification.objects.get(recipient=nw.resident)
    response = client.post(f"/m/inbox/{note.pk}/")
    assert response["Location"] == f"/m/needs/{need.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "m-badge" not in client.get("/m/").content.decode()


def test_someone_elses_message_cannot_be_opened_or_marked(nw) -> None:  # type: ignore[no-untyped-def]
    theirs = Notification.objects.create(
        recipient=nw.other_resident, title="别人的消息", url="/m/needs/1/", created_at=NOW
    )
    client = client_for(nw.resident)
    assert "别人的消息" not in client.get("/m/inbox/").content.decode()
    response = client.post(f"/m/inbox/{theirs.pk}/")
    assert response["Location"] == "/m/inbox/"
    client.post("/m/inbox/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_all_read_at_once_and_pages_newest_first(nw) -> None:  # type: ignore[no-untyped-def]
    for i in range(12):
        Notification.objects.create(
            recipient=nw.resident, title=f"第{i}条消息", url="", created_at=NOW + timedelta(minutes=i)
        )
    client = client_for(nw.resident)
    html = client.get("/m/inbox/").content.decode()
    assert html.index("第11条消息") < html.index("第10条消息")
    assert "第1条消息" not in html
    assert "全部标为已读(12条未读)" in html
    assert "第1条消息" in client.get("/m/inbox/?page=2").content.decode()
    client.post("/m/inbox/read/")
    assert not Notification.objects.filter(recipient=nw.resident, read_at__isnull=True).exists()
    assert "全部标为已读" not in client.get("/m/inbox/").content.decode()


def test_an_outside_link_is_never_followed(nw) -> None:  # type: ignore[no-untyped-def]
    note = Notification.objects.create(
        recipient=nw.resident, title="可疑", url="https://evil.example/", created_at=NOW
    )
    response = client_for(nw.resident).post(f"/m/inbox/{note.pk}/")
    assert response["Location"] == "/m/inbox/"


def test_an_empty_inbox_says_what_will_come(nw) -> None:  # type: ignore[no-untyped-def]
    assert "还没有消息" in client_for(nw.resident).get("/m/inbox/").content.decode()
