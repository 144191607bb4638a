"""Reading a knowledge file's YAML one top-level item at a time.

`aideps.load.parse` builds the whole document, which a file of a million
relationships cannot afford (the data, plus a position for every node, is
some 60 times the file's size). `Stream` reads the same event stream with
the same builder (`load._Builder`, in streaming mode) and hands out each item
of the top-level lists (`sources`, `entities`, `relationships`) as soon as it
is complete, with the positions of its nodes, then forgets it. Memory is that
of the largest item.

What `parse` checks on the whole text before parsing (encoding, byte-order
marks, characters YAML does not allow) is checked here chunk by chunk as the
file is read, with the same messages at the same positions; as with `parse`,
a file with such problems reports only those. The safety limits are the
builder's: nesting depth, values per item (aliases included) and values
added by aliases over the whole file.

Also here: the bytes read are hashed (the content hash that keys the index)
and reported to a progress callback.

The fast reader. libyaml's events, turned into Python objects and built into
data one by one, cost some 100 microseconds per relationship: minutes for a
million. Most knowledge files, and all large ones a program writes, use a
small part of YAML: block mappings and lists, one-line plain or quoted
scalars without escapes, one-line flow lists, comments. `_FastReader` reads
exactly that part, line by line, several times faster, and builds the same
data with the same positions (tests/test_stream.py compares the two on
generated files). It gives up on anything else -- an anchor, a tag, a block
or multi-line scalar, an escape, a tab, a duplicate key, an empty value,
anything it would have to guess -- and the stream then starts again from the
top with libyaml (a `Restart` record tells the consumer to forget what it
was given). So the fast reader never has to word an error: a file with any
problem is read by the event path, which does.
"""

from __future__ import annotations

import codecs
import os
import re
from collections import ChainMap
from typing import IO, Any, Callable, Iterator

import yaml
from yaml.nodes import ScalarNode

from aideps.knowledge import reader as load
from aideps.knowledge.reader import (
    _BOOL,
    _FLOAT,
    _INT,
    _NON_PRINTABLE,
    _NULL,
    _STR,
    _VALUE,
    MAX_CHAR_PROBLEMS,
    Locator,
    _Builder,
    _event_parser,
    _Fatal,
    _Info,
    _syntax_problem,
)
from aideps.knowledge.problems import Problem

ENV_NO_FAST = "AIDEPS_NO_FAST_YAML"  # set to read every file with libyaml's events

CHUNK = 1 << 20


def _head_problem(head: bytes, filename: str) -> Problem | None:
    """The byte-order-mark and UTF-16 checks `load._decode` makes on the first bytes."""
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


