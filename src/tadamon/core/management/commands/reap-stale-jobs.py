from datetime import timedelta

from django.core.management.base import BaseCommand

from tadamon.core.jobs import reap


class Command(BaseCommand):
    help = ("Fail the background jobs left 'running' by a crash (imports, PDFs, allocation, scheduling), "
            "with a message, so that people start them again. Run when the worker starts (--minutes 0, "
            "the default) or from cron with --minutes N when several workers run.")

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=0,
                            help="only jobs that started more than this many minutes ago (default 0: all)")

    def handle(self, *args, minutes, **options):
        counts = reap(timedelta(minutes=minutes))
        total = sum(counts.values())
        details = ", ".join(f"{label}: {n}" for label, n in sorted(counts.items()))
        self.stdout.write(f"interrupted jobs failed: {total}" + (f" ({details})" if details else ""))
