"""Background work of the programme: the automatic scheduler and the reminders.

The scheduler runs in a worker (`tadamon db_worker`), never in a request; the edition's grid page
polls the run's status. Tests use the immediate backend, which runs the task at once.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_scheduler(run_id):
    """Run the scheduler run ``run_id``: status, result and placements land on the run."""
    from . import services
    from .models import ScheduleRun

    with scopes_disabled():
        with transaction.atomic():
            run = (ScheduleRun.objects.select_for_update(of=("self",)).select_related("edition", "created_by")
                   .filter(pk=run_id).first())
            if run is None or run.status != ScheduleRun.Status.PENDING:
                return None  # already run (a task delivered twice) or deleted
            run.status = ScheduleRun.Status.RUNNING
            run.save(update_fields=["status"])
        try:
            services.execute_schedule_run(run)
        except Exception as exc:
            logger.exception("scheduler run %s failed", run_id)
            ScheduleRun.objects.filter(pk=run_id).update(status=ScheduleRun.Status.FAILED, error=str(exc)[:2000],
                                                         finished_at=timezone.now())
            return None
        return {"placed": run.placed_count, "status": (run.result or {}).get("status")}


@task()
def send_reminders():
    """Remind the people registered for sessions starting within 24 hours (each once)."""
    from . import services

    return services.send_reminders()
