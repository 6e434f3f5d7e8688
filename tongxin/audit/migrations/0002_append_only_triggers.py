"""Make the audit table append-only in the database itself: UPDATE and DELETE raise.

The chain head is updated on every append and is therefore not protected; tampering with it is
caught by verify_audit, which compares it to the events."""

from django.db import migrations

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
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_event_no_update;", "DROP TRIGGER IF EXISTS audit_event_no_delete;"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
