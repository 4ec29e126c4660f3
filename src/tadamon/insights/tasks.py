"""Background work of the indicators (`tadamon db_worker`): the edition report. Tests use the
immediate backend, which runs the task at once."""

from django_tasks import task


@task()
def build_report_job(job_id):
    """Make the PDF and the XLSX of the report ``job_id``."""
    from .report import execute_report

    job = execute_report(job_id)
    return None if job is None else job.status
