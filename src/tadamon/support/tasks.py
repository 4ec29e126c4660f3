"""Background work of the support programmes: the reminders, for a worker's periodic run."""

from django_tasks import task


@task()
def send_reminders():
    """E-mail coaches and organizations about coming sessions and due actions (each once)."""
    from . import services

    return services.send_reminders()
