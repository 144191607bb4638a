"""Building a compiled index: reading the knowledge file once, streaming,
and writing what a query needs into a SQLite database.

The first run on a file reads it once (`aideps.knowledge.scan`: the same
checks as `aideps validate`, in the memory of one item) and writes every
source, entity and relationship as the validated dict (marshal bytes), with
columns and indexes for what queries look up (entity id, parents, names and
aliases folded for lookup, the ends and kind of each relationship). An
invalid file gets no index: its problems are raised (`DataError`) exactly as
`aideps validate` words them.

Writing. An index is built into a new temporary file in the cache's index
folder, synced, then renamed into place (`os.replace`) and sealed (`seal`):
readers see a complete index or none. A lock (`filelock`, one per folder)
makes a second process wait for a build under way and then use its result.
When the cache cannot be written, the index is built in a temporary
directory removed at exit, else in memory: the answer is the same, only
slower.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import sqlite3
import stat
import sys
import time
from typing import Any

from aideps import __version__
from aideps.index.cache import FORMAT, hasher, identity, index_name, lock_path, prune, sweep
from aideps.index.packing import pack
from aideps.index.read import BadIndex, Index, open_file
from aideps.knowledge.listing import card, cited, dated

PROGRESS_BYTES = 4_000_000  # show a progress bar when building from a file at least this large
BATCH = 5000

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE sources(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, blob BLOB NOT NULL);
-- blob: the whole record; card: what `list` shows besides id, name and type
-- (aideps.knowledge.listing.card), so that listing every entity decodes little;
-- dated: what `timeline` reads of it (aideps.knowledge.listing.dated), NULL
-- when it has nothing dated.
CREATE TABLE entities(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
                      blob BLOB NOT NULL, card BLOB NOT NULL, dated BLOB);
-- An entity's parents, in the order the file lists them (pos), several per entity.
CREATE TABLE parents(eid TEXT NOT NULL, pos INTEGER NOT NULL, parent TEXT NOT NULL);
-- Groups' members (gid lists eid), and people's roles (person has a role at the entity `at`).
CREATE TABLE members(gid TEXT NOT NULL, pos INTEGER NOT NULL, eid TEXT NOT NULL);
CREATE TABLE roles(person TEXT NOT NULL, pos INTEGER NOT NULL, at TEXT NOT NULL);
CREATE TABLE relationships(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL,
                           kind TEXT NOT NULL, stage TEXT, health TEXT, certainty TEXT, blob BLOB NOT NULL);
-- Each source an item cites (section 0: an entity, 1: a relationship), with
-- the item's facts it supports: what `sources` counts, in SQL.
CREATE TABLE cites(source TEXT NOT NULL, section INTEGER NOT NULL, item TEXT NOT NULL, facts INTEGER NOT NULL);
-- Name lookup, in entity order: tier 0 id (casefolded), 1 name, 2 alias (folded), 3 compacted.
CREATE TABLE lookup(key TEXT NOT NULL, tier INTEGER NOT NULL, eid TEXT NOT NULL);
-- Shell completion of names and aliases without white space, in entity order.
CREATE TABLE words(word TEXT NOT NULL, eid TEXT NOT NULL);
"""
INDEXES = """
CREATE UNIQUE INDEX entities_id ON entities(id);
CREATE INDEX sources_id ON sources(id);
CREATE INDEX parents_parent ON parents(parent);
CREATE INDEX parents_eid ON parents(eid, pos);
CREATE INDEX members_eid ON members(eid);
CREATE INDEX roles_at ON roles(at);
CREATE INDEX relationships_src ON relationships(src, kind);
CREATE INDEX relationships_dst ON relationships(dst, kind);
CREATE INDEX relationships_kind ON relationships(kind);
CREATE INDEX lookup_key ON lookup(key, tier);
CREATE INDEX words_word ON words(word);
"""



