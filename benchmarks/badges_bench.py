"""Badges of a whole edition: 260 exhibitors on 130 stands, one badge each (their representative's name),
made by the same background job staff start from the badges screen, on PostgreSQL.

Measures the time from the job's start to the PDF saved (badges made and their codes stored, pages laid
out, QR codes drawn, pages joined into one PDF), then the same with two people per stand holder (520
badges). Goal: under 30 s for the 260 badges. Uses its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/tadamon_bench_badges), created afresh.
"""

import os
import time
from datetime import date, timedelta

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tadamon_bench_badges")

from _setup import django_on_postgres  # noqa: E402

EXHIBITORS = 260
GOAL_SECONDS = 30


def main():
    django_on_postgres()
    from django.contrib.auth import get_user_model
    from django.utils import timezone, translation
    from django_scopes import scopes_disabled

    from tadamon.fairs import badges, floor_services, placement
    from tadamon.fairs.floor_models import DocumentJob, Participation, StandAssignment
    from tadamon.fairs.floorplan import GridSpec
    from tadamon.fairs.models import Application, Edition, Pole
    from tadamon.registry.models import Organization, Representation, Sector

    translation.activate("ar")
    User = get_user_model()
    with scopes_disabled():
        from tadamon.core.models import Province, Region

        region = Region.objects.get(code="03")
        provinces = list(Province.objects.filter(region=region))
        sectors = list(Sector.objects.all())
        staff = User.objects.create_user(email="bench.staff@example.ma", password="x", email_verified=True)
        edition = Edition.objects.create(
            region=region, title_ar="المعرض الجهوي الثالث للاقتصاد الاجتماعي والتضامني",
            title_fr="3e Salon régional de l'économie sociale et solidaire", number=3,
            starts_on=date.today() + timedelta(days=10), ends_on=date.today() + timedelta(days=19),
            status=Edition.Status.SELECTION_PUBLISHED, selection_published_at=timezone.now())
        pole = Pole.objects.create(edition=edition, name_ar="قطب المنتوجات", name_fr="Pôle des produits",
                                   capacity=EXHIBITORS, stands=EXHIBITORS // 2)
        floor_services.generate_grid(staff, edition, pole=pole, prefix="P", spec=GridSpec(
            rows=10, columns=13, x=0, y=0, cross_aisle_every=7))
        applications = []
        for i in range(EXHIBITORS):
            user = User.objects.create_user(email=f"bench.rep{i}@example.ma", password="x", email_verified=True,
                                            first_name=["فاطمة", "خديجة", "عائشة", "مريم"][i % 4],
                                            last_name=["العلوي", "بناني", "الفاسي", "التازي"][i % 4 - 1])
            org = Organization.objects.create(
                name_ar=f"تعاونية النسيج والصناعة التقليدية رقم {i}", name_fr=f"Coopérative de tissage n° {i}",
                province=provinces[i % len(provinces)], sector=sectors[i % len(sectors)],
                registration_number=f"BB{i}")
            Representation.objects.create(user=user, organization=org, status=Representation.Status.APPROVED)
            applications.append(Application(edition=edition, region=region, organization=org, created_by=user,
                                            pole=pole, status=Application.Status.CONFIRMED))
        Application.objects.bulk_create(applications)
    started = time.perf_counter()
    run, _created = placement.start_run(staff, edition, method="greedy")
    if run.status == "pending":  # the database backend queues it: run it here, as the worker would
        placement.execute_run(run.pk)
    with scopes_disabled():
        placed = StandAssignment.objects.filter(edition=edition).count()
    print(f"exhibitors: {EXHIBITORS}, stands: {EXHIBITORS // 2}, placed: {placed} "
          f"(allocation {time.perf_counter() - started:.1f} s, not counted)")

    def make(label):
        with scopes_disabled():
            job = DocumentJob.objects.create(edition=edition, kind="badges", created_by=staff,
                                             base_url="https://tadamon.example", language="ar")
        started = time.perf_counter()
        badges.execute_job(job.pk)
        elapsed = time.perf_counter() - started
        with scopes_disabled():
            job.refresh_from_db()
            size = job.file.size
        print(f"{label}: {job.total} badges, status {job.status}, {elapsed:.1f} s to the PDF "
              f"({job.total / elapsed:.1f} badges/s, {size / 1_000_000:.1f} MB)")
        return elapsed

    first = make("one person per exhibitor")
    with scopes_disabled():
        Participation.objects.bulk_create([
            Participation(edition=edition, region=region, application=a,
                          staff_names=[f"{a.organization_id} أحمد", f"{a.organization_id} Samira"])
            for a in Application.objects.filter(edition=edition)])
    make("two people per exhibitor")
    print(f"260 exhibitors: {first:.1f} s (goal < {GOAL_SECONDS} s)")
    if first >= GOAL_SECONDS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
