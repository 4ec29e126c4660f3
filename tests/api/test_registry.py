"""The public API v1 of the registry: shapes, values, search, filters, errors, privacy."""

import json

import pytest
from django.urls import NoReverseMatch, reverse
from django_scopes import scopes_disabled

from tadamon.core.models import Province, Region
from tadamon.registry.models import Organization

from .conftest import PRIVATE_STRINGS, REPRESENTATIVE_EMAIL

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
ORGANIZATION_ITEM = {"id", "name_ar", "name_fr", "legal_form", "province", "region", "sector", "women_led", "url"}
ORGANIZATION_DETAIL = ORGANIZATION_ITEM | {
    "registration_number", "created_on", "commune", "activities", "description_ar", "description_fr",
    "members_total", "members_women", "members_youth", "website", "facebook", "instagram", "logo", "verified",
    "products",
}
PRODUCT = {"id", "name_ar", "name_fr", "description_ar", "description_fr", "category", "price", "unit", "photos",
           "sanitary_authorization", "terroir_label", "origin_label"}
PRODUCT_ITEM = PRODUCT | {"organization"}


def get(client, path, **params):
    response = client.get(BASE + path, params)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def ids(response):
    return [item["id"] for item in response.json()["items"]]


# ---- regions and provinces -------------------------------------------------------------------

def test_regions(client):
    response = get(client, "/regions")
    assert response.status_code == 200
    data = response.json()
    assert len(data) == Region.objects.count() == 12
    assert [r["code"] for r in data] == sorted(r["code"] for r in data)
    assert all(set(r) == {"code", "name_ar", "name_fr"} for r in data)
    fes = next(r for r in data if r["code"] == "03")
    assert fes["name_fr"] == Region.objects.get(code="03").name_fr


def test_provinces(client):
    data = get(client, "/provinces").json()
    assert len(data) == Province.objects.count()
    assert all(set(p) == {"code", "region", "name_ar", "name_fr"} for p in data)
    fes = get(client, "/provinces", region="03").json()
    assert {p["region"] for p in fes} == {"03"}
    boulemane = next(p for p in fes if p["code"] == "03.131")
    assert (boulemane["name_fr"], boulemane["name_ar"]) == ("Boulemane", "بولمان")
    assert len(fes) == Province.objects.filter(region__code="03").count()
    assert get(client, "/provinces", region="").json() == data


def test_provinces_of_an_unknown_or_malformed_region(client):
    assert get(client, "/provinces", region="99").json() == []
    response = get(client, "/provinces", region="Fes")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "region"]


# ---- organizations ---------------------------------------------------------------------------

def test_organization_list_shape_and_values(client, registry_data):
    response = get(client, "/organizations")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "items"}
    public = ["argan", "honey", "pottery", "saffron"]
    assert data["count"] == 4
    assert sorted(ids(response)) == sorted(registry_data[k].pk for k in public)
    # Without a search, by Arabic name.
    assert [i["name_ar"] for i in data["items"]] == sorted(i["name_ar"] for i in data["items"])
    for item in data["items"]:
        assert set(item) == ORGANIZATION_ITEM
    argan = registry_data["argan"]
    item = next(i for i in data["items"] if i["id"] == argan.pk)
    assert item == {
        "id": argan.pk, "name_ar": argan.name_ar, "name_fr": argan.name_fr, "legal_form": "cooperative",
        "province": "03.131", "region": "03", "sector": "cosmetics", "women_led": True,
        "url": f"http://testserver/ar/organizations/{argan.pk}/",
    }
    pottery = next(i for i in data["items"] if i["id"] == registry_data["pottery"].pk)
    assert (pottery["legal_form"], pottery["province"], pottery["region"], pottery["women_led"]) == (
        "association", "07.351", "07", False)


def test_url_is_the_public_page(registry_data):
    """The URL format is the registry's public page (checked once that page is routed)."""
    pk = registry_data["argan"].pk
    try:
        path = reverse("registry:organization", args=[pk])
    except NoReverseMatch:
        pytest.skip("the public organization page is not routed yet")
    assert path == f"/ar/organizations/{pk}/"


