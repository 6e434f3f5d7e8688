"""Check every ledger invariant over the whole database; exit 1 naming the first violation."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tongxin.ledger.verify import CHECKS


class Command(BaseCommand):
    help = "Check the ledger's invariants (balanced postings, balances, running balances, caps)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, check in CHECKS:
            started = time.perf_counter()
            message = check()
            if message:
                raise CommandError(
                    _("账本校验失败(%(check)s):%(message)s") % {"check": name, "message": message}
                )
            if options["verbosity"] > 1:
                self.stdout.write(f"{name}: ok ({time.perf_counter() - started:.2f}s)")
        self.stdout.write(self.style.SUCCESS(_("账本校验通过:所有不变量成立。")))
