import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.audit.verification import chain_anchor, verify_chain


def parse_anchor(value: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", value.strip())
    if not match:
        raise CommandError("锚点格式应为 序号:哈希,例如 1024:3fa9…(64位十六进制)。")
    return int(match.group(1)), match.group(2)


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain; exit non-zero at the first edited or deleted row. "
        "Prints an anchor (seq:hash) to keep outside the database; pass it back with --anchor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchor", help="seq:hash printed by an earlier run, kept outside the database")

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = parse_anchor(options["anchor"]) if options["anchor"] else None
        checked, chain_break = verify_chain(anchor=anchor)
        if chain_break is not None:
            raise CommandError(
                f"审计链校验失败:{chain_break.reason}(已校验 {checked} 条)。"
                f" First broken sequence number: {chain_break.seq}"
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完整:共 {checked} 条记录。"))
        current = chain_anchor()
        if current is not None:
            self.stdout.write(f"锚点(请保存在数据库之外,下次用 --anchor 核对):{current[0]}:{current[1]}")
