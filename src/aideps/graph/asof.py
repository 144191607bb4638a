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

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)

from aideps.graph.core import Graph
from aideps.graph.life import UNKNOWN, Life, moment, moment_doc, term_state_at
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


class AsOfStore(ListedRelationships):
    """Another store as it stood at the end of a date."""

    def __init__(self, base: "Store", when: str | Span) -> None:
        self.base = base
        self.when = when if isinstance(when, Span) else moment(when)
        self._notes: dict[str, dict] = {}
        self._relationships: list[dict] = []
        self._outgoing: dict[str, list[dict]] = defaultdict(list)
        self._incoming: dict[str, list[dict]] = defaultdict(list)
        self.left_out: dict[str, int] = {"not_yet": 0, "ended": 0, "undated": 0}
        for rel in base.relationships:
            life = Life(base, rel)
            state = life.at(self.when)
            if state["presence"] not in ("in", "maybe"):
                self.left_out[state["presence"]] += 1
                continue
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
            self._relationships.append(view)
            self._outgoing[view["from"]].append(view)
            self._incoming[view["to"]].append(view)
            self._notes[rel["id"]] = {
                "date": self.when.text,
                "evidence": life.evidence(),
                "since": state["since"],
                "stage_unknown": state["stage"] == UNKNOWN,
                "certain": not state["doubts"],
                "doubts": state["doubts"],
            }
        # Sources, entities and names are the base's.
        self.entity = base.entity
        self.name_type = base.name_type
        self.prefetch_names = base.prefetch_names
        self.parents = base.parents
        self.children = base.children
        self.groups_of = base.groups_of
        self.people_at = base.people_at
        self.ids = base.ids
        self.keys = base.keys
        self.completions = base.completions
        self.data = base.data

    @property
    def sources(self) -> Mapping[str, dict]:
        return self.base.sources

    @property
    def entities(self) -> Mapping[str, dict]:
        return self.base.entities

    # ---- relationships: those that stood then ----------------------------------

    @property
    def relationships(self) -> Sequence[dict]:
        return self._relationships

    def listing(self) -> Iterable[dict]:
        return self.base.listing()  # entities are the base's

    def dated_entities(self) -> Iterable[tuple[str, dict]]:
        return self.base.dated_entities()

    def citations(self) -> dict[str, dict[str, int]]:
        """Those of the entities and of the relationships that stood then."""
        from aideps.knowledge import listing

        return listing.citations(self.base.entities.values(), self._relationships)


    # ---- time -------------------------------------------------------------------------

    def as_of_summary(self) -> dict | None:
        return {**moment_doc(self.when), "left_out": dict(self.left_out)}

    def as_of_note(self, rid: str) -> dict | None:
        return self._notes.get(rid)