class Writer:
    """The sink of aideps.scan: validated items into the tables, in batches."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.rows: dict[str, list[tuple]] = {
            "sources": [], "entities": [], "parents": [], "members": [], "roles": [], "relationships": [],
            "cites": [], "lookup": [], "words": [],
        }
        # "longest": the longest record written (bytes, at least its longest text):
        # an answer whose texts are all far shorter than lite.TEXT_CAP needs no clipping.
        self.counts = {"sources": 0, "entities": 0, "relationships": 0, "longest": 0}
        self.sql = {
            "sources": "INSERT INTO sources(id, blob) VALUES (?, ?)",
            "entities": "INSERT INTO entities(id, name, type, blob, card, dated) VALUES (?, ?, ?, ?, ?, ?)",
            "parents": "INSERT INTO parents(eid, pos, parent) VALUES (?, ?, ?)",
            "members": "INSERT INTO members(gid, pos, eid) VALUES (?, ?, ?)",
            "roles": "INSERT INTO roles(person, pos, at) VALUES (?, ?, ?)",
            "relationships": "INSERT INTO relationships(id, src, dst, kind, stage, health, certainty, blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            "cites": "INSERT INTO cites(source, section, item, facts) VALUES (?, ?, ?, ?)",
            "lookup": "INSERT INTO lookup(key, tier, eid) VALUES (?, ?, ?)",
            "words": "INSERT INTO words(word, eid) VALUES (?, ?)",
        }

    def __call__(self, section: str, index: int, item: dict) -> None:
        blob = marshal.dumps(pack(section, item), 4)  # (without the fields that hold their defaults)
        counts = self.counts
        counts[section] += 1
        if len(blob) > counts["longest"]:
            counts["longest"] = len(blob)
        if section == "relationships":
            rid = item["id"]
            self.rows[section].append(
                (rid, item["from"], item["to"], item["kind"], item.get("stage"), item.get("health"), item.get("certainty"), blob)
            )
            self.rows["cites"].extend((source, 1, rid, facts) for source, facts in cited(section, item))
        elif section == "entities":
            from aideps.knowledge.names import completion_words, lookup_rows

            eid = item["id"]
            when = dated(item)
            listed, dates = marshal.dumps(card(item), 4), None if when is None else marshal.dumps(when, 4)
            counts["longest"] = max(counts["longest"], len(listed), len(dates or b""))
            self.rows[section].append((eid, item["name"], item["type"], blob, listed, dates))
            self.rows["cites"].extend((source, 0, eid, facts) for source, facts in cited(section, item))
            self.rows["parents"].extend((eid, pos, parent) for pos, parent in enumerate(item.get("parents") or []))
            self.rows["members"].extend((eid, pos, m["id"]) for pos, m in enumerate(item.get("members") or []))
            self.rows["roles"].extend((eid, pos, r["of"]) for pos, r in enumerate(item.get("roles") or []))
            self.rows["lookup"].extend(lookup_rows(item))
            self.rows["words"].extend((word, eid) for word in completion_words(item))
        else:
            self.rows[section].append((item["id"], blob))
        if len(self.rows[section]) >= BATCH:
            self.flush()

    def remove(self, section: str, ident: str) -> None:
        """Take out the item `ident` of `section` and its rows (a layered file overrides it)."""
        self.flush()
        if section == "entities":
            for table, column in (("parents", "eid"), ("members", "gid"), ("roles", "person"), ("lookup", "eid"), ("words", "eid")):
                self.con.execute(f"DELETE FROM {table} WHERE {column} = ?", (ident,))
        if section in ("entities", "relationships"):
            self.con.execute("DELETE FROM cites WHERE section = ? AND item = ?", (int(section == "relationships"), ident))
        removed = self.con.execute(f"DELETE FROM {section} WHERE id = ?", (ident,)).rowcount
        self.counts[section] -= max(removed, 0)

    def reset(self) -> None:
        for rows in self.rows.values():
            rows.clear()
        for table in ("sources", "entities", "parents", "members", "roles", "relationships", "cites", "lookup", "words"):
            self.con.execute(f"DELETE FROM {table}")
        self.counts = dict.fromkeys(self.counts, 0)

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                self.con.executemany(self.sql[table], rows)
                rows.clear()


class Progress:
    """A progress bar on stderr while a large file is indexed (only when
    stderr is a terminal): bytes read, then the writing of the indexes."""

    def __init__(self, path: str, size: int) -> None:
        self.bar: Any = None
        if size < PROGRESS_BYTES or not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
            return
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task(f"indexing {os.path.basename(path)}", total=size)
        self.bar.start()

    def read(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done)

    def writing(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description="writing the index")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def build(source: str, target: str, *, shown_name: str | None = None, split: bool = True) -> str:
    """Read the knowledge file `source` and write its index to `target`
    (a new file; ":memory:" gives an in-memory index, returned open).
    Returns the hash of the content read. Raises DataError when the file has errors.

    A large file is checked on two cores (aideps.knowledge.split): the items,
    checked alone, are written to `target` by the other process, through a
    connection of its own, while this one reads and checks across items."""
    from aideps.knowledge import split as splitting
    from aideps.knowledge.problems import DataError
    from aideps.knowledge.scan import scan

    name = shown_name or source
    try:
        fh = open(source, "rb")
    except OSError as exc:
        from aideps.knowledge.files import read_problem

        raise read_problem(source, exc) from None
    with fh:
        size = os.fstat(fh.fileno()).st_size
        other = None
        if split and target != ":memory:" and splitting.possible(size):
            open_new(target).close()  # the tables, for the other process to fill
            other = splitting.Split(lambda: _Writing(target))  # (forked before the progress bar's thread starts)
            con = None
        else:
            con = open_new(target)
        try:
            writer = Writer(con) if con is not None else None
            progress = Progress(name, size)
            try:
                report = scan(
                    fh,
                    name,
                    base_dir=None,
                    check_quotes=False,
                    notes=False,
                    sink=writer,
                    on_bytes=progress.read,
                    hasher=hasher,
                    split=other,
                )
                if report.errors:
                    raise DataError(report.errors)
                progress.writing()
                if writer is not None:
                    writer.flush()
                    con.executescript(INDEXES)  # type: ignore[union-attr]
            finally:
                progress.stop()
                if other is not None:
                    other.close()
            content_hash = report.content_hash  # type: ignore[attr-defined]
            if other is not None:
                if report.split is None:  # the other process failed on a file without problems: in one process
                    os.unlink(target)
                    return build(source, target, shown_name=shown_name, split=False)
                con = _connect(target)
                counts = report.split["sink"]
            else:
                counts = writer.counts  # type: ignore[union-attr]
            seal_meta(con, counts, content_hash)
        except BaseException:
            if con is not None:
                con.close()
            raise
    release(con, target, content_hash)
    # What checking a large file left in reference cycles, let go now: the
    # answer that follows runs the collector rarely (aideps.cli.call.ANSWERING_GC),
    # and would carry it (the first run on L peaked 100 MiB higher).
    del report
    gc.collect()
    return content_hash


class _Writing:
    """The sink of the other process of a split check (aideps.knowledge.split):
    a Writer on a connection of its own to the index being built; at the end,
    the indexes made and the counts returned."""

    def __init__(self, target: str) -> None:
        self.con = _connect(target)
        self.writer = Writer(self.con)

    def __call__(self, section: str, index: int, item: dict) -> None:
        self.writer(section, index, item)

    def reset(self) -> None:
        self.writer.reset()

    def finish(self) -> dict[str, int]:
        self.writer.flush()
        self.con.executescript(INDEXES)
        self.con.commit()
        self.con.close()
        return dict(self.writer.counts)


def open_new(target: str) -> sqlite3.Connection:
    """A new, empty index at `target` (a path, or ":memory:"), set up for one
    writer and nobody waiting on it: no journal, no syncing until the end."""
    con = _connect(target)
    con.executescript(SCHEMA)
    return con


def _connect(target: str) -> sqlite3.Connection:
    """A connection to write the index at `target` with (open_new's settings)."""
    con = sqlite3.connect(target)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "locking_mode=EXCLUSIVE", "cache_size=-65536", "temp_store=MEMORY"):
        con.execute(f"PRAGMA {pragma}")
    return con


