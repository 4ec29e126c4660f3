"""An edition of Fès-Meknès with a small programme: time slots, two spaces, a trainer, a training
workshop with three places, a conference and a session not placed yet; and one in Marrakech-Safi."""

from datetime import date, time, timedelta

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from tadamon.core.models import Role
from tadamon.fairs.models import Edition
from tadamon.programme import services
from tadamon.programme.models import Session, Space, Speaker, TimeSlot


def make_edition(region, *, days_ahead=10, status=Edition.Status.CALL_OPEN, kind=Edition.Kind.REGIONAL_FAIR,
                 title="Salon régional"):
    with scopes_disabled():
        start = date.today() + timedelta(days=days_ahead)
        return Edition.objects.create(
            region=region, kind=kind, title_ar="المعرض الجهوي", title_fr=title, number=5, starts_on=start,
            ends_on=start + timedelta(days=1), opens_at=time(9), closes_at=time(18), status=status,
            venue_name_ar="حلبة سباق الخيل", venue_name_fr="Hippodrome", venue_address="Fès")


def make_programme(edition, trainer=None):
    """Slots of 90 minutes from 9:00 to 18:00 (6 a day), a hall and a training room, and three sessions."""
    with scopes_disabled():
        services.generate_slots(None, edition, slot_minutes=90, day_starts=time(9), day_ends=time(18))
        hall = Space.objects.create(edition=edition, name_ar="القاعة الكبرى", name_fr="Grande salle", capacity=100)
        room = Space.objects.create(edition=edition, name_ar="قاعة التكوين", name_fr="Salle de formation", capacity=30,
                                    kinds=["training", "agora"])
        speaker = Speaker.objects.create(region=edition.region, name_ar="ليلى العمراني", name_fr="Leila Amrani",
                                         institution="Tadamon", user=trainer)
        slots = list(TimeSlot.objects.filter(edition=edition).order_by("starts_at"))
        workshop = Session.objects.create(edition=edition, kind="training", audience="cooperatives",
                                          title_ar="ورشة التسيير", title_fr="Atelier de gestion",
                                          registration_required=True, capacity=3)
        workshop.speakers.add(speaker)
        services.place_session(None, workshop, slots[1], room)
        conference = Session.objects.create(edition=edition, kind="conference", audience="public",
                                            title_ar="ندوة", title_fr="Conférence", duration_slots=2)
        services.place_session(None, conference, slots[2], hall)
        later = Session.objects.create(edition=edition, kind="agora", audience="exhibitors", title_ar="أكورا",
                                       title_fr="AGORA", registration_required=True, capacity=20)
        later.speakers.add(speaker)
        workshop.refresh_from_db()
        conference.refresh_from_db()
    return {"edition": edition, "hall": hall, "room": room, "speaker": speaker, "slots": slots, "workshop": workshop,
            "conference": conference, "unplaced": later}


@pytest.fixture(autouse=True)
def arabic():
    """Each test starts in Arabic: a request to a /fr/ page leaves French active in the thread, and
    ``reverse`` would then build /fr/ addresses for the next test."""
    translation.activate("ar")
    yield
    translation.activate("ar")


@pytest.fixture
def trainer(make_user, fes):
    return make_user("leila.trainer@example.ma", Role.TRAINER, fes, phone="0611111111")


@pytest.fixture
def programme(fes, trainer):
    return make_programme(make_edition(fes), trainer=trainer)


@pytest.fixture
def other_programme(marrakech):
    return make_programme(make_edition(marrakech, title="Salon de Marrakech"))
