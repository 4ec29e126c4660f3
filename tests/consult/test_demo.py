"""The demo follows seed 003: the Fès-Meknès workshop of 15 April 2025 with its five themes, about
forty proposals, a ranked list, an action plan of twelve actions in progress, and the pole's
services with bookings. Loading twice changes nothing."""

from datetime import date

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from tadamon.consult import services
from tadamon.consult.demo import load_demo
from tadamon.consult.models import Action, Booking, PoleService, Proposal, Workshop


@pytest.fixture
def demo(db):
    call_command("load-demo", verbosity=0)


def test_fes_meknes_workshop_plan_and_pole(demo):
    with scopes_disabled():
        workshop = Workshop.objects.select_related("session__edition").get(region__code="03")
        assert workshop.session.edition.starts_on == date(2025, 4, 15)
        assert workshop.session.registrations.filter(checked_in_at__isnull=False).count() == 30
        themes = " ".join(t.title_fr for t in workshop.themes.all())
        for word in ("Diagnostic", "Défis et besoins", "gouvernance", "pérennité", "Intégration"):
            assert word in themes, word
        proposals = Proposal.objects.filter(workshop=workshop)
        assert proposals.count() == 40
        assert {p.phase for p in proposals} == {"before", "during", "after"}
        assert proposals.filter(status="merged").count() == 1 and proposals.filter(status="hidden").count() == 1
        rows = services.ranking(workshop)
        assert len(rows) == 38 and rows[0]["proposal"].status == "retained"
        actions = Action.objects.filter(plan__workshop=workshop)
        assert actions.count() == 12
        assert actions.filter(status="in_progress").count() >= 6
        assert all(a.milestones.filter(due_on__lt=a.plan.starts_on).count() == 0 for a in actions)
        kinds = set(PoleService.objects.filter(region__code="03").values_list("kind", flat=True))
        assert kinds == set(PoleService.Kind.values)
        bookings = Booking.objects.filter(region__code="03")
        assert bookings.filter(status="approved").exists() and bookings.filter(status="pending").exists()
        for b in bookings.filter(status__in=Booking.HOLDING):  # the demo holds no double booking
            assert not bookings.filter(service=b.service, status__in=Booking.HOLDING, starts_at__lt=b.ends_at,
                                       ends_at__gt=b.starts_at).exclude(pk=b.pk).exists()
    assert "0 proposals, 0 actions, 0 bookings" in load_demo()
