"""Whole-process benchmarks of the aideps command line.

    python benchmarks/run.py                   # issue 14's table on S and M (generated if missing)
    python benchmarks/run.py --sizes S M L     # and on L (1M relationships: generating and running take minutes)
    python benchmarks/run.py --detail          # the older, longer list of commands, bundled data first

The default report has one row per line of issue 14's table, for each size:
the first run on a fresh cache (read, check, build the index), the index's
size on disk against the YAML's, `validate FILE --no-quotes`, `show HUB
--json` (HUB: the most relied-on entity), `tree HUB --reverse --depth 2`,
`hardware --json`, `hardware` as text, `stats`, `diff 2023 2024-11`,
`timeline`, `export` as csv, graphml and json, `show HUB --json --as-of
2024` (and its ratio to the same query without it), and PyYAML's C loader
(`yaml.load(f, Loader=yaml.CSafeLoader)`) on the same file as the reference.
Every figure is one whole process (the median of --runs runs), its output
read through a pipe as `| less` would; peak memory is that process's own
maximum resident set size as the OS reports it (`os.wait4`'s rusage of the
child), never tracemalloc. It writes DIR/issue14.json (machine-readable)
and DIR/issue14.md (the table) into --out (default benchmarks/out/).

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
import signal
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


CPU_LIMIT: int | None = None  # CPU seconds a query may use (--cpu-limit; not the first run): then SIGXCPU


def run_once(argv: list[str], env: dict[str, str], limit: int | None = None) -> tuple[float, int, int, float]:
    """Wall seconds, peak RSS in KiB, exit code and CPU seconds (user + system)
    of one whole process, its output read through a pipe and dropped (as by a
    pager); with `limit`, the OS stops it after that many CPU seconds (a
    limit on CPU, not wall time, means the same on a busy machine)."""
    import resource

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))

    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            preexec_fn=limited if limit else None)
    assert proc.stdout is not None
    while proc.stdout.read(1 << 16):
        pass
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
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


# ---- issue 14's table ------------------------------------------------------------------

# (key, row title, the target on L as the issue states it)
TABLE: list[tuple[str, str, str]] = [
    ("first", "first run (read, check, build the index)", "≤ 45 s, ≤ 400 MiB"),
    ("validate", "`validate FILE --no-quotes`", "≤ 45 s"),
    ("show_hub", "`show HUB --json`", "≤ 1.0 s, ≤ 100 MiB"),
    ("tree_hub", "`tree HUB --reverse --depth 2`", "≤ 2 s"),
    ("hardware_json", "`hardware --json`", "≤ 5 s, ≤ 150 MiB"),
    ("hardware_text", "`hardware` as text (piped)", "≤ 10 s, ≤ 200 MiB"),
    ("stats", "`stats`", "≤ 10 s, ≤ 300 MiB"),
    ("diff", "`diff 2023 2024-11`", "≤ 10 s, ≤ 300 MiB"),
    ("timeline", "`timeline`", "≤ 10 s, ≤ 300 MiB"),
    ("export_csv", "`export --format csv`", "≤ 60 s, constant memory"),
    ("export_graphml", "`export --format graphml`", "≤ 60 s, constant memory"),
    ("export_json", "`export --format json`", "≤ 60 s, constant memory"),
    ("as_of", "`show HUB --json --as-of 2024`", "≤ 2× `show HUB --json`"),
    ("index_size", "index size on disk (× the YAML)", "≤ 0.6×"),
    ("yaml", "reference: `yaml.load(f, Loader=yaml.CSafeLoader)`", "(PyYAML parsing the file into Python objects)"),
]


def _table_commands(path: Path, hub: str) -> list[tuple[str, list[str]]]:
    return [
        ("validate", ["validate", str(path), "--no-quotes"]),
        ("show_hub", ["show", hub, "--json"]),
        ("tree_hub", ["tree", hub, "--reverse", "--depth", "2"]),
        ("hardware_json", ["hardware", "--json"]),
        ("hardware_text", ["hardware"]),
        ("stats", ["stats"]),
        ("diff", ["diff", "2023", "2024-11"]),
        ("timeline", ["timeline"]),
        ("export_csv", ["export", "--format", "csv"]),
        ("export_graphml", ["export", "--format", "graphml"]),
        ("export_json", ["export", "--format", "json"]),
        ("as_of", ["show", hub, "--json", "--as-of", "2024"]),
    ]


def _folder_bytes(folder: str) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def issue_table(exe: list[str], sizes: list[str], runs: int, log, results: dict, reference: bool = True) -> dict:
    """Every row of issue 14's table for each size, into `results`: {size: {"rows": {key: result}, ...}}
    (`log(size, key, result)` after each row: what is measured so far survives an interrupted run)."""
    for label in sizes:
        path, _, hub = dataset(label)
        assert path is not None and hub is not None
        rows: dict[str, dict] = {}
        results[label] = {"file": str(path), "yaml_bytes": path.stat().st_size, "hub": hub, "rows": rows}
        with tempfile.TemporaryDirectory() as cache:
            env = {**_env(), "AIDEPS_CACHE_DIR": cache, "AIDEPS_DATA": str(path)}
            elapsed, rss, code, used = run_once(exe + ["show", hub, "--json"], env)
            rows["first"] = {"ms": elapsed * 1000, "cpu": used * 1000, "mib": rss / 1024, "exit": [code], "runs": 1}
            log(label, "first", rows["first"])
            index = _folder_bytes(cache)
            rows["index_size"] = {"bytes": index, "ratio": index / path.stat().st_size}
            log(label, "index_size", rows["index_size"])
            for key, args in _table_commands(path, hub):
                if key == "validate":  # the check itself: each run on an empty cache, so no kept verdict answers it
                    rows[key] = measure_plain(exe + args, env, runs, fresh_cache=cache)
                else:
                    rows[key] = measure_plain(exe + args, env, runs)
                log(label, key, rows[key])
        rows["as_of"]["ratio"] = rows["as_of"]["ms"] / rows["show_hub"]["ms"] if rows["show_hub"]["ms"] else None
        if reference:  # (on L: some 6 minutes and 12 GiB)
            rows["yaml"] = compare_yaml(path)
            log(label, "yaml", rows["yaml"])
    return results


def measure_plain(argv: list[str], env: dict[str, str], runs: int, fresh_cache: str | None = None) -> dict:
    """The median of `runs` runs, no warm-up (the first run on the file has
    filled the page cache); `fresh_cache`: each run with a new, empty cache
    folder in it."""
    times, cpu, peak, codes = [], [], 0, set()
    for n in range(runs):
        if fresh_cache is not None:
            env = {**env, "AIDEPS_CACHE_DIR": os.path.join(fresh_cache, f"fresh-{n}")}
        elapsed, rss, code, used = run_once(argv, env, CPU_LIMIT)
        times.append(elapsed)
        cpu.append(used)
        peak = max(peak, rss)
        codes.add(code)
    return {"ms": statistics.median(times) * 1000, "cpu": statistics.median(cpu) * 1000, "mib": peak / 1024,
            "exit": sorted(codes), "runs": runs}


def _seconds(ms: float) -> str:
    return f"{ms / 1000:.1f} s" if ms >= 10_000 else (f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms")


def _cell(key: str, r: dict | None) -> str:
    if r is None:
        return "–"
    if key == "index_size":
        return f"{r['bytes'] / 2**20:.0f} MiB, {r['ratio']:.2f}×"
    text = f"{_seconds(r['ms'])}, {r['mib']:.0f} MiB (CPU {_seconds(r['cpu'])})"
    if key == "as_of" and r.get("ratio"):
        text += f", {r['ratio']:.1f}× without"
    if -signal.SIGXCPU in r.get("exit", []) and CPU_LIMIT:
        text = f"**stopped after {_seconds(CPU_LIMIT * 1000)} of CPU** (wall {_seconds(r['ms'])}, {r['mib']:.0f} MiB)"
    elif any(code != 0 for code in r.get("exit", [0])):
        text += f" **exit {','.join(map(str, r['exit']))}**"
    return text


def markdown(results: dict, machine: str, exe: str) -> str:
    sizes = list(results)
    lines = [
        f"Machine: {machine}. aideps: `{exe}`. Each cell: wall time, peak RSS of the process (from the OS), "
        "CPU time; one process per figure, output read through a pipe.",
        "",
        "| command | " + " | ".join(
            f"{s} ({results[s]['yaml_bytes'] / 1e6:.0f} MB)" for s in sizes) + " | target on L |",
        "|---|" + "---:|" * len(sizes) + "---|",
    ]
    for key, title, target in TABLE:
        lines.append(f"| {title} | " + " | ".join(_cell(key, results[s]["rows"].get(key)) for s in sizes) + f" | {target} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time aideps as whole processes.")
    parser.add_argument("--sizes", nargs="*", default=None, choices=["S", "M", "L"],
                        help="synthetic files (default: S M; L takes minutes)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where issue14.json and issue14.md go")
    parser.add_argument("--detail", action="store_true", help="the longer list of commands, bundled data first")
    parser.add_argument("--cpu-limit", type=int, default=None, help="stop a query after this many CPU seconds")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default: 1; --detail: 11)")
    parser.add_argument("--heavy-runs", type=int, default=1, help="runs of the stress rows (default 1)")
    parser.add_argument("--no-bundled", action="store_true", help="only the synthetic files")
    parser.add_argument("--no-heavy", action="store_true", help="leave out the stress rows")
    parser.add_argument("--compare-yaml", action="store_true", help="also time PyYAML's C loader on each file")
    parser.add_argument("--no-reference", action="store_true",
                        help="issue 14's table without its reference row (PyYAML's C loader: minutes and 12 GiB on L)")
    parser.add_argument("--exe", default=None, help="aideps executable (default: the one on PATH)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)

    exe_path = args.exe or shutil.which("aideps")
    if not exe_path:
        print("aideps is not on PATH; pip install . first", file=sys.stderr)
        return 1
    exe = [exe_path]
    global CPU_LIMIT
    CPU_LIMIT = args.cpu_limit
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    if not args.detail:
        sizes = args.sizes if args.sizes is not None else ["S", "M"]

        results: dict[str, dict] = {}
        args.out.mkdir(parents=True, exist_ok=True)

        def save() -> str:
            document = {"machine": machine, "aideps": exe_path, "load_average": os.getloadavg(),
                        "cpu_limit_s": CPU_LIMIT, "targets": {key: target for key, _, target in TABLE},
                        "sizes": results}
            (args.out / "issue14.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
            table = markdown(results, machine, exe_path)
            (args.out / "issue14.md").write_text(table, encoding="utf-8")
            return table

        def log(label: str, key: str, result: dict) -> None:
            print(f"{label:3} {key:16} {_cell(key, result)}", file=sys.stderr, flush=True)
            save()

        issue_table(exe, sizes, args.runs or 1, log, results, reference=not args.no_reference)
        print(save())
        return 0
    args.sizes = args.sizes or []
    args.runs = args.runs or 11
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
