"""The words of the YAML reader: what is wrong with a knowledge file's text
before or while it is parsed (its encoding, characters YAML does not allow,
syntax errors, nesting too deep), said in plain words at file:line:column.

Shared by the whole-document reader (`aideps.knowledge.reader`) and the
streaming one (`aideps.knowledge.stream`), so both say the same.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from aideps.knowledge.problems import Problem

MAX_DEPTH = 64  # lists and mappings nested deeper are refused
MAX_CHAR_PROBLEMS = 10  # report at most this many bad characters

Position = tuple[int, int]  # (line, column), 1-based

# Characters YAML does not allow in a stream (the set PyYAML's reader rejects).
NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Control characters a double-quoted escape can still put in a value; tabs and
# line breaks are text, the rest could drive the terminal a name is printed to.
CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# --------------------------------------------------------------------------
# Text


def line_col(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def head_problem(head: bytes, filename: str) -> Problem | None:
    """What the first bytes say is wrong: a UTF-32 or UTF-16 file (by its byte-order mark, or its zero bytes)."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return Problem(
            filename, 1, 1, "the file is UTF-32 (it starts with a UTF-32 byte-order mark); save the file as UTF-8"
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Problem(
            filename, 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8"
        )
    head = head[:200]
    if len(head) >= 4 and b"\x00" in head:
        even = head[0::2].count(0)
        odd = head[1::2].count(0)
        if max(even, odd) >= len(head) // 4:
            return Problem(
                filename, 1, 1, "the file looks like UTF-16 (every other byte is zero); save the file as UTF-8"
            )
    return None


def bad_byte_problem(filename: str, line: int, col: int, byte: bytes, more: int) -> Problem:
    """A byte that is not UTF-8, at (line, col), with `more` bad bytes after it."""
    extra = f" ({more} more bad byte{'s' if more != 1 else ''} after it)" if more else ""
    return Problem(
        filename,
        line,
        col,
        f"invalid UTF-8: byte 0x{byte.hex().upper()} cannot be decoded{extra}; "
        "the file may be in Latin-1 or Windows-1252: save the file as UTF-8",
    )


