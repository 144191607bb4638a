"""Hostile input, round two (issue 15), what goes out: nothing destroyed,
nothing spoofed, no traceback. Behaviour about processes (closed stdout, a
full disk, argv bytes) is tested on real subprocesses."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aideps.cli import fast, run, spec
from aideps.knowledge.text import UNSAFE, escaped
from aideps.render import csvout, fmt, jsonout

TESTS = Path(__file__).parent
MINI = TESTS / "fixtures" / "mini.yaml"

#: Each command with its required arguments (for mini.yaml).
ARGS = {
    "show": ["orbit-labs"],
    "tree": ["orbit-labs"],
    "search": ["orbit"],
    "diff": ["2020", "2024"],
    "why": ["orbit-labs", "acme-cloud"],
    "impact": ["acme-cloud"],
    "cache": ["info"],
    "import": ["ecosystem-graphs", str(TESTS / "fixtures" / "ecosystem")],
    # A file migrate cannot read: its problems go to stdout; --check: never written.
    "migrate": [str(TESTS / "fixtures" / "hostile" / "unclosed_quote.yaml"), "--check"],
}
BUNDLED_ARGS = {**ARGS, "show": ["openai"], "tree": ["openai"], "search": ["cloud"], "why": ["openai", "nvidia"], "impact": ["nvidia"]}


def _aideps(args, *, env=None, **kwargs) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "aideps", *args], capture_output=kwargs.pop("capture_output", True), env=environment, **kwargs
    )


def _no_traceback(done: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")


def test_every_command_has_its_arguments_here():
    for command in spec.COMMANDS:
        required = [a for a in command.args if a.required]
        assert not required or command.name in ARGS, command.name


# ---- 1. never destroy input -------------------------------------------------------


@pytest.fixture
def knowledge(tmp_path) -> Path:
    path = tmp_path / "k.yaml"
    shutil.copy(MINI, path)
    return path


@pytest.mark.parametrize("how", ["--data", "AIDEPS_DATA", "symlink", "hardlink"])
def test_export_never_overwrites_the_knowledge_file(knowledge, how):
    target = knowledge
    env = {}
    if how == "symlink":
        target = knowledge.parent / "link.yaml"
        target.symlink_to(knowledge.name)
    elif how == "hardlink":
        target = knowledge.parent / "hard.yaml"
        os.link(knowledge, target)
    args = ["export", "-o", str(target)]
    if how == "AIDEPS_DATA":
        env["AIDEPS_DATA"] = str(knowledge)
    else:
        args = ["--data", str(knowledge), *args]
    done = _aideps(args, env=env)
    assert done.returncode == 1
    assert knowledge.read_bytes() == MINI.read_bytes()
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "knowledge file" in lines[0]


def test_export_to_a_new_file_next_to_the_knowledge_file_works(knowledge):
    done = _aideps(["--data", str(knowledge), "export", "-o", str(knowledge.parent / "new.dot")])
    assert done.returncode == 0, done.stderr
    assert (knowledge.parent / "new.dot").read_text().startswith("digraph")


def test_export_dash_is_stdout(knowledge, tmp_path):
    done = _aideps(["--data", str(knowledge), "export", "-o", "-"], cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith(b"digraph")
    assert not (tmp_path / "-").exists()


def test_export_replaces_a_symlink_only_with_force(knowledge, tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text("keep me\n")
    link = tmp_path / "out.dot"
    link.symlink_to(kept)
    done = _aideps(["--data", str(knowledge), "export", "-o", str(link)])
    assert done.returncode == 1
    assert "--force" in done.stderr.decode() and len(done.stderr.splitlines()) == 1
    assert link.is_symlink() and kept.read_text() == "keep me\n"
    done = _aideps(["--data", str(knowledge), "export", "-o", str(link), "--force"])
    assert done.returncode == 0
    assert not link.is_symlink() and link.read_text().startswith("digraph")
    assert kept.read_text() == "keep me\n"


def test_export_replaces_a_read_only_file_only_with_force(knowledge, tmp_path):
    target = tmp_path / "out.dot"
    target.write_text("mine\n")
    target.chmod(0o444)
    done = _aideps(["--data", str(knowledge), "export", "-o", str(target)])
    assert done.returncode == 1
    assert "--force" in done.stderr.decode() and len(done.stderr.splitlines()) == 1
    assert target.read_text() == "mine\n"
    done = _aideps(["--data", str(knowledge), "export", "-o", str(target), "--force"])
    assert done.returncode == 0
    assert target.read_text().startswith("digraph")


# ---- 2. output errors ----------------------------------------------------------


def _every_command_line():
    yield ["--version"]
    yield ["--help"]
    for command in spec.COMMANDS:
        yield [command.name, *ARGS.get(command.name, [])]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", list(_every_command_line()), ids=lambda a: a[0])
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(args):
    with open("/dev/full", "wb") as full:
        done = _aideps(["--no-color", *args] if args[0] not in ("--version", "--help") else args, stdout=full, capture_output=False, stderr=subprocess.PIPE)
    _no_traceback(done)
    if args[0] == "why" or args[0] == "search":
        assert done.returncode in (1,)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0], lines


@pytest.mark.parametrize("args", list(_every_command_line()), ids=lambda a: a[0])
def test_a_closed_stdout_is_one_line_and_exit_1(args):
    done = subprocess.run(
        [sys.executable, "-m", "aideps", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        pass_fds=(), preexec_fn=lambda: os.close(1),
    )
    _no_traceback(done)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "stdout is closed" in lines[0], lines


def test_export_to_a_file_needs_no_stdout(tmp_path):
    target = tmp_path / "out.dot"
    done = subprocess.run(
        [sys.executable, "-m", "aideps", "export", "-o", str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith("digraph")


@pytest.mark.parametrize("args", [["--help"], ["list"], ["show", "orbit-labs", "--json"]], ids=lambda a: a[0])
def test_a_closed_pipe_is_quiet_and_141(args):
    process = subprocess.Popen([sys.executable, "-m", "aideps", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "AIDEPS_DATA": str(TESTS.parent / "src" / "aideps" / "data" / "entities.yaml")}
                               if False else None)
    process.stdout.close()  # the reader goes away before anything is read
    stderr = process.stderr.read()
    code = process.wait()
    assert b"Traceback" not in stderr
    assert stderr == b"" and code == 141, (code, stderr)


# ---- 3. tracebacks -------------------------------------------------------------

_CAFE = b"caf\xe9"


@pytest.mark.parametrize(
    "args",
    [
        [b"show", _CAFE], [b"tree", _CAFE], [b"why", _CAFE, b"orbit-labs"], [b"impact", _CAFE], [b"timeline", _CAFE],
        [b"conflicts", _CAFE], [b"export", _CAFE], [b"research", b"--entity", _CAFE], [b"diff", b"2020", b"2024", b"-e", _CAFE],
    ],
    ids=lambda a: a[0].decode(),
)
def test_a_name_that_is_not_utf8_is_not_found(args):
    done = subprocess.run([sys.executable.encode(), b"-m", b"aideps", *args], capture_output=True)
    _no_traceback(done)
    assert done.returncode == 1
    assert done.stderr.decode() == "no entity 'caf\\xe9': it is not UTF-8 text (is the terminal's encoding UTF-8?)\n"


def test_search_words_that_are_not_utf8_are_a_usage_error():
    done = subprocess.run([sys.executable.encode(), b"-m", b"aideps", b"search", _CAFE], capture_output=True)
    _no_traceback(done)
    assert done.returncode == 2 and b"caf\\xe9" in done.stderr and b"not UTF-8" in done.stderr


@pytest.mark.parametrize("cword", ["x", "-1", "1e3", "99999999999999999999", ""])
def test_completion_with_a_bad_comp_cword_answers_nothing(cword):
    done = _aideps([], env={"_AIDEPS_COMPLETE": "complete_bash", "COMP_WORDS": "aideps show or", "COMP_CWORD": cword})
    _no_traceback(done)
    assert done.returncode == 0 and done.stdout.strip() == b""


@pytest.mark.parametrize("columns", ["99999999999999999999", "-5", "0", "wide"])
def test_help_with_an_absurd_columns(columns):
    done = _aideps(["--help"], env={"COLUMNS": columns})
    _no_traceback(done)
    assert done.returncode == 0 and b"Usage" in done.stdout


# ---- 4. spoofing ---------------------------------------------------------------

ESC = "\x1b]0;pwned\x07"


@pytest.mark.parametrize("command", [["show"], ["tree"], ["impact"], ["why", "orbit-labs"], ["timeline"]], ids=lambda c: c[0])
def test_an_escape_in_a_name_is_shown_escaped(command):
    done = _aideps([*command, ESC])
    assert done.returncode == 1
    assert b"\x1b" not in done.stderr and b"\x07" not in done.stderr
    assert b"\\x1b]0;pwned\\x07" in done.stderr


def test_a_bad_date_is_shown_escaped():
    done = _aideps(["diff", ESC, "2024"])
    assert done.returncode == 2
    assert b"\x1b" not in done.stderr and b"\\x1b]0;pwned" in done.stderr


def test_search_echoes_its_query_escaped():
    done = _aideps(["search", ESC])
    assert done.returncode == 1
    assert b"\x1b" not in done.stdout and b"\\x1b]0;pwned\\x07" in done.stdout
    as_json = _aideps(["search", ESC, "--json"])
    assert json.loads(as_json.stdout)["query"] == ESC  # the data, exactly (JSON escapes it itself)


def test_a_file_name_in_a_problem_is_escaped(tmp_path):
    bad = tmp_path / "b\x1b[31mad.yaml"
    bad.write_text("entities: [\n")
    for args in (["--data", str(bad), "show", "x"], ["validate", str(bad)]):
        done = _aideps(args)
        assert done.returncode == 1
        assert b"\x1b" not in done.stderr + done.stdout
        assert b"b\\x1b[31mad.yaml:" in done.stderr + done.stdout


def test_export_errors_escape_the_path(tmp_path):
    done = _aideps(["export", "-o", str(tmp_path / "no\x1b]0;x\x07where" / "out.dot")])
    assert done.returncode == 1
    assert b"\x1b" not in done.stderr and b"no\\x1b]0;x\\x07where" in done.stderr


# Click's own usage errors repeat what was typed: a bad value, an unknown
# option or command, an extra argument, a path that is not there.
BIDI = "\u202e"
NOT_UTF8 = os.fsdecode(b"\xe9")
USAGE_ERRORS = [
    ["tree", "orbit-labs", "--depth", ESC],
    ["tree", "orbit-labs", "--depth=" + ESC],
    ["search", "x", "--limit", "-1" + ESC],
    ["tree", "orbit-labs", "--kind", ESC],
    ["export", "-f", ESC],
    ["tree", "orbit-labs", "--bo" + ESC + "gus"],
    ["tree", "orbit-labs", "--bo" + BIDI + "gus"],
    ["tree", "orbit-labs", "--bo" + NOT_UTF8 + "gus"],
    ["tree", "orbit-labs", "--depth", BIDI],
    ["--" + ESC, "list"],
    ["sh" + ESC],
    ["show", "orbit-labs", ESC],
    ["show", "orbit-labs", BIDI + "x"],
    ["validate", "--sources-dir", ESC],
    ["diff", ESC, "2024"],
    ["cache", ESC],
]


def _shown(arg: str) -> str:
    """What of `arg` a message shows: its unsafe part, escaped."""
    return escaped(ESC) if ESC in arg else escaped(BIDI) if BIDI in arg else "\\xe9"


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=lambda a: " ".join(a).encode("unicode_escape").decode())
def test_a_usage_error_shows_the_argument_escaped(args, capsys, monkeypatch):
    """Both ways in: the fast path says nothing and leaves such a line to
    Typer (None), whose message goes through the one text policy."""
    monkeypatch.setenv("AIDEPS_DATA", str(MINI))
    assert fast.main(list(args)) is None
    assert capsys.readouterr() == ("", "")
    done = _aideps(args)
    _no_traceback(done)
    assert done.returncode == 2
    stderr = os.fsdecode(done.stderr)
    assert not UNSAFE.search(stderr.replace("\n", "")), stderr
    hostile = next(a for a in args if UNSAFE.search(a))
    assert _shown(hostile) in stderr, stderr


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
@pytest.mark.parametrize("args", [["tree", "orbit-labs", "--depth", ESC], ["tree", "orbit-labs", "--bo" + BIDI + "gus"]], ids=["value", "option"])
def test_a_usage_error_on_a_terminal_shows_the_argument_escaped(args):
    """On a terminal Typer draws the error in a box (Rich): escaped too."""
    pytest.importorskip("pyte")
    sys.path.insert(0, str(TESTS))
    try:
        import terminal
    finally:
        sys.path.pop(0)
    ran = terminal.run(args, 100, stderr_too=True, AIDEPS_DATA=str(MINI))
    assert ran.code == 2
    assert "\x1b]0;" not in ran.raw and "\x07" not in ran.raw and BIDI not in ran.raw
    assert _shown(args[-1]) in ran.raw


def test_escaped():
    assert escaped("plain é 中文 $5") == "plain é 中文 $5"
    assert escaped("\x1b[0m\u202e\u2028\u200b\U000e0041\ufffe") == "\\x1b[0m\\u202e\\u2028\\u200b\\U000e0041\\ufffe"
    assert escaped("caf\udce9") == "caf\\xe9"


# ---- 5. CSV formula injection -----------------------------------------------------


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "-cmd"])
def test_csv_neutralises_formulas(cell):
    buffer = io.StringIO()
    csvout.write(["a"], [[cell]], buffer)
    row = buffer.getvalue().split("\n", 1)[1]
    assert row.lstrip('"').startswith("'" + cell[0])
    raw = io.StringIO()
    csvout.write(["a"], [[cell]], raw, raw=True)
    assert raw.getvalue().split("\n", 1)[1].lstrip('"').startswith(cell[0])


@pytest.mark.parametrize("cell", ["-5", "-5.25", "+3", "-1e3", "-5;3", "12", "text", "", -5, 2.5])
def test_csv_keeps_numbers_and_text(cell):
    buffer = io.StringIO()
    csvout.write(["a"], [[cell]], buffer)
    assert _cells(buffer.getvalue())[1] == [str(cell)]


@pytest.mark.parametrize("raw", [True, False], ids=["csv-raw", "csv"])
def test_a_line_break_in_a_cell_is_quoted(raw):
    """A lone CR used to be written bare, and a reader ended the row there."""
    rows = [["x\ry", "p\nq", "plain"], ["\r", "z\r\n", 5], ["a\n\rb", None, "\rstart"]]
    buffer = io.StringIO()
    csvout.write(["a", "b", "c"], rows, buffer, raw=raw)
    text = buffer.getvalue()
    read = _cells(text)
    assert len(read) == 1 + len(rows)
    expected = [["" if c is None else str(c) for c in row] for row in rows]
    if not raw:
        expected = [[csvout.safe_cell(c) for c in row] for row in expected]
    assert read[1:] == expected
    assert text.endswith("\n") and "\r\n" not in text.replace('"z\r\n"', "")  # rows end in LF
    for cell in ("x\ry", "\r", "a\n\rb"):
        assert f'"{cell}"' in text or f"\"'{cell}\"" in text


@pytest.fixture
def formula_data(tmp_path) -> Path:
    text = MINI.read_text().replace(
        "description: A made-up AI lab whose product is large language models.",
        "description: '=HYPERLINK(\"http://evil\",\"x\")'",
    )
    assert "=HYPERLINK" in text
    path = tmp_path / "formula.yaml"
    path.write_text(text)
    return path


def test_list_csv_neutralises_and_csv_raw_does_not(formula_data):
    safe = _aideps(["--data", str(formula_data), "list", "--csv"])
    assert safe.returncode == 0, safe.stderr
    descriptions = [row[3] for row in _cells(safe.stdout.decode())[1:]]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in descriptions
    assert not any(d.startswith("=") for d in descriptions)
    raw = _aideps(["--data", str(formula_data), "list", "--csv-raw"])
    assert raw.returncode == 0, raw.stderr
    assert "=HYPERLINK(\"http://evil\",\"x\")" in [row[3] for row in _cells(raw.stdout.decode())[1:]]


def test_every_command_with_csv_takes_csv_raw():
    for command in spec.COMMANDS:
        dests = {opt.dest for opt in command.options}
        if "as_csv" in dests:
            assert "csv_raw" in dests, command.name


def test_export_csv_neutralises(tmp_path):
    text = MINI.read_text()
    # a summary that starts like a formula
    import re

    text, count = re.subn(r"(\n\s+summary: )([^\n]+)", r"\1'@SUM(1+1)*cmd'", text, count=1)
    assert count == 1
    path = tmp_path / "f.yaml"
    path.write_text(text)
    safe = _aideps(["--data", str(path), "export", "-f", "csv"])
    assert safe.returncode == 0, safe.stderr
    header, *rows = _cells(safe.stdout.decode())
    summaries = [row[header.index("summary")] for row in rows]
    assert "'@SUM(1+1)*cmd" in summaries and "@SUM(1+1)*cmd" not in summaries
    header, *rows = _cells(_aideps(["--data", str(path), "export", "-f", "csv", "--csv-raw"]).stdout.decode())
    assert "@SUM(1+1)*cmd" in [row[header.index("summary")] for row in rows]


# ---- 6. strict JSON, numbers that fit -------------------------------------------------


def _reject(name):
    raise ValueError(f"not strict JSON: {name}")


def _json_commands(args_for):
    for command in spec.COMMANDS:
        dests = {opt.dest for opt in command.options}
        if "as_json" in dests:
            yield [command.name, *args_for.get(command.name, []), "--json"]


@pytest.mark.parametrize("data", ["mini", "bundled"])
def test_every_json_output_is_strict(data, capsys, monkeypatch):
    if data == "bundled":
        monkeypatch.delenv("AIDEPS_DATA")
        args_for = BUNDLED_ARGS
    else:
        args_for = ARGS
    checked = 0
    for args in _json_commands(args_for):
        parsed = fast.parse(args)
        assert parsed is not None, args
        command, values = parsed
        code = run.run_command(command, values)
        out = capsys.readouterr().out
        assert code in (0, 1), args
        json.loads(out, parse_constant=_reject)
        checked += 1
    assert checked >= 12


def test_json_refuses_nan_and_infinity():
    for value in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError):
            jsonout.dumps({"amount": value})
        with pytest.raises(ValueError):
            "".join(jsonout.chunks({"amount": [value]}))


def test_money_fits_its_format():
    assert fmt.money(float("inf")) == fmt.MISSING and "inf" not in fmt.money(-float("inf"))
    assert fmt.number(float("nan")) == fmt.MISSING
    huge = 10**300
    assert fmt.money(huge) == "$1" + "0" * 288 + "T"  # exactly, never through a float
    assert fmt.money(1_234_567_890_123_456_789) == "$1234567.89T"
    assert fmt.money(13_000_000_000) == "$13B"
    assert fmt.figure(-(10**20)) == "-100000000T"
