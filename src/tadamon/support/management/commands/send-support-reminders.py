"""`tadamon send-support-reminders`: e-mail coaches and organizations about coaching sessions within
24 hours and action items due within 3 days.

Run it every hour or so (cron or systemd timer), like `send-reminders`. Each reminder goes once
however often the command runs: a row is marked before its e-mail goes.
"""

from django.core.management.base import BaseCommand

from tadamon.support.services import send_reminders


class Command(BaseCommand):
    help = "Send the reminders of coaching sessions and action items (idempotent)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"reminders sent: {sent}")