def decode(content: bytes, filename: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or why it cannot be read as UTF-8."""
    problem = head_problem(content, filename)
    if problem is not None:
        return None, [problem]
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    try:
        return content.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        bad = exc.start
        line = content.count(b"\n", 0, bad) + 1
        line_start = content.rfind(b"\n", 0, bad) + 1
        col = len(content[line_start:bad].decode("utf-8", "replace")) + 1
        more = content[exc.end :].decode("utf-8", "replace").count("\ufffd")
        return None, [bad_byte_problem(filename, line, col, content[bad : bad + 1], more)]


def character_problem(filename: str, line: int, col: int, char: str) -> Problem:
    return Problem(
        filename, line, col, f"character U+{ord(char):04X} is not allowed in YAML (a control or non-character); remove it"
    )


def check_characters(text: str, filename: str) -> list[Problem]:
    problems = []
    for match in NON_PRINTABLE.finditer(text):
        if len(problems) == MAX_CHAR_PROBLEMS:
            break
        line, col = line_col(text, match.start())
        problems.append(character_problem(filename, line, col, match.group()))
    return problems


# --------------------------------------------------------------------------
# Syntax errors in plain words


def too_deep_message() -> str:
    return f"lists and mappings nested more than {MAX_DEPTH} levels deep; a knowledge file needs only a few levels"


def syntax_problem(exc: Any, text: str, filename: str, lines: Any = None) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return Problem(filename, 1, 1, f"YAML syntax error: {exc}")
    line, col = mark.line + 1, mark.column + 1
    problem = (getattr(exc, "problem", None) or "").strip()
    context = (getattr(exc, "context", None) or "").strip()
    cmark = getattr(exc, "context_mark", None)
    where = f"line {cmark.line + 1}, column {cmark.column + 1}" if cmark is not None else ""

    lines = text.splitlines() if lines is None else lines  # aideps.knowledge.stream gives the lines of a file it reads lazily
    line_text = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    char = line_text[mark.column] if 0 <= mark.column < len(line_text) else ""
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    opener = ""
    if cmark is not None and 0 <= cmark.line < len(lines) and 0 <= cmark.column < len(lines[cmark.line]):
        opener = lines[cmark.line][cmark.column]
    quote_it = f"put text that starts with '{opener}' in quotes"

    if "nesting depth" in problem:
        # libyaml (from PyYAML 6.0.4) has a nesting limit of its own and may
        # reach it while scanning ahead, before our builder sees the 65th
        # level: the same limit, said the same way, whichever reader speaks.
        message = too_deep_message()
        return Problem(filename, line, col, message)
    if char == "\t" or "tab" in problem or ("\t" in indent and "indent" in problem):
        message = "a tab character: YAML indents with spaces only; replace the tab with spaces"
        if "\t" in indent and char != "\t":
            col = indent.index("\t") + 1
    elif "flow sequence" in context:
        message = f"the list opened with '[' at {where} is not closed here: a ',' or ']' is missing"
    elif "flow mapping" in context:
        message = f"the mapping opened with '{{' at {where} is not closed here: a ',' or '}}' is missing"
    elif "quoted scalar" in context and "end of stream" in problem:
        message = f"the quoted text opened at {where} is never closed: a closing quote is missing"
    elif "quoted scalar" in context and "escape" in problem:
        message = (
            f"a backslash in the double-quoted text opened at {where} starts an unknown escape; "
            "write \\\\ for a backslash, or use single quotes"
        )
    elif "quoted scalar" in context:
        message = f"the quoted text opened at {where} is broken here ({problem})"
    elif "simple key" in context and cmark is not None and mark.line == cmark.line and mark.column - cmark.column > 1024:
        message = (
            f"expected a ':' within 1,024 characters of the key that starts at {where}: "
            "a key is at most 1,024 characters long; is a line missing its ':'?"
        )
    elif "simple key" in context:
        message = f"expected a ':' after the key that starts at {where}; is a line missing its ':'?"
    elif "cannot start any token" in problem:
        shown = f"'{char}'" if char else "this character"
        message = f"{shown} cannot start a value in YAML; put the value in quotes"
    elif "alias" in context or "anchor" in context:
        what = "an alias" if "alias" in context else "an anchor"
        message = f"'{opener or '*'}' starts {what} in YAML; {quote_it}"
    elif "block scalar" in context:
        message = f"'|' and '>' start a block of text in YAML; {quote_it}"
    elif "tag" in context:
        message = f"'!' starts a tag in YAML; {quote_it}"
    elif "directive" in context or (
        "document start" in problem and any(ln.startswith("%") for ln in lines[: mark.line])
    ):
        if "directive" not in context:  # PyYAML reads the directive, then stumbles after it
            line = next(n for n, ln in enumerate(lines[: mark.line], 1) if ln.startswith("%"))
            col = 1
        message = "'%' at the start of a line starts a directive in YAML; put text that starts with '%' in quotes"
    elif "mapping values are not allowed" in problem:
        message = "a ':' here is not allowed; put text that contains ': ' in quotes"
    elif "mapping keys are not allowed" in problem:
        message = "'? ' starts a complex key in YAML; put text that starts with '?' in quotes"
    elif "block mapping" in context:
        message = (
            f"this line does not line up with the mapping that starts at {where}: "
            "check its indentation (a key, or a missing ':'?)"
        )
    elif "block collection" in context or "block sequence" in context:
        message = (
            f"this line does not line up with the list that starts at {where}: "
            "check its indentation (a '- ' item expected)"
        )
    elif "node content" in problem:
        message = "a value is expected here; is one missing, or does it start with a character YAML reserves?"
    elif "document start" in problem:
        message = "unexpected text after the end of the document: check the indentation of this line"
    else:
        message = problem or str(exc)
        if context:
            message += f" ({context}" + (f" at {where})" if where else ")")
    return Problem(filename, line, col, f"YAML syntax error: {message}")


def runaway_quote(problem: Problem, scalar: Any, filename: str) -> Problem:
    """A quote that is never closed runs on, over line ends, to the next quote
    character, and YAML stumbles right after it, lines below the mistake.
    Say where the quoted text began."""
    if scalar is None or getattr(scalar, "style", None) not in ('"', "'"):
        return problem
    start, end = scalar.start_mark, scalar.end_mark
    if end.line <= start.line or problem.line != end.line + 1:
        return problem
    return Problem(
        filename,
        problem.line,
        problem.column,
        f"YAML syntax error: the quoted text opened at line {start.line + 1}, column {start.column + 1} "
        f"runs on to this line: is its closing quote missing? ({problem.message.removeprefix('YAML syntax error: ')})",
    )


# --------------------------------------------------------------------------
