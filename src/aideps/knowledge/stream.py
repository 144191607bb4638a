"""Reading a knowledge file's YAML one top-level item at a time.

`aideps.knowledge.reader.parse` builds the whole document, which a file of a
million relationships cannot afford (the data, plus a position for every
node, is some 60 times the file's size). `Stream` reads the same event
stream with the same builder (`reader.Builder`, in streaming mode) and hands
out each item of the top-level lists (`sources`, `entities`,
`relationships`) as soon as it is complete, with the positions of its nodes,
then forgets it. Memory is that of the largest item.

What `parse` checks on the whole text before parsing (encoding, byte-order
marks, characters YAML does not allow) is checked here chunk by chunk as the
file is read, with the same messages at the same positions
(`aideps.knowledge.yamlwords`); as with `parse`, a file with such problems
reports only those. The safety limits are the builder's: nesting depth,
values per item (aliases included) and values added by aliases over the
whole file.

Also here: the bytes read are hashed (the content hash that keys the index)
and reported to a progress callback.

Most files are read by the fast reader (`aideps.knowledge.fastyaml`), which
gives up on anything outside the simple part of YAML it reads; the stream
then starts again from the top with libyaml's events (a `Restart` record
tells the consumer to forget what it was given).
"""

from __future__ import annotations

import codecs
import os
from collections import ChainMap
from typing import IO, Any, Callable, Iterator

import yaml

from aideps.knowledge.fastyaml import FastReader, Unsupported
from aideps.knowledge.problems import Problem
from aideps.knowledge.reader import Builder, Fatal, Item, Locator, SectionEnd, event_parser, run_events
from aideps.knowledge.yamlwords import (
    MAX_CHAR_PROBLEMS,
    NON_PRINTABLE,
    bad_byte_problem,
    character_problem,
    head_problem,
    runaway_quote,
    syntax_problem,
)

ENV_NO_FAST = "AIDEPS_NO_FAST_YAML"  # set to read every file with libyaml's events

CHUNK = 1 << 20


class _Reader:
    """The file as text for the YAML parser (`read()`), decoded and checked
    chunk by chunk. After the first problem the parser gets no more text
    (it sees the end of the file); `drain()` reads the rest for the other
    problems `reader.parse` would report."""

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
        """What `reader.parse` reports before parsing: encoding, then characters."""
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
                self.head_problem = head_problem(data, self.filename)
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
        for match in NON_PRINTABLE.finditer(text):
            if len(self.char_problems) == MAX_CHAR_PROBLEMS:
                break
            index = match.start()
            line = self.lines + text.count("\n", 0, index) + 1
            last = text.rfind("\n", 0, index)
            col = index - last if last >= 0 else self.col + index + 1
            self.char_problems.append(character_problem(self.filename, line, col, match.group()))

    def _decode_failed(self, exc: UnicodeDecodeError) -> None:
        """The message of `yamlwords.decode`, at the same place, counting the bad bytes after it."""
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
        self.decode_problem = bad_byte_problem(self.filename, line, col, data[exc.start : exc.start + 1], more)
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
    when asked: what `yamlwords.syntax_problem` needs to word a syntax error,
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


class Restart:
    """The fast reader gave up: forget every record so far; the file is read
    again from the top."""

    __slots__ = ()


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
            fast = FastReader(reader)
            try:
                for record in fast.records():
                    yield self._record(record, None, None)
            except Unsupported:
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
        return Item(path[0] if len(path) > 1 else None, path[-1], value, pos, locator, dropped)

    def _events(self) -> Iterator[Item | SectionEnd]:
        reader = self._reader()
        builder = Builder(self.filename)
        builder.streaming = True
        # Items that define an anchor keep their positions: a later alias
        # may repeat their nodes.
        anchored: dict = {}
        has_anchor = False
        fatal: Problem | None = None
        parser = event_parser(reader, use_libyaml=self.use_libyaml)  # type: ignore[arg-type]
        try:
            for event in run_events(builder, parser):
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
        except Fatal as exc:
            fatal = exc.problem
        except yaml.YAMLError as exc:
            reader.drain()
            if not reader.problems:
                fatal = syntax_problem(exc, "", self.filename, lines=_FileLines(self.fh))
                fatal = runaway_quote(fatal, builder.last_scalar, self.filename)
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


__all__ = ["Item", "Restart", "SectionEnd", "Stream"]
