"""Kill -9 under load: 200 people send a form in the last minute while gunicorn and PostgreSQL are
killed with SIGKILL midway, then restarted. Every acknowledged one must be there once, none twice.
Three scenarios, in sequence (choose with arguments or CRASH_SCENARIOS, e.g. ``registrations,orders``):

* ``applications``: 200 applicants send the last step of their fair application (50 click twice);
  acknowledged: the answer leads to the application's page.
* ``registrations``: 200 people register for 4 sessions of 30 seats (half signed in, half with a
  name and a phone number; 50 click twice); acknowledged: the answer leads to the registration's
  page (a confirmed place or the waiting list). Also checked: no session overbooked.
* ``orders``: 200 signed-in buyers put 1 or 2 units of one of 10 products (15 units each) in their
  basket and place the order (50 click "order" twice); acknowledged: the answer leads to the order's
  page; "sold out" is a refusal. Also checked: for each product units sold + stock left = initial
  stock, stock never below zero.

Everything runs on the loopback interface, in a private PostgreSQL cluster made for the run (the
shared server is never touched): ``initdb`` in a temporary directory, ``postgres`` on
CRASH_PG_PORT (default 8115), gunicorn (deploy/gunicorn.conf.py, 2 workers × 4 threads) on
CRASH_WEB_PORT (default 8116). Each person is a thread posting the form and, when the connection
fails or the server errs, trying again every half second, as a person would, until it gets an
answer. Once a third of the people have their answer, both servers' process groups get SIGKILL
(PostgreSQL recovers from its write-ahead log on restart); they are restarted 2 s later.

    .venv/bin/python benchmarks/crash_bench.py [applications] [registrations] [orders]
    # as root: PostgreSQL runs as the postgres user
"""

import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _crash import PG_BIN, PG_PORT, Run, Servers, django_setup, signed_in  # noqa: E402
from _setup import last_minute_applicants, market_offers, workshops  # noqa: E402

N = int(os.environ.get("CRASH_PEOPLE", os.environ.get("CRASH_APPLICANTS", "200")))
DOUBLE = 50
SCENARIOS = ("applications", "registrations", "orders")
SESSIONS, SEATS = 4, 30
PRODUCTS, STOCK = 10, 15


def double_click(path, fields, session_key, person, acknowledged, refused=lambda location: "refused"):
    """A person's click: post until answered; the answer is an acknowledgement when
    ``acknowledged(location)``, else a refusal named ``refused(location)`` (or its HTTP status)."""
    def click(run):
        answer = run.post(path, fields, session_key)
        if answer is None:
            return
        status, location = answer
        if status == 302 and acknowledged(location):
            run.answer(person, "ack", location)
        elif status == 302 and "/accounts/login/" in location:
            run.answer(person, "not signed in", location)
        else:
            run.answer(person, (status == 302 and refused(location)) or f"HTTP {status}", location)
    return click


def applications(servers):
    from django_scopes import scopes_disabled

    from tadamon.core.models import ActivityLog
    from tadamon.fairs.models import Application

    _edition, users, drafts = last_minute_applicants(N, prefix="crash", password=None)
    clicks = []
    for user, application in zip(users, drafts, strict=True):
        pk = application.pk
        click = double_click(f"/ar/applications/{pk}/step/declaration/", {"declaration_accepted": "on"},
                             signed_in(user), pk, lambda location, pk=pk: location.endswith(f"/applications/{pk}/"),
                             refused=lambda location: None)
        clicks += [click, click] if len(clicks) < 2 * DOUBLE else [click]
    run = Run(servers, drafts)
    run.go(clicks, seed=15)
    with scopes_disabled():
        sent = set(Application.objects.exclude(status="draft").values_list("pk", flat=True))
        logs = list(ActivityLog.objects.filter(action="application.submitted").values_list("object_id", flat=True))
    acked = run.acknowledged()
    return run.report("applications", N, DOUBLE, len(sent), len(acked - sent), len(logs) - len(set(logs)), 0, None,
                      f"; sent without acknowledgement: {len(sent - acked)}")


