"""Dashboards (national, regional: another region is a 404), providers' figures, the comparisons and the
open data (aggregates only, JSON and CSV)."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from tadamon.core.signals import indicator_providers
from tadamon.fairs import sales
from tadamon.insights import indicators

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def provider():
    def programmes(region):
        return [("support.beneficiaries", "مستفيدون من برنامج مواكبة", 42 if region is not None else 420)]

    indicator_providers.append(programmes)
    yield programmes
    indicator_providers.remove(programmes)


def test_registry_figures(running_fair):
    totals = indicators.registry_figures(running_fair["edition"].region)
    assert totals["organizations"] == 2 and totals["members"] == 40 and totals["women_members"] == 28
    assert totals["women_members_share"] == 70.0 and totals["women_led"] == 1 and totals["women_led_share"] == 50.0
    provinces = {p["code"]: p["organizations"] for p in indicators.by_province(running_fair["edition"].region)}
    assert provinces["03.231"] == 1 and provinces["03.451"] == 1 and len(provinces) == 9


def test_dashboard_permissions(running_fair, client, client_for, national_admin, fes_staff, fes_partner,
                               marrakech_staff, provider):
    representative = running_fair["exhibitors"][0][0]
    home, fes_url = reverse("insights:home"), reverse("insights:region", args=["03"])
    assert client.get(home).status_code == 302 and "/login/" in client.get(home)["Location"]
    assert client_for(representative).get(home).status_code == 403
    assert client_for(fes_partner).get(home)["Location"].endswith(fes_url)
    page = client_for(fes_partner).get(fes_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "مستفيدون من برنامج مواكبة" in body and ">42<" in body  # the provider's figure
    assert 'data-code="03.231"' in body and "<polygon" in body  # the map of the region's provinces
    assert client_for(marrakech_staff).get(fes_url).status_code == 404
    assert client_for(fes_staff).get(reverse("insights:region", args=["07"])).status_code == 404
    national = client_for(national_admin).get(home)
    assert national.status_code == 200 and national.content.decode().count("<polygon") == 75
    assert ">420<" in national.content.decode()


def test_dashboard_is_cached(running_fair, client_for, fes_staff, django_assert_max_num_queries):
    client = client_for(fes_staff)
    url = reverse("insights:region", args=["03"])
    client.get(url)
    with django_assert_max_num_queries(12):  # session, user, roles, editions list: no figure recomputed
        assert client.get(url).status_code == 200


def test_comparisons(running_fair, client_for, fes_staff):
    user, _org, application = running_fair["exhibitors"][0]
    sales.declare_sales(user, application, running_fair["today"], "800")
    client = client_for(fes_staff)
    edition = running_fair["edition"]
    page = client.get(reverse("insights:compare") + f"?editions={edition.pk}")
    assert page.status_code == 200 and "800" in page.content.decode()
    year = running_fair["today"].year
    page = client.get(reverse("insights:compare_regions") + f"?regions=03&regions=07&year={year}")
    assert page.status_code == 200
    assert client.get(reverse("insights:compare_regions") + "?year=abc").status_code == 200


def test_open_data_json_and_csv(running_fair, client):
    user, _org, application = running_fair["exhibitors"][0]
    sales.declare_sales(user, application, running_fair["today"], "800")
    data = client.get("/api/v1/indicators?region=03").json()
    assert data["licence"].startswith("Licence Ouverte")
    assert {d["indicator"] for d in data["dictionary"]} >= {"organizations", "women_led_share", "sales"}
    rows = {(r["level"], r["code"], r["year"], r["indicator"]): r["value"] for r in data["rows"]}
    assert rows[("region", "03", "", "organizations")] == 2
    assert rows[("region", "03", running_fair["today"].year, "sales")] == 800
    assert rows[("province", "03.231", "", "organizations")] == 1
    edition = running_fair["edition"]
    assert rows[("edition", str(edition.pk), edition.starts_on.year, "sales")] == 800
    assert rows[("edition", str(edition.pk), edition.starts_on.year, "exhibitors")] == 2
    response = client.get("/api/v1/indicators.csv")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["level"] for r in table} == {"country", "region", "province", "edition"}
    text = response.content.decode() + str(data)
    for private in ("0612345678", "rep.amal@example.ma", "تعاونية الأمل"):  # never personal or per-organization data
        assert private not in text
    assert client.get("/api/v1/indicators?region=99").status_code == 404
    assert client.get("/api/v1/indicators?region=x").status_code == 422
    page = client.get(reverse("insights:open_data"))
    assert page.status_code == 200 and "Etalab" in page.content.decode()
