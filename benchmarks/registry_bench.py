"""The national registry on PostgreSQL: 64,000 organizations, 320,000 products; search, directory, import.

1. Builds the registry with ``generate-registry --organizations 64000 --products-per-org 5`` (timed).
2. API search: about twenty Arabic and French queries written the way people type them (hamza and alef
   variants, ة/ه, ى/ي, tashkeel, tatweel, a typo, French without accents) against
   ``/api/v1/organizations?q=`` and ``/api/v1/products?q=``; one warm-up, then BENCH_REPEAT runs each.
3. The directory page ``/ar/organizations/`` with filters (region, sector, women-led) and searches.
4. Import: a 64,000-row XLSX of new organizations (the contract columns), run the way the worker runs
   it (an ImportJob handed to the ``run_import_job`` task), in a child process so that its peak memory
   (max RSS) is its own: first the preview (dry run), then the import, then the same file again
   (every row unchanged), then a second file under tracemalloc for the Python heap's peak.

Requests go through Django's test client (middleware, views, templates, JSON), one at a time, with a
kept database connection (DB_CONN_MAX_AGE=60 as in docs/operations.md). Goals (spec): search p95
< 50 ms, directory p95 < 150 ms, import >= 2,000 rows/s under 500 MB.

Environment: BENCH_ORGS (default 64000) scales the registry and the import file down for a quick run;
BENCH_REUSE=1 keeps the database of an earlier run when it already holds that many generated
organizations (the imported ones are removed first); BENCH_REPEAT (default 20) timed runs per request.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from _setup import DEFAULT_URL, django_on_postgres, percentile

N_ORGS = int(os.environ.get("BENCH_ORGS", "64000"))
PER_ORG = 5
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
REUSE = os.environ.get("BENCH_REUSE", "") in ("1", "true", "yes")
SKIP_IMPORT = os.environ.get("BENCH_SKIP_IMPORT", "") in ("1", "true", "yes")
GENERATED_PREFIX = "S1-"  # generate-registry --seed 1
IMPORT_PREFIXES = ("BI-", "BT-")  # the import files of this benchmark

SEARCH_GOAL_MS = 50
DIRECTORY_GOAL_MS = 150
IMPORT_GOAL_RATE = 2000
IMPORT_GOAL_MB = 500

#: (query, what it tests)
QUERIES = [
    ("زيت الاركان", "أ written ا"),
    ("زَيْتُ الأَرْكَان", "tashkeel"),
    ("زيــت أركان", "tatweel, no article"),
    ("عسل", "short word"),
    ("عسل الزعتر", "two words"),
    ("تعاونيه", "ة written ه (matches most)"),
    ("تعاونية نسوية", "two common words"),
    ("الزربيه", "ة written ه"),
    ("كسكس", "short word"),
    ("الفخار", ""),
    ("زعفرن", "typo (missing ا)"),
    ("الخزامي", "ى written ي"),
    ("مربي", "ى written ي"),
    ("ازرو", "place, أ written ا"),
    ("cooperative d'argan", "no accent"),
    ("huile dargan", "d' glued to the word"),
    ("safran", ""),
    ("poterie", ""),
    ("miel de thym", "stop word"),
    ("couscous", ""),
    ("cooprative feminine", "typo + no accent"),
    ("patisserie", "no accent"),
    ("Meknes", "place, no accent"),
]

#: (label, query string) of the directory page.
DIRECTORY = [
    ("no filter", ""),
    ("region", "region=09"),
    ("sector", "sector=handicrafts"),
    ("women-led", "women_led=on"),
    ("region + sector + women-led", "region=03&sector=terroir&women_led=on"),
    ("page 200", "page=200"),
    ("past the last page", "page=99999"),
    ("search زيت الاركان", "q=زيت+الاركان"),
    ("search تعاونية (most)", "q=تعاونية"),
    ("search miel + region", "q=miel&region=03"),
    ("search couscous + women-led", "q=couscous&women_led=on"),
]


def load():
    """The machine's load average: other work on the machine shows in the figures."""
    return "load average " + " / ".join(f"{x:.1f}" for x in os.getloadavg())


def ms(seconds):
    return seconds * 1000


