"""Print the compressed weight of the phone site's pages (HTML + CSS + JS, gzip), logged in as a
demo resident for the pages behind the login."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from tongxin.accounts.models import User
from tongxin.mobile.weight import page_weight

PAGES = ("/m/login/", "/m/", "/m/me/", "/m/needs/", "/m/needs/new/", "/m/inbox/")


class Command(BaseCommand):
    help = "Compressed weight of the phone pages (HTML + CSS + JS, gzip -9)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="demo_resident")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Runs against the demo data only (DEBUG on).")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}: run seed_demo first.")
        anonymous, resident = Client(), Client()
        resident.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for path in PAGES:
            client = anonymous if path == "/m/login/" else resident
            parts = page_weight(client, path)
            total = sum(p.gzipped for p in parts)
            self.stdout.write(
                f"{path}: {total / 1024:.1f} KB gzip ({sum(p.raw for p in parts) / 1024:.1f} KB raw)"
            )
            for part in parts:
                self.stdout.write(f"    {part.url}: {part.gzipped} B gzip, {part.raw} B raw")
