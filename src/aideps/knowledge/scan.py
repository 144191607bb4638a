"""Checking a knowledge file as it is read, one item at a time.

`validate.check_bytes` holds the whole document (with a position for every
node) to check it; on a file of a million relationships that is tens of
gigabytes. `scan` reads the file once with `aideps.knowledge.stream` and
feeds each item, as it arrives, to the same checking engine
(`aideps.knowledge.engine`), which keeps only what the checks across items
need. So it reports the same problems, in the same words, at the same
places, in the same order as `check_bytes` (tests/test_scan.py compares
them).

Items that pass are handed to `sink(section, index, data)` as the models
dump them (the data contract of docs/design.md); `aideps.index` stores them.
The caller throws the result away if the report has errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, Any, Callable

from aideps.knowledge.engine import Engine, first_content_line
from aideps.knowledge.reader import items_of
from aideps.knowledge.report import SECTIONS, Report
from aideps.knowledge.stream import Restart, Stream

STREAM_OVER = 4_000_000  # bytes: a larger file is checked streaming


def scan(
    fh: IO[bytes],
    filename: str,
    *,
    base_dir: Path | None = None,
    sources_dir: Path | None = None,
    check_quotes: bool = True,
    notes: bool = True,
    sink: Callable[[str, int, dict], None] | None = None,
    on_bytes: Callable[[int], None] | None = None,
    hasher: Callable[[], Any] | None = None,
    use_libyaml: bool | None = None,
    fast: bool | None = None,
    lenient: bool = False,
    outside: dict | None = None,
    split: Any = None,
) -> Report:
    """Check the knowledge file open in `fh` (binary) as `check_bytes` would.

    `notes=False` skips the dependency-cycle notes (they never make a file
    unusable). The report's `data` is None; `report.counts` gives the number
    of items in each section; with `hasher` (a hashlib constructor),
    `report.content_hash` is the hex digest of the bytes read. See the
    module's docstring for `sink` (which gets `reset()` called, if it has
    one, when the reading starts again from the top).

    `split` (an aideps.knowledge.split.Split, not with `lenient`): each item
    is checked alone, and sunk, in another process; when that process finds
    fault with one (or fails), the file is checked again from the top here,
    with `sink`, and `report.split` is None; else `report.split` is its outcome."""
    start = fh.tell()
    stream = Stream(fh, filename, use_libyaml=use_libyaml, on_bytes=on_bytes, hasher=hasher, fast=fast)

    def engine() -> Engine:
        return Engine(
            filename, base_dir=base_dir, sources_dir=sources_dir, check_quotes=check_quotes, notes=notes,
            sink=None if split is not None else sink, lenient=lenient, outside=outside, split=split,
        )

    checking = engine()
    for record in stream:
        if isinstance(record, Restart):  # the reader starts again from the top: so does the check
            reset = getattr(split if split is not None else sink, "reset", None)
            if reset is not None:
                reset()
            checking = engine()
        else:
            checking.feed(record)
            if split is not None and split.flagged:
                break  # an item with a problem: the check in one process words it
    if not stream.failed and not (split is not None and split.flagged):
        # A list the reader could not stream (it has an anchor): its items now.
        unfed = [key for key in SECTIONS if not checking.fed(key)]
        for record in items_of(stream.root, stream.locator, unfed):
            checking.feed(record)
    if split is not None:
        if split.flagged or split.finish() is None:
            split.close()
            fh.seek(start)
            report = scan(
                fh, filename, base_dir=base_dir, sources_dir=sources_dir, check_quotes=check_quotes, notes=notes,
                sink=sink, on_bytes=on_bytes, hasher=hasher, use_libyaml=use_libyaml, fast=fast, outside=outside,
            )
            report.split = None
            return report

    def empty_line() -> int | None:
        fh.seek(0)
        return first_content_line(fh.read())

    report = checking.finish(
        failed=stream.failed, problems=stream.problems, root=stream.root, locator=stream.locator, empty_line=empty_line
    )
    report.content_hash = stream.hasher.hexdigest() if stream.hasher is not None else None
    report.fast = stream.fast_used
    report.split = split.outcome if split is not None else None
    return report


def scan_file(path: Path, *, sources_dir: Path | None = None, check_quotes: bool = True, **options: Any) -> Report:
    """`validate.check_file`, in bounded memory."""
    from aideps.knowledge.files import read_problem

    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(str(path))
        fh = open(path, "rb")
    except OSError as exc:
        return Report(str(path), problems=list(read_problem(path, exc).problems))
    with fh:
        split = None
        if not options.get("lenient") and not options.get("sink"):
            from aideps.knowledge import split as splitting

            if splitting.possible(os.fstat(fh.fileno()).st_size):
                split = splitting.Split()
        try:
            return scan(
                fh, str(path), base_dir=path.parent, sources_dir=sources_dir, check_quotes=check_quotes, split=split, **options
            )
        finally:
            if split is not None:
                split.close()


def check_path(
    path: Path, *, sources_dir: Path | None = None, check_quotes: bool = True, outside: dict | None = None
) -> Report:
    """Check the knowledge file at `path` (what `aideps validate` runs): read
    whole for a file of a few megabytes, streamed (in the memory of one
    item) for a larger one; the same engine, so the same problems either
    way. `report.counts` is each section's number of items, or None for
    each when the file has errors."""
    from aideps.knowledge.validate import check_file

    path = Path(path)
    try:
        large = path.is_file() and path.stat().st_size > STREAM_OVER
    except OSError:
        large = False
    if large:
        report = scan_file(path, sources_dir=sources_dir, check_quotes=check_quotes, outside=outside)
    else:
        report = check_file(path, sources_dir=sources_dir, check_quotes=check_quotes, keep_data=False, outside=outside)
    counts = report.counts or {}
    report.counts = {s: counts.get(s) if report.ok else None for s in SECTIONS}
    return report


def _main(argv: list[str]) -> int:  # pragma: no cover - a tool for measuring
    import time

    start = time.perf_counter()
    report = scan_file(Path(argv[0]), check_quotes=False)
    for p in report.problems[:20]:
        print(p)
    print(f"{len(report.problems)} problems, {report.counts}, {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
