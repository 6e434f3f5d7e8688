"""python manage.py import_members FILE.xlsx [--dry-run] [--report OUT.xlsx] [--as USERNAME]"""

import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.core.actor import Actor
from tongxin.imports.report import build_report
from tongxin.imports.scope import ImportScope
from tongxin.imports.services import members_import


class Command(BaseCommand):
    help = "从Excel导入党员信息(全部正确才写入;有错误时列出每个问题并以非零状态退出)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="要导入的 .xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查,不导入")
        parser.add_argument("--report", metavar="OUT.xlsx", help="有错误时写出带“错误说明”列的文件")
        parser.add_argument(
            "--as", dest="username", metavar="USERNAME", help="以该账号的权限范围导入(默认:系统,全区)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}:{exc.strerror}") from None
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"账号 {options['username']} 不存在或已停用。")
            by = Actor(user=user, label=user.get_username())
        else:
            by = Actor.system("import_members")
        started = time.perf_counter()
        result = members_import(
            data=data,
            filename=path.name,
            scope=ImportScope(user=user),
            by=by,
            today=timezone.localdate(),
            dry_run=options["dry_run"],
            reference=f"command:{path.name}",
        )
        seconds = time.perf_counter() - started
        if result.message:
            raise CommandError(result.message)
        if result.problems:
            for p in result.problems:
                self.stderr.write(f"第 {p.row} 行 [{p.column}] {p.message}")
            if options["report"]:
                problems = [p.as_json() for p in result.problems]
                Path(options["report"]).write_bytes(build_report(data, result.sheet_title, problems))
                self.stderr.write(f"错误报告已写入 {options['report']}")
            rows = len({p.row for p in result.problems})
            raise CommandError(
                f"共 {result.total} 行,其中 {rows} 行有 {len(result.problems)} 处问题;没有写入任何数据。"
            )
        c = result.counts
        verb = "检查通过(未写入)" if options["dry_run"] else "导入完成"
        self.stdout.write(
            f"{verb}:共 {result.total} 行,新增 {c['create']},更新 {c['update']},未变 {c['unchanged']}"
            f"({seconds:.1f} 秒)。"
        )
        for u in result.updates:
            changed = "登记为党员" if u["new_membership"] else ""
            changed = "、".join(filter(None, [changed, *u["fields"]]))
            self.stdout.write(f"第 {u['row']} 行 {u['name']}:{changed}")
