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

    def prefetch(self, ids: list[str], marks: str) -> None:
        """The children of `ids` (strings; `marks` a ? for each) in one query, kept."""
        ask = [eid for eid in ids if eid not in self._cache]
        if not ask:
            return
        if len(ask) != len(ids):
            marks = ", ".join("?" * len(ask))
        found: dict[str, dict[str, None]] = {eid: {} for eid in ask}
        for parent, cid in self._index.con.execute(
            f"SELECT p.parent, e.id FROM parents p JOIN entities e ON e.id = p.eid WHERE p.parent IN ({marks}) ORDER BY e.seq",
            ask,
        ):
            found[parent][cid] = None
        self._cache.update((eid, list(children)) for eid, children in found.items())

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
