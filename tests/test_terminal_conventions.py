"""Command-line conventions, in real processes: completion scripts for four
shells, names and aliases completed, usage without type leftovers, plain
error lines when stderr is not a terminal, one exit status (141) for a
closed stdout, file-level problems without `:0:0`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from aideps.cli import spec

pytest.importorskip("pyte")

import terminal  # noqa: E402  (tests/terminal.py)

# What only each shell's own script says.
MARKERS = {
    "bash": ("complete -o", "COMP_WORDS", "_AIDEPS_COMPLETE=complete_bash"),
    "zsh": ("#compdef aideps", "compdef _aideps_completion aideps", "_AIDEPS_COMPLETE=complete_zsh"),
    "fish": ("complete --command aideps", "commandline -cp", "_AIDEPS_COMPLETE=complete_fish"),
    "powershell": ("Register-ArgumentCompleter", "$scriptblock", "_AIDEPS_COMPLETE"),
}


def aideps(*args: str, env: dict | None = None, **options) -> subprocess.CompletedProcess:
    environment = terminal.environment(100)
    del environment["COLUMNS"], environment["LINES"]
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "aideps", *args], capture_output=True, text=True, env=environment, **options)


@pytest.mark.parametrize("shell", sorted(MARKERS))
def test_each_shell_gets_its_own_completion_script(shell):
    done = aideps("--show-completion", shell)
    assert done.returncode == 0, done.stderr
    for marker in MARKERS[shell]:
        assert marker in done.stdout, (shell, marker)
    for other, markers in MARKERS.items():
        if other != shell:
            assert markers[0] not in done.stdout, (shell, other)


def test_an_unknown_shell_is_a_usage_error():
    done = aideps("--show-completion", "tcsh")
    assert done.returncode == 2
    assert "Error: Invalid value for '--show-completion': 'tcsh' is not one of" in done.stderr


def _complete(shell: str, line: str) -> str:
    words = line.split(" ")
    env = {"_AIDEPS_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env.update(_TYPER_COMPLETE_ARGS=line, _TYPER_COMPLETE_FISH_ACTION="get-args")
    done = aideps(env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_aliases_complete_as_typed(shell):
    assert "amzn" in _complete(shell, "aideps show amz")  # Amazon's alias, in lower case
    assert "open-ai" in _complete(shell, "aideps tree open")  # OpenAI's, beside the ids
    assert "openai" in _complete(shell, "aideps tree open")
    assert "NVIDIA" in _complete(shell, "aideps why openai NV")  # a name, as capitalised


def test_typer_completes_aliases_as_the_fast_path_does(monkeypatch):
    from aideps.cli import typer_app

    monkeypatch.delenv("AIDEPS_DATA")  # the bundled file
    assert ("amzn", "amazon") in typer_app.complete_name(None, "amz")
    assert [value for value, _ in typer_app.complete_name(None, "open")][:2] == ["open-ai", "open-source-models"]


def test_commands_complete():
    assert "show" in _complete("bash", "aideps sh").split()


HELPS = [[command.name, "--help"] for command in spec.COMMANDS] + [["--help"]]


def test_usage_has_no_type_leftovers():
    for args in HELPS:
        done = aideps(*args, env={"COLUMNS": "120"})
        assert done.returncode == 0, done.stderr
        for leftover in ("{", "<str>", "<int", "<path>", "x>=", "TEXT:", "<text>"):
            assert leftover not in done.stdout, (args, leftover)
    for args, usage in (
        (["show"], "NAME"),
        (["why"], "A B"),
        (["search"], "TEXT..."),
        (["timeline"], "[NAME]"),
        (["validate"], "[FILE]"),
    ):
        lines = [line.strip() for line in aideps(*args, "--help").stdout.splitlines()]
        assert f"Usage: aideps {args[0]} [OPTIONS] {usage}" in lines


def test_a_minimum_is_still_checked_and_said_plainly():
    done = aideps("why", "microsoft", "nvidia", "--depth", "0")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == "Usage: aideps why [OPTIONS] A B"
    # Click names the first help option it knows: -h (Typer's own Click) or --help (Click itself, Typer < 0.26).
    assert lines[1] in ("Try 'aideps why -h' for help.", "Try 'aideps why --help' for help.")
    assert lines[2:] == ["", "Error: Invalid value for '--depth' / '-d': 0 is not in the range x>=1."]


@pytest.mark.parametrize(
    "args, error",
    [
        (["show"], "Error: Missing argument 'NAME'."),
        (["nosuch"], "Error: No such command 'nosuch'."),
        (["show", "openai", "--bogus"], "Error: No such option"),  # ": --bogus" or " '--bogus'.", by Click's version
        (["show", "openai", "--json", "--csv"], "Error: Invalid value for '--json' / '--csv': choose one of --json and --csv"),
    ],
)
def test_usage_errors_are_plain_lines_when_stderr_is_not_a_terminal(args, error):
    done = aideps(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0].startswith("Usage: aideps")
    assert any(line.startswith(error) for line in lines), lines  # Click may add "Did you mean ...?"
    assert all(word in done.stderr for word in args if word.startswith("--bogus"))
    assert not any(c in done.stderr for c in "╭╮╰╯│─")


def test_usage_errors_come_in_a_box_on_a_terminal():
    ran = terminal.run(["show"], 80, stderr_too=True, NO_COLOR="1")
    assert ran.code == 2
    shown = "\n".join(ran.rows)
    assert "╭─ Error" in shown
    assert "Missing argument 'NAME'." in shown


CLOSED = [
    ["show", "openai"],
    ["show", "openai", "--json"],
    ["show", "--", "openai"],  # through Typer
    ["list"],
    ["tree", "openai"],
    ["hardware", "--csv"],
    ["why", "microsoft", "nvidia"],
    ["stats", "--json"],
    ["show", "--help"],
    ["--help"],
    ["--show-completion", "zsh"],
    ["--version"],
]


@pytest.mark.parametrize("args", CLOSED, ids=" ".join)
def test_a_closed_stdout_exits_141_quietly(args):
    """The reader is gone before a byte is written: every command, its help
    and a completion script exit 141, with nothing on stderr."""
    read, write = os.pipe()
    os.close(read)
    env = terminal.environment(100)
    del env["COLUMNS"], env["LINES"]
    try:
        done = subprocess.run([sys.executable, "-m", "aideps", *args], stdout=write, stderr=subprocess.PIPE, text=True, env=env)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")


@pytest.mark.skipif(not os.path.exists("/bin/bash"), reason="needs bash")
def test_head_gives_the_same_status_for_every_command_run_after_run():
    """`aideps ... | head -3`: 141 when head left before the answer was all
    written, 0 when it had all been written; never 1, never a message."""
    script = 'for i in 1 2 3 4 5; do "$@" | head -3 > /dev/null; echo "${PIPESTATUS[0]}"; done'
    for args in (["show", "openai", "--json"], ["list", "--json"], ["show", "openai"], ["list"]):
        done = subprocess.run(
            ["/bin/bash", "-c", script, "run", sys.executable, "-m", "aideps", *args],
            capture_output=True,
            text=True,
            env={**terminal.environment(100), "COLUMNS": ""},
        )
        codes = set(done.stdout.split())
        assert codes <= {"0", "141"}, (args, codes)
        assert done.stderr == "", args


def test_a_missing_file_is_named_without_a_position(tmp_path):
    done = aideps("validate", "nope.yaml", cwd=str(tmp_path))
    assert done.returncode == 1
    assert done.stdout.startswith("nope.yaml: no such file")
    assert ":0:0" not in done.stdout + done.stderr
    done = aideps("--data", "nope.yaml", "show", "openai", cwd=str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.startswith("nope.yaml: no such file")


def test_a_problem_in_a_file_keeps_its_line_and_column():
    from aideps.knowledge.problems import Problem

    assert str(Problem("f.yaml", 3, 5, "bad")) == "f.yaml:3:5: bad"
    assert str(Problem("f.yaml", 0, 0, "no such file")) == "f.yaml: no such file"
