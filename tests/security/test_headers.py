"""Security headers, checked in production settings, and pages that need no 'unsafe-inline'.

The Content-Security-Policy allows scripts and styles from this site only. That holds only if no
template writes an inline script, a <style> element, a style="" attribute or an on…= handler: the
first test reads every template of every app (PDF and e-mail templates are not web pages).
"""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

import tadamon

from ..core.test_settings import production, run_code, run_tadamon

PACKAGE = Path(tadamon.__file__).parent
INLINE = [
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: link"),
]
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


def web_templates():
    for path in sorted(PACKAGE.rglob("templates/**/*.html")):
        parts = set(path.relative_to(PACKAGE).parts)
        if {"pdf", "email"} & parts:
            continue
        yield path


def test_no_template_needs_unsafe_inline():
    found = []
    templates = list(web_templates())
    assert len(templates) > 50
    for path in templates:
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(PACKAGE)}:{line}: {what}")
        for match in SCRIPT.finditer(text):
            attributes = match.group(1)
            if "src=" not in attributes and "application/json" not in attributes:
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(PACKAGE)}:{line}: an inline <script>")
    assert found == [], "move these to static files:\n" + "\n".join(found)


PROBE = """
import json
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="tadamon.example.ma")
answers = {}
for path in ("/ar/about/", "/ar/accounts/login/", "/ar/no-such-page/", "/api/v1/openapi.json"):
    response = client.get(path, secure=True)
    answers[path] = {"status": response.status_code, "headers": dict(response.headers)}
cookies = {}
for path in ("/ar/about/", "/ar/accounts/login/", "/ar/market/checkout/"):  # the last one leaves a message
    for name, morsel in Client(HTTP_HOST="tadamon.example.ma").get(path, secure=True).cookies.items():
        cookies[name] = {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])}
answers["cookies"] = cookies
plain = client.get("/ar/about/")
answers["http"] = {"status": plain.status_code, "location": plain.headers.get("Location", "")}
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def production_answers(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    environment = production(tmp_path)
    migrated = run_tadamon(tmp_path, "migrate", "--noinput", **environment)
    assert migrated.returncode == 0, migrated.stderr
    # The web fonts built by `tadamon build-fonts` (make assets), as a deployment has them.
    shutil.copytree(settings.ASSETS_DIR / "fonts", tmp_path / "var" / "assets" / "fonts", dirs_exist_ok=True)
    collected = run_tadamon(tmp_path, "collectstatic", "--noinput", **environment)
    assert collected.returncode == 0, collected.stderr
    result = run_code(tmp_path, PROBE, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("path", ["/ar/about/", "/ar/accounts/login/", "/ar/no-such-page/", "/api/v1/openapi.json"])
def test_production_headers(production_answers, path):
    answer = production_answers[path]
    assert answer["status"] in (200, 404)
    headers = {k.lower(): v for k, v in answer["headers"].items()}
    csp = headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "camera=(self)" in headers["permissions-policy"]


def test_production_sends_plain_http_to_https(production_answers):
    assert production_answers["http"]["status"] == 301
    assert production_answers["http"]["location"].startswith("https://tadamon.example.ma/")


def test_production_cookies_are_secure_and_hidden_from_scripts(production_answers):
    cookies = production_answers["cookies"]
    assert {"csrftoken", "tadamon_language", "messages"} <= set(cookies)
    for name, flags in cookies.items():
        assert flags == {"secure": True, "httponly": True}, name
