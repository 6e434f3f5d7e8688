"""Database triggers that make the audit table append-only (installed by migration 0002)."""

PG_UP = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]

# TRUNCATE bypasses row triggers on PostgreSQL; a statement trigger closes that door.
PG_TRUNCATE_UP = """
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""
PG_TRUNCATE_DOWN = "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;"


def allow_test_flush(cursor, vendor: str) -> None:  # type: ignore[no-untyped-def]
    """Tests only: a transactional test ends by emptying every table (DELETE on SQLite, TRUNCATE
    on PostgreSQL), which these triggers refuse."""
    if vendor == "postgresql":
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            cursor.execute(statement)


def restore_after_test_flush(cursor, vendor: str) -> None:  # type: ignore[no-untyped-def]
    if vendor == "postgresql":
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            cursor.execute(statement)
