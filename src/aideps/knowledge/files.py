"""Where a knowledge file is, and reading it: `--data`, AIDEPS_DATA, the
bundled file; a file that cannot be read becomes a DataError a person can act on."""

from __future__ import annotations

import os

# Paths are plain strings here (os.path): pathlib and typing cost a start-up
# of ~20 ms between them, and every command comes this way.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from aideps.knowledge.problems import DataError

ENV_DATA = "AIDEPS_DATA"


def bundled_path() -> str:
    """The knowledge file shipped with aideps (a path)."""
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # src/aideps (or site-packages/aideps)
    installed = os.path.join(here, "data", "entities.yaml")
    if os.path.isfile(installed):
        return installed
    # A source checkout or an editable install: src/aideps -> data/
    return os.path.join(os.path.dirname(os.path.dirname(here)), "data", "entities.yaml")


def resolve_path(option: str | os.PathLike[str] | None = None) -> str:
    """`--data` wins, then AIDEPS_DATA, then the bundled file."""
    if option:
        return os.fspath(option)
    env = os.environ.get(ENV_DATA)
    if env:
        return env
    return bundled_path()


def read_problem(path: str | os.PathLike[str], exc: OSError) -> "DataError":
    """A DataError a person can act on, for a knowledge file that cannot be read."""
    from aideps.knowledge.problems import DataError, Problem

    name = str(path)
    if isinstance(exc, IsADirectoryError):
        message = "is a directory, not a knowledge file; name a .yaml file"
    elif isinstance(exc, FileNotFoundError):
        message = "no such file; check the path given to --data or AIDEPS_DATA"
    elif isinstance(exc, PermissionError):
        message = "permission denied: the file cannot be read"
    else:
        message = f"cannot read the file: {exc.strerror or exc}"
    return DataError([Problem(name, 0, 0, message)])


def not_a_file(path: str | os.PathLike[str], *, read_once: bool = True) -> "DataError | None":
    """A DataError when `path` is something else than a file aideps can read:
    a directory, a device (/dev/zero would be read forever), a socket, or a
    pipe when the file must be read twice (to hash it, then to index it)."""
    import stat

    from aideps.knowledge.problems import DataError, Problem

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # opening it says why
    if stat.S_ISDIR(mode):
        message = "is a directory, not a knowledge file; name a .yaml file"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        message = "is a device, not a knowledge file; name a .yaml file"
    elif stat.S_ISSOCK(mode):
        message = "is a socket, not a knowledge file; name a .yaml file"
    elif stat.S_ISFIFO(mode) and not read_once:
        message = "is a pipe, and aideps reads a knowledge file twice (to index it); save it to a file and name that"
    else:
        return None
    return DataError([Problem(str(path), 0, 0, message)])


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or a DataError a person can act on."""
    refused = not_a_file(path)
    if refused is not None:
        raise refused
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise read_problem(path, exc) from None
