"""Scores pairs of need texts as possible duplicates, from a JSON-lines file (for measurement)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tongxin.insight.duplicates import THRESHOLD, pair_score
from tongxin.insight.jsonl import read_rows, write_rows


class Command(BaseCommand):
    help = 'Input lines {"a", "b"}; output lines add "score" in [0, 1] and "duplicate" true/false.'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        rows = read_rows(options["input"], ("a", "b"))

        def scored() -> Any:
            for row in rows:
                score = pair_score(row["a"], row["b"])
                yield {**row, "score": score, "duplicate": score >= THRESHOLD}

        count = write_rows(options["output"], scored())
        self.stdout.write(self.style.SUCCESS(f"已评分 {count} 对,结果写入 {options['output']}"))
