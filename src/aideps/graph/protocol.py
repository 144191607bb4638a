"""The storage protocol: every way a query reads the knowledge data.

Graph (aideps.graph.core) and the questions of aideps.analysis are written
once, against `Store`; three implementations answer it:

- `aideps.graph.memory.MemoryStore`: the validated dict (the data contract
  of docs/design.md), indexed in memory;
- `aideps.graph.indexed.IndexStore`: the compiled SQLite index of a file
  (aideps.index), which reads only the rows a call needs;
- `aideps.graph.asof.AsOfStore`: a view of another store as it stood at the
  end of a date (only the relationships that stood then, each with the
  stage, health and certainty it had then).

Every operation is here, explicitly: a store offers all of them, so no
query ever asks what it can do. Relationships are the validated dicts; lists
are in file order. Ids a store does not know give empty answers (None, [],
0), never an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    from aideps.graph.where import Where

# The lookup tiers of Graph.resolve, most specific first (aideps.knowledge.names.lookup_rows).
TIERS: tuple[str, ...] = ("id", "name", "alias", "compact")


@runtime_checkable
class Store(Protocol):
    # ---- sources and entities ------------------------------------------------

    @property
    def sources(self) -> Mapping[str, dict]:
        """Source id -> source, in file order."""

    @property
    def entities(self) -> Mapping[str, dict]:
        """Entity id -> entity, in file order (iterating reads them all)."""

    def entity(self, eid: str) -> dict | None:
        """One entity, or None."""

    def name_type(self, eid: str) -> tuple[str, str] | None:
        """(name, type) of an entity, without reading all of it; None when unknown."""

    def prefetch_names(self, ids: Iterable[str]) -> None:
        """Make name_type of many ids cheap (a hint: a store may do nothing)."""

    def prefetch(self, ids: Iterable[str], side: str | None = None) -> None:
        """Make the names, parents, children and groups of many ids cheap, and
        (`side` "from" or "to") their relationships on that side: a hint, as
        prefetch_names (a tree asks for these of thousands of entities)."""

    def parents(self, eid: str) -> list[str]:
        """Ids of the entity's parents, in the order the file lists them ([] when unknown)."""

    def children(self, eid: str) -> list[str]:
        """Ids of the entities with `eid` among their parents, in file order."""

    def groups_of(self, eid: str) -> list[str]:
        """Ids of the groups that list `eid` among their `members`, in file order."""

    def people_at(self, eid: str) -> list[str]:
        """Ids of the people with a role (`roles[].of`) at `eid`, in file order."""

    # ---- relationships -------------------------------------------------------

    @property
    def relationships(self) -> Sequence[dict]:
        """Every relationship, in file order."""

    def touching(self, eid: str) -> list[dict]:
        """Relationships with `eid` at either end (a self-loop once)."""

    def of_kinds(self, kinds: Iterable[str]) -> list[dict]:
        """Relationships of one of `kinds`."""

    def outgoing(self, eid: str) -> list[dict]:
        """Relationships whose `from` is `eid`."""

    def incoming(self, eid: str) -> list[dict]:
        """Relationships whose `to` is `eid`."""

    def any_to(self, eid: str, kind: str) -> bool:
        """Whether some relationship of `kind` has `eid` as its `to`."""

    def targets(self, kind: str) -> set[str]:
        """Ids at the `to` end of some relationship of `kind` (a new set)."""

    def degrees(self) -> dict[str, int]:
        """Entity id -> relationships it has at either end (a self-loop counts twice)."""

    def ordered(self, kinds: Iterable[str] | None = None) -> Iterable[dict]:
        """Relationships of `kinds` (every one when None) in the order an
        export writes them: kind (vocab.KIND_ORDER), from, to, id. Streamed:
        a large store yields them without holding them all."""

    def heads(self, kinds: Iterable[str] | None = None) -> Iterable[tuple]:
        """(position, from, to, kind, stage, health, certainty) of each
        relationship of `kinds` (every one when None), in file order, without
        reading the relationships themselves (`Where.ok_head` filters them);
        `at` reads them by position."""

    def heads_of(self, eid: str, side: str) -> Iterable[tuple]:
        """The heads (as `heads`) of the relationships with `eid` as their
        `side` ("from" or "to"), in file order, without reading them: enough
        to tell whether one of them passes a filter of kind, stage, health
        and certainty (a tree's "anything below?")."""

    def having(self, ids: Iterable[str], side: str, kinds: Iterable[str], where: "Where") -> set[str]:
        """Those of `ids` with a relationship on `side` ("from" or "to") of one
        of `kinds` that `where` keeps (Where.ok_head of one of its heads_of):
        asked of many entities at once (a tree's "anything below?")."""

    def at(self, positions: Iterable[int]) -> Iterable[dict]:
        """The relationships at `positions` (from `heads`), in the order
        given. Streamed: a large store reads them a few hundred at a time."""

    # ---- the whole-catalogue listings ------------------------------------------------

    def listing(self) -> Iterable[dict]:
        """Every entity's line of `list`, in file order (aideps.knowledge.listing.line)."""

    def dated_entities(self) -> Iterable[tuple[str, dict]]:
        """(id, {"type", "description", "events", "facts"}) of every entity
        with events, and of every event entity with facts, in file order
        (aideps.knowledge.listing.dated): what `timeline` reads of entities,
        without their whole records."""

    def citations(self) -> dict[str, dict[str, int]]:
        """Source id -> how many entities, relationships and facts cite it
        (aideps.knowledge.listing.citations)."""

    # ---- names -----------------------------------------------------------------

    def ids(self, tier: str, key: str) -> list[str]:
        """Entity ids whose folded key of `tier` (one of TIERS) is `key`."""

    def keys(self) -> dict[str, list[str]]:
        """Every id, name and alias key -> entity ids (ids, then names, then
        aliases): what "did you mean" chooses from."""

    def completions(self, prefix: str) -> list[tuple[str, str]]:
        """Shell-completion candidates for an entity NAME: (value, help) pairs
        (aideps.graph.memory.completions says which)."""

    # ---- the whole, and time -------------------------------------------------------

    def data(self) -> dict:
        """The whole validated data as one dict (reads everything)."""

    def presence_steps(self) -> tuple[dict[str, int], list[tuple[int, str, int]]]:
        """How many relationships stand where (in, maybe, not yet, ended,
        undated) at the end of any day, as a step function
        (aideps.graph.life.presence_steps): what a view as of a date counts
        what it leaves out from. An index keeps it beside itself; a view as
        of a date gives its base's."""

    def longest_text(self) -> int | None:
        """At least the length of the longest text the store holds (of a
        source, an entity or a relationship), when it is known without reading
        them (an index records it as it is built); else None. A text answer
        whose texts are all far shorter than it clips needs no clipping."""

    def as_of_summary(self) -> dict | None:
        """For a view as of a date, {"date", "through", "left_out"}; else None."""

    def as_of_note(self, rid: str) -> dict | None:
        """For a view as of a date, what it says of one relationship it keeps
        ({"date", "evidence", "since", "stage_unknown", "certain", "doubts"}); else None."""


# Every operation of Store, for tests and for stores to check themselves.
OPERATIONS: tuple[str, ...] = (
    "sources", "entities", "entity", "name_type", "prefetch_names", "prefetch", "parents", "children", "groups_of", "people_at",
    "relationships", "touching", "of_kinds", "outgoing", "incoming", "any_to", "targets", "degrees",
    "ordered", "heads", "heads_of", "having", "at",
    "listing", "dated_entities", "citations",
    "ids", "keys", "completions", "data", "presence_steps", "longest_text", "as_of_summary", "as_of_note",
)
