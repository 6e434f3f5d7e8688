"""Background work of the needs app, run by the task worker (`manage.py db_worker`)."""

from datetime import datetime

from django_tasks import task

from .services.clock import need_clock_advance


@task()
def need_clock_tick(now_iso: str) -> dict[str, int]:
    """One tick of the deadline clock at `now_iso` (the enqueuer's time, so a tick that waited in
    the queue still acts for the moment it was meant for; a later tick catches up the rest)."""
    result = need_clock_advance(now=datetime.fromisoformat(now_iso))
    return {"urged": result.urged, "escalated": result.escalated}
