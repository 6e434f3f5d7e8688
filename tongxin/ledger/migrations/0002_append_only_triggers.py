"""Make postings, entries and points awards append-only in the database itself: UPDATE and
DELETE (and TRUNCATE on PostgreSQL) raise."""

from django.db import migrations

from tongxin.ledger.triggers import install, uninstall


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        install(cursor, schema_editor.connection.vendor)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        uninstall(cursor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_accounts_postings_entries_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
