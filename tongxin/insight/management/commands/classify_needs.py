"""Suggests category and urgency for each need text in a JSON-lines file (for measurement)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tongxin.insight.classifier import classify_many
from tongxin.insight.jsonl import read_rows, write_rows


class Command(BaseCommand):
    help = 'Input lines {"id", "text"}; output lines {"id", "category", "urgent", "confidence"}.'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        rows = read_rows(options["input"], ("id", "text"))
        suggestions = classify_many([row["text"] for row in rows])
        out = (
            {"id": row["id"], "category": s.category, "urgent": s.urgent, "confidence": s.confidence}
            for row, s in zip(rows, suggestions, strict=True)
        )
        count = write_rows(options["output"], out)
        self.stdout.write(self.style.SUCCESS(f"已分类 {count} 条,结果写入 {options['output']}"))
