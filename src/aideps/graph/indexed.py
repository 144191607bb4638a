"""A store (aideps.graph.protocol.Store) over a compiled index (aideps.index).

An adapter only: it reads through the public read side of aideps.index's
`Index` (its collections `entities`, `relationships`, `outgoing`, `incoming`,
`children`, `lookup`, and `sources()`, `completions()`, `data()`), which read
only the rows a call needs and keep what they read. The hot operations are
the index's own bound methods, so a query pays no extra call for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)

if TYPE_CHECKING:  # pragma: no cover
    from aideps.graph.where import Where
    from aideps.index.core import Index


class IndexStore:
    """The compiled index of one knowledge file."""

    def __init__(self, index: "Index") -> None:
        self.index = index
        entities = index.entities
        relationships = index.relationships
        self._outgoing = index.outgoing
        self._incoming = index.incoming
        self._children = index.children
        self.entity = entities.get
        self.name_type = entities.name_type
        self.touching = relationships.touching
        self.of_kinds = relationships.of_kinds
        self.any_to = relationships.any_to
        self.targets = relationships.targets
        self.degrees = relationships.degrees
        self.ordered = relationships.ordered
        self.heads = relationships.heads
        self.heads_of = relationships.heads_of
        self.at = relationships.at
        self.parents = index.parents
        self.listing = index.listing
        self.dated_entities = index.dated_entities
        self.citations = index.citations
        self.ids = index.lookup.ids
        self.keys = index.lookup.keys
        self.completions = index.completions
        self.data = index.data
        # Sources: read one by one, then whole once an answer has asked for a
        # few (nearly every answer cites them; `list` does not: a catalogue
        # has a source per card). An attribute: every claim reads it.
        self.sources: Mapping[str, dict] = index.sources()

    @property
    def entities(self) -> Mapping[str, dict]:
        return self.index.entities

    @property
    def relationships(self) -> Sequence[dict]:
        return self.index.relationships

    def prefetch_names(self, ids: Iterable[str]) -> None:
        self.index.entities.prefetch_names(set(ids))

    def prefetch(self, ids: Iterable[str], side: str | None = None) -> None:
        self.index.prefetch(ids, side)

    def having(self, ids: Iterable[str], side: str, kinds: Iterable[str], where: "Where") -> set[str]:
        return self.index.relationships.having(ids, side, kinds, where.stages, where.healths, where.certainties)

    def children(self, eid: str) -> list[str]:
        return self._children.get(eid, [])

    def groups_of(self, eid: str) -> list[str]:
        return self.index.groups_of(eid) if isinstance(eid, str) else []

    def people_at(self, eid: str) -> list[str]:
        return self.index.people_at(eid) if isinstance(eid, str) else []

    def outgoing(self, eid: str) -> list[dict]:
        return self._outgoing.get(eid, [])

    def incoming(self, eid: str) -> list[dict]:
        return self._incoming.get(eid, [])

    def presence_steps(self) -> tuple[dict[str, int], list[tuple[int, str, int]]]:
        """aideps.graph.life.presence_steps of every relationship: one pass over
        the file the first time, then kept beside the index (read from there)."""
        steps = self.__dict__.get("_presence")
        if steps is None:
            from aideps.graph.life import presence_steps
            from aideps.index import cache

            path = self.index.path
            kept = cache.read_presence(path) if path != ":memory:" else None
            steps = _steps(kept)
            if steps is None:
                steps = presence_steps(self)
                if path != ":memory:":
                    cache.write_presence(path, steps)
            self.__dict__["_presence"] = steps
        return steps

    def longest_text(self) -> int | None:
        longest = self.index.meta.get("longest")  # (the longest record the build wrote, in bytes)
        return longest if type(longest) is int else None

    def as_of_summary(self) -> dict | None:
        return None

    def as_of_note(self, rid: str) -> dict | None:
        return None


def _steps(kept: object) -> tuple[dict[str, int], list[tuple[int, str, int]]] | None:
    """Presence steps read back from beside an index, when they have their shape; else None."""
    from aideps.graph.life import PRESENCES

    if not isinstance(kept, tuple) or len(kept) != 2:
        return None
    start, changes = kept
    if not isinstance(start, dict) or set(start) != set(PRESENCES) or not all(type(n) is int for n in start.values()):
        return None
    if not isinstance(changes, list) or not all(
        isinstance(c, tuple) and len(c) == 3 and type(c[0]) is int and c[1] in PRESENCES and type(c[2]) is int for c in changes
    ):
        return None
    return start, changes
