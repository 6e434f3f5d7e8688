"""export_need_corrections: staff corrections as classifier training rows; private and sensitive
needs' words only on purpose, and audited."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import NOW
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.insight.classifier import CATEGORIES, load_extra
from tongxin.needs.management.commands.export_need_corrections import mask_numbers
from tongxin.needs.services import need_reclassify

from .conftest import actor, submit

pytestmark = pytest.mark.django_db


def _export(path: Path, *args: str) -> tuple[list[dict], str]:
    out = StringIO()
    call_command("export_need_corrections", "--output", str(path), *args, stdout=out)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return rows, out.getvalue()


@pytest.fixture
def corrected(nw):  # type: ignore[no-untyped-def]
    staff = actor(nw.staff11)
    lamp = submit(nw, text="3号楼楼道灯坏了,电话13812345678", category="other")
    need_reclassify(need=lamp, category="facility", urgent=False, by=staff, now=NOW)
    need_reclassify(need=lamp, category="property", urgent=True, by=staff, now=NOW)  # the last one counts
    submit(nw, text="小区门口的快递柜坏了", category="other")  # never corrected: not exported
    hidden = submit(nw, text="楼上漏水到我家卫生间", category="other", private=True)
    need_reclassify(need=hidden, category="property", urgent=False, by=staff, now=NOW)
    lonely = submit(nw, text="退休以后一个人在家闷得慌", category="culture")
    need_reclassify(need=lonely, category="psych", urgent=False, by=staff, now=NOW)
    return nw


def test_export_leaves_out_private_and_sensitive_needs_and_audits(corrected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows, out = _export(tmp_path / "c.jsonl")
    lamp = {"text": "3号楼楼道灯坏了,电话***********", "category": "property", "urgent": True}
    assert rows == [{**lamp, "source": "correction"}]
    assert "已导出 1 条" in out
    assert "跳过 2 条" in out
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="needs.needcorrection")
    assert event.detail["include_sensitive"] is False
    assert (event.detail["rows"], event.detail["skipped_sensitive"]) == (1, 2)
    assert event.actor_label == "export_need_corrections"


def test_include_sensitive_exports_them_and_names_the_account_in_the_audit(corrected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows, _out = _export(tmp_path / "c.jsonl", "--include-sensitive", "--as", "staff11")
    assert sorted((r["category"], r["text"]) for r in rows) == [
        ("property", "3号楼楼道灯坏了,电话***********"),
        ("property", "楼上漏水到我家卫生间"),
        ("psych", "退休以后一个人在家闷得慌"),
    ]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="needs.needcorrection")
    assert event.detail["include_sensitive"] is True
    assert event.detail["sensitive_rows"] == 2
    assert event.actor_id == corrected.staff11.pk


def test_the_export_is_valid_training_data(corrected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.jsonl"
    _export(path, "--include-sensitive")
    rows = load_extra([path])
    assert len(rows) == 3
    assert all(r["category"] in CATEGORIES and r["source"] == "correction" for r in rows)


def test_nothing_corrected_writes_an_empty_file(nw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows, out = _export(tmp_path / "c.jsonl")
    assert rows == []
    assert "已导出 0 条" in out


def test_bad_arguments_write_nothing(corrected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="输出目录不存在"):
        call_command("export_need_corrections", "--output", str(tmp_path / "missing" / "c.jsonl"))
    with pytest.raises(CommandError, match="不存在或已停用"):
        call_command("export_need_corrections", "--output", str(tmp_path / "c.jsonl"), "--as", "nobody")
    assert not (tmp_path / "c.jsonl").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678", "电话***********"),
        ("身份证11010519491231002X", "身份证******************"),
        ("3号楼502室 住了20年", "3号楼502室 住了20年"),
        ("订单号123456789012345678901", "订单号123456789012345678901"),
    ],
)
def test_numbers_that_identify_a_person_are_masked(text: str, masked: str) -> None:
    assert mask_numbers(text) == masked
