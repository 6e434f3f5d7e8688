"""The audit log is append-only and its hash chain reveals the first edited or deleted row."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.audit.services import audit_record
from tongxin.audit.verification import verify_chain
from tongxin.core.actor import Actor

pytestmark = pytest.mark.django_db


def write_events(n: int) -> None:
    for i in range(n):
        audit_record(
            actor=Actor(user=None, ip="10.0.0.1", label="tester"),
            action=AuditAction.UPDATE,
            object_type="test.thing",
            object_id=str(i),
            object_repr=f"事物{i}",
            detail={"fields": ["name"]},
        )


def as_attacker(sql: str, params: list[object]) -> None:
    """Tamper the way a database superuser could: switch the append-only triggers off first.
    (DDL is transactional on both databases, so the test's rollback restores them.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
            cursor.execute(sql, params)


def test_chain_verifies_and_seq_is_gapless() -> None:
    write_events(5)
    checked, chain_break = verify_chain()
    assert (checked, chain_break) == (5, None)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    call_command("verify_audit")


def test_rows_cannot_be_updated_or_deleted_through_the_database() -> None:
    write_events(1)
    for sql in ("UPDATE audit_auditevent SET object_repr = 'x'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get().object_repr == "事物0"


def test_an_edited_row_is_reported_by_verify_audit() -> None:
    write_events(5)
    as_attacker("UPDATE audit_auditevent SET object_repr = %s WHERE seq = %s", ["改过的", 3])
    with pytest.raises(CommandError, match="第 3 条记录内容被修改"):
        call_command("verify_audit")


def test_a_deleted_row_is_reported_by_verify_audit() -> None:
    write_events(5)
    as_attacker("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    with pytest.raises(CommandError, match="第 2 条记录缺失"):
        call_command("verify_audit")


def test_deleting_the_newest_rows_is_reported() -> None:
    write_events(4)
    as_attacker("DELETE FROM audit_auditevent WHERE seq >= %s", [3])
    with pytest.raises(CommandError, match="第 3 条之后的记录缺失"):
        call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_no_event_and_no_gap() -> None:
    write_events(1)

    def write_then_fail() -> None:
        with transaction.atomic():
            write_events(1)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    write_events(1)
    assert verify_chain() == (2, None)
