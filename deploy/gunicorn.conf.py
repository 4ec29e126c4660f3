"""Gunicorn configuration for Tadamon in production (see docs/operations.md).

deploy/tadamon-web.service starts it with

    gunicorn --config /srv/tadamon/src/deploy/gunicorn.conf.py

Gunicorn listens on the loopback interface only; nginx (deploy/nginx.conf.example) terminates TLS
in front of it. The values that differ between machines come from environment variables
(GUNICORN_*, FORWARDED_ALLOW_IPS), normally set in
/etc/tadamon/tadamon.env, which the service reads.
"""

import gc
import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "tadamon.wsgi:application"
proc_name = "tadamon-web"

# Where to listen: "HOST:PORT" or "unix:/run/tadamon-web/gunicorn.sock"; several separated by commas.
bind = [part.strip() for part in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if part.strip()]

# Processes and threads. Each thread may hold one database connection, so keep
# workers x threads below PostgreSQL's max_connections (100 by default), with room for the worker
# and for maintenance commands.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# A worker that stops answering for this long is killed and replaced. Long work (imports, PDF
# batches, the solver) runs in the background worker, never in a request.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On restart or reload, requests in progress get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx keeps connections to gunicorn open (upstream keepalive).
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Replace each worker after about this many requests, so that a slow memory leak cannot grow.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The application is loaded in each worker, so `systemctl reload tadamon-web` (SIGHUP) picks up
# new code without dropping connections.
preload_app = False



#: Requests after which a worker's objects are set aside again: by then its templates, URL patterns
#: and translations are loaded.
WARM_REQUESTS = 100


def post_worker_init(worker):
    """Once a worker has loaded the application, Python's collector leaves those objects alone:
    they live as long as the worker, and checking all of them again (the oldest generation, some
    250,000 objects) stopped a request for about 100 ms now and then."""
    worker.tadamon_requests = 0
    gc.freeze()


def post_request(worker, req, environ, resp):
    worker.tadamon_requests = getattr(worker, "tadamon_requests", 0) + 1
    if worker.tadamon_requests == WARM_REQUESTS:
        gc.freeze()


# The heartbeat file lives in memory: a busy disk cannot make a healthy worker look dead.
_shm = "/dev/shm"  # noqa: S108 (gunicorn creates its heartbeat files there with mkstemp)
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (_shm if os.path.isdir(_shm) else None)

# Logs: access log to standard output, errors to standard error; systemd sends both to the journal.
# The client address comes from nginx (X-Forwarded-For carries exactly one address, see the
# nginx example). Query strings are left out: search terms can contain people's names.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The reverse proxy on this machine is trusted to say whether the client used HTTPS.
# Only X-Forwarded-Proto is read (nginx always overwrites it); Django reads the same header
# through SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Gunicorn's control socket (for `gunicornc`): in the service's runtime directory when systemd
# provides one (RuntimeDirectory=tadamon-web), otherwise off.
_runtime_dir = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
if _runtime_dir:
    control_socket = os.path.join(_runtime_dir, "gunicorn.ctl")
else:
    control_socket_disable = True
