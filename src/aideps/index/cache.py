"""Where the index cache is, and what it keeps besides the indexes.

Layout: `<cache>/index/<hash>-f<FORMAT>-<version>.sqlite` (one per content,
with a `.seal` next to it), `<cache>/index/.lock` (one lock for the builds in
that folder), `<cache>/stamps/<key>` (one per knowledge-file path).

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

Cache files are read only when they are regular files (`read_regular`): a
link is never followed and a FIFO never waited on; anything else counts as
missing, and is replaced by the next write (`aideps.knowledge.atomic`).
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import time

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

from aideps import __version__

FORMAT = 9  # of the database; bump when the tables, the blobs or the folding of names change
RACY_NS = 2_000_000_000  # a stamp taken less than this after the file's mtime is not trusted
HASH_BYTES = 20
ENV_CACHE = "AIDEPS_CACHE_DIR"
STAMP_BYTES = 4096  # a stamp or a seal is never larger
STALE_BUILD_S = 600  # a build's temporary file untouched this long, its process unknown, is a leftover
STALE_WRITE_S = 60  # an atomic write's temporary file (a stamp, a seal) takes a moment, never a minute
# The size cap of the index folder: at most this many indexes and bytes; past
# either, the least recently used go first (by the index file's access time as
# the file system keeps it, else its modification time). An index whose file
# is gone (no stamp of an existing file refers to it) goes at once.
MAX_INDEXES = 16
MAX_BYTES = 1 << 30

_READ_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
)


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


def index_folder(cache: str) -> str:
    return os.path.join(cache, "index")


VERDICT_SUFFIX = ".verdict"


def verdict_folder(cache: str) -> str:
    """Where validate's verdicts are kept (aideps.index.verdicts)."""
    return os.path.join(cache, "verdicts")


# Beside an index, what a view as of a date counts its left-out relationships
# from (aideps.graph.life.presence_steps): made by the first such view of the
# index, tied to the index file's identity, and read only from then on.
PRESENCE_SUFFIX = ".presence"
PRESENCE_VERSION = 1  # bump when the rules of aideps.graph.life change what it holds
PRESENCE_BYTES = 64 << 20  # a day and a presence per change: never near this


def read_presence(index_path: str) -> Any:
    """What was kept beside the index at `index_path` (`write_presence`), or
    None: missing, damaged, of another version, or of another file at that
    path (the index rebuilt since)."""
    try:
        data, _ = read_regular(index_path + PRESENCE_SUFFIX, PRESENCE_BYTES)
        kept = marshal.loads(data)
        st = os.stat(index_path)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(kept, tuple) or len(kept) != 3 or kept[:2] != (PRESENCE_VERSION, identity(st)):
        return None
    return kept[2]


def write_presence(index_path: str, value: Any) -> None:
    """Keep `value` (marshallable) beside the index at `index_path`; nothing
    when the folder cannot be written (the next view computes it again)."""
    from aideps.knowledge.atomic import replace_file

    try:
        replace_file(index_path + PRESENCE_SUFFIX, marshal.dumps((PRESENCE_VERSION, identity(os.stat(index_path)), value)))
    except (OSError, ValueError):
        pass


def index_name(content_hash: str) -> str:
    return f"{content_hash}-f{FORMAT}-{__version__}.sqlite"


def lock_path(folder: str) -> str:
    """The one lock of the builds into `folder` (not one per content: lock files
    are never removed, so they must not pile up). Builds of different contents
    in one cache therefore wait for each other; builds are rare (once per
    content), and one per file path would let two paths with the same content
    replace each other's index between its sealing and its opening."""
    return os.path.join(folder, ".lock")


def stamp_path(cache: str, real: str) -> str:
    h = hasher()
    h.update(os.fsencode(real))
    return os.path.join(cache, "stamps", h.hexdigest()[:32])


# ---------------------------------------------------------------------------
# Hashing, identity, reading cache files safely


