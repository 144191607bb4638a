"""Whole-process benchmarks of the aideps command line.

    python benchmarks/run.py                   # bundled data only
    python benchmarks/run.py --sizes S M L     # plus synthetic files (generated if missing)
    python benchmarks/run.py --runs 15 --markdown

Each command is run as a separate process, the way a user or a shell's
completion runs it: the figure is the median wall time of --runs runs after
one warm-up run (which builds the cached index), and the peak resident memory
(max RSS) of the slowest of them. The first run on a file (cold cache) is
timed separately, once, in a fresh cache directory.

This is a benchmark, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"


def commands(name: str) -> list[tuple[str, list[str], dict[str, str]]]:
    prefix = name[:3]
    return [
        ("--help", ["--help"], {}),
        (f"show {name}", ["show", name], {}),
        (f"show {name} --json", ["show", name, "--json"], {}),
        ("hardware", ["hardware"], {}),
        ("hardware --json", ["hardware", "--json"], {}),
        (f"hardware --entity {name}", ["hardware", "--entity", name], {}),
        (f"tree {name} --depth 2", ["tree", name, "--depth", "2"], {}),
        (f"tree {name} --reverse --depth 2", ["tree", name, "--reverse", "--depth", "2"], {}),
        (
            f"complete 'show {prefix}'",
            [],
            {"_AIDEPS_COMPLETE": "complete_bash", "COMP_WORDS": f"aideps show {prefix}", "COMP_CWORD": "2"},
        ),
    ]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KiB and exit code of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, proc.returncode


def measure(exe: list[str], args: list[str], env: dict[str, str], runs: int) -> dict:
    run_once(exe + args, env)  # warm-up: builds the index, fills the page cache
    times, peak, codes = [], 0, set()
    for _ in range(runs):
        elapsed, rss, code = run_once(exe + args, env)
        times.append(elapsed)
        peak = max(peak, rss)
        codes.add(code)
    return {"median_ms": statistics.median(times) * 1000, "peak_mib": peak / 1024, "exit": sorted(codes)}


def dataset(label: str) -> tuple[Path | None, str]:
    if label == "bundled":
        return None, "openai"
    path = DATA_DIR / f"{label}.yaml"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        print(f"generating {path} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), label, "-o", str(path)], check=True)
    return path, "hub-0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time aideps as whole processes.")
    parser.add_argument("--sizes", nargs="*", default=[], choices=["S", "M", "L"])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--exe", default=None, help="aideps executable (default: the one on PATH)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)

    exe_path = args.exe or shutil.which("aideps")
    if not exe_path:
        print("aideps is not on PATH; pip install . first", file=sys.stderr)
        return 1
    exe = [exe_path]
    rows = []
    for label in ["bundled", *args.sizes]:
        path, name = dataset(label)
        with tempfile.TemporaryDirectory() as cache:
            env = {k: v for k, v in os.environ.items() if not k.startswith("_AIDEPS")}
            env.update({"AIDEPS_CACHE_DIR": cache, "NO_COLOR": "1", "COLUMNS": "120"})
            env.pop("AIDEPS_DATA", None)
            if path:
                env["AIDEPS_DATA"] = str(path)
            first, first_rss, code = run_once(exe + ["show", name, "--json"], env)
            rows.append((label, f"first run: show {name} --json (builds index)", first * 1000, first_rss / 1024, [code]))
            print(f"{label:8} first run {first * 1000:9.1f} ms {first_rss / 1024:8.1f} MiB", file=sys.stderr)
            for title, cmd_args, extra in commands(name):
                r = measure(exe, cmd_args, {**env, **extra}, args.runs)
                rows.append((label, title, r["median_ms"], r["peak_mib"], r["exit"]))
                print(f"{label:8} {title:40} {r['median_ms']:8.1f} ms {r['peak_mib']:8.1f} MiB exit {r['exit']}",
                      file=sys.stderr)

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    if args.markdown:
        print(f"Machine: {machine}; median of {args.runs} runs after a warm-up.\n")
        print("| data | command | median | peak RSS |")
        print("|---|---|---:|---:|")
        for label, title, ms, mib, _ in rows:
            print(f"| {label} | `{title}` | {ms:.0f} ms | {mib:.0f} MiB |")
    else:
        print(f"# {machine}")
        for label, title, ms, mib, codes in rows:
            print(f"{label}\t{title}\t{ms:.1f}\t{mib:.1f}\t{codes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
