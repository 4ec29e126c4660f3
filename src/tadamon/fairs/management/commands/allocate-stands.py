"""`tadamon allocate-stands --instance IN.json --out OUT.json [--time-limit SECONDS] [--greedy]`: run the
stand allocation engine on a file, outside the floor-plan screens (to replay a stored run, or to compare
with the first come, first placed baseline).

The input and output follow the contract of `tadamon.fairs.allocation.solve`. Prints a one-line summary:
status, objective, bound, gap to the bound, exhibitors placed, seconds. An infeasible instance is a
result, not an error (exit 0, status "infeasible" and the conflicts in OUT); an unreadable or malformed
input is an error (exit 1, nothing written).
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tadamon.fairs.allocation import greedy, solve


class Command(BaseCommand):
    help = "Allocate the stands of a fair for an instance file (JSON) and write the result (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--instance", required=True,
                            help="The input: weights, stands and exhibitors (JSON, UTF-8).")
        parser.add_argument("--out", required=True, help="Where to write the result (JSON, UTF-8).")
        parser.add_argument("--time-limit", type=float, default=60.0,
                            help="Most seconds the solver may search (default: 60).")
        parser.add_argument("--greedy", action="store_true",
                            help="Only the first come, first placed baseline, without the solver.")

    def handle(self, *args, **options):
        if not options["time_limit"] > 0:
            raise CommandError(f"--time-limit must be a positive number of seconds, not {options['time_limit']:g}.")
        source = Path(options["instance"])
        try:
            instance = json.loads(source.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {source}: {exc.strerror or exc}")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{source} is not UTF-8 text: {exc}")
        except json.JSONDecodeError as exc:
            raise CommandError(f"{source} is not valid JSON: {exc}")
        started = time.monotonic()
        try:
            result = greedy(instance) if options["greedy"] else solve(instance, time_limit=options["time_limit"])
        except ValueError as exc:
            raise CommandError(f"Invalid instance {source}: {exc}")
        except TimeoutError as exc:
            raise CommandError(str(exc))
        elapsed = time.monotonic() - started
        target = Path(options["out"])
        try:
            target.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror or exc}")
        gap = "n/a"
        if result["status"] != "infeasible":
            gap = f"{100 * (result['bound'] - result['objective']) / result['bound'] if result['bound'] else 0:.2f} %"
        self.stdout.write(f"status: {result['status']}, objective: {result['objective']}, bound: {result['bound']}, "
                          f"gap: {gap}, placed: {len(result['assignment'])}/{len(instance['exhibitors'])}, "
                          f"time: {elapsed:.1f} s")
