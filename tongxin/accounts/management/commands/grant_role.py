"""Grant or revoke a role from the command line, for the first administrators of a deployment
(before anyone can log in to do it) and for scripted changes. Audited like any grant."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.accounts.models import Role, RoleGrant, User
from tongxin.accounts.services import role_grant, role_revoke
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError
from tongxin.orgs.models import Organization
from tongxin.territory.models import Territory


class Command(BaseCommand):
    help = "Grant (or with --revoke, revoke) ROLE to USERNAME on a territory code or an organisation code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        node = parser.add_mutually_exclusive_group(required=True)
        node.add_argument("--territory", help="区划代码 of the node, e.g. 310110001")
        node.add_argument("--org", help="组织编码 of the node")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
            territory = Territory.objects.get(code=options["territory"]) if options["territory"] else None
            organization = Organization.objects.get(code=options["org"]) if options["org"] else None
        except (User.DoesNotExist, Territory.DoesNotExist, Organization.DoesNotExist) as exc:
            raise CommandError(f"未找到:{exc}") from None
        actor, now = Actor.system("manage.py grant_role"), timezone.now()
        try:
            if options["revoke"]:
                grant = RoleGrant.objects.active().get(
                    user=user, role=options["role"], territory=territory, organization=organization
                )
                role_revoke(grant=grant, by=actor, now=now)
                self.stdout.write(self.style.SUCCESS(f"已撤销:{grant}"))
            else:
                grant = role_grant(
                    user=user,
                    role=options["role"],
                    territory=territory,
                    organization=organization,
                    by=actor,
                    now=now,
                )
                self.stdout.write(self.style.SUCCESS(f"已授权:{grant}"))
        except RoleGrant.DoesNotExist:
            raise CommandError("该账号在此节点上没有这个角色。") from None
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
