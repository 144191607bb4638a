"""The fast reader: the part of YAML that knowledge files use, read line by line.

libyaml's events, turned into Python objects and built into data one by
one, cost some 100 microseconds per relationship: minutes for a million.
Most knowledge files, and all large ones a program writes, use a small part
of YAML: block mappings and lists, one-line plain or quoted scalars without
escapes, one-line flow lists, comments. `FastReader` reads exactly that
part, line by line, several times faster, and builds the same data with the
same positions (tests/test_scan.py compares the two on generated files). It
gives up (`Unsupported`) on anything else -- an anchor, a tag, a block or
multi-line scalar, an escape, a tab, a duplicate key, an empty value,
anything it would have to guess -- and `aideps.knowledge.stream` then starts
again from the top with libyaml. So the fast reader never has to word an
error: a file with any problem is read by the event path, which does.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from yaml.nodes import ScalarNode

from aideps.knowledge.reader import (
    CONSTRUCTOR,
    RESOLVER,
    TAG_BOOL,
    TAG_FLOAT,
    TAG_INT,
    TAG_NULL,
    TAG_STR,
    TAG_VALUE,
    Info,
)
from aideps.knowledge.yamlwords import CONTROL_IN_TEXT


class _FastInfo:
    """reader.Info (what a Locator reads), lighter to make."""

    __slots__ = ("container", "start", "keys", "items")

    def __init__(self, container: Any, start: tuple[int, int]) -> None:
        self.container = container
        self.start = start
        self.keys: dict = {}
        self.items: list = []


class Unsupported(Exception):
    """Outside what the fast reader reads: start again with libyaml."""


# A mapping key the fast reader takes: a plain word, then ':' and a space or the end of the line.
# (YAML allows implicit keys of at most 1024 characters; libyaml words the error.)
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,200}):(?: +|$)")
# Characters that end the fast reader's part of YAML: tabs, other line breaks, a BOM inside.
_SPECIAL = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
# What cannot start a plain scalar the fast reader takes (YAML indicators, quotes, '-').
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
# What a plain scalar inside a flow list may not hold.
_FLOW_PLAIN_BAD = re.compile(r"[\[\]{},:#'\"]")
_MISSING = object()
MAX_FAST_VALUES = 100_000  # per item; more and libyaml (with its limits and messages) reads it
MAX_FAST_DEPTH = 32
_PLAIN_CACHE_MAX = 200_000


class FastReader:
    """Reads the fast part of YAML from `reader`; `records()` gives what
    `reader.Builder` in streaming mode would put in `out`. Raises
    `Unsupported` on anything else. After `records()`: `root`,
    `root_infos`, `root_start`."""

    def __init__(self, reader: Any) -> None:  # stream's chunked text reader: read() -> str
        self.reader = reader
        self.root: dict = {}
        self.root_infos: dict = {}
        self.root_start: tuple[int, int] = (1, 1)
        self.plain: dict[str, Any] = {}
        self.control = CONTROL_IN_TEXT
        self.count = 0

    # -- lines

    def lines(self) -> Iterator[tuple[int, int, str]]:
        """(line number, indentation, text after it) of every line that is not blank or a comment."""
        lineno = 0
        pending = ""
        special = _SPECIAL.search
        control = self.control.search if self.control is not None else None
        while True:
            chunk = self.reader.read()
            if not chunk:
                break
            if special(chunk) or (control is not None and control(chunk)):
                raise Unsupported  # (a control character the builder refuses: its message)
            parts = (pending + chunk).split("\n")
            pending = parts.pop()
            for line in parts:
                lineno += 1
                text = line.lstrip(" ")
                if text and text[0] != "#":
                    yield lineno, len(line) - len(text), text
        if pending:
            lineno += 1
            text = pending.lstrip(" ")
            if text and text[0] != "#":
                yield lineno, len(pending) - len(text), text

    # -- scalars

    def scalar_plain(self, text: str) -> Any:
        """A plain scalar as reader.Builder.scalar makes it (YAML 1.1 resolution, no timestamps)."""
        try:
            return self.plain[text]
        except KeyError:
            pass
        tag = RESOLVER.resolve(ScalarNode, text, (True, False))
        if tag == TAG_STR or tag == TAG_VALUE:
            value: Any = text
        elif tag == TAG_NULL:
            value = None
        elif tag in (TAG_INT, TAG_FLOAT, TAG_BOOL):
            if len(text) > 100:
                raise Unsupported
            node = ScalarNode(tag, text)
            try:
                if tag == TAG_INT:
                    value = CONSTRUCTOR.construct_yaml_int(node)
                elif tag == TAG_FLOAT:
                    value = CONSTRUCTOR.construct_yaml_float(node)
                else:
                    value = CONSTRUCTOR.construct_yaml_bool(node)
            except (ValueError, KeyError, TypeError):
                raise Unsupported from None
        else:
            raise Unsupported
        if len(self.plain) < _PLAIN_CACHE_MAX and len(text) <= 80:
            self.plain[text] = value
        return value

    def quoted(self, rest: str) -> tuple[str, int]:
        """A one-line quoted scalar at the start of `rest`: (its value, where it ends)."""
        quote = rest[0]
        if quote == '"':
            end = rest.find('"', 1)
            if end < 0:
                raise Unsupported
            value = rest[1:end]
            if "\\" in value:
                raise Unsupported  # escapes: libyaml's
        else:
            end = 1
            while True:
                end = rest.find("'", end)
                if end < 0:
                    raise Unsupported
                if rest.startswith("''", end):
                    end += 2
                    continue
                break
            value = rest[1:end].replace("''", "'")
        return value, end + 1

    @staticmethod
    def after(rest: str, end: int) -> None:
        """Only a comment (after a space) may follow a value that ends at `end`."""
        tail = rest[end:]
        if tail and (tail[0] != " " or tail.lstrip(" ")[:1] not in ("", "#")):
            raise Unsupported

    def inline(self, rest: str, line: int, col0: int, infos: dict) -> tuple[Any, tuple[int, int]]:
        """The value written on the line after a key or '- ' (at 0-based column col0)."""
        pos = (line, col0 + 1)
        first = rest[0]
        if first == '"' or first == "'":
            value, end = self.quoted(rest)
            self.after(rest, end)
            return value, pos
        if first == "[":
            return self.flow(rest, line, col0, infos), pos
        if first in _PLAIN_START:
            raise Unsupported
        cut = rest.find(" #")
        if cut >= 0:
            rest = rest[:cut]
        text = rest.rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise Unsupported
        return self.scalar_plain(text), pos

    def flow(self, rest: str, line: int, col0: int, infos: dict) -> list:
        """A one-line flow list of scalars: [a, "b c", 'd']."""
        items: list = []
        info = _FastInfo(items, (line, col0 + 1))
        infos[id(items)] = info
        i = 1
        n = len(rest)
        while True:
            while i < n and rest[i] == " ":
                i += 1
            if i >= n:
                raise Unsupported
            c = rest[i]
            if c == "]":
                if items:
                    raise Unsupported  # a trailing comma
                end = i + 1
                break
            if c == '"' or c == "'":
                value, length = self.quoted(rest[i:])
                start = i
                i += length
            else:
                j = i
                while j < n and rest[j] not in ",]":
                    j += 1
                text = rest[i:j].rstrip(" ")
                if not text or text[0] in _PLAIN_START or _FLOW_PLAIN_BAD.search(text):
                    raise Unsupported
                value = self.scalar_plain(text)
                start = i
                i = j
            items.append(value)
            info.items.append((line, col0 + start + 1))
            self.count += 1
            while i < n and rest[i] == " ":
                i += 1
            if i < n and rest[i] == ",":
                i += 1
                continue
            if i < n and rest[i] == "]":
                end = i + 1
                break
            raise Unsupported
        self.after(rest, end)
        return items

    # -- blocks

    def mapping(self, lines: list, i: int, indent: int, first: tuple, infos: dict, depth: int) -> tuple[dict, int]:
        """A block mapping whose keys sit at column `indent`, the first one
        being `first` (line, column, text); lines[i:] follow it."""
        if depth > MAX_FAST_DEPTH:
            raise Unsupported
        mapping: dict = {}
        line, col0, text = first
        info = _FastInfo(mapping, (line, col0 + 1))
        infos[id(mapping)] = info
        keys = info.keys
        n = len(lines)
        key_match = _KEY.match
        plain = self.plain
        plain_start = _PLAIN_START
        while True:
            match = key_match(text)
            if match is None:
                raise Unsupported
            word = match.group(1)
            key = plain.get(word) or self.scalar_plain(word)  # (a key is never empty)
            if key.__class__ is not str or key in mapping:
                raise Unsupported  # a key YAML reads as another type; a duplicate
            end = match.end()
            if end < len(text) and text[end] != "#":
                # The common values inline: a plain scalar, a quoted one without escapes.
                rest = text[end:]
                first_char = rest[0]
                if first_char == '"':
                    close = rest.find('"', 1)
                    if close < 0:
                        raise Unsupported
                    value = rest[1:close]
                    if "\\" in value:
                        raise Unsupported
                    if close + 1 < len(rest):
                        self.after(rest, close + 1)
                    vpos = (line, col0 + end + 1)
                elif first_char in plain_start:
                    value, vpos = self.inline(rest, line, col0 + end, infos)
                else:
                    if " #" in rest:
                        rest = rest[: rest.find(" #")]
                    rest = rest.rstrip(" ")
                    if ": " in rest or rest[-1] == ":":
                        raise Unsupported
                    value = plain.get(rest, _MISSING)
                    if value is _MISSING:
                        value = self.scalar_plain(rest)
                    vpos = (line, col0 + end + 1)
            else:
                if i >= n:
                    raise Unsupported  # an empty value
                nline, nindent, ntext = lines[i]
                vpos = (nline, nindent + 1)
                if ntext.startswith("- ") and nindent >= indent:
                    value, i = self.sequence(lines, i, nindent, infos, depth + 1)
                elif nindent > indent:
                    value, i = self.mapping(lines, i + 1, nindent, lines[i], infos, depth + 1)
                else:
                    raise Unsupported
            mapping[key] = value
            keys[key] = ((line, col0 + 1), vpos)
            if i >= n:
                return mapping, i
            line, nindent, text = lines[i]
            if nindent < indent:
                return mapping, i
            if nindent > indent or text.startswith("-"):
                raise Unsupported  # a continuation line, a key out of line, a list where a key belongs
            col0 = indent
            i += 1

    def sequence(self, lines: list, i: int, indent: int, infos: dict, depth: int) -> tuple[list, int]:
        """A block list whose '- ' sit at column `indent`, from lines[i]."""
        if depth > MAX_FAST_DEPTH:
            raise Unsupported
        items: list = []
        line, _, _ = lines[i]
        info = _FastInfo(items, (line, indent + 1))
        infos[id(items)] = info
        n = len(lines)
        while i < n:
            line, nindent, text = lines[i]
            if nindent != indent or not text.startswith("- "):
                if nindent > indent:
                    raise Unsupported
                break
            value, pos, i = self.entry(lines, i, infos, depth)
            items.append(value)
            info.items.append(pos)
        return items, i

    def entry(self, lines: list, i: int, infos: dict, depth: int) -> tuple[Any, tuple[int, int], int]:
        """The node after the '- ' of lines[i]: (value, position, next line)."""
        line, indent, text = lines[i]
        rest = text[2:]
        stripped = rest.lstrip(" ")
        col0 = indent + 2 + len(rest) - len(stripped)
        if not stripped or stripped.startswith("-"):
            raise Unsupported
        if _KEY.match(stripped):
            value, i = self.mapping(lines, i + 1, col0, (line, col0, stripped), infos, depth + 1)
            return value, (line, col0 + 1), i
        value, pos = self.inline(stripped, line, col0, infos)
        return value, pos, i + 1

    # -- the document

    def records(self) -> Iterator[tuple]:
        root = self.root
        root_info = Info(root, (1, 1))
        self.root_infos[id(root)] = root_info
        lines = self.lines()
        current = next(lines, None)
        if current is None:
            raise Unsupported  # empty: libyaml says so
        self.root_start = root_info.start = (current[0], current[1] + 1)
        while current is not None:
            line, indent, text = current
            match = _KEY.match(text) if indent == 0 else None
            if match is None:
                raise Unsupported
            key = self.scalar_plain(match.group(1))
            if not isinstance(key, str) or key in root:
                raise Unsupported
            rest = text[match.end() :]
            key_pos = (line, 1)
            if rest and rest[0] != "#":
                if rest.startswith("["):
                    infos: dict = {}
                    value = self.flow(rest, line, match.end(), infos)
                    if value:
                        raise Unsupported  # items of a top-level flow list: libyaml
                    self.root_infos.update(infos)
                    root[key] = value
                    root_info.keys[key] = (key_pos, (line, match.end() + 1))
                    yield ("end", (key,), 0)
                else:
                    value, vpos = self.inline(rest, line, match.end(), self.root_infos)
                    root[key] = value
                    root_info.keys[key] = (key_pos, vpos)
                current = next(lines, None)
                continue
            current = next(lines, None)
            if current is None or not current[2].startswith("- "):
                raise Unsupported  # an empty value, or a mapping under a top-level key
            seq_indent = current[1]
            section: list = []
            self.root_infos[id(section)] = Info(section, (current[0], seq_indent + 1))
            root[key] = section
            root_info.keys[key] = (key_pos, (current[0], seq_indent + 1))
            while current is not None and current[1] == seq_indent and current[2].startswith("- "):
                item = [current]
                current = next(lines, None)
                while current is not None and current[1] > seq_indent:
                    item.append(current)
                    current = next(lines, None)
                infos = {}
                self.count = 0
                value, pos, end = self.entry(item, 0, infos, 1)
                if end != len(item) or self.count > MAX_FAST_VALUES:
                    raise Unsupported
                index = len(section)
                section.append(None)
                yield ("item", (key, index), value, pos, infos, set())
            if current is not None and current[1] != 0:
                raise Unsupported
            yield ("end", (key,), len(section))

