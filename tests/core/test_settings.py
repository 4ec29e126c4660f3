"""Settings read from the environment, checked the way an operator meets them: in a fresh process.

Each test starts ``python -m tadamon`` (or ``python -c``) with a clean environment: none of the
variables that settings.py reads is inherited from the shell or from the test run, and
``TADAMON_VAR`` and the database always point into a temporary directory.
"""

import json
import os
import re
import secrets
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import tadamon

ROOT = Path(__file__).resolve().parents[2]
# Read, not imported: importing settings.py here could run it with another TADAMON_ENV.
SETTINGS_SOURCE = (Path(tadamon.__file__).parent / "settings.py").read_text()
# env("X"), env_bool("X"), env_list("X") and os.environ.get("X") in settings.py.
SETTINGS_VARIABLES = sorted(
    set(re.findall(r'\b(?:env|env_bool|env_list|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"', SETTINGS_SOURCE))
)


def _clean_environment(tmp_path, overrides):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in SETTINGS_VARIABLES and not key.startswith(("DJANGO_", "GUNICORN_"))
    }
    environment["DJANGO_SETTINGS_MODULE"] = "tadamon.settings"
    environment["TADAMON_VAR"] = str(tmp_path / "var")
    for key, value in overrides.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


def run(tmp_path, args, **overrides):
    """Run ``python <args>`` in a clean environment; ``NAME=None`` removes a variable."""
    return subprocess.run(
        [sys.executable, *args],
        env=_clean_environment(tmp_path, overrides),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )


def run_tadamon(tmp_path, *args, **overrides):
    return run(tmp_path, ["-m", "tadamon", *args], **overrides)


def run_code(tmp_path, code, **overrides):
    return run(tmp_path, ["-c", code], **overrides)


def production(tmp_path, **overrides):
    secret_key = secrets.token_urlsafe(45)
    assert len(secret_key) == 60
    environment = {
        "TADAMON_ENV": "production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "tadamon.example.ma",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tadamon.sqlite3'}",
        "TADAMON_VAR": str(tmp_path / "var"),
    }
    environment.update(overrides)
    return environment


PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in %r}, default=str))
"""


def read_settings(tmp_path, names, **overrides):
    result = run_code(tmp_path, PRINT_SETTINGS % (list(names),), **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_settings_variables_are_found():
    assert {"TADAMON_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "TADAMON_VAR", "TADAMON_HOME",
            "TADAMON_STAFF_REQUIRE_2FA", "EMAIL_BACKEND", "LOG_LEVEL"} <= set(SETTINGS_VARIABLES)


# Production: `check --deploy` passes; missing secrets stop the start with a clear message.


@pytest.mark.parametrize("extra", [{}, {"TADAMON_DEBUG": "1"}], ids=["plain", "debug-requested"])
def test_production_passes_check_deploy_without_warnings(tmp_path, extra):
    result = run_tadamon(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production(tmp_path, **extra))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "warning" not in output.lower()
    assert result.stderr == ""


def test_check_deploy_reports_a_weakened_production_setting(tmp_path):
    """The check above is live: turning off HTTPS redirection and HSTS makes it fail."""
    environment = production(tmp_path, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    result = run_tadamon(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **environment)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "security.W008" in output  # SECURE_SSL_REDIRECT
    assert "security.W004" in output  # SECURE_HSTS_SECONDS


def test_production_hardening(tmp_path):
    values = read_settings(
        tmp_path,
        ["DEBUG", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "TADAMON_STAFF_REQUIRE_2FA", "EMAIL_BACKEND", "STORAGES"],
        **production(tmp_path, TADAMON_DEBUG="1"),
    )
    assert values["DEBUG"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["TADAMON_STAFF_REQUIRE_2FA"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.parametrize("secret_key", [None, ""], ids=["unset", "empty"])
def test_production_without_secret_key_fails_clearly(tmp_path, secret_key):
    result = run_tadamon(tmp_path, "check", **production(tmp_path, SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when TADAMON_ENV=production." in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("allowed_hosts", [None, "", " , "], ids=["unset", "empty", "only-commas"])
def test_production_without_allowed_hosts_fails_clearly(tmp_path, allowed_hosts):
    result = run_tadamon(tmp_path, "check", **production(tmp_path, ALLOWED_HOSTS=allowed_hosts))
    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS must be set when TADAMON_ENV=production." in result.stderr


# Development: a secret key is generated once into TADAMON_VAR and kept.

PRINT_SECRET_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def test_development_generates_a_secret_key_and_reuses_it(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    assert not key_file.exists()

    first = run_code(tmp_path, PRINT_SECRET_KEY, TADAMON_ENV=None)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    second = run_code(tmp_path, PRINT_SECRET_KEY, TADAMON_ENV=None)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == key

    elsewhere = tmp_path / "elsewhere"
    other = run_code(tmp_path, PRINT_SECRET_KEY, TADAMON_ENV=None, TADAMON_VAR=str(elsewhere))
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() not in ("", key)


def test_development_uses_secret_key_from_the_environment(tmp_path):
    result = run_code(tmp_path, PRINT_SECRET_KEY, TADAMON_ENV=None, SECRET_KEY="k" * 20 + "-from-the-environment")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "k" * 20 + "-from-the-environment"
    assert not (tmp_path / "var" / "secret_key").exists()


# Database and cache.


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_database_url_for_postgresql(tmp_path, scheme):
    url = f"{scheme}://tadamon:s3cr%40t@db.example.ma:5433/tadamon_settings_check"
    database = read_settings(tmp_path, ["DATABASES"], DATABASE_URL=url, DB_CONN_MAX_AGE="60")["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "tadamon_settings_check"
    assert database["USER"] == "tadamon"
    assert database["PASSWORD"] == "s3cr@t"
    assert database["HOST"] == "db.example.ma"
    assert database["PORT"] == 5433
    assert database["CONN_MAX_AGE"] == 60
    # The SQLite tuning is for SQLite only.
    assert "transaction_mode" not in database.get("OPTIONS", {})


def test_database_defaults_to_sqlite_in_tadamon_var(tmp_path):
    database = read_settings(tmp_path, ["DATABASES"], DATABASE_URL=None)["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "var" / "tadamon.sqlite3")
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"] == {"timeout": 20, "transaction_mode": "IMMEDIATE"}


PRINT_PRAGMAS = """
import django
django.setup()
from django.db import connection
values = []
with connection.cursor() as cursor:
    for pragma in ("journal_mode", "foreign_keys", "synchronous"):
        cursor.execute(f"PRAGMA {pragma}")
        values.append(str(cursor.fetchone()[0]))
