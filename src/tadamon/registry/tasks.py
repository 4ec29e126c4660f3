"""Background work of the registry: imports run in a worker (`tadamon db_worker`), never in a request.

With the database backend, the page of an import polls its progress; tests use the immediate
backend, which runs the task at once.
"""

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task

logger = logging.getLogger(__name__)

#: Progress is written every this many rows (each write is one small UPDATE).
PROGRESS_EVERY = 500


@task()
def run_import_job(job_id):
    """Run the import ``job_id``: progress, counts and the row-by-row report land on the job."""
    from .importer import ImportFileError, run_import
    from .models import ImportJob

    with scopes_disabled():
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.status != ImportJob.Status.PENDING:
                return None  # already run (a task delivered twice) or deleted
            job.status = ImportJob.Status.RUNNING
            job.save(update_fields=["status"])

        last = {"saved": -PROGRESS_EVERY}

        def progress(processed, total):
            if processed - last["saved"] < PROGRESS_EVERY and processed < total:
                return
            last["saved"] = processed
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed, total_rows=total)

        try:
            result = run_import(job, progress)
        except ImportFileError as exc:
            with translation.override(job.language or "ar"):
                _finish(job, ImportJob.Status.FAILED, error=str(exc))
            return None
        except Exception:
            logger.exception("import %s failed", job.pk)
            with translation.override(job.language or "ar"):
                _finish(job, ImportJob.Status.FAILED,
                        error=_("The import stopped because of an unexpected error. Nothing more was written; "
                                "the team has been told. Try again later."))
            return None
        job.total_rows = result.total
        job.processed_rows = result.total
        job.created_count = result.created
        job.updated_count = result.updated
        job.rejected_count = result.rejected
        job.report = result.report
        _finish(job, ImportJob.Status.DONE)
        return {"created": result.created, "updated": result.updated, "rejected": result.rejected}


def _finish(job, status, error=""):
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    if status == job.Status.DONE:
        job.save()
    else:  # keep the progress written so far
        job.save(update_fields=["status", "error", "finished_at"])
