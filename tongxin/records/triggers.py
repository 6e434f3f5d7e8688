"""Database triggers that keep service records append-only (installed by migration 0002).

A record is never updated: a correction appends a reversal and a replacement. PostgreSQL also
refuses DELETE (TRUNCATE, which tests use to empty tables, does not fire row triggers); SQLite
refuses UPDATE only, since its test flush empties tables with DELETE."""

PG_UP = """
CREATE OR REPLACE FUNCTION records_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'records_servicerecord is append-only: correct by reversal and replacement';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER records_no_update BEFORE UPDATE OR DELETE ON records_servicerecord
    FOR EACH ROW EXECUTE FUNCTION records_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS records_no_update ON records_servicerecord;
DROP FUNCTION IF EXISTS records_append_only();
"""
SQLITE_UP = """CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records_servicerecord
   BEGIN SELECT RAISE(ABORT, 'records_servicerecord is append-only'); END;"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS records_no_update;"
