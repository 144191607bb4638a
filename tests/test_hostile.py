"""Hostile and broken knowledge files (issue #6).

Every bad file gives exit 1 and `file:line:column: message` on stderr from
every command (listed from the Typer app, so new commands are covered too),
nothing on stdout, never a traceback. Nothing in a knowledge file runs code,
reaches the network or the shell, or makes aideps read a file the user did
not name.

Fixtures: tests/fixtures/bad/ (one file per class of problem, shared with
test_validate.py), tests/fixtures/hostile/ (more, kept readable), and files
made here that cannot be committed as text (bad encodings, 5 MB lines, wrong
types generated per field from the models).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from aideps.knowledge.validate import check_bytes, check_file
from clihelp import argv, command_names, run, supports

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good" / "small.yaml"
ARTICLE = FIXTURES / "good" / "article.txt"
BAD = FIXTURES / "bad"
HOSTILE = FIXTURES / "hostile"



# --------------------------------------------------------------------------
# Source texts: bare file names, looked up only where the user says


SECRET = "The launch code is 0000 and nobody outside may read this line."


def _knowledge_citing(tmp_path: Path, text_entry: str, quote: str) -> Path:
    """small.yaml whose source 'essay' lists `text_entry` and whose first quote is `quote`."""
    content = GOOD.read_text(encoding="utf-8").replace("      - article.txt\n", f"      - {json.dumps(text_entry)}\n")
    content = content.replace("quote: Acme Labs was founded in 2019.", f"quote: {json.dumps(quote)}")
    path = tmp_path / "k.yaml"
    path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def secret(tmp_path) -> Path:
    folder = tmp_path / "private"
    folder.mkdir()
    path = folder / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "entry, shown",
    [
        ("../private/secret.txt", "secret.txt"),
        ("private/secret.txt", "secret.txt"),
        ("{abs}", "secret.txt"),
        ("..\\private\\secret.txt", "secret.txt"),
        ("C:secret.txt", "secret.txt"),
    ],
)
def test_a_text_path_is_an_error_and_is_never_read(tmp_path, secret, entry, shown, monkeypatch):
    entry = entry.replace("{abs}", str(secret))
    # A quote that would match the secret file's start, were the file read.
    path = _knowledge_citing(tmp_path, entry, "The launch code is 1111")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")  # a bare name would find this one
    opened = _record_opens(monkeypatch)
    report = check_file(path, sources_dir=tmp_path)
    assert not any("private" in p for p in opened), opened
    assert report.sources_checked == [] and "essay" in report.sources_skipped
    messages = [str(p) for p in report.errors]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{path}:7:9: the 1st text path of source 'essay': ")
    assert "is a path, not a bare file name" in messages[0] and f"write just '{shown}'" in messages[0]
    assert "--sources-dir" in messages[0]
    assert "0000" not in "\n".join(messages)

    result = run("validate", str(path), "--sources-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "is a path, not a bare file name" in result.stdout and "0000" not in result.stdout + result.stderr
    # The query commands refuse the file too: it is invalid data.
    result = run("--data", str(path), "list")
    assert result.exit_code == 1 and "is a path, not a bare file name" in result.stderr


@pytest.mark.parametrize("entry, words", [("..", "is not a file name"), (".", "is not a file name"), ("", "empty"), ("  ", "empty")])
def test_names_that_are_not_file_names(tmp_path, entry, words):
    report = check_file(_knowledge_citing(tmp_path, entry, "Acme Labs was founded in 2019."), sources_dir=tmp_path)
    assert [p.line for p in report.errors] == [7] and words in report.errors[0].message


def _record_opens(monkeypatch) -> list[str]:
    """Paths opened through os.open, io.open and builtins.open from now on."""
    import builtins
    import io

    opened: list[str] = []
    real_os_open, real_io_open = os.open, io.open

    def os_open(path, *args, **kwargs):
        opened.append(os.fsdecode(path) if not isinstance(path, int) else str(path))
        return real_os_open(path, *args, **kwargs)

    def io_open(file, *args, **kwargs):
        if not isinstance(file, int):
            opened.append(os.fsdecode(file))
        return real_io_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    monkeypatch.setattr(builtins, "open", io_open)
    return opened


def test_a_link_out_of_the_sources_folder_is_not_followed(tmp_path, secret):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "article.txt").symlink_to(secret)
    path = _knowledge_citing(tmp_path, "article.txt", "The launch code is 1111")
    report = check_file(path, sources_dir=texts)
    assert report.errors == []  # not an error in the file: the folder holds a bad link
    assert report.sources_checked == []
    assert "is a link to a file outside" in report.sources_skipped["essay"]
    result = run("validate", str(path), "--sources-dir", str(texts), "--json")
    assert result.exit_code == 0
    assert "0000" not in result.stdout + result.stderr
    assert "link to a file outside" in json.loads(result.stdout)["quotes"]["sources_skipped"]["essay"]


def test_a_link_out_of_the_knowledge_files_own_folder_is_not_followed(tmp_path, secret):
    (tmp_path / "article.txt").symlink_to(secret)
    path = _knowledge_citing(tmp_path, "article.txt", "The launch code is 1111")
    report = check_file(path)
    assert report.errors == [] and report.sources_checked == []
    assert "is a link to a file outside" in report.sources_skipped["essay"]


def test_a_link_inside_the_folder_and_a_linked_folder_are_fine(tmp_path):
    real = tmp_path / "real-texts"
    real.mkdir()
    (real / "original.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    (real / "article.txt").symlink_to(real / "original.txt")
    linked = tmp_path / "texts"
    linked.symlink_to(real, target_is_directory=True)
    report = check_file(GOOD, sources_dir=linked)
    assert report.problems == [] and report.sources_checked == ["essay"]


def test_a_fifo_or_a_folder_in_place_of_a_text_does_not_hang(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    texts = tmp_path / "texts"
    texts.mkdir()
    os.mkfifo(texts / "article.txt")  # opening it to read would block forever
    report = check_file(GOOD, sources_dir=texts)
    assert report.sources_skipped["essay"].startswith("text path is not a regular file")
    (texts / "article.txt").unlink()
    (texts / "article.txt").mkdir()
    report = check_file(GOOD, sources_dir=texts)
    assert report.sources_skipped["essay"].startswith("text path is not a regular file")


def test_sources_dir_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AIDEPS_SOURCES_DIR", str(FIXTURES / "good"))
    data = tmp_path / "small.yaml"
    data.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", str(data))
    assert result.exit_code == 0, result.stdout
    assert "quotes checked against 1 of 2 sources" in result.stderr


def test_a_sources_dir_that_does_not_exist_is_a_usage_error(tmp_path):
    result = run("validate", str(GOOD), "--sources-dir", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_the_summary_says_how_to_check_quotes_when_texts_are_missing(tmp_path):
    data = tmp_path / "small.yaml"
    data.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", str(data))
    assert result.exit_code == 0
    assert result.stderr == (
        f"{data}: ok, 2 entities, 1 relationship; quotes not checked: source texts not found; pass --sources-dir DIR\n"
    )
    result = run("validate", str(data), "--sources-dir", str(tmp_path))
    assert result.stderr.endswith(f"quotes not checked: source texts not found in {tmp_path}\n")


def test_the_quote_hint_never_shows_text_the_quote_does_not_hold(tmp_path):
    # The quote matches the article up to "Bigco has put $2 billion into it"; the hint may say
    # how far it matched, in the quote's own words, and nothing of the article beyond.
    quote = "Acme's partner Bigco has put $2 billion into it, every cent in cash."
    path = _knowledge_citing(tmp_path, "article.txt", quote)
    report = check_file(path, sources_dir=FIXTURES / "good")
    [problem] = report.errors
    assert "it matches the text up to '…" in problem.message
    shown = problem.message.split("it matches the text up to '…", 1)[1].split("'", 1)[0]
    assert shown in quote
    assert "nearly all of it" not in problem.message and "cloud" not in problem.message


# --------------------------------------------------------------------------
# Every command, listed from the Typer app


def assert_refused(result, path: Path, name: str, *, file_level: bool = False) -> list[str]:
    """Exit 1, every message `file:line:column: message` naming the file, nothing
    else on the data stream, no traceback. Returns the problem lines."""
    where = re.escape(str(path))
    shown = f"{name}: exit {result.exit_code}\nstdout: {result.stdout[:2000]}\nstderr: {result.stderr[:2000]}"
    assert result.exit_code == 1, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr, shown
    if name == "validate":  # its report is its output: problems on stdout, a summary on stderr
        problems, summary = result.stdout, result.stderr
        assert re.fullmatch(rf"\d+ errors?(, \d+ notes?)? in {where}\n", summary), shown
    else:
        problems = result.stderr
        assert result.stdout == "", shown
    lines = [line for line in problems.splitlines() if line.strip()]
    assert lines, shown
    # A problem of the file as a whole (missing, unreadable) has no position: `file: message`.
    pattern = rf"{where}:(\d+):(\d+): (note: )?\S.*" if not file_level else rf"{where}(?::(\d+):(\d+))?: (note: )?\S.*"
    for line in lines:
        match = re.fullmatch(pattern, line)
        assert match, f"not file:line:column: message: {line!r}\n{shown}"
        if not file_level and not match.group(3):
            assert int(match.group(1)) >= 1 and int(match.group(2)) >= 1, line
        assert len(line) < len(str(path)) + 1200, f"a message {len(line)} characters long"
    return [line for line in lines if ": note: " not in line]


def assert_every_command_refuses(path: Path, *, file_level: bool = False, tmp: Path | None = None) -> dict:
    """Run every command on `path`; each refuses it the same way. The query
    commands say (some of) what validate says, never something else."""
    said = {}
    for name in command_names():
        result = run(*argv(name, path, out_dir=tmp))
        said[name] = assert_refused(result, path, name, file_level=file_level)
    for name, lines in said.items():
        assert set(lines) <= set(said["validate"]), (name, lines, said["validate"])
    return said


# --------------------------------------------------------------------------
# The corpus


# tests/fixtures/bad/: everything but the valid cycle and a quote that only
# `validate --sources-dir` can check.
BAD_FILES = sorted(p.name for p in BAD.glob("*.yaml") if p.stem not in ("cycle", "quote_not_in_source"))

# tests/fixtures/hostile/: (line, column, words) of the first problem validate reports.
HOSTILE_FILES = {
    "bad_indentation.yaml": (5, 4, ["YAML syntax error", "does not line up", "indentation"]),
    "control_character.yaml": (4, 1, ["unknown section 'note'"]),
    "merge_key.yaml": (1, 1, ["unknown section 'defaults'"]),
    "null_document.yaml": (2, 1, ["only an empty value", "`sources`, `entities` and `relationships`"]),
    "python_tags.yaml": (5, 10, ["tag '!!python/object/apply:os.system' is not allowed (it would run code)"]),
    "recursive_alias.yaml": (1, 17, ["alias '*loop' is inside the very node it refers to"]),
    "scalar.yaml": (1, 1, ["top level should be a mapping", "got a string ('just a sentence, not a mapping')"]),
    "second_document.yaml": (4, 1, ["a second YAML document starts here"]),
    "tab_before_dash.yaml": (3, 1, ["a tab character", "spaces"]),
    "unclosed_brace.yaml": (4, 14, ["the mapping opened with '{' at line 3, column 5 is not closed"]),
    "unclosed_quote.yaml": (7, 1, ["the quoted text opened at line 3, column 12 is never closed"]),
    "unknown_tags.yaml": (3, 12, ["tag '!!binary' is not allowed"]),
    # Issue #15: the text, number, name and date policies.
    "newline_in_name.yaml": (8, 11, ["'name' of entity 'acme' holds U+000A LINE FEED (a control character)", "remove it"]),
    "bidi_override.yaml": (8, 11, ["U+202E RIGHT-TO-LEFT OVERRIDE (a bidi control)", "could change what a terminal shows"]),
    "zero_width_space.yaml": (8, 11, ["U+200B ZERO WIDTH SPACE (a zero-width character)"]),
    "tag_characters.yaml": (8, 11, ["U+E0041 TAG LATIN CAPITAL LETTER A (a tag character)"]),
    "noncharacter_escape.yaml": (8, 11, ["U+FFFE (a noncharacter)"]),
    "blank_name.yaml": (8, 11, ["'name' of entity 'acme' is blank"]),
    "quoted_infinity.yaml": (30, 9, ["got a string ('inf'), which is not a finite figure", "without quotes"]),
    "quoted_number.yaml": (30, 9, ["got a string ('12'); write it without quotes"]),
    "huge_integer.yaml": (30, 9, ["301 digits long", "a figure this large cannot be right"]),
    "year_zero.yaml": (28, 5, ["'0000-01' is not a date: there is no year 0"]),
    "arabic_indic_digits.yaml": (28, 5, ["is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"]),
    "spaced_alias_clash.yaml": (16, 15, ["alias 'Big \u00a0co' of entity 'bigco' clashes with the name 'Big co' of entity 'acme'"]),
}


def test_every_hostile_fixture_is_listed():
    assert {p.name for p in HOSTILE.glob("*.yaml")} == set(HOSTILE_FILES)


@pytest.mark.parametrize("name", BAD_FILES)
def test_every_command_refuses_each_bad_fixture(name):
    assert_every_command_refuses(BAD / name)


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_every_command_refuses_each_hostile_fixture(name):
    path = HOSTILE / name
    said = assert_every_command_refuses(path)
    line, column, words = HOSTILE_FILES[name]
    first = said["validate"][0]
    assert first.startswith(f"{path}:{line}:{column}: "), first
    for word in words:
        assert word in first, (word, first)


@pytest.mark.parametrize("escape", ["\\e", "\\x1b", "\\u001b", "\\a", "\\0", "\\r", "\\x9b"])
def test_a_control_character_in_a_name_is_refused(tmp_path, escape):
    # A name printed by `show` or `tree` must not drive the terminal.
    content = GOOD.read_text(encoding="utf-8").replace("name: Bigco", f'name: "Bigco{escape}[2J"')
    path = tmp_path / "ctl.yaml"
    path.write_text(content, encoding="utf-8")
    said = assert_every_command_refuses(path)
    assert any(":31:11: the text holds the control character U+" in line for line in said["validate"]), said
    assert not any(ch in "".join(said["validate"]) for ch in "\x1b\x07\x00\r\x9b")


# Made here: odd bytes and big files are not committed.

BIG = 5_000_000  # a 5 MB line
MB = 1_000_000


def _good_bytes() -> bytes:
    return GOOD.read_bytes()


GENERATED = {
    # name: (content, (line, column, words) of the first problem)
    "invalid_utf8.yaml": (
        lambda: _good_bytes().replace(b"A made-up big company.", "Caf\u00e9 Bigco.".encode("latin-1")),
        (33, 21, ["invalid UTF-8", "0xE9", "save the file as UTF-8"]),
    ),
    "utf16.yaml": (lambda: GOOD.read_text(encoding="utf-8").encode("utf-16"), (1, 1, ["UTF-16", "save the file as UTF-8"])),
    "utf16_no_bom.yaml": (
        lambda: GOOD.read_text(encoding="utf-8").encode("utf-16-le"),
        (1, 1, ["looks like UTF-16", "save the file as UTF-8"]),
    ),
    "utf32.yaml": (lambda: GOOD.read_text(encoding="utf-8").encode("utf-32"), (1, 1, ["UTF-32", "save the file as UTF-8"])),
    "control_byte.yaml": (lambda: _good_bytes().replace(b"A made-up AI lab.", b"A made-up \x1b[2J lab."), (17, 28, ["U+001B", "not allowed"])),
    "nul_byte.yaml": (lambda: _good_bytes().replace(b"A made-up AI lab.", b"A made-up \x00 lab."), (17, 28, ["U+0000"])),
    "huge_line_unclosed_quote.yaml": (
        lambda: _good_bytes().replace(b"description: A made-up AI lab.", b'description: "A made-up AI lab. ' + b"x" * BIG),
        (36, 17, ["the quoted text opened at line 17, column 18 runs on to this line", "closing quote missing"]),
    ),
    "huge_line_as_kind.yaml": (
        lambda: _good_bytes().replace(b"kind: investment", b"kind: " + b"x" * MB),
        (42, 5, ["unknown kind 'xxxxxxxx", "…'", "(allowed: research"]),
    ),
    "huge_line_as_key.yaml": (
        lambda: _good_bytes().replace(b"    type: lab\n", b"    type: lab\n    " + b"k" * MB + b": 1\n"),
        (16, MB + 5, ["expected a ':' within 1,024 characters of the key that starts at line 16, column 5"]),
    ),
    "huge_line_as_reference.yaml": (
        lambda: _good_bytes().replace(b"to: bigco", b"to: " + b"b" * MB),
        (41, 5, ["unknown entity 'bbbbbbb", "…' in 'to'"]),
    ),
    "huge_line_of_plain_text.yaml": (
        lambda: _good_bytes().replace(b"quote: Acme Labs builds models.", b"quote: Acme Labs builds models. " + b"y" * MB + b": oops"),
        (29, MB + 41, ["a ':' here is not allowed", "quotes"]),
    ),
    "huge_number.yaml": (
        lambda: _good_bytes().replace(b"amount: 2000000000", b"amount: " + b"9" * 100_000),
        (47, 17, ["a number 100,000 characters long is too long to read"]),
    ),
    "very_deep_nesting.yaml": (
        lambda: b"sources: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
        # Ours speaks at column 73 (level 65); libyaml's own limit may speak
        # first, further along the same line: the contract is the line.
        (1, range(73, 400_010), ["nested more than 64 levels deep", "a knowledge file needs only a few levels"]),
    ),
    "deep_block_nesting.yaml": (
        lambda: b"sources:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 200)) + b"entities: []\n",
        None,
    ),
    "alias_bomb_in_lists.yaml": (
        lambda: (
            b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + b"".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n".encode() for i in range(9))
            + b"sources: *j\nentities: []\nrelationships: []\n"
        ),
        (None, None, ["alias bomb"]),
    ),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("generated")
    paths = {}
    for name, (make, _) in GENERATED.items():
        paths[name] = folder / name
        paths[name].write_bytes(make())
    return paths


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_every_command_refuses_each_generated_bad_file(name, generated):
    import time

    path = generated[name]
    started = time.perf_counter()
    said = assert_every_command_refuses(path)
    assert time.perf_counter() - started < 30, "too slow for a bad file"
    expected = GENERATED[name][1]
    if expected is None:
        return
    line, column, words = expected
    first = said["validate"][0]
    if line is not None and isinstance(column, range):
        prefix = f"{path}:{line}:"
        assert first.startswith(prefix), first[:300]
        assert int(first[len(prefix) :].split(":", 1)[0]) in column, first[:300]
    elif line is not None:
        assert first.startswith(f"{path}:{line}:{column}: "), first[:300]
    for word in words:
        assert word in first, (word, first[:300])


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + _good_bytes())
    for name in command_names():
        args = argv(name, path)
        if supports(name, "--json"):
            args.append("--json")
        result = run(*args)
        assert result.exit_code in (0, 1), (name, result.stdout, result.stderr)  # search may find nothing
        assert "Traceback" not in result.stderr
        if name == "validate":
            assert result.exit_code == 0, result.stdout
    plain = run("--data", str(GOOD), "list", "--json")
    assert run("--data", str(path), "list", "--json").stdout == plain.stdout


# --------------------------------------------------------------------------
# Files that cannot be read


def test_a_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    said = assert_every_command_refuses(path, file_level=True)
    assert said["list"] == [f"{path}: no such file; check the path given to --data or AIDEPS_DATA"]


def test_a_directory(tmp_path):
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    said = assert_every_command_refuses(folder, file_level=True)
    assert "is a directory, not a knowledge file" in said["list"][0]
    assert list(folder.iterdir()) == []  # nothing written into it


def _refuse_to_open(monkeypatch, path: Path) -> None:
    """Every way of opening `path` fails as an unreadable file does (root ignores chmod 000)."""
    import builtins
    import io
    import pathlib

    target = os.path.abspath(path)

    def denied(file) -> bool:
        return not isinstance(file, int) and os.path.abspath(os.fsdecode(file)) == target

    def error():
        return PermissionError(13, "Permission denied", str(path))

    real_io_open, real_os_open = io.open, os.open
    real_read_bytes, real_read_text = pathlib.Path.read_bytes, pathlib.Path.read_text

    def io_open(file, *args, **kwargs):
        if denied(file):
            raise error()
        return real_io_open(file, *args, **kwargs)

    def os_open(file, *args, **kwargs):
        if denied(file):
            raise error()
        return real_os_open(file, *args, **kwargs)

    def read_bytes(self):
        if denied(self):
            raise error()
        return real_read_bytes(self)

    def read_text(self, *args, **kwargs):
        if denied(self):
            raise error()
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(io, "open", io_open)
    monkeypatch.setattr(builtins, "open", io_open)
    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    monkeypatch.setattr(pathlib.Path, "read_text", read_text)


def test_a_file_without_read_permission(tmp_path, monkeypatch):
    path = tmp_path / "locked.yaml"
    path.write_bytes(_good_bytes())
    _refuse_to_open(monkeypatch, path)
    said = assert_every_command_refuses(path, file_level=True)
    assert said["list"] == [f"{path}: permission denied: the file cannot be read"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission_for_real(tmp_path):
    path = tmp_path / "locked.yaml"
    path.write_bytes(_good_bytes())
    path.chmod(0)
    try:
        said = assert_every_command_refuses(path, file_level=True)
    finally:
        path.chmod(0o644)
    assert "permission denied" in said["list"][0]


# --------------------------------------------------------------------------
# Valid but awkward: cycles are data, handled by every command


@pytest.mark.parametrize("path", [BAD / "cycle.yaml", FIXTURES / "mini.yaml"], ids=["cycle", "mini"])
def test_cycles_are_handled_by_every_command(path):
    entities = ("acme", "bigco") if path.stem == "cycle" else ("orbit-labs", "macrosoft")
    for name in command_names():
        for extra in ([], ["--json"] if supports(name, "--json") else []):
            result = run(*argv(name, path, entities=entities), *extra)
            assert result.exit_code == 0, (name, extra, result.stdout, result.stderr)
            assert "Traceback" not in result.stderr
            if extra:
                json.loads(result.stdout)
    validate = run("validate", str(path))
    assert "note: dependency cycle: " in validate.stdout
    if supports("tree", "--depth"):
        deep = run("--data", str(path), "tree", entities[0], "--json")
        assert deep.exit_code == 0 and "cycle" in deep.stdout


# --------------------------------------------------------------------------
# Wrong types in every field, generated from the models

MARK = "WRONG-TYPE-MARKER"

# A knowledge file with every field of every model filled in (checked below):
# a field that cannot go with another (`quote` or `field`; `who` for by: cited
# or party, `comment` for by: reader; members only on a group) is on another
# item of the same model.
FULL = {
    "format": 2,
    "sources": [
        {
            "id": "essay",
            "title": "The Essay",
            "date": "2023-03-30",
            "date_note": "Printed at the top.",
            "author": "Jane Example",
            "author_note": "Signed.",
            "publisher": "The Example Review",
            "url": "https://example.org/essay",
            "text": ["article.txt"],
            "comments": [{"id": "first-comment", "author": "A Reader", "opens": "I heard"}],
            "note": "A made-up essay.",
            "override": False,
        }
    ],
    "entities": [
        {
            "id": "acme",
            "name": "Acme",
            "type": "lab",
            "aliases": ["Acme AI"],
            "description": "A made-up lab.",
            "override": False,
            "parents": ["bigco"],
            "events": [
                {
                    "kind": "founded",
                    "date": "2019",
                    "date_note": "The year only.",
                    "summary": "Acme was founded.",
                    "source": "essay",
                    "quote": "Acme was founded in 2019.",
                }
            ],
            "facts": [
                {
                    "key": "total_raised",
                    "value": 120000000,
                    "currency": "USD",
                    "unit": "dollars",
                    "qualifier": "about",
                    "metric": "total_raised",
                    "basis": "actual",
                    "period": "cumulative",
                    "as_of": "2023-03",
                    "note": "Rounded.",
                    "source": "essay",
                    "quote": "Acme has raised about $120 million.",
                }
            ],
            "consistency": [{"summary": "The total does not match its rounds.", "involves": ["fact:total_raised", "acme-in-house-bigco"]}],
            "provenance": [
                {
                    "source": "essay",
                    "quote": "Acme is a lab.",
                    "by": "party",
                    "who": "Acme's founder",
                    "hedge": "reported",
                    "note": "Said on stage.",
                },
                {"source": "essay", "field": "organization"},
            ],
        },
        {
            "id": "bigco",
            "name": "Bigco",
            "type": "company",
            "description": "A made-up company.",
            "provenance": [
                {"source": "essay", "quote": "Bigco is big."},
                {"source": "essay", "quote": "I heard Bigco is big.", "by": "reader", "comment": "first-comment", "hedge": "seems"},
            ],
        },
        {
            "id": "chipco",
            "name": "Chipco",
            "type": "company",
            "description": "A made-up chip maker.",
            "provenance": [{"source": "essay", "quote": "Chipco makes chips."}],
        },
        {
            "id": "big-labs",
            "name": "Big Labs",
            "type": "group",
            "description": "The made-up big labs.",
            "members": [{"id": "acme", "note": "The biggest.", "source": "essay", "quote": "the big labs, Acme among them"}],
            "provenance": [{"source": "essay", "quote": "the big labs"}],
        },
        {
            "id": "jane-doe",
            "name": "Jane Doe",
            "type": "person",
            "description": "A made-up chief executive.",
            "roles": [
                {
                    "role": "CEO",
                    "of": "acme",
                    "start": "2019",
                    "end": "2023",
                    "former": True,
                    "note": "Until last year.",
                    "source": "essay",
                    "quote": "Jane Doe, Acme's former CEO",
                }
            ],
            "provenance": [{"source": "essay", "quote": "Jane Doe, Acme's former CEO"}],
        },
    ],
    "relationships": [
        {
            "id": "acme-in-house-bigco",
            "override": False,
            "from": "acme",
            "to": "bigco",
            "kind": "in_house",
            "stage": "ended",
            "health": "strained",
            "certainty": "reported",
            "summary": "Acme built its own.",
            "start": "2023-01",
            "end": "2024",
            "reported": "2023-03",
            "reported_note": "The essay's date.",
            "date_note": "Approximate.",
            "amounts": [
                {
                    "amount": 5000000,
                    "currency": "USD",
                    "qualifier": "nearly",
                    "metric": "spend",
                    "basis": "projected",
                    "period": "annual",
                    "as_of": "2023",
                    "note": "Per year.",
                    "source": "essay",
                    "quote": "nearly $5 million",
                    "by": "cited",
                    "who": "An analysts' report",
                    "hedge": "reported",
                }
            ],
            "terms": [
                {
                    "name": "exclusive",
                    "summary": "Only Acme.",
                    "state": "relaxed",
                    "start": "2023-01",
                    "reported": "2023-03",
                    "history": [
                        {"date": "2023-03", "state": "relaxed", "note": "Loosened.", "source": "essay", "quote": "no longer exclusive"}
                    ],
                    "provenance": [{"source": "essay", "quote": "exclusive to Acme"}],
                }
            ],
            "replaces": ["chipco"],
            "history": [
                {
                    "date": "2023-01",
                    "stage": "announced",
                    "health": "good",
                    "certainty": "seems",
                    "note": "First word.",
                    "source": "essay",
                    "quote": "Acme said so.",
                    "by": "reader",
                    "comment": "first-comment",
                }
            ],
            "provenance": [{"source": "essay", "quote": "Acme builds its own.", "hedge": "reported"}],
        },
        {
            "id": "big-labs-cloud-bigco",
            "from": "big-labs",
            "to": "bigco",
            "kind": "cloud",
            "summary": "The big labs run on Bigco.",
            "exceptions": [{"id": "acme", "hedge": "seems"}],
            "provenance": [{"source": "essay", "quote": "the big labs run on Bigco, aside from perhaps Acme"}],
        },
    ],
}


# The fields every quoted item shares (model.Claim): FULL has each of them on
# some claim, and a wrong type in them is tried once, on a provenance.
CLAIM_FIELDS = ("source", "quote", "field", "by", "who", "comment", "hedge")


def _model_places() -> list[tuple[tuple, type]]:
    """(path in FULL, model) for every model instance FULL holds."""
    from aideps.knowledge import model as m

    acme, bigco, group, person = ("entities", 0), ("entities", 1), ("entities", 3), ("entities", 4)
    rel, group_rel = ("relationships", 0), ("relationships", 1)
    places = [((), m.KnowledgeFile), (("sources", 0), m.Source), (("sources", 0, "comments", 0), m.Comment)]
    places += [(acme, m.Entity), (group, m.Entity), (person, m.Entity)]
    places += [(acme + ("facts", 0), m.Fact), (acme + ("events", 0), m.Event), (acme + ("consistency", 0), m.ConsistencyNote)]
    places += [(acme + ("provenance", 0), m.Provenance), (acme + ("provenance", 1), m.Provenance)]
    places += [(bigco + ("provenance", 1), m.Provenance), (group + ("members", 0), m.Member), (person + ("roles", 0), m.Role)]
    places += [(rel, m.Relationship), (group_rel, m.Relationship), (rel + ("amounts", 0), m.Amount), (rel + ("terms", 0), m.Term)]
    places += [(rel + ("terms", 0, "history", 0), m.TermChange), (rel + ("history", 0), m.StatusChange)]
    places += [(rel + ("provenance", 0), m.Provenance), (group_rel + ("exceptions", 0), m.Exclusion)]
    return places


def _own_fields(model) -> list[tuple[str, object]]:
    """(name as written in YAML, field info) of a model's fields; a claim's
    shared fields (CLAIM_FIELDS) count for Provenance only."""
    from aideps.knowledge import model as m

    shared = issubclass(model, m.Claim) and model is not m.Provenance
    return [(info.alias or name, info) for name, info in model.model_fields.items() if not (shared and name in CLAIM_FIELDS)]


def _fields() -> list[tuple[tuple, str, bool]]:
    """(path of the mapping, field name as written in YAML, whether it is a list) for every
    field of every model, at the first place of its model that has it."""
    import typing

    out, seen = [], set()
    places = _model_places()
    for _, model in places:
        if model in seen:
            continue
        seen.add(model)
        mine = [path for path, other in places if other is model]
        for name, info in _own_fields(model):
            path = next((p for p in mine if name in _get(FULL, p)), mine[0])
            out.append((path, name, typing.get_origin(info.annotation) is list))
    return out


def _get(node, path):
    for step in path:
        node = node[step]
    return node


def test_the_full_file_is_valid_and_has_every_field_of_every_model():
    from aideps.knowledge import model as m

    models = {model for _, model in _model_places()}
    for model in models:
        written = set().union(*(_get(FULL, path) for path, other in _model_places() if other is model))
        assert written <= {info.alias or name for name, info in model.model_fields.items()}, model.__name__
        assert {name for name, _ in _own_fields(model)} <= written, (model.__name__, {n for n, _ in _own_fields(model)} - written)
    claims = set().union(*(_get(FULL, path) for path, model in _model_places() if issubclass(model, m.Claim)))
    assert claims >= set(CLAIM_FIELDS)
    assert set(CLAIM_FIELDS) == set(m.Claim.model_fields)
    every = {
        value
        for value in vars(m).values()
        if isinstance(value, type) and issubclass(value, m.BaseModel) and value.__module__ == m.__name__ and not value.__name__.startswith("_")
    }
    assert models == every - {m.Claim}, sorted(c.__name__ for c in (every - {m.Claim}) ^ models)
    report = check_bytes(yaml.safe_dump(FULL, sort_keys=False), "full.yaml")
    assert report.errors == [], [str(p) for p in report.errors]
    assert report.notes == [], [str(p) for p in report.notes]


def _wrong_files() -> list[tuple[str, tuple, str, object]]:
    """(id, path of the field, field, wrong value): each field given a value of the wrong type;
    for lists, also an item of the wrong type."""
    cases = []
    for path, name, is_list in _fields():
        where = ".".join(str(p) for p in path + (name,))
        if is_list:
            cases.append((f"{where}=string", path + (name,), name, MARK))
            item_is_model = isinstance(_get(FULL, path)[name][0], dict) if _get(FULL, path).get(name) else False
            wrong_item = MARK if item_is_model else [MARK]
            cases.append((f"{where}[0]=wrong-item", path + (name, 0), name, wrong_item))
        else:
            cases.append((f"{where}=list", path + (name,), name, [MARK]))
            cases.append((f"{where}=mapping", path + (name,), name, {MARK: 1}))
    return cases


WRONG = _wrong_files()


def _with(path: tuple, value) -> dict:
    import copy

    data = copy.deepcopy(FULL)
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return data


def _expected_line(text: str, path: tuple, name: str) -> int:
    """The line validate should point at: the field's key, or the wrong list item."""
    lines = text.splitlines()
    marker = next(n for n, line in enumerate(lines) if MARK in line)
    if isinstance(path[-1], int):
        return marker + 1
    key = re.compile(rf"^\s*(?:- )?{re.escape(name)}:")
    return next(n for n in range(marker, -1, -1) if key.match(lines[n])) + 1


