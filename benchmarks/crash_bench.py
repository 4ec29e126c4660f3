"""Kill -9 under load: 200 applicants send their application in the last minute while gunicorn and
PostgreSQL are killed with SIGKILL midway, then restarted. Every acknowledged submission must be
there once, none twice.

Everything runs on the loopback interface, in a private PostgreSQL cluster made for the run (the
shared server is never touched): ``initdb`` in a temporary directory, ``postgres`` on
CRASH_PG_PORT (default 8115), gunicorn (deploy/gunicorn.conf.py, 2 workers × 4 threads) on
CRASH_WEB_PORT (default 8116). Each applicant is a thread with a signed-in session: it posts the
last step of its application (50 of them click twice) and, when the connection fails, tries again
every half second, as a person would, until it gets the answer. An answer "302" is an
acknowledgement. Once a third of the applicants are acknowledged, both servers' process groups get
SIGKILL (PostgreSQL recovers from its write-ahead log on restart); they are restarted 2 s later.

    .venv/bin/python benchmarks/crash_bench.py      # as root: PostgreSQL runs as the postgres user
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("CRASH_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = int(os.environ.get("CRASH_PG_PORT", "8115"))
WEB_PORT = int(os.environ.get("CRASH_WEB_PORT", "8116"))
N = int(os.environ.get("CRASH_APPLICANTS", "200"))
DOUBLE = 50
SPREAD = float(os.environ.get("CRASH_SPREAD_SECONDS", "20"))
KILL_AFTER = N // 3


def as_postgres(args):
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Servers:
    def __init__(self, workdir):
        self.workdir = workdir
        self.data = workdir / "pgdata"
        self.pg = self.web = None
        self.url = f"postgres://postgres@127.0.0.1:{PG_PORT}/tadamon_crash"

    def init_db(self):
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
            shutil.chown(self.data, "postgres")
        subprocess.run(as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                                    "--no-instructions"]), check=True, capture_output=True)

    def start_db(self):
        self.pg = subprocess.Popen(
            as_postgres([str(PG_BIN / "postgres"), "-D", str(self.data), "-p", str(PG_PORT), "-c",
                         "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.data}",
                         "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "max_connections=60"]),
            stdout=subprocess.DEVNULL, stderr=open(self.workdir / "postgres.log", "ab"), start_new_session=True)
        for _ in range(100):
            if subprocess.run([str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(PG_PORT)],
                              capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit("PostgreSQL did not start (see postgres.log)")

    def start_web(self):
        env = {**os.environ, "DATABASE_URL": self.url, "GUNICORN_BIND": f"127.0.0.1:{WEB_PORT}",
               "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "4", "GUNICORN_LOG_LEVEL": "warning",
               "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
               "TADAMON_SMS_BACKEND": "tadamon.core.sms.LocmemBackend", "DB_CONN_MAX_AGE": "0"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--access-logfile", "/dev/null"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "gunicorn.log", "ab"), start_new_session=True)
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}/ar/about/", timeout=2)
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        raise SystemExit("gunicorn did not start (see gunicorn.log)")

    def kill(self):
        for process in (self.web, self.pg):
            if process is not None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop(self):
        if self.web is not None:
            os.killpg(self.web.pid, signal.SIGTERM)
            self.web.wait()
        if self.pg is not None:
            os.killpg(self.pg.pid, signal.SIGINT)  # fast shutdown
            self.pg.wait()


def prepare(url):
    """Migrate and create the edition, the 200 applicants with complete drafts, and their sessions."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tadamon.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connections


    call_command("migrate", verbosity=0)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _setup import last_minute_applicants

    applicants = []
    _edition, users, applications = last_minute_applicants(N, prefix="crash", password=None)
    for user, application in zip(users, applications, strict=True):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        applicants.append((application.pk, session.session_key))
    connections.close_all()
    return applicants


