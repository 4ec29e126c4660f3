"""Public pages over HTTP at national scale: gunicorn as deployed, loaded by locust.

1. The registry of registry_bench.py (``generate-registry``, 64,000 organizations, 320,000 products,
   bounded by BENCH_ORGS; BENCH_REUSE=1 keeps an earlier one) plus the demo's fairs and programme
   (``load-demo``) for an edition page and a public programme.
2. The production set-up of deploy/: ``collectstatic`` (WhiteNoise's compressed, hashed files,
   cached for a year) and gunicorn with deploy/gunicorn.conf.py, TADAMON_ENV=production, on loopback,
   with Redis as the shared cache (BENCH_REDIS_URL, default database 15, emptied first) as
   docs/operations.md sets it up; the public pages are kept there for visitors (core.pagecache).
3. Page weight: each page's first load as sent compressed (HTML, CSS, JS, fonts; not the photos).
4. Latency: 50 locust users (BENCH_USERS) for BENCH_SECONDS (default 60), each requesting the home,
   the directory, a search, an edition page and the public programme in random order with
   BENCH_WAIT seconds of think time between two requests (default 1-4): p50/p95 per page. A sixth
   kind of request, "searches", takes one of 598 directory searches (different words, region or
   page), so that almost every one is a new search that no cache holds. Users arrive
   BENCH_SPAWN_RATE a second (default 10), as visitors do, and the figures count from when all 50
   are there (locust --reset-stats): 50 users sending their first request in the same millisecond
   measure a queue that steady traffic never builds (BENCH_SPAWN_RATE=50 gives that start).
5. Throughput: the same 50 users without think time, one page at a time for BENCH_BURST_SECONDS
   (default 15), then a static file of the same size as that page (served by WhiteNoise):
   requests per second and their ratio.

Goals: p95 < 150 ms for pages, < 50 ms for the search; ratio >= 0.3; first load < 100 KB.
A missed goal is printed as MISSED.
"""

import csv
import gzip
import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from _setup import DEFAULT_URL, django_on_postgres

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8106"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
BURST_SECONDS = int(os.environ.get("BENCH_BURST_SECONDS", "15"))
WAIT = os.environ.get("BENCH_WAIT", "1-4")
WARM_SECONDS = int(os.environ.get("BENCH_WARM_SECONDS", "20"))
SPAWN_RATE = os.environ.get("BENCH_SPAWN_RATE", "10")

PAGE_GOAL_MS = 150
SEARCH_GOAL_MS = 50
RATIO_GOAL = 0.3
WEIGHT_GOAL_KB = 100


def load():
    return "load average " + " / ".join(f"{x:.1f}" for x in os.getloadavg())


def verdict(ok):
    return "ok" if ok else "MISSED"


# ---- 1. the data ------------------------------------------------------------------------------------

def prepare_data():
    import registry_bench
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from tadamon.fairs.models import Edition
    from tadamon.programme.views.public import _public_sessions

    figures = {}
    registry_bench.build_registry(figures)
    with scopes_disabled():
        if not Edition.objects.exists():
            started = time.perf_counter()
            call_command("load-demo", verbosity=0)
            print(f"load-demo (fairs, programme) in {time.perf_counter() - started:.0f} s")
        from django.db.models import Count

        from tadamon.fairs.views.public import PUBLIC_STATUSES

        edition = (Edition.objects.filter(status__in=PUBLIC_STATUSES).annotate(n=Count("applications"))
                   .order_by("-n", "pk").first())
        programme = (_public_sessions().values("edition_id").annotate(n=Count("id")).order_by("-n").first())
    if edition is None or programme is None:
        raise SystemExit("no public edition or programme: load-demo did not give one")
    return {
        "home": "/ar/",
        "directory": "/ar/organizations/",
        "search": "/ar/organizations/?q=" + urllib.parse.quote("زيت الاركان"),
        "edition": f"/ar/fairs/{edition.pk}/",
        "programme": f"/ar/programme/{programme['edition_id']}/",
    }


VARIED = "searches"


def varied_searches():
    """Directory searches as many visitors type them: the queries of registry_bench.py, alone or
    with a region, first or second page (598 addresses)."""
    import registry_bench

    from tadamon.core.models import Region

    regions = ["", *Region.objects.order_by("code").values_list("code", flat=True)]
    paths = []
    for query, _note in registry_bench.QUERIES:
        for region in regions:
            for page in ("1", "2"):
                params = {"q": query, "region": region, "page": page}
                params = {k: v for k, v in params.items() if v and not (k == "page" and v == "1")}
                paths.append("/ar/organizations/?" + urllib.parse.urlencode(params))
    return paths


