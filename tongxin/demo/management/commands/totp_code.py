from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.accounts.models import User
from tongxin.accounts.second_factor import confirmed_totp, current_totp_code
from tongxin.demo.guards import require_debug


class Command(BaseCommand):
    help = "打印某个账号当前的 6 位 TOTP 验证码(仅限开发和演示环境)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        require_debug("totp_code")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为 {options['username']} 的账号。")
        device = confirmed_totp(user)
        if device is None:
            raise CommandError(f"账号 {user.username} 没有已启用的 TOTP 令牌。")
        self.stdout.write(current_totp_code(device))
