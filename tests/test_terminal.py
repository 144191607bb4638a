"""What a person sees on a terminal of 40, 60, 100 and 160 columns: every
command, run in a pseudo-terminal and read back through a terminal emulator
(tests/terminal.py). No word is ever split across two rows, and no line the
program writes runs past the right edge (where the terminal would wrap it).

Golden screens at 60 and 100 columns (tests/golden/*-60.txt, *-100.txt); when
the layout or the data change on purpose:

    AIDEPS_UPDATE_GOLDEN=1 pytest tests/test_terminal.py
    git diff tests/golden/
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

pytest.importorskip("pyte")

import terminal  # noqa: E402  (tests/terminal.py)

from aideps.cli import spec  # noqa: E402
from aideps.graph import store  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("AIDEPS_UPDATE_GOLDEN") == "1"
WIDTHS = (40, 60, 100, 160)
DATA = Path(store.bundled_path())


def _by_hand(example: str) -> bool:
    """An example a person reads on the terminal: no pipe, no redirection, no
    machine format, no file written."""
    words = shlex.split(example)
    return not ({"|", ">", "--json", "--csv", "-o", "--format"} & set(words))


def _command_lines() -> list[list[str]]:
    lines: list[list[str]] = []
    for command in spec.COMMANDS:
        mine = [shlex.split(e)[1:] for e in command.examples if _by_hand(e)]
        if command.name == "validate":
            mine = [["validate", DATA.name]]  # as typed in the file's folder
        if command.name == "export":
            mine = [["export", "nvidia", "-o", "nvidia.dot"]]
        if command.name == "import":
            mine = [["import", "ecosystem-graphs", str(GOLDEN.parent / "fixtures" / "ecosystem"), "-o", "eg.yaml", "--force"]]
        assert mine, f"no example of {command.name} to run"
        lines.extend(mine)
    # Those the issue found broken.
    lines += [["tree", "microsoft", "-r"], ["show", "microsoft"]]
    return lines


COMMAND_LINES = _command_lines()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    where = tmp_path_factory.mktemp("screen")
    (where / DATA.name).write_text(DATA.read_text(encoding="utf-8"), encoding="utf-8")
    return where


def test_every_command_is_run():
    assert {line[0] for line in COMMAND_LINES} == {command.name for command in spec.COMMANDS}


@pytest.mark.parametrize("args", COMMAND_LINES, ids=" ".join)
def test_no_word_is_split_and_no_line_runs_past_the_edge(args, folder):
    reference = terminal.piped(args, cwd=str(folder))
    for columns in WIDTHS:
        ran = terminal.run(args, columns, cwd=str(folder), NO_COLOR="1")
        assert ran.code in (0, 1), (columns, ran.stderr)
        if args[0] not in ("export", "import"):  # they write a file; messages go to stderr
            assert ran.rows, (columns, ran.stderr)
        too_long = [line for line in terminal.raw_lines(ran.raw) if len(line) > columns]
        assert too_long == [], (columns, too_long)
        assert terminal.split_words(ran.rows, reference) == [], columns


def test_the_checks_see_a_split_word_and_a_long_line():
    assert terminal.split_words(["Application-specif", "ic chips"], "Application-specific chips") == [
        "'Application-specif' in 'Application-specif'",
        "'ic' in 'ic chips'",
    ]
    assert terminal.split_words(["Application-spec…", "chips"], "Application-specific chips") == []
    assert terminal.split_words(["application-", "specific-chips"], "application-specific-chips") == []  # after a hyphen
    assert terminal.split_words(["application-spe", "cific-chips"], "application-specific-chips") != []
    assert terminal.split_words(["│   ├── Apple"], "Apple") == []


def test_colour_does_not_change_the_words_or_the_width():
    args = ["hardware"]
    reference = terminal.piped(args)
    ran = terminal.run(args, 60, FORCE_COLOR="1")
    assert "\x1b[" in ran.raw
    assert max(len(line) for line in terminal.raw_lines(ran.raw)) <= 60
    assert terminal.split_words(ran.rows, reference) == []


GOLDEN_CASES = {
    "show-openai": ["show", "openai"],
    "show-microsoft": ["show", "microsoft"],
    "hardware": ["hardware"],
    "tree-openai": ["tree", "openai"],
    "stats": ["stats"],
}


@pytest.mark.parametrize("columns", (60, 100))
@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_screen(name, columns):
    ran = terminal.run(GOLDEN_CASES[name], columns, NO_COLOR="1")
    assert ran.code == 0, ran.stderr
    shown = "".join(f"{row}\n" for row in ran.rows)
    path = GOLDEN / f"{name}-{columns}.txt"
    if UPDATE:
        path.write_text(shown, encoding="utf-8")
    assert path.exists(), f"no {path}; run with AIDEPS_UPDATE_GOLDEN=1 to write it"
    assert shown == path.read_text(encoding="utf-8"), (
        f"{path.name} changed; if on purpose: AIDEPS_UPDATE_GOLDEN=1 pytest tests/test_terminal.py"
    )


def test_a_tree_line_wraps_with_its_guides_carried_down():
    from aideps.render import text

    lines = [
        "OpenAI (lab) relies on",
        "├── Microsoft  investment · strained · $13B; negotiation · in talks",
        "│   └── Intel  hardware · speculative",
        "└── Oracle  cloud · active · $10B and more words here",
    ]
    assert list(text.fit(lines, 40)) == [
        "OpenAI (lab) relies on",
        "├── Microsoft  investment · strained ·",
        "│   │   $13B; negotiation · in talks",
        "│   └── Intel  hardware · speculative",
        "└── Oracle  cloud · active · $10B and",
        "        more words here",
    ]


def test_a_word_longer_than_the_line_ends_in_an_ellipsis():
    from aideps.render import text

    assert list(text.fit(["1. Application-specific-integrated-circuits rule"], 20)) == [
        "1. Application-spec…",
        "   rule",
    ]


def test_fitted_lines_never_pass_the_edge_nor_split_a_word():
    import random

    from aideps.render import text

    rng = random.Random(12)
    vocabulary = ["a", "bb", "Microsoft", "·", "$13B", "Application-specific-integrated", "in", "talks", "x" * 45]
    for _ in range(500):
        width = rng.choice((40, 41, 60, 77, 100))
        lines = []
        for _ in range(rng.randint(1, 6)):
            guides = "".join(rng.choice(("│   ", "    ")) for _ in range(rng.randint(0, 4)))
            head = rng.choice(("", "├── ", "└── ", "12. ", "   "))
            body = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 30)))
            lines.append(guides + head + body if head in ("├── ", "└── ") else head + body)
        fitted = list(text.fit(lines, width))
        assert all(len(line) <= width for line in fitted), (width, fitted)
        source = " ".join(lines)
        assert terminal.split_words(fitted, source) == [], (width, lines)
