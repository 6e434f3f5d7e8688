"""Database triggers that make postings, entries and points awards append-only (installed by
migration 0002). Account balances are updated by the services and are not protected here;
verify_ledger compares them to the entries."""

TABLES = ("ledger_posting", "ledger_entry", "ledger_pointsaward")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def pg_up() -> list[str]:
    statements = [PG_FUNCTION]
    for table in TABLES:
        statements += [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_append_only();",
            # TRUNCATE bypasses row triggers on PostgreSQL; a statement trigger closes that door.
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();",
        ]
    return statements


def pg_down() -> list[str]:
    statements = []
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        ]
    return [*statements, "DROP FUNCTION IF EXISTS ledger_append_only();"]


def sqlite_up() -> list[str]:
    statements = []
    for table in TABLES:
        for op in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )
    return statements


def sqlite_down() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for table in TABLES for op in ("update", "delete")]


def install(cursor, vendor: str) -> None:  # type: ignore[no-untyped-def]
    for statement in pg_up() if vendor == "postgresql" else sqlite_up() if vendor == "sqlite" else []:
        cursor.execute(statement)


def uninstall(cursor, vendor: str) -> None:  # type: ignore[no-untyped-def]
    for statement in pg_down() if vendor == "postgresql" else sqlite_down() if vendor == "sqlite" else []:
        cursor.execute(statement)


def _pg_tables_with_triggers(cursor, *, enabled: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """The ledger tables whose own triggers are on (or off). ALTER TABLE is refused while the
    transaction holds pending deferred foreign-key checks — as it does inside a test that seeded
    postings in an enclosing transaction — so a switch that changes nothing is not attempted."""
    cursor.execute(
        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal AND (t.tgenabled <> 'D') = %s",
        [list(TABLES), enabled],
    )
    return [row[0] for row in cursor.fetchall()]


def allow_test_flush(cursor, vendor: str) -> None:  # type: ignore[no-untyped-def]
    """Tests only: a transactional test ends by emptying every table (DELETE on SQLite, TRUNCATE
    on PostgreSQL), which these triggers refuse."""
    if vendor == "postgresql":
        for table in _pg_tables_with_triggers(cursor, enabled=True):
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    elif vendor == "sqlite":
        for statement in sqlite_down():
            cursor.execute(statement)


def restore_after_test_flush(cursor, vendor: str) -> None:  # type: ignore[no-untyped-def]
    if vendor == "postgresql":
        for table in _pg_tables_with_triggers(cursor, enabled=False):
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    elif vendor == "sqlite":
        for statement in sqlite_up():
            cursor.execute(statement)