class _Reader:
    """The file as text for the YAML parser (`read()`), decoded and checked
    chunk by chunk. After the first problem the parser gets no more text
    (it sees the end of the file); `drain()` reads the rest for the other
    problems `load.parse` would report."""

    def __init__(
        self,
        fh: IO[bytes],
        filename: str,
        on_bytes: Callable[[int], None] | None = None,
        hasher: Any = None,
    ) -> None:
        self.fh = fh
        self.name = filename
        self.filename = filename
        self.on_bytes = on_bytes
        self.hasher = hasher
        self.bytes_read = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.first = True
        self.eof = False
        self.stopped = False  # the parser gets no more text
        self.decode_problem: Problem | None = None
        self.char_problems: list[Problem] = []
        self.head_problem: Problem | None = None
        self.lines = 0  # "\n" in the text so far
        self.col = 0  # characters since the last "\n"

    @property
    def problems(self) -> list[Problem]:
        """What `load.parse` reports before parsing: encoding, then characters."""
        if self.head_problem is not None:
            return [self.head_problem]
        if self.decode_problem is not None:
            return [self.decode_problem]
        return list(self.char_problems)

    def _raw(self) -> bytes:
        data = self.fh.read(CHUNK)
        if data:
            self.bytes_read += len(data)
            if self.hasher is not None:
                self.hasher.update(data)
            if self.on_bytes is not None:
                self.on_bytes(self.bytes_read)
        return data

    def _next_text(self) -> str | None:
        """The next decoded, checked text; "" at the end; None when there is
        nothing more to read as YAML (a problem was found)."""
        while True:
            data = self._raw()
            if self.first:
                self.first = False
                while data and len(data) < 200:
                    more = self._raw()
                    if not more:
                        break
                    data += more
                self.head_problem = _head_problem(data, self.filename)
                if self.head_problem is not None:
                    self.eof = True
                    return None
                if data.startswith(codecs.BOM_UTF8):
                    data = data[len(codecs.BOM_UTF8) :]
            final = not data
            buffered = self.decoder.getstate()[0]
            try:
                text = self.decoder.decode(data, final=final)
            except UnicodeDecodeError as exc:
                self._decode_failed(exc)
                return None
            if final:
                self.eof = True
            if len(self.char_problems) < MAX_CHAR_PROBLEMS:
                self._check_characters(text)
            if "\n" in text:
                self.lines += text.count("\n")
                self.col = len(text) - text.rfind("\n") - 1
            else:
                self.col += len(text)
            del buffered
            if self.char_problems:
                return None
            if text or final:
                return text

    def _check_characters(self, text: str) -> None:
        for match in _NON_PRINTABLE.finditer(text):
            if len(self.char_problems) == MAX_CHAR_PROBLEMS:
                break
            index = match.start()
            line = self.lines + text.count("\n", 0, index) + 1
            last = text.rfind("\n", 0, index)
            col = index - last if last >= 0 else self.col + index + 1
            self.char_problems.append(
                Problem(
                    self.filename,
                    line,
                    col,
                    f"character U+{ord(match.group()):04X} is not allowed in YAML (a control or non-character); remove it",
                )
            )

    def _decode_failed(self, exc: UnicodeDecodeError) -> None:
        """The message of `load._decode`, at the same place, counting the bad bytes after it."""
        data = exc.object
        before = data[: exc.start].decode("utf-8")
        line = self.lines + before.count("\n") + 1
        last = before.rfind("\n")
        col = len(before) - last if last >= 0 else self.col + len(before) + 1
        rest = codecs.getincrementaldecoder("utf-8")("replace")
        more = rest.decode(data[exc.end :]).count("\ufffd")
        while True:
            chunk = self._raw()
            more += rest.decode(chunk, final=not chunk).count("\ufffd")
            if not chunk:
                break
        extra = f" ({more} more bad byte{'s' if more != 1 else ''} after it)" if more else ""
        byte = data[exc.start : exc.start + 1].hex().upper()
        self.decode_problem = Problem(
            self.filename,
            line,
            col,
            f"invalid UTF-8: byte 0x{byte} cannot be decoded{extra}; "
            "the file may be in Latin-1 or Windows-1252: save the file as UTF-8",
        )
        self.eof = True

    def read(self, size: int = -1) -> str:
        """For the YAML parser: the next chunk of text, "" at the end."""
        if self.stopped or self.eof:
            return ""
        text = self._next_text()
        if text is None:
            self.stopped = True
            return ""
        return text

    def drain(self) -> None:
        """Read what the parser did not, for encoding and character problems."""
        self.stopped = True
        while not self.eof:
            self._next_text()


