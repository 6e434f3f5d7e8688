"""The heartbeat enqueues each periodic task when its period has passed, and only then."""

from unittest import mock

import pytest
from django.core.management import call_command

from tongxin.registry.management.commands import clock


def test_every_job_is_due_at_the_first_beat_and_then_after_its_own_period() -> None:
    assert [j.name for j in clock.due_jobs(last_run={}, at=0.0)] == [
        "need_clock",
        "window_reminders",
        "care_overdue",
    ]
    last = {job.name: 0.0 for job in clock.JOBS}
    assert clock.due_jobs(last_run=last, at=59.0) == []
    assert [j.name for j in clock.due_jobs(last_run=last, at=60.0)] == ["need_clock"]
    assert [j.name for j in clock.due_jobs(last_run=last, at=300.0)] == ["need_clock", "window_reminders"]
    assert len(clock.due_jobs(last_run=last, at=3600.0)) == 3


@pytest.mark.django_db
def test_one_beat_enqueues_the_three_ticks_with_the_time(capsys) -> None:  # type: ignore[no-untyped-def]
    sent: list[tuple[str, str]] = []
    jobs = tuple(
        clock.Job(job.name, job.every_seconds, lambda at, name=job.name: sent.append((name, at)))
        for job in clock.JOBS
    )
    with mock.patch.object(clock, "JOBS", jobs):
        call_command("clock", "--beats", "1", "--interval", "1")
    assert [name for name, _at in sent] == ["need_clock", "window_reminders", "care_overdue"]
    assert all("T" in at and "+" in at for _name, at in sent)  # ISO time with its zone


def test_a_zero_interval_is_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="至少为1秒"):
        call_command("clock", "--interval", "0")
