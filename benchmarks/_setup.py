"""Shared set-up for benchmarks: a PostgreSQL database migrated from scratch (or the URL given)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tadamon_bench"


def django_on_postgres(fresh=True):
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tadamon.settings")
    os.environ.setdefault("TADAMON_SMS_BACKEND", "tadamon.core.sms.LocmemBackend")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    sys.path.insert(0, str(ROOT / "src"))
    if fresh:
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def percentile(values, p):
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(values) - 1)
    return values[f] + (values[c] - values[f]) * (k - f)


def last_minute_applicants(n, prefix="bench", password="x"):
    """An edition of Fès-Meknès whose call closes in 15 minutes and ``n`` applicants, each an approved
    representative of a cooperative with a complete draft (a product, the declaration accepted) that
    only needs its final "send". Returns ``(edition, users, applications)``."""
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from tadamon.core.models import Province, Region
    from tadamon.fairs.models import Application, Edition, Pole
    from tadamon.registry.models import Organization, Product, Representation, Sector

    User = get_user_model()
    with scopes_disabled():
        region = Region.objects.get(code="03")
        province = Province.objects.filter(region=region).first()
        sector = Sector.objects.get(key="handicrafts")
        now = timezone.now()
        edition = Edition.objects.create(region=region, title_ar="معرض", title_fr="Salon", starts_on=date.today(),
                                         ends_on=date.today() + timedelta(days=3), status=Edition.Status.CALL_OPEN,
                                         call_opens_at=now - timedelta(days=1),
                                         call_closes_at=now + timedelta(minutes=15),
                                         require_product_photo=False)
        pole = Pole.objects.create(edition=edition, name_ar="قطب", name_fr="Pôle", capacity=max(n, 130))
        users, applications = [], []
        for i in range(n):
            user = User.objects.create_user(email=f"{prefix}{i}@example.ma", password=password, email_verified=True)
            org = Organization.objects.create(name_ar=f"تعاونية {i}", province=province, sector=sector,
                                              registration_number=f"{prefix.upper()}{i}")
            Representation.objects.create(user=user, organization=org, status="approved")
            product = Product.objects.create(organization=org, name_ar="منتوج", category=sector)
            application = Application.objects.create(edition=edition, organization=org, created_by=user, pole=pole,
                                                     declaration_accepted=True)
            application.products.add(product)
            users.append(user)
            applications.append(application)
    return edition, users, applications


def market_offers(organizations, per_organization, stock):
    """Cooperatives of Fès-Meknès selling ``per_organization`` honeys each, ``stock`` units of each;
    returns the offers."""
    from decimal import Decimal

    from django_scopes import scopes_disabled

    from tadamon.core.models import Province
    from tadamon.market import services
    from tadamon.registry.models import Organization, Product, Sector

    offers = []
    with scopes_disabled():
        sector = Sector.objects.get(key="terroir")
        province = Province.objects.get(code="03.131")
        for o in range(organizations):
            organization = Organization.objects.create(name_ar=f"تعاونية رقم {o}", name_fr=f"Coopérative {o}",
                                                       province=province, sector=sector, phone=f"053500000{o}")
            services.save_seller(None, organization, {"is_open": True, "pickup_address": "فاس"})
            for p in range(per_organization):
                product = Product.objects.create(organization=organization, category=sector,
                                                 name_ar=f"عسل رقم {o}-{p}", name_fr=f"Miel {o}-{p}")
                offers.append(services.save_offer(None, product, price=Decimal(50 + 5 * p), stock=stock))
    return offers


def workshops(count, seats):
    """An edition of Fès-Meknès in a week, open to registration, with ``count`` workshops of ``seats``
    places, each in its own room and slot; returns the sessions."""
    from datetime import date, timedelta
    from datetime import time as clock

    from django_scopes import scopes_disabled

    from tadamon.core.models import Region
    from tadamon.fairs.models import Edition
    from tadamon.programme import services
    from tadamon.programme.models import Session, Space, TimeSlot

    with scopes_disabled():
        region = Region.objects.get(code="03")
        start = date.today() + timedelta(days=7)
        edition = Edition.objects.create(region=region, title_ar="معرض", title_fr="Salon", starts_on=start,
                                         ends_on=start, status=Edition.Status.CALL_OPEN)
        services.generate_slots(None, edition, slot_minutes=90, day_starts=clock(9), day_ends=clock(18))
        slots = list(TimeSlot.objects.filter(edition=edition).order_by("starts_at"))
        sessions = []
        for i in range(count):
            room = Space.objects.create(edition=edition, name_ar="قاعة" if count == 1 else f"قاعة {i}",
                                        name_fr="Salle" if count == 1 else f"Salle {i}", capacity=seats)
            workshop = Session.objects.create(edition=edition, kind="training", title_ar="ورشة",
                                              title_fr="Atelier", registration_required=True, capacity=seats)
            services.place_session(None, workshop, slots[i % len(slots)], room)
            sessions.append(workshop)
    return sessions
