"""A Mowakaba programme of Fès-Meknès with its questionnaire, a cohort whose call is open, an
organization with its representative, and a participant of another cohort coached by a trainer;
and a programme in Marrakech-Safi."""

from datetime import date, timedelta

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from tadamon.core.models import Role
from tadamon.registry.models import Representation
from tadamon.support import services
from tadamon.support.models import Application, Axis, Cohort, DiagnosisQuestion, Programme


@pytest.fixture(autouse=True)
def arabic():
    translation.activate("ar")
    yield
    translation.activate("ar")


def make_programme(region, kind=Programme.Kind.MOWAKABA):
    with scopes_disabled():
        programme = Programme.objects.create(region=region, kind=kind, name_ar="برنامج مواكبة",
                                             name_fr="Programme Mowakaba")
        for i, axis in enumerate(Axis.values):
            DiagnosisQuestion.objects.create(programme=programme, axis=axis, text_ar=f"سؤال {axis}",
                                             text_fr=f"Question {axis}", position=i, weight=1 + i % 2)
    return programme


def make_cohort(programme, *, starts_in=30, months=24, call_open=True, **rules):
    today = date.today()
    starts_on = today + timedelta(days=starts_in)
    with scopes_disabled():
        return Cohort.objects.create(
            programme=programme, name_ar="الفوج الأول", name_fr="Cohorte 1", starts_on=starts_on,
            ends_on=starts_on + timedelta(days=30 * months), places=rules.pop("places", 10),
            call_opens_on=today - timedelta(days=5) if call_open else today - timedelta(days=60),
            call_closes_on=today + timedelta(days=20) if call_open else today - timedelta(days=30), **rules)


def make_participant(cohort, organization, actor=None):
    with scopes_disabled():
        application = Application.objects.create(cohort=cohort, organization=organization, motivation="نريد المواكبة")
        return services.select(actor, application)


@pytest.fixture
def programme(fes):
    return make_programme(fes)


@pytest.fixture
def cohort(programme):
    return make_cohort(programme)


@pytest.fixture
def representative(make_user):
    return make_user("rep@example.ma", phone="0612345678")


@pytest.fixture
def organization(make_org, representative):
    from datetime import date as d

    org = make_org("تعاونية النحلة", "Coopérative l'Abeille", women_led=True, created_on=d(2019, 5, 1),
                   members_total=10, members_women=8, members_youth=6)
    with scopes_disabled():
        Representation.objects.create(user=representative, organization=org, status=Representation.Status.APPROVED)
    return org


@pytest.fixture
def coach(make_user, fes):
    return make_user("coach@example.ma", Role.TRAINER, fes)


@pytest.fixture
def participant(programme, organization, coach):
    """The organization in a running cohort (started 60 days ago), coached by ``coach``."""
    running = make_cohort(programme, starts_in=-60, call_open=False)
    participant = make_participant(running, organization)
    services.assign_coach(None, participant, coach)
    return participant


@pytest.fixture
def marrakech_programme(marrakech):
    return make_programme(marrakech)
