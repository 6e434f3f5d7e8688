"""Issue, list and revoke API tokens from the command line. The token is printed once, when it is
issued; only its hash is kept. Issuing and revoking are audited."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.accounts.models import User
from tongxin.api.models import ApiToken
from tongxin.api.tokens import api_token_issue, api_token_revoke
from tongxin.core.actor import Actor

ACTOR = Actor.system("manage.py api_token")


class Command(BaseCommand):
    help = "api_token create USERNAME [--name N] [--days D] | list USERNAME | revoke TOKEN_ID"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        create = sub.add_parser("create", help="issue a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for, e.g. 街道数据对接")
        create.add_argument("--days", type=int, default=90, help="days until it expires (0: never)")
        listing = sub.add_parser("list", help="the account's tokens (never their values)")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["command"] == "revoke":
            token = ApiToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError("未找到该令牌。")
            api_token_revoke(token=token, by=ACTOR, now=now)
            self.stdout.write(self.style.SUCCESS(f"已撤销令牌 {token.pk}({token})。"))
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("未找到该账号。")
        if options["command"] == "list":
            for t in ApiToken.objects.filter(user=user).order_by("created_at"):
                state = (
                    "已撤销"
                    if t.revoked_at
                    else ("已过期" if t.expires_at and t.expires_at <= now else "有效")
                )
                self.stdout.write(
                    f"{t.pk}\t{t}\t{state}\t签发 {t.created_at:%Y-%m-%d}\t到期 "
                    f"{t.expires_at or '永不'}\t最近使用 {t.last_used_at or '从未'}"
                )
            return
        days = options["days"]
        if days < 0:
            raise CommandError("--days 不能为负数。")
        token, clear = api_token_issue(user=user, name=options["name"], days=days or None, by=ACTOR, now=now)
        self.stdout.write(
            self.style.SUCCESS(f"已为 {user.username} 签发令牌 {token.pk},请立即保存,它不会再次显示:")
        )
        self.stdout.write("使用时加请求头 Authorization: Token <令牌>(不是 Bearer)。令牌:")
        self.stdout.write(clear)  # last, alone on its line, for scripts that take the last line
