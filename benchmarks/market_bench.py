"""500 buyers order the same 20 products within one minute, over HTTP, from a real server.

Gunicorn (deploy/gunicorn.conf.py: gthread workers) serves Tadamon on the loopback interface, on
PostgreSQL. Each buyer, without an account, does what a phone does: opens the catalogue, puts two or
three of the 20 products in the basket, sends the checkout form (name, phone), reads the code sent
by text message (the console SMS backend prints it in the server's output, which this script reads)
and sends it: the orders are placed then. Arrivals are spread at random over 60 seconds; demand is
about one and a half times the stock, so many baskets are refused for lack of stock at the end.

Checks: nothing oversold (for each product, units sold + stock left = initial stock, stock never
below zero), every order logged, no server error. Reports p50/p95 of every request and of the
request that places the orders.

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tadamon_bench_market) is dropped and
created again; BENCH_PORT (default 8105); BENCH_BUYERS (500); BENCH_SECONDS (60).
"""

import os
import random
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tadamon_bench_market")

from _setup import ROOT, django_on_postgres, market_offers, percentile  # noqa: E402

BUYERS = int(os.environ.get("BENCH_BUYERS", "500"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
PORT = int(os.environ.get("BENCH_PORT", "8105"))
PRODUCTS = 20
STOCK = 60
CLIENT_THREADS = 48


def setup_market():
    """Five cooperatives of Fès-Meknès selling four products each, 60 units of each."""
    return market_offers(PRODUCTS // 4, 4, STOCK)


def start_server(log_path):
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "4",
           "GUNICORN_LOG_LEVEL": "warning", "TADAMON_SMS_BACKEND": "tadamon.core.sms.ConsoleBackend",
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "DB_CONN_MAX_AGE": "60",
           "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "tadamon.settings"}
    log = open(log_path, "w")  # noqa: SIM115 - closed when the server stops
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(300):
            try:
                if requests.get(f"{base}/ar/market/", timeout=30).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"the server did not start; see {log_path}")
        # Every worker loads the code, the templates and the catalogues on its first requests: warm them.
        with ThreadPoolExecutor(max_workers=12) as pool:
            list(pool.map(lambda _i: requests.get(f"{base}/ar/market/", timeout=60), range(36)))
    except BaseException:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        raise
    return server, log, base


class Codes:
    """The codes the server printed (``SMS to <phone>: … <six digits> …``), read from its output."""

    PATTERN = re.compile(r"SMS to (\d+): .*?\b(\d{6})\b")

    def __init__(self, path):
        self.path, self.offset, self.codes, self.lock = path, 0, {}, threading.Lock()

    def wait_for(self, phone, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if phone in self.codes:
                    return self.codes.pop(phone)
                with open(self.path, encoding="utf-8", errors="replace") as handle:
                    handle.seek(self.offset)
                    text = handle.read()
                    end = text.rfind("\n") + 1
                    self.offset += len(text[:end].encode("utf-8"))
                for number, code in self.PATTERN.findall(text[:end]):
                    self.codes[number] = code
                if phone in self.codes:
                    return self.codes.pop(phone)
            time.sleep(0.05)
        raise RuntimeError(f"no code for {phone}")


def buyer(i, base, offer_ids, codes, record):
    rng = random.Random(i)
    session = requests.Session()
    phone = f"06{i:08d}"

    def call(kind, method, path, **kwargs):
        begun = time.perf_counter()
        response = session.request(method, base + path, allow_redirects=False, timeout=60, **kwargs)
        record(kind, time.perf_counter() - begun, response.status_code)
        return response

    call("catalogue", "GET", "/ar/market/")
    token = session.cookies.get("csrftoken")
    headers = {"X-CSRFToken": token, "Referer": base + "/ar/market/"}
    for offer_id in rng.sample(offer_ids, rng.choice([2, 3])):
        call("basket", "POST", "/ar/market/basket/add/", data={"offer": offer_id, "quantity": rng.choice([1, 2])},
             headers=headers)
    checkout = call("checkout", "POST", "/ar/market/checkout/", data={"name": f"Buyer {i}", "phone": phone},
                    headers=headers)
    if checkout.status_code != 302 or not checkout.headers["Location"].endswith("/checkout/code/"):
        return "refused"
    placed = call("place", "POST", "/ar/market/checkout/code/", data={"code": codes.wait_for(phone)},
                  headers=headers)
    if placed.status_code == 302 and "/market/orders/" in placed.headers["Location"]:
        return "placed"
    return "refused"


def main():
    django_on_postgres()
    from django.db import connection
    from django_scopes import scopes_disabled

    from tadamon.core.models import ActivityLog
    from tadamon.market.models import Offer, Order, OrderLine

    assert connection.vendor == "postgresql"
    offers = setup_market()
    offer_ids = [o.pk for o in offers]
    connection.close()
    log_path = ROOT / "var" / "market_bench_server.log"
    log_path.parent.mkdir(exist_ok=True)
    server, log, base = start_server(log_path)
    codes = Codes(log_path)
    timings, lock = [], threading.Lock()

    def record(kind, seconds, status):
        with lock:
            timings.append((kind, seconds, status))

    outcomes = []
    load_before = os.getloadavg()[0]
    rng = random.Random(13)
    arrivals = sorted(rng.uniform(0, SECONDS) for _ in range(BUYERS))
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
            futures = []
            for i, at in enumerate(arrivals):
                delay = started + at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(buyer, i, base, offer_ids, codes, record))
            outcomes = [f.result() for f in futures]
    finally:
        wall = time.perf_counter() - started
        server.terminate()
        server.wait(timeout=30)
        log.close()

    with scopes_disabled():
        oversold = 0
        for offer in Offer.objects.filter(pk__in=offer_ids):
            sold = sum(OrderLine.objects.filter(offer=offer).values_list("quantity", flat=True))
            oversold += max(0, sold + offer.stock - STOCK) + max(0, -offer.stock)
            if sold + offer.stock != STOCK:
                oversold += 1
        orders = Order.objects.count()
        logged = ActivityLog.objects.filter(action="market.order_placed").count()
        units = sum(OrderLine.objects.values_list("quantity", flat=True))
        sold_out = Offer.objects.filter(pk__in=offer_ids, stock=0).count()
    statuses = sorted({s for _k, _t, s in timings})
    every = [t for _k, t, _s in timings]
    place = [t for k, t, _s in timings if k == "place"]
    print(f"load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}, on {os.cpu_count()} cores")
    print(f"buyers: {BUYERS} over {SECONDS:.0f} s ({outcomes.count('placed')} placed their orders, "
          f"{outcomes.count('refused')} refused for lack of stock), {PRODUCTS} products × {STOCK} units, "
          f"gunicorn 3 workers × 4 threads on 127.0.0.1, wall time {wall:.1f} s")
    print(f"orders: {orders} (log entries {logged}), units sold {units} of {PRODUCTS * STOCK}, "
          f"products sold out {sold_out}, oversold: {oversold}, HTTP statuses {statuses}")
    print(f"all {len(every)} requests: p50 {percentile(every, 50) * 1000:.0f} ms, "
          f"p95 {percentile(every, 95) * 1000:.0f} ms, max {max(every) * 1000:.0f} ms")
    print(f"placing the orders (phone code sent): p50 {percentile(place, 50) * 1000:.0f} ms, "
          f"p95 {percentile(place, 95) * 1000:.0f} ms, max {max(place) * 1000:.0f} ms")
    if oversold or orders != logged or any(s >= 500 for s in statuses):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
