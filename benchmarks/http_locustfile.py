"""Locust users for benchmarks/http_bench.py (not a benchmark by itself: http_bench.py runs it).

BENCH_PAGES: JSON object {label: path, or a list of paths of which each request takes one at random};
every user requests them in turn, in random order.
BENCH_WAIT: "min-max" seconds a user waits between two requests (think time); "0" for none.
"""

import json
import os
import random

from locust import FastHttpUser, between, constant, task

PAGES = json.loads(os.environ["BENCH_PAGES"])
_low, _, _high = os.environ.get("BENCH_WAIT", "0").partition("-")
WAIT = constant(0) if float(_low) == 0 and not _high else between(float(_low), float(_high or _low))
# What a browser sends: the answers are the compressed ones a visitor gets.
HEADERS = {"Accept-Encoding": "br, gzip", "Accept-Language": "ar"}


class Visitor(FastHttpUser):
    wait_time = WAIT

    @task
    def visit(self):
        label = random.choice(list(PAGES))  # noqa: S311 (a load pattern, not a secret)
        path = PAGES[label]
        if isinstance(path, list):
            path = random.choice(path)  # noqa: S311
        self.client.get(path, name=label, headers=HEADERS)