@pytest.mark.parametrize("case", WRONG, ids=[c[0] for c in WRONG])
def test_a_wrong_type_in_any_field_is_located_and_worded(tmp_path, case):
    ident, path, name, value = case
    text = yaml.safe_dump(_with(path, value), sort_keys=False, width=1000)
    data = tmp_path / "wrong.yaml"
    data.write_text(text, encoding="utf-8")
    line = _expected_line(text, path, name)
    said = assert_every_command_refuses(data)
    at_line = [m for m in said["validate"] if m.startswith(f"{data}:{line}:")]
    assert at_line, (line, said["validate"])
    message = at_line[0]
    assert "should be" in message, message
    assert re.search(r"got (a list|a mapping|a string \('WRONG-TYPE-MARKER'\))", message), message
    noun = f"'{name}'" if not isinstance(path[-1], int) else "the 1st "
    assert noun in message, message


# --------------------------------------------------------------------------
# Nothing in a knowledge file runs: not through YAML tags, not anywhere


PAYLOADS = HOSTILE / "python_tags.yaml"


def _pwned(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("aideps-pwned"))


def test_the_payloads_are_real(tmp_path):
    """Control: PyYAML's unsafe loader runs the first payload of python_tags.yaml.
    (In a child process, in an empty folder: all it does is create empty files.)"""
    import subprocess

    code = "import sys, yaml\ntry:\n    yaml.unsafe_load(open(sys.argv[1]))\nexcept Exception:\n    pass\n"
    subprocess.run([sys.executable, "-c", code, str(PAYLOADS)], cwd=tmp_path, timeout=60, capture_output=True)
    assert "aideps-pwned-system" in _pwned(tmp_path)


