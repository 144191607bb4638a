"""A plain command line is answered without Typer (aideps.cli.fast), with
exactly what the Typer command prints: the same output, messages and exit
codes; anything less plain is left to Typer. Both read the command line by
the one declaration in aideps.cli.spec."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aideps.cli import fast, spec
from aideps.graph import store
from aideps.cli.typer_app import app
from aideps.graph.core import Graph

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini.yaml"


def typer_run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, prog_name="aideps")
    return result.exit_code, result.stdout, result.stderr


def quick_run(args: list[str], capsys) -> tuple[int, str, str] | None:
    capsys.readouterr()
    code = fast.main(args)
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
        # Global options after the command too (after wins), for every command.
        ["show", "openai", "--no-color"],
        ["show", "openai", "--as-of", "2024"],
        ["--data", "/nonexistent/k.yaml", "show", "openai", f"--data={store.bundled_path()}"],
    ]
    for command in spec.COMMANDS:  # every example of every command's help
        for example in command.examples:
            words = example.split("|")[0].split(">")[0].split()[1:]
            if "-o" not in words and command.name != "validate":  # files the examples name are not here
                cases.append(words)
    cases += [
        ["tree", "openai", "-r", "-d", "1", "-k", "hardware", "-k", "cloud", "--status=active"],
        ["why", "microsoft", "nvidia", "--limit", "0", "--csv"],
        ["impact", "nvidia", "--as-of", "2023-06", "--no-color"],
        ["list", "-t", "chip", "--json"],
        ["diff", "2023", "2024-11", "-e", "openai"],
        ["export", "openai", "-d", "1", "-f", "mermaid", "--no-labels"],
        ["search", "exclusive", "cloud"],
        ["search", "zzzzqqq"],
        ["stats", "--top", "2", "-s", "active"],
        ["--version"],
        ["-V"],
    ]
    return cases


@pytest.mark.parametrize("args", _cases(), ids=lambda a: " ".join(a)[:60])
def test_a_plain_command_line_is_answered_as_the_typer_command(args, capsys, monkeypatch):
    monkeypatch.delenv("AIDEPS_DATA", raising=False)  # the bundled file, unless --data
    got = quick_run(args, capsys)
    assert got is not None, "a plain command line went to Typer"
    assert got == typer_run(args)


@pytest.mark.parametrize(
    "args",
    [
        ["show"],
        ["show", "a", "b"],
        ["show", "openai", "--json", "--csv"],
        ["show", "--help"],
        ["--help"],
        ["shw", "openai"],
        ["show", "openai", "--"],
        ["show", "-x", "openai"],
        ["show", "-qj", "openai"],
        ["--data"],
        ["show", "openai", "--data", ""],
        ["tree", "openai", "--depth", "-1"],
        ["tree", "openai", "--kind", "rivalry"],
        ["why", "openai", "openai"],
        ["diff", "2023", "someday"],
        ["export", "--depth", "2"],
        ["search"],
        [],
    ],
    ids=lambda a: " ".join(a) or "nothing",
)
def test_anything_less_plain_goes_to_typer(args, capsys, monkeypatch):
    monkeypatch.delenv("AIDEPS_DATA", raising=False)  # the bundled file
    assert fast.main(args) is None
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("line", [["show", "openai", "--json"], ["hardware"], ["tree", "openai", "--no-color"], ["why", "microsoft", "nvidia"]])
def test_the_console_script_takes_the_fast_path(tmp_path, line):
    env = {k: v for k, v in os.environ.items() if k != "AIDEPS_DATA"}
    env["AIDEPS_CACHE_DIR"] = str(tmp_path / "cache")
    command = [sys.executable, "-X", "importtime", "-m", "aideps", *line]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    assert "typer" not in imported and "click" not in imported
    if line[0] in ("show", "tree", "why"):  # drawn without Rich when piped
        assert "rich" not in imported
    assert again.stdout == first.stdout


def test_the_hidden_status_option_works_but_is_not_offered(capsys, monkeypatch, mini_path):
    """--status (format 1's words) still answers, on the fast path as in Typer,
    as --health/--stage say it; help lists --stage, never --status."""
    monkeypatch.delenv("AIDEPS_DATA", raising=False)
    old = ["hardware", "--status", "strained", "--data", str(mini_path), "--json"]
    new = ["hardware", "--health", "strained", "--data", str(mini_path), "--json"]
    got = quick_run(old, capsys)
    assert got is not None, "--status went to Typer"
    assert got == typer_run(old)
    import json

    assert json.loads(got[1])["relationships"] == json.loads(typer_run(new)[1])["relationships"] != []
    for args in (["hardware", "--help"], ["tree", "--help"], ["why", "--help"]):
        assert fast.main(args) is None  # help is Typer's, which hides the option
        code, out, _ = typer_run(args)
        assert code == 0 and "--stage" in out and "--status" not in out
