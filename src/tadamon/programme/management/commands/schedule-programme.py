"""`tadamon schedule-programme --instance IN.json --out OUT.json [--time-limit SECONDS]`: run the programme
scheduler on a file, outside the staff screens (to replay a stored run, or to try a programme before
building it).

The input and output follow the contract of `tadamon.programme.scheduler.solve`. Prints a one-line summary.
An infeasible instance is a result, not an error (exit 0, status "infeasible" and the reasons in OUT's
conflicts); an unreadable or malformed input is an error (exit 1, nothing written).
"""


from django.core.management.base import BaseCommand

from tadamon.core import engine_files
from tadamon.programme.scheduler import solve


class Command(BaseCommand):
    help = "Place the sessions of a programme instance file (JSON) in slots and spaces, and write the result (JSON)."

    def add_arguments(self, parser):
        engine_files.add_arguments(parser, what="slots, spaces, speakers and sessions", time_limit=30.0)

    def handle(self, *args, **options):
        instance, result, elapsed = engine_files.run(
            options, lambda instance: solve(instance, time_limit=options["time_limit"]))
        self.stdout.write(f"status: {result['status']}, objective: {result['objective']}, "
                          f"placed: {len(result['placement'])}/{len(instance['sessions'])}, time: {elapsed:.2f} s")
