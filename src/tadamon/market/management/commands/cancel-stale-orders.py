"""`tadamon cancel-stale-orders [--days 3]`: cancel the orders that their organization left unconfirmed
for more than DAYS days, so that their quantities go back to the stock; each buyer is told why, and each
cancellation is in the activity log. Run it daily (cron or a systemd timer, like send-reminders)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from tadamon.market import services
from tadamon.market.models import Order


class Command(BaseCommand):
    help = "Cancel market orders left unconfirmed for more than --days days; their stock comes back."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args, **options):
        since = timezone.now() - timedelta(days=max(options["days"], 1))
        with scopes_disabled():
            stale = list(Order.objects.filter(status=Order.Status.PLACED, created_at__lt=since).order_by("pk"))
        for order in stale:
            with translation.override(order.language or "ar"):
                reason = str(translation.gettext("The organization did not confirm the order in time."))
            services.cancel(None, order, reason=reason)
        self.stdout.write(f"cancelled: {len(stale)}")
