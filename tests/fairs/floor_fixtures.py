"""Fixtures of the floor plan tests: an edition whose selection is published, with a drawn plan and
selected exhibitors (each with an approved representative who has a phone)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.fairs import floor_services
from tadamon.fairs.floor_models import Area, PlanSpace
from tadamon.fairs.floorplan import GridSpec
from tadamon.fairs.models import Application, Edition, Pole
from tadamon.registry.models import Representation

EXHIBITORS = [
    ("تعاونية الأمل للزرابي", "Coopérative Al Amal des tapis", "handicrafts"),
    ("تعاونية زيت الزيتون صفرو", "Coopérative huile d'olive Sefrou", "terroir"),
    ("جمعية نساء فاس للطرز", "Association des femmes de Fès pour la broderie", "handicrafts"),
    ("تعاونية العسل الحر", "Coopérative du miel pur", "terroir"),
    ("تعاونية الحلويات التقليدية", "Coopérative des pâtisseries traditionnelles", "terroir"),
    ("تعاونية الفخار الأصيل", "Coopérative de la poterie authentique", "handicrafts"),
]


@pytest.fixture(name="fair")
def fair_fixture(fes, make_user, make_org, make_product, fes_staff):
    """An edition of Fès-Meknès with its selection published, two poles, an area with a 2 × 4 grid
    of stands for 2 exhibitors each in the products pole and one stand in the international pole,
    an AGORA, and six selected exhibitors in the products pole."""
    with scopes_disabled():
        edition = Edition.objects.create(
            region=fes, title_ar="المعرض الجهوي الثالث", title_fr="3e Salon régional", number=3,
            starts_on=date.today() - timedelta(days=1), ends_on=date.today() + timedelta(days=8),
            status=Edition.Status.SELECTION_PUBLISHED, selection_published_at=timezone.now(),
            venue_name_ar="حلبة سباق الخيل", venue_name_fr="Hippodrome")
        products = Pole.objects.create(edition=edition, kind="products", name_ar="قطب المنتوجات",
                                       name_fr="Pôle des produits", capacity=16, stands=8, position=0)
        international = Pole.objects.create(edition=edition, kind="international", name_ar="قطب التعاون الدولي",
                                            name_fr="Pôle international", capacity=2, stands=1, position=1,
                                            accepts_applications=False)
        hall = Area.objects.create(edition=edition, name_ar="الخيمة الكبرى", name_fr="Grand chapiteau",
                                   x=0, y=0, width=40, depth=24)
    floor_services.generate_grid(fes_staff, edition, pole=products, area=hall, prefix="P",
                                 spec=GridSpec(rows=2, columns=4, stand_width=3, stand_depth=3, aisle=3, x=2, y=2))
    floor_services.generate_grid(fes_staff, edition, pole=international, area=hall, prefix="I",
                                 spec=GridSpec(rows=1, columns=1, stand_width=4, stand_depth=4, aisle=3, x=20, y=2))
    with scopes_disabled():
        PlanSpace.objects.create(edition=edition, area=hall, kind=PlanSpace.Kind.AGORA, x=28, y=12, width=8,
                                 depth=8)
    applications = []
    for n, (name_ar, name_fr, sector) in enumerate(EXHIBITORS):
        user = make_user(f"rep{n}@example.ma", phone=f"06123456{n:02d}", first_name=f"Fatima{n}",
                         last_name="Alaoui", language="ar" if n % 2 == 0 else "fr")
        org = make_org(name_ar, name_fr, sector=sector, registration_number=f"R{n}", phone=f"05350000{n:02d}")
        product = make_product(org, f"منتوج {name_ar}", f"Produit {n}")
        with scopes_disabled():
            Representation.objects.create(user=user, organization=org, status=Representation.Status.APPROVED)
            application = Application.objects.create(
                edition=edition, organization=org, created_by=user, pole=products,
                status=Application.Status.CONFIRMED if n % 2 else Application.Status.SELECTED,
                needs_power=n == 0, needs_step_free=n == 1, declaration_accepted=True)
            application.products.set([product])
        applications.append(application)
    return {"edition": edition, "products": products, "international": international, "hall": hall,
            "applications": applications}


@pytest.fixture(autouse=True)
def arabic():
    """Each test starts in Arabic (a request in French leaves French active in the test's thread)."""
    from django.utils import translation

    translation.activate("ar")
    yield
    translation.activate("ar")
