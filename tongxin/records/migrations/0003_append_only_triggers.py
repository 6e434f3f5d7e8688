"""Service records are append-only in the database itself (see tongxin/records/triggers.py)."""

from django.db import migrations

from tongxin.records.triggers import PG_DOWN, PG_UP, SQLITE_DOWN, SQLITE_UP


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("records", "0002_record_organisers")]
    operations = [migrations.RunPython(forwards, backwards)]
