"""The pager: on a terminal, an answer taller than the screen goes through
$AIDEPS_PAGER (else $PAGER, else `less -R`); never when piped, nor with
--no-pager, nor when it fits. A fake pager records what it was given."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("pyte")

import terminal  # noqa: E402  (tests/terminal.py)

FAKE = """
import os, sys
text = sys.stdin.read()
with open(os.environ["FAKE_PAGER_OUT"], "w", encoding="utf-8") as out:
    out.write(text)
name = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("FAKE_PAGER_NAME", "")
print("PAGER " + name + " " + str(len(text.splitlines())))
"""


@pytest.fixture
def pager(tmp_path):
    script = tmp_path / "fakepager.py"
    script.write_text(FAKE, encoding="utf-8")
    paged = tmp_path / "paged.txt"

    def command(name: str = "") -> dict:
        return {"FAKE_PAGER_OUT": str(paged), "FAKE_PAGER_NAME": name, "_cmd": f"{sys.executable} {script}"}

    command.paged = paged
    return command


def _run(args, pager, rows, **names):
    env = {"FAKE_PAGER_OUT": str(pager.paged)}
    for variable, name in names.items():
        env[variable] = f"{sys.executable} {pager.paged.parent / 'fakepager.py'} " if name else ""
        env["FAKE_PAGER_NAME"] = name
    return terminal.run(args, 100, rows=rows, NO_COLOR="1", **env)


def test_a_tall_answer_goes_through_the_pager(pager):
    ran = _run(["show", "openai"], pager, 20, AIDEPS_PAGER="aideps")
    assert ran.code == 0, ran.stderr
    assert ran.rows[0].startswith("PAGER aideps ")  # the terminal shows the pager, not the text
    given = terminal.plain(pager.paged.read_text(encoding="utf-8"))
    assert given.startswith("OpenAI  lab\n")
    assert len(given.splitlines()) > 20
    # What the pager is given is the text as drawn for the terminal: as wide as it.
    assert max(len(line) for line in given.splitlines()) <= 100


def test_aideps_pager_wins_over_pager(pager):
    script = f"{sys.executable} {pager.paged.parent / 'fakepager.py'}"
    ran = terminal.run(
        ["tree", "openai"], 100, rows=10, NO_COLOR="1", FAKE_PAGER_OUT=str(pager.paged),
        AIDEPS_PAGER=f"{script} mine", PAGER=f"{script} theirs",
    )
    assert ran.rows[0].startswith("PAGER mine "), ran.rows
    ran = terminal.run(
        ["tree", "openai"], 100, rows=10, NO_COLOR="1", FAKE_PAGER_OUT=str(pager.paged), PAGER=f"{script} theirs"
    )
    assert ran.rows[0].startswith("PAGER theirs "), ran.rows


@pytest.mark.parametrize("where", ["before", "after"])
def test_no_pager_prints_straight_to_the_terminal(pager, where):
    args = ["--no-pager", "show", "openai"] if where == "before" else ["show", "openai", "--no-pager"]
    ran = _run(args, pager, 20, AIDEPS_PAGER="aideps")
    assert ran.code == 0, ran.stderr
    assert ran.rows[0] == "OpenAI  lab"
    assert not pager.paged.exists()


def test_no_pager_through_typer_too(pager):
    from aideps.cli import fast

    for args in (["show", "--no-pager", "--", "openai"], ["--no-pager", "show", "--", "openai"]):
        assert fast.parse(args) is None  # "--": Typer reads it
        ran = _run(args, pager, 20, AIDEPS_PAGER="aideps")
        assert ran.code == 0, ran.stderr
        assert ran.rows[0] == "OpenAI  lab"
        assert not pager.paged.exists()
    ran = _run(["show", "--", "openai"], pager, 20, AIDEPS_PAGER="aideps")
    assert ran.rows[0].startswith("PAGER aideps ")


def test_an_answer_that_fits_the_screen_is_not_paged(pager):
    ran = _run(["why", "microsoft", "nvidia"], pager, 200, AIDEPS_PAGER="aideps")
    assert ran.code == 0, ran.stderr
    assert ran.rows[0].startswith("Microsoft relies on NVIDIA")
    assert not pager.paged.exists()


def test_an_empty_pager_means_none(pager):
    ran = terminal.run(["show", "openai"], 100, rows=20, NO_COLOR="1", AIDEPS_PAGER="", PAGER="false")
    assert ran.rows[0] == "OpenAI  lab"


def test_piped_output_is_never_paged(pager):
    env = terminal.environment(100, AIDEPS_PAGER=f"{sys.executable} {pager.paged.parent / 'fakepager.py'}",
                               FAKE_PAGER_OUT=str(pager.paged), LINES="5")
    done = subprocess.run([sys.executable, "-m", "aideps", "show", "openai"], capture_output=True, text=True, env=env)
    assert done.returncode == 0
    assert done.stdout.startswith("OpenAI  lab\n")
    assert not pager.paged.exists()


def test_a_pager_that_cannot_be_found_leaves_the_text_on_the_terminal(pager):
    ran = terminal.run(["show", "openai"], 100, rows=20, NO_COLOR="1", AIDEPS_PAGER="no-such-pager-anywhere")
    assert ran.code == 0
    assert "OpenAI  lab" in ran.rows
