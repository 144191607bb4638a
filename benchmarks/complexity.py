"""Does doubling the input at most about double the cost? Per command, on
two sizes of synthetic file (S and M by default), whole processes: the
median wall time of a few runs and the peak RSS of the child (getrusage).

    python benchmarks/generate.py S -o /tmp/S.yaml
    python benchmarks/generate.py M -o /tmp/M.yaml
    python benchmarks/complexity.py /tmp/S.yaml /tmp/M.yaml

The first run on each file builds its index (not measured: one warm-up run
per file). M is ten times S: a linear command costs about 10x, n log n a
little more; the check allows RATIO (2.5) per doubling, that is
2.5 ** log2(size ratio). Not run by the tests (it takes minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

RATIO = 2.5  # allowed cost growth per doubling of the input


def commands(names: dict) -> list[tuple[str, list[str]]]:
    hub, typical = names["hub"], names["typical"]
    return [
        ("show", ["show", typical, "-q"]),
        ("list", ["list"]),
        ("search", ["search", "a"]),
        ("diff", ["diff", "2018", "2025"]),
        ("diff --json", ["diff", "2018", "2025", "--json"]),
        ("why", ["why", typical, hub, "--depth", "3"]),
        ("impact", ["impact", hub]),
        ("stats", ["stats"]),
        ("export", ["export", "--format", "json"]),
        ("timeline", ["timeline"]),
    ]


def measure(argv: list[str], data: Path, runs: int) -> tuple[float, int, int]:
    """Median seconds and peak RSS (KiB, the largest of the runs) of `aideps argv`; the exit code."""
    times, peaks, code = [], [], 0
    env = dict(os.environ, AIDEPS_DATA=str(data))
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "aideps", *argv], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)  # KiB on Linux
        code = os.waitstatus_to_exitcode(status)
    return statistics.median(times), max(peaks), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("small", type=Path)
    parser.add_argument("large", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    names = json.loads(args.small.with_suffix(".json").read_text())
    large_names = json.loads(args.large.with_suffix(".json").read_text())
    scale = args.large.stat().st_size / args.small.stat().st_size
    allowed = RATIO ** math.log2(scale)
    for data in (args.small, args.large):  # build the indexes first
        subprocess.run([sys.executable, "-m", "aideps", "--data", str(data), "list", "--json"],
                       stdout=subprocess.DEVNULL, check=False)
    print(f"{args.small.name} -> {args.large.name}: input x{scale:.1f}, allowed x{allowed:.1f} (x{RATIO} per doubling)")
    print(f"{'command':<12} {'time S':>8} {'time M':>8} {'x':>6} {'RSS S MB':>9} {'RSS M MB':>9} {'x':>6}  verdict")
    failed = 0
    for (label, argv), (_, large_argv) in zip(commands(names), commands(large_names)):
        t1, m1, _ = measure(argv, args.small, args.runs)
        t2, m2, _ = measure(large_argv, args.large, args.runs)
        tx, mx = t2 / t1, m2 / m1
        ok = tx <= allowed and mx <= allowed
        failed += not ok
        print(f"{label:<12} {t1:8.2f} {t2:8.2f} {tx:6.1f} {m1 / 1024:9.0f} {m2 / 1024:9.0f} {mx:6.1f}  {'ok' if ok else 'TOO MUCH'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
