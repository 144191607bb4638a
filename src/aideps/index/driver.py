"""Which index answers for a knowledge file: `open_index(path)`.

The stamp of the file's path vouches for its content hash while the file is
unchanged (aideps.index.cache); the index of that content is opened if it can
be trusted (aideps.index.read); otherwise the file is hashed and, when no
good index of its content exists, one is built (aideps.index.build, imported
only then: a query on a built index never loads the build, YAML or pydantic).
"""

from __future__ import annotations

import os
import time

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)

from aideps.index import cache
from aideps.index.read import BadIndex, open_file

if TYPE_CHECKING:  # pragma: no cover
    from aideps.index.read import Index

CHANGING_TRIES = 3  # reads of a file that keeps changing while it is read, before giving up


def open_index(path: str, *, shown: str | None = None) -> "Index":
    """The index of the knowledge file at `path`, built if need be.

    Raises DataError when the file cannot be read or has errors, and
    OSError never: a cache that cannot be written only makes it slower."""
    shown = shown or path
    for _ in range(CHANGING_TRIES):
        index = _open_once(path, shown)
        if index is not None:
            return index
    from aideps.knowledge.problems import DataError, Problem

    raise DataError(
        [Problem(shown, 0, 0, "the file kept changing while aideps read it; run the command again once it is saved")]
    )


def _open_once(path: str, shown: str) -> "Index | None":
    """open_index, once; None when the file changed while it was being read
    (an index built from it could hold part of the old file and part of the new)."""
    st = os.stat(path)
    real = os.path.realpath(path)
    where = cache.cache_dir()
    folder = cache.index_folder(where)
    stamp = cache.read_stamp(where, real)
    content_hash = cache.trusted_hash(stamp, st)
    if content_hash is not None:
        try:
            return open_file(os.path.join(folder, cache.index_name(content_hash)), content_hash)
        except BadIndex:
            pass  # gone or damaged: rebuilt below
    taken_ns = time.time_ns()
    content_hash = cache.hash_file(path)
    try:
        index = open_file(os.path.join(folder, cache.index_name(content_hash)), content_hash)
    except BadIndex:
        from aideps.index import build

        cache.sweep(os.path.dirname(cache.stamp_path(where, real)))  # stamps half-written by killed processes
        index = build.build_somewhere(folder, path, content_hash, shown)
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
    if cache.identity(os.stat(path)) == cache.identity(st):
        cache.write_stamp(where, real, st, content_hash, taken_ns)
    return index
