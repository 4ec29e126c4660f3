"""PostgreSQL: an organization's names and normalized name stay in its row (storage MAIN).

Since the search vector stays in the row (0007), a row with a long vector is still over
PostgreSQL's 2 KB limit once the descriptions have left it, and the next columns moved out to the
TOAST table were the short ones: the names. A search ranks its first 1,000 hits by their
normalized name, so each hit cost four more page reads there (5,200 pages instead of 1,000 for a
word that a quarter of the registry contains). As MAIN, the names leave the row only when it would
not fit in a page. The update writes the moved names again (``|| ''`` makes a new value: an
unchanged one keeps its place in the TOAST table) and VACUUM FULL gives back the room of the rows
it replaced.
"""

from django.db import migrations

ORG = "registry_organization"
COLUMNS = ("search_name", "name_ar", "name_fr")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {ORG} " + ", ".join(
        f"ALTER COLUMN {column} SET STORAGE MAIN" for column in COLUMNS))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ORG} SET " + ", ".join(f"{column} = {column} || ''" for column in COLUMNS)  # noqa: S608
                       + " WHERE pg_column_size(search_vector) > 1000")
        if cursor.rowcount:
            cursor.execute(f"VACUUM FULL ANALYZE {ORG}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {ORG} " + ", ".join(
            f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in COLUMNS))


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run in a transaction
    dependencies = [("registry", "0007_search_vector_kept_in_the_row")]

    operations = [migrations.RunPython(forwards, backwards)]
