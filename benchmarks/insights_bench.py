"""Indicators at national scale on PostgreSQL: the dashboards and the edition report on a 64,000-organization
registry.

1. Builds the registry with the registry benchmark's generator (``generate-registry --organizations 64000
   --products-per-org 1``; products play no part in the indicators), then one edition of Fès-Meknès with
   260 confirmed exhibitors, ten days of declared sales and visitor counts at two gates, hour by hour.
2. Dashboards (``/ar/manage/insights/`` national, ``/ar/manage/insights/region/03/``): the first request
   (empty cache: every figure and picture computed), then BENCH_REPEAT requests with the cache (Redis
   when REDIS_URL is set, as in production; local memory otherwise), and a few with the cache emptied
   before each request.
3. The open data CSV (``/api/v1/indicators.csv``), cold and cached.
4. The edition report: the background job (figures, charts, PDF through WeasyPrint, XLSX), timed from
   the click to the files, run the way the worker runs it.

Goals (issue 10): dashboard p95 < 300 ms with caching; report job < 60 s.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tadamon_bench_insights),
BENCH_ORGS (default 64000), BENCH_REUSE=1 (keep a database that already holds the registry),
BENCH_REPEAT (default 30), REDIS_URL (default redis://127.0.0.1:6379/5 when Redis answers).
"""

import os
import random
import socket
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from _setup import django_on_postgres, percentile

