"""Reminders: the evening before (18:00), or two hours before for a later booking; none for a
booking made inside those two hours; each sent once however often the tick runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from conftest import NOW
from tongxin.notifications.models import Notification
from tongxin.windows.models import Appointment, EventKind
from tongxin.windows.services import appointment_book, appointment_cancel, reminder_due_at, reminders_send

from .conftest import MATTERS, actor, at

pytestmark = pytest.mark.django_db


def book(ww, starts_at, now=NOW, person=None, by=None):  # type: ignore[no-untyped-def]
    return appointment_book(
        point=ww.point,
        person=person or ww.fang,
        matter=MATTERS[1],
        starts_at=starts_at,
        by=actor(by or ww.resident),
        now=now,
    )


def test_due_the_evening_before_or_two_hours_before(ww) -> None:  # type: ignore[no-untyped-def]
    early = book(ww, at(2, 18, 30))  # booked Sunday for Tuesday evening
    assert reminder_due_at(early) == at(1, 18)
    late = book(ww, at(2, 14), now=at(1, 20), person=ww.n.w.alice, by=ww.n.alice)  # booked Monday 20:00
    assert reminder_due_at(late) == at(2, 12)
    Appointment.objects.filter(pk=late.pk).update(created_at=at(2, 12, 30))
    late.refresh_from_db()
    assert reminder_due_at(late) is None


def test_sent_once_with_sms_and_in_app(ww, outbox, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    a = book(ww, at(2, 18, 30))
    outbox.clear()
    assert reminders_send(now=at(1, 17, 59)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=at(1, 18)) == 1
        assert reminders_send(now=at(1, 18, 5)) == 0
        assert reminders_send(now=at(2, 17)) == 0
    a.refresh_from_db()
    assert a.reminder_sent_at == at(1, 18)
    assert a.events.filter(kind=EventKind.REMIND).count() == 1
    assert [m.template for m in outbox] == ["window_reminder"]
    assert "杨树浦路100号" in outbox[0].text
    assert Notification.objects.filter(recipient=ww.resident, title="预约提醒").count() == 1


def test_cancelled_and_past_bookings_are_not_reminded(ww) -> None:  # type: ignore[no-untyped-def]
    a = book(ww, at(2, 18, 30))
    appointment_cancel(appointment=a, by=actor(ww.resident), now=NOW)
    assert reminders_send(now=at(1, 18)) == 0
    b = book(ww, at(1, 9))
    assert reminders_send(now=at(1, 9) + timedelta(minutes=1)) == 0  # already begun
    b.refresh_from_db()
    assert b.reminder_sent_at is None


def test_the_command_runs_one_tick_and_refuses_bad_input(ww) -> None:  # type: ignore[no-untyped-def]
    book(ww, at(2, 18, 30))
    out = StringIO()
    call_command("window_reminders", "--once", "--now", at(1, 18, 1).isoformat(), stdout=out)
    assert "已发送预约提醒 1 条" in out.getvalue()
    call_command("window_reminders", "--once", "--now", at(1, 18, 2).isoformat(), stdout=out)
    assert "已发送预约提醒 0 条" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="须带时区"):
        call_command("window_reminders", "--once", "--now", "2026-11-30T18:00:00")


def test_the_task_sends_the_same(ww) -> None:  # type: ignore[no-untyped-def]
    from tongxin.windows.tasks import window_reminders_tick

    book(ww, at(2, 18, 30))
    result = window_reminders_tick.enqueue(at(1, 18).isoformat())
    assert result.return_value == 1
