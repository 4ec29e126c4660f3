"""`tadamon select-exhibitors --instance IN.json --out OUT.json [--time-limit SECONDS]`: run the selection
engine on a file, outside the staff screens (to replay a stored run, or to try quotas before setting them).

The input and output follow the contract of `tadamon.fairs.selection.solve`. Prints a one-line summary.
An infeasible instance is a result, not an error (exit 0, status "infeasible" and the conflicting quotas
in OUT); an unreadable or malformed input is an error (exit 1, nothing written).
"""


from django.core.management.base import BaseCommand

from tadamon.core import engine_files
from tadamon.fairs.selection import solve


class Command(BaseCommand):
    help = "Compute the selection of exhibitors for an instance file (JSON) and write the result (JSON)."

    def add_arguments(self, parser):
        engine_files.add_arguments(parser, what="capacity, quotas and applications", time_limit=30.0)

    def handle(self, *args, **options):
        instance, result, elapsed = engine_files.run(
            options, lambda instance: solve(instance, time_limit=options["time_limit"]))
        conflicts = ", ".join(result["conflicts"]) or "none"
        self.stdout.write(f"status: {result['status']}, objective: {result['objective']}, "
                          f"selected: {len(result['selected'])}, waitlist: {len(result['waitlist'])}, "
                          f"conflicts: {conflicts}")
