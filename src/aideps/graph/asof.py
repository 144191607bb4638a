"""The graph as it stood at the end of a date: a view, and a store.

`at(graph, when)` gives a Graph on an `AsOfStore`: only the relationships
begun (or reported) by the end of `when` and not yet ended, each with the
stage, health, certainty and terms it had then (aideps.graph.life says how each is placed in time).
Entities, sources and names are the underlying store's. It answers the same
protocol (aideps.graph.protocol.Store), so every query of Graph and of
aideps.analysis runs on it unchanged; `Graph.edge` adds to each relationship
an `as_of` object, {"date", "evidence": {"date", "basis"}, "since",
"stage_unknown", "certain", "doubts"}, and `Graph.as_of_summary()` says which date it is and
what it left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)

from aideps.graph.core import Graph
from aideps.graph.life import UNKNOWN, Life, moment, moment_doc, presence_counts, term_state_at
from aideps.graph.memory import ListedRelationships
from aideps.knowledge.dates import Span

if TYPE_CHECKING:  # pragma: no cover
    from aideps.graph.protocol import Store


def at(graph: Graph, when: str | Span | None) -> Graph:
    """`graph` as it stood at the end of `when`, or `graph` itself when `when`
    is None. ValueError, in plain words, when `when` is not a date."""
    if when is None:
        return graph
    return Graph.on(AsOfStore(graph.store, when))


class AsOfStore:
    """Another store as it stood at the end of a date.

    Lazy: a relationship is placed in time (its Life) when a query reads it,
    and what the view leaves out is counted from the base's presence steps
    (`Store.presence_steps`: one pass over a file, kept beside its index),
    so that a question about one entity costs what it costs without the
    date, plus the lives of that entity's relationships. Whole-file reads
    (`relationships`) place every relationship once and keep the list."""

    def __init__(self, base: "Store", when: str | Span) -> None:
        self.base = base
        self.when = when if isinstance(when, Span) else moment(when)
        self._notes: dict[str, dict] = {}
        self._views: dict[str, dict | None] = {}  # relationship id -> its view then, or None (left out)
        self._all: list[dict] | None = None
        self._ends: dict[tuple[str, str], list[dict]] = {}  # (side, entity) -> the views there
        # Sources, entities and names are the base's.
        self.entity = base.entity
        self.name_type = base.name_type
        self.prefetch_names = base.prefetch_names
        self.prefetch = base.prefetch  # (names and the base's relationships, which a view places in time as read)
        self.parents = base.parents
        self.children = base.children
        self.groups_of = base.groups_of
        self.people_at = base.people_at
        self.ids = base.ids
        self.keys = base.keys
        self.completions = base.completions
        self.data = base.data
        self.listing = base.listing  # entities are the base's
        self.dated_entities = base.dated_entities
        self.presence_steps = base.presence_steps  # (of the base's relationships: the view's are counted from them)

    @property
    def sources(self) -> Mapping[str, dict]:
        return self.base.sources

    @property
    def entities(self) -> Mapping[str, dict]:
        return self.base.entities

    # ---- one relationship then --------------------------------------------------------

    def _view(self, rel: dict) -> dict | None:
        """The relationship as it stood then (kept), or None when it did not."""
        rid = rel["id"]
        if rid in self._views:
            return self._views[rid]
        life = Life(self.base, rel)
        state = life.at(self.when)
        if state["presence"] not in ("in", "maybe"):
            self._views[rid] = None
            return None
        view = dict(rel)
        view["stage"] = None if state["stage"] == UNKNOWN else state["stage"]
        view["health"] = state["health"]
        view["certainty"] = state["certainty"] or "stated"
        if rel.get("terms"):
            terms = []
            for term in rel["terms"]:
                term_state = term_state_at(term, self.when, life.last_reported)
                if term_state is not None:
                    terms.append({**term, "state": term_state})
            view["terms"] = terms
        self._notes[rid] = {
            "date": self.when.text,
            "evidence": life.evidence(),
            "since": state["since"],
            "stage_unknown": state["stage"] == UNKNOWN,
            "certain": not state["doubts"],
            "doubts": state["doubts"],
        }
        self._views[rid] = view
        return view

    def _then(self, rels: Iterable[dict]) -> list[dict]:
        """Those of `rels` that stood then, as they stood."""
        return [view for view in map(self._view, rels) if view is not None]

    @staticmethod
    def _head(position: int, view: dict) -> tuple:
        return (position, view["from"], view["to"], view["kind"], view.get("stage"), view.get("health"), view.get("certainty"))

    # ---- relationships: those that stood then ----------------------------------

    @property
    def relationships(self) -> Sequence[dict]:
        if self._all is None:
            self._all = self._then(self.base.relationships)
        return self._all

    def touching(self, eid: str) -> list[dict]:
        return self._then(self.base.touching(eid))

    def of_kinds(self, kinds: Iterable[str]) -> list[dict]:
        return self._then(self.base.of_kinds(kinds))

    def outgoing(self, eid: str) -> list[dict]:
        return self._at_end("from", eid)

    def incoming(self, eid: str) -> list[dict]:
        return self._at_end("to", eid)

    def _at_end(self, side: str, eid: str) -> list[dict]:
        found = self._ends.get((side, eid))
        if found is None:
            found = self._ends[(side, eid)] = self._then((self.base.outgoing if side == "from" else self.base.incoming)(eid))
        return found

    def any_to(self, eid: str, kind: str) -> bool:
        return any(view["kind"] == kind for view in self.incoming(eid))

    def targets(self, kind: str) -> set[str]:
        return {view["to"] for view in self.of_kinds([kind])}

    degrees = ListedRelationships.degrees  # (over `relationships`: every one that stood then)

    def ordered(self, kinds: Iterable[str] | None = None) -> Iterator[dict]:
        return (view for view in map(self._view, self.base.ordered(kinds)) if view is not None)

    def heads(self, kinds: Iterable[str] | None = None) -> Iterator[tuple]:
        """The heads of the base's relationships that stood then, with their
        stage, health and certainty then (each read, as it must be placed in
        time; by the base's positions, which `at` reads)."""
        positions = [head[0] for head in self.base.heads(kinds)]
        for position, rel in zip(positions, self.base.at(positions)):
            view = self._view(rel)
            if view is not None:
                yield self._head(position, view)

    def heads_of(self, eid: str, side: str) -> list[tuple]:
        positions = [head[0] for head in self.base.heads_of(eid, side)]
        return [self._head(p, view) for p, rel in zip(positions, self.base.at(positions)) if (view := self._view(rel)) is not None]

    def having(self, ids: Iterable[str], side: str, kinds: Iterable[str], where) -> set[str]:
        """From the heads then (heads_of): a stage or health may have changed since."""
        from aideps.graph.where import heads_having

        return heads_having(self.heads_of, ids, side, kinds, where)

    def at(self, positions: Iterable[int]) -> Iterator[dict]:
        return (view for view in map(self._view, self.base.at(positions)) if view is not None)

    def citations(self) -> dict[str, dict[str, int]]:
        """Those of the entities and of the relationships that stood then."""
        from aideps.knowledge import listing

        return listing.citations(self.base.entities.values(), self.relationships)

    # ---- time -------------------------------------------------------------------------

    def longest_text(self) -> int | None:
        return self.base.longest_text()  # (its notes are drawn from the texts of its base)

    def as_of_summary(self) -> dict | None:
        counts = presence_counts(self.base.presence_steps(), self.when)
        return {**moment_doc(self.when), "left_out": {key: counts[key] for key in ("not_yet", "ended", "undated")}}

    def as_of_note(self, rid: str) -> dict | None:
        return self._notes.get(rid)
