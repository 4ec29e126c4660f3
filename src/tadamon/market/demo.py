"""Demo of the solidarity market: twelve organizations sell about sixty products with photos; the
regional "solidarity purchase days" of Fès-Meknès are on now (from two days ago to five days ahead)
and six of the sellers hold a stand there, so orders are picked up at the stand; orders exist in
every state. The demo cooperative's account sells for its organization. Loading is idempotent."""

from datetime import time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.core.models import Region
from tadamon.registry.demo import DEMO_REPRESENTATIVE
from tadamon.registry.models import Organization, Product, Representation

from . import services
from .models import Offer, Order

TITLE_FR = "Journées régionales de l'achat solidaire"
PRODUCTS = 60
PRODUCTS_PER_SELLER = 5
WITH_STAND = 6
BUYERS = [("عائشة الإدريسي", "0661234501"), ("Karim Berrada", "0661234502"), ("فاطمة الزهراء بناني", "0661234503"),
          ("Youssef Alaoui", "0661234504"), ("سعاد المريني", "0661234505"), ("Omar Tazi", "0661234506"),
          ("خديجة الفاسي", "0661234507"), ("Salma Chraibi", "0661234508")]


def _sellers():
    """The demo cooperative's organization first, then the organizations of Fès-Meknès with the most
    products with photos (enough of them to put about sixty products on sale)."""
    represented = list(Representation.objects.filter(user__email=DEMO_REPRESENTATIVE,
                                                     status=Representation.Status.APPROVED)
                       .values_list("organization_id", flat=True))
    candidates = list(Organization.objects.filter(is_active=True, merged_into__isnull=True, region__code="03")
                      .annotate(n=Count("products__photos", distinct=True)).filter(n__gte=2)
                      .order_by("-n", "pk").values_list("pk", flat=True)[:PRODUCTS])
    ids = list(dict.fromkeys([*represented, *candidates]))
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _fair(region, organizations):
    """The running edition with a products pole, one stand per organization, and their placements."""
    from tadamon.fairs.floor_models import Stand, StandAssignment
    from tadamon.fairs.models import Application, Edition, Pole

    today = timezone.localdate()
    edition = Edition.objects.filter(region=region, title_fr=TITLE_FR).first()
    if edition is None:
        edition = Edition.objects.create(
            region=region, kind=Edition.Kind.THEMATIC_FAIR, number=1, title_ar="الأيام الجهوية للشراء التضامني",
            title_fr=TITLE_FR, slogan_ar="اشتر من تعاونيات جهتك", slogan_fr="Achetez aux coopératives de votre région",
            starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=5), opens_at=time(10),
            closes_at=time(20), venue_name_ar="ساحة البطحاء، فاس", venue_name_fr="Place Batha, Fès",
            venue_address="Fès", status=Edition.Status.RUNNING)
    pole = Pole.objects.filter(edition=edition).first() or Pole.objects.create(
        edition=edition, kind=Pole.Kind.MARKETING, name_ar="فضاء العرض والتسويق",
        name_fr="Espace d'exposition et de commercialisation", capacity=len(organizations),
        stands=len(organizations))
    staff = get_user_model().objects.filter(email="fes@tadamon.ma").first() or get_user_model().objects.first()
    for number, organization in enumerate(organizations, start=1):
        application, _created = Application.objects.get_or_create(
            edition=edition, organization=organization,
            defaults={"region_id": edition.region_id, "created_by": staff, "pole": pole,
                      "status": Application.Status.CONFIRMED, "declaration_accepted": True,
                      "submitted_at": timezone.now()})
        stand, _created = Stand.objects.get_or_create(
            edition=edition, number=f"M{number:02d}",
            defaults={"region_id": edition.region_id, "pole": pole, "x": 4 * number, "y": 2, "capacity": 1})
        StandAssignment.objects.get_or_create(application=application, defaults={
            "edition": edition, "region_id": edition.region_id, "stand": stand, "locked": True})
    return edition


def _orders(offers_by_org, today):
    """Orders in every state, through the same operations buyers and organizations use."""
    staff = get_user_model().objects.filter(email="fes@tadamon.ma").first()
    plan = ["placed", "placed", "confirmed", "confirmed", "ready", "picked_up", "picked_up", "delivered",
            "cancelled", "ready", "placed", "picked_up"]
    organizations = list(offers_by_org)
    made = 0
    for i, state in enumerate(plan):
        organization = organizations[i % len(organizations)]
        if state == "delivered":  # one of the organizations that deliver
            organization = next((o for o in organizations if o.market_seller.delivers), organization)
        offers = offers_by_org[organization][:2]
        name, phone = BUYERS[i % len(BUYERS)]
        choices = [c[0] for c in services.fulfilment_choices(organization, today=today)]
        kind = "delivery" if state == "delivered" and "delivery" in choices else choices[0]
        lines = [services.BasketLine(o.pk, 1 + (i + k) % 3, o.price) for k, o in enumerate(offers)]
        order = services.place_orders(lines, name=name, phone=phone, fulfilments={organization.pk: kind},
                                      delivery_addresses={organization.pk: "حي النرجس، فاس"},
                                      checkout_key=f"demo-{i}", language="ar", notify=False, today=today)[0]
        if state in ("confirmed", "ready", "picked_up", "delivered"):
            services.confirm(staff, order, notify=False)
        if state in ("ready", "picked_up", "delivered"):
            services.mark_ready(staff, order, notify=False)
        if state in ("picked_up", "delivered"):
            services.hand_over(staff, order, code=order.pickup_code, notify=False, today=today)
        if state == "cancelled":
            services.cancel(staff, order, reason="نفاد المنتوج قبل التأكيد", notify=False)
        made += 1
    return made


@transaction.atomic
def load_demo():
    with scopes_disabled():
        if Offer.objects.exists():
            return f"market demo: {Offer.objects.count()} products on sale, {Order.objects.count()} orders (kept)"
        region = Region.objects.filter(code="03").first()
        organizations = _sellers()
        if region is None or not organizations:
            return "market demo: no organization to sell"
        fair = _fair(region, organizations[:WITH_STAND])
        offers_by_org, total = {}, 0
        for index, organization in enumerate(organizations):
            if total >= PRODUCTS:
                break
            services.save_seller(None, organization, {
                "is_open": True, "pickup_address": organization.address or organization.commune,
                "pickup_hours": "9:00–17:00", "delivers": index % 3 == 0,
                "delivery_note": "فاس ومكناس، 20 درهم" if index % 3 == 0 else ""})
            products = list(Product.objects.filter(organization=organization, is_active=True)
                            .annotate(n=Count("photos")).order_by("-n", "pk")[:min(PRODUCTS_PER_SELLER,
                                                                                    PRODUCTS - total)])
            total += len(products)
            for k, product in enumerate(products):
                price = product.price or Decimal(40 + 15 * k)
                offer = services.save_offer(None, product, price=price, stock=8 + 7 * ((index + k) % 5),
                                            unit=product.unit)
                offers_by_org.setdefault(organization, []).append(offer)
        made = _orders(offers_by_org, timezone.localdate())
    return (f"market demo: {len(offers_by_org)} organizations sell {total} products, {made} orders; "
            f"{WITH_STAND} stands at «{fair.title_fr}»")
