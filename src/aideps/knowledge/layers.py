"""Layering knowledge files: `--data A --data B` (or AIDEPS_DATA=A:B).

Later files add sources, entities and relationships to earlier ones, and may
refer to what earlier files hold. An id that an earlier file has already
used is an error naming both places, unless the later entry says
`override: true`: then it replaces the earlier one (a deliberate override,
marked in `show`). `bundled` (or `@bundled`) names the file shipped with
aideps: `aideps --data bundled --data mine.yaml show openai`.

Each file is checked alone by the one engine (aideps.knowledge.engine), with
the ids of the files before it known (`outside`); then `clashes` compares
the files' ids. The index of the layered whole: aideps.index.layers.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable
    from typing import Any

from aideps.knowledge.files import ENV_DATA, bundled_path

BUNDLED = ("bundled", "@bundled")  # short names of the bundled file, for --data and AIDEPS_DATA
NOUN = {"sources": "source", "entities": "entity", "relationships": "relationship"}


class Known:
    """`in` and iteration over the ids of this file, then of earlier layered files."""

    def __init__(self, mine: dict, earlier: Any) -> None:
        self.mine, self.earlier = mine, earlier

    def __contains__(self, ident: object) -> bool:
        return ident in self.mine or ident in self.earlier

    def __iter__(self) -> Any:
        yield from self.mine
        yield from (i for i in self.earlier if i not in self.mine)


def one_path(word: str | os.PathLike[str]) -> str:
    """A --data value: `bundled` / `@bundled` is the bundled file, anything else a path."""
    return bundled_path() if str(word) in BUNDLED else os.fspath(word)


def resolve_paths(options: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] | None = None) -> list[str]:
    """The knowledge files to read, in layering order: the --data values
    (several: layered), else AIDEPS_DATA (a path list, os.pathsep between
    paths), else the bundled file."""
    if isinstance(options, (str, os.PathLike)):
        options = [options]
    given = [o for o in options or () if str(o)]
    if given:
        return [one_path(o) for o in given]
    env = os.environ.get(ENV_DATA)
    if env:
        parts = [p for p in env.split(os.pathsep) if p]
        if parts:
            return [one_path(p) for p in parts]
    return [bundled_path()]


def outside_of(reports: list[Any]) -> dict | None:
    """The ids of the files already read, by section (what later files may name)."""
    if not reports:
        return None
    ids: dict[str, dict] = {s: {} for s in NOUN}
    for report in reports:
        for section in NOUN:
            ids[section].update(dict.fromkeys((report.ids or {}).get(section, ())))
    return ids


def clashes(reports: list[Any]) -> tuple[list, dict]:
    """The problems of ids used by two layered files (errors, unless the later
    entry says `override: true`; a note for an override that replaces
    nothing), and the overrides: (file's number, section, id) -> "file:line" of the entry replaced."""
    from aideps.knowledge.problems import Problem

    problems: list[Problem] = []
    overridden: dict[tuple[int, str, str], str] = {}
    first: dict[str, dict[str, tuple[str, int]]] = {s: {} for s in NOUN}
    for n, report in enumerate(reports):
        ids = report.ids or {}
        overrides = report.overrides or {}
        for section, noun in NOUN.items():
            seen = first[section]
            mine = overrides.get(section, set())
            for ident, line in ids.get(section, {}).items():
                earlier = seen.get(ident)
                if earlier is None:
                    if ident in mine and len(reports) > 1:
                        problems.append(
                            Problem(
                                report.file, line, 1,
                                f"{noun} '{ident}' says `override: true` but no earlier file has a {noun} with that id",
                                "note",
                            )
                        )
                    seen[ident] = (report.file, line)
                elif ident in mine:
                    overridden[(n, section, ident)] = f"{earlier[0]}:{earlier[1]}"
                    seen[ident] = (report.file, line)
                else:
                    problems.append(
                        Problem(
                            report.file, line, 1,
                            f"{noun} id '{ident}' is already used at {earlier[0]}:{earlier[1]}; ids must be unique "
                            "across layered files: rename it, or write `override: true` in this entry to replace that one",
                        )
                    )
    return problems, overridden


__all__ = ["BUNDLED", "Known", "clashes", "one_path", "outside_of", "resolve_paths"]