def hasher() -> Any:
    try:
        from _blake2 import blake2b  # what hashlib.blake2b is, without loading OpenSSL
    except ImportError:  # pragma: no cover
        from hashlib import blake2b
    return blake2b(digest_size=HASH_BYTES)


def hash_file(path: str) -> str:
    h = hasher()
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            h.update(chunk)
    return h.hexdigest()


def identity(st: os.stat_result) -> tuple:
    """What changes whenever a file is written or replaced."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read_regular(path: str, limit: int) -> tuple[bytes, os.stat_result]:
    """The first `limit` bytes of the regular file at `path`, and its status.

    OSError when it is anything else: a link is not followed (O_NOFOLLOW, and
    an lstat where that flag is missing), a FIFO or a device is not read
    (opened with O_NONBLOCK, so opening one never waits either)."""
    if not hasattr(os, "O_NOFOLLOW") and stat.S_ISLNK(os.lstat(path).st_mode):  # pragma: no cover - Windows
        raise OSError(f"a link, not followed: {path}")
    fd = os.open(path, _READ_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"not a regular file: {path}")
        chunks = []
        left = limit
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks), st


def read_marshalled(path: str) -> Any:
    """The value marshalled in a stamp or seal file; None when it is missing, not a regular file, or damaged."""
    try:
        data, _ = read_regular(path, STAMP_BYTES)
        return marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None


# ---------------------------------------------------------------------------
# Stamps


def read_stamp(cache: str, real: str) -> dict | None:
    stamp = read_marshalled(stamp_path(cache, real))
    if not isinstance(stamp, dict) or stamp.get("format") != FORMAT or stamp.get("path") != real:
        return None
    return stamp


def trusted_hash(stamp: dict | None, st: os.stat_result) -> str | None:
    """The content hash the stamp vouches for, when the file is as it was and
    the stamp is not racily clean."""
    if stamp is None or tuple(stamp.get("identity", ())) != identity(st):
        return None
    if st.st_mtime_ns >= stamp.get("taken_ns", 0) - RACY_NS:
        return None  # modified within 2 s of being hashed: it may have changed since, unseen
    content = stamp.get("hash")
    return content if isinstance(content, str) else None


def write_stamp(cache: str, real: str, st: os.stat_result, content_hash: str, taken_ns: int) -> None:
    """Record that the file at `real`, as `st` describes it, had `content_hash` at `taken_ns`.
    Silently nothing when the cache cannot be written."""
    from aideps.knowledge.atomic import replace_file

    path = stamp_path(cache, real)
    stamp = {
        "format": FORMAT,
        "path": real,
        "identity": identity(st),
        "hash": content_hash,
        "index": index_name(content_hash),
        "taken_ns": taken_ns,
    }
    old = read_stamp(cache, real)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        replace_file(path, marshal.dumps(stamp))
    except OSError:
        return
    if old is not None and old.get("index") != stamp["index"]:
        forget(cache, old.get("index"))


def write_layers_stamp(cache: str, reals: list[str], lenient: bool, name: str) -> None:
    """Record that the files `reals`, layered (or one read leniently), use the
    index `name`: a stamp that keeps it from being pruned while the files
    exist (aideps.index.layers). Silently nothing when the cache cannot be written."""
    from aideps.knowledge.atomic import replace_file

    key = "\0".join(["layers", "lenient" if lenient else "strict", *reals])
    path = stamp_path(cache, key)
    old = read_marshalled(path)
    if isinstance(old, dict) and old.get("index") == name and old.get("format") == FORMAT:
        return
    stamp = {"format": FORMAT, "path": reals[0], "paths": list(reals), "index": name, "taken_ns": time.time_ns()}
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        replace_file(path, marshal.dumps(stamp))
    except OSError:
        return
    if isinstance(old, dict) and old.get("index") != name:
        forget(cache, old.get("index"))


def forget(cache: str, name: Any) -> None:
    """Delete an index no stamp refers to any more (the file changed)."""
    if not isinstance(name, str) or os.sep in name or not name.endswith(".sqlite"):
        return
    stamps = os.path.join(cache, "stamps")
    try:
        for entry in os.scandir(stamps):
            if entry.name.startswith("."):
                continue  # a stamp being written
            other = read_marshalled(entry.path)
            if isinstance(other, dict) and other.get("index") == name:
                return
        os.unlink(os.path.join(index_folder(cache), name))
        os.unlink(os.path.join(index_folder(cache), name + ".seal"))
        os.unlink(os.path.join(index_folder(cache), name + PRESENCE_SUFFIX))
    except OSError:
        pass


# ---------------------------------------------------------------------------
# Sweeping what killed processes left


def _running(pid: int) -> bool:
    """Whether process `pid` runs (as anyone); True when that cannot be told."""
    if sys.platform == "win32":  # pragma: no cover - os.kill would end it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # runs, as another user (or a number that is not a pid)
    return True


def leftover(entry: os.DirEntry, now: float) -> bool:
    """Whether `entry` is a temporary file a process that ended left: a
    build's (`.build-<pid>-*.tmp`) at once when its process no longer runs,
    or after STALE_BUILD_S when that cannot be told; an atomic write's
    (`.<name>.*.tmp`) after STALE_WRITE_S."""
    name = entry.name
    if not (name.startswith(".") and name.endswith(".tmp")):
        return False
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if stat.S_ISDIR(st.st_mode):
        return False
    age = now - st.st_mtime
    if name.startswith(".build-"):
        try:
            pid = int(name.split("-")[1])
        except (ValueError, IndexError):
            return age >= STALE_BUILD_S
        if sys.platform == "win32":  # pragma: no cover - a running build's open file cannot be removed there
            return age >= STALE_BUILD_S
        return not _running(pid)
    return age >= STALE_WRITE_S


def sweep(folder: str) -> int:
    """Remove what processes that ended without cleaning up (SIGKILL, a power
    cut) left in `folder` (see `leftover`); the number removed. Any other
    ending of a build or a write removes its own."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        if leftover(entry, now):
            try:
                os.unlink(entry.path)  # a name in the folder: never follows a link
                removed += 1
            except OSError:
                continue
    return removed


