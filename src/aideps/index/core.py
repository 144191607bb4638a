"""The compiled index of a knowledge file: one SQLite database per content.

The YAML stays the one source of truth. The first run on a file reads it
once, streaming (`aideps.scan`: the same checks as `aideps validate`, in the
memory of one item), and writes what a query needs into a SQLite database in
the user's cache directory: every source, entity and relationship as the
validated dict (marshal bytes), with columns and indexes for what queries
look up (entity id, parent, names and aliases folded for lookup, the ends and
kind of each relationship). Later runs open that database read-only and read
only the rows a query touches. An invalid file gets no index: its problems
are raised (`DataError`) exactly as `aideps validate` words them.

Freshness. An index is named by a hash of the file's bytes (BLAKE2b), so a
changed file is never answered from another content's index. To avoid
hashing a large file on every run, a small *stamp* per file path records the
file's identity and metadata when it was last hashed (real path, device,
inode, size, modification and change times in nanoseconds) with the hash and
the time the stamp was taken. When the file's metadata still match the stamp,
the hash is trusted; otherwise the file is hashed again. Any write changes
the change time (even one that restores size and modification time), so
the stamp no longer matches. Like git, a stamp is not trusted when the file
was modified less than 2 seconds before the stamp was taken ("racily
clean": a write in the same clock tick as the hashing could leave the
metadata unchanged); such files are hashed again until the stamp is older.

Writing. An index is built into a temporary file in the cache directory,
synced, then renamed into place (`os.replace`): readers see a complete index
or none. A lock file (`fcntl.flock`) makes a second process wait for a build
under way and then use its result. An index that cannot be opened, or whose
header, size or `meta` table do not match what is expected, is rebuilt,
never trusted. When the cache directory cannot be written, the index is
built in a temporary directory and removed at exit: the answer is the same,
only slower.

Graph access. `Index` offers the data-access collections `aideps.graph.Graph`
works on (`entities`, `relationships`, `outgoing`, `incoming`, `children`,
`sources`, lookups), each backed by SQL queries and decoded on demand;
`Graph.from_index` builds a graph on them.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from aideps import __version__

FORMAT = 1  # of the database; bump when the tables or the blobs change
RACY_NS = 2_000_000_000  # a stamp taken less than this after the file's mtime is not trusted
HASH_BYTES = 20
ENV_CACHE = "AIDEPS_CACHE_DIR"
PROGRESS_BYTES = 4_000_000  # show a progress bar when building from a file at least this large
BATCH = 5000

_SQLITE_MAGIC = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE sources(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, blob BLOB NOT NULL);
CREATE TABLE entities(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
                      parent TEXT, blob BLOB NOT NULL);
CREATE TABLE relationships(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL,
                           kind TEXT NOT NULL, status TEXT NOT NULL, blob BLOB NOT NULL);
-- Name lookup, in entity order: tier 0 id (casefolded), 1 name, 2 alias (folded), 3 compacted.
CREATE TABLE lookup(key TEXT NOT NULL, tier INTEGER NOT NULL, eid TEXT NOT NULL);
-- Shell completion of names and aliases without white space, in entity order.
CREATE TABLE words(word TEXT NOT NULL, eid TEXT NOT NULL);
"""
INDEXES = """
CREATE UNIQUE INDEX entities_id ON entities(id);
CREATE INDEX entities_parent ON entities(parent) WHERE parent IS NOT NULL;
CREATE INDEX relationships_src ON relationships(src, kind);
CREATE INDEX relationships_dst ON relationships(dst, kind);
CREATE INDEX relationships_kind ON relationships(kind);
CREATE INDEX lookup_key ON lookup(key, tier);
CREATE INDEX words_word ON words(word);
"""


# ---------------------------------------------------------------------------
# Where things go


