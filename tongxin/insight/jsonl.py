"""Reading and writing the JSON-lines files of the measurement commands, with errors in Chinese that
name the line, so whoever prepared a file of thousands of lines can find the bad one."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError


def read_rows(path: str, fields: Sequence[str]) -> list[dict[str, Any]]:
    """Every line an object with the given text fields; the whole file is checked before any output."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"找不到输入文件:{path}")
    rows = []
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise CommandError(f"输入文件不是 UTF-8 编码:{path}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise CommandError(f"第 {number} 行不是有效的 JSON。") from None
        if not isinstance(row, dict):
            raise CommandError(f"第 {number} 行应是一个 JSON 对象。")
        for field in fields:
            if field not in row:
                raise CommandError(f"第 {number} 行缺少字段 “{field}”。")
            if field != "id" and not isinstance(row[field], str):
                raise CommandError(f"第 {number} 行的 “{field}” 应是文字。")
        rows.append(row)
    return rows


def write_rows(path: str, rows: Iterable[dict[str, Any]]) -> int:
    file = Path(path)
    if not file.parent.is_dir():
        raise CommandError(f"输出目录不存在:{file.parent}")
    count = 0
    with file.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
