from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.fairs.models import Application, Edition, Pole
from tadamon.prizes import services
from tadamon.prizes.models import Category, Criterion, Prize
from tadamon.registry.models import Representation, Sector


@pytest.fixture
def fair(fes, fes_staff):
    with scopes_disabled():
        edition = Edition.objects.create(
            region=fes, title_ar="المعرض الأول للتعاونيات المبتكرة", title_fr="Salon des coopératives innovantes",
            kind=Edition.Kind.THEMATIC_FAIR, starts_on=date.today() + timedelta(days=20),
            ends_on=date.today() + timedelta(days=24), status=Edition.Status.SELECTION_PUBLISHED)
        Pole.objects.create(edition=edition, name_ar="فضاء العرض", name_fr="Espace d'exposition", capacity=80)
    return edition


@pytest.fixture
def exhibitor(fair, make_org, make_product, fes_staff):
    """An organization exhibiting at the fair, with products of the given sector."""

    def make(name, sector="handicrafts", province="03.131"):
        org = make_org(name, f"Coop {name}", province=province, sector=sector)
        make_product(org, f"منتوج {name}", category=sector)
        with scopes_disabled():
            Application.objects.create(edition=fair, organization=org, created_by=fes_staff,
                                       status=Application.Status.CONFIRMED)
        return org

    return make


@pytest.fixture
def prize(fair):
    now = timezone.now()
    with scopes_disabled():
        prize = Prize.objects.create(
            edition=fair, title_ar="جائزة الإبداع", title_fr="Prix de l'innovation", status=Prize.Status.CANDIDACY,
            candidacy_closes_at=now + timedelta(days=5), scoring_closes_at=now + timedelta(days=10),
            jurors_per_candidacy=2, winners_per_category=2)
        for position, key in enumerate(["handicrafts", "terroir", "pastries"]):
            sector = Sector.objects.get(key=key)
            Category.objects.create(prize=prize, name_ar=sector.name_ar, name_fr=sector.name_fr, sector=sector,
                                    position=position)
        Criterion.objects.create(prize=prize, name_ar="الابتكار", name_fr="Innovation", weight=2, max_points=10)
        Criterion.objects.create(prize=prize, name_ar="الجودة", name_fr="Qualité", weight=1, max_points=5)
    return prize


@pytest.fixture
def category(prize):
    with scopes_disabled():
        return prize.categories.get(sector__key="handicrafts")


@pytest.fixture
def representative(make_user):
    def make(org, email):
        user = make_user(email)
        with scopes_disabled():
            Representation.objects.create(user=user, organization=org, status=Representation.Status.APPROVED)
        return user

    return make


@pytest.fixture
def jury(prize, make_user, fes):
    """Three jurors who accepted (the first is the shared ``juror.fes`` user's twin, in Fès)."""
    from tadamon.core.models import Role

    users = [make_user(f"juror{n}@example.ma", Role.JUROR, fes) for n in range(3)]
    members = []
    with scopes_disabled():
        for user in users:
            member = services.invite_juror(None, prize, name=user.email, email=user.email)
            members.append(services.accept_invitation(user, member.token))
    return list(zip(users, members, strict=True))


@pytest.fixture
def scored_prize(prize, category, exhibitor, jury, fes_staff):
    """Four candidacies in one category, assigned, and every sheet submitted; scoring open."""
    with scopes_disabled():
        for n in range(4):
            services.nominate(fes_staff, prize, exhibitor(f"تعاونية {n}"), category, "منتوج مبتكر")
        prize.status = Prize.Status.SCORING
        prize.save()
        services.run_assignment(fes_staff, prize)
        criteria = list(prize.criteria.all())
        for user, member in jury:
            for sheet in member.assignments.all():
                quality = sheet.candidacy_id % 4
                services.save_scores(user, sheet, {str(c.pk): min(c.max_points, 2 + quality) for c in criteria},
                                     submit=True)
    return prize
