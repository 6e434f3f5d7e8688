"""Demo-only commands print secrets (the shared password, TOTP keys, current codes): they exist
only where DEBUG is on, so production has no way around the second factor."""

from django.conf import settings
from django.core.management.base import CommandError


def require_debug(command: str) -> None:
    if not settings.DEBUG:
        raise CommandError(f"{command} 只能在开发和演示环境(DEBUG=True)中使用,生产环境不提供。")