def test_no_payload_runs_under_any_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the payloads create files in the current folder
    assert_every_command_refuses(PAYLOADS)
    for args in (["validate", str(PAYLOADS), "--json"], ["validate", str(PAYLOADS), "--no-quotes"]):
        assert run(*args).exit_code == 1
    assert _pwned(tmp_path) == []


def test_no_payload_runs_in_a_real_process(tmp_path):
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for args in (["list"], ["show", "acme"], ["validate"]):
        done = subprocess.run(
            [sys.executable, "-m", "aideps", "--data", str(PAYLOADS), *args],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
        )
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert "(it would run code)" in done.stdout + done.stderr
    assert _pwned(tmp_path) == []


SRC = Path(__file__).resolve().parent.parent / "src" / "aideps"

# yaml's names that construct arbitrary objects (or let someone register a constructor that does).
UNSAFE_YAML = {
    "load", "load_all", "full_load", "full_load_all", "unsafe_load", "unsafe_load_all",
    "Loader", "FullLoader", "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader",
    "Constructor", "FullConstructor", "UnsafeConstructor", "add_constructor",
    "add_multi_constructor", "add_implicit_resolver", "add_path_resolver",
}
# Modules through which data could run code, reach the network or the shell.
FORBIDDEN_MODULES = {
    "pickle", "cPickle", "_pickle", "shelve", "dill", "socket", "ssl", "urllib", "http",
    "ftplib", "smtplib", "telnetlib", "xmlrpc", "requests", "httpx", "webbrowser", "ctypes", "pty",
}
# Where a subprocess is allowed, and why: never with a shell, never with data in its arguments.
SUBPROCESS_ALLOWED = {
    "render/export.py": "Graphviz's dot renders svg/png when asked; the graph goes to its stdin",
    "cli/output.py": "the user's pager ($AIDEPS_PAGER, $PAGER, less -R) on a terminal, split as words, no shell",
}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_OS = {"system", "popen", "execv", "execve", "execvp", "execl", "execlp", "spawnv", "spawnl", "startfile", "posix_spawn", "fork"}