# ---- 2. the server --------------------------------------------------------------------------------------

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


def shared_cache():
    """The Redis database the server's cache uses, emptied (pages kept by an earlier run may come from
    other code); None when Redis is not reachable (each worker then keeps its own cache in memory)."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        client.flushdb()
    except redis.RedisError:
        return None
    return REDIS_URL


def server_env(static_root, url):
    redis_url = shared_cache()
    print(f"cache: {'Redis ' + redis_url if redis_url else 'local memory of each worker (Redis unreachable)'}")
    return {**os.environ, "REDIS_URL": redis_url or "", "TADAMON_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": url,
            "DB_CONN_MAX_AGE": "60", "STATIC_ROOT": str(static_root), "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "GUNICORN_LOG_LEVEL": "warning", "TADAMON_STAFF_REQUIRE_2FA": "0"}


def collect_static(env):
    started = time.perf_counter()
    subprocess.run([str(BIN / "tadamon"), "collectstatic", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
    print(f"collectstatic (compressed, hashed) in {time.perf_counter() - started:.0f} s")


def same_size_static(static_root, label, html):
    """A static file as large as the page (rendered here by Django's test client), sent uncompressed
    like the page: gunicorn does not compress, nginx would compress both."""
    path = Path(static_root) / "bench" / f"same-size-{label}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html)
    return f"/static/bench/{path.name}"


def start_gunicorn(env):
    log = open(Path(env["STATIC_ROOT"]).parent / "gunicorn.log", "wb")  # noqa: SIM115
    process = subprocess.Popen([str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],  # noqa: S603
                               env=env, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=0.2):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {log.name}") from None
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start listening")


def get(path, encoding="br, gzip"):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}",  # noqa: S310 (loopback only)
                                     headers={"Accept-Encoding": encoding, "Accept-Language": "ar"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read(), dict(response.headers)


# ---- 3. page weight -----------------------------------------------------------------------------------

def page_weight(path):
    """Bytes as sent (compressed) of the page and of the CSS, JS and fonts it loads first."""
    body, headers = get(path)
    html, _ = get(path, encoding="identity")
    if "Content-Encoding" not in headers:
        # Gunicorn sends HTML as it is; nginx (deploy/nginx.conf.example: gzip on, level 1) compresses it.
        body = gzip.compress(html, compresslevel=1)
    text = html.decode()
    assets = set(re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text))
    assets |= set(re.findall(r'<script[^>]+src="([^"]+)"', text))
    assets |= set(re.findall(r'<link[^>]+rel="preload"[^>]+href="([^"]+)"[^>]+as="font"', text))
    sizes = {"html": len(body), "css": 0, "js": 0, "fonts": 0}
    fonts = set()
    for asset in sorted(assets):
        data, _ = get(asset)
        kind = "css" if asset.endswith(".css") else "js" if asset.endswith(".js") else "fonts"
        if kind == "fonts":
            fonts.add(asset)
        sizes[kind] += len(data)
        if kind == "css":  # the fonts of the page's script that the style sheet asks for
            plain, _ = get(asset, encoding="identity")
            base = asset.rsplit("/", 1)[0]
            for url in re.findall(r'url\("?([^")]+\.woff2)"?\)', plain.decode()):
                font = os.path.normpath(f"{base}/{url}")
                arabic = "arabic" in font
                if font not in fonts and arabic == ("/ar/" in path):
                    fonts.add(font)
                    sizes["fonts"] += len(get(font)[0])
    return sizes


# ---- 4 and 5. locust ------------------------------------------------------------------------------------

def locust(pages, users, seconds, wait, folder, name):
    env = {**os.environ, "BENCH_PAGES": json.dumps(pages), "BENCH_WAIT": wait}
    prefix = Path(folder) / name
    # The run lasts the arrival of the users plus ``seconds`` counted once they are all there.
    arrival = math.ceil(users / float(SPAWN_RATE))
    subprocess.run([str(BIN / "locust"), "-f", str(HERE / "http_locustfile.py"), "--headless",  # noqa: S603
                    "-u", str(users), "-r", SPAWN_RATE, "--reset-stats", "-t", f"{seconds + arrival}s",
                    "--host", f"http://127.0.0.1:{PORT}",
                    "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                   env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    empty = {"Request Count": "0", "Failure Count": "0", "50%": "0", "95%": "0", "Max Response Time": "0",
             "Requests/s": "0"}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return {label: rows.get(label, empty) for label in pages}


def warm_up(pages, folder):
    """Every gunicorn worker imports the code and compiles the templates on its first requests:
    a short run of locust, not counted, reaches them all."""
    started = time.perf_counter()
    stats = locust(pages, 10, WARM_SECONDS, "0.2-0.5", folder, "warm-up")
    done = sum(int(row["Request Count"]) for row in stats.values())
    print(f"warm-up: {done} requests in {time.perf_counter() - started:.0f} s (not counted)")


def main():
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    import registry_bench

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    django_on_postgres(fresh=not (registry_bench.REUSE and registry_bench.database_exists(url)))
    pages = prepare_data()
    from django.db import connection
    from django.test import Client

    client = Client()
    html_of = {label: client.get(path).content for label, path in pages.items()}
    connection.close()
    folder = Path(tempfile.mkdtemp(prefix="tadamon-http-"))
    env = server_env(folder / "static", url)
    collect_static(env)
    statics = {label: same_size_static(env["STATIC_ROOT"], label, html) for label, html in html_of.items()}
    server = start_gunicorn(env)
    failed = []
    try:
        print(f"\ngunicorn (deploy/gunicorn.conf.py: {os.cpu_count() * 2 + 1} workers x 4 threads) on "
              f"127.0.0.1:{PORT}, TADAMON_ENV=production; {load()}")
        print(f"\npage weight, first load as sent (compressed; KB), goal < {WEIGHT_GOAL_KB} KB")
        print(f"{'page':<11} {'html':>6} {'css':>6} {'js':>6} {'fonts':>6} {'total':>7}")
        weights = {}
        for label, path in pages.items():
            sizes = page_weight(path)
            total = sum(sizes.values()) / 1024
            weights[label] = total
            ok = total < WEIGHT_GOAL_KB
            failed += [] if ok else [f"weight of {label}"]
            print(f"{label:<11} " + " ".join(f"{sizes[k] / 1024:6.1f}" for k in ("html", "css", "js", "fonts"))
                  + f" {total:7.1f}  {verdict(ok)}")

        warm_up(pages, folder)
        print(f"\nlatency: {USERS} users (arriving {SPAWN_RATE} a second, counted once all there) for {SECONDS} s, "
              f"think time {WAIT} s, pages in random order; {load()}")
        varied = varied_searches()
        stats = locust({**pages, VARIED: varied}, USERS, SECONDS, WAIT, folder, "mixed")
        print(f"({VARIED}: one of {len(varied)} directory searches, different words, region or page, "
              "so that almost every request is a new one)")
        print(f"{'page':<11} {'requests':>8} {'failed':>6} {'p50':>6} {'p95':>6} {'max':>6}  goal")
        for label in [*pages, VARIED]:
            row = stats[label]
            goal = SEARCH_GOAL_MS if label in ("search", VARIED) else PAGE_GOAL_MS
            p95 = float(row["95%"])
            ok = p95 < goal and row["Failure Count"] == "0" and row["Request Count"] != "0"
            failed += [] if ok else [f"p95 of {label}"]
            print(f"{label:<11} {row['Request Count']:>8} {row['Failure Count']:>6} {float(row['50%']):6.0f} "
                  f"{p95:6.0f} {float(row['Max Response Time']):6.0f}  p95 < {goal} ms  {verdict(ok)}")
        print(load())

        print(f"\nthroughput: {USERS} users without think time, {BURST_SECONDS} s each; "
              f"the static file is as large as the page")
        print(f"{'page':<11} {'req/s':>7} {'p95':>6} {'static req/s':>12} {'ratio':>6}  goal >= {RATIO_GOAL}")
        for label, path in pages.items():
            static = statics[label]
            page_row = locust({label: path}, USERS, BURST_SECONDS, "0", folder, f"burst-{label}")[label]
            static_row = locust({"static": static}, USERS, BURST_SECONDS, "0", folder, f"static-{label}")["static"]
            page_rps, static_rps = float(page_row["Requests/s"]), float(static_row["Requests/s"])
            ratio = page_rps / static_rps if static_rps else 0
            ok = ratio >= RATIO_GOAL
            failed += [] if ok else [f"throughput ratio of {label}"]
            print(f"{label:<11} {page_rps:7.1f} {float(page_row['95%']):6.0f} {static_rps:12.1f} {ratio:6.2f}  "
                  f"{verdict(ok)}", flush=True)
        print(load())
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    print("\nMISSED: " + "; ".join(failed) if failed else "\nevery goal met")


if __name__ == "__main__":
    main()
