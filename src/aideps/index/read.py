"""Reading a compiled index: opening it only when it can be trusted, and the
collections `aideps.graph.Graph` works on.

An index that cannot be opened, or whose header, size, seal or `meta` table
do not match what is expected, raises `BadIndex` (and is rebuilt, never
trusted). `Index` offers the data-access collections of a Graph
(`entities`, `relationships`, `outgoing`, `incoming`, `children`, `sources`,
lookups), each backed by SQL queries and decoded on demand;
`Graph.from_index` builds a graph on them.

This is the query path: it imports neither the build (aideps.index.build)
nor YAML nor pydantic.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

from aideps import __version__
from aideps.index.cache import FORMAT, identity, read_marshalled, read_regular
from aideps.index.lookups import Children, Lookup, gather
from aideps.index.packing import load_record
from aideps.index.relationships import BATCH, Relationships

SQLITE_MAGIC = b"SQLite format 3\x00"


class BadIndex(Exception):
    """An index file that cannot be trusted."""


def check_file(path: str) -> None:
    """A complete SQLite file, unchanged since it was built: a regular file
    (never a link followed, nor a FIFO waited on), the header's page count
    times page size is the file's size, and its seal (aideps.index.build.seal)
    matches its identity."""
    try:
        header, st = read_regular(path, 100)
    except OSError as exc:
        raise BadIndex(str(exc)) from None
    sealed = read_marshalled(path + ".seal")
    if sealed is None:
        raise BadIndex("no seal")
    size = st.st_size
    if sealed != identity(st):
        raise BadIndex("changed since it was built")
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise BadIndex("not a SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    if page_size == 1:
        page_size = 65536
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96] or pages * page_size != size:
        raise BadIndex("truncated or changed since it was written")


def connect(path: str) -> sqlite3.Connection:
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
    check_file(path)
    try:
        con = connect(path)
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
# The collections Graph works on


_MISSING = object()
# Relationships kept once read (Index.rels): beyond this many, they are
# dropped and read again when asked for (some 1-2 KB each in memory: a
# hub's tree two levels deep on L held 583 MiB at 100,000, 466 at 25,000,
# and ran no slower).
KEPT_RELATIONSHIPS = 25_000


def _load(blob: bytes) -> Any:
    return marshal.loads(blob)


def _record(index: "Index", table: str, ident: Any) -> dict | None:
    """The record `ident` of `table` (sources or entities), decoded; None when there is none."""
    if not isinstance(ident, str):
        return None
    row = index.con.execute(f"SELECT blob FROM {table} WHERE id = ?", (ident,)).fetchone()
    return load_record(row[0]) if row else None


class Index:
    """An open index: the data-access collections of aideps.graph.Graph."""

    def __init__(self, con: sqlite3.Connection, meta: dict, path: str) -> None:
        self.con = con
        self.meta = meta
        self.path = path
        self.rels: dict[int, dict] = {}  # seq -> relationship, so one relationship is one dict
        self.entities = Entities(self)
        self.relationships = Relationships(self)
        self.outgoing = Edges(self, "src")
        self.incoming = Edges(self, "dst")
        self.children = Children(self)
        self.lookup = Lookup(self)
        self._sources: Sources | None = None
        self._parents: dict[str, list[str]] = {}
        self._groups: dict[str, list[str]] = {}

    def sources(self) -> "Sources":
        if self._sources is None:
            self._sources = Sources(self)
        return self._sources

    def rel(self, seq: int, blob: bytes) -> dict:
        rel = self.rels.get(seq)
        if rel is None:
            rel = self.rels[seq] = load_record(blob)
        return rel

    def rel_rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        if len(self.rels) > KEPT_RELATIONSHIPS:
            self.forget()
        return [self.rel(seq, blob) for seq, blob in self.con.execute(sql, tuple(params))]

    def forget(self) -> None:
        """Drop the relationships read so far (and the lists of them kept by
        entity): a query that walks much of a large file (a hub's tree two
        levels deep) reads on in bounded memory instead of keeping it all."""
        self.rels.clear()
        self.outgoing.clear()
        self.incoming.clear()

    def count(self, section: str) -> int:
        return int(self.meta.get(section, 0))

    def parents(self, eid: str) -> list[str]:
        """Ids of an entity's parents, in the order its file lists them (not its whole record)."""
        found = self._parents.get(eid)
        if found is None:
            entity = self.entities._cache.get(eid)
            if entity is not None:
                found = list(entity.get("parents") or [])
            elif isinstance(eid, str):
                found = [p for (p,) in self.con.execute("SELECT parent FROM parents WHERE eid = ? ORDER BY pos", (eid,))]
            else:
                found = []
            self._parents[eid] = found
        return found

    def groups_of(self, eid: str) -> list[str]:
        """Ids of the groups that list `eid` among their members, in file order."""
        found = self._groups.get(eid)
        if found is None:
            found = self._groups[eid] = list(dict.fromkeys(
                gid for (gid,) in self.con.execute(
                    "SELECT m.gid FROM members m JOIN entities e ON e.id = m.gid WHERE m.eid = ? ORDER BY e.seq", (eid,)
                )
            ))
        return list(found)

    def prefetch(self, ids: Iterable[str], side: str | None = None) -> None:
        """Read the names, parents, parts and groups of many entities (and, with
        `side` "from" or "to", their relationships on that side) a few hundred
        to a query, and keep them as the one-by-one reads do: a hub's tree asks
        for them of tens of thousands of entities, one query each."""
        wanted = [eid for eid in dict.fromkeys(ids) if isinstance(eid, str)]
        con = self.con
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            self.entities.prefetch_names(batch)
            found = gather(con, "SELECT eid, parent FROM parents WHERE eid IN ({}) ORDER BY eid, pos", batch, self._parents)
            self._parents.update((eid, [p for (p,) in rows]) for eid, rows in found.items())
            found = gather(
                con, "SELECT m.eid, m.gid FROM members m JOIN entities e ON e.id = m.gid WHERE m.eid IN ({}) ORDER BY e.seq",
                batch, self._groups,
            )
            self._groups.update((eid, list(dict.fromkeys(g for (g,) in rows))) for eid, rows in found.items())
            self.children.prefetch(batch)
            if side is not None:
                (self.outgoing if side == "from" else self.incoming).prefetch(batch)

    def people_at(self, eid: str) -> list[str]:
        """Ids of the people with a role at `eid`, in file order."""
        return list(dict.fromkeys(
            pid for (pid,) in self.con.execute(
                "SELECT r.person FROM roles r JOIN entities e ON e.id = r.person WHERE r.at = ? ORDER BY e.seq", (eid,)
            )
        ))

    def completions(self, incomplete: str) -> list[tuple[str, str]]:
        """aideps.graph.completions, from the index."""
        out: dict[str, str] = {}
        for eid, name in self._prefixed("SELECT id, name FROM entities", "id", incomplete, "seq"):
            out.setdefault(eid, name)
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

    def listing(self) -> Iterator[dict]:
        """Every entity's line (aideps.knowledge.listing.line), in file order,
        from its card: not its whole record."""
        from aideps.knowledge.listing import line

        return (
            line(eid, name, etype, _load(card))
            for eid, name, etype, card in self.con.execute("SELECT id, name, type, card FROM entities ORDER BY seq")
        )

    def dated_entities(self) -> Iterator[tuple[str, dict]]:
        """(id, what `timeline` reads of it) of every entity with something
        dated, in file order: the small `dated` column, not whole records."""
        return ((eid, _load(when)) for eid, when in self.con.execute(
            "SELECT id, dated FROM entities WHERE dated IS NOT NULL ORDER BY seq"
        ))

    def citations(self) -> dict[str, dict[str, int]]:
        """aideps.knowledge.listing.citations, counted by SQL."""
        counts: dict[str, dict[str, int]] = {}
        rows = self.con.execute("SELECT source, section, count(*), sum(facts) FROM cites GROUP BY source, section")
        for source, section, items, facts in rows:
            count = counts.setdefault(source, {"entities": 0, "relationships": 0, "facts": 0})
            count["relationships" if section else "entities"] = items
            count["facts"] += facts
        return counts

    def data(self) -> dict:
        """The whole validated data, as store.load used to return it."""
        return {
            "sources": list(self.sources().values()),
            "entities": list(self.entities.values()),
            "relationships": list(self.relationships),
        }


