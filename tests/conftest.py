"""Shared fixtures: users for every role, in two regions."""

import pytest
from django_scopes import scopes_disabled

from tadamon.core.models import Province, Region, Role, RoleAssignment
from tadamon.registry.models import LegalForm, Organization, Product, Sector

PASSWORD = "correct-horse-battery"
FES_MEKNES = "03"
MARRAKECH_SAFI = "07"


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
