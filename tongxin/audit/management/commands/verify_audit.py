from django.core.management.base import BaseCommand, CommandError

from tongxin.audit.verification import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero at the first edited or deleted row."

    def handle(self, *args: object, **options: object) -> None:
        checked, chain_break = verify_chain()
        if chain_break is not None:
            raise CommandError(
                f"审计链校验失败:{chain_break.reason}(已校验 {checked} 条)。"
                f" First broken sequence number: {chain_break.seq}"
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完整:共 {checked} 条记录。"))
