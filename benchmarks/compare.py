"""Two versions of aideps, run alternately on the same commands: a fair
before/after on a machine whose load changes from minute to minute.

    git worktree add /tmp/before <commit>
    python benchmarks/compare.py /tmp/before/src src [--runs 7]

Each command runs as a whole process with PYTHONPATH set to each source
tree in turn (the installed dependencies are shared), after one warm-up
run of each; printed: the median wall time and CPU time (ms) of each side.
A benchmark, not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

COMMANDS = (
    ["show", "openai"],
    ["hardware"],
    ["tree", "openai"],
    ["why", "microsoft", "nvidia"],
    ["stats"],
    ["--help"],
)


def run(src: str, args: list[str]) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=src, NO_COLOR="1", COLUMNS="120")
    env.pop("AIDEPS_DATA", None)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "aideps", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return (time.perf_counter() - start) * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sides = (("before", args.before), ("after", args.after))
    print("| command | before (wall / CPU) | after (wall / CPU) |\n|---|---:|---:|")
    for command in COMMANDS:
        for _, src in sides:
            run(src, command)
        times: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in sides}
        for _ in range(args.runs):
            for label, src in sides:
                times[label].append(run(src, command))
        cells = [
            f"{statistics.median(w for w, _ in times[label]):.0f} / {statistics.median(c for _, c in times[label]):.0f} ms"
            for label, _ in sides
        ]
        print(f"| `{' '.join(command)}` | {cells[0]} | {cells[1]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