def _source_files() -> list[Path]:
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 5
    return files


def test_yaml_is_only_ever_read_with_safe_machinery():
    """An AST scan of src/: no yaml.load & co., no unsafe Loader or Constructor,
    whatever the import style."""
    import ast

    found = []
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        yaml_names = {"yaml"}  # names bound to the yaml module or its submodules
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "yaml":
                        yaml_names.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "yaml":
                for alias in node.names:
                    if alias.name in UNSAFE_YAML:
                        found.append(f"{path.name}:{node.lineno}: from {node.module} import {alias.name}")
                    yaml_names.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in UNSAFE_YAML:
                base = node.value
                while isinstance(base, ast.Attribute):
                    base = base.value
                if isinstance(base, ast.Name) and base.id in yaml_names:
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
            if isinstance(node, ast.keyword) and node.arg == "Loader":
                found.append(f"{path.name}:{node.lineno}: Loader={ast.unparse(node.value)}")
    assert found == []


def test_src_never_runs_code_or_reaches_the_network_or_the_shell():
    import ast

    found = []
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            for name in names:
                if name.split(".")[0] in FORBIDDEN_MODULES and name != "urllib.parse":  # quoting text is fine
                    found.append(f"{path.name}:{node.lineno}: import {name}")
                if name.split(".")[0] == "subprocess" and path.relative_to(SRC).as_posix() not in SUBPROCESS_ALLOWED:
                    found.append(f"{path.name}:{node.lineno}: import {name}")
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                    found.append(f"{path.name}:{node.lineno}: {func.id}()")
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    if func.value.id == "os" and func.attr in FORBIDDEN_OS:
                        found.append(f"{path.name}:{node.lineno}: os.{func.attr}()")
                    if func.attr == "enable_load_extension":
                        found.append(f"{path.name}:{node.lineno}: sqlite load_extension")
                for keyword in node.keywords:
                    if keyword.arg == "shell" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                        found.append(f"{path.name}:{node.lineno}: shell=")
    assert found == []


