"""Public pages kept, rendered, for visitors who are not signed in.

Most requests at a fair or after a radio programme are visitors reading the same few pages: the
directory, a search, an edition, its programme. A view marked with :func:`cached_for_visitors`
names the apps whose data it shows; :class:`PublicPageCacheMiddleware` keeps its rendered answer
in Django's cache (Redis in production) under the page's address, its language and the current
*data version* of each of those apps, and serves it again without running the view.

Versions (:class:`~tadamon.core.models.DataVersion`, one row per app) live in the database, so every
process and the background worker see the same ones. Every ``INSERT``, ``UPDATE`` or ``DELETE``
that goes through Django's connection — saves, ``bulk_create``, ``update()``, raw SQL of the
importer — is noticed by a connection wrapper (:func:`watch_writes`), and the versions of the apps
it touched go up once the transaction commits. A page is therefore never older than the last
committed change of the data it declares; the timeout (``TADAMON_PAGE_CACHE_SECONDS``) only bounds
what depends on the clock alone (a call that closes at a given minute). 0 turns the cache off.

Only answers that cannot differ from one visitor to another are kept: ``GET`` requests without a
session cookie (so no signed-in user, no region chosen, no pending message) and not from htmx,
answers ``200`` that set no cookie of their own. The CSRF token of the language and region
forms is the one per-visitor part of such a page: it is taken out before the page is stored and
each visitor's own token is put back in when it is served.
"""

import hashlib
import logging
import re

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection, transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language

log = logging.getLogger(__name__)

VERSION_TABLE = "core_dataversion"


def cached_for_visitors(*app_labels):
    """Keep this public view's answers for visitors until the data of ``app_labels`` changes."""

    def decorate(view):
        view.tadamon_page_cache = tuple(sorted(set(app_labels)))
        return view

    return decorate


# ---- which app a write touches ------------------------------------------------------------------

_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?',
    re.IGNORECASE)
_TABLES = {}


def _app_of(table):
    """The app whose data lives in ``table`` (None: a table whose changes no page shows)."""
    if not _TABLES:
        labels = {config.label for config in apps.get_app_configs()}
        mapping = {}
        for model in apps.get_models(include_auto_created=True):
            exempt = getattr(model, "page_cache_exempt", False)
            mapping[model._meta.db_table] = None if exempt else model._meta.app_label
        mapping["_labels"] = labels
        _TABLES.update(mapping)
    if table in _TABLES:
        return _TABLES[table]
    # Tables without a model (the registry's FTS5 index) belong to the app of their prefix.
    prefix = table.split("_", 1)[0]
    return prefix if prefix in _TABLES["_labels"] else None


class _Pending:
    """The apps written to by the current transaction, bumped once when it commits."""

    def __init__(self, conn):
        self.conn, self.labels, self.savepoints = conn, set(), list(conn.savepoint_ids)

    def flush(self):
        bump(self.labels, self.conn)


def _note_write(conn, label):
    if not conn.in_atomic_block:  # autocommit: the write is already committed
        bump({label}, conn)
        return
    pending = getattr(conn, "_tadamon_pending_writes", None)
    # One callback per transaction and savepoint; a rollback dropped its callback: start anew.
    if (pending is None or pending.savepoints != conn.savepoint_ids
            or not any(item[1] == pending.flush for item in conn.run_on_commit)):
        pending = _Pending(conn)
        conn._tadamon_pending_writes = pending
        transaction.on_commit(pending.flush, using=conn.alias)
    pending.labels.add(label)


