"""After a crash no background job stays "running": the reaper fails them with a message in the
job's language, logs it, and leaves finished or waiting jobs alone."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tadamon.core.jobs import job_models, reap
from tadamon.core.models import ActivityLog
from tadamon.fairs.floor_models import AllocationRun, DocumentJob
from tadamon.programme.models import ScheduleRun
from tadamon.registry.models import ImportJob

from ..programme.conftest import make_edition


def test_every_kind_of_job_is_found():
    labels = {m._meta.label for m in job_models()}
    assert {"registry.ImportJob", "fairs.AllocationRun", "fairs.DocumentJob", "programme.ScheduleRun"} <= labels


@pytest.mark.django_db
def test_crashed_jobs_fail_visibly_and_the_others_are_left_alone(fes, fes_staff):
    edition = make_edition(fes)
    hour_ago = timezone.now() - timedelta(hours=1)
    with scopes_disabled():
        crashed_import = ImportJob.objects.create(region=fes, created_by=fes_staff, status="running", language="fr")
        crashed_run = AllocationRun.objects.create(edition=edition, region_id=fes.pk, status="running",
                                                   started_at=hour_ago)
        crashed_pdf = DocumentJob.objects.create(edition=edition, region_id=fes.pk, kind="badges", status="running")
        waiting = ScheduleRun.objects.create(edition=edition, status="pending")
        finished = ImportJob.objects.create(region=fes, created_by=fes_staff, status="done")
        ImportJob.objects.filter(pk=crashed_import.pk).update(created_at=hour_ago)
        DocumentJob.objects.filter(pk=crashed_pdf.pk).update(created_at=hour_ago)
    task = DBTaskResult.objects.create(task_path="tadamon.registry.tasks.run_import_job", args_kwargs={
        "args": [crashed_import.pk], "kwargs": {}}, queue_name="default", backend_name="default",
        status=TaskResultStatus.RUNNING, started_at=hour_ago)

    # A job that started a minute ago may be alive on another worker: --minutes 30 keeps it.
    assert reap(timedelta(minutes=90)) == {}
    out = StringIO()
    call_command("reap-stale-jobs", "--minutes", "30", stdout=out)
    assert "interrupted jobs failed: 4" in out.getvalue()

    with scopes_disabled():
        crashed_import.refresh_from_db()
        assert crashed_import.status == "failed" and crashed_import.finished_at is not None
        assert crashed_import.error.startswith("Interrompu")  # in the language of the person who started it
        for job in (crashed_run, crashed_pdf):
            job.refresh_from_db()
            assert job.status == "failed" and job.error.startswith("انقطع")  # Arabic, the default
        waiting.refresh_from_db()
        finished.refresh_from_db()
        assert (waiting.status, finished.status) == ("pending", "done")
        assert ActivityLog.objects.filter(action="job.interrupted").count() == 3
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    # Nothing left to do: a second run changes nothing.
    assert reap() == {}