print(" ".join(values))
"""


def test_sqlite_file_database_runs_in_wal_mode(tmp_path):
    path = tmp_path / "wal-check.sqlite3"
    result = run_code(tmp_path, PRINT_PRAGMAS, DATABASE_URL=f"sqlite:///{path}")
    assert result.returncode == 0, result.stderr
    # WAL, foreign keys enforced, synchronous=NORMAL (1).
    assert result.stdout.split() == ["wal", "1", "1"]
    # WAL is recorded in the file itself: a plain connection sees it too.
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("redis://127.0.0.1:6379/3", "django.core.cache.backends.redis.RedisCache"),
        (None, "django.core.cache.backends.locmem.LocMemCache"),
    ],
    ids=["redis", "local-memory"],
)
def test_redis_url_selects_the_shared_cache(tmp_path, redis_url, backend):
    cache = read_settings(tmp_path, ["CACHES"], REDIS_URL=redis_url)["CACHES"]["default"]
    assert cache["BACKEND"] == backend
    if redis_url:
        assert cache["LOCATION"] == redis_url


# Deployment files and the operations guide.


def test_every_settings_variable_is_documented():
    guide = (ROOT / "docs" / "operations.md").read_text()
    missing = [name for name in SETTINGS_VARIABLES if not re.search(rf"`{name}`", guide)]
    assert not missing, f"docs/operations.md does not describe: {', '.join(missing)}"


def _gunicorn_config(tmp_path, **overrides):
    result = run(tmp_path, ["-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "--print-config"],
                 **overrides)
    assert result.returncode == 0, result.stderr
    return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))


def test_gunicorn_configuration_defaults(tmp_path):
    config = _gunicorn_config(tmp_path, RUNTIME_DIRECTORY=None, FORWARDED_ALLOW_IPS=None)
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["workers"] == str(2 * os.cpu_count() + 1)
    assert config["worker_class"] == "gthread"
    assert config["accesslog"] == "-"
    assert config["forwarded_allow_ips"] == "['127.0.0.1', '::1']"
    assert config["secure_scheme_headers"] == "{'X-FORWARDED-PROTO': 'https'}"
    assert config["wsgi_app"] == "tadamon.wsgi:application"
    assert config["control_socket_disable"] == "True"


def test_gunicorn_configuration_from_the_environment(tmp_path):
    config = _gunicorn_config(tmp_path, GUNICORN_BIND="127.0.0.1:8100,unix:/run/tadamon-web/web.sock",
                              GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="90", RUNTIME_DIRECTORY="/run/tadamon-web")
    assert config["bind"] == "['127.0.0.1:8100', 'unix:/run/tadamon-web/web.sock']"
    assert config["workers"] == "3"
    assert config["timeout"] == "90"
    assert config["control_socket"] == "/run/tadamon-web/gunicorn.ctl"
    assert config["control_socket_disable"] == "False"


def test_gunicorn_workers_set_their_loaded_objects_aside():
    """Python's collector skips the objects a worker loaded (gc.freeze), at start and once warm."""
    import gc
    import runpy
    from types import SimpleNamespace

    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    worker = SimpleNamespace()
    gc.unfreeze()
    try:
        config["post_worker_init"](worker)
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        for _ in range(config["WARM_REQUESTS"] - 1):
            config["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() == 0
        config["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