# ---------------------------------------------------------------------------
# Pruning: the cache does not grow without bound


def _is_stamp_name(name: str) -> bool:
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name)


def _stamps(cache: str) -> list[tuple[str, Any]]:
    folder = os.path.join(cache, "stamps")
    try:  # stamps only, by their names (stamp_path): nothing else there is read or removed
        entries = [e for e in os.scandir(folder) if _is_stamp_name(e.name)]
    except OSError:
        return []
    return [(e.path, read_marshalled(e.path)) for e in entries]


def _indexes(cache: str) -> list[os.DirEntry]:
    try:
        return [
            e for e in os.scandir(index_folder(cache))
            if e.name.endswith(".sqlite") and not e.name.startswith(".") and e.is_file(follow_symlinks=False)
        ]
    except OSError:
        return []


def _gone(stamp: Any) -> bool:
    """Whether a stamp no longer vouches for anything: damaged, of another
    format, or its file is gone (deleted, renamed). (A file changed since
    keeps its stamp until its next run replaces it.)"""
    if not isinstance(stamp, dict) or stamp.get("format") != FORMAT or not isinstance(stamp.get("path"), str):
        return True
    paths = stamp.get("paths")  # a stamp of layered files: all of them
    if isinstance(paths, list):
        return not all(isinstance(p, str) and os.path.exists(p) for p in paths)
    return not os.path.exists(stamp["path"])


