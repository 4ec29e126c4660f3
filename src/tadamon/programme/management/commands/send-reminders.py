"""`tadamon send-reminders`: remind the people registered for sessions starting within 24 hours.

Run it every hour or so (cron or systemd timer). Each person gets one reminder per session however
often the command runs: a registration is marked before its messages go.
"""

from django.core.management.base import BaseCommand

from tadamon.programme.services import send_reminders


class Command(BaseCommand):
    help = "Send the reminders of sessions starting within 24 hours (idempotent)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"reminders sent: {sent}")
