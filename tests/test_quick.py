"""A plain `aideps show NAME` is answered without Typer (aideps.cli.quick), with
exactly what the Typer command prints: the same output, messages and exit
codes; anything less plain is left to Typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aideps.cli import quick
from aideps.graph import store
from aideps.cli.commands import app
from aideps.graph.core import Graph

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini.yaml"


def typer_run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, prog_name="aideps")
    return result.exit_code, result.stdout, result.stderr


def quick_run(args: list[str], capsys) -> tuple[int, str, str] | None:
    capsys.readouterr()
    code = quick.main(args)
    out, err = capsys.readouterr()
    return None if code is None else (code, out, err)


def _cases() -> list[list[str]]:
    bundled = Graph(store.load(store.bundled_path(), use_cache=False))
    cases = []
    for eid in bundled.entities:
        cases += [["show", eid], ["show", eid, "--json"]]
    for eid in list(bundled.entities)[:12]:
        cases += [["show", eid, "--csv"], ["show", "-q", eid], ["--no-color", "show", eid, "--quotes"]]
    cases += [
        ["show", "OpenAI"],
        ["show", "open ai", "--json"],
        ["show", "opnai"],
        ["show", "zzzz", "--json"],
        ["--data", str(MINI), "show", "orbit"],
        ["show", "orbit", f"--data={MINI}"],
        ["--data", "/nonexistent/k.yaml", "show", "x"],
        ["show", "x", "--data", str(FIXTURES / "bad" / "unknown_kind.yaml")],
        ["--data", str(FIXTURES / "bad" / "many_problems.yaml"), "show", "x", "--json"],
    ]
    return cases


@pytest.mark.parametrize("args", _cases(), ids=lambda a: " ".join(a)[:60])
def test_quick_show_answers_as_the_typer_command(args, capsys, monkeypatch):
    monkeypatch.delenv("AIDEPS_DATA", raising=False)  # the bundled file, unless --data
    got = quick_run(args, capsys)
    assert got is not None, "a plain show command line went to Typer"
    assert got == typer_run(args)


@pytest.mark.parametrize(
    "args",
    [
        ["show"],
        ["show", "a", "b"],
        ["show", "openai", "--json", "--csv"],
        ["show", "openai", "--as-of", "2024"],
        ["show", "--help"],
        ["--version"],
        ["--help"],
        ["shw", "openai"],
        ["show", "openai", "--"],
        ["show", "-x", "openai"],
        ["show", "-qj", "openai"],
        ["--data"],
        ["show", "openai", "--data", ""],
        ["tree", "openai"],
        [],
    ],
    ids=lambda a: " ".join(a) or "nothing",
)
def test_anything_less_plain_goes_to_typer(args):
    assert quick.parse(args) is None


def test_the_console_script_takes_the_quick_path(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "AIDEPS_DATA"}
    env["AIDEPS_CACHE_DIR"] = str(tmp_path / "cache")
    command = [sys.executable, "-X", "importtime", "-m", "aideps", "show", "openai", "--json"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    assert "typer" not in imported and "rich" not in imported
    assert again.stdout == first.stdout
