"""The public directory: filters, search, pages, redirects and access without any scope."""

import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from tadamon.core.middleware import SESSION_REGION_KEY
from tadamon.registry import demo_pictures, services
from tadamon.registry.models import LegalForm, ProductPhoto, Representation
from tadamon.registry.views.public import PER_PAGE, format_price, tel_link


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, *args, lang="ar"):
    with translation.override(lang):
        return reverse(f"registry:{name}", args=args)


def names(response):
    return {o.name_fr for o in response.context["organizations"]}


@pytest.fixture
def directory(make_org, make_product, fes, marrakech):
    argan = make_org("تعاونية تيفاوين لإنتاج زيت الأركان", "Coopérative Tifaouine d'huile d'argan",
                     province="07.211", sector="cosmetics", women_led=True, verified_at=timezone.now(),
                     description_ar="زيت أركان تقليدي معصور يدويا", description_fr="Huile d'argan traditionnelle",
                     registration_number="ODCO-2004-00001", members_total=46, members_women=44, members_youth=12,
                     phone="0612345678", email="tifaouine@demo.tadamon.ma", commune="تمنار",
                     leader_name="حفيظة أوبلا", website="https://tifaouine.demo.tadamon.ma")
    honey = make_org("تعاونية النحلة الذهبية", "Coopérative l'Abeille d'Or", province="03.451",
                     description_fr="Miel de thym et d'euphorbe")
    pottery = make_org("جمعية الفخار الأصيل", "Association Poterie Authentique", sector="handicrafts",
                       province="07.431", legal_form=LegalForm.ASSOCIATION)
    zellige = make_org("تعاونية الزليج الفاسي", "Coopérative Zellige Fassi", sector="handicrafts", province="03.231")
    hidden = make_org("تعاونية متوقفة", "Coopérative Fermée", province="03.231", is_active=False)
    oil = make_product(argan, "زيت أركان غذائي", "Huile d'argan alimentaire", price=Decimal("1500"), unit="l",
                       sanitary_authorization="AS.211.123.19", terroir_label=True, origin_label="IGP Argane",
                       description_fr="Huile torréfiée")
    quote = make_product(pottery, "طاجين مزخرف", "Tajine décoré", category="handicrafts", price=None)
    make_product(honey, "عسل الزعتر", "Miel de thym", price=Decimal("250.50"), unit="kg")
    make_product(hidden, "منتوج مخفي", "Produit caché")
    with scopes_disabled():
        photo = ProductPhoto(product=oil, width=480, height=360)
        photo.image.save("oil.jpg", ContentFile(demo_pictures.draw("argan_oil", 0)), save=True)
    return {"argan": argan, "honey": honey, "pottery": pottery, "zellige": zellige, "hidden": hidden,
            "oil": oil, "quote": quote, "photo": photo}


# ---- the directory -------------------------------------------------------------------------------

def test_directory_lists_active_organizations_to_anonymous_visitors(client, directory):
    response = client.get(url("directory"))
    assert response.status_code == 200
    assert names(response) == {"Coopérative Tifaouine d'huile d'argan", "Coopérative l'Abeille d'Or",
                               "Association Poterie Authentique", "Coopérative Zellige Fassi"}
    assert response.context["total"] == 4
    html = response.content.decode()
    assert "تعاونية تيفاوين لإنتاج زيت الأركان" in html  # the Arabic name on the Arabic page
    assert "تعاونية متوقفة" not in html


@pytest.mark.parametrize("params,expected", [
    ({"region": "03"}, {"Coopérative l'Abeille d'Or", "Coopérative Zellige Fassi"}),
    ({"region": "07", "province": "07.431"}, {"Association Poterie Authentique"}),
    ({"province": "03.231"}, {"Coopérative Zellige Fassi"}),
    ({"legal_form": "association"}, {"Association Poterie Authentique"}),
    ({"sector": "handicrafts"}, {"Association Poterie Authentique", "Coopérative Zellige Fassi"}),
    ({"women_led": "on"}, {"Coopérative Tifaouine d'huile d'argan"}),
    ({"q": "zellige"}, {"Coopérative Zellige Fassi"}),
    ({"q": "miel", "region": "03"}, {"Coopérative l'Abeille d'Or"}),
])
def test_each_filter_narrows_the_results(client, directory, params, expected):
    response = client.get(url("directory", lang="fr"), params)
    assert response.status_code == 200
    assert names(response) == expected
    assert response.context["total"] == len(expected)


