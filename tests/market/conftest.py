"""Two organizations selling in the market (a women-led honey cooperative of Sefrou with a stand at a
running fair, an argan cooperative without one), their representatives, and one in Marrakech-Safi."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django_scopes import scopes_disabled

from tadamon.core import sms
from tadamon.fairs.floor_models import Stand, StandAssignment
from tadamon.fairs.models import Application, Edition, Pole
from tadamon.market import services
from tadamon.registry.models import Representation


@pytest.fixture(autouse=True)
def arabic_and_empty_outbox():
    translation.activate("ar")
    sms.outbox.clear()
    yield
    translation.activate("ar")
    sms.outbox.clear()


def make_fair(organization, *, starts=-1, ends=3, status=Edition.Status.RUNNING, number="A01"):
    with scopes_disabled():
        today = date.today()
        edition = Edition.objects.create(
            region=organization.region, title_ar="أيام الشراء التضامني", title_fr="Journées de l'achat solidaire",
            starts_on=today + timedelta(days=starts), ends_on=today + timedelta(days=ends), status=status,
            venue_name_ar="ساحة البطحاء", venue_name_fr="Place Batha")
        pole = Pole.objects.create(edition=edition, name_ar="قطب المنتوجات", name_fr="Pôle produits")
        user = get_user_model().objects.first()
        application = Application.objects.create(edition=edition, organization=organization, created_by=user,
                                                 pole=pole, status=Application.Status.CONFIRMED)
        stand = Stand.objects.create(edition=edition, pole=pole, number=number)
        StandAssignment.objects.create(edition=edition, application=application, stand=stand)
    return edition


def sell(user, organization, products, *, delivers=False):
    """The organization joins the market and puts ``products`` [(product, price, stock)] on sale."""
    services.save_seller(user, organization, {"is_open": True, "pickup_address": "حي الأندلس، صفرو",
                                              "delivers": delivers, "delivery_note": "صفرو وفاس"})
    return [services.save_offer(user, p, price=Decimal(price), stock=stock) for p, price, stock in products]


def represent(user, organization):
    with scopes_disabled():
        Representation.objects.create(user=user, organization=organization, status=Representation.Status.APPROVED)


@pytest.fixture
def honey_rep(make_user):
    return make_user("rep.honey@example.ma", phone="0611000001")


@pytest.fixture
def argan_rep(make_user):
    return make_user("rep.argan@example.ma", phone="0611000002")


@pytest.fixture
def market(make_org, make_product, honey_rep, argan_rep, marrakech):
    honey = make_org("تعاونية النحالين", "Coopérative des apiculteurs", province="03.451", women_led=True,
                     phone="0535000001", email="honey@example.ma")
    argan = make_org("تعاونية أركان", "Coopérative Argan", province="03.131")
    rep_marrakech = make_org("تعاونية الزعفران", "Coopérative Safran", province="07.351")
    represent(honey_rep, honey)
    represent(argan_rep, argan)
    fair = make_fair(honey)
    honey_offers = sell(honey_rep, honey, [
        (make_product(honey, "العسل الحر", "Miel pur", terroir_label=True, price=Decimal("120")), "120", 10),
        (make_product(honey, "عسل الزعتر", "Miel de thym"), "90", 5)])
    argan_offers = sell(argan_rep, argan, [
        (make_product(argan, "زيت الأركان", "Huile d'argan", terroir_label=True), "150", 3)], delivers=True)
    saffron = sell(None, rep_marrakech, [(make_product(rep_marrakech, "الزعفران الحر", "Safran"), "60", 20)])
    return {"honey": honey, "argan": argan, "marrakech_org": rep_marrakech, "fair": fair,
            "honey_offers": honey_offers, "argan_offers": argan_offers, "saffron": saffron}


def line(offer, quantity=1, price=None):
    return services.BasketLine(offer.pk, quantity, Decimal(price) if price is not None else offer.price)


def place(lines, key="k1", **extra):
    defaults = {"name": "عائشة", "phone": "0661234567", "checkout_key": key, "notify": True}
    return services.place_orders(lines, **{**defaults, **extra})
