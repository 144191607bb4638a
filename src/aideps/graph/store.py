"""Finding a knowledge file, and answering from its compiled index.

`graph(path)` is what every query runs on: a `Graph` on the file's index in
the user's cache directory (aideps.index, read through the store
aideps.graph.indexed.IndexStore), built by the first run on the
file's content (which reads and checks the YAML) and reused while the
content is unchanged. `load(path)` gives the whole validated data as a dict,
for callers that want it (it reads the full index).
"""

from __future__ import annotations

import os

from aideps.knowledge.files import ENV_DATA, bundled_path, not_a_file, read_bytes, read_problem, resolve_path  # noqa: F401 - the public API of aideps.graph.store
from aideps.knowledge.layers import resolve_paths  # noqa: F401

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from aideps.graph.core import Graph
    from aideps.index import Index
    from aideps.knowledge.problems import DataError

ENV_CACHE = "AIDEPS_CACHE_DIR"


def cache_dir() -> str:
    from aideps.index import cache_dir as where

    return where()


def open_index(path: "str | os.PathLike[str] | list | None" = None, *, lenient: bool = False) -> "Index":
    """The compiled index of the knowledge file at `path` (default: resolved);
    given a list, of those files layered (aideps.knowledge.layers); `lenient`:
    of a file whose only problems are not structural (aideps.index.layers).

    Raises DataError with every error found when the file is unusable."""
    from aideps.index import open_index as index_of

    if isinstance(path, (list, tuple)) and len(path) == 1:
        path = path[0]
    if isinstance(path, (list, tuple)) or lenient:
        return _open_layers([os.fspath(p) for p in path] if isinstance(path, (list, tuple)) else [resolve_path(path)], lenient)
    path = resolve_path(path)
    refused = not_a_file(path, read_once=False)
    if refused is not None:
        raise refused
    try:
        return index_of(str(path))
    except OSError as exc:
        raise read_problem(path, exc) from None


def _open_layers(paths: list[str], lenient: bool) -> "Index":
    from aideps.index.layers import open_layers

    for path in paths:
        refused = not_a_file(path, read_once=False)
        if refused is not None:
            raise refused
    try:
        return open_layers([str(p) for p in paths], lenient=lenient)
    except OSError as exc:
        raise read_problem(getattr(exc, "filename", None) or paths[0], exc) from None


def graph(path: "str | os.PathLike[str] | list | None" = None, *, lenient: bool = False) -> "Graph":
    """A Graph on the knowledge file at `path` (default: resolved; a list: layered), from its index."""
    from aideps.graph.core import Graph

    return Graph.from_index(open_index(path, lenient=lenient))


def load(path: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> dict:
    """The validated data of the knowledge file at `path` (default: resolved),
    as one dict (the data contract of docs/design.md).

    Raises DataError with every error found when the file is unusable."""
    if not use_cache:
        from aideps.knowledge.problems import DataError
        from aideps.knowledge.validate import check_bytes

        path = resolve_path(path)
        report = check_bytes(read_bytes(path), str(path), base_dir=os.path.dirname(path), check_quotes=False)
        if report.errors:
            raise DataError(report.errors)
        assert report.data is not None
        return report.data
    return open_index(path).data()