def test_cache_files_are_read_without_pickle():
    """The index holds plain data: read back with marshal, json or sqlite, never pickle."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in _source_files())
    assert "pickle" not in text and "shelve" not in text


# An audit hook sees what the interpreter really does: every file opened,
# every process started, every socket. Recording is switched on only around
# the commands below.
_AUDIT: list[tuple[str, tuple]] | None = None
_AUDIT_HOOKED = False
WATCHED = ("open", "os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
           "socket.", "urllib.Request", "http.client.", "ftplib.", "smtplib.", "webbrowser.open", "ctypes.",
           "pickle.find_class", "os.startfile", "pty.spawn", "sqlite3.enable_load_extension", "sqlite3.load_extension")


def _audit(event: str, args: tuple) -> None:
    if _AUDIT is not None and event.startswith(WATCHED):
        _AUDIT.append((event, args))


@pytest.fixture
def audit():
    global _AUDIT, _AUDIT_HOOKED
    if not _AUDIT_HOOKED:
        sys.addaudithook(_audit)  # cannot be removed; costs nothing while _AUDIT is None
        _AUDIT_HOOKED = True
    _AUDIT = []
    try:
        yield _AUDIT
    finally:
        _AUDIT = None


def test_hostile_files_open_nothing_but_what_the_user_named(tmp_path, secret, audit, monkeypatch):
    """Every command on files that try to run code or to read other files: no
    process, no socket, and no file opened under tmp_path but the knowledge
    file, the sources folder and the cache."""
    monkeypatch.chdir(tmp_path)
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "article.txt").symlink_to(secret)
    files = [PAYLOADS]
    for entry in ("../private/secret.txt", str(secret), "article.txt"):
        path = tmp_path / f"cites-{len(files)}.yaml"
        path.write_text(_knowledge_citing(tmp_path, entry, "The launch code is 1111").read_text(encoding="utf-8"), encoding="utf-8")
        files.append(path)
    cache = Path(os.environ["AIDEPS_CACHE_DIR"]).resolve()
    audit.clear()  # from here on, only what aideps does
    for path in files:
        for name in command_names():
            run(*argv(name, path))
        run("validate", str(path), "--sources-dir", str(texts))
        run("validate", str(path))
    events = list(audit)
    assert [e for e in events if e[0] != "open"] == []
    root = tmp_path.resolve()
    allowed = [texts.resolve(), cache, *(p.resolve() for p in files)]
    for _, args in events:
        target = args[0]
        if isinstance(target, int) or target is None:
            continue
        opened = Path(os.fsdecode(target)).resolve()
        assert not opened.is_relative_to(secret.parent.resolve()), f"opened {opened}"
        if opened.is_relative_to(root):
            assert any(opened == a or opened.is_relative_to(a) for a in allowed), f"opened {opened}"
    assert _pwned(tmp_path) == []


@pytest.mark.parametrize("use_libyaml", [False] + ([True] if yaml.__with_libyaml__ else []), ids=lambda v: "libyaml" if v else "python")
@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_runaway_quote_is_traced_to_where_it_opened(use_libyaml, quote):
    from aideps.knowledge.reader import parse

    text = GOOD.read_text(encoding="utf-8").replace("description: A made-up AI lab.", f"description: {quote}A made-up AI lab.")
    _, _, problems = parse(text, "t.yaml", use_libyaml=use_libyaml)
    [problem] = problems
    assert (problem.line, problem.column) == (36, 17 if quote == '"' else 22)
    assert problem.message.startswith(
        "YAML syntax error: the quoted text opened at line 17, column 18 runs on to this line: is its closing quote missing?"
    )


def test_messages_are_one_line_and_bounded():
    from aideps.knowledge.problems import Problem

    long = Problem("f.yaml", 1, 1, "unknown kind '" + "x" * 1_000_000 + "' in relationship 'r'; did you mean 'research'?")
    assert len(long.message) < 200 and long.message.endswith("…' in relationship 'r'; did you mean 'research'?")
    weird = Problem("f.yaml", 1, 1, "unknown kind 'a\nb\x1b[2J\r' in relationship 'r'")
    assert weird.message == "unknown kind 'a\\nb\\u001b[2J\\r' in relationship 'r'"
    unquoted = Problem("f.yaml", 1, 1, "y" * 100_000)
    assert len(unquoted.message) <= 1000
    ours = "expected a ':' within 1,024 characters of the key that starts at line 16, column 5: a key is at most 1,024 characters long; is a line missing its ':'?"
    assert Problem("f.yaml", 1, 1, ours).message == ours  # our own words between two quotes are never cut


# --------------------------------------------------------------------------
# Export: names cannot inject statements into DOT, Mermaid or GraphML


INJECTIONS = [
    'Evil" ]; "x" [image="/etc/passwd", URL="javascript:alert(1)"]; "y',
    "Evil\\\"]; n [shapefile=\\\"/etc/hosts\\\"]; \\\"",
    "<TABLE><TR><TD><IMG SRC=\"/etc/passwd\"/></TD></TR></TABLE>",
    "Evil click Evil href \"javascript:alert(1)\"",  # (with a line break, validate refuses it: issue #15)
    "Evil]; end; click x call alert(1); %%{init: {}}%%",
    "</data></node><node id=\"injected\"><data key=\"name\">x",
    "]]><!ENTITY x SYSTEM \"file:///etc/passwd\">",
]


def _injection_file(tmp_path: Path) -> Path:
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    data["sources"][0]["text"] = []
    names = iter(INJECTIONS)
    for entity in data["entities"]:
        entity["name"] = next(names)
        entity["description"] = next(names)
    data["relationships"][0]["summary"] = next(names)
    data["entities"][0]["aliases"] = [next(names)]
    path = tmp_path / "inject.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert check_file(path).errors == []
    return path


def test_export_formats_keep_hostile_names_inert(tmp_path):
    import xml.etree.ElementTree as ET

    path = _injection_file(tmp_path)
    outputs = {}
    for form in ("dot", "mermaid", "graphml", "json", "csv"):
        result = run("--data", str(path), "export", "--format", form)
        assert result.exit_code == 0, (form, result.stderr)
        outputs[form] = result.stdout
    json.loads(outputs["json"])
    # GraphML: well-formed, one node per entity, the names back as written.
    root = ET.fromstring(outputs["graphml"])
    nodes = [n for n in root.iter() if n.tag.endswith("}node")]
    assert len(nodes) == 2 and "injected" not in {n.get("id") for n in nodes}
    texts = {d.text for d in root.iter() if d.tag.endswith("}data")}
    assert INJECTIONS[0] in texts
    # Mermaid: no statement but the header and one line per edge.
    lines = [line for line in outputs["mermaid"].splitlines() if line.strip()]
    own = re.compile(  # the colours aideps adds after the edges, in their one fixed form
        r"    (classDef t_[a-z]+ fill:#[0-9A-F]{6},stroke:#8A8A8A,color:#111111"
        r"|class [A-Za-z0-9_,]+ t_[a-z]+|linkStyle \d+ stroke:#[0-9A-F]{6},stroke-width:[0-9.]+px)"
    )
    lines = [line for line in lines if not own.fullmatch(line)]
    assert not any(line.strip().startswith(("click", "%%", "end", "style", "classDef", "class", "linkStyle"))
                   for line in lines[1:]), lines
    # DOT: the only attribute names are aideps's own.
    assert not re.search(r"\b(image|shapefile|URL|href|imagepath|fontpath)\s*=", _dot_outside_strings(outputs["dot"]))


def _dot_outside_strings(text: str) -> str:
    """DOT with the contents of "..." strings and <...> labels removed."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            out.append('""')
        elif ch == "<":
            depth = 0
            while i < n:
                depth += {"<": 1, ">": -1}.get(text[i], 0)
                i += 1
                if depth == 0:
                    break
            out.append("<>")
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def test_graphviz_draws_hostile_names_without_reading_files(tmp_path, audit):
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    path = _injection_file(tmp_path)
    audit.clear()
    result = run("--data", str(path), "export", "--format", "svg", "-o", str(tmp_path / "graph.svg"))
    assert result.exit_code == 0, result.stderr
    svg = (tmp_path / "graph.svg").read_text(encoding="utf-8")
    assert "<image" not in svg and not re.search(r'href\s*=\s*"javascript', svg)  # the names are text, not links
    assert "root:" not in svg  # nothing of /etc/passwd
    spawned = [args for event, args in audit if event == "subprocess.Popen"]
    assert len(spawned) == 1 and os.path.basename(str(spawned[0][0])) == "dot"
    assert all("/etc/" not in str(a) for a in spawned[0][1])  # the graph goes to stdin, not the command line


