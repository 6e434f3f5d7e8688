"""Background work of the care registry, run by the task worker (`manage.py db_worker`)."""

from datetime import datetime

from django_tasks import task

from .services import overdue_remind


@task()
def care_overdue_tick(now_iso: str) -> int:
    """Remind visitors of overdue visits as of `now_iso` (the enqueuer's time). Once per visitor
    per day however often it runs, so the hourly heartbeat only reaches who has not heard today."""
    return overdue_remind(now=datetime.fromisoformat(now_iso))
