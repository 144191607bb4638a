"""Sorting more records than memory should hold (a whole file's timeline or
diff: a record per event or relationship).

Records are tuples of plain values (what marshal writes: str, int, None,
bool, float, and tuples, lists and dicts of them). While there are few they
are held and sorted in memory; past `Sorter.HELD`, each `HELD` of them is
sorted and written to a temporary file as one run, and the runs are merged
as they are read (heapq.merge): at most a run's block of records per run is
in memory. The order is the one `sorted()` gives; records that tie must
differ somewhere before what cannot be compared (callers put a serial
number before a record's payload).
"""

from __future__ import annotations

import heapq
import marshal

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import IO, Any, Iterator


class Blocks:
    """Lists of records written to one temporary file (marshal), a block at a
    time, and read back; made on the first write, deleted when closed (or
    when this is let go)."""

    def __init__(self) -> None:
        self.file: "IO[bytes] | None" = None

    def write(self, records: list, size: int) -> list[tuple[int, int]]:
        """`records` in blocks of `size`: where each is, (offset, length).
        OSError (no file, no room) or ValueError (a record marshal cannot
        write) leave the file as it was."""
        if self.file is None:
            import tempfile

            self.file = tempfile.TemporaryFile("w+b")
        file = self.file
        end = file.seek(0, 2)
        spans = []
        try:
            for start in range(0, len(records), size):
                data = marshal.dumps(records[start : start + size])
                spans.append((file.tell(), len(data)))
                file.write(data)
            file.flush()
        except (OSError, ValueError):  # what this wrote is taken back
            file.seek(end)
            file.truncate()
            raise
        return spans

    def read(self, spans: list[tuple[int, int]]) -> "Iterator[list]":
        """The blocks at `spans`, in order."""
        file = self.file
        assert file is not None
        for offset, length in spans:
            file.seek(offset)  # (another reader may have read in between)
            yield marshal.loads(file.read(length))

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


class Sorter:
    """Records appended, then read sorted (`sorted()`, as often as asked)."""

    HELD = 50_000  # records held before a run is written (some MiB)
    BLOCK = 4_096  # records written (and read back) at once

    def __init__(self) -> None:
        self.held: list[tuple] = []
        self.blocks = Blocks()
        self.runs: list[list[tuple[int, int]]] = []  # each run's blocks
        self.count = 0
        self.failed = False  # no run could be written: the rest are held
        self._ready = False

    def append(self, record: tuple) -> None:
        self.held.append(record)
        self.count += 1
        if len(self.held) >= self.HELD and not self.failed:
            self._spill()

    def __len__(self) -> int:
        return self.count

    def _spill(self) -> None:
        self.held.sort()
        try:
            self.runs.append(self.blocks.write(self.held, self.BLOCK))
        except (OSError, ValueError):  # no room (or a record marshal cannot write): held, as before
            self.failed = True
            return
        self.held = []

    def _run(self, spans: list[tuple[int, int]]) -> "Iterator[tuple]":
        for block in self.blocks.read(spans):
            yield from block

    def sorted(self) -> "Iterator[tuple]":
        """The records in order: the held ones sorted in place, merged with
        the runs written (each read from its start again)."""
        if not self._ready:
            self.held.sort()
            self._ready = True
        if not self.runs:
            return iter(self.held)
        return heapq.merge(*(self._run(spans) for spans in self.runs), self.held)
