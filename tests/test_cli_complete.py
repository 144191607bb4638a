"""Shell completion: __main__'s fast path answers exactly as Typer would."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from aideps.cli import complete as entry
from aideps.cli.typer_app import app, complete_name

TYPER_ANSWER = "from aideps.cli.typer_app import app; app(prog_name='aideps')"


def _env(shell: str, line: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["_AIDEPS_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        words = line.split(" ")
        env["COMP_WORDS"] = "\n".join(words)
        env["COMP_CWORD"] = str(len(words) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
    env.update(extra)
    return env


def _ask(code: list[str], env: dict) -> tuple[int, str, str]:
    result = subprocess.run([sys.executable, *code], capture_output=True, text=True, env=env, timeout=60)
    return result.returncode, result.stdout, result.stderr


LINES = [
    "aideps show ",
    "aideps show or",
    "aideps show Orb",
    "aideps show zz",
    "aideps tree --depth 2 mac",
    "aideps tree -r acme",
    "aideps --no-color show gc",
    "aideps hardware --entity ",
    "aideps research -e bo",
    "aideps research --entity=or",
    "aideps show --quotes --json f",
    "aideps show orbit-labs ",  # NAME given: Typer's turn
    "aideps show --",  # option names: Typer's turn
    "aideps sh",  # command names: Typer's turn
    "aideps list --type ",  # a choice: Typer's turn
]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("line", LINES)
def test_fast_path_answers_as_typer_does(shell, line, mini_path):
    extra = {"_TYPER_COMPLETE_FISH_ACTION": "get-args"} if shell == "fish" else {}
    env = _env(shell, line, **extra)
    assert _ask(["-m", "aideps"], env) == _ask(["-c", TYPER_ANSWER], env)


@pytest.mark.parametrize("line", ["aideps show or", "aideps show zz", "aideps show --"])
def test_fish_is_args(line):
    env = _env("fish", line, _TYPER_COMPLETE_FISH_ACTION="is-args")
    assert _ask(["-m", "aideps"], env) == _ask(["-c", TYPER_ANSWER], env)


def test_data_option_is_honoured(tmp_path, mini_path):
    env = _env("bash", f"aideps --data {tmp_path / 'missing.yaml'} show or")
    assert _ask(["-m", "aideps"], env)[1] == "\n"  # an unreadable file completes nothing
    env = _env("bash", f"aideps show --data {mini_path} or", AIDEPS_DATA=str(tmp_path / "missing.yaml"))
    assert _ask(["-m", "aideps"], env)[1] == "orbit-chat\norbit-labs\n"


def test_fast_path_answers_without_typer():
    env = _env("bash", "aideps show or")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "aideps"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout == "orbit-chat\norbit-labs\n"
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "typer" not in imported and "rich" not in imported


def test_fast_path_declines_what_it_does_not_know(monkeypatch):
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "aideps show --no-such-option ")
    assert entry.answer("complete_zsh") is None
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "aideps show -- ")
    assert entry.answer("complete_zsh") is None
    assert entry.answer("source_bash") is None
    assert entry.answer("complete_powershell") is None


def _options(command) -> tuple[set[str], set[str]]:
    flags: set[str] = set()
    values: set[str] = set()
    for param in command.params:
        if param.param_type_name != "option" or "--help" in param.opts:
            continue
        names = set(param.opts) | set(param.secondary_opts)
        (flags if param.is_flag else values).update(names)
    return flags, values


def test_fast_path_tables_match_the_app():
    import typer.main

    group = typer.main.get_command(app)
    root_flags, root_values = _options(group)
    assert entry.GLOBAL_FLAGS <= root_flags
    assert entry.GLOBAL_VALUE_OPTIONS <= root_values
    for name, command in group.commands.items():
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        named = [p for p in arguments if p._custom_shell_complete is not None]
        name_options = {
            opt
            for p in command.params
            if p.param_type_name == "option" and p._custom_shell_complete is not None
            for opt in p.opts
        }
        spec = entry.COMMANDS[name]
        flags, values = _options(command)
        assert spec["flags"] == flags, name
        assert spec["values"] == values, name
        assert spec["name_argument"] == bool(named and arguments[0] is named[0]), name
        assert name_options <= entry.NAME_OPTIONS


def test_typer_completion_function(mini_data):
    class Ctx:
        params: dict = {}
        parent = None

    assert [v for v, _ in complete_name(Ctx(), "acme")] == ["acme-cloud", "acme-tensor"]


@pytest.mark.parametrize("line", ["aideps hardware --st", "aideps tree openai --s"])
def test_the_hidden_status_option_is_not_completed(line, mini_path):
    code, out, _ = _ask(["-m", "aideps"], _env("bash", line))
    assert code == 0 and "--stage" in out.split() and "--status" not in out
