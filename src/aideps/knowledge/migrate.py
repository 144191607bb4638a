"""Format 1 to format 2: what `aideps migrate FILE` does to a file's text.

Format 2 splits format 1's one `status` into `stage`, `health` and
`certainty` (vocab.FORMAT1_STATUS), turns `parent: X` into `parents: [X]`
and declares `format: 2` at the top. Nothing else changes, so the migration
is lossless: every other line, comment and blank line is kept as written.

The edit is made on the text, line by line, for the block style every
format-1 file aideps wrote or documented uses. A file that says these keys
in flow style (`{status: active}`) is not edited by guess:
`FlowStyle` is raised and the caller says so.
"""

from __future__ import annotations

import re

from aideps.knowledge import vocab

STATUS_LINE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)status:\s*(?P<value>[A-Za-z_]+)\s*(?P<comment>#.*)?$")
PARENT_LINE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)parent:\s*(?P<value>[^\s#]+)\s*(?P<comment>#.*)?$")
FORMAT_LINE = re.compile(r"^format:")
TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")
FLOW_KEYS = re.compile(r"[{,]\s*(?:status|parent)\s*:")


class FlowStyle(ValueError):
    """The file says `status` or `parent` in flow style, which this line edit does not rewrite."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def is_format2(text: str) -> bool:
    return any(FORMAT_LINE.match(line) for line in text.splitlines())


def _status_lines(lead: str, value: str, comment: str | None) -> list[str]:
    stage, health, certainty = vocab.FORMAT1_STATUS[value]
    indent = " " * len(lead)
    fields = []
    if stage is not None:
        fields.append(f"stage: {stage}")
    if health is not None:
        fields.append(f"health: {health}")
    if certainty != "stated" or not fields:
        fields.append(f"certainty: {certainty}")
    tail = f"  {comment}" if comment else ""
    lines = [lead + fields[0] + tail]
    lines.extend(indent + field for field in fields[1:])
    return lines


def migrate_text(text: str) -> str:
    """The format-2 text of a format-1 file's text (already format 2: unchanged)."""
    if is_format2(text):
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    out: list[str] = []
    inserted = False
    for number, line in enumerate(text.splitlines(), 1):
        if not inserted and TOP_KEY.match(line):
            out.append("format: 2")
            inserted = True
        if FLOW_KEYS.search(line.split("#", 1)[0]):
            raise FlowStyle(number)
        match = STATUS_LINE.match(line)
        if match and match.group("value") in vocab.FORMAT1_STATUS:
            out.extend(_status_lines(match.group("lead"), match.group("value"), match.group("comment")))
            continue
        match = PARENT_LINE.match(line)
        if match:
            comment = match.group("comment")
            out.append(f"{match.group('lead')}parents: [{match.group('value')}]" + (f"  {comment}" if comment else ""))
            continue
        out.append(line)
    if not inserted:
        out.insert(0, "format: 2")
    result = newline.join(out)
    return result + newline if text.endswith(("\n", "\r")) else result
