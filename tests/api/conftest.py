"""A small public registry for the API tests (the fixtures fes, make_org, make_product come from
tests/conftest.py)."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from tadamon.registry import services
from tadamon.registry.models import ProductPhoto

REPRESENTATIVE_EMAIL = "fatima.representative@example.ma"
PRIVATE_STRINGS = [
    REPRESENTATIVE_EMAIL, "Fatima Zahra Representative",  # the representative user
    "0612345678", "contact.tifaouine@example.ma", "Khadija Leader",  # the organization's contact person
    "Douar Ait Ali, house 12",  # street address
    "I am the president", "Please approve",  # the representation request
]


@pytest.fixture
def registry_data(make_org, make_product, make_user, fes_staff):
    """Organizations in Fès-Meknès and Marrakech-Safi, with products, a representative, an
    inactive organization and a merged one."""
    argan = make_org(
        "تعاونية تيفاوين لإنتاج زيت الأركان", "Coopérative Tifaouine d'huile d'argan", sector="cosmetics",
        description_ar="زيت أركان تقليدي معصور يدويا", description_fr="Huile d'argan pressée à la main",
        women_led=True, registration_number="ODCO-2019-17", commune="Outat El Haj", members_total=24,
        members_women=20, members_youth=6, leader_name="Khadija Leader", phone="0612345678",
        email="contact.tifaouine@example.ma", address="Douar Ait Ali, house 12", website="https://tifaouine.example.ma",
        activities="Extraction d'huile",
    )
    honey = make_org("تعاونية النحل الذهبي", "Coopérative Abeille d'Or", province="03.061",
                     description_fr="Miel de thym et huile d'argan de nos voisins")
    pottery = make_org("جمعية الفخار الأصيل", "Association Poterie Authentique", sector="handicrafts",
                       province="07.351", legal_form="association")
    saffron = make_org("تعاونية الزعفران الحر", "Coopérative Safran Pur", province="07.041")
    closed = make_org("تعاونية مغلقة للأركان", "Coopérative fermée d'argan")
    duplicate = make_org("تعاونية النحل الذهبي مكرر", "Abeille d'Or doublon", province="03.061")

    oil = make_product(argan, "زيت أركان غذائي", "Huile d'argan alimentaire", price=Decimal("120.50"), unit="l",
                       description_fr="Huile vierge", sanitary_authorization="ONSSA-123", terroir_label=True,
                       origin_label="IGP Argane")
    cream = make_product(argan, "كريم الأركان", "Crème d'argan", category="cosmetics")
    hidden = make_product(argan, "منتوج مخفي", "Produit caché", is_active=False)
    thyme = make_product(honey, "عسل الزعتر", "Miel de thym", price=Decimal("200"), unit="kg")
    vase = make_product(pottery, "مزهرية فخارية", "Vase en terre cuite", category="handicrafts")
    closed_oil = make_product(closed, "زيت أركان مغلق", "Huile d'argan fermée")
    with scopes_disabled():
        ProductPhoto.objects.create(product=oil, image="products/2025/01/oil-2.jpg", position=2)
        ProductPhoto.objects.create(product=oil, image="products/2025/01/oil-1.jpg", position=1)

    representative = make_user(REPRESENTATIVE_EMAIL, first_name="Fatima Zahra", last_name="Representative")
    claim = services.request_representation(representative, argan, message="Please approve",
                                            role_in_organization="I am the president")
    services.decide_representation(fes_staff, claim, approve=True)
    services.set_active(fes_staff, closed, False, reason="Dissolved")
    services.merge_organizations(fes_staff, honey, duplicate, reason="Same cooperative")
    return {
        "argan": argan, "honey": honey, "pottery": pottery, "saffron": saffron, "closed": closed,
        "duplicate": duplicate, "oil": oil, "cream": cream, "hidden": hidden, "thyme": thyme, "vase": vase,
        "closed_oil": closed_oil, "representative": representative,
    }
