"""Format 1 to format 2: what `aideps migrate FILE` does to a file's text.

Format 2 splits format 1's one `status` into `stage`, `health` and
`certainty` (vocab.FORMAT1_STATUS), turns `parent: X` into `parents: [X]`
and declares `format: 2` at the top. Nothing else changes, so the migration
is lossless: every other line, comment and blank line is kept as written.

The file is parsed first (with positions, `aideps.knowledge.reader`), so
only the keys format 1 had are edited: `status` of a relationship or of a
history entry, `parent` of an entity; a `status` anywhere else (a term, a
note) is left alone. The edit itself is made on those lines of the text,
for the block style every format-1 file aideps wrote or documented uses
(CRLF or LF, a BOM, tabs after the colon, quoted keys and values, comments
after the value). A file that says these keys in flow style
(`{status: active}`) is not edited by guess: `FlowStyle` is raised and the
caller says so.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aideps.knowledge import vocab
from aideps.knowledge.problems import Problem

# One block-style key and its one-line value, from the key's column on.
BLOCK_KEY = re.compile(
    r"""^(?P<key>"(?P<dq>[a-z]+)"|'(?P<sq>[a-z]+)'|(?P<plain>[a-z]+))[ \t]*:(?:[ \t]+(?P<value>"[^"\\]*"|'[^']*'|[^\s#"'][^#]*?))?[ \t]*(?P<comment>#.*)?$"""
)
LINE_BREAK = re.compile(r"(\r\n|\r|\n|\x85|\u2028|\u2029)")


class FlowStyle(ValueError):
    """The file says `status` or `parent` in flow style (or over several
    lines), which this line edit does not rewrite."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class Unreadable(ValueError):
    """The file cannot be read as YAML, or its top level is not a mapping: nothing to migrate."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "not a mapping")
        self.problems = problems


@dataclass
class Migration:
    """A migrated text and what changed: statuses by word, parents, history entries."""

    text: str
    already: bool = False  # the file was format 2: text is unchanged
    statuses: Counter = field(default_factory=Counter)  # relationships' statuses migrated, by word
    history: int = 0  # history entries whose status was migrated
    parents: int = 0  # entities whose parent became parents

    @property
    def relationships(self) -> int:
        return sum(self.statuses.values())

    def summary(self) -> str:
        """What changed, in one line: "migrated 3 relationships: 2 active, 1 strained; 1 history entry; 1 parent"."""
        words = ", ".join(f"{n} {status}" for status, n in sorted(self.statuses.items(), key=lambda x: (-x[1], x[0])))
        noun = "relationship" if self.relationships == 1 else "relationships"
        parts = [f"migrated {self.relationships} {noun}" + (f": {words}" if words else "")]
        if self.history:
            parts.append(f"{self.history} history {'entry' if self.history == 1 else 'entries'}")
        if self.parents:
            parts.append(f"{self.parents} {'parent' if self.parents == 1 else 'parents'} made a list")
        return "; ".join(parts)


def _format_of(root: Any) -> Any:
    return root.get("format") if isinstance(root, dict) else None


def is_format2(text: str) -> bool:
    """Does the text declare `format: 2` at its top level?"""
    from aideps.knowledge.reader import parse

    parsed = parse(text, "-")
    value = _format_of(parsed.data)
    return value == 2 and type(value) is int


