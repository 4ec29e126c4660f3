"""Fixtures of the fair's operations: an edition of Fès-Meknès running today (from two days ago to two
days ahead) with two confirmed exhibitors, each with an approved representative and two products."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.fairs.models import Application, Edition, Pole
from tadamon.registry.models import Representation

EXHIBITORS = [
    ("rep.amal@example.ma", "تعاونية الأمل للزرابي", "Coopérative Al Amal", "handicrafts", True, "03.231"),
    ("rep.asal@example.ma", "تعاونية العسل الحر", "Coopérative du miel pur", "terroir", False, "03.451"),
]


@pytest.fixture(name="running_fair")
def running_fair_fixture(fes, make_user, make_org, make_product, fes_staff):
    today = timezone.localdate()
    with scopes_disabled():
        edition = Edition.objects.create(
            region=fes, title_ar="المعرض الجهوي الخامس للاقتصاد الاجتماعي والتضامني",
            title_fr="5e Salon régional de l'ESS", number=5, starts_on=today - timedelta(days=2),
            ends_on=today + timedelta(days=2), status=Edition.Status.RUNNING,
            selection_published_at=timezone.now() - timedelta(days=20))
        pole = Pole.objects.create(edition=edition, name_ar="قطب المنتوجات", name_fr="Pôle des produits",
                                   capacity=10, stands=5)
        exhibitors = []
        for email, name_ar, name_fr, sector, women_led, province in EXHIBITORS:
            user = make_user(email, phone="0612345678")
            org = make_org(name_ar, name_fr, province=province, sector=sector, women_led=women_led,
                           created_on=date(2016, 3, 1), members_total=20, members_women=14, members_youth=6)
            Representation.objects.create(user=user, organization=org, status=Representation.Status.APPROVED)
            make_product(org, "زربية من الصوف" if sector == "handicrafts" else "عسل الزعتر", category=sector)
            make_product(org, "وسادة مطرزة" if sector == "handicrafts" else "عسل الدغموس", category=sector)
            application = Application.objects.create(edition=edition, organization=org, created_by=fes_staff,
                                                     pole=pole, status=Application.Status.CONFIRMED,
                                                     declaration_accepted=True)
            exhibitors.append((user, org, application))
    return {"edition": edition, "pole": pole, "exhibitors": exhibitors, "today": today}
