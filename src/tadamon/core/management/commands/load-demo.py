from django.core.management.base import BaseCommand

from tadamon.core.demo import load_demo_accounts
from tadamon.core.models import Province, Region
from tadamon.core.reference import load_reference


class Command(BaseCommand):
    help = "Load the reference data and the demo data (accounts, organizations, events). Idempotent."

    def handle(self, *args, **options):
        load_reference(Region, Province)
        created = load_demo_accounts()
        self.stdout.write(f"demo accounts: {created} created")
        from tadamon.core.signals import demo_loaders

        for loader in demo_loaders:
            self.stdout.write(loader())
