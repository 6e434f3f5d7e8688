"""Load a year's public holidays and 调休 days from chinese_calendar into the calendar table."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.core.actor import Actor
from tongxin.workdays.calendar import PACKAGE_YEARS
from tongxin.workdays.services import holidays_load


class Command(BaseCommand):
    help = "Load a year's holidays and adjusted working days from chinese_calendar (manual rows are kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, year: int, **options: Any) -> None:
        first, last = PACKAGE_YEARS.start, PACKAGE_YEARS.stop - 1
        try:
            result = holidays_load(year=year, by=Actor.system("load_holidays"), now=timezone.now())
        except LookupError:
            raise CommandError(
                f"chinese_calendar knows {first}-{last}, not {year}: nothing loaded. Until the "
                f"package is upgraded after the State Council's notice, enter {year}'s 放假 and "
                "调休上班 days by hand (calendar_day_set); a year with no rows at all is counted "
                "Monday-Friday with a warning in the log."
            ) from None
        self.stdout.write(
            f"{year}: {result.created} added, {result.updated} updated, {result.deleted} removed, "
            f"{result.kept_manual} manual rows kept."
        )
