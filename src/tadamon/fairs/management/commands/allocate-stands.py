"""`tadamon allocate-stands --instance IN.json --out OUT.json [--time-limit SECONDS] [--greedy]`: run the
stand allocation engine on a file, outside the floor-plan screens (to replay a stored run, or to compare
with the first come, first placed baseline).

The input and output follow the contract of `tadamon.fairs.allocation.solve`. Prints a one-line summary:
status, objective, bound, gap to the bound, exhibitors placed, seconds. An infeasible instance is a
result, not an error (exit 0, status "infeasible" and the conflicts in OUT); an unreadable or malformed
input is an error (exit 1, nothing written).
"""


from django.core.management.base import BaseCommand

from tadamon.core import engine_files
from tadamon.fairs.allocation import greedy, solve


class Command(BaseCommand):
    help = "Allocate the stands of a fair for an instance file (JSON) and write the result (JSON)."

    def add_arguments(self, parser):
        engine_files.add_arguments(parser, what="weights, stands and exhibitors", time_limit=60.0)
        parser.add_argument("--greedy", action="store_true",
                            help="Only the first come, first placed baseline, without the solver.")

    def handle(self, *args, **options):
        def engine(instance):
            return greedy(instance) if options["greedy"] else solve(instance, time_limit=options["time_limit"])

        instance, result, elapsed = engine_files.run(options, engine)
        gap = "n/a"
        if result["status"] != "infeasible":
            gap = f"{100 * (result['bound'] - result['objective']) / result['bound'] if result['bound'] else 0:.2f} %"
        self.stdout.write(f"status: {result['status']}, objective: {result['objective']}, bound: {result['bound']}, "
                          f"gap: {gap}, placed: {len(result['assignment'])}/{len(instance['exhibitors'])}, "
                          f"time: {elapsed:.1f} s")