def watch_writes(execute, sql, params, many, context):
    """Connection wrapper: notes the apps whose tables a statement writes to."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and sql[:1] in "IUDRTiudrt \n":
        match = _WRITE.match(sql)
        if match:
            label = _app_of(match.group(1))
            if label:
                _note_write(context["connection"], label)
    return result


@receiver(connection_created)
def _install(sender, connection, **kwargs):
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


_TABLE_SEEN = set()


def _versions_table_exists(conn):
    """False while the migrations that create it have not run (writes of earlier migrations)."""
    if conn.alias not in _TABLE_SEEN:
        with conn.cursor() as cursor:
            if VERSION_TABLE not in conn.introspection.table_names(cursor):
                return False
        _TABLE_SEEN.add(conn.alias)
    return True


def bump(labels, conn=None):
    """Raise the data version of these apps (after their changes are committed)."""
    conn = conn or connection
    labels = sorted(labels)
    if not labels or not _versions_table_exists(conn):
        return
    try:
        with conn.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {VERSION_TABLE} (app_label, version) VALUES (%s, 1) "  # noqa: S608
                f"ON CONFLICT (app_label) DO UPDATE SET version = {VERSION_TABLE}.version + 1",
                [(label,) for label in labels])
    except DatabaseError:
        # Never fail a committed change for the cache's sake: the pages then live until their timeout.
        log.exception("page cache: the data versions of %s were not raised", ", ".join(labels))


def versions(labels):
    """{app label: version} for these apps (0 for an app never written to)."""
    found = dict.fromkeys(labels, 0)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app_label, version FROM {VERSION_TABLE} "  # noqa: S608
                       f"WHERE app_label IN ({', '.join(['%s'] * len(labels))})", list(labels))
        found.update(cursor.fetchall())
    return found


# ---- the middleware -----------------------------------------------------------------------------

_TOKEN = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
_HOLE = b"\x00csrf\x00"
_KEPT_HEADERS_SKIPPED = {"set-cookie", "content-length"}


def _seconds():
    return getattr(settings, "TADAMON_PAGE_CACHE_SECONDS", 0)


def _labels_for(request):
    """The apps a request's page depends on, or None when the page is not kept for it."""
    if request.method != "GET" or _seconds() <= 0:
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    if "HTTP_HX_REQUEST" in request.META or "HTTP_AUTHORIZATION" in request.META:
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "tadamon_page_cache", None)


def _key(request, labels):
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = f"{request.scheme}://{host}{request.path}?{query}"
    stamp = ",".join(f"{label}{version}" for label, version in sorted(versions(labels).items()))
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    # The day is part of the key: pages that open on today's programme change at midnight.
    return f"tadamon:page:{get_language()}:{timezone.localdate():%Y%m%d}:{digest}:{stamp}"


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "session", None) is not None and request.session.modified:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


class PublicPageCacheMiddleware:
    """Serves the kept answer of a :func:`cached_for_visitors` view to a visitor who is not signed in.

    Placed after the session, language and CSRF middleware (it needs the language of the address and
    sets the visitor's CSRF cookie through them) and before authentication: a kept page costs a
    look-up of the data versions and of the cache, not the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        labels = _labels_for(request)
        key = _key(request, labels) if labels else None
        if key is None:
            return self.get_response(request)
        try:
            kept = cache.get(key)
        except Exception:  # noqa: BLE001 (Redis unreachable: the page is rendered, not refused)
            log.warning("page cache: the cache cannot be read", exc_info=True)
            return self.get_response(request)
        if kept is not None:
            status, headers, content = kept
            response = HttpResponse(self._with_token(request, content), status=status)
            for name, value in headers:
                response.headers[name] = value
            return response
        response = self.get_response(request)
        if _storable(request, response):
            content = _TOKEN.sub(rb"\1" + _HOLE + rb"\2", response.content)
            headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _KEPT_HEADERS_SKIPPED]
            try:
                cache.set(key, (response.status_code, headers, content), _seconds())
            except Exception:  # noqa: BLE001
                log.warning("page cache: the page cannot be kept", exc_info=True)
        return response

    @staticmethod
    def _with_token(request, content):
        if _HOLE not in content:
            return content
        return content.replace(_HOLE, get_token(request).encode())
