"""`tadamon import-organizations FILE`: import organizations from an XLSX or CSV file, right now.

Prints ``created: N, updated: N, rejected: N``; the rejected rows and their errors go to stderr.
Exits with 1 when nothing could be imported (in a dry run: when no row is valid).
"""

import resource
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tadamon.core.models import Region
from tadamon.registry.importer import ALL_OR_NOTHING, VALID_ROWS, ImportFileError, ImportParams, run_import


class Command(BaseCommand):
    help = "Import organizations from an XLSX or CSV file (see docs for the columns)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="An .xlsx or .csv file in the import format.")
        parser.add_argument("--region", help="Official code of a region (e.g. 03): rows of other regions are "
                                             "rejected.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")
        parser.add_argument("--all-or-nothing", action="store_true",
                            help="Import only if every row is valid, in one transaction.")
        parser.add_argument("--language", default="en", choices=["ar", "fr", "en"],
                            help="Language of the error messages (default: en).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                codes = ", ".join(Region.objects.values_list("code", flat=True))
                raise CommandError(f"Unknown region code {options['region']!r} (known: {codes})")
        params = ImportParams(
            file=str(path), filename=path.name, region=region, dry_run=options["dry_run"],
            mode=ALL_OR_NOTHING if options["all_or_nothing"] else VALID_ROWS, language=options["language"],
            actor="tadamon import-organizations")
        started = time.perf_counter()
        try:
            result = run_import(params)
        except ImportFileError as exc:
            raise CommandError(str(exc))
        elapsed = time.perf_counter() - started
        for entry in result.report:
            if entry["status"] == "rejected":
                self.stderr.write(f"row {entry['row']}: " + "; ".join(entry["errors"]))
        self.stdout.write(f"created: {result.created}, updated: {result.updated}, rejected: {result.rejected}")
        if options["verbosity"] >= 2:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rate = result.total / elapsed if elapsed else 0
            self.stderr.write(f"{result.total} rows in {elapsed:.1f} s ({rate:.0f} rows/s), "
                              f"unchanged: {result.unchanged}, peak memory {peak:.0f} MB")
        if result.imported_nothing:
            sys.exit(1)
