"""A problem found in a knowledge file, located to file:line:column."""

from __future__ import annotations

import re
from collections import namedtuple

from aideps.knowledge.text import UNSAFE, escaped

MAX_SHOWN = 80  # characters of a value from the file that a message repeats
MAX_MESSAGE = 1000

_CONTROL = UNSAFE  # the text policy: aideps.knowledge.text
_LONG_QUOTED = re.compile("'([^']{300,})'")  # longer than any wording of ours between two quotes


def _escape(match: re.Match) -> str:
    char = match.group()
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char)
    if named is not None:
        return named
    return f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}"


def bounded(message: str) -> str:
    """A message as printed: one line, no character the text policy refuses
    (a value from the file could hold a terminal escape or a bidi control),
    and values from the file cut to MAX_SHOWN characters, so that a 5 MB line gives a short message. (A
    value under 300 characters is shown whole.)"""
    message = _CONTROL.sub(_escape, message)
    if len(message) > 300:
        message = _LONG_QUOTED.sub(lambda m: "'" + m.group(1)[: MAX_SHOWN - 1] + "…'", message)
    if len(message) > MAX_MESSAGE:  # a long value not in quotes: keep the start and the advice at the end
        message = message[: MAX_MESSAGE // 2] + " … " + message[-MAX_MESSAGE // 4 :]
    return message


_Fields = namedtuple("_Fields", "file line column message severity", defaults=("error",))  # severity: "error" or "note"


class Problem(_Fields):
    """One problem at file:line:column; ordered by where it is. (A NamedTuple:
    dataclasses costs every run some 15 ms of imports.)"""

    __slots__ = ()

    def __new__(cls, file: str, line: int, column: int, message: str, severity: str = "error") -> "Problem":
        return super().__new__(cls, file, line, column, bounded(message), severity)

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        if not self.line:  # line 0: the file as a whole (missing, unreadable), no position in it
            return f"{escaped(self.file)}: {prefix}{self.message}"
        return f"{escaped(self.file)}:{self.line}:{self.column}: {prefix}{self.message}"  # (a file name may hold an escape)

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


class Findings:
    """What a check found, read the same way wherever it comes from (a
    knowledge.report.Report, a verdict kept by aideps.index.verdicts): its
    `problems` split into errors and notes; ok when there is no error."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


class DataError(Exception):
    """A knowledge file that cannot be used: missing, unreadable or invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