def _unquote(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _edit(lines: list[str], pos: tuple[int, int], name: str) -> tuple[str, str, str | None, str | None]:
    """(lead, key as written, value, comment) of the block key `name` at `pos`; FlowStyle if it is not one."""
    number, column = pos
    line = lines[number - 1]
    lead, rest = line[: column - 1], line[column - 1 :]
    match = BLOCK_KEY.match(rest)
    if (
        match is None
        or (match.group("dq") or match.group("sq") or match.group("plain")) != name
        or lead.strip() not in ("", "-")
    ):
        raise FlowStyle(number)
    return lead, match.group("key"), _unquote(match.group("value")), match.group("comment")


def _status_lines(lead: str, value: str, comment: str | None) -> list[str]:
    stage, health, certainty = vocab.FORMAT1_STATUS[value]
    indent = re.sub(r"[^\t]", " ", lead)
    fields = []
    if stage is not None:
        fields.append(f"stage: {stage}")
    if health is not None:
        fields.append(f"health: {health}")
    if certainty != "stated" or not fields:
        fields.append(f"certainty: {certainty}")
    tail = f"  {comment}" if comment else ""
    lines = [lead + fields[0] + tail]
    lines.extend(indent + f for f in fields[1:])
    return lines


def migrate(text: str) -> Migration:
    """The format-2 text of a format-1 file's text, and what changed.

    Already format 2: `Migration(text, already=True)`. Raises `Unreadable`
    when the text is not a YAML mapping, `FlowStyle` when a key to edit is
    not in block style. A status format 1 did not have is left as written
    (the check of the result says so)."""
    from aideps.knowledge.reader import parse

    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    parsed = parse(body, "-")
    root, locator = parsed.data, parsed.locator
    if not isinstance(root, dict):
        raise Unreadable(parsed.problems)
    value = _format_of(root)
    if value == 2 and type(value) is int:
        return Migration(text, already=True)
    pieces = LINE_BREAK.split(body)
    lines, breaks = pieces[0::2], pieces[1::2]
    newline = breaks[0] if breaks else "\n"
    result = Migration(text)
    edits: dict[int, list[str]] = {}  # line number -> its replacement lines

    def status_at(path: tuple, said: Any) -> str | None:
        pos = locator.key(path + ("status",))
        lead, _, value, comment = _edit(lines, pos, "status")
        if value != said and said in vocab.FORMAT1_STATUS:
            raise FlowStyle(pos[0])  # the value is not on the key's line
        if value not in vocab.FORMAT1_STATUS:
            return None
        edits[pos[0]] = _status_lines(lead, value, comment)
        return value

    relationships = root.get("relationships")
    for i, rel in enumerate(relationships if isinstance(relationships, list) else []):
        if not isinstance(rel, dict):
            continue
        if "status" in rel:
            status = status_at(("relationships", i), rel["status"])
            if status is not None:
                result.statuses[status] += 1
        history = rel.get("history")
        for j, change in enumerate(history if isinstance(history, list) else []):
            if isinstance(change, dict) and "status" in change and status_at(("relationships", i, "history", j), change["status"]):
                result.history += 1
    entities = root.get("entities")
    for i, entity in enumerate(entities if isinstance(entities, list) else []):
        if not isinstance(entity, dict) or "parent" not in entity:
            continue
        pos = locator.key(("entities", i, "parent"))
        lead, _, value, comment = _edit(lines, pos, "parent")
        if value != entity["parent"] and not (value in (None, "", "null", "~") and entity["parent"] is None):
            raise FlowStyle(pos[0])
        shown = "[]" if value in (None, "", "null", "~") else f"[{value}]"
        edits[pos[0]] = [f"{lead}parents: {shown}" + (f"  {comment}" if comment else "")]
        result.parents += 1
    # `format: 2`: in place of `format: 1`, else just before the first top-level key.
    if "format" in root:
        pos = locator.key(("format",))
        lead, _, _, comment = _edit(lines, pos, "format")
        edits[pos[0]] = [f"{lead}format: 2" + (f"  {comment}" if comment else "")]
    else:
        first = locator.key((next(iter(root)),)) if root else None
        if first is None or first[1] != 1:
            raise FlowStyle(first[0] if first else 1)
        edits[first[0]] = ["format: 2", lines[first[0] - 1]]
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        replacement = edits.get(number, [line])
        for k, new in enumerate(replacement):
            out.append(new)
            if k < len(replacement) - 1:
                out.append(newline)
        if number <= len(breaks):
            out.append(breaks[number - 1])
    result.text = bom + "".join(out)
    return result


def keep_backup(path: Path, data: bytes) -> Path:
    """Write `data` to a new file next to `path`: PATH.format1, else
    PATH.format1.1, PATH.format1.2, ... (an existing file is never
    overwritten: each is created exclusively). Raises OSError."""
    for n in range(1000):
        backup = path.with_name(path.name + ".format1" + (f".{n}" if n else ""))
        try:
            handle = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        except BaseException:
            os.unlink(backup)
            raise
        return backup
    raise FileExistsError(f"{path.name}.format1 to {path.name}.format1.999 all exist; remove some")


def migrate_text(text: str) -> str:
    """The format-2 text of a format-1 file's text (already format 2: unchanged)."""
    return migrate(text).text


__all__ = ["FlowStyle", "Migration", "Unreadable", "is_format2", "keep_backup", "migrate", "migrate_text"]
