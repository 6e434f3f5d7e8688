"""python manage.py care_overdue — the daily reminder of overdue care visits.

Run it once a day from cron (e.g. 08:30). Each assigned visitor with overdue subjects hears once a
day (in-app, WeChat, an SMS to their mobile), however often the command runs: the reminder row per
visitor and day makes a second run that day a no-op. The texts give a count, never a name."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from tongxin.care.services import overdue_remind


class Command(BaseCommand):
    help = "Remind visitors of overdue care visits (once per visitor per day)."

    def handle(self, *args: Any, **options: Any) -> None:
        told = overdue_remind(now=timezone.now())
        self.stdout.write(f"care_overdue: {told} visitor(s) reminded")
