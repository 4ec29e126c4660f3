"""The demo's programmes follow the seed articles; a visitor can register for a workshop to come."""

import time

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from tadamon.fairs.models import Edition
from tadamon.programme import services
from tadamon.programme.demo import load_demo
from tadamon.programme.models import Certificate, Feedback, Registration, Session


@pytest.fixture
def demo(db):
    call_command("load-demo", verbosity=0)


def test_marrakech_workshops_shows_and_celebration(demo):
    with scopes_disabled():
        edition = Edition.objects.get(region__code="07", number=2, kind=Edition.Kind.REGIONAL_FAIR)
        sessions = list(Session.objects.filter(edition=edition))
        titles = " ".join(s.title_fr for s in sessions)
        for theme in ["Gestion et comptabilité", "Principes et valeurs", "E-marketing", "Réseautage",
                      "Entrepreneuriat", "marque", "Rédaction de projets", "Structuration juridique",
                      "pôles territoriaux"]:
            assert theme in titles, theme
        assert sum(s.kind == "show" for s in sessions) >= 4
        assert any(s.kind == "award" and "coopératives leaders" in s.title_fr for s in sessions)
        assert all(s.is_placed for s in sessions)
        assert Certificate.objects.filter(registration__session__edition=edition).exists()
        assert Feedback.objects.filter(registration__session__edition=edition).exists()
    assert services.conflicts(edition) == []


def test_fes_seminars_and_caftan_ceremony(demo):
    with scopes_disabled():
        edition = Edition.objects.get(region__code="03", number=3, kind=Edition.Kind.REGIONAL_FAIR)
        sessions = Session.objects.filter(edition=edition)
        assert sessions.filter(title_fr__icontains="caftan").exists()
        assert sessions.filter(title_fr__startswith="Séminaire").count() >= 3
        assert sessions.filter(speakers__country__in=["Sénégal", "France (Corse)"]).exists()
    assert services.conflicts(edition) == []


def test_communication_day_has_more_than_200_participants(demo):
    with scopes_disabled():
        day = Edition.objects.get(region__code="03", kind=Edition.Kind.COMMUNICATION_DAY)
        titles = " ".join(Session.objects.filter(edition=day).values_list("title_fr", flat=True))
    assert "Mowakaba" in titles and "Tamkine" in titles
    summary = services.participants_summary(day)
    assert summary["present"] > 200 and summary["registered"] >= summary["present"]
    names = {i["name"] for i in summary["institutions"]}
    assert {"التعاون الوطني", "مكتب تنمية التعاون", "غرفة الصناعة التقليدية لجهة فاس مكناس"} <= names
    with scopes_disabled():
        assert Registration.objects.filter(session__edition=day, organization__isnull=False).count() > 150


def test_a_visitor_can_register_for_an_upcoming_workshop(demo):
    with scopes_disabled():
        open_sessions = [s for s in Session.objects.filter(registration_required=True).select_related("edition")
                         if not services.registration_closed_reason(s)]
        assert open_sessions
        led = Session.objects.filter(speakers__user__email="trainer@tadamon.ma")
        assert led.filter(pk__in=[s.pk for s in open_sessions]).exists()
        assert led.filter(edition__region__code="03").count() >= 4
    registration, created = services.register(open_sessions[0], name="Visiteur", phone="0698765432", notify=False)
    assert created and registration.status == Registration.Status.CONFIRMED


def test_demo_is_idempotent_and_fast(demo):
    with scopes_disabled():
        before = (Session.objects.count(), Registration.objects.count(), Edition.objects.count())
    started = time.perf_counter()
    line = load_demo()
    assert time.perf_counter() - started < 5
    with scopes_disabled():
        assert (Session.objects.count(), Registration.objects.count(), Edition.objects.count()) == before
    assert line.startswith("programme demo: 0 sessions")