def survey(cache: str) -> dict:
    """What the cache holds: indexes (count, bytes), stamps, and what is stale
    (stamps of files gone, indexes no live stamp refers to,
    leftover temporary files)."""
    stamps = _stamps(cache)
    live = {s.get("index") for _, s in stamps if not _gone(s)}
    indexes = _indexes(cache)
    now = time.time()
    leftovers = 0
    for folder in (index_folder(cache), os.path.join(cache, "stamps")):
        try:
            leftovers += sum(1 for e in os.scandir(folder) if leftover(e, now))
        except OSError:
            pass
    total = 0
    for entry in indexes:
        try:
            total += entry.stat(follow_symlinks=False).st_size
        except OSError:
            pass
    return {
        "path": cache,
        "exists": os.path.isdir(cache),
        "indexes": len(indexes),
        "bytes": total,
        "stamps": len(stamps),
        "verdicts": _count_verdicts(cache),
        "stale_stamps": sum(1 for _, s in stamps if _gone(s)),
        "stale_indexes": sum(1 for e in indexes if e.name not in live),
        "leftovers": leftovers,
        "max_indexes": MAX_INDEXES,
        "max_bytes": MAX_BYTES,
    }


def _count_verdicts(cache: str) -> int:
    try:
        return sum(1 for e in os.scandir(verdict_folder(cache)) if e.name.endswith(VERDICT_SUFFIX))
    except OSError:
        return 0


def _remove_index(path: str) -> int:
    removed = 0
    for name in (path, path + ".seal", path + PRESENCE_SUFFIX):
        try:
            os.unlink(name)
            removed += 1
        except OSError:
            pass
    return removed


def prune(cache: str, *, keep: str | None = None, max_indexes: int = MAX_INDEXES, max_bytes: int = MAX_BYTES) -> int:
    """Keep the cache bounded; the number of indexes removed. Stamps whose file
    is gone (deleted, renamed) go; indexes no remaining stamp refers to go
    (other contents, other versions of aideps); then, past `max_indexes` or
    `max_bytes`, the least recently used. `keep` (an index name) is never
    removed: the one just built. Leftover temporary files are swept too."""
    sweep(index_folder(cache))
    sweep(os.path.join(cache, "stamps"))
    live: set[str] = set()
    for path, stamp in _stamps(cache):
        if _gone(stamp):
            try:
                os.unlink(path)
            except OSError:
                pass
        else:
            live.add(stamp.get("index"))
    removed = 0
    kept: list[tuple[float, int, str]] = []
    for entry in _indexes(cache):
        if entry.name != keep and entry.name not in live:
            removed += bool(_remove_index(entry.path))
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        used = max(st.st_atime, st.st_mtime)
        kept.append((float("inf") if entry.name == keep else used, st.st_size, entry.path))
    kept.sort(reverse=True)  # most recently used first
    total = 0
    for n, (used, size, path) in enumerate(kept):
        total += size
        if used != float("inf") and (n >= max_indexes or total > max_bytes):
            removed += bool(_remove_index(path))
            total -= size
    return removed


def clean(cache: str) -> int:
    """Empty the cache: remove its indexes, seals, stamps, validate's verdicts
    (aideps.index.verdicts), locks and temporary files (the number of files
    removed). Only what aideps puts there, by name, in its three folders; a link is removed, never followed; anything else (a
    folder, a file aideps does not make) is left alone."""
    removed = 0
    for folder in (index_folder(cache), os.path.join(cache, "stamps"), verdict_folder(cache)):
        try:
            st = os.lstat(folder)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode):
            continue  # a link to a folder is not followed
        stamps = folder.endswith("stamps")
        for entry in list(os.scandir(folder)):
            name = entry.name
            ours = (
                name.endswith((".sqlite", ".sqlite.seal", ".sqlite" + PRESENCE_SUFFIX, ".tmp", VERDICT_SUFFIX))
                or name == ".lock"
                or (stamps and _is_stamp_name(name))
            )
            try:
                if not ours or entry.is_dir(follow_symlinks=False):
                    continue
                os.unlink(entry.path)
                removed += 1
            except OSError:
                continue
    return removed
