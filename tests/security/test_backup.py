"""Backups that restore: deploy/backup.sh then deploy/restore.sh into a new PostgreSQL database and
a new media directory, and every row of every table and every uploaded file is found again.

PostgreSQL only (pg_dump, pg_restore); skipped on SQLite. The target database is
``TADAMON_RESTORE_DATABASE`` (default: the test database's name + ``_restore``), created and
dropped by the test.
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _url(name):
    s = connection.settings_dict
    user = quote(s.get("USER") or "postgres")
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{name}"


def _rows(cursor, table):
    cursor.execute(f'SELECT * FROM "{table}"')
    return sorted(cursor.fetchall(), key=repr)


def _files():
    """(name, sha256) of every file a row points to."""
    found = {}
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in fields:
            for name in model._base_manager.exclude(**{field: ""}).values_list(field, flat=True):
                if name:
                    found[name] = hashlib.sha256((Path(settings.MEDIA_ROOT) / name).read_bytes()).hexdigest()
    return found


def _sh(script, environment, *args):
    result = subprocess.run([str(DEPLOY / script), *map(str, args)], env={**os.environ, **environment},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_backup_then_restore_into_a_new_database_finds_every_row_and_file(tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("PostgreSQL and its client programs (pg_dump, pg_restore, psql) are needed")
    import psycopg

    from tadamon.core.demo import load_demo_accounts
    from tadamon.core.signals import demo_loaders

    load_demo_accounts()
    for loader in demo_loaders:
        loader()  # organizations with photos and logos, fairs, programmes, registrations
    files = _files()
    assert len(files) > 100

    source = connection.settings_dict["NAME"]
    target = os.environ.get("TADAMON_RESTORE_DATABASE", f"{source}_restore")
    assert target != source
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        backup = _sh("backup.sh", {"DATABASE_URL": _url(source), "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
                     tmp_path / "backups")
        restored_media = tmp_path / "restored-media"
        report = _sh("restore.sh", {"DATABASE_URL": _url(target), "MEDIA_ROOT": str(restored_media)}, backup)
        assert report.startswith("restored ")

        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        assert len(tables) > 30
        rows = 0
        # Both read the same way (one driver, the same type adapters): row for row, value for value.
        with psycopg.connect(_url(source)) as original, psycopg.connect(_url(target)) as restored:
            for table in tables:
                before = _rows(original.cursor(), table)
                after = _rows(restored.cursor(), table)
                assert after == before, table
                rows += len(before)
        assert rows > 5000
        for name, digest in files.items():
            assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest, name

        # A second restore into the same, now full, database is refused: live data is never overwritten.
        refused = subprocess.run([str(DEPLOY / "restore.sh"), backup], capture_output=True, text=True,
                                 env={**os.environ, "DATABASE_URL": _url(target), "MEDIA_ROOT": str(restored_media)})
        assert refused.returncode != 0 and "not empty" in refused.stderr
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
