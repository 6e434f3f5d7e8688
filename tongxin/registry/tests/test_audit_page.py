import pytest

from tongxin.accounts.models import Role
from tongxin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_auditor_finds_a_reveal_by_action_and_text(world, street1, login) -> None:  # type: ignore[no-untyped-def]
    street1.post(f"/persons/{world.alice.pk}/reveal/id_number/", HTTP_HX_REQUEST="true")
    auditor = login("auditor", (Role.AUDIT_ADMIN, world.district))
    html = auditor.get("/audit/", {"action": "reveal", "text": "street1"}).content.decode()
    assert "共 1 条记录" in html
    assert "查看敏感信息" in html
    assert "王秀英" in html
    assert world.alice.id_number not in html


def test_audit_search_is_paginated_and_reports_bad_dates(world, login) -> None:  # type: ignore[no-untyped-def]
    auditor = login("auditor", (Role.AUDIT_ADMIN, world.district))
    total = AuditEvent.objects.count()
    assert total > 25  # the world's creation alone writes more than a page
    html = auditor.get("/audit/").content.decode()
    assert f"共 {total} 条记录" in html
    assert "第 1 / " in html
    html = auditor.get("/audit/", {"since": "2026-12-01", "until": "2026-11-01"}).content.decode()
    assert "截止日期不能早于起始日期。" in html
