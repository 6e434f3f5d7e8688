from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tongxin.core.actor import Actor
from tongxin.core.crypto import generate_key
from tongxin.people.keys import rotate_person_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data with the first key of TONGXIN_FIELD_KEYS and recompute blind "
        "indexes with TONGXIN_BLIND_INDEX_KEY. --generate prints a new field key and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--generate", action="store_true", help="print a new Fernet key and exit")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate"]:
            self.stdout.write(generate_key())
            return

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\r{done}/{total}", ending="")
            self.stdout.flush()

        rows = rotate_person_keys(
            by=Actor.system("rotate_keys"), batch_size=options["batch_size"], progress=progress
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"已用新密钥重新加密 {rows} 条人员记录。"))