def where_time_goes(client, url):
    """One more request to ``url``, its SQL queries timed: what the database takes and what Python does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        client.get(url)
        total = time.perf_counter() - started
    sql = sum(float(q["time"]) for q in queries.captured_queries)
    print(f"  {url}: {ms(total):.0f} ms, of which {len(queries)} SQL queries {ms(sql):.0f} ms:")
    for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
        print(f"    {ms(float(q['time'])):6.1f} ms  {' '.join(q['sql'].split())[:150]}")


def timed_get(client, url, repeat):
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return times, response


def database_exists(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


# ---- 1. the registry -------------------------------------------------------------------------------

def build_registry(figures):
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from tadamon.registry.models import ImportJob, Organization, Product

    with scopes_disabled():
        generated = Organization.objects.filter(registration_number__startswith=GENERATED_PREFIX).count()
        imported = Organization.objects.filter(
            registration_number__regex="^(%s)" % "|".join(IMPORT_PREFIXES))  # noqa: UP031
        if imported.exists():
            started = time.perf_counter()
            removed = imported.delete()[1].get("registry.Organization", 0)
            ImportJob.objects.all().delete()
            print(f"removed {removed} organizations of an earlier import in {time.perf_counter() - started:.1f} s")
    if generated >= N_ORGS:
        print(f"reusing the registry: {generated} generated organizations already there")
        figures["generate"] = None
    else:
        print(f"generate-registry --organizations {N_ORGS} --products-per-org {PER_ORG} "
              f"({generated} already there)", flush=True)
        started = time.perf_counter()
        call_command("generate-registry", organizations=N_ORGS, products_per_org=PER_ORG)
        figures["generate"] = time.perf_counter() - started
    # A registry in service is vacuumed by autovacuum: do it now rather than measure the state of a
    # table just filled (no visibility map, hint bits unset, which changes plans and timings).
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_organization, registry_product, registry_searchterm")
    print(f"VACUUM ANALYZE of the registry tables: {time.perf_counter() - started:.1f} s")
    with scopes_disabled():
        figures["organizations"] = Organization.objects.count()
        figures["products"] = Product.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        figures["db_size"] = cursor.fetchone()[0]
    print(f"registry: {figures['organizations']:,} organizations, {figures['products']:,} products, "
          f"database {figures['db_size']}", flush=True)


# ---- 2. API search -----------------------------------------------------------------------------------

def api_search(client, figures):
    from urllib.parse import urlencode

    print(f"\nAPI search: {len(QUERIES)} queries, warm-up then {REPEAT} runs each (ms); {load()}")
    print(f"{'query':<26} {'organizations':>22} {'products':>22}  note")
    print(f"{'':<26} {'p50':>6} {'p95':>6} {'hits':>8} {'p50':>6} {'p95':>6} {'hits':>8}")
    all_times = {"organizations": [], "products": []}
    zero, slow, slowest = [], [], {}
    for query, note in QUERIES:
        cells = []
        for endpoint in ("organizations", "products"):
            times, response = timed_get(client, f"/api/v1/{endpoint}?{urlencode({'q': query})}", REPEAT)
            all_times[endpoint] += times
            count = response.json()["count"]
            p50, p95 = ms(percentile(times, 50)), ms(percentile(times, 95))
            slowest[(endpoint, query)] = p50
            cells += [f"{p50:6.1f}", f"{p95:6.1f}", f"{count:8,}"]
            if count == 0:
                zero.append(f"{query} ({endpoint})")
            if p95 >= SEARCH_GOAL_MS:
                slow.append(f"{query} ({endpoint}, p95 {p95:.0f} ms, {count:,} hits)")
        print(f"{query:<26} {' '.join(cells[:3])} {' '.join(cells[3:])}  {note}", flush=True)
    for endpoint, times in all_times.items():
        figures[f"search_{endpoint}"] = (ms(percentile(times, 50)), ms(percentile(times, 95)), ms(max(times)))
    figures["search_zero"], figures["search_slow"] = zero, slow
    if zero:
        print("no hits: " + "; ".join(zero))
    if slow:
        print(f"p95 at or above {SEARCH_GOAL_MS} ms: " + "; ".join(slow))
    print("where the time goes in the slowest search of each endpoint (by p50):")
    for endpoint in ("organizations", "products"):
        query = max(QUERIES, key=lambda q: slowest[(endpoint, q[0])])[0]
        where_time_goes(client, f"/api/v1/{endpoint}?{urlencode({'q': query})}")


# ---- 3. the directory page ----------------------------------------------------------------------------

def directory_total(query):
    """How many organizations the page says it found (read again outside the timing)."""
    from django.http import QueryDict

    from tadamon.registry.filters import DirectoryFilterForm, organizations

    form = DirectoryFilterForm(QueryDict(query))
    form.is_valid()
    return organizations(form.cleaned_data.get("q", ""), form.filters(), limit=1)[1]


def directory(client, figures):
    print(f"\ndirectory page /ar/organizations/: warm-up then {REPEAT} runs each (ms); {load()}")
    print(f"{'case':<30} {'p50':>6} {'p95':>6} {'results':>9}")
    every, slow, medians = [], [], []
    for label, query in DIRECTORY:
        url = "/ar/organizations/" + (f"?{query}" if query else "")
        times, response = timed_get(client, url, REPEAT)
        every += times
        total = directory_total(query)
        p50, p95 = ms(percentile(times, 50)), ms(percentile(times, 95))
        medians.append((p50, url))
        if p95 >= DIRECTORY_GOAL_MS:
            slow.append(f"{label} (p95 {p95:.0f} ms)")
        print(f"{label:<30} {p50:6.1f} {p95:6.1f} {total:>9,}", flush=True)
    figures["directory"] = (ms(percentile(every, 50)), ms(percentile(every, 95)), ms(max(every)))
    figures["directory_slow"] = slow
    if slow:
        print(f"p95 at or above {DIRECTORY_GOAL_MS} ms: " + "; ".join(slow))
    print("where the time goes in the two slowest cases (by p50):")
    for _p50, url in sorted(medians, reverse=True)[:2]:
        where_time_goes(client, url)


# ---- 4. import -----------------------------------------------------------------------------------------

def run_child(path, media, dry_run=False, trace=False):
    """Run one import job in a child process; its own figures plus its max RSS (from wait4)."""
    import subprocess

    args = [sys.executable, str(Path(__file__).resolve()), "--import-child", str(path)]
    args += ["--dry-run"] if dry_run else []
    args += ["--tracemalloc"] if trace else []
    env = {**os.environ, "MEDIA_ROOT": str(media)}
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, env=env, text=True)  # noqa: S603
    output = child.stdout.read()
    child.stdout.close()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"the import child failed ({child.returncode}): {output[-2000:]}")
    result = json.loads(output.strip().splitlines()[-1])
    result["max_rss_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    result["wall"] = wall
    return result


def import_child(path, dry_run, trace):
    """In the child: an ImportJob for ``path``, run by the worker's task; print the figures as JSON."""
    # Like the worker: Django set up on the migrated database (no migrate, which costs memory here).
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tadamon.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    import resource
    import tracemalloc

    from django.core.files import File
    from django_scopes import scopes_disabled

    from tadamon.registry.models import ImportJob
    from tadamon.registry.tasks import run_import_job

    with scopes_disabled():
        job = ImportJob(mode=ImportJob.Mode.VALID_ROWS, dry_run=dry_run, language="ar",
                        original_name=Path(path).name)
        with open(path, "rb") as handle:
            job.file.save(Path(path).name, File(handle), save=True)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        run_import_job.call(job.pk)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
        job.refresh_from_db()
    print(json.dumps({"status": job.status, "error": job.error, "rows": job.total_rows, "created": job.created_count,
                      "updated": job.updated_count, "rejected": job.rejected_count, "seconds": elapsed,
                      "rate": job.total_rows / elapsed, "tracemalloc_mb": peak, "rss_before_import_mb": rss_before}))