def cache_dir() -> str:
    """$AIDEPS_CACHE_DIR, else the user's cache directory for aideps
    (platformdirs; on Linux computed as platformdirs does, without importing it)."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return env
    if sys.platform.startswith("linux") and "ANDROID_DATA" not in os.environ:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not base.strip():
            base = os.path.expanduser("~/.cache")
        return os.path.join(base, "aideps")
    from platformdirs import user_cache_dir

    return user_cache_dir("aideps", appauthor=False)


def _hasher() -> Any:
    try:
        from _blake2 import blake2b  # what hashlib.blake2b is, without loading OpenSSL
    except ImportError:  # pragma: no cover
        from hashlib import blake2b
    return blake2b(digest_size=HASH_BYTES)


def hash_file(path: str) -> str:
    h = _hasher()
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            h.update(chunk)
    return h.hexdigest()


def index_name(content_hash: str) -> str:
    return f"{content_hash}-f{FORMAT}-{__version__}.sqlite"


def _stamp_path(cache: str, real: str) -> str:
    h = _hasher()
    h.update(os.fsencode(real))
    return os.path.join(cache, "stamps", h.hexdigest()[:32])


def _identity(st: os.stat_result) -> tuple:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read_stamp(cache: str, real: str) -> dict | None:
    try:
        with open(_stamp_path(cache, real), "rb") as fh:
            stamp = marshal.loads(fh.read(4096))
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stamp, dict) or stamp.get("format") != FORMAT or stamp.get("path") != real:
        return None
    return stamp


def trusted_hash(stamp: dict | None, st: os.stat_result) -> str | None:
    """The content hash the stamp vouches for, when the file is as it was and
    the stamp is not racily clean."""
    if stamp is None or tuple(stamp.get("identity", ())) != _identity(st):
        return None
    if st.st_mtime_ns >= stamp.get("taken_ns", 0) - RACY_NS:
        return None  # modified within 2 s of being hashed: it may have changed since, unseen
    content = stamp.get("hash")
    return content if isinstance(content, str) else None


def write_stamp(cache: str, real: str, st: os.stat_result, content_hash: str, taken_ns: int) -> None:
    """Record that the file at `real`, as `st` describes it, had `content_hash` at `taken_ns`.
    Silently nothing when the cache cannot be written."""
    path = _stamp_path(cache, real)
    stamp = {
        "format": FORMAT,
        "path": real,
        "identity": _identity(st),
        "hash": content_hash,
        "index": index_name(content_hash),
        "taken_ns": taken_ns,
    }
    old = read_stamp(cache, real)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(marshal.dumps(stamp))
        os.replace(tmp, path)
    except OSError:
        return
    if old is not None and old.get("index") != stamp["index"]:
        _forget(cache, old.get("index"))


def _forget(cache: str, name: Any) -> None:
    """Delete an index no stamp refers to any more (the file changed)."""
    if not isinstance(name, str) or os.sep in name or not name.endswith(".sqlite"):
        return
    stamps = os.path.join(cache, "stamps")
    try:
        for entry in os.scandir(stamps):
            try:
                with open(entry.path, "rb") as fh:
                    other = marshal.loads(fh.read(4096))
            except (OSError, EOFError, ValueError, TypeError):
                continue
            if isinstance(other, dict) and other.get("index") == name:
                return
        os.unlink(os.path.join(cache, "index", name))
        os.unlink(os.path.join(cache, "index", name + ".seal"))
    except OSError:
        pass


# ---------------------------------------------------------------------------
# Opening


class BadIndex(Exception):
    """An index file that cannot be trusted."""


def _seal(path: str) -> None:
    """Record the identity of the index file just put in place (device, inode,
    size, modification and change times). Any later write to the file, even
    one that keeps its size and times, changes its change time: `_check_file`
    then refuses it, and it is rebuilt rather than read (SQLite does not
    notice a damaged page, and marshal would decode garbage)."""
    identity = _identity(os.stat(path))
    tmp = f"{path}.seal.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(marshal.dumps(identity))
        os.replace(tmp, path + ".seal")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _check_file(path: str) -> None:
    """A complete SQLite file, unchanged since it was built: the header's page
    count times page size is the file's size, and its seal matches."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
            st = os.fstat(fh.fileno())
        with open(path + ".seal", "rb") as fh:
            sealed = marshal.loads(fh.read(4096))
    except (OSError, EOFError, ValueError, TypeError) as exc:
        raise BadIndex(str(exc)) from None
    size = st.st_size
    if sealed != _identity(st):
        raise BadIndex("changed since it was built")
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise BadIndex("not a SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    if page_size == 1:
        page_size = 65536
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96] or pages * page_size != size:
        raise BadIndex("truncated or changed since it was written")


