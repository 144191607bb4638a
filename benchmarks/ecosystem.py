"""Whole-process benchmark of every command on Stanford CRFM's Ecosystem Graphs.

    python benchmarks/ecosystem.py --eg-dir CHECKOUT     # or AIDEPS_EG_DIR=CHECKOUT
    python benchmarks/ecosystem.py --eg-dir CHECKOUT --runs 9 --columns 0

The repository has no licence, so it is never copied here: give a checkout
(`git clone https://github.com/stanford-crfm/ecosystem-graphs`). Without
one, this says so and exits 0. It imports the checkout once (`aideps import
ecosystem-graphs`, timed too), builds the index (the first run), then times
each command warm: --runs rounds in which every command runs once (so a
busy moment of a shared machine slows all alike), the median and the best
of each command's whole processes, its output read through a pipe with NO_COLOR=1 and COLUMNS=120 (--columns 0: no COLUMNS, as
`| less` gets), against issue 13's target of 150 ms. It writes
benchmarks/out/ecosystem.json and ecosystem.md.

This is a benchmark, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import _env, run_once  # noqa: E402

TARGET_MS = 150


def commands(hub: str, asset: str, dependent: str) -> list[tuple[str, list[str]]]:
    """Every command of aideps, with arguments from the catalogue."""
    return [
        ("--version", ["--version"]),
        (f"show {asset}", ["show", asset]),
        (f"show {asset} --json", ["show", asset, "--json"]),
        ("list", ["list"]),
        ("list --long", ["list", "--long"]),
        ("list --where access=open", ["list", "--where", "access=open"]),
        ("list --csv", ["list", "--csv"]),
        ("search llama", ["search", "llama"]),
        ("sources", ["sources"]),
        (f"tree {dependent}", ["tree", dependent]),
        (f"tree {hub} --reverse", ["tree", hub, "--reverse"]),
        (f"why {dependent} {hub}", ["why", dependent, hub]),
        (f"impact {hub}", ["impact", hub]),
        ("research", ["research"]),
        ("distribution", ["distribution"]),
        ("hardware", ["hardware"]),
        ("stats", ["stats"]),
        ("conflicts", ["conflicts"]),
        ("timeline", ["timeline"]),
        (f"timeline {asset}", ["timeline", asset]),
        ("diff 2022 2023", ["diff", "2022", "2023"]),
        (f"tree {dependent} --as-of 2023", ["tree", dependent, "--as-of", "2023"]),
        ("export -f json", ["export", "-f", "json"]),
        ("export -f graphml", ["export", "-f", "graphml"]),
        ("export -f dot", ["export", "-f", "dot"]),
        ("validate --no-quotes", ["validate", "{file}", "--no-quotes"]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eg-dir", default=os.environ.get("AIDEPS_EG_DIR"), help="a checkout of ecosystem-graphs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--columns", type=int, default=120, help="COLUMNS for the runs; 0: none (piped, as less gets)")
    parser.add_argument("--out", default=str(HERE / "out"))
    args = parser.parse_args(argv)
    if not args.eg_dir:
        print("skipped: give --eg-dir CHECKOUT (or AIDEPS_EG_DIR) of stanford-crfm/ecosystem-graphs", file=sys.stderr)
        return 0
    # The console script, as users run it (`python -m aideps` adds runpy's imports).
    script = Path(sys.executable).with_name("aideps")
    exe = [str(script)] if script.exists() else [sys.executable, "-m", "aideps"]
    env = _env()
    if args.columns:
        env["COLUMNS"] = str(args.columns)
    else:
        env.pop("COLUMNS", None)
    with tempfile.TemporaryDirectory() as tmp:
        env["AIDEPS_CACHE_DIR"] = str(Path(tmp) / "cache")
        data = Path(tmp) / "eg.yaml"
        seconds, rss, code, _ = run_once([*exe, "import", "ecosystem-graphs", args.eg_dir, "-o", str(data)], env)
        if code != 0:
            print(f"the import failed (exit {code})", file=sys.stderr)
            return 1
        rows = [{"command": "import ecosystem-graphs", "ms": seconds * 1000, "mib": rss / 1024, "first": True}]
        listed = json.loads(subprocess.run([*exe, "--data", str(data), "list", "--json"], capture_output=True, text=True,
                                           env=env, check=True).stdout)["entities"]
        hub = max(listed, key=lambda e: e["relationships"])["id"]
        asset = "llama-2" if any(e["id"] == "llama-2" for e in listed) else listed[0]["id"]
        dependent = "vicuna" if any(e["id"] == "vicuna" for e in listed) else asset
        # (`list --json` above built the index in `cache`: the first run gets a cache of its own)
        fresh = {**env, "AIDEPS_CACHE_DIR": str(Path(tmp) / "first-run-cache")}
        first, rss, _, _ = run_once([*exe, "--data", str(data), "stats"], fresh)
        rows.append({"command": "stats, first run (builds the index)", "ms": first * 1000, "mib": rss / 1024, "first": True})
        lines_ = []
        for title, words in commands(hub, asset, dependent):
            words = [str(data) if w == "{file}" else w for w in words]
            argv_ = [*exe, *words] if words[0] in ("--version", "validate") else [*exe, "--data", str(data), *words]
            run_once(argv_, env)  # warm-up: the page cache, a verdict, compiled modules
            lines_.append((title, argv_))
        # Rounds: every command once per round, so that a busy moment of a
        # shared machine slows all commands alike, not the few it falls on.
        samples: dict[str, list] = {title: [] for title, _ in lines_}
        for _ in range(args.runs):
            for title, argv_ in lines_:
                samples[title].append(run_once(argv_, env))
        for title, _ in lines_:
            times = [s[0] for s in samples[title]]
            result = {
                "ms": statistics.median(times) * 1000,
                "best_ms": min(times) * 1000,
                "cpu": statistics.median(s[3] for s in samples[title]) * 1000,
                "mib": max(s[1] for s in samples[title]) / 1024,
                "exit": sorted({s[2] for s in samples[title]}),
                "runs": args.runs,
            }
            rows.append({"command": title, **result, "first": False})
            mark = "" if result["ms"] <= TARGET_MS else "  (over 150 ms)"
            print(f"{title:40} {result['ms']:7.0f} ms (best {result['best_ms']:4.0f}) {result['mib']:6.1f} MiB "
                  f"exit {result['exit']}{mark}", file=sys.stderr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    bare, _, _, _ = min(run_once([sys.executable, "-c", "pass"], env) for _ in range(5))
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
               f"bare `python -c pass` {bare * 1000:.0f} ms")
    (out / "ecosystem.json").write_text(json.dumps({"machine": machine, "columns": args.columns, "rows": rows}, indent=2) + "\n")
    lines = [f"Every command on Ecosystem Graphs ({len(listed)} entities), warm, median (and best) of {args.runs} "
             f"rounds of every command; {machine}", "",
             "| command | time | best | peak memory |", "|---|---:|---:|---:|"]
    for row in rows:
        best = f"{row['best_ms']:.0f} ms" if "best_ms" in row else ""
        lines.append(f"| `{row['command']}` | {row['ms']:.0f} ms | {best} | {row['mib']:.0f} MiB |")
    (out / "ecosystem.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out / 'ecosystem.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
