"""PostgreSQL: an organization's ``search_vector`` stays in its row (storage MAIN).

With its products' names, an organization's search vector is about 1.9 KB, and the row passes
PostgreSQL's 2 KB limit: stored as EXTENDED, the vector was the column moved out to the TOAST
table, so every row a search tested cost a second lookup there (a search word that half the
registry contains read 16,000 pages for its first 1,000 hits). As MAIN, the long descriptions leave
the row first and the vector leaves it only when the row would not fit in a page. The update
stores the vectors already there again (a generated column is computed anew on every update) and
VACUUM FULL gives back the room of the rows it replaced (it locks the table a few seconds at
national scale: 64,000 organizations).
"""

from django.db import migrations

ORG = "registry_organization"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {ORG} ALTER COLUMN search_vector SET STORAGE MAIN")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ORG} SET search_name = search_name WHERE pg_column_size(search_vector) > 1000")
        if cursor.rowcount:
            cursor.execute(f"VACUUM FULL ANALYZE {ORG}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {ORG} ALTER COLUMN search_vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run in a transaction
    dependencies = [("registry", "0006_directory_index_with_filters")]

    operations = [migrations.RunPython(forwards, backwards)]