def release(con: sqlite3.Connection, target: str, key: str) -> None:
    """A finished index: closed, or, in memory, kept open in MEMORY under `key`."""
    if target == ":memory:":
        MEMORY[key] = con
    else:
        con.close()


def seal_meta(con: sqlite3.Connection, counts: dict[str, int], key: str, **extra: Any) -> None:
    """Write an index's meta row (format, version, key, counts, `extra`)
    last, marked complete, then let SQLite analyse it: what every build,
    single file or layered, ends with."""
    meta = {
        "format": FORMAT,
        "aideps": __version__,
        "hash": key,
        **extra,
        "sources": counts["sources"],
        "entities": counts["entities"],
        "relationships": counts["relationships"],
        **({"longest": counts["longest"]} if "longest" in counts else {}),
        "built": time.time(),
        "complete": 1,
    }
    con.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", list(meta.items()))
    con.commit()
    con.execute("ANALYZE")
    con.commit()


MEMORY: dict[str, sqlite3.Connection] = {}  # content hash -> an index built in memory


def seal(path: str) -> None:
    """Record the identity of the index file just put in place (device, inode,
    size, modification and change times). Any later write to the file, even
    one that keeps its size and times, changes its change time:
    `aideps.index.read.check_file` then refuses it, and it is rebuilt rather
    than read (SQLite does not notice a damaged page, and marshal would decode
    garbage)."""
    from aideps.knowledge.atomic import replace_file

    replace_file(path + ".seal", marshal.dumps(identity(os.stat(path))))


