"""A Fès-Meknès consultation workshop (a session of a programme) with two themes and the default
criteria, an action plan, a shared service of the pole, an organization with its representative; and
the same workshop in Marrakech-Safi."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from tadamon.consult import services
from tadamon.consult.models import PoleService
from tadamon.fairs.models import Edition, Institution
from tadamon.programme.models import Session
from tadamon.registry.models import Representation

from ..programme.conftest import make_edition


def make_workshop(region, staff=None):
    with scopes_disabled():
        edition = make_edition(region, kind=Edition.Kind.CONSULTATION, title="Atelier de concertation")
        session = Session.objects.create(edition=edition, kind="panel", audience="professionals",
                                         title_ar="ورشة تشاورية", title_fr="Atelier de concertation")
        workshop = services.create_workshop(staff, session, themes=[("التشخيص", "Diagnostic"),
                                                                    ("الحكامة", "Gouvernance")])
        workshop.phase = "during"
        workshop.save()
        return workshop


def make_service(region, **extra):
    with scopes_disabled():
        return PoleService.objects.create(region=region, kind="meeting_room", name_ar="قاعة الاجتماعات",
                                          name_fr="Salle de réunion", price_mad=Decimal(50), **extra)


@pytest.fixture(autouse=True)
def arabic():
    translation.activate("ar")
    yield
    translation.activate("ar")


@pytest.fixture
def workshop(fes, fes_staff):
    return make_workshop(fes, fes_staff)


@pytest.fixture
def other_workshop(marrakech):
    return make_workshop(marrakech)


@pytest.fixture
def themes(workshop):
    with scopes_disabled():
        return list(workshop.themes.all())


@pytest.fixture
def proposal(workshop, themes, plain_user):
    with scopes_disabled():
        return services.submit_proposal(workshop, theme=themes[0], title="وحدة تلفيف مشتركة",
                                        body="وحدة تلفيف للتعاونيات", author=plain_user)


@pytest.fixture
def owner(db):
    return Institution.objects.create(name_ar="مجلس جهة فاس مكناس", name_fr="Conseil régional")


@pytest.fixture
def plan(workshop, fes_staff):
    with scopes_disabled():
        return services.create_plan(fes_staff, workshop, title_ar="خطة العمل", title_fr="Plan d'action",
                                    starts_on=date(2025, 6, 1), ends_on=date(2027, 12, 31))


@pytest.fixture
def action(plan, proposal, owner, fes_staff):
    with scopes_disabled():
        return services.retain(fes_staff, proposal, reason="أثر كبير", owner=owner, budget_mad=Decimal(100000))


@pytest.fixture
def service(fes):
    return make_service(fes)


@pytest.fixture
def organization(make_org):
    return make_org("تعاونية الأمل", "Coopérative Al Amal")


@pytest.fixture
def representative(make_user, organization):
    user = make_user("rep@example.ma")
    with scopes_disabled():
        Representation.objects.create(user=user, organization=organization, status=Representation.Status.APPROVED)
    return user
