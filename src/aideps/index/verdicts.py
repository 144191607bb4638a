"""`aideps validate`'s verdicts, kept in the cache: what a check of a
knowledge file finds is a function of its bytes, of how it is named, of the
check's options and of this aideps; so a second `validate` of an unchanged
file says what the first said, without checking it again (a catalogue of a
thousand items: some 1.5 s, then some 50 ms). Like the index, a verdict is
keyed by the content's hash (blake2b, as the index), never by a path or a
date, so an edited file is always checked anew.

Only checks that read nothing but the file are kept: `--no-quotes` (with
quotes checked, the verdict also depends on the source texts, found or
not, in the file's folder or --sources-dir). A verdict is written
only when the file did not change while it was checked and is not racily
new (changed within `cache.RACY_NS` of being read); at most `KEEP` are kept,
the least recently used go first; `aideps cache clean` removes them.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import time

from aideps import __version__
from aideps.index import cache
from aideps.knowledge.problems import Findings, Problem

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

KEEP = 64  # verdicts kept
MAX_BYTES = 1 << 18  # a larger verdict (thousands of problems) is not kept: checking again is the better cache


class Verdict(Findings):
    """A kept verdict, with what `validate` reads of a knowledge.report.Report."""

    def __init__(self, fields: dict) -> None:
        self.problems = [Problem(*p) for p in fields["problems"]]
        self.counts: dict = fields["counts"]
        self.quotes_checked: bool = fields["quotes_checked"]
        self.quote_count: int = fields["quote_count"]
        self.sources_checked: list[str] = fields["sources_checked"]
        self.sources_skipped: dict[str, str] = fields["sources_skipped"]
        self.sources_missing: list[str] = fields["sources_missing"]


class Ticket:
    """What a verdict of one file is filed under: taken before the check, so
    that a file that changes while it is checked is never filed."""

    def __init__(self, path: str, shown: str, options: tuple) -> None:
        self.where = cache.cache_dir()
        self.path = path
        self.key: str | None = None
        try:
            st = os.stat(path)
        except OSError:
            return
        if not stat.S_ISREG(st.st_mode):
            return
        self.identity = cache.identity(st)
        real = os.path.realpath(path)
        content = cache.trusted_hash(cache.read_stamp(self.where, real), st)
        if content is None:
            try:
                content = cache.hash_file(path)
            except OSError:
                return
        h = cache.hasher()
        h.update(marshal.dumps((content, shown, options, cache.FORMAT, __version__, tuple(sys.version_info[:2]))))
        self.key = h.hexdigest()

    def _file(self) -> str:
        return os.path.join(cache.verdict_folder(self.where), f"{self.key}{cache.VERDICT_SUFFIX}")

    def read(self) -> Verdict | None:
        """The verdict filed under this ticket, or None (none yet, damaged, unreadable)."""
        if self.key is None:
            return None
        path = self._file()
        try:
            data, _ = cache.read_regular(path, MAX_BYTES)
            fields = marshal.loads(data)
            verdict = Verdict(fields)
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            return None
        try:
            os.utime(path)  # used: the last to go
        except OSError:
            pass
        return verdict

    def write(self, report: Any) -> None:
        """File `report`'s verdict, unless the file changed since the ticket
        was taken, or is racily new, or the verdict is large. Silently
        nothing when the cache cannot be written."""
        if self.key is None:
            return
        try:
            st = os.stat(self.path)
        except OSError:
            return
        if cache.identity(st) != self.identity or st.st_mtime_ns >= time.time_ns() - cache.RACY_NS:
            return
        fields = {
            "problems": [tuple(p) for p in report.problems],
            "counts": report.counts,
            "quotes_checked": report.quotes_checked,
            "quote_count": report.quote_count,
            "sources_checked": list(report.sources_checked),
            "sources_skipped": dict(report.sources_skipped),
            "sources_missing": list(report.sources_missing),
        }
        try:
            data = marshal.dumps(fields, 4)
        except ValueError:
            return
        if len(data) > MAX_BYTES:
            return
        from aideps.knowledge.atomic import replace_file

        try:
            os.makedirs(cache.verdict_folder(self.where), exist_ok=True)
            replace_file(self._file(), data)
            prune(self.where)
        except OSError:
            pass


def prune(where: str, keep: int = KEEP) -> int:
    """Keep the `keep` most recently used verdicts; the number removed."""
    try:
        entries = [
            e for e in os.scandir(cache.verdict_folder(where))
            if e.name.endswith(cache.VERDICT_SUFFIX) and e.is_file(follow_symlinks=False)
        ]
    except OSError:
        return 0
    if len(entries) <= keep:
        return 0
    dated = []
    for entry in entries:
        try:
            dated.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
        except OSError:
            pass
    dated.sort(reverse=True)
    removed = 0
    for _, path in dated[keep:]:
        try:
            os.unlink(path)
            removed += 1
        except OSError:
            pass
    return removed
