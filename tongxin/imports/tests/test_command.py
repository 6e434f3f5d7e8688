"""`manage.py import_members`: exit status, the printed problems and the report file."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from conftest import make_account
from tongxin.accounts.models import Role
from tongxin.people.models import Person

from .conftest import xlsx

pytestmark = pytest.mark.django_db


def test_a_file_with_errors_exits_non_zero_prints_every_problem_and_writes_the_report(
    world, row, tmp_path: Path
) -> None:
    source, report = tmp_path / "党员.xlsx", tmp_path / "错误.xlsx"
    source.write_bytes(xlsx([row(), row(入党日期="2019-13-01"), row(身份证号=310110198001010014)]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="共 3 行,其中 2 行有 2 处问题;没有写入任何数据"):
        call_command("import_members", str(source), "--report", str(report), stderr=err)
    assert "第 3 行 [入党日期] 日期不存在" in err.getvalue()
    assert "第 4 行 [身份证号] 身份证号被Excel存成了数字" in err.getvalue()
    assert Person.objects.count() == 4
    sheet = load_workbook(report).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "错误说明"
    assert rows[1][-1] is None
    assert rows[2][-1].startswith("入党日期:日期不存在")
    joined = sheet.cell(row=3, column=6)
    assert joined.value == "2019-13-01"
    assert joined.fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=2, column=6).fill.fgColor.rgb in (None, "00000000")


def test_a_clean_file_imports_and_a_dry_run_writes_nothing(world, row, tmp_path: Path) -> None:
    source = tmp_path / "ok.xlsx"
    source.write_bytes(xlsx([row(), row()]))
    out = io.StringIO()
    call_command("import_members", str(source), "--dry-run", stdout=out)
    assert "检查通过(未写入):共 2 行,新增 2,更新 0,未变 0" in out.getvalue()
    assert Person.objects.count() == 4
    call_command("import_members", str(source), stdout=out)
    assert Person.objects.count() == 6
    out = io.StringIO()
    call_command("import_members", str(source), stdout=out)
    assert "导入完成:共 2 行,新增 0,更新 0,未变 2" in out.getvalue()


def test_as_a_user_the_users_scope_applies(world, row, tmp_path: Path) -> None:
    make_account("sec.c11", (Role.COMMUNITY_STAFF, world.c11))
    source = tmp_path / "other.xlsx"
    source.write_bytes(xlsx([row(所在党组织编码=world.b21.code)]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_members", str(source), "--as", "sec.c11", stderr=err)
    assert "不存在或无权操作" in err.getvalue()
    call_command("import_members", str(source), stdout=io.StringIO())  # the system: whole district
    with pytest.raises(CommandError, match="账号 nobody 不存在"):
        call_command("import_members", str(source), "--as", "nobody")


def test_a_file_that_cannot_be_read_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "names.csv"
    bad.write_text("姓名,身份证号\n")
    with pytest.raises(CommandError, match=r"只能导入Excel \.xlsx"):
        call_command("import_members", str(bad))


def test_a_clean_import_lists_the_updated_rows_with_the_names_of_the_changed_fields(
    world, row, tmp_path: Path
) -> None:
    source = tmp_path / "党员.xlsx"
    alice = row(姓名="王秀英", 身份证号=world.alice.id_number, 学历="高中", 手机号="13600001111")
    source.write_bytes(xlsx([row(), alice]))
    out = io.StringIO()
    call_command("import_members", str(source), stdout=out)
    text = out.getvalue()
    assert "新增 1,更新 1,未变 0" in text
    assert "第 3 行 王秀英:手机号、学历" in text
    assert "13600001111" not in text
    assert world.alice.id_number not in text