def test_search_ranks_best_match_first(client, registry_data):
    # "argan" is in the name of Tifaouine, only in the description of Abeille d'Or.
    response = get(client, "/organizations", q="argan")
    assert ids(response) == [registry_data["argan"].pk, registry_data["honey"].pk]
    assert response.json()["count"] == 2
    # Arabic, without the hamza of the stored name.
    assert ids(get(client, "/organizations", q="زيت الاركان"))[0] == registry_data["argan"].pk
    # A typo.
    assert ids(get(client, "/organizations", q="poteries"))[:1] == [registry_data["pottery"].pk]
    # The inactive "Coopérative fermée d'argan" and the merged duplicate never show.
    assert registry_data["closed"].pk not in ids(get(client, "/organizations", q="fermée"))
    assert ids(get(client, "/organizations", q="doublon")) == []


@pytest.mark.parametrize("params,expected", [
    ({"region": "07"}, ["pottery", "saffron"]),
    ({"region": "03"}, ["argan", "honey"]),
    ({"province": "07.351"}, ["pottery"]),
    ({"legal_form": "association"}, ["pottery"]),
    ({"legal_form": "cooperative", "region": "07"}, ["saffron"]),
    ({"sector": "handicrafts"}, ["pottery"]),
    ({"sector": "cosmetics", "q": "argan"}, ["argan"]),
    ({"region": "03", "province": "07.351"}, []),
    ({"q": "argan", "region": "07"}, []),
    ({"region": "", "province": "", "legal_form": "", "sector": "", "q": ""},
     ["argan", "honey", "pottery", "saffron"]),
])
def test_organization_filters(client, registry_data, params, expected):
    response = get(client, "/organizations", **params)
    assert response.status_code == 200
    assert sorted(ids(response)) == sorted(registry_data[k].pk for k in expected)
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("query", ["\x00argan", 'argan" OR "x', "argan*", "-argan", "argan:*", "' OR 1=1 --",
                                   "(argan", "NEAR(a b)", "!!!", " ", "\u200f", "ﷺ", "😀", "a" * 200])
@pytest.mark.parametrize("path", ["/organizations", "/products"])
def test_odd_searches_are_answered(client, registry_data, path, query):
    response = get(client, path, q=query)
    assert response.status_code == 200
    assert response.json()["count"] >= 0


@pytest.mark.parametrize("params", [{"region": "99"}, {"province": "03.999"}, {"sector": "fishing"},
                                    {"region": "99", "q": "argan"}])
def test_unknown_codes_match_nothing(client, registry_data, params):
    response = get(client, "/organizations", **params)
    assert response.status_code == 200
    assert response.json() == {"count": 0, "items": []}


