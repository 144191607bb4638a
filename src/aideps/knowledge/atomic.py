"""Writing a file all at once, the one way aideps does it (the cache's stamps
and seals, `export -o`).

The bytes go into a new temporary file in the target's folder (a random name
made by `tempfile.mkstemp`, created with O_CREAT|O_EXCL: never a fixed name a
link could be planted at), are synced to disk, then the temporary file is
renamed over the target (`os.replace`). A reader sees the old file or the new
one, never half of one; whatever goes wrong (an error, Ctrl-C) removes the
temporary file and leaves the target as it was. The rename replaces the
target's directory entry: a link there is replaced, never written through.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Iterable


def new_file_mode() -> int:
    """The permissions a new file gets: 0666 less the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def replace_file(path: str | os.PathLike[str], data: "bytes | Iterable[bytes]", *, mode: int | None = None) -> None:
    """Write `data` (bytes, or pieces of bytes written as they come) to
    `path` atomically (see the module's docstring), with permissions `mode`
    (default: those of a new file, `new_file_mode()`).

    Raises OSError; when the temporary file cannot be created, the error's
    `filename` is the folder (so a caller can say "cannot write in FOLDER")."""
    import tempfile

    target = os.fspath(path)
    folder, name = os.path.split(target)
    folder = folder or os.curdir
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except OSError as exc:
        exc.filename = folder
        raise
    try:
        try:
            stream = os.fdopen(handle, "wb")
        except BaseException:
            os.close(handle)
            raise
        with stream:
            if isinstance(data, (bytes, bytearray)):
                stream.write(data)
            else:
                for piece in data:
                    stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, new_file_mode() if mode is None else mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