class _FileLines:
    """The lines of the file's text (`str.splitlines`), read from the file
    when asked: what `load._syntax_problem` needs to word a syntax error,
    without holding a large file in memory."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self._len: int | None = None

    def _iter(self) -> Iterator[str]:
        self.fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8-sig")("replace")
        pending = ""
        while True:
            raw = self.fh.read(CHUNK)
            text = pending + decoder.decode(raw, final=not raw)
            parts = text.splitlines(keepends=True)
            pending = ""
            if raw and parts:
                last = parts[-1]
                # An unfinished line, or a CR whose LF may be in the next chunk.
                if last.endswith("\r") or len(last.splitlines()[0]) == len(last):
                    pending = parts.pop()
            for part in parts:
                yield part.splitlines()[0]
            if not raw:
                return

    def __len__(self) -> int:
        if self._len is None:
            self._len = sum(1 for _ in self._iter())
        return self._len

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            if index.start not in (None, 0) or index.step not in (None, 1) or index.stop is None:
                raise ValueError("only lines[:n]")
            return (line for n, line in zip(range(index.stop), self._iter()))
        for n, line in enumerate(self._iter()):
            if n == index:
                return line
        raise IndexError(index)


class Item:
    """One item of a top-level list: `section` is the list's key (None for
    a root list), `index` its place, `value` the data, `pos` its (line,
    column), `locator` the positions of its nodes by path from the item, and
    `infos` the position records of its own containers (by id)."""

    __slots__ = ("section", "index", "value", "pos", "locator", "dropped", "infos")

    def __init__(
        self, section: Any, index: int, value: Any, pos: tuple, locator: Locator, dropped: set, infos: dict | None = None
    ) -> None:
        self.section = section
        self.index = index
        self.value = value
        self.pos = pos
        self.locator = locator
        self.dropped = dropped
        self.infos = {} if infos is None else infos


class _FastInfo:
    """load._Info (what a Locator reads), lighter to make."""

    __slots__ = ("container", "start", "keys", "items")

    def __init__(self, container: Any, start: tuple[int, int]) -> None:
        self.container = container
        self.start = start
        self.keys: dict = {}
        self.items: list = []


class Restart:
    """The fast reader gave up: forget every record so far; the file is read
    again from the top."""

    __slots__ = ()


class SectionEnd:
    """The end of a streamed top-level list, after `count` items."""

    __slots__ = ("section", "count")

    def __init__(self, section: Any, count: int) -> None:
        self.section = section
        self.count = count


class Stream:
    """`for record in Stream(fh, filename)`: `Item`s and `SectionEnd`s, in
    file order. After the loop:

    * `failed`: the file could not be read as YAML (what makes `parse` return
      no data); `problems` then says why, and nothing handed out counts;
    * `problems`: the reader's problems (duplicate keys, refused tags, ...);
    * `root`: the root value, with each streamed list as a list of None (one
      per item), and `locator`, the positions of everything outside them;
    * `bytes_read`.
    """

    def __init__(
        self,
        fh: IO[bytes],
        filename: str,
        *,
        use_libyaml: bool | None = None,
        on_bytes: Callable[[int], None] | None = None,
        hasher: Callable[[], Any] | None = None,
        fast: bool | None = None,
    ) -> None:
        self.fh = fh
        self.filename = filename
        self.use_libyaml = use_libyaml
        self.on_bytes = on_bytes
        self.new_hasher = hasher
        self.hasher: Any = None  # of the last pass: the hash of the content read
        self.fast = not os.environ.get(ENV_NO_FAST) if fast is None else fast
        self.fast_used = False  # the fast reader read the whole file
        self.failed = False
        self.problems: list[Problem] = []
        self.root: Any = None
        self.locator = Locator(None, {}, (1, 1))
        self.bytes_read = 0

    def _reader(self) -> _Reader:
        self.hasher = self.new_hasher() if self.new_hasher is not None else None
        return _Reader(self.fh, self.filename, self.on_bytes, self.hasher)

    def __iter__(self) -> Iterator[Item | SectionEnd | Restart]:
        if self.fast:
            start = self.fh.tell()
            reader = self._reader()
            fast = _FastReader(reader)
            try:
                for record in fast.records():
                    yield self._record(record, None, None)
            except _Unsupported:
                yield Restart()
                self.fh.seek(start)
            else:
                reader.drain()
                self.bytes_read = reader.bytes_read
                if reader.problems:
                    self.failed = True
                    self.problems = reader.problems
                    return
                self.fast_used = True
                self.root = fast.root
                self.locator = Locator(fast.root, fast.root_infos, fast.root_start)
                self.locator.dropped = set()
                return
        yield from self._events()

    def _record(self, record: tuple, anchored: dict | None, root_infos: dict | None) -> Item | SectionEnd:
        if record[0] == "end":
            path = record[1]
            return SectionEnd(path[0] if path else None, record[2])
        _, path, value, pos, infos, dropped = record
        if root_infos is None:  # the fast reader: no aliases, the item's own nodes are all there is
            chain: Any = infos
        else:  # an alias may repeat nodes of an earlier item or from outside the lists
            chain = ChainMap(infos, anchored, root_infos) if anchored else ChainMap(infos, root_infos)
        locator = Locator(value, chain, pos)
        locator.dropped = dropped
        return Item(path[0] if len(path) > 1 else None, path[-1], value, pos, locator, dropped, infos)

    def _events(self) -> Iterator[Item | SectionEnd]:
        reader = self._reader()
        builder = _Builder(self.filename)
        builder.streaming = True
        # Items that define an anchor keep their positions: a later alias
        # may repeat their nodes.
        anchored: dict = {}
        has_anchor = False
        fatal: Problem | None = None
        parser = _event_parser(reader, use_libyaml=self.use_libyaml)  # type: ignore[arg-type]
        try:
            for event in load.run_events(builder, parser):
                if getattr(event, "anchor", None) is not None and not isinstance(event, yaml.AliasEvent):
                    has_anchor = True
                if builder.out:
                    out = builder.out[:]
                    builder.out.clear()
                    for record in out:
                        if record[0] == "item" and has_anchor:
                            anchored.update(record[4])
                            has_anchor = False
                        yield self._record(record, anchored, builder.root_infos)
        except _Fatal as exc:
            fatal = exc.problem
        except yaml.YAMLError as exc:
            reader.drain()
            if not reader.problems:
                fatal = _syntax_problem(exc, "", self.filename, lines=_FileLines(self.fh))
                fatal = load._runaway_quote(fatal, builder.last_scalar, self.filename)
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()
        reader.drain()
        self.bytes_read = reader.bytes_read
        if reader.problems:
            self.failed = True
            self.problems = reader.problems
            return
        self.problems = list(builder.problems)
        if fatal is not None:
            self.failed = True
            self.problems.append(fatal)
            return
        self.root = builder.root
        if builder.root is None:
            self.failed = True  # an empty document: `parse` gives no data either
        self.locator = Locator(builder.root, builder.root_infos, builder.root_start)
        self.locator.dropped = builder.root_dropped


# ---------------------------------------------------------------------------
# The fast reader


class _Unsupported(Exception):
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


class _FastReader:
    """Reads the fast part of YAML from `reader`; `records()` gives what
    `load._Builder` in streaming mode would put in `out`. Raises
    `_Unsupported` on anything else. After `records()`: `root`,
    `root_infos`, `root_start`."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.root: dict = {}
        self.root_infos: dict = {}
        self.root_start: tuple[int, int] = (1, 1)
        self.plain: dict[str, Any] = {}
        self.control = getattr(load, "_CONTROL_IN_TEXT", None)
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
                raise _Unsupported  # (a control character the builder refuses: its message)
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
        """A plain scalar as load._Builder.scalar makes it (YAML 1.1 resolution, no timestamps)."""
        try:
            return self.plain[text]
        except KeyError:
            pass
        tag = load._RESOLVER.resolve(ScalarNode, text, (True, False))
        if tag == _STR or tag == _VALUE:
            value: Any = text
        elif tag == _NULL:
            value = None
        elif tag in (_INT, _FLOAT, _BOOL):
            if len(text) > 100:
                raise _Unsupported
            node = ScalarNode(tag, text)
            try:
                if tag == _INT:
                    value = load._CONSTRUCTOR.construct_yaml_int(node)
                elif tag == _FLOAT:
                    value = load._CONSTRUCTOR.construct_yaml_float(node)
                else:
                    value = load._CONSTRUCTOR.construct_yaml_bool(node)
            except (ValueError, KeyError, TypeError):
                raise _Unsupported from None
        else:
            raise _Unsupported
        if len(self.plain) < _PLAIN_CACHE_MAX and len(text) <= 80:
            self.plain[text] = value
        return value

    def quoted(self, rest: str) -> tuple[str, int]:
        """A one-line quoted scalar at the start of `rest`: (its value, where it ends)."""
        quote = rest[0]
        if quote == '"':
            end = rest.find('"', 1)
            if end < 0:
                raise _Unsupported
            value = rest[1:end]
            if "\\" in value:
                raise _Unsupported  # escapes: libyaml's
        else:
            end = 1
            while True:
                end = rest.find("'", end)
                if end < 0:
                    raise _Unsupported
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
            raise _Unsupported

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
            raise _Unsupported
        cut = rest.find(" #")
        if cut >= 0:
            rest = rest[:cut]
        text = rest.rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise _Unsupported
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
                raise _Unsupported
            c = rest[i]
            if c == "]":
                if items:
                    raise _Unsupported  # a trailing comma
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
                    raise _Unsupported
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
            raise _Unsupported
        self.after(rest, end)
        return items

    # -- blocks

    def mapping(self, lines: list, i: int, indent: int, first: tuple, infos: dict, depth: int) -> tuple[dict, int]:
        """A block mapping whose keys sit at column `indent`, the first one
        being `first` (line, column, text); lines[i:] follow it."""
        if depth > MAX_FAST_DEPTH:
            raise _Unsupported
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
                raise _Unsupported
            word = match.group(1)
            key = plain.get(word) or self.scalar_plain(word)  # (a key is never empty)
            if key.__class__ is not str or key in mapping:
                raise _Unsupported  # a key YAML reads as another type; a duplicate
            end = match.end()
            if end < len(text) and text[end] != "#":
                # The common values inline: a plain scalar, a quoted one without escapes.
                rest = text[end:]
                first_char = rest[0]
                if first_char == '"':
                    close = rest.find('"', 1)
                    if close < 0:
                        raise _Unsupported
                    value = rest[1:close]
                    if "\\" in value:
                        raise _Unsupported
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
                        raise _Unsupported
                    value = plain.get(rest, _MISSING)
                    if value is _MISSING:
                        value = self.scalar_plain(rest)
                    vpos = (line, col0 + end + 1)
            else:
                if i >= n:
                    raise _Unsupported  # an empty value
                nline, nindent, ntext = lines[i]
                vpos = (nline, nindent + 1)
                if ntext.startswith("- ") and nindent >= indent:
                    value, i = self.sequence(lines, i, nindent, infos, depth + 1)
                elif nindent > indent:
                    value, i = self.mapping(lines, i + 1, nindent, lines[i], infos, depth + 1)
                else:
                    raise _Unsupported
            mapping[key] = value
            keys[key] = ((line, col0 + 1), vpos)
            if i >= n:
                return mapping, i
            line, nindent, text = lines[i]
            if nindent < indent:
                return mapping, i
            if nindent > indent or text.startswith("-"):
                raise _Unsupported  # a continuation line, a key out of line, a list where a key belongs
            col0 = indent
            i += 1

    def sequence(self, lines: list, i: int, indent: int, infos: dict, depth: int) -> tuple[list, int]:
        """A block list whose '- ' sit at column `indent`, from lines[i]."""
        if depth > MAX_FAST_DEPTH:
            raise _Unsupported
        items: list = []
        line, _, _ = lines[i]
        info = _FastInfo(items, (line, indent + 1))
        infos[id(items)] = info
        n = len(lines)
        while i < n:
            line, nindent, text = lines[i]
            if nindent != indent or not text.startswith("- "):
                if nindent > indent:
                    raise _Unsupported
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
            raise _Unsupported
        if _KEY.match(stripped):
            value, i = self.mapping(lines, i + 1, col0, (line, col0, stripped), infos, depth + 1)
            return value, (line, col0 + 1), i
        value, pos = self.inline(stripped, line, col0, infos)
        return value, pos, i + 1

    # -- the document

    def records(self) -> Iterator[tuple]:
        root = self.root
        root_info = _Info(root, (1, 1))
        self.root_infos[id(root)] = root_info
        lines = self.lines()
        current = next(lines, None)
        if current is None:
            raise _Unsupported  # empty: libyaml says so
        self.root_start = root_info.start = (current[0], current[1] + 1)
        while current is not None:
            line, indent, text = current
            match = _KEY.match(text) if indent == 0 else None
            if match is None:
                raise _Unsupported
            key = self.scalar_plain(match.group(1))
            if not isinstance(key, str) or key in root:
                raise _Unsupported
            rest = text[match.end() :]
            key_pos = (line, 1)
            if rest and rest[0] != "#":
                if rest.startswith("["):
                    infos: dict = {}
                    value = self.flow(rest, line, match.end(), infos)
                    if value:
                        raise _Unsupported  # items of a top-level flow list: libyaml
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
                raise _Unsupported  # an empty value, or a mapping under a top-level key
            seq_indent = current[1]
            section: list = []
            self.root_infos[id(section)] = _Info(section, (current[0], seq_indent + 1))
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
                    raise _Unsupported
                index = len(section)
                section.append(None)
                yield ("item", (key, index), value, pos, infos, set())
            if current is not None and current[1] != 0:
                raise _Unsupported
            yield ("end", (key,), len(section))


__all__ = ["Item", "Restart", "SectionEnd", "Stream"]
