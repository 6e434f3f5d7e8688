"""An import and an SMS login code are named as such in the log (not as a bare 新增), in both
languages, and rows with these actions verify like any other."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.audit.services import audit_record
from tongxin.audit.verification import verify_chain
from tongxin.core.actor import Actor

pytestmark = pytest.mark.django_db


def test_import_and_sms_code_rows_verify_and_can_be_searched_by_action() -> None:
    by = Actor(user=None, ip="203.0.113.7", label="tester")
    audit_record(actor=by, action=AuditAction.UPDATE, object_type="test.thing", object_repr="旧事")
    audit_record(actor=by, action=AuditAction.IMPORT, object_type="imports.memberimport", object_repr="导入")
    audit_record(actor=by, action=AuditAction.SMS_CODE, object_type="accounts.phonelogincode")
    assert verify_chain() == (3, None)
    call_command("verify_audit", stdout=StringIO())
    assert list(AuditEvent.objects.filter(action="import").values_list("object_type", flat=True)) == [
        "imports.memberimport"
    ]
    assert AuditEvent.objects.get(action="sms_code").get_action_display() == "发送验证码"


def test_the_new_actions_have_english_labels() -> None:
    with translation.override("en"):
        assert str(AuditAction.IMPORT.label) == "Import"
        assert str(AuditAction.SMS_CODE.label) == "SMS code sent"


@pytest.mark.django_db(transaction=True)  # SQLite refuses schema work inside a test atomic
def test_adding_action_choices_touches_no_table() -> None:
    """The audit table is append-only by trigger: a migration that rebuilt it (SQLite copies the
    table to alter a column) would fail or drop the triggers. Choices are not in the schema."""
    out = StringIO()
    call_command("sqlmigrate", "audit", "0004", stdout=out)
    statements = [line for line in out.getvalue().splitlines() if line and not line.startswith("--")]
    assert statements in ([], ["BEGIN;", "COMMIT;"])
    assert "(no-op)" in out.getvalue()
