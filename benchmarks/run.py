"""Whole-process benchmarks of the aideps command line.

    python benchmarks/run.py                          # bundled data only
    python benchmarks/run.py --sizes S M L            # plus synthetic files (generated if missing)
    python benchmarks/run.py --sizes L --compare-yaml # and PyYAML's C loader on the same files
    python benchmarks/run.py --markdown               # the table for the README

Each command runs as a separate process, the way a user or a shell's
completion runs it: the figure is the median wall time of --runs runs after
one warm-up run, and the peak resident memory (max RSS) of the largest of
them. The first run on a file (a fresh cache: it reads the YAML and builds
the index) is timed once. Full listings of a large file (`hardware` on M and L:
140,000 rows) and queries on its most relied-on entity (a hub with some
50,000 relationships) are stress rows, run --heavy-runs times.

--compare-yaml times `yaml.load(f, Loader=yaml.CSafeLoader)` on each
synthetic file in its own process (on L: minutes, and some 12 GB).

Set PYTHONDONTWRITEBYTECODE? It is removed from the environment of the
runs: without cached bytecode every run would compile aideps again.

This is a benchmark, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
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


def commands(name: str, hub: str | None, large: bool) -> list[tuple[str, list[str], dict[str, str], bool]]:
    """(title, arguments, extra environment, heavy) for one data set."""
    prefix = name[:3]
    rows = [
        ("--help", ["--help"], {}, False),
        (f"show {name}", ["show", name], {}, False),
        (f"show {name} --json", ["show", name, "--json"], {}, False),
        (f"tree {name} --depth 2", ["tree", name, "--depth", "2"], {}, False),
        (f"tree {name} --reverse --depth 2", ["tree", name, "--reverse", "--depth", "2"], {}, False),
        (f"tree {name} --depth 2 --json", ["tree", name, "--depth", "2", "--json"], {}, False),
        (f"hardware --entity {name}", ["hardware", "--entity", name], {}, False),
        (f"hardware --entity {name} --json", ["hardware", "--entity", name, "--json"], {}, False),
        ("hardware", ["hardware"], {}, large),
        ("hardware --json", ["hardware", "--json"], {}, large),
        (f"why {name} {hub or 'nvidia'}", ["why", name, hub or "nvidia"], {}, False),
        (f"impact {name}", ["impact", name], {}, False),
        (f"timeline {name}", ["timeline", name], {}, False),
        (f"search {prefix}", ["search", prefix], {}, large),
        ("list", ["list"], {}, large),
        ("sources", ["sources"], {}, large),
        ("stats", ["stats"], {}, large),
        ("diff 2023 2024-11", ["diff", "2023", "2024-11"], {}, large),
        (
            f"complete 'show {prefix}<TAB>'",
            [],
            {"_AIDEPS_COMPLETE": "complete_bash", "COMP_WORDS": f"aideps show {prefix}", "COMP_CWORD": "2"},
            False,
        ),
    ]
    if hub:
        rows += [
            (f"show {hub} --json (the hub)", ["show", hub, "--json"], {}, True),
            (f"tree {hub} --depth 2 (the hub)", ["tree", hub, "--depth", "2"], {}, True),
        ]
    return rows


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int, int, float]:
    """Wall seconds, peak RSS in KiB, exit code and CPU seconds (user + system) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def measure(argv: list[str], env: dict[str, str], runs: int) -> dict:
    run_once(argv, env)  # warm-up: fills the page cache
    times, cpu, peak, codes = [], [], 0, set()
    for _ in range(runs):
        elapsed, rss, code, used = run_once(argv, env)
        times.append(elapsed)
        cpu.append(used)
        peak = max(peak, rss)
        codes.add(code)
    return {
        "ms": statistics.median(times) * 1000,
        "cpu": statistics.median(cpu) * 1000,
        "mib": peak / 1024,
        "exit": sorted(codes),
        "runs": runs,
    }


