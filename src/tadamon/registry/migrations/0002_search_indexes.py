"""Full-text search indexes: FTS5 on SQLite, tsvector + pg_trgm on PostgreSQL.

Both index the normalized ``search_name`` (weighted higher) and ``search_body`` columns that the
models fill with tadamon.core.text.normalize.
"""

from django.db import migrations

TABLES = ["registry_organization", "registry_product"]


def sqlite_sql(table):
    return [
        f"CREATE VIRTUAL TABLE {table}_fts USING fts5(search_name, search_body, content='{table}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {table}_fts(rowid, search_name, search_body) VALUES (new.id, new.search_name, new.search_body); END",
        f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {table}_fts({table}_fts, rowid, search_name, search_body) "
        f"VALUES ('delete', old.id, old.search_name, old.search_body); END",
        f"CREATE TRIGGER {table}_fts_au AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {table}_fts({table}_fts, rowid, search_name, search_body) "
        f"VALUES ('delete', old.id, old.search_name, old.search_body); "
        f"INSERT INTO {table}_fts(rowid, search_name, search_body) VALUES (new.id, new.search_name, new.search_body); END",
    ]


def postgres_sql(table):
    return [
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"setweight(to_tsvector('simple', coalesce(search_name, '')), 'A') || "
        f"setweight(to_tsvector('simple', coalesce(search_body, '')), 'B')) STORED",
        f"CREATE INDEX {table}_search_vector ON {table} USING gin (search_vector)",
        f"CREATE INDEX {table}_search_name_trgm ON {table} USING gin (search_name gin_trgm_ops)",
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [s for t in TABLES for s in sqlite_sql(t)]
    elif vendor == "postgresql":
        statements = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [s for t in TABLES for s in postgres_sql(t)]
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")
        elif vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
