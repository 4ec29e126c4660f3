"""The fairs' endpoints: editions, poles and partners; exhibitors only after publication."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.fairs.models import Application, Edition, EditionPartner, Institution, Pole


@pytest.fixture
def editions(fes, marrakech, make_org, plain_user):
    with scopes_disabled():
        draft = Edition.objects.create(region=fes, title_ar="مسودة", title_fr="Brouillon", starts_on=date.today(),
                                       ends_on=date.today())
        fair = Edition.objects.create(
            region=fes, title_ar="المعرض الجهوي", title_fr="Salon régional", number=3, slogan_ar="شعار",
            starts_on=date(2025, 5, 15), ends_on=date(2025, 5, 24), status=Edition.Status.CALL_CLOSED,
            venue_name_fr="Hippodrome", area_m2=1500)
        pole = Pole.objects.create(edition=fair, kind="products", name_ar="قطب المنتوجات", name_fr="Pôle produits",
                                   capacity=260, stands=130)
        council = Institution.objects.create(name_ar="مجلس جهة فاس مكناس", name_fr="Conseil régional Fès-Meknès")
        EditionPartner.objects.create(edition=fair, institution=council, role="organizer")
        other = Edition.objects.create(region=marrakech, title_ar="معرض مراكش", title_fr="Salon de Marrakech",
                                       starts_on=date(2025, 1, 27), ends_on=date(2025, 2, 2),
                                       status=Edition.Status.CLOSED)
        chosen = make_org("تعاونية مختارة", "Coopérative choisie")
        refused = make_org("تعاونية مرفوضة", "Coopérative refusée")
        Application.objects.create(edition=fair, organization=chosen, pole=pole, status=Application.Status.SELECTED,
                                   region=fes, created_by=plain_user)
        Application.objects.create(edition=fair, organization=refused, pole=pole,
                                   status=Application.Status.REJECTED, region=fes, created_by=plain_user)
    return {"draft": draft, "fair": fair, "other": other, "pole": pole, "chosen": chosen, "refused": refused}


@pytest.mark.django_db
def test_list_hides_drafts_and_filters_by_region(client, editions):
    body = client.get("/api/v1/editions").json()
    assert {e["id"] for e in body["items"]} == {editions["fair"].pk, editions["other"].pk}
    assert body["count"] == 2
    only_fes = client.get("/api/v1/editions?region=03").json()
    assert [e["id"] for e in only_fes["items"]] == [editions["fair"].pk]
    assert client.get("/api/v1/editions?region=3x").status_code == 422


@pytest.mark.django_db
def test_detail_has_poles_and_partners(client, editions):
    body = client.get(f"/api/v1/editions/{editions['fair'].pk}").json()
    assert body["number"] == 3 and body["area_m2"] == 1500 and body["venue_fr"] == "Hippodrome"
    assert body["poles"] == [{"id": editions["pole"].pk, "kind": "products", "name_ar": "قطب المنتوجات",
                              "name_fr": "Pôle produits", "capacity": 260, "stands": 130}]
    assert body["partners"][0]["role"] == "organizer"
    assert client.get(f"/api/v1/editions/{editions['draft'].pk}").status_code == 404


@pytest.mark.django_db
def test_exhibitors_public_only_after_publication(client, editions):
    url = f"/api/v1/editions/{editions['fair'].pk}/exhibitors"
    assert client.get(url).status_code == 404
    with scopes_disabled():
        fair = editions["fair"]
        fair.status = Edition.Status.SELECTION_PUBLISHED
        fair.selection_published_at = timezone.now() - timedelta(minutes=1)
        fair.save()
    body = client.get(url).json()
    assert body["count"] == 1
    assert body["items"][0]["name_ar"] == "تعاونية مختارة" and body["items"][0]["pole"] == editions["pole"].pk
    assert client.get(f"/api/v1/editions/{editions['draft'].pk}/exhibitors").status_code == 404
