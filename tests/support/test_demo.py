"""The demo: Mowakaba and Tamkine in Fès-Meknès with diagnoses, trainings, coaching reports and
funding decisions; loading twice changes nothing."""

import pytest
from django_scopes import scopes_disabled

from tadamon.core.demo import load_demo_accounts
from tadamon.programme.demo import load_demo as load_programme
from tadamon.registry.demo import load_demo as load_registry
from tadamon.support.demo import load_demo
from tadamon.support.models import (
    CoachingSession,
    Cohort,
    CohortTraining,
    Diagnosis,
    FundingFile,
    Participant,
    Programme,
    Tranche,
)

pytestmark = pytest.mark.django_db


def test_demo_programmes_in_fes_meknes():
    load_demo_accounts()
    load_registry(organizations=120)
    load_programme()
    load_demo()
    with scopes_disabled():
        assert set(Programme.objects.filter(region__code="03").values_list("kind", flat=True)) == {"mowakaba",
                                                                                                  "tamkine"}
        assert Cohort.objects.count() == 4
        assert Participant.objects.filter(organization__representations__user__email="cooperative@tadamon.ma").exists()
        assert Diagnosis.objects.filter(kind="final").exists() and Diagnosis.objects.filter(kind="baseline").exists()
        assert CoachingSession.objects.filter(status="held").exclude(report="").exists()
        assert set(FundingFile.objects.values_list("status", flat=True)) >= {"approved", "refused"}
        for file in FundingFile.objects.filter(status="approved"):
            assert sum(t.amount for t in Tranche.objects.filter(funding=file)) <= file.amount_granted
        trained = CohortTraining.objects.count()
        counts = (Participant.objects.count(), CoachingSession.objects.count())
    assert load_demo() == "support demo: already loaded"
    with scopes_disabled():
        assert (Participant.objects.count(), CoachingSession.objects.count()) == counts
        assert CohortTraining.objects.count() == trained