def _connect(path: str) -> sqlite3.Connection:
    if path == ":memory:":
        return sqlite3.connect(path)
    # A URI, to open the file read-only and as immutable (no locking: an
    # index never changes once in place). Only %, ? and # mean something in one.
    name = os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    uri = "file:" + name + "?mode=ro&immutable=1"
    con = sqlite3.connect(uri, uri=True, check_same_thread=False)
    con.execute("PRAGMA query_only=1")
    return con


def open_file(path: str, content_hash: str | None = None) -> "Index":
    """The index in the file at `path`, checked; BadIndex if it cannot be trusted."""
    _check_file(path)
    try:
        con = _connect(path)
        meta = dict(con.execute("SELECT key, value FROM meta"))
    except (sqlite3.Error, ValueError) as exc:  # ValueError: text that is not UTF-8
        raise BadIndex(f"unreadable: {exc}") from None
    if (
        meta.get("format") != FORMAT
        or meta.get("aideps") != __version__
        or meta.get("complete") != 1
        or (content_hash is not None and meta.get("hash") != content_hash)
    ):
        con.close()
        raise BadIndex("built by another version, or for another file")
    return Index(con, meta, path)


# ---------------------------------------------------------------------------
# Building


class _Writer:
    """The sink of aideps.scan: validated items into the tables, in batches."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.rows: dict[str, list[tuple]] = {"sources": [], "entities": [], "relationships": [], "lookup": [], "words": []}
        self.counts = {"sources": 0, "entities": 0, "relationships": 0}
        self.sql = {
            "sources": "INSERT INTO sources(id, blob) VALUES (?, ?)",
            "entities": "INSERT INTO entities(id, name, type, parent, blob) VALUES (?, ?, ?, ?, ?)",
            "relationships": "INSERT INTO relationships(id, src, dst, kind, status, blob) VALUES (?, ?, ?, ?, ?, ?)",
            "lookup": "INSERT INTO lookup(key, tier, eid) VALUES (?, ?, ?)",
            "words": "INSERT INTO words(word, eid) VALUES (?, ?)",
        }

    def __call__(self, section: str, index: int, item: dict) -> None:
        blob = marshal.dumps(item, 4)
        self.counts[section] += 1
        if section == "relationships":
            self.rows[section].append(
                (item["id"], item["from"], item["to"], item["kind"], item["status"], blob)
            )
        elif section == "entities":
            from aideps.knowledge.names import lookup_rows

            eid = item["id"]
            self.rows[section].append((eid, item["name"], item["type"], item.get("parent"), blob))
            self.rows["lookup"].extend(lookup_rows(item))
            for word in [item["name"], *(item.get("aliases") or [])]:
                if not any(c.isspace() for c in word):
                    self.rows["words"].append((word, eid))
        else:
            self.rows[section].append((item["id"], blob))
        if len(self.rows[section]) >= BATCH:
            self.flush()

    def reset(self) -> None:
        for rows in self.rows.values():
            rows.clear()
        for table in ("sources", "entities", "relationships", "lookup", "words"):
            self.con.execute(f"DELETE FROM {table}")
        self.counts = dict.fromkeys(self.counts, 0)

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                self.con.executemany(self.sql[table], rows)
                rows.clear()


class _Progress:
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


def build(source: str, target: str, *, shown_name: str | None = None) -> str:
    """Read the knowledge file `source` and write its index to `target`
    (a new file; ":memory:" gives an in-memory index, returned open).
    Returns the hash of the content read. Raises DataError when the file has errors."""
    from aideps.knowledge.problems import DataError
    from aideps.knowledge.scan import scan

    name = shown_name or source
    con = sqlite3.connect(target)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
        con.execute("PRAGMA cache_size=-65536")
        con.execute("PRAGMA temp_store=MEMORY")
        con.executescript(SCHEMA)
        writer = _Writer(con)
        try:
            fh = open(source, "rb")
        except OSError as exc:
            from aideps.knowledge.files import read_problem

            raise read_problem(source, exc) from None
        with fh:
            progress = _Progress(name, os.fstat(fh.fileno()).st_size)
            try:
                report = scan(
                    fh,
                    name,
                    base_dir=None,
                    check_quotes=False,
                    notes=False,
                    sink=writer,
                    on_bytes=progress.read,
                    hasher=_hasher,
                )
                if report.errors:
                    raise DataError(report.errors)
                progress.writing()
                writer.flush()
                con.executescript(INDEXES)
            finally:
                progress.stop()
        content_hash = report.content_hash  # type: ignore[attr-defined]
        meta = {
            "format": FORMAT,
            "aideps": __version__,
            "hash": content_hash,
            "sources": writer.counts["sources"],
            "entities": writer.counts["entities"],
            "relationships": writer.counts["relationships"],
            "built": time.time(),
            "complete": 1,
        }
        con.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", list(meta.items()))
        con.commit()
        con.execute("ANALYZE")
        con.commit()
    finally:
        if target != ":memory:":
            con.close()
    if target == ":memory:":
        _MEMORY[content_hash] = con
    return content_hash


_MEMORY: dict[str, sqlite3.Connection] = {}


class _Lock:
    """An exclusive lock on a file next to the index (none where fcntl is missing)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> "_Lock":
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            return self
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError:
            if self.fd is not None:
                os.close(self.fd)
            self.fd = None
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
            self.fd = None


