"""The cases of tests/render/test_emit.py: each query command's view, on the
test files, with the command line that printed the expected output.

`python tests/render/cases.py` records what the command lines print (piped,
as `aideps ... | cat` does) into tests/render/expected.json. It was run on
main's code before the renderers were reshaped (issue #10), so the test
pins today's output byte for byte.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
EXPECTED = HERE / "expected.json"

# (data file, view, command line); each is run with --json, --csv and neither.
CASES: list[tuple[str, str, list[str]]] = [
    ("mini", "profile", ["show", "orbit-labs"]),
    ("mini", "profile", ["show", "orbit-labs", "--quotes"]),
    ("mini", "profile", ["show", "greenchip"]),
    ("mini", "partnership", ["hardware"]),
    ("mini", "partnership", ["research"]),
    ("mini", "partnership", ["distribution", "--stage", "ended"]),
    ("mini", "tree", ["tree", "orbit-labs"]),
    ("mini", "tree", ["tree", "greenchip", "--reverse"]),
    ("mini", "entity_list", ["list"]),
    ("mini", "search", ["search", "orbit"]),
    ("mini", "search", ["search", "nothing-at-all"]),
    ("mini", "sources", ["sources"]),
    ("mini", "timeline", ["timeline"]),
    ("mini", "timeline", ["timeline", "orbit-labs"]),
    ("mini", "diff", ["diff", "2020", "2025"]),
    ("mini", "why", ["why", "orbit-labs", "greenchip"]),
    ("mini", "why", ["why", "greenchip", "orbit-labs"]),
    ("mini", "impact", ["impact", "greenchip"]),
    ("mini", "stats", ["stats"]),
    ("mini", "conflicts", ["conflicts"]),
    ("time", "profile", ["show", "gamma", "--as-of", "2022"]),
    ("time", "partnership", ["hardware", "--as-of", "2022"]),
    ("time", "tree", ["tree", "zeta", "--as-of", "2022"]),
    ("time", "why", ["why", "epsilon", "delta", "--as-of", "2022"]),
    ("time", "impact", ["impact", "gamma", "--as-of", "2022"]),
    ("time", "stats", ["stats", "--as-of", "2022"]),
    ("time", "timeline", ["timeline"]),
    ("time", "diff", ["diff", "2021", "2024"]),
    ("time", "conflicts", ["conflicts"]),
]

FORMATS = {"text": [], "json": ["--json"], "csv": ["--csv"]}
RECORDED = ("text", "csv")  # --json is jsonout.dumps(result), checked as such
# Environments: piped at 100 and 60 columns, piped without COLUMNS (1000), forced colour.
VARIANTS = {"100": {"COLUMNS": "100"}, "60": {"COLUMNS": "60"}, "wide": {}, "colour": {"COLUMNS": "100", "FORCE_COLOR": "1"}}


def key(data: str, args: list[str], fmt: str, variant: str) -> str:
    return f"{data}: {' '.join(args)} [{fmt}, {variant}]"


def keys():
    for data, view, args in CASES:
        for fmt in FORMATS:
            for variant in VARIANTS if fmt == "text" else ["100"]:
                yield data, view, args, fmt, variant


def record() -> None:
    import os

    from typer.testing import CliRunner

    from aideps.cli.typer_app import app

    expected = {}
    runner = CliRunner()
    for data, view, args, fmt, variant in keys():
        if fmt not in RECORDED or (fmt == "csv" and view == "stats"):
            continue
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR", "NO_COLOR")}
        env.update(VARIANTS[variant])
        os.environ.clear()
        os.environ.update(env)
        done = runner.invoke(app, [*args, *FORMATS[fmt], "--data", str(FIXTURES / f"{data}.yaml")], prog_name="aideps")
        assert done.exception is None or isinstance(done.exception, SystemExit), (args, done.exception)
        expected[key(data, args, fmt, variant)] = done.stdout
    EXPECTED.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(expected)} outputs in {EXPECTED}", file=sys.stderr)


if __name__ == "__main__":
    record()
