"""Does doubling the input at most about double the cost? Per command, on
two sizes of synthetic file (S and M by default), whole processes: the
median wall time of a few runs and the peak RSS of the child (getrusage).

    python benchmarks/generate.py S -o /tmp/S.yaml
    python benchmarks/generate.py M -o /tmp/M.yaml
    python benchmarks/complexity.py /tmp/S.yaml /tmp/M.yaml [--runs 3] [--only search] [--markdown]

Every query command that reads the graph is run: show, list, search, tree,
why, impact, diff, timeline, stats, conflicts, sources, research /
distribution / hardware, export in each format, as text and (where it
matters) as JSON and CSV, and a few as of a date. NAME is an entity with the
median number of relationships, HUB the most relied-on one (both named by
generate.py in <file>.json). The picture formats (svg, png, pdf) are drawn
for NAME's neighbourhood (`--depth 1`): laying out the whole graph is
Graphviz's work, not ours, and is worse than linear.

The first run on each file builds its index (not measured: one warm-up run
per file). M is ten times S: a linear command costs about 10x, n log n a
little more; the check allows RATIO (2.5) per doubling, that is
2.5 ** log2(size ratio), on time and on memory. A command that exits with
another code than it should is reported as failing. Not run by the tests
(it takes minutes); exit 1 when a command grows too much.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RATIO = 2.5  # allowed cost growth per doubling of the input
EXPORT_FORMATS = ("dot", "mermaid", "graphml", "json", "csv")
PICTURE_FORMATS = ("svg", "png", "pdf")


def commands(names: dict) -> list[tuple[str, list[str]]]:
    """(label, arguments) of every measured command; labels say NAME and HUB."""
    hub, typical = names["hub"], names["typical"]
    rows = [
        ("show NAME", ["show", typical]),
        ("show NAME -q", ["show", typical, "-q"]),
        ("show NAME --json", ["show", typical, "--json"]),
        ("show NAME --as-of 2022", ["show", typical, "--as-of", "2022"]),
        ("show HUB --json", ["show", hub, "--json"]),
        ("list", ["list"]),
        ("list --json", ["list", "--json"]),
        ("list --csv", ["list", "--csv"]),
        ("search a", ["search", "a"]),
        ("search a --json", ["search", "a", "--json"]),
        ("search a --csv", ["search", "a", "--csv"]),
        ("sources", ["sources"]),
        # Without --depth the tree of NAME in M is a chain deeper than Python
        # recurses (it ends with "nests too deep"): depth 4.
        ("tree NAME -d 4", ["tree", typical, "--depth", "4"]),
        ("tree NAME -d 4 --json", ["tree", typical, "--depth", "4", "--json"]),
        ("tree HUB -r -d 2", ["tree", hub, "--reverse", "--depth", "2"]),
        ("why NAME HUB -d 3", ["why", typical, hub, "--depth", "3"]),
        ("why NAME HUB --json", ["why", typical, hub, "--depth", "3", "--json"]),
        ("impact HUB", ["impact", hub]),
        ("impact HUB --json", ["impact", hub, "--json"]),
        ("impact HUB --as-of 2022", ["impact", hub, "--as-of", "2022"]),
        ("diff 2018 2025", ["diff", "2018", "2025"]),
        ("diff --json", ["diff", "2018", "2025", "--json"]),
        ("diff --csv", ["diff", "2018", "2025", "--csv"]),
        ("timeline", ["timeline"]),
        ("timeline --json", ["timeline", "--json"]),
        ("timeline NAME", ["timeline", typical]),
        ("stats", ["stats"]),
        ("stats --json", ["stats", "--json"]),
        ("stats --as-of 2022", ["stats", "--as-of", "2022"]),
        ("conflicts", ["conflicts"]),
        ("conflicts --json", ["conflicts", "--json"]),
        ("research", ["research"]),
        ("research --json", ["research", "--json"]),
        ("distribution --csv", ["distribution", "--csv"]),
        ("hardware", ["hardware"]),
        ("hardware -e NAME", ["hardware", "--entity", typical]),
    ]
    rows += [(f"export -f {form}", ["export", "--format", form]) for form in EXPORT_FORMATS]
    rows.append(("export NAME -d 1 -f dot", ["export", typical, "--depth", "1", "--format", "dot"]))
    if shutil.which("dot"):
        rows += [(f"export NAME -d 1 -f {form}", ["export", typical, "--depth", "1", "--format", form])
                 for form in PICTURE_FORMATS]
    return rows


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
    parser.add_argument("--only", action="append", default=[], help="only commands whose label contains this")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table (for the README)")
    args = parser.parse_args()
    names = json.loads(args.small.with_suffix(".json").read_text())
    large_names = json.loads(args.large.with_suffix(".json").read_text())
    scale = args.large.stat().st_size / args.small.stat().st_size
    allowed = RATIO ** math.log2(scale)
    for data in (args.small, args.large):  # build the indexes first
        subprocess.run([sys.executable, "-m", "aideps", "--data", str(data), "list", "--json"],
                       stdout=subprocess.DEVNULL, check=False)
    print(f"{args.small.name} -> {args.large.name}: input x{scale:.1f}, allowed x{allowed:.1f} (x{RATIO} per doubling)")
    if args.markdown:
        print("| command | time S | time M | x | RSS S | RSS M | x | |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
    else:
        print(f"{'command':<26} {'time S':>8} {'time M':>8} {'x':>6} {'RSS S MB':>9} {'RSS M MB':>9} {'x':>6}  verdict")
    failed = 0
    for (label, argv), (_, large_argv) in zip(commands(names), commands(large_names)):
        if args.only and not any(part in label for part in args.only):
            continue
        t1, m1, c1 = measure(argv, args.small, args.runs)
        t2, m2, c2 = measure(large_argv, args.large, args.runs)
        tx, mx = t2 / t1, m2 / m1
        verdict = "ok" if tx <= allowed and mx <= allowed else "TOO MUCH"
        if c1 not in (0, 1) or c2 not in (0, 1) or c1 != c2:
            verdict = f"EXIT {c1}/{c2}"
        failed += verdict != "ok"
        if args.markdown:
            print(f"| `{label}` | {t1:.2f} s | {t2:.2f} s | {tx:.1f} | {m1 / 1024:.0f} MB | {m2 / 1024:.0f} MB | {mx:.1f} | {verdict} |")
        else:
            print(f"{label:<26} {t1:8.2f} {t2:8.2f} {tx:6.1f} {m1 / 1024:9.0f} {m2 / 1024:9.0f} {mx:6.1f}  {verdict}")
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
