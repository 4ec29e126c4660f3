"""Support programmes at national scale, on PostgreSQL.

- 12 regions × 10 cohorts (two-year paths, staggered) of 24 organizations: 2,880 selections through
  the service (organization row lock + the database trigger against overlapping cohorts), timed;
- then up to 2,000 selections of the same organizations into overlapping cohorts: every one refused;
- 10 coaching reports per participant (28,800 rows, bulk) and a funding file for one in four;
- 200 tranches of 30,000 MAD recorded at the same moment on one file granted 1,000,000 MAD, from 16
  threads: exactly 33 accepted, never above the amount granted;
- the indicators of one cohort, of a region and of Morocco (the dashboard's provider), timed.

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tadamon_bench_support) is dropped and
created again. BENCH_COHORTS (default 10 per region) scales it.
"""

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tadamon_bench_support")

from _setup import django_on_postgres, percentile  # noqa: E402

COHORTS = int(os.environ.get("BENCH_COHORTS", "10"))
PER_COHORT = 24
THREADS = 16


def timed(func, repeat=5):
    times = []
    for _ in range(repeat):
        begun = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - begun)
    return result, times


def main():
    django_on_postgres()
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from tadamon.core.models import Province, Region
    from tadamon.registry.models import Organization, Sector
    from tadamon.support import funding, services
    from tadamon.support.indicators import indicator_rows, indicators
    from tadamon.support.models import Application, CoachingSession, Cohort, Participant, Programme

    assert connection.vendor == "postgresql"
    today = date.today()
    with scopes_disabled():
        sector = Sector.objects.first()
        regions = list(Region.objects.all())
        started = time.perf_counter()
        cohorts, orgs = [], []
        for region in regions:
            province = Province.objects.filter(region=region).first()
            programme = Programme.objects.create(region=region, name_ar="مواكبة", name_fr="Mowakaba")
            orgs.append(Organization.objects.bulk_create([
                Organization(name_ar=f"تعاونية {region.code}-{i}", region=region, province=province, sector=sector,
                             women_led=i % 3 == 0, created_on=date(2018, 1, 1))
                for i in range(COHORTS * PER_COHORT)]))
            for c in range(COHORTS):
                starts = today - timedelta(days=1500) + timedelta(days=60 * c)
                cohorts.append(Cohort.objects.create(
                    programme=programme, name_ar=f"فوج {c}", name_fr=f"Cohorte {c}", starts_on=starts,
                    ends_on=starts + timedelta(days=730), places=PER_COHORT, call_opens_on=starts - timedelta(days=60),
                    call_closes_on=starts - timedelta(days=30)))
        print(f"set-up: {len(regions)} regions, {len(cohorts)} cohorts, "
              f"{sum(len(o) for o in orgs)} organizations in {time.perf_counter() - started:.1f} s")

        def applications(shift):
            rows = []
            for r, region_orgs in enumerate(orgs):
                for c in range(COHORTS):
                    cohort = cohorts[r * COHORTS + c]
                    for k in range(PER_COHORT):
                        org = region_orgs[(c * PER_COHORT + k + shift) % len(region_orgs)]
                        rows.append(Application(cohort=cohort, organization=org, region_id=cohort.region_id,
                                                motivation="x"))
            return Application.objects.bulk_create(rows)

        first = applications(0)
        times = []
        for application in first:
            begun = time.perf_counter()
            services.select(None, application)
            times.append(time.perf_counter() - begun)
        print(f"selections: {len(first)} in {sum(times):.1f} s; per selection p50 {percentile(times, 50) * 1000:.1f} "
              f"ms, p95 {percentile(times, 95) * 1000:.1f} ms")
        # The same organizations into the next cohort (starts 60 days later: overlapping paths).
        second = [a for a in applications(PER_COHORT) if
                  not Application.objects.filter(pk=a.pk, status="selected").exists()]
        refused, times = 0, []
        for application in second[:2000]:
            begun = time.perf_counter()
            try:
                services.select(None, application)
            except services.SupportError:
                refused += 1
            times.append(time.perf_counter() - begun)
        print(f"overlapping selections refused: {refused}/{len(times)}; p50 {percentile(times, 50) * 1000:.1f} ms")
        assert refused == len(times)

        participants = list(Participant.objects.all())
        now = timezone.now()
        begun = time.perf_counter()
        from django.contrib.auth import get_user_model

        coach = get_user_model().objects.create_user(email="coach@bench.ma", password="x" * 12)
        CoachingSession.objects.bulk_create([
            CoachingSession(participant=p, region_id=p.region_id, coach=coach, status="held", report="تقرير",
                            duration_minutes=90, scheduled_at=now - timedelta(days=30 * k))
            for p in participants for k in range(1, 11)], batch_size=5000)
        for p in participants[::4]:
            file = funding.save_file(None, p, {"project_title": "مشروع", "amount_requested": Decimal(100000),
                                               "market": "سوق", "investments": "آلة"})
            funding.submit_file(None, file)
            funding.decide(None, file, approve=True, amount=Decimal(80000))
        print(f"coaching reports {CoachingSession.objects.count()}, funding files {len(participants[::4])} "
              f"in {time.perf_counter() - begun:.1f} s")

        target = funding.save_file(None, participants[1], {"project_title": "مشروع كبير", "amount_requested":
                                                           Decimal(1000000), "market": "سوق", "investments": "آلة"})
        if target.status == "draft":
            funding.submit_file(None, target)
            funding.decide(None, target, approve=True, amount=Decimal(1000000))
    outcomes, latencies, lock = [], [], threading.Lock()

    def pay(_i):
        begun = time.perf_counter()
        try:
            with scopes_disabled():
                funding.add_tranche(None, target, amount=Decimal(30000), paid_on=today)
            result = "ok"
        except services.SupportError:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)
            latencies.append(time.perf_counter() - begun)

    begun = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(pay, range(200)))
    with scopes_disabled():
        paid = funding.paid_total(target)
    print(f"200 tranches of 30,000 at once on 1,000,000 granted: {outcomes.count('ok')} accepted, "
          f"{outcomes.count('refused')} refused, paid {paid}; {time.perf_counter() - begun:.1f} s, "
          f"p95 {percentile(latencies, 95) * 1000:.0f} ms")
    assert paid <= Decimal(1000000) and outcomes.count("ok") == 33

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
    with scopes_disabled():
        one = Cohort.objects.filter(pk=cohorts[0].pk)
        _r, t_one = timed(lambda: indicators(one))
        _r, t_region = timed(lambda: indicators(Cohort.objects.filter(region=regions[2])))
        rows, t_all = timed(lambda: indicator_rows(None))
    print(f"indicators: one cohort p50 {percentile(t_one, 50) * 1000:.0f} ms; a region "
          f"p50 {percentile(t_region, 50) * 1000:.0f} ms; Morocco (dashboard provider) "
          f"p50 {percentile(t_all, 50) * 1000:.0f} ms")
    print("  " + "; ".join(f"{key.split('.')[1]}={value}" for key, _label, value in rows))


if __name__ == "__main__":
    main()
