"""python manage.py export_need_corrections --output OUT.jsonl [--include-sensitive] [--as USERNAME]

Staff corrections of the category or urgency (NeedCorrection) as training rows for the classifier:
one line per corrected need, {"text", "category", "urgent", "source": "correction"}, labelled with
the latest correction. Point TONGXIN_INSIGHT_EXTRA_CORPUS at the file and the classifier trains on
it too (tongxin/insight/README.md).

Vulnerable residents' words leave the platform only on purpose (DESIGN.md §7): needs that are
private or in a sensitive category (before or after the correction) are left out unless
--include-sensitive is given, and then the export is written to the audit log with how many such
texts it holds. Every export is audited; mobile and ID numbers in the texts are masked, since the
classifier needs the words, not the numbers."""

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.needs.categories import SENSITIVE_CATEGORIES
from tongxin.needs.models import NeedCorrection
from tongxin.needs.policies import is_sensitive

# A mainland mobile number or an 18-character ID number, not inside a longer run of digits.
_NUMBERS = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


def mask_numbers(text: str) -> str:
    return _NUMBERS.sub(lambda m: "*" * len(m.group()), text)


class Command(BaseCommand):
    help = "导出工作人员对诉求类别和紧急程度的更正,作为分类器的训练数据(JSON Lines)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, metavar="OUT.jsonl", help="输出文件")
        parser.add_argument(
            "--include-sensitive",
            action="store_true",
            help="同时导出不公开和敏感类别诉求的内容(记入审计日志)",
        )
        parser.add_argument(
            "--as", dest="username", metavar="USERNAME", help="记入审计日志的操作账号(默认:系统)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(_("输出目录不存在:%(path)s") % {"path": output.parent})
        by = self._actor(options["username"])
        include_sensitive: bool = options["include_sensitive"]

        latest: dict[int, NeedCorrection] = {}
        corrections = NeedCorrection.objects.select_related("need").order_by("need_id", "at", "pk")
        for correction in corrections.iterator(chunk_size=2000):
            latest[correction.need_id] = correction  # ordered by time: the last one wins

        rows, skipped, sensitive = [], 0, 0
        for correction in latest.values():
            need = correction.need
            private = (
                is_sensitive(need)
                or correction.to_category in SENSITIVE_CATEGORIES
                or correction.from_category in SENSITIVE_CATEGORIES
            )
            if private and not include_sensitive:
                skipped += 1
                continue
            sensitive += private
            rows.append(
                {
                    "text": mask_numbers(need.text),
                    "category": correction.to_category,
                    "urgent": correction.to_urgent,
                    "source": "correction",
                }
            )

        with transaction.atomic():
            audit_record(
                actor=by,
                action=AuditAction.EXPORT,
                object_type="needs.needcorrection",
                object_repr="export_need_corrections",
                detail={
                    "rows": len(rows),
                    "sensitive_rows": sensitive,
                    "skipped_sensitive": skipped,
                    "include_sensitive": include_sensitive,
                    "output": str(output),
                },
                now=timezone.now(),
            )
            self._write(output, rows)

        self.stdout.write(_("已导出 %(count)d 条更正到 %(path)s。") % {"count": len(rows), "path": output})
        if skipped:
            self.stdout.write(
                _(
                    "跳过 %(count)d 条不公开或敏感类别的诉求;"
                    "如确需导出,请加 --include-sensitive(将记入审计日志)。"
                )
                % {"count": skipped}
            )

    def _actor(self, username: str | None) -> Actor:
        if not username:
            return Actor.system("export_need_corrections")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("账号 %(username)s 不存在或已停用。") % {"username": username})
        return Actor(user=user, label=user.get_username())

    @staticmethod
    def _write(output: Path, rows: list[dict[str, Any]]) -> None:
        """All or nothing: a half-written training file would silently teach the model less."""
        fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=".corrections-", suffix=".jsonl")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            os.replace(tmp, output)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
