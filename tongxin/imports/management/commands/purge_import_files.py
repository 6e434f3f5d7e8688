"""python manage.py purge_import_files [--days N]

Uploads drop week-old files by themselves; this is for an operator who wants it done now, or
sooner than a week (--days 0: every finished job)."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.core.actor import Actor
from tongxin.imports.retention import KEEP_FILES, import_files_purge


class Command(BaseCommand):
    help = "删除上传超过N天的导入文件(只删文件,保留导入记录和问题列表)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=KEEP_FILES.days,
            metavar="N",
            help=f"保留最近N天上传的文件(默认 {KEEP_FILES.days})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 0:
            raise CommandError("--days 不能为负数。")
        purged = import_files_purge(
            now=timezone.now(), by=Actor.system("purge_import_files"), keep=timedelta(days=days)
        )
        self.stdout.write(f"已删除 {purged} 个导入文件(上传超过 {days} 天)。")
