"""Reading an index's parents and names: the children of an entity (from
the `parents` table) and the ids a name, alias or id leads to (from the
`lookup` table), for aideps.index.read.Index."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
# The index is aideps.index.read.Index, which imports this module: naming it
# here, even for type checking only, would be an import cycle.
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any as Index


def gather(con, sql: str, ids: list[str], kept) -> dict[str, list[tuple]]:
    """Run `sql` (a query whose rows begin with an id, `{}` where the ids'
    placeholders go) for those of `ids` not in `kept`, in one query: id ->
    the rest of its rows, in the query's order ([] for an id with none).
    The many-at-once reads of Index.prefetch."""
    ask = [eid for eid in ids if eid not in kept]
    found: dict[str, list[tuple]] = {eid: [] for eid in ask}
    if ask:
        for row in con.execute(sql.format(", ".join("?" * len(ask))), ask):
            found[row[0]].append(row[1:])
    return found


class Children(Mapping):
    """id -> ids of the entities whose parent it is, in file order."""

    def __init__(self, index: "Index") -> None:
        self._index = index
        self._cache: dict[str, list[str]] = {}

    def __getitem__(self, eid: str) -> list[str]:
        ids = self._cache.get(eid)
        if ids is None:
            ids = [
                cid
                for (cid,) in self._index.con.execute(
                    "SELECT DISTINCT e.id FROM parents p JOIN entities e ON e.id = p.eid WHERE p.parent = ? ORDER BY e.seq",
                    (eid,),
                )
            ] if isinstance(eid, str) else []
            self._cache[eid] = ids
        if not ids:
            raise KeyError(eid)
        return ids

    def prefetch(self, ids: list[str]) -> None:
        """The children of `ids` (strings) in one query, kept."""
        found = gather(
            self._index.con,
            "SELECT p.parent, e.id FROM parents p JOIN entities e ON e.id = p.eid WHERE p.parent IN ({}) ORDER BY e.seq",
            ids, self._cache,
        )
        self._cache.update((eid, list(dict.fromkeys(c for (c,) in rows))) for eid, rows in found.items())

    def __iter__(self) -> Iterator[str]:
        return (
            eid
            for (eid,) in self._index.con.execute(
                "SELECT p.parent FROM parents p JOIN entities e ON e.id = p.eid GROUP BY p.parent ORDER BY min(e.seq)"
            )
        )

    def __len__(self) -> int:
        return self._index.con.execute(
            "SELECT count(DISTINCT parent) FROM parents"
        ).fetchone()[0]


TIERS = {"id": 0, "name": 1, "alias": 2, "compact": 3}


class Lookup:
    """The name tables of Graph.resolve and Graph.suggest, from the index."""

    def __init__(self, index: "Index") -> None:
        self._index = index

    def ids(self, tier: str, key: str) -> list[str]:
        return [
            eid
            for (eid,) in self._index.con.execute(
                "SELECT eid FROM lookup WHERE key = ? AND tier = ? ORDER BY rowid", (key, TIERS[tier])
            )
        ]

    def keys(self) -> dict[str, list[str]]:
        """Every id, name and alias key -> entity ids (ids, then names, then aliases)."""
        keys: dict[str, list[str]] = {}
        for key, eid in self._index.con.execute("SELECT key, eid FROM lookup WHERE tier < 3 ORDER BY tier, rowid"):
            keys.setdefault(key, []).append(eid)
        return keys
