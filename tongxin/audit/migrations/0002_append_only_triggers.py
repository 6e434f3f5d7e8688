"""Make the audit table append-only in the database itself: UPDATE and DELETE raise.

The chain head is updated on every append and is therefore not protected; tampering with it is
caught by verify_audit, which compares it to the events."""

from django.db import migrations

from tongxin.audit.triggers import PG_DOWN, PG_UP, SQLITE_DOWN, SQLITE_UP


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
