"""An index's relationships as a sequence in file order, and the filtered
reads that Graph uses instead of a scan when it can (aideps.index.read.Index
holds one: `Index.relationships`)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
# The index is aideps.index.read.Index, which imports this module: naming it
# here, even for type checking only, would be an import cycle.
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any
    from typing import Any as Index

from aideps.index.packing import load_record

# Ids to a query when many are read at once (SQLite allows 32,766 parameters).
BATCH = 500


def _kinds_clause(kinds: Iterable[str] | None) -> tuple[str, list[str]]:
    """A WHERE clause keeping relationships of `kinds` (none when None), and its parameters."""
    if kinds is None:
        return "", []
    chosen = sorted(set(kinds))
    return f" WHERE kind IN ({', '.join('?' * len(chosen))})", chosen


class Relationships(Sequence):
    """Every relationship in file order (a full scan when iterated), and the
    filtered reads Graph uses instead of a scan when it can (`touching`,
    `of_kinds`, `any_to`, `targets`, `degrees`)."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def __len__(self) -> int:
        return self._index.count("relationships")

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        # The i-th by seq, not seq i + 1: a layered file's override leaves gaps.
        rows = self._index.rel_rows("SELECT seq, blob FROM relationships ORDER BY seq LIMIT 1 OFFSET ?", (i,))
        return rows[0]

    def __iter__(self) -> Iterator[dict]:
        return self._stream("SELECT seq, blob FROM relationships ORDER BY seq")

    def touching(self, eid: str) -> list[dict]:
        """Relationships with `eid` at either end, in file order."""
        return self._index.rel_rows(
            "SELECT seq, blob FROM relationships WHERE src = ? UNION SELECT seq, blob FROM relationships WHERE dst = ? "
            "ORDER BY 1",
            (eid, eid),
        )

    def of_kinds(self, kinds: Iterable[str]) -> list[dict]:
        where, params = _kinds_clause(kinds)
        return self._index.rel_rows(f"SELECT seq, blob FROM relationships{where} ORDER BY seq", params)

    def ordered(self, kinds: Iterable[str] | None = None) -> Iterator[dict]:
        """In export order (Store.ordered), sorted by SQLite (which spills to
        a temporary file rather than hold a large file's rows), a thousand
        rows at a time. Text sorts as Python sorts it: UTF-8 bytes compare
        as code points."""
        from aideps.knowledge import vocab

        rank = " ".join(f"WHEN '{kind}' THEN {n}" for kind, n in vocab.KIND_ORDER.items())
        where, params = _kinds_clause(kinds)
        return self._stream(
            f"SELECT seq, blob FROM relationships{where} ORDER BY CASE kind {rank} ELSE 99 END, src, dst, id", params
        )

    def heads(self, kinds: Iterable[str] | None = None) -> Iterator[tuple]:
        where, params = _kinds_clause(kinds)
        return self._index.con.execute(
            f"SELECT seq, src, dst, kind, stage, health, certainty FROM relationships{where} ORDER BY seq", params
        )

    def heads_of(self, eid: str, side: str) -> list[tuple]:
        """By the index on `src` or `dst`; the blobs are not read."""
        if not isinstance(eid, str):
            return []
        column = "src" if side == "from" else "dst"
        return self._index.con.execute(
            f"SELECT seq, src, dst, kind, stage, health, certainty FROM relationships WHERE {column} = ? ORDER BY seq",
            (eid,),
        ).fetchall()

    def having(
        self,
        ids: Iterable[str],
        side: str,
        kinds: Iterable[str],
        stages: Iterable[str] | None = None,
        healths: Iterable[str] | None = None,
        certainties: Iterable[str] | None = None,
    ) -> set[str]:
        """Those of `ids` with a relationship on `side` ("from" or "to") of one
        of `kinds` whose stage, health and certainty are among those given
        (None: any; as aideps.graph.where.Where.ok_head reads a head: no
        stage is "none", no certainty "stated"), by the index on `src` or
        `dst` and kind, a few hundred ids to a query: no relationship read."""
        column = "src" if side == "from" else "dst"
        kinds = sorted(set(kinds))
        if not kinds:
            return set()
        clause = f" AND kind IN ({', '.join('?' * len(kinds))})"
        params: list = list(kinds)
        for expression, values in (
            ("coalesce(nullif(stage, ''), 'none')", stages),
            ("health", healths),
            ("coalesce(nullif(certainty, ''), 'stated')", certainties),
        ):
            if values is not None:
                values = list(values)
                clause += f" AND {expression} IN ({', '.join('?' * len(values))})"
                params += values
        wanted = [eid for eid in dict.fromkeys(ids) if isinstance(eid, str)]
        found: set[str] = set()
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            sql = f"SELECT DISTINCT {column} FROM relationships WHERE {column} IN ({', '.join('?' * len(batch))}){clause}"
            found.update(eid for (eid,) in self._index.con.execute(sql, [*batch, *params]))
        return found

    def at(self, positions: Iterable[int]) -> Iterator[dict]:
        """By seq, 500 to a query, in the order given."""
        index = self._index
        loaded = index.rels
        batch: list[int] = []
        for seq in itertools.chain(positions, (None,)):
            if seq is not None:
                batch.append(seq)
                if len(batch) < 500:
                    continue
            if not batch:
                return
            marks = ", ".join("?" * len(batch))
            found = dict(index.con.execute(f"SELECT seq, blob FROM relationships WHERE seq IN ({marks})", batch))
            for wanted in batch:
                rel = loaded.get(wanted)
                yield rel if rel is not None else load_record(found[wanted])
            batch = []

    def _stream(self, sql: str, params: Iterable = ()) -> Iterator[dict]:
        loaded = self._index.rels
        cursor = self._index.con.execute(sql, tuple(params))
        while True:
            rows = cursor.fetchmany(1000)
            if not rows:
                return
            for seq, blob in rows:
                rel = loaded.get(seq)
                yield rel if rel is not None else load_record(blob)

    def any_to(self, eid: str, kind: str) -> bool:
        row = self._index.con.execute(
            "SELECT 1 FROM relationships WHERE dst = ? AND kind = ? LIMIT 1", (eid, kind)
        ).fetchone()
        return row is not None

    def targets(self, kind: str) -> set[str]:
        return {dst for (dst,) in self._index.con.execute("SELECT DISTINCT dst FROM relationships WHERE kind = ?", (kind,))}

    def degrees(self) -> dict[str, int]:
        """Entity id -> relationships it has (either end; a self-loop counts twice)."""
        counts: dict[str, int] = {}
        con = self._index.con
        for column in ("src", "dst"):
            for eid, n in con.execute(f"SELECT {column}, count(*) FROM relationships GROUP BY {column}"):
                counts[eid] = counts.get(eid, 0) + n
        return counts
