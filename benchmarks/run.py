"""Run every benchmark in this folder (files named *_bench.py), one after the other.

Each benchmark is a script that prints its own figures. `make bench` calls this file; run one
benchmark alone with `.venv/bin/python benchmarks/NAME_bench.py`. Benchmarks that need
PostgreSQL read BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tadamon_bench).
Results are recorded in docs/benchmarks.md with the machine and the command.
"""

import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    scripts = sorted(HERE.glob("*_bench.py"))
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}")
    if not scripts:
        print("no benchmark yet")
        return 0
    failed = 0
    for script in scripts:
        print(f"\n== {script.name} ==", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)  # noqa: S603
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
