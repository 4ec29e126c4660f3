"""The database refuses an organization in two cohorts whose dates overlap (a left participant
excepted), whatever writes the row: a trigger on SQLite and on PostgreSQL. The service locks the
organization's row and says so in plain words first; this is the guard behind it."""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER support_participant_no_overlap_insert BEFORE INSERT ON support_participant
    WHEN NEW.stage <> 'withdrawn' AND EXISTS (
        SELECT 1 FROM support_participant p WHERE p.organization_id = NEW.organization_id
        AND p.stage <> 'withdrawn' AND p.starts_on <= NEW.ends_on AND p.ends_on >= NEW.starts_on)
    BEGIN SELECT RAISE(ABORT, 'support_participant_overlap'); END;
    """,
    """
    CREATE TRIGGER support_participant_no_overlap_update BEFORE UPDATE ON support_participant
    WHEN NEW.stage <> 'withdrawn' AND EXISTS (
        SELECT 1 FROM support_participant p WHERE p.organization_id = NEW.organization_id AND p.id <> NEW.id
        AND p.stage <> 'withdrawn' AND p.starts_on <= NEW.ends_on AND p.ends_on >= NEW.starts_on)
    BEGIN SELECT RAISE(ABORT, 'support_participant_overlap'); END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS support_participant_no_overlap_insert;",
                  "DROP TRIGGER IF EXISTS support_participant_no_overlap_update;"]

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION support_participant_no_overlap() RETURNS trigger AS $$
    BEGIN
        IF NEW.stage <> 'withdrawn' AND EXISTS (
            SELECT 1 FROM support_participant p WHERE p.organization_id = NEW.organization_id
            AND p.id <> NEW.id AND p.stage <> 'withdrawn'
            AND p.starts_on <= NEW.ends_on AND p.ends_on >= NEW.starts_on) THEN
            RAISE EXCEPTION 'support_participant_overlap' USING ERRCODE = '23P01';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER support_participant_no_overlap BEFORE INSERT OR UPDATE ON support_participant
    FOR EACH ROW EXECUTE FUNCTION support_participant_no_overlap();
    """,
]
POSTGRES_REVERSE = ["DROP TRIGGER IF EXISTS support_participant_no_overlap ON support_participant;",
                    "DROP FUNCTION IF EXISTS support_participant_no_overlap();"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})),
    ]