def test_a_misspelled_arabic_name_finds_the_cooperative(client, directory):
    # "تيفاوبن" has one wrong letter, and "الاركان" lacks its hamza
    response = client.get(url("directory"), {"q": "تيفاوبن الاركان"})
    assert names(response) == {"Coopérative Tifaouine d'huile d'argan"}


def test_best_matches_come_first(client, make_org):
    make_org("جمعية الأمل", "Association Al Amal", description_fr="Elle vend aussi du miel")
    make_org("تعاونية العسل الحر", "Coopérative Miel Pur")
    response = client.get(url("directory", lang="fr"), {"q": "miel"})
    ordered = [o.name_fr for o in response.context["organizations"]]
    assert ordered == ["Coopérative Miel Pur", "Association Al Amal"]


def test_invalid_filters_say_so_and_change_nothing(client, directory):
    response = client.get(url("directory", lang="en"), {"region": "03", "province": "07.431", "sector": "nope"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "province" in form.errors and "sector" in form.errors
    assert names(response) == {"Coopérative l'Abeille d'Or", "Coopérative Zellige Fassi"}


def test_pagination(client, make_org):
    for i in range(PER_PAGE + 5):
        make_org(f"تعاونية رقم {i:02d}", f"Coopérative {i:02d}", province="07.041")
    first = client.get(url("directory", lang="fr"), {"region": "07"})
    assert len(first.context["organizations"]) == PER_PAGE
    assert first.context["page"].paginator.num_pages == 2
    assert 'href="?region=07&amp;page=2"' in first.content.decode()
    second = client.get(url("directory", lang="fr"), {"region": "07", "page": 2})
    assert len(second.context["organizations"]) == 5
    assert not names(first) & names(second)
    assert len(names(first) | names(second)) == PER_PAGE + 5
    # past the end shows the last page, nonsense shows the first
    assert client.get(url("directory"), {"region": "07", "page": 99}).context["page"].number == 2
    assert client.get(url("directory"), {"region": "07", "page": "abc"}).context["page"].number == 1


def test_the_region_chosen_in_the_header_is_preselected(client, directory, marrakech):
    session = client.session
    session[SESSION_REGION_KEY] = marrakech.pk
    session.save()
    response = client.get(url("directory", lang="fr"))
    assert names(response) == {"Coopérative Tifaouine d'huile d'argan", "Association Poterie Authentique"}
    assert response.context["form"]["region"].value() == "07"
    assert "region=07" in response.context["query"]  # the next pages keep it
    # choosing "all regions" in the filters overrides the header
    response = client.get(url("directory", lang="fr"), {"region": ""})
    assert response.context["total"] == 4


def test_cards_show_badges_and_a_picture(client, directory):
    html = client.get(url("directory", lang="en"), {"region": "07"}).content.decode()
    cards = html.split('<li class="dir-card">')[1:]
    argan = next(c for c in cards if "Coopérative Tifaouine" in c)
    pottery = next(c for c in cards if "Association Poterie" in c)
    assert "Verified" in argan and "Led by women" in argan and "Cooperative" in argan and "Essaouira" in argan
    assert "Verified" not in pottery and "Led by women" not in pottery and "Association" in pottery
    photo = directory["photo"]
    assert re.search(rf'<img src="{re.escape(photo.image.url)}" width="480" height="360" loading="lazy" '
                     r'alt="Huile d&#x27;argan alimentaire">', argan)
    assert 'class="placeholder"' in pottery  # no photo, no logo


def test_export_link_only_for_people_who_may_read_the_registry(client, client_for, directory, fes_partner,
                                                               plain_user):
    anonymous = client.get(url("directory"), {"region": "03"})
    assert anonymous.context["export_url"] is None
    plain = client_for(plain_user).get(url("directory"), {"region": "03"})
    assert plain.context["export_url"] is None
    try:
        export = reverse("registry:export")
    except NoReverseMatch:
        export = None
    partner = client_for(fes_partner).get(url("directory"), {"region": "03", "women_led": "on"})
    if export is None:
        assert partner.context["export_url"] is None
    else:
        assert partner.context["export_url"].endswith("?region=03&women_led=on")
        assert "women_led=on" in partner.content.decode()


# ---- an organization's page ---------------------------------------------------------------------

def test_organization_page_content_and_open_graph(client, directory):
    argan = directory["argan"]
    response = client.get(url("organization", argan.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["تعاونية تيفاوين لإنتاج زيت الأركان", "Coopérative Tifaouine d&#x27;huile d&#x27;argan",
                 "ODCO-2004-00001", "تمنار", "حفيظة أوبلا", "زيت أركان تقليدي معصور يدويا",
                 'href="tel:+212612345678"', 'href="mailto:tifaouine@demo.tadamon.ma"',
                 "https://tifaouine.demo.tadamon.ma", "زيت أركان غذائي", "1 500\u00a0درهم", "(96%)"]:
        assert text in html, text
    assert '<meta property="og:title" content="تعاونية تيفاوين لإنتاج زيت الأركان">' in html
    assert '<meta property="og:locale" content="ar_MA">' in html
    assert f'<meta property="og:url" content="http://testserver/ar/organizations/{argan.pk}/">' in html
    assert f'<link rel="canonical" href="http://testserver/ar/organizations/{argan.pk}/">' in html
    assert f'<meta property="og:image" content="http://testserver{directory["photo"].image.url}">' in html
    assert 'hreflang="fr"' in html
    assert "og:description" in html
    assert "تم التحقق منها من طرف الفريق الجهوي" in html


def test_organization_page_in_french_uses_french(client, directory):
    html = client.get(url("organization", directory["argan"].pk, lang="fr")).content.decode()
    assert "<h1>Coopérative Tifaouine d&#x27;huile d&#x27;argan</h1>" in html
    assert "Huile d&#x27;argan traditionnelle" in html
    assert '<meta property="og:locale" content="fr_MA">' in html


def test_logo_is_the_open_graph_image_when_there_is_one(client, make_org):
    org = make_org("تعاونية الشعار", "Coopérative Logo")
    with scopes_disabled():
        org.logo.save("logo.jpg", ContentFile(demo_pictures.draw_logo(1)), save=True)
    html = client.get(url("organization", org.pk, lang="en")).content.decode()
    assert f'<meta property="og:image" content="http://testserver{org.logo.url}">' in html
    assert '<meta property="og:locale" content="en_US">' in html


def test_claim_link_for_visitors_not_for_the_representative(client, client_for, directory, plain_user):
    argan = directory["argan"]
    try:
        claim = url("claim", argan.pk)
    except NoReverseMatch:
        claim = None
    response = client.get(url("organization", argan.pk))
    assert response.context["claim_url"] == claim
    with scopes_disabled():
        Representation.objects.create(user=plain_user, organization=argan, status=Representation.Status.APPROVED)
    response = client_for(plain_user).get(url("organization", argan.pk, lang="en"))
    assert response.context["claim_url"] is None
    assert "You represent this organization." in response.content.decode()


def test_merged_organization_redirects_permanently(client, directory, national_admin, make_org):
    duplicate = make_org("تعاونية تيفاوين", "Coop Tifaouine (doublon)", province="07.211")
    with scopes_disabled():
        services.merge_organizations(national_admin, directory["argan"], duplicate)
    response = client.get(url("organization", duplicate.pk, lang="fr"))
    assert response.status_code == 301
    assert response["Location"] == url("organization", directory["argan"].pk, lang="fr")


def test_merge_chains_are_followed_and_cycles_are_not_found(client, make_org, national_admin):
    a, b, c = (make_org(f"تعاونية {n}", f"Coop {n}") for n in "ABC")
    with scopes_disabled():
        services.merge_organizations(national_admin, b, a)
        services.merge_organizations(national_admin, c, b)
    response = client.get(url("organization", a.pk))
    assert response.status_code == 301 and response["Location"] == url("organization", c.pk)


def test_inactive_and_unknown_organizations_are_not_found(client, directory):
    assert client.get(url("organization", directory["hidden"].pk)).status_code == 404
    assert client.get(url("organization", 999999)).status_code == 404


def test_regional_users_see_other_regions_public_pages(client_for, directory, fes_staff, fes_juror):
    """The public directory is public: a Fès-Meknès role does not hide Marrakech-Safi organizations."""
    for user in (fes_staff, fes_juror):
        client = client_for(user)
        assert client.get(url("organization", directory["pottery"].pk)).status_code == 200
        assert client.get(url("directory"), {"region": "07"}).context["total"] == 2
        assert client.get(url("product", directory["oil"].pk)).status_code == 200


# ---- products -------------------------------------------------------------------------------------

def test_product_page_price_labels_and_open_graph(client, directory):
    oil = directory["oil"]
    html = client.get(url("product", oil.pk)).content.decode()
    for text in ["زيت أركان غذائي", "1 500\u00a0درهم", "AS.211.123.19", "IGP Argane",
                 f'href="{url("organization", directory["argan"].pk)}"', 'loading="lazy"', 'width="480"']:
        assert text in html, text
    assert '<meta property="og:type" content="product">' in html
    assert f'<meta property="og:image" content="http://testserver{directory["photo"].image.url}">' in html
    assert f'<link rel="canonical" href="http://testserver/ar/products/{oil.pk}/">' in html


def test_product_without_price_is_on_request(client, directory):
    html = client.get(url("product", directory["quote"].pk, lang="en")).content.decode()
    assert "Price on request" in html
    assert "MAD" not in html.split("<main")[1]


@pytest.mark.parametrize("lang,amount,expected", [
    ("ar", Decimal("1500"), "1 500\u00a0درهم"),
    ("fr", Decimal("1500"), "1\u202f500\u00a0MAD"),
    ("en", Decimal("1500"), "1,500\u00a0MAD"),
    ("fr", Decimal("250.50"), "250,50\u00a0MAD"),
    ("en", None, None),
])
def test_prices_are_formatted_per_language(lang, amount, expected):
    with translation.override(lang):
        assert format_price(amount) == expected


def test_phone_links_are_international():
    assert tel_link("0612345678") == "tel:+212612345678"
    assert tel_link("06 12 34 56 78") == "tel:+212612345678"
    assert tel_link("+212 5 35 00 00 00") == "tel:+212535000000"
    assert tel_link("00212612345678") == "tel:+212612345678"


def test_product_list_search_and_category(client, directory):
    everything = client.get(url("products", lang="fr"))
    assert {p.name_fr for p in everything.context["products"]} == {
        "Huile d'argan alimentaire", "Tajine décoré", "Miel de thym"}
    crafts = client.get(url("products", lang="fr"), {"category": "handicrafts"})
    assert [p.name_fr for p in crafts.context["products"]] == ["Tajine décoré"]
    search = client.get(url("products", lang="fr"), {"q": "alimantaire"})  # one typo
    assert [p.name_fr for p in search.context["products"]] == ["Huile d'argan alimentaire"]
    region = client.get(url("products", lang="fr"), {"region": "07"})
    assert {p.name_fr for p in region.context["products"]} == {"Huile d'argan alimentaire", "Tajine décoré"}


def test_products_of_hidden_organizations_are_not_shown(client, directory):
    with scopes_disabled():
        hidden_product = directory["hidden"].products.get()
    assert client.get(url("product", hidden_product.pk)).status_code == 404
    search = client.get(url("products"), {"q": "منتوج مخفي"})
    assert search.context["products"] == []


def test_the_product_list_counts_only_what_it_shows(client, directory, make_org, make_product):
    """Products of an organization merged into another are neither listed nor counted (the count
    comes from the index product_listed, the page from product_newest)."""
    before = client.get(url("products")).context["total"]
    duplicate = make_org("تعاونية مكررة", "Coopérative doublon")
    make_product(duplicate, "زيت مكرر", "Huile en double")
    assert client.get(url("products")).context["total"] == before + 1
    with scopes_disabled():
        duplicate.merged_into = directory["argan"]
        duplicate.save()
    response = client.get(url("products"))
    assert response.context["total"] == before == len(response.context["products"])
    assert "Huile en double" not in {p.name_fr for p in response.context["products"]}


def test_hidden_products_are_not_found(client, directory):
    with scopes_disabled():
        quote = directory["quote"]
        quote.is_active = False
        quote.save()
    assert client.get(url("product", quote.pk)).status_code == 404


# ---- every page, every language, no scope ----------------------------------------------------------

@pytest.mark.parametrize("lang,direction", [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_every_page_answers_in_every_language_without_a_scope(client, directory, lang, direction):
    pages = [url("directory", lang=lang), url("directory", lang=lang) + "?q=argan",
             url("organization", directory["argan"].pk, lang=lang), url("products", lang=lang),
             url("products", lang=lang) + "?q=argan", url("product", directory["oil"].pk, lang=lang),
             url("product", directory["quote"].pk, lang=lang)]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{lang}" dir="{direction}">' in response.content.decode(), page


def test_every_public_view_is_marked_public():
    from tadamon.registry.views import public

    for pattern in public.urlpatterns:
        assert getattr(pattern.callback, "tadamon_access", None) == "public", pattern.name


def test_pages_use_few_queries(client, directory, django_assert_max_num_queries, make_org, make_product):
    for i in range(30):
        org = make_org(f"تعاونية {i}", f"Coop {i}", province="03.061")
        make_product(org, f"منتوج {i}", f"Produit {i}")
    with django_assert_max_num_queries(12):
        client.get(url("directory"))
    with django_assert_max_num_queries(12):
        client.get(url("products"))


def _queries_of(client, path, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, params)  # the lists of choices are read once, then kept (tadamon.core.choices)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"women_led": "on", "region": "07"}, {"page": "2"}, {"q": "تعاونية"},
                                    {"q": "miel", "region": "03"}])
def test_the_directory_reads_the_same_few_queries_whatever_the_page_holds(client, make_org, make_product, params,
                                                                         django_assert_num_queries):
    """No query per organization (no N+1): a page of 2 and a page of 20 cost the same queries,
    photos, logos, provinces and sectors included."""
    def add(count, start):
        for i in range(start, start + count):
            org = make_org(f"تعاونية رقم {i:02d}", f"Coopérative {i:02d} miel",
                           province="07.041" if i % 2 else "03.131", women_led=True)
            product = make_product(org, f"عسل {i}", f"Miel {i}")
            with scopes_disabled():
                ProductPhoto.objects.create(product=product, image=f"products/p{i}.jpg", width=480, height=360)

    add(2 if "page" not in params else PER_PAGE + 2, 0)
    few = _queries_of(client, url("directory"), params)
    add(3 * PER_PAGE, 100)
    client.get(url("directory"), params)
    with django_assert_num_queries(few):
        response = client.get(url("directory"), params)
    assert len(response.context["organizations"]) >= 2


def test_the_api_list_reads_the_same_few_queries_whatever_the_page_holds(client, make_org, django_assert_num_queries):
    for i in range(2):
        make_org(f"تعاونية رقم {i:02d}", f"Coopérative {i:02d}")
    few = _queries_of(client, "/api/v1/organizations", {"q": "تعاونية"})
    for i in range(2, 30):
        make_org(f"تعاونية رقم {i:02d}", f"Coopérative {i:02d}")
    with django_assert_num_queries(few):
        assert len(client.get("/api/v1/organizations", {"q": "تعاونية"}).json()["items"]) == PER_PAGE


def test_a_search_with_more_hits_than_it_pages_says_so(client, make_org, monkeypatch):
    """Past the bound a search counts no further: the page says "N or more" and pages through the best N."""
    from tadamon.registry import filters, search

    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    monkeypatch.setattr(filters.organizations, "__defaults__", (20, 0, True, 3))
    monkeypatch.setattr("tadamon.registry.views.public.MAX_RESULTS", 3)
    for i in range(5):
        make_org(f"تعاونية رقم {i}", f"Coopérative {i}")
    response = client.get(url("directory", lang="en"), {"q": "cooperative"})
    assert len(response.context["organizations"]) == 3
    assert "3 organizations or more: the best 3 are shown" in response.content.decode()
    response = client.get(url("directory", lang="en"), {"q": "cooperative 4"})
    assert "1 organization" in response.content.decode()
    assert "or more" not in response.content.decode()


def test_every_directory_page_holds_the_rows_of_the_whole_order(make_org):
    """Pages in the second half are read from the end of the order (the last page skips no more
    rows than the first); whichever end a page is read from, it holds the same rows in the same order,
    ties on the name included, and a page past the end holds none."""
    from tadamon.registry.filters import organizations

    for i in range(23):
        make_org(f"تعاونية {i % 9}", f"Coopérative {i}")
    make_org("تعاونية متوقفة", "Inactive", is_active=False)
    whole, total = organizations("", {}, limit=100)
    assert total == 23 and len(whole) == 23
    assert [o.name_ar for o in whole] == sorted(o.name_ar for o in whole)
    for limit in (1, 5, 7, 20, 23, 30):
        for offset in range(0, 26):
            page, count = organizations("", {}, limit=limit, offset=offset)
            assert count == 23
            assert [o.pk for o in page] == [o.pk for o in whole[offset:offset + limit]], (limit, offset)
