"""The index of several knowledge files layered (`--data A --data B`), or of
one file read leniently (`--lenient`): `open_layers(paths, lenient=...)`.

Keyed on every file's content, in order, and on the mode: a layered or a
lenient index is never answered for a plain one, nor for another content
(`layered_key`). Each file is checked by the one engine with the ids of the
files before it known (aideps.knowledge.layers); ids used twice across files
refuse, naming both places, unless the later entry says `override: true`:
the earlier entry is then taken out and the later one kept, marked
`overridden_by` (its file) and `overrides` (file:line of the one replaced).

Lenient (aideps.knowledge.report.STRUCTURAL): the problems that leave every
item usable (references, names, dates, quotes) do not refuse; they are kept
in the index's meta (`problems`, `shown`) for the command line to warn with,
and every entity named but not described gets a placeholder entity named
"? ID", of type unknown, `unresolved: true`, so that trees and tables show it.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import time

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

from aideps.index import cache
from aideps.index.build import INDEXES, Writer, build_somewhere, open_new, release, seal_meta
from aideps.index.read import BadIndex, Index, open_file

SHOWN = 5  # problems kept in words for the warning of a lenient query
LATER = ("replaces",)  # entity ids inside a relationship's blob


def layered_key(hashes: list[str], lenient: bool) -> str:
    h = cache.hasher()
    h.update(f"aideps-layers-{cache.FORMAT}-{'lenient' if lenient else 'strict'}".encode())
    for content_hash in hashes:
        h.update(b"\0" + content_hash.encode())
    return h.hexdigest()


class Buffer:
    """The items of a later layer, kept until its check is done (they may replace earlier ones)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, int, dict]] = []

    def __call__(self, section: str, index: int, item: dict) -> None:
        self.items.append((section, index, item))

    def reset(self) -> None:
        self.items.clear()


class Refs:
    """A sink that notes the entity ids relationships name inside their blob, then passes the item on."""

    def __init__(self, sink: Any, named: set) -> None:
        self.sink, self.named = sink, named

    def __call__(self, section: str, index: int, item: dict) -> None:
        if section == "relationships":
            self.named.update(r for r in item.get("replaces") or () if isinstance(r, str))
            self.named.update(e["id"] for e in item.get("exceptions") or () if isinstance(e.get("id"), str))
        self.sink(section, index, item)

    def reset(self) -> None:
        reset = getattr(self.sink, "reset", None)
        if reset is not None:
            reset()


def placeholder(ident: str) -> dict:
    """The entity shown for an id that no file describes (lenient)."""
    from aideps.knowledge.model import Entity

    entity = Entity.model_construct(id=ident, name=f"? {ident}", type="unknown", provenance=[]).model_dump(by_alias=True)
    entity["description"] = "unresolved: named, but no entity has this id (--lenient)"
    entity["unresolved"] = True
    return entity


def build_layers(files: list[tuple[str, str]], target: str, *, lenient: bool) -> str:
    """Index the files (path, shown name), layered in order, into `target`
    (":memory:": kept open in aideps.index.build.MEMORY); the layered key.
    Raises DataError when they cannot be used (see the module's docstring)."""
    from aideps.knowledge.files import read_problem
    from aideps.knowledge.layers import clashes, outside_of
    from aideps.knowledge.problems import DataError
    from aideps.knowledge.scan import scan

    con = open_new(target)
    try:
        writer = Writer(con)
        named: set[str] = set()
        reports, buffers = [], []
        for n, (path, shown) in enumerate(files):
            buffer = Buffer() if n else None
            sink = Refs(buffer if buffer is not None else writer, named)
            try:
                fh = open(path, "rb")
            except OSError as exc:
                raise read_problem(shown, exc) from None
            with fh:
                report = scan(
                    fh, shown, check_quotes=False, notes=False, sink=sink, hasher=cache.hasher,
                    lenient=lenient, outside=outside_of(reports),
                )
            reports.append(report)
            buffers.append(buffer)
        said, overridden = clashes(reports)
        clash_errors = [p for p in said if p.severity == "error"]
        refusing = [p for r in reports for p in (r.blocking if lenient else r.errors)] + clash_errors
        if refusing:
            raise DataError(refusing)
        for n, ((path, shown), buffer) in enumerate(zip(files, buffers)):
            for section, index, item in buffer.items if buffer is not None else ():
                replaced = overridden.get((n, section, item["id"]))
                if replaced is not None:
                    writer.remove(section, item["id"])
                    item = dict(item, overridden_by=shown, overrides=replaced)
                writer(section, index, item)
        writer.flush()
        warnings = [p for r in reports for p in r.errors]
        if lenient:
            add_placeholders(con, writer, named)
        con.executescript(INDEXES)
        key = layered_key([r.content_hash for r in reports], lenient)
        seal_meta(
            con, writer.counts, key,
            layers=marshal.dumps([shown for _, shown in files]),
            problems=len(warnings),
            shown="\n".join(str(p) for p in warnings[:SHOWN]),
        )
    except BaseException:
        con.close()
        raise
    release(con, target, key)
    return key


def add_placeholders(con: sqlite3.Connection, writer: Writer, named: set) -> None:
    """A placeholder entity for every id named (ends, parents, members, roles, replaces) that none has."""
    rows = con.execute(
        "SELECT src FROM relationships UNION SELECT dst FROM relationships UNION SELECT parent FROM parents "
        "UNION SELECT eid FROM members UNION SELECT at FROM roles"
    )
    wanted = {r for (r,) in rows} | named
    have = {r for (r,) in con.execute("SELECT id FROM entities")}
    for n, ident in enumerate(sorted(wanted - have)):
        writer("entities", n, placeholder(ident))
    writer.flush()


def open_layers(paths: list[str], *, lenient: bool, shown: list[str] | None = None) -> Index:
    """The index of the knowledge files `paths` layered (lenient or not), built if need be.
    Raises DataError when they cannot be used or read."""
    from aideps.index import build

    shown = shown or list(paths)
    where = cache.cache_dir()
    folder = cache.index_folder(where)
    hashes, stats, taken = [], [], time.time_ns()
    for path in paths:
        st = os.stat(path)
        real = os.path.realpath(path)
        content = cache.trusted_hash(cache.read_stamp(where, real), st) or cache.hash_file(path)
        hashes.append(content)
        stats.append((real, st, content))
    key = layered_key(hashes, lenient)
    try:
        index = open_file(os.path.join(folder, cache.index_name(key)), key)
    except BadIndex:
        files = list(zip(paths, shown))
        index = build.build_somewhere(folder, paths[0], key, shown[0], lambda target: build_layers(files, target, lenient=lenient))
    if index.meta.get("hash") != key:
        from aideps.knowledge.problems import DataError, Problem

        index.con.close()
        raise DataError([Problem(shown[0], 0, 0, "a file changed while aideps read it; run the command again once it is saved")])
    for real, st, content in stats:
        try:
            if cache.identity(os.stat(real)) == cache.identity(st):
                cache.write_stamp(where, real, st, content, taken)
        except OSError:
            pass
    cache.write_layers_stamp(where, [real for real, _, _ in stats], lenient, cache.index_name(key))
    return index
