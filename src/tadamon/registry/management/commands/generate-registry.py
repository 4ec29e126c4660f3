"""Generate a national-scale synthetic registry for benchmarks: ``tadamon generate-registry``.

Organizations are spread over the 12 regions and 75 provinces with the demo's vocabulary (what
each place is known for, Arabic and French names, member figures), inserted with ``bulk_create``
in batches, each batch in its own transaction. Registration numbers carry the seed (``S7-ODCO-…``),
so running the same command again adds nothing, and a new seed adds a new set.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_scopes import scopes_disabled

from tadamon.core.models import Province
from tadamon.registry.demo import COMMUNES, Builder, Place, save_batch
from tadamon.registry.models import Organization, Sector

#: Rough weight of each region in the national registry (cooperatives are not spread evenly).
REGION_WEIGHTS = {"01": 7, "02": 6, "03": 11, "04": 9, "05": 8, "06": 10, "07": 12, "08": 10, "09": 12,
                  "10": 5, "11": 4, "12": 3}


def national_places():
    provinces = list(Province.objects.select_related("region").order_by("code"))
    if not provinces:
        raise CommandError("No provinces: run `tadamon load-demo` or `tadamon load-reference` first.")
    per_region = {}
    for province in provinces:
        per_region.setdefault(province.region.code, []).append(province)
    # One province of each region in turn, so that even a small run spans the whole country.
    order = []
    columns = list(per_region.values())
    for rank in range(max(len(c) for c in columns)):
        order += [column[rank] for column in columns if rank < len(column)]
    places = []
    for province in order:
        _weight, communes = COMMUNES.get(province.code, (None, None))
        share = REGION_WEIGHTS.get(province.region.code, 5) / len(per_region[province.region.code])
        places.append(Place(province, share, communes or [(province.name_ar, province.name_fr)]))
    return places


class Command(BaseCommand):
    help = ("Generate a synthetic registry over every region (organizations, products, search index) "
            "for benchmarks. Running it again with the same seed adds nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, required=True, help="how many organizations")
        parser.add_argument("--products-per-org", type=int, default=3, help="products of each organization")
        parser.add_argument("--seed", type=int, default=1, help="another seed gives another set")
        parser.add_argument("--batch-size", type=int, default=2000, help="organizations per transaction")
        parser.add_argument("--with-pictures", action="store_true",
                            help="also draw and store a picture per product (slow, fills the media folder)")

    def handle(self, *args, **options):
        count, per_org = options["organizations"], options["products_per_org"]
        batch_size, seed = options["batch_size"], options["seed"]
        if count < 0 or per_org < 0 or batch_size < 1:
            raise CommandError("--organizations and --products-per-org must be positive, --batch-size at least 1.")
        started = time.perf_counter()
        totals = [0, 0, 0]
        skipped = 0
        indexed_words = set()
        with scopes_disabled():
            sectors = {s.key: s for s in Sector.objects.all()}
            builder = Builder(national_places(), sectors, seed=seed, registration_prefix=f"S{seed}-",
                              products_per_org=per_org or None)
            for start in range(0, count, batch_size):
                built = [builder.build(i) for i in range(start, min(count, start + batch_size))]
                if per_org == 0:
                    for b in built:
                        b.products = []
                existing = set(Organization.objects.filter(
                    registration_number__in=[b.organization.registration_number for b in built]
                ).values_list("legal_form", "registration_number"))
                new = [b for b in built
                       if (b.organization.legal_form, b.organization.registration_number) not in existing]
                skipped += len(built) - len(new)
                if new:
                    with transaction.atomic():
                        counts = save_batch(new, with_pictures=options["with_pictures"], indexed_words=indexed_words)
                    totals = [a + b for a, b in zip(totals, counts, strict=True)]
                elapsed = time.perf_counter() - started
                done = min(count, start + batch_size)
                self.stdout.write(f"  {done}/{count} organizations · {totals[1]} products · "
                                  f"{(totals[0] + totals[1]) / max(elapsed, 1e-6):,.0f} rows/s")
        if totals[0]:
            self.refresh_statistics()
        elapsed = time.perf_counter() - started
        rows = totals[0] + totals[1] + totals[2]
        self.stdout.write(self.style.SUCCESS(
            f"generated {totals[0]} organizations, {totals[1]} products, {totals[2]} photos "
            f"({skipped} already there) in {elapsed:.1f} s: {rows / max(elapsed, 1e-6):,.0f} rows/s"))

    @staticmethod
    def refresh_statistics():
        """After a bulk load the planner's statistics are stale (PostgreSQL thinks the tables are
        still small and picks bad plans until autovacuum catches up): refresh them now."""
        tables = ["registry_organization", "registry_product", "registry_productphoto", "registry_searchterm"]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {', '.join(tables)}")
            elif connection.vendor == "sqlite":
                cursor.execute("ANALYZE")