def imports(figures):
    from tadamon.registry.importer import write_sample_xlsx

    rows = N_ORGS
    folder = Path(tempfile.mkdtemp(prefix="tadamon-bench-"))
    media = folder / "media"
    started = time.perf_counter()
    first = write_sample_xlsx(folder / "organizations.xlsx", rows, seed=11, number_prefix=IMPORT_PREFIXES[0])
    second = write_sample_xlsx(folder / "organizations-2.xlsx", rows, seed=12, number_prefix=IMPORT_PREFIXES[1])
    size = first.stat().st_size / 2**20
    print(f"\nimport: two XLSX files of {rows:,} new organizations ({size:.1f} MB each) written in "
          f"{time.perf_counter() - started:.1f} s; each run is an ImportJob run by run_import_job in a child process; "
          f"{load()}")
    runs = [("preview (dry run)", first, True, False, "import_preview"),
            ("import, new rows", first, False, False, "import"),
            ("same file again (unchanged)", first, False, False, "reimport"),
            ("import under tracemalloc", second, False, True, "import_traced")]
    print(f"{'run':<28} {'rows':>7} {'created':>8} {'unchanged':>9} {'rejected':>8} {'s':>6} {'rows/s':>7} "
          f"{'max RSS':>8} {'heap peak':>9}")
    failed = False
    for label, path, dry_run, trace, key in runs:
        r = run_child(path, media, dry_run=dry_run, trace=trace)
        unchanged = r["rows"] - r["created"] - r["updated"] - r["rejected"]
        heap = f"{r['tracemalloc_mb']:.0f} MB" if r["tracemalloc_mb"] is not None else "-"
        print(f"{label:<28} {r['rows']:>7,} {r['created']:>8,} {unchanged:>9,} {r['rejected']:>8,} "
              f"{r['seconds']:6.1f} {r['rate']:7,.0f} {r['max_rss_mb']:5.0f} MB {heap:>9}"
              + ("" if r["status"] == "done" else f"  status {r['status']}: {r['error']}"), flush=True)
        figures[key] = r
        expected_created = 0 if key == "reimport" else rows  # a preview counts what it would create
        if r["status"] != "done" or r["rejected"] or r["rows"] != rows or r["created"] != expected_created:
            failed = True
    print(f"(max RSS includes Django and the child's start: {figures['import']['rss_before_import_mb']:.0f} MB "
          f"before the import began)")
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    return failed


