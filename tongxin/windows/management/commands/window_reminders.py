"""python manage.py window_reminders [--once] [--interval SECONDS] [--now ISO]

Appointment reminders (the evening before, or two hours before for a late booking). Without
--once it runs beside `manage.py db_worker` and enqueues `window_reminders_tick` every interval;
with --once it sends what is due here and now and prints how many. Idempotent either way."""

import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.windows.services import reminders_send
from tongxin.windows.tasks import window_reminders_tick


class Command(BaseCommand):
    help = "服务窗口预约提醒(--once 立即执行一次;否则每隔一段时间排入后台任务)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="立即执行一次并退出")
        parser.add_argument("--interval", type=int, default=300, metavar="SECONDS", help="间隔秒数(默认300)")
        parser.add_argument("--now", default="", metavar="ISO", help="以该时刻代替当前时间(仅 --once)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            now = self._now(options["now"])
            sent = reminders_send(now=now)
            self.stdout.write(f"已发送预约提醒 {sent} 条({now.isoformat()})")
            return
        if options["now"]:
            raise CommandError("--now 只能与 --once 一起使用。")
        if options["interval"] < 1:
            raise CommandError("--interval 至少为1秒。")
        try:
            while True:
                window_reminders_tick.enqueue(timezone.now().isoformat())
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            return

    @staticmethod
    def _now(value: str) -> datetime:
        if not value:
            return timezone.now()
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError("--now 须为 ISO 时间,例如 2026-10-09T18:00:00+08:00") from None
        if timezone.is_naive(moment):
            raise CommandError("--now 须带时区,例如 +08:00")
        return moment