def _required_fields() -> list[tuple[tuple, str]]:
    """(path of the mapping, field) of every required field of every model, at the first place of its model."""
    out, seen = [], set()
    for path, model in _model_places():
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            if info.is_required():
                out.append((path, info.alias or name))
    return out


REQUIRED = _required_fields()


@pytest.mark.parametrize("case", REQUIRED, ids=[".".join(map(str, p + (n,))) for p, n in REQUIRED])
def test_a_missing_required_field_says_what_to_write(tmp_path, case):
    import copy

    path, name = case
    data = copy.deepcopy(FULL)
    del _get(data, path)[name]
    knowledge = tmp_path / "missing.yaml"
    knowledge.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    said = assert_every_command_refuses(knowledge)
    if name == "format":  # a file without it is format 1: say so, and how to convert it
        assert any(": this file is in format 1; convert it with `aideps migrate FILE`" in m for m in said["validate"]), said["validate"]
        return
    wanted = f"missing field '{name}'" if path else f"missing `{name}`"
    messages = [m for m in said["validate"] if wanted in m]
    assert messages, said["validate"]
    # Beyond the field's name: what to write (allowed values, a form, or an example).
    assert re.search(r"; (one of|add|write)|`\w+: \[\]`", messages[0]), messages[0]


def test_a_large_file_checked_streaming_never_reads_a_text_path_either(tmp_path, secret, monkeypatch):
    """`aideps validate` checks files over a few megabytes item by item
    (aideps.knowledge.scan); its quote check follows the same rules."""
    from aideps.knowledge import scan

    monkeypatch.setattr(scan, "STREAM_OVER", 0)  # every file goes the streaming way
    path = _knowledge_citing(tmp_path, "../private/secret.txt", "The launch code is 1111")
    opened = _record_opens(monkeypatch)
    result = run("validate", str(path), "--sources-dir", str(tmp_path), "--json")
    assert result.exit_code == 1
    assert not any("private" in p for p in opened), opened
    document = json.loads(result.stdout)
    assert any("is a path, not a bare file name" in p["message"] for p in document["problems"])
    assert "0000" not in result.stdout + result.stderr
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "article.txt").symlink_to(secret)
    path = _knowledge_citing(tmp_path, "article.txt", "The launch code is 1111")
    result = run("validate", str(path), "--sources-dir", str(texts), "--json")
    assert result.exit_code == 0 and "link to a file outside" in result.stdout and "0000" not in result.stdout