class Lock:
    """An exclusive lock on the file at `path`, held while building
    (filelock: `flock` on POSIX, `msvcrt.locking` on Windows). A second
    process waits, then finds the first one's index.

    A link or anything else than a regular file at `path` is removed first,
    never followed (and filelock opens with O_NOFOLLOW, refusing a link planted
    in between). Where no lock can be taken, the build goes on without one:
    it is still correct (each build writes its own temporary file), only
    possibly done twice."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lock: Any = None

    def __enter__(self) -> "Lock":
        try:
            mode = os.lstat(self.path).st_mode
        except FileNotFoundError:
            pass
        except OSError:
            return self
        else:
            if not stat.S_ISREG(mode):
                try:
                    os.unlink(self.path)
                except OSError:
                    return self
        from filelock import FileLock

        lock = FileLock(self.path, timeout=-1)
        try:
            lock.acquire()
        except (OSError, NotImplementedError):  # NotImplementedError: a file system without flock
            return self
        self.lock = lock
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def build_into(folder: str, source: str, content_hash: str, shown: str, make: Any = None) -> Index:
    """Build (or, after waiting for another process's build, reuse) the index in `folder`.
    `make(target)`, when given, builds instead of `build(source, target)` (a layered index)."""
    os.makedirs(folder, exist_ok=True)
    final = os.path.join(folder, index_name(content_hash))
    with Lock(lock_path(folder)):
        try:
            return open_file(final, content_hash)  # another process built it while we waited
        except BadIndex:
            pass
        index = build_and_place(folder, source, shown, make)
        # A new index: keep the cache bounded (aideps.index.cache.prune).
        prune(os.path.dirname(os.path.abspath(folder)), keep=os.path.basename(index.path))
        return index


def build_and_place(folder: str, source: str, shown: str, make: Any = None) -> Index:
    """Build the index of `source` into a new temporary file in `folder`, then put it in place and seal it."""
    import tempfile

    from aideps.knowledge.atomic import new_file_mode

    sweep(folder)
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=f".build-{os.getpid()}-", suffix=".tmp")
    os.close(handle)  # an empty file: SQLite makes a new database in it
    previous = _on_sigterm()
    try:
        content_hash = make(tmp) if make is not None else build(source, tmp, shown_name=shown)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, new_file_mode())  # mkstemp made it 0600
        final = os.path.join(folder, index_name(content_hash))
        os.replace(tmp, final)
        tmp = ""
        seal(final)
        return open_file(final, content_hash)
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports it


def _terminated(signum: int, frame: Any) -> None:
    raise SystemExit(EXIT_TERMINATED)


def _on_sigterm() -> Any:
    """During a build, SIGTERM ends the process as Ctrl-C does: the temporary
    file is removed on the way out, and the exit code is 143. The handler
    that was there before (returned; None when none was set) comes back
    after the build. Only where SIGTERM is not handled already, and only in
    the main thread (where Python runs signal handlers)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            return None
        return signal.signal(signal.SIGTERM, _terminated)
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return None


def fallback_dir() -> str | None:
    """A temporary directory for an index that cannot go in the cache, removed at exit."""
    import atexit
    import shutil
    import tempfile

    try:
        folder = tempfile.mkdtemp(prefix="aideps-")
    except OSError:
        return None
    atexit.register(shutil.rmtree, folder, True)
    return folder


def build_somewhere(folder: str, source: str, content_hash: str, shown: str, make: Any = None) -> Index:
    """The index of `source`, built in `folder`; where that cannot be written,
    in a temporary directory; else in memory. Raises DataError when the file
    cannot be read or has errors."""
    try:
        return build_into(folder, source, content_hash, shown, make)
    except (OSError, sqlite3.OperationalError):  # a cache that cannot be written (SQLite says so its own way)
        pass
    temp = fallback_dir()
    if temp is not None:
        try:
            return build_and_place(temp, source, shown, make)
        except (OSError, sqlite3.OperationalError):
            pass
    built = make(":memory:") if make is not None else build(source, ":memory:", shown_name=shown)
    con = MEMORY.pop(built)
    return Index(con, dict(con.execute("SELECT key, value FROM meta")), ":memory:")
