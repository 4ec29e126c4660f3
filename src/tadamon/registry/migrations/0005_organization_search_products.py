"""Organizations are searched by their shown products' names too.

``search_products`` holds the normalized names of an organization's shown products (filled here,
kept up to date by registry.signals); it is indexed with the organization: weight C in
PostgreSQL's ``search_vector``, a third column of SQLite's FTS5 table.
"""

from django.db import migrations, models

ORG = "registry_organization"


def _vector(columns):
    return " || ".join(f"setweight(to_tsvector('simple', coalesce({c}, '')), '{w}')" for c, w in columns)


def _sqlite_fts(columns):
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    t = ORG
    return [
        f"DROP TRIGGER IF EXISTS {t}_fts_ai", f"DROP TRIGGER IF EXISTS {t}_fts_ad", f"DROP TRIGGER IF EXISTS {t}_fts_au",
        f"DROP TABLE IF EXISTS {t}_fts",
        f"CREATE VIRTUAL TABLE {t}_fts USING fts5({cols}, content='{t}', content_rowid='id', "
        f"tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {t}_fts_ai AFTER INSERT ON {t} BEGIN "
        f"INSERT INTO {t}_fts(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {t}_fts_ad AFTER DELETE ON {t} BEGIN "
        f"INSERT INTO {t}_fts({t}_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {t}_fts_au AFTER UPDATE ON {t} BEGIN "
        f"INSERT INTO {t}_fts({t}_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {t}_fts(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {t}_fts({t}_fts) VALUES ('rebuild')",
    ]


def _postgres(columns):
    return [
        f"ALTER TABLE {ORG} DROP COLUMN IF EXISTS search_vector",
        f"ALTER TABLE {ORG} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({_vector(columns)}) STORED",
        f"CREATE INDEX {ORG}_search_vector ON {ORG} USING gin (search_vector)",
    ]


FILL = {
    "postgresql": f"UPDATE {ORG} o SET search_products = coalesce((SELECT string_agg(p.search_name, ' ' ORDER BY p.id) "
                  "FROM registry_product p WHERE p.organization_id = o.id AND p.is_active), '')",
    "sqlite": f"UPDATE {ORG} SET search_products = coalesce((SELECT group_concat(p.search_name, ' ') "
              f"FROM registry_product p WHERE p.organization_id = {ORG}.id AND p.is_active), '')",
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in FILL:
        schema_editor.execute(FILL[vendor])
    if vendor == "sqlite":
        statements = _sqlite_fts(["search_name", "search_body", "search_products"])
    elif vendor == "postgresql":
        statements = _postgres([("search_name", "A"), ("search_body", "B"), ("search_products", "C")])
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = _sqlite_fts(["search_name", "search_body"])
    elif vendor == "postgresql":
        statements = _postgres([("search_name", "A"), ("search_body", "B")])
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_directory_index")]
    operations = [
        migrations.AddField(
            model_name="organization", name="search_products",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]
