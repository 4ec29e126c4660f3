"""The selection engine on a large call: 2,000 applications over 3 poles, with every kind of quota.

Quotas: each pole's capacity, at most 60 exhibitors from outside the region, at least 30 % women-led,
at least 2 exhibitors from each province of the region (group_by province), at most 80 per sector
(group_by sector), and one application per organization (group_by organization; 150 organizations
apply twice, to two poles). Scores are reviewer means with three decimals, some of them equal.
Prints, for 3 seeds, the time to a proven optimum (model building and explanations included) and the
status. Goal: under 5 s each. No database: Django is set up only for the translations.
"""

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = 2000
TWICE = 150
CAPACITY = {"products": 300, "cooperation": 120, "agora": 80}
REGION_PROVINCES = [f"03.{n}" for n in (131, 141, 161, 171, 181, 231, 241, 451, 461)]
OTHER_PROVINCES = [f"{r:02d}.{n}" for r in (1, 2, 4, 5, 6, 7) for n in (11, 21, 31)]
SECTORS = ["agriculture", "handicrafts", "textile", "food", "services", "tourism", "fishing", "cosmetics"]
GOAL_SECONDS = 5


def instance(seed):
    rng = random.Random(seed)
    poles = list(CAPACITY)
    applications = []
    organizations = list(range(1, N - TWICE + 1))
    twice = rng.sample(organizations, TWICE)
    for n, organization in enumerate(organizations + twice, start=1):
        outside = rng.random() < 0.15
        applications.append({
            "id": n,
            "pole": rng.choices(poles, weights=(6, 2, 2))[0],
            "score": round(rng.uniform(30, 100), rng.choice((1, 3))),
            "organization": organization,
            "province": rng.choice(OTHER_PROVINCES if outside else REGION_PROVINCES),
            "sector": rng.choices(SECTORS, weights=(5, 5, 3, 4, 2, 2, 1, 1))[0],
            "outside_region": outside,
            "women_led": rng.random() < 0.25,
            "pinned": None,
        })
    quotas = [
        {"name": "outside-region maximum", "where": {"outside_region": True}, "max": 60},
        {"name": "women-led minimum share", "where": {"women_led": True}, "min_share": 0.3},
        {"name": "each province of the region", "where": {"outside_region": False}, "group_by": "province",
         "min": 2},
        {"name": "sector maximum", "group_by": "sector", "max": 80},
        {"name": "one application per organization", "group_by": "organization", "max": 1},
    ]
    return {"capacity": dict(CAPACITY), "quotas": quotas, "applications": applications}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tadamon.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from tadamon.fairs.selection import solve

    print(f"applications: {N} ({TWICE} organizations apply twice), poles: {CAPACITY}, "
          f"{os.cpu_count()} CPUs")
    worst = 0.0
    for seed in (1, 2, 3):
        data = instance(seed)
        started = time.perf_counter()
        result = solve(data, time_limit=60)
        elapsed = time.perf_counter() - started
        worst = max(worst, elapsed)
        print(f"seed {seed}: {result['status']} in {elapsed:.2f} s, objective {result['objective']}, "
              f"selected {len(result['selected'])}, waitlist {len(result['waitlist'])}")
    print(f"slowest: {worst:.2f} s (goal < {GOAL_SECONDS} s to a proven optimum)")
    if worst >= GOAL_SECONDS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