# --------------------------------------------------------------------------
# Things that are not files: refused at once, never read forever


def test_a_device_is_refused_at_once():
    import time

    started = time.perf_counter()
    said = assert_every_command_refuses(Path("/dev/zero"), file_level=True)  # read forever, were it read
    assert said["list"] == ["/dev/zero: is a device, not a knowledge file; name a .yaml file"]
    assert time.perf_counter() - started < 30


def test_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "k.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        said = assert_every_command_refuses(path, file_level=True)
    finally:
        server.close()
    assert "is a socket, not a knowledge file" in said["list"][0]


def test_a_pipe_is_read_by_validate_and_refused_by_queries_with_a_reason(tmp_path):
    """`aideps --data <(curl ...)`: a query needs to read the file twice (hash,
    then index), which a pipe cannot give; validate reads it once."""
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for name in command_names():
        if name == "validate":
            continue
        result = run(*argv(name, fifo, entities=("acme", "bigco")))
        assert result.exit_code == 1 and result.stdout == "", (name, result.stderr)
        assert result.stderr == f"{fifo}: is a pipe, and aideps reads a knowledge file twice (to index it); save it to a file and name that\n"
    writer = threading.Thread(target=lambda: fifo.write_bytes(GOOD.read_bytes()), daemon=True)
    writer.start()
    result = run("validate", str(fifo), "--no-quotes")
    writer.join(timeout=10)
    assert result.exit_code == 0, result.stdout
    assert result.stderr.startswith(f"{fifo}: ok, 2 entities, 1 relationship")


def test_show_as_a_real_process_refuses_like_the_app(tmp_path):
    """`aideps show NAME` is answered without Typer in a real process
    (aideps.cli.fast): every bad file gets the same words, exit code and empty
    stdout as through the app."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    corpus = [BAD / name for name in BAD_FILES] + [HOSTILE / name for name in sorted(HOSTILE_FILES)]
    files = corpus[::3] + [HOSTILE / "python_tags.yaml", BAD / "alias_bomb.yaml", tmp_path / "missing.yaml", Path("/dev/zero")]
    lines = [["--data", str(path), "show", "acme"] for path in files]
    lines += [["--data", str(path), "show", "acme", "--json"] for path in files[::4]]
    pending = []
    for args in lines:  # two at a time: the machine may have two cores
        pending.append((args, subprocess.Popen(
            [sys.executable, "-m", "aideps", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env, cwd=tmp_path,
        )))
        if len(pending) >= 2 or args is lines[-1]:
            for done_args, process in pending:
                stdout, stderr = process.communicate(timeout=60)
                app = run(*done_args)
                assert (process.returncode, stdout, stderr) == (1, "", app.stderr), done_args
                assert "Traceback" not in stderr
            pending = []
    assert _pwned(tmp_path) == []
