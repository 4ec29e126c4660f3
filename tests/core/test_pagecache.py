"""Public pages kept for visitors (core.pagecache): served again without the view, never stale
after a committed change, never kept for a signed-in user or a visitor with a session, and each
visitor gets a CSRF token of their own."""

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.core import pagecache
from tadamon.core.models import ActivityLog, DataVersion
from tadamon.registry.models import Organization

DIRECTORY = "/ar/organizations/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.TADAMON_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def honey(make_org):
    return make_org("تعاونية العسل الحر", "Coopérative du miel pur")


def get(client, path=DIRECTORY, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return response, len(queries)


def committed(write):
    """Run ``write`` in a transaction that commits (as in production: its on_commit callbacks run)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        write()


def test_a_visitor_gets_the_kept_page_without_the_view(client, honey):
    first, n_first = get(client)
    second, n_second = get(Client())
    assert "تعاونية العسل الحر" in second.content.decode()
    assert n_first > 3
    assert n_second == 1  # the data versions, nothing else
    strip = lambda r: TOKEN.sub("", r.content.decode())  # noqa: E731
    assert strip(first) == strip(second)
    assert second["Content-Type"].startswith("text/html")
    assert int(second["Content-Length"]) == len(second.content)


def test_each_visitor_gets_a_token_of_their_own_that_works(client, honey):
    get(client)
    visitor = Client(enforce_csrf_checks=True)
    response, _ = get(visitor)
    tokens = TOKEN.findall(response.content.decode())
    assert tokens and "\x00" not in response.content.decode()
    assert visitor.cookies["csrftoken"].value
    first_tokens = set(TOKEN.findall(client.get(DIRECTORY).content.decode()))
    assert not first_tokens & set(tokens)
    answer = visitor.post(reverse("switch_language"),
                          {"language": "fr", "next": DIRECTORY, "csrfmiddlewaretoken": tokens[0]})
    assert answer.status_code == 302
    refused = Client(enforce_csrf_checks=True)
    refused.cookies["csrftoken"] = "x" * 32
    answer = refused.post(reverse("switch_language"), {"language": "fr", "csrfmiddlewaretoken": tokens[0]})
    assert answer.status_code == 403


@pytest.mark.parametrize("how", ["save", "update", "raw sql"])
def test_a_committed_change_shows_at_once(client, honey, how):
    get(client)

    def write():
        with scopes_disabled():
            if how == "save":
                honey.name_ar = "تعاونية الزعفران"
                honey.save()
            elif how == "update":
                Organization.objects.filter(pk=honey.pk).update(name_ar="تعاونية الزعفران")
            else:
                with connection.cursor() as cursor:
                    cursor.execute("UPDATE registry_organization SET name_ar = %s WHERE id = %s",
                                   ["تعاونية الزعفران", honey.pk])

    committed(write)
    response, n = get(Client())
    assert "تعاونية الزعفران" in response.content.decode()
    assert n > 1


def test_a_rolled_back_change_keeps_the_page(client, honey):
    get(client)
    before = pagecache.versions(["registry"])

    class Refused(Exception):
        pass

    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(Refused), transaction.atomic():
        with scopes_disabled():
            Organization.objects.filter(pk=honey.pk).update(name_ar="لا")
        raise Refused
    assert pagecache.versions(["registry"]) == before
    assert get(Client())[1] == 1


def test_writing_the_activity_log_does_not_make_pages_stale(client, honey):
    get(client)
    committed(lambda: ActivityLog.objects.create(action="registry.test", object_repr="x"))
    assert get(Client())[1] == 1
    assert not DataVersion.objects.filter(app_label="core").exists()


def test_pages_depend_on_their_apps_only(client, honey, make_user):
    get(client)
    committed(lambda: make_user("someone@example.ma"))  # accounts, not shown by the directory
    assert get(Client())[1] == 1


def test_signed_in_users_and_visitors_with_a_session_get_their_own_page(client, honey, client_for, plain_user):
    get(Client())
    signed_in = client_for(plain_user)
    response, n = get(signed_in)
    assert n > 1
    assert "accounts/logout" in response.content.decode()
    visitor = Client()
    visitor.post(reverse("core:switch_region"), {"region": "07", "next": DIRECTORY})
    response, n = get(visitor)
    assert n > 1 and "تعاونية العسل الحر" not in response.content.decode()  # Marrakech-Safi chosen


def test_languages_and_addresses_are_kept_apart(client, honey):
    arabic, _ = get(client)
    french, n = get(client, "/fr/organizations/")
    assert n > 1 and 'lang="fr"' in french.content.decode()
    searched, n = get(client, DIRECTORY + "?q=%D8%B2%D9%8A%D8%AA")
    assert n > 1 and "تعاونية العسل الحر" not in searched.content.decode()
    assert get(client, DIRECTORY + "?q=%D8%B2%D9%8A%D8%AA")[1] == 1


def test_htmx_requests_and_answers_that_set_a_cookie_are_not_kept(client, honey, monkeypatch):
    get(client, HTTP_HX_REQUEST="true")
    assert get(client, HTTP_HX_REQUEST="true")[1] > 1
    from django.http import HttpResponse

    response = HttpResponse("x")
    response.set_cookie("other", "1")
    assert not pagecache._storable(type("R", (), {"session": None})(), response)


def test_off_when_the_timeout_is_zero(client, honey, settings):
    settings.TADAMON_PAGE_CACHE_SECONDS = 0
    get(client)
    assert get(Client())[1] > 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the marker: the test database is then serialized
def test_versions_go_up_after_real_commits(client):
    from tadamon.core.models import Province
    from tadamon.registry.models import LegalForm, Sector

    before = pagecache.versions(["registry"])["registry"]
    with scopes_disabled():
        org = Organization.objects.create(  # autocommit: the version moves at once
            name_ar="تعاونية الأركان", province=Province.objects.get(code="03.131"),
            sector=Sector.objects.first(), legal_form=LegalForm.COOPERATIVE)
    after_create = pagecache.versions(["registry"])["registry"]
    assert after_create > before
    get(client)
    with transaction.atomic(), scopes_disabled():
        Organization.objects.filter(pk=org.pk).update(name_ar="تعاونية الصبار")
        Organization.objects.filter(pk=org.pk).update(women_led=True)
        assert pagecache.versions(["registry"])["registry"] == after_create  # not before the commit
    assert pagecache.versions(["registry"])["registry"] == after_create + 1  # once per transaction
    assert "تعاونية الصبار" in get(Client())[0].content.decode()


def test_an_unreachable_cache_renders_the_page(client, honey, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache.cache, "get", broken)
    monkeypatch.setattr(pagecache.cache, "set", broken)
    response, n = get(client)
    assert n > 1 and "تعاونية العسل الحر" in response.content.decode()


@pytest.mark.parametrize("path", ["/ar/", "/fr/organizations/", "/en/fairs/", "/ar/programme/"])
def test_the_public_pages_are_kept(client, path, db):
    get(client, path)
    assert get(Client(), path)[1] == 1


def test_which_tables_make_pages_stale():
    from tadamon.fairs.sales_models import Sale
    from tadamon.programme.models import Registration

    assert pagecache._app_of("fairs_edition") == "fairs"
    assert pagecache._app_of(Registration._meta.db_table) == "programme"  # seats left on the programme
    assert pagecache._app_of("registry_organization_fts") == "registry"  # SQLite's search index
    assert pagecache._app_of(Sale._meta.db_table) is None  # sales, check-ins, jobs: not on public pages
    assert pagecache._app_of("core_activitylog") is None
    assert pagecache._app_of("core_dataversion") is None
    assert pagecache._app_of("sqlite_sequence") is None
