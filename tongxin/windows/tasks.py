"""Background work of the service windows, run by the task worker (`manage.py db_worker`)."""

from datetime import datetime

from django_tasks import task

from .services import reminders_send


@task()
def window_reminders_tick(now_iso: str) -> int:
    """Send the reminders due at `now_iso` (the enqueuer's time); idempotent, so ticks may overlap."""
    return reminders_send(now=datetime.fromisoformat(now_iso))
