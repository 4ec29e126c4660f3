"""Background work of fairs (`tadamon db_worker`): stand allocation runs and the PDFs of a whole
edition (badges, stand signs). The pages poll the run's or the job's row; tests use the immediate
backend, which runs the task at once."""

from django_tasks import task


@task()
def run_allocation_job(run_id):
    """Run the stand allocation ``run_id`` and apply its placements."""
    from .placement import execute_run

    run = execute_run(run_id)
    return None if run is None else run.status


@task()
def build_documents_job(job_id):
    """Make the PDF of ``job_id`` (all badges or all stand signs of an edition)."""
    from .badges import execute_job

    job = execute_job(job_id)
    return None if job is None else job.status
