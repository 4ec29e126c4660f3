"""500 people register at the same moment for a workshop of 50 seats, on PostgreSQL.

Each person sends the registration form (a name and a phone number, no account) through Django's test
client, so middleware, the view, the service and the confirmation text message all run; a pool of 16
threads plays the server (like gunicorn with 4 workers × 4 threads), each thread with its own database
connection; latency counts the wait for a free thread. The session row is locked while the places are
counted, so the requests for this one session take turns.
Checks: exactly 50 confirmed, 450 on the waiting list in arrival order, nobody registered twice, one
log entry each; reports the p50/p95 latency.

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tadamon_bench_registrations) is dropped
and created again. BENCH_SPREAD_SECONDS (default 0: all at once) spreads the arrivals.
"""

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tadamon_bench_registrations")

from _setup import django_on_postgres, percentile, workshops  # noqa: E402

N = 500
SEATS = 50
THREADS = 16


def main():
    django_on_postgres()
    from django.db import connection
    from django.test import Client
    from django_scopes import scopes_disabled

    from tadamon.core import sms
    from tadamon.core.models import ActivityLog
    from tadamon.programme.models import Registration

    assert connection.vendor == "postgresql"
    workshop = workshops(1, SEATS)[0]
    url = f"/ar/programme/sessions/{workshop.pk}/register/"

    latencies, services_times, statuses = [], [], []
    lock = threading.Lock()
    local = threading.local()

    def post(i, arrival):
        if getattr(local, "client", None) is None:
            local.client = Client()
        begun = time.perf_counter()
        response = local.client.post(url, {"name": f"Participant {i}", "phone": f"06{i:08d}"})
        done = time.perf_counter()
        with lock:
            latencies.append(done - arrival)
            services_times.append(done - begun)
            statuses.append(response.status_code)

    spread = float(os.environ.get("BENCH_SPREAD_SECONDS", "0"))
    rng = random.Random(7)
    offsets = sorted(rng.uniform(0, spread) for _ in range(N)) if spread else [0.0] * N
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = []
        for i, offset in enumerate(offsets):
            delay = started + offset - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(post, i, time.perf_counter()))
        for f in futures:
            f.result()
    wall = time.perf_counter() - started

    with scopes_disabled():
        rows = Registration.objects.filter(session=workshop)
        confirmed = rows.filter(status=Registration.Status.CONFIRMED).count()
        waitlisted = rows.filter(status=Registration.Status.WAITLISTED).count()
        people = rows.values("phone").distinct().count()
        logs = ActivityLog.objects.filter(action="registration.created").count()
        # The waiting list keeps the arrival order of the transactions: its first is the 51st to commit.
        order = list(rows.order_by("queued_at", "pk").values_list("status", flat=True))
    in_order = order[:SEATS] == [Registration.Status.CONFIRMED] * SEATS
    print(f"people: {N} registering for {SEATS} seats, arriving over {spread:.0f} s, {THREADS} server threads, "
          f"wall time {wall:.1f} s ({N / wall:.0f} registrations/s)")
    print(f"confirmed: {confirmed} (overbooked: {max(confirmed - SEATS, 0)}), waiting list: {waitlisted}, "
          f"people: {people}, log entries: {logs}, text messages: {len(sms.outbox)}, "
          f"first {SEATS} in arrival order confirmed: {in_order}, HTTP: {sorted(set(statuses))}")
    print(f"latency p50 {percentile(latencies, 50) * 1000:.0f} ms, p95 {percentile(latencies, 95) * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms (waiting for a server thread included)")
    print(f"time in the server p50 {percentile(services_times, 50) * 1000:.0f} ms, "
          f"p95 {percentile(services_times, 95) * 1000:.0f} ms")
    if confirmed != SEATS or waitlisted != N - SEATS or people != N or logs != N or set(statuses) != {302}:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
