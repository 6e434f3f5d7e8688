"""python manage.py clock [--interval SECONDS]

The platform's one heartbeat beside `manage.py db_worker` (`make run` starts both): it enqueues
each periodic task when its period has passed — the needs' deadline tick every minute, the
service windows' appointment reminders every five minutes, the care registry's overdue-visit
reminder every hour. Every task is idempotent (a second tick in the same period does nothing), so
a restart, two clocks or a slow worker do no harm. Each app's own command (`need_clock --once`,
`window_reminders --once`, `care_overdue`) runs one tick in the foreground for cron or operators."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.care.tasks import care_overdue_tick
from tongxin.needs.tasks import need_clock_tick
from tongxin.windows.tasks import window_reminders_tick


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    enqueue: Callable[[str], object]


JOBS = (
    Job("need_clock", 60, need_clock_tick.enqueue),
    Job("window_reminders", 300, window_reminders_tick.enqueue),
    Job("care_overdue", 3600, care_overdue_tick.enqueue),
)


def due_jobs(*, last_run: dict[str, float], at: float) -> list[Job]:
    """The jobs whose period has passed since they last ran (all of them at the first beat)."""
    return [job for job in JOBS if at - last_run.get(job.name, float("-inf")) >= job.every_seconds]


class Command(BaseCommand):
    help = "定时任务心跳:按各自周期排入诉求计时、服务窗口预约提醒、关爱走访超期提醒等后台任务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=int, default=30, metavar="SECONDS", help="检查的间隔秒数(默认30)"
        )
        parser.add_argument("--beats", type=int, default=0, help="跳动几次后退出(默认不退出;测试用)")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"]
        if interval < 1:
            raise CommandError("--interval 至少为1秒。")
        names = "、".join(job.name for job in JOBS)
        self.stdout.write(f"定时任务心跳:每{interval}秒检查一次({names}),Ctrl+C 退出")
        last_run: dict[str, float] = {}
        beats = 0
        try:
            while True:
                at = time.monotonic()
                for job in due_jobs(last_run=last_run, at=at):
                    job.enqueue(timezone.now().isoformat())
                    last_run[job.name] = at
                beats += 1
                if options["beats"] and beats >= options["beats"]:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            return
