"""The jury assignment engine (prizes/assignment.py): candidacies to jurors, each scored by k jurors
free of conflict, the load balanced.

Scenarios: the demo's innovation prize (30 candidacies, 5 jurors, k = 3, one conflict); a large
regional prize (300 candidacies, 25 jurors, k = 3, 10 % of the pairs in conflict); a national prize
(1,000 candidacies, 60 jurors, k = 3, 5 % in conflict, a tenth of the pairs already scored and kept).
Prints the time to a proven optimum, the loads, and the checker's verdict (then, for seed 1, the time
with the CP-SAT solver alone, without the greedy shortcut). Goal: under 10 s each.
No database.
"""

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tadamon.prizes.assignment import check, solve  # noqa: E402

GOAL_SECONDS = 10
SCENARIOS = [
    ("demo innovation prize", 30, 5, 3, 0.0, 0.0),
    ("large regional prize", 300, 25, 3, 0.10, 0.0),
    ("national prize, some sheets kept", 1000, 60, 3, 0.05, 0.1),
]


def instance(candidacies, jurors, k, conflict_share, fixed_share, seed):
    rng = random.Random(seed)
    juror_ids = list(range(1, jurors + 1))
    conflicts = [[j, c] for c in range(candidacies) for j in juror_ids if rng.random() < conflict_share]
    if candidacies == 30:
        conflicts = [[2, 0]]
    blocked = {tuple(p) for p in conflicts}
    fixed = []
    for c in range(candidacies):
        if rng.random() < fixed_share:
            free = [j for j in juror_ids if (j, c) not in blocked]
            fixed.append([rng.choice(free), c])
    return {"k": k, "jurors": juror_ids, "candidacies": list(range(candidacies)), "conflicts": conflicts,
            "fixed": fixed}


def main():
    worst = 0.0
    for name, candidacies, jurors, k, conflicts, fixed in SCENARIOS:
        for seed in (1, 2, 3):
            data = instance(candidacies, jurors, k, conflicts, fixed, seed)
            started = time.perf_counter()
            result = solve(data, time_limit=60)
            elapsed = time.perf_counter() - started
            worst = max(worst, elapsed)
            problems = check(data, result)
            print(f"{name:34} seed {seed}: {result['status']:8} in {elapsed:6.2f} s, "
                  f"{len(result['assignments'])} sheets, load {result['min_load']}–{result['max_load']}, "
                  f"{len(data['conflicts'])} conflicts, checker: {'ok' if not problems else problems[:2]}",
                  flush=True)
    print(f"worst {worst:.2f} s; goal < {GOAL_SECONDS} s: {'met' if worst < GOAL_SECONDS else 'NOT met'}")
    # The same instances with the solver alone (no greedy shortcut), seed 1: what CP-SAT costs.
    for name, candidacies, jurors, k, conflicts, fixed in SCENARIOS:
        data = instance(candidacies, jurors, k, conflicts, fixed, 1)
        started = time.perf_counter()
        result = solve(data, time_limit=60, shortcut=False)
        print(f"{name:34} solver only: {result['status']} in {time.perf_counter() - started:6.2f} s, "
              f"load {result['min_load']}–{result['max_load']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
