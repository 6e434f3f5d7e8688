"""python manage.py need_clock [--once] [--interval SECONDS] [--now ISO]

The deadline clock's heartbeat. Without --once it runs beside `manage.py db_worker` and enqueues
the `need_clock_tick` task every interval; the worker runs it (so the work is retried and logged
like any task, and several enqueuers or workers do no harm: a tick is idempotent). With --once it
runs one tick here and now and prints what it did (operators, cron, tests)."""

import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.needs.services.clock import need_clock_advance
from tongxin.needs.tasks import need_clock_tick


class Command(BaseCommand):
    help = "诉求时限计时:到期催办、超期上报(--once 立即执行一次;否则每隔一段时间排入后台任务)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="立即执行一次并退出")
        parser.add_argument(
            "--interval", type=int, default=60, metavar="SECONDS", help="排入任务的间隔秒数(默认60)"
        )
        parser.add_argument(
            "--now", default="", metavar="ISO", help="以该时刻代替当前时间(仅 --once,用于测试)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            now = self._now(options["now"])
            result = need_clock_advance(now=now)
            self.stdout.write(f"催办 {result.urged} 件,上报 {result.escalated} 件({now.isoformat()})")
            return
        if options["now"]:
            raise CommandError("--now 只能与 --once 一起使用。")
        interval = options["interval"]
        if interval < 1:
            raise CommandError("--interval 至少为1秒。")
        self.stdout.write(f"每{interval}秒排入一次诉求计时任务(Ctrl+C 退出)")
        try:
            while True:
                need_clock_tick.enqueue(timezone.now().isoformat())
                time.sleep(interval)
        except KeyboardInterrupt:
            return

    @staticmethod
    def _now(value: str) -> datetime:
        if not value:
            return timezone.now()
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError("--now 须为 ISO 时间,例如 2026-10-09T09:00:00+08:00") from None
        if timezone.is_naive(moment):
            raise CommandError("--now 须带时区,例如 +08:00")
        return moment