def registrations(servers):
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from tadamon.core.models import ActivityLog
    from tadamon.programme.models import Registration

    rng = random.Random(16)
    with scopes_disabled():
        sessions = workshops(SESSIONS, SEATS)
        clicks, people = [], []
        for i in range(N):
            session = rng.choice(sessions)
            if i % 2:  # signed in: the name is enough
                user = get_user_model().objects.create_user(email=f"crash-reg{i}@example.ma", password=None,
                                                            first_name=f"Participant {i}", email_verified=True)
                person, key, fields = (session.pk, "user", user.pk), signed_in(user), {"name": f"Participant {i}"}
            else:
                phone = f"06{i:08d}"
                person, key, fields = (session.pk, "phone", phone), None, {"name": f"Participant {i}", "phone": phone}
            click = double_click(f"/ar/programme/sessions/{session.pk}/register/", fields, key, person,
                                 lambda location: "/programme/registration/" in location)
            clicks += [click, click] if i < DOUBLE else [click]
            people.append(person)
    run = Run(servers, people)
    run.go(clicks, seed=16)
    with scopes_disabled():
        rows = Registration.objects.filter(session__in=sessions).exclude(status=Registration.Status.CANCELLED)
        found = Counter()
        for session_id, user_id, phone in rows.values_list("session_id", "user_id", "phone"):
            found[(session_id, "user", user_id) if user_id else (session_id, "phone", phone)] += 1
        confirmed = dict(rows.filter(status=Registration.Status.CONFIRMED).values("session_id")
                         .annotate(n=Count("pk")).values_list("session_id", "n"))
        logs = ActivityLog.objects.filter(action="registration.created").count()
    acked = run.acknowledged()
    overbooked = sum(max(n - SEATS, 0) for n in confirmed.values())
    duplicated = sum(n - 1 for n in found.values()) + max(logs - len(found), 0)
    return run.report(
        "registrations", N, DOUBLE, len(found), len(acked - set(found)), duplicated, overbooked,
        "overbooked places", f"; registered without acknowledgement: {len(set(found) - acked)}; "
        f"confirmed per session ({SEATS} seats): {sorted(confirmed.values())}; log entries: {logs}; "
        f"answers: {dict(Counter(k for a in run.answers.values() for k, _d in a))}")


def orders(servers):
    from django.contrib.auth import get_user_model
    from django.db.models import Sum
    from django_scopes import scopes_disabled

    from tadamon.core.models import ActivityLog
    from tadamon.market.models import Offer, Order, OrderLine

    rng = random.Random(17)
    with scopes_disabled():
        offers = market_offers(PRODUCTS // 2, 2, STOCK)
        buyers = [get_user_model().objects.create_user(email=f"crash-buyer{i}@example.ma", password=None,
                                                       first_name=f"Buyer {i}", email_verified=True)
                  for i in range(N)]
    clicks = []
    for i, buyer in enumerate(buyers):
        key, offer = signed_in(buyer), rng.choice(offers)
        basket = {"offer": offer.pk, "quantity": rng.choice((1, 1, 2))}
        order = double_click("/ar/market/checkout/", {"name": f"Buyer {i}", "phone": f"07{i:08d}"}, key, buyer.pk,
                             lambda location: "/market/orders/" in location,
                             refused=lambda location: "sold out" if location.endswith("/market/basket/") else
                             "nothing in the basket" if location.endswith("/market/") else None)

        def buy(run, basket=basket, key=key, order=order, twice=i < DOUBLE):
            if run.post("/ar/market/basket/add/", basket, key) is None:
                return
            if twice:  # the second click comes a moment after the first
                second = threading.Thread(target=order, args=(run,))
                second.start()
                time.sleep(random.uniform(0.02, 0.3))
                order(run)
                second.join()
            else:
                order(run)
        clicks.append(buy)
    run = Run(servers, buyers)
    run.go(clicks, seed=17)
    with scopes_disabled():
        placed = Counter(Order.objects.filter(buyer__in=buyers).values_list("buyer_id", flat=True))
        sold = dict(OrderLine.objects.filter(offer__in=offers).exclude(order__status="cancelled")
                    .values("offer_id").annotate(n=Sum("quantity")).values_list("offer_id", "n"))
        left = dict(Offer.objects.filter(pk__in=[o.pk for o in offers]).values_list("pk", "stock"))
        logs = ActivityLog.objects.filter(action="market.order_placed").count()
    acked = run.acknowledged()
    oversold = sum(1 for o in offers if sold.get(o.pk, 0) + left[o.pk] != STOCK or left[o.pk] < 0)
    duplicated = sum(n - 1 for n in placed.values()) + max(logs - sum(placed.values()), 0)
    return run.report(
        "orders", N, DOUBLE, sum(placed.values()), len(acked - set(placed)), duplicated, oversold,
        "oversold products", f"; ordered without acknowledgement: {len(set(placed) - acked)}; units sold: "
        f"{sum(sold.values())} of {PRODUCTS * STOCK}; log entries: {logs}; "
        f"answers: {dict(Counter(k for a in run.answers.values() for k, _d in a))}")


def main():
    chosen = sys.argv[1:] or [s for s in os.environ.get("CRASH_SCENARIOS", ",".join(SCENARIOS)).split(",") if s]
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenario {', '.join(sorted(unknown))}: choose from {', '.join(SCENARIOS)}")
    if not (PG_BIN / "initdb").exists():
        print(f"skipped: PostgreSQL's server programs are not in {PG_BIN} (set CRASH_PG_BIN)")
        return
    workdir = Path(tempfile.mkdtemp(prefix="tadamon-crash-"))
    # One secret key for this script (which opens the sessions) and gunicorn (which reads them).
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["TADAMON_VAR"] = str(workdir / "var")
    servers = Servers(workdir)
    failed = []
    try:
        servers.init_db()
        servers.start_db()
        subprocess.run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres",
                        "tadamon_crash"], check=True)
        django_setup(servers.url)
        servers.start_web()
        for name in chosen:
            started = time.perf_counter()
            if not globals()[name](servers):
                failed.append(name)
            print(f"   ({name}: {time.perf_counter() - started:.0f} s with the set-up)")
    finally:
        servers.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
