"""The two measurement commands on small files, and on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tongxin.insight.classifier import CATEGORIES


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_classify_needs(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": 7, "text": "3号楼电梯坏了"}),
            "",
            json.dumps({"id": "b", "text": "我妈摔倒了起不来"}),
        ],
    )
    call_command("classify_needs", input=str(source), output=str(tmp_path / "out.jsonl"))
    rows = _read(tmp_path / "out.jsonl")
    assert [r["id"] for r in rows] == [7, "b"]
    assert set(rows[0]) == {"id", "category", "urgent", "confidence"}
    assert rows[0]["category"] == "property"
    assert rows[0]["urgent"] is False
    assert rows[1]["urgent"] is True
    assert all(r["category"] in CATEGORIES and 0 < r["confidence"] <= 1 for r in rows)


def test_score_need_pairs(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"a": "3号楼电梯坏了", "b": "三号楼的电梯又停了"}, ensure_ascii=False),
            json.dumps({"a": "3号楼电梯坏了", "b": "5号楼电梯坏了"}, ensure_ascii=False),
        ],
    )
    call_command("score_need_pairs", input=str(source), output=str(tmp_path / "out.jsonl"))
    same, other = _read(tmp_path / "out.jsonl")
    assert same["a"] == "3号楼电梯坏了"
    assert same["duplicate"] is True
    assert other["duplicate"] is False
    assert 0 <= other["score"] < same["score"] <= 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"id": 1, "text": "路灯坏了"}', "{oops"], "第 2 行不是有效的 JSON"),
        (['{"id": 1}'], "第 1 行缺少字段 “text”"),
        (['{"id": 1, "text": 5}'], "第 1 行的 “text” 应是文字"),
        (['["id", "text"]'], "第 1 行应是一个 JSON 对象"),
    ],
)
def test_bad_lines_are_named_and_nothing_is_written(tmp_path: Path, lines: list[str], message: str) -> None:
    source = _write(tmp_path / "in.jsonl", lines)
    with pytest.raises(CommandError, match=message):
        call_command("classify_needs", input=str(source), output=str(tmp_path / "out.jsonl"))
    assert not (tmp_path / "out.jsonl").exists()


def test_bad_pair_line(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", ['{"a": "电梯坏了"}'])
    with pytest.raises(CommandError, match="第 1 行缺少字段 “b”"):
        call_command("score_need_pairs", input=str(source), output=str(tmp_path / "out.jsonl"))


def test_missing_file_exits_non_zero_with_a_chinese_message(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [
            sys.executable,
            "manage.py",
            "classify_needs",
            "--input",
            str(tmp_path / "nope.jsonl"),
            "--output",
            "x",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "找不到输入文件" in result.stderr
