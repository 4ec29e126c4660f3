"""Background jobs that a crash interrupted: found and failed visibly, never "running" forever.

A job of any app is a model with a ``status`` whose choices include ``"running"`` and an ``error``
text (imports, badge PDFs, stand allocation and scheduling runs, and those of apps to come): no
list to keep up to date. The worker (django-tasks' database backend) marks its own task rows
``RUNNING`` too; after a SIGKILL nobody sets them back. :func:`reap` fails both with a message the
screens already show for failed jobs, in the job's language, and writes the activity log; the
person starts the work again. See docs/operations.md ("Background worker").
"""

from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from . import activity

RUNNING = "running"
FAILED = "failed"


def job_models():
    """Our models that look like background jobs: a status with "running" and an error text."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("tadamon"):
            continue
        names = {f.name: f for f in model._meta.concrete_fields}
        status, error = names.get("status"), names.get("error")
        if status is None or error is None:
            continue
        if RUNNING in {value for value, _label in (status.choices or [])}:
            found.append(model)
    return found


def _started(model):
    names = {f.name for f in model._meta.concrete_fields}
    return "started_at" if "started_at" in names else "created_at"


def reap(older_than=timedelta(0), now=None):
    """Fail every job (and worker task) marked running that started more than ``older_than`` ago.

    Run with ``older_than=0`` when the worker starts: with one worker, nothing can be running then.
    Returns ``{label: count}``."""
    now = now or timezone.now()
    limit = now - older_than
    counts = {}
    with scopes_disabled():
        for model in job_models():
            started = _started(model)
            stale = model._base_manager.filter(status=RUNNING, **{f"{started}__lte": limit})
            n = 0
            for job in stale.iterator():
                with transaction.atomic():
                    job = model._base_manager.select_for_update().get(pk=job.pk)
                    if job.status != RUNNING:
                        continue
                    with translation.override(getattr(job, "language", None) or "ar"):
                        job.error = _("Interrupted: the server stopped while this was running. Start it again.")
                    job.status = FAILED
                    fields = ["status", "error"]
                    if hasattr(job, "finished_at"):
                        job.finished_at = now
                        fields.append("finished_at")
                    job.save(update_fields=fields)
                    activity.record("system", "job.interrupted", job, region=getattr(job, "region", None),
                                    after={"status": FAILED})
                    n += 1
            if n:
                counts[model._meta.label] = n
        counts.update(_reap_worker_tasks(limit))
    return counts


def _reap_worker_tasks(limit):
    try:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another tasks backend
        return {}
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=limit)
    n = 0
    for task in stale:
        task.set_failed(RuntimeError("interrupted: the worker stopped while the task was running"))
        n += 1
    return {"django_tasks_db.DBTaskResult": n} if n else {}