class Sources(Mapping):
    """id -> source, in file order: one read when asked for by id (an answer
    cites a few of a catalogue's thousands), all of them at once when iterated
    or when an answer has asked for `ONE_BY_ONE` already (a whole timeline)."""

    ONE_BY_ONE = 32

    def __init__(self, index: Index) -> None:
        self._index = index
        self._cache: dict[str, dict | None] = {}
        self._all: dict[str, dict] | None = None

    def _every(self) -> dict[str, dict]:
        if self._all is None:
            self._all = {sid: load_record(blob) for sid, blob in self._index.con.execute("SELECT id, blob FROM sources ORDER BY seq")}
        return self._all

    def __getitem__(self, sid: str) -> dict:
        if self._all is not None:
            return self._all[sid]
        try:
            source = self._cache[sid]
        except KeyError:
            if len(self._cache) >= self.ONE_BY_ONE:
                return self._every()[sid]
            source = self._cache[sid] = _record(self._index, "sources", sid)
        if source is None:
            raise KeyError(sid)
        return source

    def get(self, sid: Any, default: Any = None) -> Any:  # type: ignore[override]
        if self._all is not None:  # (every claim of an answer reads its source: one lookup)
            return self._all.get(sid, default)
        try:
            return self[sid]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return iter(self._every())

    def __len__(self) -> int:
        return self._index.count("sources")


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
            entity = self._cache[eid] = _record(self._index, "entities", eid)
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
        """name_type for many entities, a few hundred per query; for more than
        a quarter of the file, in one pass over every name (three times quicker
        per name than asking for them)."""
        wanted = [eid for eid in ids if isinstance(eid, str) and eid not in self._names]
        con = self._index.con
        if len(wanted) > 500 and len(wanted) * 4 > len(self):
            chosen = set(wanted)
            for eid, name, etype in con.execute("SELECT id, name, type FROM entities"):
                if eid in chosen:
                    self._names[eid] = (name, etype)
            for eid in wanted:
                self._names.setdefault(eid, None)
            return
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
            yield eid, entity if entity is not None else load_record(blob)

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


class Edges(Mapping):
    """outgoing (by `from`) or incoming (by `to`): id -> its relationships in file order."""

    def __init__(self, index: Index, column: str) -> None:
        self._index = index
        self._column = column
        self._cache: dict[str, list[dict]] = {}

    def clear(self) -> None:  # type: ignore[override]
        self._cache.clear()

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

    def prefetch(self, ids: list[str]) -> None:
        """Read the relationships of `ids` (strings) in one query, and keep them."""
        index = self._index
        if len(index.rels) > KEPT_RELATIONSHIPS:
            index.forget()
        column, rel = self._column, index.rel
        found = gather(index.con, f"SELECT {column}, seq, blob FROM relationships WHERE {column} IN ({{}}) ORDER BY seq", ids, self._cache)
        self._cache.update((eid, [rel(seq, blob) for seq, blob in rows]) for eid, rows in found.items())

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
