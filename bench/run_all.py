"""Run every bench/*_bench.py in turn (what `make bench` does); stop at the first that fails.

Each script measures one area against a baseline in the same run and writes its own section of
docs/benchmarks.md. Scripts run with their defaults; run one directly to pass it options.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(BENCH.glob("*_bench.py"))
    for script in scripts:
        print(f"=== {script.name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=BENCH.parent)
        print(f"=== {script.name}: exit {result.returncode} after {time.perf_counter() - started:.0f} s", flush=True)
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