def dataset(label: str) -> tuple[Path | None, str, str | None]:
    """(file, a typical entity, the hub) of a data set."""
    if label == "bundled":
        return None, "openai", None
    path = DATA_DIR / f"{label}.yaml"
    if not path.exists() or not path.with_suffix(".json").exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        print(f"generating {path} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), label, "-o", str(path)], check=True)
    names = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return path, names["typical"], names["hub"]


def compare_yaml(path: Path) -> dict:
    """PyYAML's C loader on the same file, in its own process."""
    code = "import sys, yaml\nwith open(sys.argv[1], 'rb') as f:\n    yaml.load(f, Loader=yaml.CSafeLoader)\n"
    elapsed, rss, status, used = run_once([sys.executable, "-c", code, str(path)], _env())
    return {"ms": elapsed * 1000, "cpu": used * 1000, "mib": rss / 1024, "exit": [status], "runs": 1}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_AIDEPS") and k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("AIDEPS_DATA", None)
    env.update({"NO_COLOR": "1", "COLUMNS": "120"})
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time aideps as whole processes.")
    parser.add_argument("--sizes", nargs="*", default=[], choices=["S", "M", "L"])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--heavy-runs", type=int, default=1, help="runs of the stress rows (default 1)")
    parser.add_argument("--no-bundled", action="store_true", help="only the synthetic files")
    parser.add_argument("--no-heavy", action="store_true", help="leave out the stress rows")
    parser.add_argument("--compare-yaml", action="store_true", help="also time PyYAML's C loader on each file")
    parser.add_argument("--exe", default=None, help="aideps executable (default: the one on PATH)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)

    exe_path = args.exe or shutil.which("aideps")
    if not exe_path:
        print("aideps is not on PATH; pip install . first", file=sys.stderr)
        return 1
    exe = [exe_path]
    rows: list[tuple[str, str, dict]] = []

    def record(label: str, title: str, result: dict) -> None:
        rows.append((label, title, result))
        print(
            f"{label:8} {title:48} {result['ms']:10.1f} ms {result['cpu']:10.1f} ms CPU {result['mib']:8.1f} MiB"
            f"  exit {result['exit']}",
            file=sys.stderr,
        )

    labels = ([] if args.no_bundled else ["bundled"]) + list(args.sizes)
    for label in labels:
        path, name, hub = dataset(label)
        size = f" ({path.stat().st_size / 1e6:.0f} MB)" if path else ""
        with tempfile.TemporaryDirectory() as cache:
            env = _env()
            env["AIDEPS_CACHE_DIR"] = cache
            if path:
                env["AIDEPS_DATA"] = str(path)
            first, first_rss, code, used = run_once(exe + ["show", name, "--json"], env)
            record(label, f"first run{size}: show {name} --json, builds the index", {
                "ms": first * 1000, "cpu": used * 1000, "mib": first_rss / 1024, "exit": [code], "runs": 1})
            for title, cmd_args, extra, heavy in commands(name, hub, large=label in ("M", "L")):
                if heavy and args.no_heavy:
                    continue
                runs = args.heavy_runs if heavy else args.runs
                record(label, title, measure(exe + cmd_args, {**env, **extra}, runs))
        if path and args.compare_yaml:
            record(label, f"yaml.load(CSafeLoader){size}, for comparison", compare_yaml(path))

    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    bare = statistics.median(run_once([sys.executable, "-c", "pass"], _env())[0] for _ in range(21)) * 1000
    if args.json_out:
        args.json_out.write_text(json.dumps({
            "machine": machine,
            "python_c_pass_ms": bare,
            "runs": args.runs,
            "rows": [{"data": label, "command": title, **r} for label, title, r in rows],
        }, indent=2) + "\n", encoding="utf-8")
    if args.markdown:
        print(f"Machine: {machine}; bare `python -c pass` {bare:.0f} ms in the same run. "
              f"Median of {args.runs} runs after a warm-up (stress rows: {args.heavy_runs}).\n")
        print("| data | command | median | above `python -c pass` | CPU | peak RSS |")
        print("|---|---|---:|---:|---:|---:|")

        def shown(ms: float) -> str:
            return f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:.0f} ms"

        for label, title, r in rows:
            print(f"| {label} | `{title}` | {shown(r['ms'])} | {shown(max(r['ms'] - bare, 0))} | {shown(r['cpu'])} | {r['mib']:.0f} MiB |")
    else:
        print(f"# {machine}; python -c pass {bare:.1f} ms")
        for label, title, r in rows:
            print(f"{label}\t{title}\t{r['ms']:.1f}\t{r['mib']:.1f}\t{r['exit']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