N_ORGS = int(os.environ.get("BENCH_ORGS", "64000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
REUSE = os.environ.get("BENCH_REUSE", "") in ("1", "true", "yes")
DASHBOARD_GOAL_MS = 300
REPORT_GOAL_S = 60
EXHIBITORS = 260


def redis_answers(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def ms(seconds):
    return seconds * 1000


def build(figures):
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from tadamon.registry.models import Organization

    with scopes_disabled():
        generated = Organization.objects.count()
    if generated < N_ORGS:
        print(f"generate-registry --organizations {N_ORGS} --products-per-org 1", flush=True)
        started = time.perf_counter()
        call_command("generate-registry", organizations=N_ORGS, products_per_org=1)
        figures["generate"] = time.perf_counter() - started
        print(f"  {figures['generate']:.0f} s")
    else:
        print(f"reusing the registry: {generated} organizations")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_organization")


def fair():
    """One edition of Fès-Meknès with 260 confirmed exhibitors, their sales and the visitor counts."""
    from django.contrib.auth import get_user_model
    from django_scopes import scopes_disabled

    from tadamon.core.models import Region, Role, RoleAssignment
    from tadamon.fairs.models import Application, Edition, Pole, Sale, VisitorCount
    from tadamon.registry.models import Organization

    users = get_user_model()
    with scopes_disabled():
        fes = Region.objects.get(code="03")
        admin, _ = users.objects.get_or_create(email="bench-admin@example.ma")
        staff, _ = users.objects.get_or_create(email="bench-fes@example.ma")
        RoleAssignment.objects.get_or_create(user=admin, role=Role.NATIONAL_ADMIN, region=None)
        RoleAssignment.objects.get_or_create(user=staff, role=Role.REGIONAL_STAFF, region=fes)
        edition = Edition.objects.filter(title_fr="Salon du benchmark").first()
        if edition is None:
            edition = Edition.objects.create(
                region=fes, title_ar="معرض القياس", title_fr="Salon du benchmark", number=3,
                starts_on=date(2025, 10, 15), ends_on=date(2025, 10, 24), status=Edition.Status.CLOSED)
            pole = Pole.objects.create(edition=edition, name_ar="قطب المنتوجات", name_fr="Pôle des produits",
                                       capacity=EXHIBITORS, stands=EXHIBITORS // 2)
            organizations = list(Organization.objects.filter(region=fes).order_by("pk")[:EXHIBITORS])
            Application.objects.bulk_create([
                Application(edition=edition, region=fes, organization=o, created_by=staff, pole=pole,
                            status=Application.Status.CONFIRMED) for o in organizations])
            rng = random.Random(10)  # noqa: S311 (benchmark data)
            days = [edition.starts_on + timedelta(days=i) for i in range(10)]
            Sale.objects.bulk_create([
                Sale(region=fes, edition=edition, organization=o, day=d,
                     amount=Decimal(rng.randint(200, 9000)), lines=[{"name": "x", "quantity": 2}])
                for d in days for o in organizations if rng.random() < 0.7])
            VisitorCount.objects.bulk_create([
                VisitorCount(edition=edition, region=fes, day=d, gate=g, hour=h, count=rng.randint(50, 400))
                for d in days for g in ("A", "B") for h in range(10, 22)])
    return edition, admin, staff


def timed(client, url, repeat, clear=False):
    from django.core.cache import cache

    times = []
    for _ in range(repeat):
        if clear:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return times


def dashboards(admin, staff, figures):
    from django.core.cache import cache
    from django.test import Client

    from tadamon.insights import geo

    geo.provinces()  # the map's outlines, read once per process (about 1 s): not a request's cost
    for name, user, url in (("national", admin, "/ar/manage/insights/"),
                            ("Fès-Meknès", staff, "/ar/manage/insights/region/03/")):
        client = Client()
        client.force_login(user)
        cache.clear()
        cold = timed(client, url, 1)[0]
        warm = timed(client, url, REPEAT)
        uncached = timed(client, url, 3, clear=True)
        figures[name] = (cold, warm)
        print(f"  {name:11} {url}: first request {ms(cold):.0f} ms; cached p50 {ms(percentile(warm, 50)):.0f} ms, "
              f"p95 {ms(percentile(warm, 95)):.0f} ms, max {ms(max(warm)):.0f} ms ({REPEAT} requests); "
              f"without cache p50 {ms(percentile(uncached, 50)):.0f} ms")
    client = Client()
    cache.clear()
    cold = timed(client, "/api/v1/indicators.csv", 1)[0]
    warm = timed(client, "/api/v1/indicators.csv", 10)
    print(f"  open data /api/v1/indicators.csv: first {ms(cold):.0f} ms, cached p95 {ms(percentile(warm, 95)):.0f} ms")


def report_job(edition, staff, figures):
    from django_scopes import scopes_disabled

    from tadamon.insights import report

    started = time.perf_counter()
    job, _created = report.start_report(staff, edition, language="ar")
    with scopes_disabled():
        job.refresh_from_db()
    figures["report"] = time.perf_counter() - started
    assert job.status == "done", job.error
    print(f"  report job (figures, 5 charts, map, PDF, XLSX): {figures['report']:.1f} s; "
          f"PDF {job.pdf.size / 1024:.0f} KB, XLSX {job.xlsx.size / 1024:.0f} KB")
    job.pdf.delete(save=False)
    job.xlsx.delete(save=False)


def main():
    os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tadamon_bench_insights")
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    os.environ["TADAMON_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    if "REDIS_URL" not in os.environ and redis_answers():
        os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/5"
    django_on_postgres(fresh=not REUSE)
    from django.conf import settings

    print(f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}; cache: "
          f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}", flush=True)
    figures = {}
    build(figures)
    edition, admin, staff = fair()
    print("dashboards:", flush=True)
    dashboards(admin, staff, figures)
    print("edition report:", flush=True)
    report_job(edition, staff, figures)
    worst = max(percentile(figures[name][1], 95) for name in ("national", "Fès-Meknès"))
    print(f"\nsummary: dashboard p95 {ms(worst):.0f} ms (goal < {DASHBOARD_GOAL_MS} ms: "
          f"{'met' if ms(worst) < DASHBOARD_GOAL_MS else 'NOT met'}); report job {figures['report']:.1f} s "
          f"(goal < {REPORT_GOAL_S} s: {'met' if figures['report'] < REPORT_GOAL_S else 'NOT met'}); "
          f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
