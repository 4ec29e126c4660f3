"""`tadamon schedule-programme --instance IN.json --out OUT.json [--time-limit SECONDS]`: run the programme
scheduler on a file, outside the staff screens (to replay a stored run, or to try a programme before
building it).

The input and output follow the contract of `tadamon.programme.scheduler.solve`. Prints a one-line summary.
An infeasible instance is a result, not an error (exit 0, status "infeasible" and the reasons in OUT's
conflicts); an unreadable or malformed input is an error (exit 1, nothing written).
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tadamon.programme.scheduler import solve


class Command(BaseCommand):
    help = "Place the sessions of a programme instance file (JSON) in slots and spaces, and write the result (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--instance", required=True,
                            help="The input: slots, spaces, speakers and sessions (JSON, UTF-8).")
        parser.add_argument("--out", required=True, help="Where to write the result (JSON, UTF-8).")
        parser.add_argument("--time-limit", type=float, default=30.0,
                            help="Most seconds the solver may search (default: 30).")

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
            result = solve(instance, time_limit=options["time_limit"])
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
        self.stdout.write(f"status: {result['status']}, objective: {result['objective']}, "
                          f"placed: {len(result['placement'])}/{len(instance['sessions'])}, time: {elapsed:.2f} s")