def submit(application_pk, session_key, acknowledged, attempts, lock, deadline):
    """Post the last step until the server answers (a person clicking again after an error)."""
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret in both places
    body = f"csrfmiddlewaretoken={csrf}&declaration_accepted=on".encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{WEB_PORT}/ar/applications/{application_pk}/step/declaration/", data=body, method="POST",
        headers={"Cookie": f"sessionid={session_key}; csrftoken={csrf}",
                 "Content-Type": "application/x-www-form-urlencoded"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    while time.monotonic() < deadline:
        with lock:
            attempts[0] += 1
        location = ""
        try:
            opener.open(request, timeout=20)
            status = 200
        except urllib.error.HTTPError as answer:
            status, location = answer.code, answer.headers.get("Location", "")
        except (OSError, urllib.error.URLError) as error:
            status, location = None, repr(error)
        if status == 302 and "/accounts/login/" in location:
            print(f"not signed in: {location}", file=sys.stderr)
            return
        if status == 302 and location.endswith(f"/applications/{application_pk}/"):
            with lock:
                acknowledged.append(application_pk)
            return
        if os.environ.get("CRASH_DEBUG"):
            print("answer", status, location, file=sys.stderr)
        time.sleep(0.5)


def main():
    if not (PG_BIN / "initdb").exists():
        print(f"skipped: PostgreSQL's server programs are not in {PG_BIN} (set CRASH_PG_BIN)")
        return
    workdir = Path(tempfile.mkdtemp(prefix="tadamon-crash-"))
    # One secret key for this script (which opens the sessions) and gunicorn (which reads them).
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["TADAMON_VAR"] = str(workdir / "var")
    servers = Servers(workdir)
    import random

    try:
        servers.init_db()
        servers.start_db()
        subprocess.run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres",
                        "tadamon_crash"], check=True)
        started = time.perf_counter()
        applicants = prepare(servers.url)
        print(f"set-up: {N} applicants with complete drafts in {time.perf_counter() - started:.1f} s")
        servers.start_web()

        acknowledged, attempts, lock = [], [0], threading.Lock()
        rng = random.Random(15)
        clicks = applicants + applicants[:DOUBLE]
        rng.shuffle(clicks)
        offsets = sorted(rng.uniform(0, SPREAD) for _ in clicks)
        deadline = time.monotonic() + SPREAD + 120
        threads = []
        t0 = time.perf_counter()
        crash = {}

        def crash_midway():
            while len(acknowledged) < KILL_AFTER:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.01)
            servers.kill()
            crash["killed_at"], crash["acked"] = time.perf_counter() - t0, len(acknowledged)
            time.sleep(2)
            servers.start_db()
            servers.start_web()
            crash["restarted_at"] = time.perf_counter() - t0

        monitor = threading.Thread(target=crash_midway)
        monitor.start()
        for (pk, key), offset in zip(clicks, offsets, strict=True):
            time.sleep(max(0.0, offset - (time.perf_counter() - t0)))
            thread = threading.Thread(target=submit, args=(pk, key, acknowledged, attempts, lock, deadline))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        monitor.join()
        wall = time.perf_counter() - t0
        if "restarted_at" not in crash:
            raise SystemExit("the servers were never killed: raise CRASH_SPREAD_SECONDS")

        # Count from a fresh connection to the restarted database.
        from django.db import connections
        from django_scopes import scopes_disabled

        from tadamon.core.models import ActivityLog
        from tadamon.fairs.models import Application

        connections.close_all()
        with scopes_disabled():
            sent = set(Application.objects.exclude(status="draft").values_list("pk", flat=True))
            logs = list(ActivityLog.objects.filter(action="application.submitted").values_list("object_id", flat=True))
        acked = set(acknowledged)
        lost = acked - sent
        duplicates = len(logs) - len(set(logs))
        print(f"{N} applicants ({DOUBLE} clicking twice) over {SPREAD:.0f} s; {attempts[0]} requests in all; "
              f"SIGKILL to gunicorn and PostgreSQL at {crash['killed_at']:.1f} s after {crash['acked']} "
              f"acknowledgements, both back at {crash['restarted_at']:.1f} s; wall time {wall:.1f} s")
        print(f"acknowledged: {len(acked)}/{N}; in the database: {len(sent)}; acknowledged but lost: {len(lost)}; "
              f"submissions logged twice: {duplicates}")
        if lost or duplicates or len(acked) != N or sent != acked:
            raise SystemExit(1)
    finally:
        servers.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
