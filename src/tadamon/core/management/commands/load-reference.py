from django.core.management.base import BaseCommand

from tadamon.core.models import Province, Region
from tadamon.core.reference import load_reference


class Command(BaseCommand):
    help = "Load (or refresh) the 12 regions and 75 provinces and prefectures. Idempotent."

    def handle(self, *args, **options):
        regions, provinces = load_reference(Region, Province)
        self.stdout.write(f"{regions} regions, {provinces} provinces and prefectures")
