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
from typing import Any

from aideps import __version__

FORMAT = 2  # of the database; bump when the tables, the blobs or the folding of names change
RACY_NS = 2_000_000_000  # a stamp taken less than this after the file's mtime is not trusted
HASH_BYTES = 20
ENV_CACHE = "AIDEPS_CACHE_DIR"
STAMP_BYTES = 4096  # a stamp or a seal is never larger
STALE_BUILD_S = 600  # a temporary file untouched this long is a leftover

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
    except OSError:
        pass


# ---------------------------------------------------------------------------
# Sweeping what killed processes left


def sweep(folder: str) -> None:
    """Remove what processes killed outright (SIGKILL, a power cut) left in
    `folder`, untouched for 10 minutes: the temporary file of a build whose
    process no longer runs (`.build-<pid>-*.tmp`), and any other temporary
    file (`.<name>.*.tmp`, an atomic write's: those take a moment, never 10
    minutes). Any other ending of a build or a write removes its own."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_BUILD_S:
                continue
            if name.startswith(".build-") and sys.platform != "win32":
                # (On Windows os.kill would end the process; there, a file still
                # open by a running build cannot be removed, which says the same.)
                pid = int(name.split("-")[1])
                try:
                    os.kill(pid, 0)
                    continue  # still running
                except ProcessLookupError:
                    pass
                except PermissionError:
                    continue  # runs, as another user
            os.unlink(entry.path)
        except (ValueError, IndexError, OSError):
            continue
