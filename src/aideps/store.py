"""Finding a knowledge file and loading its validated data, through a cache.

The first run on a file validates it (YAML + pydantic, the slow part) and
writes the validated data to the user's cache directory, keyed by a hash of
the file's bytes and by the aideps version. Later runs on the same bytes read
that cache with `marshal` (plain data only: nothing in a cache file can run)
and never import yaml or pydantic. A changed file has another hash, so it is
never answered from a stale cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

from . import __version__
from .problems import DataError, Problem

CACHE_FORMAT = 1
ENV_DATA = "AIDEPS_DATA"
ENV_CACHE = "AIDEPS_CACHE_DIR"


def bundled_path() -> Path:
    """The knowledge file shipped with aideps."""
    here = Path(__file__).resolve().parent
    installed = here / "data" / "entities.yaml"
    if installed.is_file():
        return installed
    # A source checkout or an editable install: src/aideps -> data/
    return here.parent.parent / "data" / "entities.yaml"


def resolve_path(option: str | os.PathLike[str] | None = None) -> Path:
    """`--data` wins, then AIDEPS_DATA, then the bundled file."""
    if option:
        return Path(option)
    env = os.environ.get(ENV_DATA)
    if env:
        return Path(env)
    return bundled_path()


def cache_dir() -> Path:
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("aideps", appauthor=False))


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a DataError a person can act on."""
    name = str(path)
    try:
        if path.is_dir():
            raise DataError([Problem(name, 0, 0, "is a directory, not a knowledge file; name a .yaml file")])
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(
            [Problem(name, 0, 0, "no such file; check the path given to --data or AIDEPS_DATA")]
        ) from None
    except PermissionError:
        raise DataError([Problem(name, 0, 0, "permission denied: the file cannot be read")]) from None
    except OSError as exc:
        raise DataError([Problem(name, 0, 0, f"cannot read the file: {exc.strerror or exc}")]) from None


def _cache_file(content: bytes) -> Path:
    digest = hashlib.blake2b(content, digest_size=20).hexdigest()
    return cache_dir() / f"{digest}-{__version__}-{CACHE_FORMAT}.marshal"


def _read_cache(path: Path) -> dict | None:
    try:
        with open(path, "rb") as fh:
            payload = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if (
        not isinstance(payload, dict)
        or payload.get("format") != CACHE_FORMAT
        or payload.get("version") != __version__
        or not isinstance(payload.get("data"), dict)
    ):
        return None
    return payload["data"]


def _write_cache(path: Path, data: dict) -> None:
    """Write atomically; a cache that cannot be written is not an error."""
    payload = {"format": CACHE_FORMAT, "version": __version__, "data": data}
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            marshal.dump(payload, fh)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            try:
                tmp.unlink()
            except OSError:
                pass


def load(path: Path | None = None, *, use_cache: bool = True) -> dict:
    """The validated data of the knowledge file at `path` (default: resolved).

    Raises DataError with every error found when the file is unusable.
    """
    path = resolve_path(path) if path is None else Path(path)
    content = read_bytes(path)
    cached = _cache_file(content) if use_cache else None
    if cached is not None:
        data = _read_cache(cached)
        if data is not None:
            return data
    from .validate import check_bytes

    report = check_bytes(content, str(path), base_dir=path.parent, check_quotes=False)
    if report.errors:
        raise DataError(report.errors)
    assert report.data is not None
    if cached is not None:
        _write_cache(cached, report.data)
    return report.data
