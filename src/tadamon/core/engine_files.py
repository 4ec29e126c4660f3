"""The file side of the engine commands (`select-exhibitors`, `allocate-stands`, `schedule-programme`):
read an instance (JSON, UTF-8), run the engine, write its result. The formats are contracts
(docs/commands.md); an unreadable or malformed input is a CommandError and nothing is written, an
infeasible instance is a result like any other."""

import json
import time
from pathlib import Path

from django.core.management.base import CommandError


def add_arguments(parser, *, what, time_limit):
    parser.add_argument("--instance", required=True, help=f"The input: {what} (JSON, UTF-8).")
    parser.add_argument("--out", required=True, help="Where to write the result (JSON, UTF-8).")
    parser.add_argument("--time-limit", type=float, default=time_limit,
                        help=f"Most seconds the solver may search (default: {time_limit:g}).")


def run(options, engine):
    """Read ``--instance``, call ``engine(instance)``, write ``--out``; return the instance, the
    result and the seconds the engine took."""
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
        result = engine(instance)
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
    return instance, result, elapsed