@pytest.mark.parametrize("params,where", [
    ({"page": "0"}, "page"), ({"page": "-1"}, "page"), ({"page": "two"}, "page"), ({"page": "1.5"}, "page"),
    ({"page": "100001"}, "page"), ({"region": "3"}, "region"), ({"province": "Boulemane"}, "province"),
    ({"legal_form": "company"}, "legal_form"), ({"sector": "a b"}, "sector"), ({"q": "x" * 201}, "q"),
])
def test_malformed_parameters_are_422(client, registry_data, params, where):
    response = get(client, "/organizations", **params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", where]


def test_pagination(client, make_org):
    created = [make_org(f"تعاونية رقم {n:02d}", f"Coopérative {n:02d}") for n in range(25)]
    first = get(client, "/organizations", page=1).json()
    second = get(client, "/organizations", page="2").json()
    assert first["count"] == second["count"] == 25
    assert len(first["items"]) == 20 and len(second["items"]) == 5
    got = [i["id"] for i in first["items"] + second["items"]]
    assert sorted(got) == sorted(o.pk for o in created)
    assert get(client, "/organizations").json() == first  # page 1 by default
    assert get(client, "/organizations", page=3).json() == {"count": 25, "items": []}
    searched = get(client, "/organizations", q="cooperative", page=2).json()
    assert searched["count"] == 25 and len(searched["items"]) == 5


def test_organization_detail(client, registry_data):
    argan, oil, cream = registry_data["argan"], registry_data["oil"], registry_data["cream"]
    response = get(client, f"/organizations/{argan.pk}")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == ORGANIZATION_DETAIL
    assert {k: data[k] for k in ORGANIZATION_ITEM} == next(
        i for i in get(client, "/organizations").json()["items"] if i["id"] == argan.pk)
    assert data["registration_number"] == "ODCO-2019-17"
    assert data["commune"] == "Outat El Haj"
    assert data["description_fr"] == "Huile d'argan pressée à la main"
    assert (data["members_total"], data["members_women"], data["members_youth"]) == (24, 20, 6)
    assert data["created_on"] is None and data["logo"] is None and data["verified"] is False
    assert data["website"] == "https://tifaouine.example.ma"
    # Shown products only, by Arabic name.
    assert [p["id"] for p in data["products"]] == [oil.pk, cream.pk]  # زيت before كريم
    for product in data["products"]:
        assert set(product) == PRODUCT
    oil_data = data["products"][0]
    assert oil_data == {
        "id": oil.pk, "name_ar": "زيت أركان غذائي", "name_fr": "Huile d'argan alimentaire", "description_ar": "",
        "description_fr": "Huile vierge", "category": "terroir", "price": 120.5, "unit": "l",
        "photos": ["http://testserver/media/products/2025/01/oil-1.jpg",
                   "http://testserver/media/products/2025/01/oil-2.jpg"],
        "sanitary_authorization": "ONSSA-123", "terroir_label": True, "origin_label": "IGP Argane",
    }
    assert data["products"][1]["price"] is None  # price on request
    assert data["products"][1]["photos"] == []


def test_merged_organization_detail_has_the_moved_products(client, registry_data):
    honey = get(client, f"/organizations/{registry_data['honey'].pk}").json()
    assert [p["id"] for p in honey["products"]] == [registry_data["thyme"].pk]
    assert honey["products"][0]["price"] == 200.0


@pytest.mark.parametrize("which", ["closed", "duplicate"])
def test_inactive_and_merged_organizations_are_404(client, registry_data, which):
    response = get(client, f"/organizations/{registry_data[which].pk}")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("value,status", [("999999", 404), (str(2**63 - 1), 404), ("0", 422), ("-3", 422),
                                          ("abc", 422), (str(2**63), 422), ("1e3", 422)])
def test_unknown_or_malformed_organization_ids(client, registry_data, value, status):
    assert get(client, f"/organizations/{value}").status_code == status


# ---- products --------------------------------------------------------------------------------

def test_product_list(client, registry_data):
    response = get(client, "/products")
    assert response.status_code == 200
    data = response.json()
    shown = ["oil", "cream", "thyme", "vase"]
    assert data["count"] == 4
    # Newest first without a search.
    assert ids(response) == [registry_data[k].pk for k in reversed(shown)]
    for item in data["items"]:
        assert set(item) == PRODUCT_ITEM
        assert set(item["organization"]) == {"id", "name_ar", "name_fr", "url"}
    vase = data["items"][0]
    pottery = registry_data["pottery"]
    assert vase["organization"] == {"id": pottery.pk, "name_ar": pottery.name_ar, "name_fr": pottery.name_fr,
                                    "url": f"http://testserver/ar/organizations/{pottery.pk}/"}
    assert vase["category"] == "handicrafts" and vase["unit"] == "piece"
    oil = next(i for i in data["items"] if i["id"] == registry_data["oil"].pk)
    assert {k: v for k, v in oil.items() if k != "organization"} == next(
        p for p in get(client, f"/organizations/{registry_data['argan'].pk}").json()["products"]
        if p["id"] == oil["id"])


def test_product_search(client, registry_data):
    response = get(client, "/products", q="argan")
    found = ids(response)
    # Names first; hidden products and products of inactive organizations never.
    assert found[:2] == [registry_data["oil"].pk, registry_data["cream"].pk] or \
        found[:2] == [registry_data["cream"].pk, registry_data["oil"].pk]
    assert registry_data["hidden"].pk not in found
    assert registry_data["closed_oil"].pk not in found
    assert ids(get(client, "/products", q="عسل")) == [registry_data["thyme"].pk]
    assert ids(get(client, "/products", q="thym miel")) == [registry_data["thyme"].pk]
    assert get(client, "/products", q="argan", page=2).json()["items"] == []
    assert get(client, "/products", page=0).status_code == 422


def test_product_search_best_match_first(client, make_org, make_product):
    org = make_org("تعاونية الأطلس", "Coopérative Atlas")
    weak = make_product(org, "صابون", "Savon beldi", description_fr="Au miel")
    strong = make_product(org, "عسل", "Miel de montagne")
    assert ids(get(client, "/products", q="miel")) == [strong.pk, weak.pk]


# ---- privacy, access, caching ----------------------------------------------------------------

def all_responses(client, data):
    paths = ["/regions", "/provinces", "/organizations", "/products", "/organizations?q=argan",
             "/products?q=argan", f"/organizations/{data['argan'].pk}", f"/organizations/{data['honey'].pk}"]
    return {path: client.get(BASE + path) for path in paths}


def test_no_personal_data(client, registry_data):
    for path, response in all_responses(client, registry_data).items():
        assert response.status_code == 200, path
        text = json.dumps(response.json(), ensure_ascii=False)
        for private in PRIVATE_STRINGS:
            assert private not in text, (path, private)
        for key in ("email", "phone", "leader_name", "address", "representations", "representatives", "user",
                    "users", "documents", "claims", "is_active", "merged_into", "verified_by"):
            assert f'"{key}"' not in text, (path, key)
    assert REPRESENTATIVE_EMAIL in PRIVATE_STRINGS


def test_same_answers_for_every_user(client, registry_data, marrakech_staff, national_admin):
    """Region scopes of signed-in users change nothing: the API reads only public data."""
    anonymous = {p: r.json() for p, r in all_responses(client, registry_data).items()}
    for user in (marrakech_staff, national_admin):
        client.force_login(user)
        assert {p: r.json() for p, r in all_responses(client, registry_data).items()} == anonymous
        client.logout()


def test_cache_control(client, registry_data):
    responses = all_responses(client, registry_data)
    responses["404"] = client.get(BASE + "/organizations/999999")
    responses["422"] = client.get(BASE + "/organizations?page=0")
    responses["openapi"] = client.get(BASE + "/openapi.json")
    for path, response in responses.items():
        assert response["Cache-Control"] == "public, max-age=60", path


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only(client, registry_data, method):
    org = registry_data["argan"]
    for path in ("/organizations", f"/organizations/{org.pk}", "/products", "/regions"):
        response = getattr(client, method)(BASE + path, data={"name_ar": "x"}, content_type="application/json")
        assert response.status_code == 405, (method, path)
    with scopes_disabled():
        assert Organization.objects.get(pk=org.pk).name_ar == org.name_ar


# ---- OpenAPI and docs ------------------------------------------------------------------------

def test_openapi_description(client):
    response = client.get(BASE + "/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["version"] == "1"
    assert schema["security"] == []
    assert set(schema["paths"]) == {f"{BASE}/{p}" for p in (
        "regions", "provinces", "organizations", "organizations/{id}", "products",
        "editions", "editions/{id}", "editions/{id}/exhibitors",
        "prizes", "prizes/{id}", "prizes/{id}/categories", "prizes/{id}/winners",
        "indicators", "indicators.csv", "action-plans")}
    for operations in schema["paths"].values():
        assert set(operations) == {"get"}
        assert "security" not in operations["get"]
    operation_ids = {path.removeprefix(BASE): ops["get"]["operationId"] for path, ops in schema["paths"].items()}
    assert operation_ids == {"/regions": "list_regions", "/provinces": "list_provinces",
                             "/organizations": "list_organizations", "/organizations/{id}": "get_organization",
                             "/products": "list_products", "/editions": "list_editions",
                             "/editions/{id}": "get_edition", "/editions/{id}/exhibitors": "list_exhibitors",
                             "/prizes": "list_prizes", "/prizes/{id}": "get_prize",
                             "/prizes/{id}/categories": "list_prize_categories",
                             "/prizes/{id}/winners": "list_prize_winners",
                             "/indicators": "indicators", "/indicators.csv": "indicators_csv",
                             "/action-plans": "list_action_plans"}
    parameters = {p["name"] for p in schema["paths"][f"{BASE}/organizations"]["get"]["parameters"]}
    assert parameters == {"q", "region", "province", "legal_form", "sector", "page"}
    components = schema["components"]["schemas"]
    assert set(components["OrganizationItem"]["properties"]) == ORGANIZATION_ITEM
    assert set(components["OrganizationDetail"]["properties"]) == ORGANIZATION_DETAIL
    assert set(components["Product"]["properties"]) == PRODUCT


def test_docs_page_uses_no_cdn(client):
    response = client.get(BASE + "/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.svg"):
        url = f"{BASE}/docs/assets/{asset}"
        assert url in html or asset == "favicon.svg"
        served = client.get(url)
        assert served.status_code == 200
        assert b"".join(served.streaming_content)
    assert client.get(BASE + "/docs/assets/swagger-ui-bundle.js.map").status_code == 404
    assert client.get(BASE + "/docs/assets/..%2F..%2F__init__.py").status_code == 404
