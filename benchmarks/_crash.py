"""What the kill -9 scenarios of crash_bench.py share: a private PostgreSQL cluster and gunicorn that
can be killed with SIGKILL and restarted, signed-in sessions, a form post that a person repeats until
the server answers, and the run that kills both servers once a third of the people have their answer.
"""

import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("CRASH_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = int(os.environ.get("CRASH_PG_PORT", "8115"))
WEB_PORT = int(os.environ.get("CRASH_WEB_PORT", "8116"))
SPREAD = float(os.environ.get("CRASH_SPREAD_SECONDS", "20"))


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
        if self.web is not None and self.web.poll() is None:
            os.killpg(self.web.pid, signal.SIGTERM)
            self.web.wait()
        if self.pg is not None and self.pg.poll() is None:
            os.killpg(self.pg.pid, signal.SIGINT)  # fast shutdown
            self.pg.wait()


def django_setup(url):
    """Django in this process, on the private cluster, migrated (the script prepares and counts)."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tadamon.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def signed_in(user):
    """The key of a session in which ``user`` is signed in, as after logging in."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class Run:
    """One scenario's load: people's threads posting forms, and the crash once a third have an answer."""

    def __init__(self, servers, people):
        self.servers, self.people = servers, people
        self.lock = threading.Lock()
        self.attempts = 0
        self.answers = {}  # person -> list of (kind, detail) of each click's final answer
        self.crash = {}
        self.deadline = time.monotonic() + SPREAD + 120

    def post(self, path, fields, session_key=None):
        """POST a form until the server answers (a person clicking again after an error): the answer's
        (status, Location) or None when the deadline passed."""
        csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret in both places
        cookie = f"csrftoken={csrf}" + (f"; sessionid={session_key}" if session_key else "")
        request = urllib.request.Request(
            f"http://127.0.0.1:{WEB_PORT}{path}", data=urlencode({"csrfmiddlewaretoken": csrf, **fields}).encode(),
            method="POST", headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        while time.monotonic() < self.deadline:
            with self.lock:
                self.attempts += 1
            try:
                _opener.open(request, timeout=20)
                return 200, ""
            except urllib.error.HTTPError as answer:
                if answer.code < 500:
                    return answer.code, answer.headers.get("Location", "")
                error = f"{answer.code}"
            except (OSError, urllib.error.URLError) as failure:
                error = repr(failure)
            if os.environ.get("CRASH_DEBUG"):
                print("no answer:", path, error, file=sys.stderr)
            time.sleep(0.5)
        return None

    def answer(self, person, kind, detail=""):
        with self.lock:
            self.answers.setdefault(person, []).append((kind, detail))

    def answered(self):
        with self.lock:
            return len(self.answers)

    def acknowledged(self):
        with self.lock:
            return {p for p, a in self.answers.items() if any(kind == "ack" for kind, _d in a)}

    def _crash_midway(self, kill_after, t0):
        while self.answered() < kill_after:
            if time.monotonic() > self.deadline:
                return
            time.sleep(0.01)
        self.servers.kill()
        self.crash["killed_at"], self.crash["answered"] = time.perf_counter() - t0, self.answered()
        time.sleep(2)
        self.servers.start_db()
        self.servers.start_web()
        self.crash["restarted_at"] = time.perf_counter() - t0

    def go(self, clicks, seed):
        """Start each click (a function of the Run) at a random moment of SPREAD seconds; kill both
        servers when a third of the people have their answer; wait for every answer."""
        rng = random.Random(seed)
        offsets = sorted(rng.uniform(0, SPREAD) for _ in clicks)
        rng.shuffle(clicks)
        threads, t0 = [], time.perf_counter()
        monitor = threading.Thread(target=self._crash_midway, args=(len(self.people) // 3, t0))
        monitor.start()
        for click, offset in zip(clicks, offsets, strict=True):
            time.sleep(max(0.0, offset - (time.perf_counter() - t0)))
            thread = threading.Thread(target=click, args=(self,))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        monitor.join()
        self.wall = time.perf_counter() - t0
        if "restarted_at" not in self.crash:
            raise SystemExit("the servers were never killed: raise CRASH_SPREAD_SECONDS")
        from django.db import connections

        connections.close_all()  # count from a fresh connection to the restarted database

    def report(self, title, n, doubles, in_db, lost, duplicated, over, over_label, extra=""):
        """Print the figures; return True when every promise is kept."""
        acked = self.acknowledged()
        print(f"== {title}: {n} people ({doubles} clicking twice) over {SPREAD:.0f} s; {self.attempts} requests; "
              f"SIGKILL to gunicorn and PostgreSQL at {self.crash['killed_at']:.1f} s after "
              f"{self.crash['answered']} answers, both back at {self.crash['restarted_at']:.1f} s; "
              f"wall time {self.wall:.1f} s")
        print(f"   answered: {self.answered()}/{n}; acknowledged: {len(acked)}; in the database: {in_db}; "
              f"acknowledged but lost: {lost}; duplicated: {duplicated}"
              + (f"; {over_label}: {over}" if over_label else "") + extra)
        kept = not lost and not duplicated and not over and self.answered() == n
        print(f"   {'kept' if kept else 'FAILED'}: every acknowledged one there once, none twice"
              + (f", none {over_label.split()[0]}" if over_label else "") + ", everyone answered")
        return kept
