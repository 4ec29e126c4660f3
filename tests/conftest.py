"""Shared fixtures: users for every role, in two regions."""

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from django_scopes import scopes_disabled

from tadamon.core import choices
from tadamon.core.models import Province, Region, Role, RoleAssignment
from tadamon.registry.models import LegalForm, Organization, Product, Sector

PASSWORD = "correct-horse-battery"

# Test transactions never commit, so the data versions that make kept pages stale would never move:
# the page cache is off, except in the tests that turn it on (tests/core/test_pagecache.py).
django_settings.TADAMON_PAGE_CACHE_SECONDS = 0

#: Set when a test of the current module ran in a transaction that ends with a flush.
_FLUSHED = {"flag": False}


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Arabic: a request in another language leaves that language active in
    the thread (the locale middleware does not put it back), which would change the next test's
    ``reverse()``."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_choices():
    """Lists of choices kept in memory (tadamon.core.choices) are read again in each test: a
    test's rolled-back sectors or a flushed database must not show in the next one's selects."""
    choices.clear()
    yield
    choices.clear()


@pytest.fixture(autouse=True)
def _note_flushing_tests(request):
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames:
        _FLUSHED["flag"] = True


@pytest.fixture(scope="module", autouse=True)
def _leave_the_database_as_found(django_db_setup, django_db_blocker):
    """After a module with transactional tests, put back what the migrations loaded.

    A transactional test with serialized rollback restores the data before it runs, but leaves
    every table empty after it. pytest-django runs transactional tests after the other database
    tests, yet a test that reaches the database only through ``request.getfixturevalue()`` counts
    as database-free and runs later still: it must find the reference data too."""
    yield
    if not _FLUSHED["flag"]:
        return
    _FLUSHED["flag"] = False
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)
FES_MEKNES = "03"
MARRAKECH_SAFI = "07"


@pytest.fixture
def english():
    """For tests that read messages in English: English active (URLs under /en/)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def fes(db):
    return Region.objects.get(code=FES_MEKNES)


@pytest.fixture
def marrakech(db):
    return Region.objects.get(code=MARRAKECH_SAFI)


@pytest.fixture
def make_user(db, django_user_model):
    def make(email, role=None, region=None, verified=True, language="ar", **extra):
        user = django_user_model.objects.create_user(
            email=email, password=PASSWORD, email_verified=verified, preferred_language=language,
            first_name=extra.pop("first_name", "Amina"), **extra,
        )
        if role is not None:
            with scopes_disabled():
                RoleAssignment.objects.create(user=user, role=role, region=region)
        return user

    return make


@pytest.fixture
def national_admin(make_user):
    return make_user("admin@example.ma", Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def fes_staff(make_user, fes):
    return make_user("staff.fes@example.ma", Role.REGIONAL_STAFF, fes)


@pytest.fixture
def marrakech_staff(make_user, marrakech):
    return make_user("staff.marrakech@example.ma", Role.REGIONAL_STAFF, marrakech)


@pytest.fixture
def fes_partner(make_user, fes):
    return make_user("partner.fes@example.ma", Role.PARTNER_VIEWER, fes)


@pytest.fixture
def fes_juror(make_user, fes):
    return make_user("juror.fes@example.ma", Role.JUROR, fes)


@pytest.fixture
def fes_trainer(make_user, fes):
    return make_user("trainer.fes@example.ma", Role.TRAINER, fes)


@pytest.fixture
def plain_user(make_user):
    return make_user("member@example.ma")


@pytest.fixture
def client_for(client):
    """A logged-in test client for a user."""

    def login(user):
        client.force_login(user)
        return client

    return login

@pytest.fixture
def sectors(db):
    return {s.key: s for s in Sector.objects.all()}


@pytest.fixture
def make_org(db, sectors):
    def make(name_ar, name_fr="", province="03.131", sector="terroir", **extra):
        with scopes_disabled():
            return Organization.objects.create(
                name_ar=name_ar, name_fr=name_fr, province=Province.objects.get(code=province),
                sector=sectors[sector], legal_form=extra.pop("legal_form", LegalForm.COOPERATIVE), **extra)

    return make


@pytest.fixture
def make_product(db, sectors):
    def make(org, name_ar, name_fr="", category="terroir", **extra):
        with scopes_disabled():
            return Product.objects.create(organization=org, name_ar=name_ar, name_fr=name_fr,
                                          category=sectors[category], **extra)

    return make
