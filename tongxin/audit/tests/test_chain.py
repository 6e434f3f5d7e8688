"""The audit log is append-only and its hash chain reveals the first edited or deleted row."""

from io import StringIO

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


def forge(seq: int, **changes: object) -> None:
    """An attacker without the chain key edits a row and recomputes its hash with plain SHA-256."""
    import hashlib
    import json

    from tongxin.audit.services import hashed_fields

    event = AuditEvent.objects.get(seq=seq)
    for key, value in changes.items():
        setattr(event, key, value)
    canonical = json.dumps(hashed_fields(event), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(f"{event.prev_hash}|{canonical}".encode()).hexdigest()
    as_attacker(
        "UPDATE audit_auditevent SET object_repr = %s, hash = %s WHERE seq = %s",
        [event.object_repr, digest, seq],
    )


def test_chain_verifies_and_seq_is_gapless() -> None:
    write_events(5)
    checked, chain_break = verify_chain()
    assert (checked, chain_break) == (5, None)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    call_command("verify_audit")


def test_rows_cannot_be_updated_or_deleted_through_the_database() -> None:
    write_events(1)
    statements = ["UPDATE audit_auditevent SET object_repr = 'x'", "DELETE FROM audit_auditevent"]
    if connection.vendor == "postgresql":
        statements.append("TRUNCATE audit_auditevent")
    for sql in statements:
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


def test_recomputing_a_hash_without_the_key_is_detected() -> None:
    write_events(3)
    forge(3, object_repr="伪造")
    with pytest.raises(CommandError, match="第 3 条记录内容被修改"):
        call_command("verify_audit")


def test_removing_the_newest_events_with_the_head_is_caught_by_the_anchor() -> None:
    write_events(3)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    anchor = out.getvalue().strip().splitlines()[-1].split("核对):")[-1]
    assert anchor.startswith("3:")
    as_attacker("DELETE FROM audit_auditevent WHERE seq = %s", [3])
    with connection.cursor() as cursor:  # roll the head back to event 2, as a careful attacker would
        cursor.execute(
            "UPDATE audit_auditchainhead SET last_seq = 2,"
            " last_hash = (SELECT hash FROM audit_auditevent WHERE seq = 2)"
        )
    call_command("verify_audit")  # the chain alone cannot tell
    with pytest.raises(CommandError, match="外部锚点"):
        call_command("verify_audit", "--anchor", anchor)


def test_a_deleted_head_is_reported() -> None:
    write_events(2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditchainhead")
    with pytest.raises(CommandError, match="链头记录缺失"):
        call_command("verify_audit")


def test_an_ipv6_address_and_tuples_in_detail_still_verify() -> None:
    audit_record(
        actor=Actor(user=None, ip="2001:DB8:0:0:0:0:0:1", label="x"),
        action=AuditAction.UPDATE,
        detail={"fields": ("name", "mobile"), "count": 10**16},
    )
    assert verify_chain() == (1, None)
