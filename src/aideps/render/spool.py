"""The lines a text answer prints, until they are written (aideps.render.lite).

A text answer is drawn whole before its first byte is written, so that
Rich can still take over when the plain kit cannot draw something
(lite.Unsupported). A large file's answer (a diff, a timeline of a million
events) is then not held in memory: past `Spool.LINES`, its lines go to a
temporary file, read back in pieces when the answer is written.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import IO, Iterable, Iterator


class Spool:
    """Lines: held while they are few; past LINES, written (as `joined`
    writes them) to a temporary file that is deleted when it is closed.
    Where no temporary file can be made or written (no room), they are held,
    as they all were before."""

    LINES = 20_000

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.file: "IO[bytes] | None" = None
        self.held = False  # the file failed: hold the rest

    def append(self, line: str) -> None:
        self.lines.append(line)
        if len(self.lines) >= self.LINES:
            self._spill()

    def extend(self, lines: "Iterable[str]") -> None:
        if isinstance(lines, list):
            self.lines.extend(lines)
        else:  # a table's rows, drawn as they are read
            for line in lines:
                self.lines.append(line)
                if len(self.lines) >= self.LINES:
                    self._spill()
        if len(self.lines) >= self.LINES:
            self._spill()

    def _spill(self) -> None:
        if self.held:
            return
        try:
            if self.file is None:
                import tempfile

                self.file = tempfile.TemporaryFile("w+b")
            end = self.file.tell()
        except OSError:
            self.held = True
            return
        try:
            for piece in joined(list(self.lines)):  # (a copy: the lines stay, should there be no room)
                # (surrogatepass: whatever a str holds is read back as it was.)
                self.file.write(piece.encode("utf-8", "surrogatepass"))
            self.file.flush()
        except OSError:  # no room: what this wrote is taken back, and the lines held
            self.file.seek(end)
            self.file.truncate()
            self.held = True
            return
        self.lines = []

    def pieces(self) -> "Iterator[str]":
        """The text, in pieces of some thousand lines or 64K characters."""
        if self.file is not None:
            import codecs

            decode = codecs.getincrementaldecoder("utf-8")("surrogatepass").decode
            with self.file:
                self.file.seek(0)
                while True:
                    chunk = self.file.read(1 << 16)
                    if not chunk:
                        break
                    yield decode(chunk)
            rest = decode(b"", final=True)
            if rest:  # pragma: no cover - what was written is whole UTF-8
                yield rest
        yield from joined(self.lines)


def joined(lines: list[str], size: int = 2000) -> "Iterator[str]":
    """The lines, each without its trailing spaces and with a line break, in
    pieces of `size` lines; each taken from `lines` once joined."""
    # Line by line: a regular expression for trailing spaces over the whole
    # text backtracks on every run of padding (a table is mostly padding).
    for start in range(0, len(lines), size):
        block = lines[start : start + size]
        lines[start : start + size] = [""] * len(block)
        yield "".join(f"{line.rstrip(' ')}\n" for line in block)


class Rows:
    """A text table's rows (aideps.render.lite.Table: tuples of strings and
    of its cells' options), in the order added: held while they are few;
    past HELD, written in blocks to a temporary file (aideps.graph.sorting.Blocks)
    and read back a block at a time each time they are iterated. A whole
    file's table (a timeline of a million events) is measured and drawn
    without holding its rows. Where no temporary file can be made or
    written, they are held."""

    HELD = 20_000
    BLOCK = 4_096

    def __init__(self) -> None:
        from aideps.graph.sorting import Blocks

        self.held: list[tuple] = []
        self.blocks = Blocks()
        self.spans: list[tuple[int, int]] = []  # each block written
        self.count = 0
        self.kept: list[int] | None = None  # the columns kept of the rows written (keep_columns)
        self.failed = False

    def __len__(self) -> int:
        return self.count

    def append(self, row: tuple) -> None:
        self.held.append(row)
        self.count += 1
        if len(self.held) >= self.HELD and not self.failed and self.kept is None:
            self._spill()

    def _spill(self) -> None:
        try:
            self.spans.extend(self.blocks.write(self.held, self.BLOCK))
        except (OSError, ValueError):  # no room: the rows are held
            self.failed = True
            return
        self.held = []

    def keep_columns(self, keep: list[int]) -> None:
        """Each row with only the cells (and options) of the columns `keep`."""
        held = self.held
        for n, row in enumerate(held):
            held[n] = _kept(row, keep)
        if self.spans:
            self.kept = keep if self.kept is None else [self.kept[i] for i in keep]

    def chunks(self) -> "Iterator[list[tuple]]":
        """The rows, a block at a time (the held ones last)."""
        kept = self.kept
        for block in self.blocks.read(self.spans) if self.spans else ():
            yield block if kept is None else [_kept(row, kept) for row in block]
        if self.held:
            yield self.held

    def __iter__(self) -> "Iterator[tuple]":
        for block in self.chunks():
            yield from block


def _kept(row: tuple, keep: list[int]) -> tuple:
    texts, options = row
    return (tuple([texts[i] for i in keep]), None if options is None else tuple([options[i] for i in keep]))