# ---- the summary --------------------------------------------------------------------------------------

def summary(figures):
    def verdict(ok):
        return "ok" if ok else "MISSED"

    lines = []
    if figures.get("generate"):
        lines.append((f"generate-registry {N_ORGS:,} orgs x {PER_ORG} products", f"{figures['generate']:.0f} s "
                      f"({N_ORGS * (1 + PER_ORG) / figures['generate']:,.0f} rows/s)", "-", ""))
    else:
        lines.append(("generate-registry", "reused", "-", ""))
    for endpoint in ("organizations", "products"):
        p50, p95, worst = figures[f"search_{endpoint}"]
        lines.append((f"API search /{endpoint} p50 / p95", f"{p50:.1f} / {p95:.1f} ms (max {worst:.0f})",
                      f"p95 < {SEARCH_GOAL_MS} ms", verdict(p95 < SEARCH_GOAL_MS)))
    p50, p95, worst = figures["directory"]
    lines.append(("directory page p50 / p95", f"{p50:.1f} / {p95:.1f} ms (max {worst:.0f})",
                  f"p95 < {DIRECTORY_GOAL_MS} ms", verdict(p95 < DIRECTORY_GOAL_MS)))
    for key, label in (("import_preview", "import preview (dry run)"), ("import", "import, new rows"),
                       ("reimport", "re-import, unchanged rows")):
        if key not in figures:  # BENCH_SKIP_IMPORT
            continue
        r = figures[key]
        lines.append((f"{label}, {r['rows']:,} rows", f"{r['rate']:,.0f} rows/s, {r['max_rss_mb']:.0f} MB RSS",
                      f">= {IMPORT_GOAL_RATE:,} rows/s, < {IMPORT_GOAL_MB} MB",
                      verdict(r["rate"] >= IMPORT_GOAL_RATE and r["max_rss_mb"] < IMPORT_GOAL_MB)))
    if "import_traced" in figures:
        r = figures["import_traced"]
        lines.append(("import, Python heap peak (tracemalloc)", f"{r['tracemalloc_mb']:.0f} MB", "-", ""))
    print(f"\nsummary: {figures['organizations']:,} organizations, {figures['products']:,} products in the registry "
          f"(database {figures['db_size']}); PostgreSQL {figures['pg_version']}")
    width = max(len(line[0]) for line in lines) + 2
    value_width = max(len(line[1]) for line in lines) + 2
    print(load() + " at the end")
    print(f"{'figure':<{width}}{'measured':<{value_width}}{'goal':<32}")
    for name, value, goal, ok in lines:
        print(f"{name:<{width}}{value:<{value_width}}{goal:<32}{ok}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--import-child":
        import_child(sys.argv[2], "--dry-run" in sys.argv, "--tracemalloc" in sys.argv)
        return
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    # What a search or a directory page costs to compute: pages kept for visitors (core.pagecache)
    # would answer the repeated requests without running them. http_bench.py measures them kept.
    os.environ.setdefault("TADAMON_PAGE_CACHE_SECONDS", "0")
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    fresh = not (REUSE and database_exists(url))
    django_on_postgres(fresh=fresh)
    from django.db import connection
    from django.test import Client

    figures = {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        figures["pg_version"] = cursor.fetchone()[0]
    build_registry(figures)
    client = Client()
    api_search(client, figures)
    directory(client, figures)
    connection.close()  # the children import while this process holds no transaction or connection
    failed = False if SKIP_IMPORT else imports(figures)
    summary(figures)
    if failed:
        raise SystemExit("the import did not create exactly the rows of the file (see above)")


if __name__ == "__main__":
    main()
