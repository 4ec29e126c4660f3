"""Consultations at the scale of a national campaign, on PostgreSQL.

1. The ranked list of a workshop with 2,000 proposals, 40,000 supports (1,000 participants) and the
   scores of three staff members on three criteria: time of ``services.ranking``.
2. The public accountability page of the region (the workshop, 120 actions with milestones and
   indicators): time of one request through Django's test client.
3. 300 booking requests at the same moment for 30 two-hour periods of one shared service (ten
   requests for each period), 16 threads playing the server: exactly one booking per period, the
   others refused; p50/p95 time per request.

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tadamon_consult_bench) is dropped and
created again.
"""

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tadamon_consult_bench")

from _setup import django_on_postgres, percentile  # noqa: E402

PROPOSALS, PARTICIPANTS, SUPPORTS_EACH, ACTIONS = 2000, 1000, 40, 120
PERIODS, PER_PERIOD, THREADS = 30, 10, 16


def main():
    django_on_postgres()
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from tadamon.consult import services
    from tadamon.consult.models import Action, Booking, Milestone, PoleService, Proposal, Score, Support
    from tadamon.core.models import Province, Region
    from tadamon.fairs.models import Edition, Institution
    from tadamon.programme.models import Session
    from tadamon.registry.models import Organization, Sector

    rng = random.Random(12)
    User = get_user_model()
    with scopes_disabled():
        region = Region.objects.get(code="03")
        edition = Edition.objects.create(region=region, kind="consultation", title_ar="ورشة", title_fr="Atelier",
                                         starts_on=date(2025, 4, 15), ends_on=date(2025, 4, 15), status="closed")
        session = Session.objects.create(edition=edition, title_ar="ورشة تشاورية", title_fr="Atelier")
        workshop = services.create_workshop(None, session, themes=[(f"محور {i}", f"Thème {i}") for i in range(5)])
        themes = list(workshop.themes.all())
        users = User.objects.bulk_create([User(email=f"p{i}@bench.ma", first_name="م") for i in range(PARTICIPANTS)])
        staff = users[:3]
        proposals = Proposal.objects.bulk_create([
            Proposal(workshop=workshop, region=region, theme=themes[i % 5], title=f"مقترح {i}", body="نص",
                     author=users[i % PARTICIPANTS], phase="during") for i in range(PROPOSALS)])
        Support.objects.bulk_create([Support(proposal=p, user=u) for u in users
                                     for p in rng.sample(proposals, SUPPORTS_EACH)], batch_size=5000)
        criteria = list(workshop.criteria.all())
        Score.objects.bulk_create([Score(proposal=p, criterion=c, scorer=s, value=rng.randint(1, 5))
                                   for p in proposals for c in criteria for s in staff], batch_size=5000)
        services.create_plan(None, workshop, title_ar="خطة", title_fr="Plan", starts_on=date(2025, 6, 1),
                                    ends_on=date(2027, 12, 31))
        owner = Institution.objects.create(name_ar="مجلس الجهة", name_fr="Conseil régional")
        for p in proposals[:ACTIONS]:
            action = services.retain(None, p, reason="أثر", owner=owner, budget_mad=Decimal(100000))
            Milestone.objects.bulk_create([Milestone(action=action, title=f"م{k}", due_on=date(2025, 7 + k, 1))
                                           for k in range(3)])
            services.add_indicator(None, action, name="تعاونيات", target=Decimal(50))
        Action.objects.update(progress=40, status="in_progress")

        begun = time.perf_counter()
        rows = services.ranking(workshop)
        ranking_s = time.perf_counter() - begun
    print(f"ranking: {len(rows)} proposals, {Support.objects.count()} supports, {Score.objects.count()} scores "
          f"in {ranking_s:.2f} s")

    client = Client()
    client.get(f"/ar/accountability/{region.slug}/")  # warm up
    begun = time.perf_counter()
    response = client.get(f"/ar/accountability/{region.slug}/")
    print(f"accountability page: {ACTIONS} actions, {PROPOSALS} proposals, status {response.status_code}, "
          f"{len(response.content) // 1024} KB in {time.perf_counter() - begun:.2f} s")

    with scopes_disabled():
        service = PoleService.objects.create(region=region, kind="meeting_room", name_ar="قاعة", name_fr="Salle",
                                             price_mad=Decimal(50))
        province, sector = Province.objects.get(code="03.131"), Sector.objects.first()
        orgs = Organization.objects.bulk_create([Organization(name_ar=f"تعاونية {i}", province=province,
                                                              sector=sector, region=region)
                                                 for i in range(PER_PERIOD)])
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    requests = [(base + timedelta(hours=3 * k) + timedelta(minutes=rng.randint(0, 59)), orgs[j])
                for k in range(PERIODS) for j in range(PER_PERIOD)]
    rng.shuffle(requests)
    times, outcomes, lock = [], [], threading.Lock()

    def attempt(start, org):
        t0 = time.perf_counter()
        try:
            with scopes_disabled():
                services.book(None, service, org, starts_at=start, ends_at=start + timedelta(hours=2))
            outcome = "booked"
        except services.ConsultError:
            outcome = "refused"
        finally:
            connections.close_all()
        with lock:
            times.append(time.perf_counter() - t0)
            outcomes.append(outcome)

    begun = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(lambda a: attempt(*a), requests))
    wall = time.perf_counter() - begun
    with scopes_disabled():
        held = list(Booking.objects.filter(service=service).order_by("starts_at"))
    overlaps = sum(1 for a, b in zip(held, held[1:], strict=False) if b.starts_at < a.ends_at)
    print(f"bookings: {len(requests)} requests at once for {PERIODS} periods: {outcomes.count('booked')} booked, "
          f"{outcomes.count('refused')} refused, {overlaps} overlaps; p50 {percentile(times, 50) * 1000:.0f} ms, "
          f"p95 {percentile(times, 95) * 1000:.0f} ms per request (incl. a new connection), {wall:.1f} s in all")
    assert overlaps == 0 and outcomes.count("booked") == len(held)


if __name__ == "__main__":
    main()