def _build_into(folder: str, source: str, content_hash: str | None, shown: str) -> "Index":
    """Build (or, after waiting for another process's build, reuse) the index in `folder`."""
    os.makedirs(folder, exist_ok=True)
    if content_hash is not None:
        final = os.path.join(folder, index_name(content_hash))
        with _Lock(final + ".lock"):
            try:
                return open_file(final, content_hash)  # another process built it while we waited
            except BadIndex:
                pass
            return _build_and_place(folder, source, shown)
    return _build_and_place(folder, source, shown)


STALE_BUILD_S = 600


def _sweep(folder: str) -> None:
    """Remove what builds killed outright (SIGKILL, a power cut) left behind:
    temporary files of processes that no longer run, untouched for 10 minutes.
    (Any other ending of a build removes its own.)"""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(".build-") and name.endswith(".tmp")):
            continue
        try:
            pid = int(name.split("-")[1])
            if now - entry.stat().st_mtime < STALE_BUILD_S:
                continue
            try:
                os.kill(pid, 0)
                continue  # still running
            except ProcessLookupError:
                pass
            os.unlink(entry.path)
        except (ValueError, IndexError, OSError):
            continue


def _build_and_place(folder: str, source: str, shown: str) -> "Index":
    import secrets

    _sweep(folder)
    tmp = os.path.join(folder, f".build-{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        content_hash = build(source, tmp, shown_name=shown)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        final = os.path.join(folder, index_name(content_hash))
        os.replace(tmp, final)
        tmp = ""
        _seal(final)
        return open_file(final, content_hash)
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _fallback_dir() -> str | None:
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


CHANGING_TRIES = 3  # reads of a file that keeps changing while it is read, before giving up


def open_index(path: str, *, shown: str | None = None) -> "Index":
    """The index of the knowledge file at `path`, built if need be.

    Raises DataError when the file cannot be read or has errors, and
    OSError never: a cache that cannot be written only makes it slower."""
    shown = shown or path
    for _ in range(CHANGING_TRIES):
        index = _open_index(path, shown)
        if index is not None:
            return index
    from aideps.knowledge.problems import DataError, Problem

    raise DataError(
        [Problem(shown, 0, 0, "the file kept changing while aideps read it; run the command again once it is saved")]
    )


def _open_index(path: str, shown: str) -> "Index | None":
    """open_index, once; None when the file changed while it was being read
    (an index built from it could hold part of the old file and part of the new)."""
    st = os.stat(path)
    real = os.path.realpath(path)
    cache = cache_dir()
    folder = os.path.join(cache, "index")
    stamp = read_stamp(cache, real)
    content_hash = trusted_hash(stamp, st)
    if content_hash is not None:
        try:
            return open_file(os.path.join(folder, index_name(content_hash)), content_hash)
        except BadIndex:
            pass  # gone or damaged: rebuilt below
    taken_ns = time.time_ns()
    content_hash = hash_file(path)
    index = None
    try:
        index = open_file(os.path.join(folder, index_name(content_hash)), content_hash)
    except BadIndex:
        pass
    if index is None:
        try:
            index = _build_into(folder, path, content_hash, shown)
        except (OSError, sqlite3.OperationalError):  # a cache that cannot be written (SQLite says so its own way)
            index = None
        if index is None:
            # The cache cannot be written: a temporary directory, else memory.
            temp = _fallback_dir()
            index = None
            if temp is not None:
                try:
                    index = _build_and_place(temp, path, shown)
                except (OSError, sqlite3.OperationalError):
                    index = None
            if index is None:
                built = build(path, ":memory:", shown_name=shown)
                con = _MEMORY.pop(built)
                index = Index(con, dict(con.execute("SELECT key, value FROM meta")), ":memory:")
    if index.meta.get("hash") != content_hash:
        # The build read other bytes than the hash did: the file changed in between.
        index.con.close()
        if index.path != ":memory:":
            for leftover in (index.path, index.path + ".seal"):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass
        return None
    if _identity(os.stat(path)) == _identity(st):
        write_stamp(cache, real, st, content_hash, taken_ns)
    return index


# ---------------------------------------------------------------------------
# Reading: the collections Graph works on


_MISSING = object()


def _load(blob: bytes) -> Any:
    return marshal.loads(blob)


class Index:
    """An open index: the data-access collections of aideps.graph.Graph."""

    def __init__(self, con: sqlite3.Connection, meta: dict, path: str) -> None:
        self.con = con
        self.meta = meta
        self.path = path
        self.rels: dict[int, dict] = {}  # seq -> relationship, so one relationship is one dict
        self.seq_of: dict[str, int] = {}  # relationship id -> seq, for those loaded
        self.entities = Entities(self)
        self.relationships = Relationships(self)
        self.outgoing = Edges(self, "src")
        self.incoming = Edges(self, "dst")
        self.children = Children(self)
        self.lookup = Lookup(self)
        self._sources: dict[str, dict] | None = None

    def sources(self) -> dict[str, dict]:
        if self._sources is None:
            self._sources = {sid: _load(blob) for sid, blob in self.con.execute("SELECT id, blob FROM sources ORDER BY seq")}
        return self._sources

    def rel(self, seq: int, blob: bytes) -> dict:
        rel = self.rels.get(seq)
        if rel is None:
            rel = self.rels[seq] = _load(blob)
            self.seq_of[rel["id"]] = seq
        return rel

    def rel_rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        return [self.rel(seq, blob) for seq, blob in self.con.execute(sql, tuple(params))]

    def count(self, section: str) -> int:
        return int(self.meta.get(section, 0))

    def completions(self, incomplete: str) -> list[tuple[str, str]]:
        """aideps.graph.completions, from the index."""
        out: dict[str, str] = {}
        for eid, name in self._prefixed("SELECT id, name FROM entities", "id", incomplete, "seq"):
            out.setdefault(eid, name)
        if incomplete != incomplete.lower():
            for word, eid in self._prefixed("SELECT word, eid FROM words", "word", incomplete, "rowid"):
                out.setdefault(word, eid)
        return sorted(out.items(), key=lambda item: (item[0].casefold(), item[0]))

    def _prefixed(self, select: str, column: str, prefix: str, order: str) -> list[tuple]:
        if not prefix:
            rows = self.con.execute(f"{select} ORDER BY {order}")
        else:
            last = ord(prefix[-1])
            if last < 0x10FFFF:
                upper = prefix[:-1] + chr(last + 1)
                rows = self.con.execute(
                    f"{select} WHERE {column} >= ? AND {column} < ? ORDER BY {order}", (prefix, upper)
                )
            else:
                rows = self.con.execute(f"{select} WHERE {column} >= ? ORDER BY {order}", (prefix,))
        return [row for row in rows if row[0].startswith(prefix)]

    def data(self) -> dict:
        """The whole validated data, as store.load used to return it."""
        return {
            "sources": list(self.sources().values()),
            "entities": list(self.entities.values()),
            "relationships": list(self.relationships),
        }


class Entities(Mapping):
    """id -> entity dict, read when asked (and kept)."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._cache: dict[str, dict | None] = {}
        self._names: dict[str, tuple[str, str] | None] = {}

    def __getitem__(self, eid: str) -> dict:
        try:
            entity = self._cache[eid]
        except KeyError:
            entity = None
            if isinstance(eid, str):
                row = self._index.con.execute("SELECT blob FROM entities WHERE id = ?", (eid,)).fetchone()
                entity = _load(row[0]) if row else None
            self._cache[eid] = entity
        if entity is None:
            raise KeyError(eid)
        return entity

    def name_type(self, eid: Any) -> tuple[str, str] | None:
        """(name, type) of an entity, for Graph.ref, without reading all of it."""
        found = self._names.get(eid, _MISSING)
        if found is _MISSING:
            entity = self._cache.get(eid)
            if entity is not None:
                found = (entity["name"], entity["type"])
            else:
                row = None
                if isinstance(eid, str):
                    row = self._index.con.execute("SELECT name, type FROM entities WHERE id = ?", (eid,)).fetchone()
                found = (row[0], row[1]) if row else None
            self._names[eid] = found
        return found  # type: ignore[return-value]

    def prefetch_names(self, ids: Iterable[str]) -> None:
        """name_type for many entities, a few hundred per query."""
        wanted = [eid for eid in ids if isinstance(eid, str) and eid not in self._names]
        con = self._index.con
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            marks = ", ".join("?" * len(batch))
            for eid, name, etype in con.execute(f"SELECT id, name, type FROM entities WHERE id IN ({marks})", batch):
                self._names[eid] = (name, etype)
            for eid in batch:
                self._names.setdefault(eid, None)

    def get(self, eid: Any, default: Any = None) -> Any:  # type: ignore[override]
        entity = self._cache.get(eid, _MISSING)
        if entity is _MISSING:
            try:
                return self[eid]
            except KeyError:
                return default
        return default if entity is None else entity

    def __contains__(self, eid: object) -> bool:
        return self.get(eid) is not None

    def __iter__(self) -> Iterator[str]:
        return (eid for (eid,) in self._index.con.execute("SELECT id FROM entities ORDER BY seq"))

    def __len__(self) -> int:
        return self._index.count("entities")

    def _scan(self) -> Iterator[tuple[str, dict]]:
        cache = self._cache
        for eid, blob in self._index.con.execute("SELECT id, blob FROM entities ORDER BY seq"):
            entity = cache.get(eid)
            yield eid, entity if entity is not None else _load(blob)

    def values(self) -> "_Values":  # type: ignore[override]
        return _Values(self)

    def items(self) -> "_Items":  # type: ignore[override]
        return _Items(self)


class _Values:
    def __init__(self, entities: Entities) -> None:
        self._entities = entities

    def __iter__(self) -> Iterator[dict]:
        return (entity for _, entity in self._entities._scan())

    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, value: object) -> bool:
        return any(value == v for v in self)


class _Items:
    def __init__(self, entities: Entities) -> None:
        self._entities = entities

    def __iter__(self) -> Iterator[tuple[str, dict]]:
        return self._entities._scan()

    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 2:
            return False
        key, value = item
        return key in self._entities and self._entities[key] == value


class Relationships(Sequence):
    """Every relationship in file order (a full scan when iterated), and the
    filtered reads Graph uses instead of a scan when it can (`touching`,
    `of_kinds`, `any_to`, `targets`, `degrees`)."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def __len__(self) -> int:
        return self._index.count("relationships")

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        rows = self._index.rel_rows("SELECT seq, blob FROM relationships WHERE seq = ?", (i + 1,))
        return rows[0]

    def __iter__(self) -> Iterator[dict]:
        index = self._index
        loaded = index.rels
        cursor = index.con.execute("SELECT seq, blob FROM relationships ORDER BY seq")
        while True:
            rows = cursor.fetchmany(1000)
            if not rows:
                return
            for seq, blob in rows:
                rel = loaded.get(seq)
                yield rel if rel is not None else _load(blob)

    def touching(self, eid: str) -> list[dict]:
        """Relationships with `eid` at either end, in file order."""
        return self._index.rel_rows(
            "SELECT seq, blob FROM relationships WHERE src = ? UNION SELECT seq, blob FROM relationships WHERE dst = ? "
            "ORDER BY 1",
            (eid, eid),
        )

    def of_kinds(self, kinds: Iterable[str]) -> list[dict]:
        kinds = sorted(set(kinds))
        marks = ", ".join("?" * len(kinds))
        return self._index.rel_rows(
            f"SELECT seq, blob FROM relationships WHERE kind IN ({marks}) ORDER BY seq", kinds
        )

    def any_to(self, eid: str, kind: str) -> bool:
        row = self._index.con.execute(
            "SELECT 1 FROM relationships WHERE dst = ? AND kind = ? LIMIT 1", (eid, kind)
        ).fetchone()
        return row is not None

    def targets(self, kind: str) -> set[str]:
        return {dst for (dst,) in self._index.con.execute("SELECT DISTINCT dst FROM relationships WHERE kind = ?", (kind,))}

    def degrees(self) -> dict[str, int]:
        """Entity id -> relationships it has (either end; a self-loop counts twice)."""
        counts: dict[str, int] = {}
        con = self._index.con
        for column in ("src", "dst"):
            for eid, n in con.execute(f"SELECT {column}, count(*) FROM relationships GROUP BY {column}"):
                counts[eid] = counts.get(eid, 0) + n
        return counts


class Edges(Mapping):
    """outgoing (by `from`) or incoming (by `to`): id -> its relationships in file order."""

    def __init__(self, index: Index, column: str) -> None:
        self._index = index
        self._column = column
        self._cache: dict[str, list[dict]] = {}

    def __getitem__(self, eid: str) -> list[dict]:
        rels = self._cache.get(eid)
        if rels is None:
            rels = self._index.rel_rows(
                f"SELECT seq, blob FROM relationships WHERE {self._column} = ? ORDER BY seq", (eid,)
            ) if isinstance(eid, str) else []
            self._cache[eid] = rels
        if not rels:
            raise KeyError(eid)
        return rels

    def __iter__(self) -> Iterator[str]:
        column = self._column
        return (
            eid
            for (eid,) in self._index.con.execute(
                f"SELECT {column} FROM relationships GROUP BY {column} ORDER BY min(seq)"
            )
        )

    def __len__(self) -> int:
        column = self._column
        return self._index.con.execute(f"SELECT count(DISTINCT {column}) FROM relationships").fetchone()[0]


class Children(Mapping):
    """id -> ids of the entities whose parent it is, in file order."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._cache: dict[str, list[str]] = {}

    def __getitem__(self, eid: str) -> list[str]:
        ids = self._cache.get(eid)
        if ids is None:
            ids = [
                cid
                for (cid,) in self._index.con.execute(
                    "SELECT id FROM entities WHERE parent = ? ORDER BY seq", (eid,)
                )
            ] if isinstance(eid, str) else []
            self._cache[eid] = ids
        if not ids:
            raise KeyError(eid)
        return ids

    def __iter__(self) -> Iterator[str]:
        return (
            eid
            for (eid,) in self._index.con.execute(
                "SELECT parent FROM entities WHERE parent IS NOT NULL GROUP BY parent ORDER BY min(seq)"
            )
        )

    def __len__(self) -> int:
        return self._index.con.execute(
            "SELECT count(DISTINCT parent) FROM entities WHERE parent IS NOT NULL"
        ).fetchone()[0]


TIERS = {"id": 0, "name": 1, "alias": 2, "compact": 3}


class Lookup:
    """The name tables of Graph.resolve and Graph.suggest, from the index."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def ids(self, tier: str, key: str) -> list[str]:
        return [
            eid
            for (eid,) in self._index.con.execute(
                "SELECT eid FROM lookup WHERE key = ? AND tier = ? ORDER BY rowid", (key, TIERS[tier])
            )
        ]

    def keys(self) -> dict[str, list[str]]:
        """Every id, name and alias key -> entity ids (ids, then names, then aliases)."""
        keys: dict[str, list[str]] = {}
        for key, eid in self._index.con.execute("SELECT key, eid FROM lookup WHERE tier < 3 ORDER BY tier, rowid"):
            keys.setdefault(key, []).append(eid)
        return keys
