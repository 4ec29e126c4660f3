"""Demo figures of the past editions: the exhibitors' daily sales, the visitors counted at two gates
hour by hour, a few incidents, and two orders of the solidarity market picked up at the demo
cooperative's stand, so that the report, the comparison and the dashboard show real-looking figures.

Only the fairs get them (the communication day had about 200 participants, counted by its programme).
Seeded per edition, so every run draws the same figures. Idempotent: an edition with sales is left alone.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django_scopes import scopes_disabled

from tadamon.core.signals import sale_recorded
from tadamon.registry.demo import DEMO_REPRESENTATIVE
from tadamon.registry.models import Organization

from .models import Application, Edition
from .placement import PLACED_STATUSES
from .sales_models import Incident, Sale, VisitorCount

GATES = [("البوابة الرئيسية · Entrée principale", 0.65), ("بوابة الموقف · Entrée parking", 0.35)]
#: Visitors a day at an average edition, before the weekend and closing-day boosts.
DAILY_VISITORS = {"regional_fair": 3200, "thematic_fair": 1400}
INCIDENTS = [
    ("technical", "انقطاع الكهرباء في الصف الرابع لمدة ساعة · Coupure d'électricité rangée 4 pendant une heure"),
    ("health", "إسعاف زائرة أصيبت بدوار · Premiers secours à une visiteuse prise de malaise"),
    ("theft", "ضياع حقيبة عارضة ووجدت في مكتب الاستقبال · Sac d'une exposante perdu, retrouvé à l'accueil"),
]


def _days(edition):
    return [edition.starts_on + timedelta(days=i) for i in range((edition.ends_on - edition.starts_on).days + 1)]


def _boost(day, index, last):
    factor = 1.35 if day.weekday() in (4, 5, 6) else 1.0  # Friday to Sunday
    if index == 0:
        factor *= 0.7
    if index == last:
        factor *= 1.2
    return factor


def _edition_figures(edition, rng):
    exhibitors = list(Application.objects.filter(edition=edition, status__in=PLACED_STATUSES)
                      .select_related("organization").prefetch_related("products"))
    days = _days(edition)
    opening = edition.opens_at.hour if edition.opens_at else 10
    closing = edition.closes_at.hour if edition.closes_at else 20
    sales, counts = [], []
    for index, day in enumerate(days):
        boost = _boost(day, index, len(days) - 1)
        for application in exhibitors:
            if rng.random() > 0.72:
                continue  # not every exhibitor declares every day
            products = list(application.products.all())[:3]
            lines = [{"product": p.pk, "name": p.name_ar, "quantity": rng.randint(1, 12)}
                     for p in products if rng.random() < 0.8]
            amount = Decimal(round(rng.lognormvariate(7.3, 0.6) * boost)).quantize(Decimal("1"))
            sales.append(Sale(region_id=edition.region_id, edition=edition, organization=application.organization,
                              application=application, day=day, amount=amount, lines=lines))
        visitors = DAILY_VISITORS[edition.kind] * boost * rng.uniform(0.85, 1.15)
        hours = list(range(opening, closing))
        weights = [1 + (1.2 if 17 <= h <= 20 else 0) for h in hours]
        for gate, share in GATES:
            for hour, weight in zip(hours, weights, strict=True):
                n = round(visitors * share * weight / sum(weights) * rng.uniform(0.8, 1.2))
                counts.append(VisitorCount(edition=edition, region_id=edition.region_id, day=day, gate=gate,
                                           hour=hour, count=n))
    Sale.objects.bulk_create(sales, batch_size=500)
    VisitorCount.objects.bulk_create(counts, batch_size=500)
    for kind, description in INCIDENTS[: 1 + edition.pk % len(INCIDENTS)]:
        Incident.objects.create(edition=edition, region_id=edition.region_id, day=rng.choice(days), kind=kind,
                                description=description, resolved=True)
    return len(sales), sum(c.count for c in counts)


def _market_orders():
    """Two orders of the solidarity market picked up by the demo cooperative, through the same signal
    the market sends (idempotent on their references)."""
    organization = Organization.objects.filter(representations__user__email=DEMO_REPRESENTATIVE).order_by("pk").first()
    if organization is None:
        return 0
    for n, (day, amount) in enumerate([(date(2025, 10, 18), Decimal("640")), (date(2025, 10, 21), Decimal("1180"))]):
        sale_recorded.send(sender=None, organization=organization, edition=None, day=day, amount=amount,
                           lines=[("زيت الأركان · huile d'argan", 2 + n)], reference=f"demo-market-{n + 1}")
    return 2


@transaction.atomic
def load_sales_demo():
    with scopes_disabled():
        made, visitors = 0, 0
        editions = Edition.objects.filter(status=Edition.Status.CLOSED, kind__in=list(DAILY_VISITORS))
        for edition in editions.order_by("starts_on", "pk"):
            if Sale.objects.filter(edition=edition).exists():
                continue
            n, v = _edition_figures(edition, random.Random(f"sales-{edition.pk}"))  # noqa: S311 (demo data)
            made, visitors = made + n, visitors + v
        _market_orders()
    return f"sales demo: {made} daily sales, {visitors} visitors counted"
