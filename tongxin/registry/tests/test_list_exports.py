"""Excel exports of the organisation, territory, roster and audit lists: scope, filters, masking,
text cells, one audit row each; and the busy state's cookie."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from conftest import add_member, add_person
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.people.models import MemberStatus
from tongxin.registry.exports import workbook_response

pytestmark = pytest.mark.django_db


def sheet(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content)).active


def values(ws) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [[c.value for c in row] for row in ws.iter_rows()]


def last_export() -> AuditEvent:
    return AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")


def test_roster_export_holds_the_branch_members_in_clear_with_ids_as_text(world, street1) -> None:  # type: ignore[no-untyped-def]
    add_member(world.dave, world.b11, status=MemberStatus.PROBATIONARY, joined=date(2026, 1, 1))
    ws = sheet(street1.post("/members/export/", {"q": "", "org": world.b11.pk}))
    rows = values(ws)
    assert rows[0][:3] == ["姓名", "性别", "身份证号"]
    assert {r[0] for r in rows[1:]} == {"王秀英", "陈伟"}  # not 张敏 (a unit's own branch)
    alice = next(r for r in rows[1:] if r[0] == "王秀英")
    assert alice[2] == world.alice.id_number
    assert alice[3] == "13812345678"
    assert ws.cell(row=2, column=3).number_format == "@"
    assert ws.cell(row=2, column=3).data_type == "s"
    event = last_export()
    assert event.object_type == "people.membership"
    assert event.detail["rows"] == 2
    assert event.detail["filters"] == {"org": str(world.b11.pk)}
    ws = sheet(street1.post("/members/export/", {"q": "", "org": world.b11.pk, "status": "probationary"}))
    assert [r[0] for r in values(ws)[1:]] == ["陈伟"]


def test_roster_export_of_another_street_is_empty_not_leaked(world, street1) -> None:  # type: ignore[no-untyped-def]
    ws = sheet(street1.post("/members/export/", {"q": "", "org": world.b21.pk}))
    assert values(ws)[1:] == []


def test_org_export_in_scope_with_code_as_text(world, street1) -> None:  # type: ignore[no-untyped-def]
    rows = values(sheet(street1.post("/orgs/export/", {"q": ""})))
    names = {r[0] for r in rows[1:]}
    assert names == {"定海路街道党工委", "杨树浦社区党委", "杨树浦社区第一党支部", "示范电力公司党支部"}
    branch = next(r for r in rows[1:] if r[0] == "杨树浦社区第一党支部")
    assert branch[1] == "D010101"
    assert branch[3] == "杨树浦社区党委"
    assert branch[6] == 1
    unit_branch = next(r for r in rows[1:] if r[0] == "示范电力公司党支部")
    assert unit_branch[3] is None  # an empty cell
    assert unit_branch[6] is None
    rows = values(sheet(street1.post("/orgs/export/", {"q": "ysp", "kind": "branch"})))
    assert [r[0] for r in rows[1:]] == ["杨树浦社区第一党支部"]


def test_territory_export_counts_the_subtree(world, street1) -> None:  # type: ignore[no-untyped-def]
    add_person("新居民", world.c12)
    rows = values(sheet(street1.post("/territory/export/", {"q": ""})))
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"定海路街道", "杨树浦社区", "复兴岛社区", "第一网格"}
    assert by_name["定海路街道"][4:] == [4, 1, 1]  # 3 residents of 杨树浦 (one in its grid) + 1
    assert by_name["杨树浦社区"][4:] == [3, 1, 1]
    assert by_name["第一网格"][4:] == [1, 0, 0]
    assert by_name["杨树浦社区"][1] == "310110001001"


def test_audit_export_is_the_auditors_only(world, street1, login) -> None:  # type: ignore[no-untyped-def]
    assert street1.post("/audit/export/", {"q": ""}).status_code == 404
    auditor = login("auditor", (Role.AUDIT_ADMIN, world.district))
    street1.post("/persons/export/", {"q": ""})
    rows = values(sheet(auditor.post("/audit/export/", {"q": "", "action": "export"})))
    assert rows[0][:3] == ["序号", "时间", "操作人"]
    assert len(rows) == 2
    assert rows[1][3] == "导出"
    assert last_export().object_type == "audit.auditevent"


def test_the_busy_button_is_released_by_a_cookie(world, street1) -> None:  # type: ignore[no-untyped-def]
    response = street1.post("/units/export/", {"q": "", "download_token": "1733a9f"})
    assert response.cookies["tx_export"].value == "1733a9f"
    response = street1.post("/units/export/", {"q": "", "download_token": "x; path=/"})
    assert "tx_export" not in response.cookies  # only a plain token is echoed


def test_a_large_export_streams_rows_and_keeps_ids_as_text() -> None:
    # Large lists: the workbook is written row by row (openpyxl write-only); 6,000 rows > the
    # 5,000 that the button's "正在生成…" state is meant for.
    rows = ([f"人员{i}", f"31011019800101{i:04d}"] for i in range(6000))
    response, count = workbook_response(
        filename="测试", title="测试", headers=["姓名", "身份证号"], rows=rows, text_columns={1}
    )
    assert count == 6000
    ws = load_workbook(BytesIO(response.content), read_only=True).active
    last = next(iter(ws.iter_rows(min_row=6001, max_row=6001, values_only=True)))
    assert last == ("人员5999", "310110198001015999")
