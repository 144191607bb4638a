"""Queries over the knowledge data: lookups, edges, trees, search, sources.

A `Graph` answers every query through one store (aideps.graph.protocol.Store):
`Graph(data)` on the plain dict of a knowledge file's validated data (see
docs/design.md, "The data contract"; aideps.graph.memory),
`Graph.from_index(index)` on the compiled index of one (aideps.index, read
only as far as a query needs; aideps.graph.indexed), `Graph.on(store)` on any
store, such as the view of another as of a date (aideps.graph.asof). The
queries are written once, against the protocol, and ask no store what it
can do.

Either way a query answers with plain, JSON-ready results: dicts, lists,
strings and numbers. Those results are what `--json` prints (their shapes
are documented in docs/json.md) and what every renderer takes. Nothing here
prints.

Direction: a relationship's `from` relies on its `to` for its `kind`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)

from aideps.graph import groups as _groups
from aideps.graph import parts as _parts
from aideps.graph import views as _views
from aideps.graph.where import Where, stage_rank, where as _where
from aideps.graph.lists import Lists
from aideps.graph.stream import Stream
from aideps.knowledge import dates, vocab
from aideps.knowledge.text import escaped
from aideps.knowledge.names import compact as _compact
from aideps.knowledge.names import fold as _fold

if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from aideps.graph.protocol import Store


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))

SORTS: tuple[str, ...] = ("date", "amount", "name")

_KIND_ORDER = vocab.KIND_ORDER


class LookupFailed(Exception):
    """A name that does not resolve to exactly one entity."""

    def __init__(self, query: str, message: str):
        self.query = query
        super().__init__(message)


class NotFound(LookupFailed):
    def __init__(self, query: str, suggestions: list[str]):
        self.suggestions = suggestions
        shown = escaped(query)  # an argument: escape sequences in it are shown, not obeyed
        if suggestions:
            quoted = [f"'{escaped(s)}'" for s in suggestions]
            options = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
            hint = f"did you mean {options}?"
        else:
            hint = f"try 'aideps search {shown}' or 'aideps list'"
        super().__init__(query, f"no entity '{shown}'; {hint}")


class Ambiguous(LookupFailed):
    def __init__(self, query: str, candidates: list[dict]):
        self.candidates = candidates
        listed = ", ".join(escaped(f"{c['id']} ({c['name']}, {c['type']})") for c in candidates)
        super().__init__(query, f"'{escaped(query)}' could be any of: {listed}; name one by its id")


def completions(data: dict, incomplete: str) -> list[tuple[str, str]]:
    """Shell-completion candidates for an entity NAME in validated data:
    aideps.graph.memory.completions."""
    from aideps.graph.memory import completions as candidates

    return candidates(data, incomplete)


class ByKey:
    """id -> list, read through one store operation (outgoing, incoming,
    children): for callers that read a graph by key, `graph.outgoing.get(id, [])`."""

    __slots__ = ("_read",)

    def __init__(self, read: Callable[[str], list]) -> None:
        self._read = read

    def __getitem__(self, eid: str) -> list:
        return self._read(eid)

    def get(self, eid: str, default=None):
        found = self._read(eid)
        return found if found else default


# Sort keys kept by Graph.sort_key's functions, of each kind, before they start again.
SORT_KEYS = 50_000


class Graph(Lists):
    store: "Store"
    index = None  # the aideps.index.Index a graph from_index reads (its cache key, for tests)

    def __init__(self, data: dict) -> None:
        from aideps.graph.memory import MemoryStore

        self.store = MemoryStore(data)

    @classmethod
    def on(cls, store: "Store") -> "Graph":
        """A graph on any store (aideps.graph.protocol.Store)."""
        graph = cls.__new__(cls)
        graph.store = store
        return graph

    @classmethod
    def from_index(cls, index) -> "Graph":
        """A graph on a compiled index (aideps.index.Index): the same queries,
        reading only what each needs."""
        from aideps.graph.indexed import IndexStore

        graph = cls.on(IndexStore(index))
        graph.index = index
        return graph

    # ---- the store's data, for callers that read it directly ------------------

    @property
    def entities(self) -> Mapping[str, dict]:
        return self.store.entities

    @property
    def relationships(self) -> Sequence[dict]:
        return self.store.relationships

    @property
    def sources(self) -> Mapping[str, dict]:
        return self.store.sources

    @property
    def outgoing(self) -> ByKey:
        return ByKey(self.store.outgoing)

    @property
    def incoming(self) -> ByKey:
        return ByKey(self.store.incoming)

    @property
    def children(self) -> ByKey:
        return ByKey(self.store.children)

    @property
    def data(self) -> dict:
        """The whole validated data (read in full from an index: avoid on large files)."""
        return self.store.data()

    def completions(self, incomplete: str) -> list[tuple[str, str]]:
        """Shell-completion candidates: see aideps.graph.memory.completions."""
        return self.store.completions(incomplete)

    def as_of_summary(self) -> dict | None:
        """For a graph seen as of a date (aideps.graph.asof.at), the `as_of`
        object of a command's document: {"date", "through", "left_out"}; else None."""
        return self.store.as_of_summary()

    # ---- references ------------------------------------------------------

    def ref(self, eid: str) -> dict:
        found = self.store.name_type(eid)
        if found is None:
            return {"id": eid, "name": eid, "type": None}
        return {"id": eid, "name": found[0], "type": found[1]}

    def _prefetch(self, rels: Iterable[dict]) -> None:
        """Read the names of the entities these relationships touch at once
        (on an index, a few queries rather than one each: a hub has thousands)."""
        self.store.prefetch_names(eid for rel in rels for eid in (rel["from"], rel["to"], *(rel.get("replaces") or [])))

    def source_ref(self, sid: str) -> dict:
        source = self.store.sources.get(sid)
        if source is None:
            return {"id": sid, "title": sid, "date": None}
        return {"id": sid, "title": source["title"], "date": source["date"]}

    def name(self, eid: str) -> str:
        return self.ref(eid)["name"]

    # ---- lookup ----------------------------------------------------------

    def resolve(self, query: str) -> str:
        """The id of the entity a user means by `query` (id, name or alias,
        any case). Raises NotFound (with suggestions) or Ambiguous."""
        folded = _fold(query)
        lookup = self.store
        found = lookup.ids("id", folded)
        if found:
            return found[-1]
        for tier in ("name", "alias"):
            ids = _unique(lookup.ids(tier, folded))
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                raise Ambiguous(query, [self.ref(i) for i in sorted(ids)])
        compact = _compact(query)
        ids = lookup.ids("compact", compact) if compact else []
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise Ambiguous(query, [self.ref(i) for i in sorted(ids)])
        raise NotFound(query, self.suggest(query))

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        """Ids of entities whose id, name or alias is close to `query`."""
        import difflib  # only when a name is not found

        folded = _fold(query)
        keys = self.store.keys()
        close = difflib.get_close_matches(folded, list(keys), n=limit * 2, cutoff=0.6)
        found = _unique(eid for key in close for eid in keys[key])
        if not found and len(folded) >= 3:
            found = _unique(eid for key in sorted(keys) if folded in key for eid in keys[key])
        return found[:limit]

    # ---- relationships -----------------------------------------------------

    def parts(self, eid: str) -> list[str]:
        """The parts of an entity, transitive (aideps.graph.parts)."""
        return _parts.parts_of(self.store, eid)

    def edge(self, rel: dict, via: str | None = None, *, claims: bool | str = True) -> dict:
        """A relationship with its entities and sources spelled out, each quote
        with whose claim it is (and, seen as of a date, an `as_of` object:
        aideps.graph.asof); `via`: the part of the entity asked about it goes
        through (aideps.graph.parts), or the group it is inherited from
        (aideps.graph.groups), else None. Without `claims`, or with "sources": aideps.graph.views.edge."""
        return _views.edge(self, rel, via, claims=claims)

    def _provenance(self, items: list[dict]) -> list[dict]:
        return [_views.claim(self, p) for p in items]

    @staticmethod
    def max_amount(rel: dict) -> float | None:
        values = [a["amount"] for a in rel.get("amounts") or []]
        return max(values) if values else None

    def sort_key(self, sort: str):
        """A key for sorting raw relationships: by date (oldest first, undated
        last), amount (largest first, none last) or name (from, then to)."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")

        # Keys made once and kept (a tree sorts a relationship each time it
        # meets it), up to SORT_KEYS of each: a hub's tree of a million
        # relationships does not keep one for each.
        named: dict[tuple, tuple] = {}  # (from, to, kind) -> its names' key

        def names(rel: dict) -> tuple:
            ends = (rel["from"], rel["to"], rel["kind"])
            key = named.get(ends)
            if key is None:
                if len(named) >= SORT_KEYS:
                    named.clear()
                key = named[ends] = (self.name(ends[0]).casefold(), self.name(ends[1]).casefold(), _KIND_ORDER.get(ends[2], 99))
            return key

        known_at: dict[str, tuple] = {}  # relationship id -> its effective date's key

        def by_date(rel: dict) -> tuple:
            # The effective date: its start, else when it was first reported.
            key = known_at.get(rel["id"])
            if key is None:
                if len(known_at) >= SORT_KEYS:
                    known_at.clear()
                start = dates.maybe_parse(rel.get("start"))
                known = start if start is not None else self._first_reported(rel)
                key = known_at[rel["id"]] = (known is None, dates.order_key(known) if known else ())
            return (*key, names(rel))

        if sort == "date":
            return by_date
        if sort == "amount":

            def by_amount(rel: dict) -> tuple:
                top = self.max_amount(rel)
                return (top is None, -(top or 0), by_date(rel))

            return by_amount
        return names

    def _first_reported(self, rel: dict):
        """The date of the first source that reports a relationship (a Span), or
        None: aideps.graph.life.Life.reported, without loading the time rules."""
        sources = self.store.sources
        spans = []
        for item in list(rel.get("provenance") or []) + list(rel.get("amounts") or []) + list(rel.get("history") or []):
            source = sources.get(item["source"])
            span = dates.maybe_parse(source.get("date")) if source else None
            if span is not None:
                spans.append(span)
        return dates.earliest(spans)

    def select(
        self,
        kinds: Iterable[str] | None = None,
        entity: str | None = None,
        where: Where | None = None,
        sort: str = "date",
        parts: bool = False,
    ) -> list[dict]:
        """Raw relationships of the given kinds, touching `entity` (either side;
        with `parts`, or a part of it), that `where` keeps, sorted."""
        kinds = set(kinds) if kinds else None
        keep = _where(where)
        store = self.store
        members = set(_parts.family(store, entity, parts)) if entity is not None else set()
        if entity is not None:
            rels: Iterable[dict] = [s.rel for s in _parts.rolled(store, entity, parts=parts, groups="out")]
        elif kinds is not None:
            rels = store.of_kinds(kinds)
        else:
            rels = store.relationships
        found = [
            rel
            for rel in rels
            if (kinds is None or rel["kind"] in kinds)
            and (entity is None or rel["from"] in members or rel["to"] in members)
            and keep.ok(rel)
        ]
        self._prefetch(found)
        return sorted(found, key=self.sort_key(sort))

    def hardware_suppliers(self) -> set[str]:
        """Entities something relies on for hardware, and their children (a
        chip's maker is a supplier too)."""
        suppliers = self.store.targets("hardware")
        self.store.prefetch(suppliers)  # (their parents: a few queries, not one each)
        for eid in list(suppliers):
            suppliers.update(self.store.parents(eid))
        return suppliers

    def in_house_chips(
        self, entity: str | None = None, where: Where | None = None, sort: str = "date", parts: bool = False
    ) -> list[dict]:
        """In-house efforts that aim to replace a hardware supplier: kind
        in_house whose `to` is a chip, or whose `replaces` names a supplier."""
        efforts = self.select(["in_house"], entity, where, sort, parts)
        if entity is None:
            is_supplier = self.hardware_suppliers().__contains__
        else:  # a few efforts: ask about the suppliers they name, not for all of them
            is_supplier = self._is_hardware_supplier
        return [rel for rel in efforts if self._chip_effort(rel, is_supplier)]

    def _chip_effort(self, rel: dict, is_supplier: Callable[[str], bool]) -> bool:
        """Whether an in-house effort is a chip's: its `to` is a chip, or it replaces a hardware supplier."""
        return self.ref(rel["to"])["type"] == "chip" or any(is_supplier(r) for r in rel.get("replaces") or [])

    def _is_hardware_supplier(self, eid: str) -> bool:
        """Is `eid` in hardware_suppliers(): relied on for hardware, or the parent of one that is?"""
        relied_on = self.store.any_to
        return relied_on(eid, "hardware") or any(relied_on(child, "hardware") for child in self.store.children(eid))

    def partnership(
        self,
        kind: str,
        entity: str | None = None,
        where: Where | None = None,
        sort: str = "name",
        parts: bool = True,
        *,
        stream: bool = False,
        claims: bool | str = True,
    ) -> dict:
        """The `research`, `distribution` and `hardware` commands' result; with
        an `entity`, its parts' relationships too (each with its `via`) unless
        not `parts`. With `stream` and no `entity`, `relationships` is a
        Stream (aideps.graph.stream): every relationship of the kind in a large
        file, read and viewed as it is written, never held. `claims`: as
        `edge` (the text and CSV tables name sources, never quotes)."""
        members = set(_parts.family(self.store, entity, parts)) if entity else set()

        def view(rel: dict) -> dict:
            return self.edge(rel, _parts.via_of(rel, entity, members) if entity else None, claims=claims)

        if stream and entity is None:
            relationships: Any = self._streamed(kind, where, sort, view)
        else:
            relationships = [view(rel) for rel in self.select([kind], entity, where, sort, parts)]

        result: dict = {
            "kind": kind,
            "filters": {
                "entity": self.ref(entity) if entity else None,
                **_where(where).doc(),
                "sort": sort,
                "parts": parts,
            },
            "relationships": relationships,
        }
        if kind == "hardware" and stream and entity is None:
            is_supplier = self.hardware_suppliers().__contains__
            result["in_house"] = self._streamed("in_house", where, sort, view, lambda rel: self._chip_effort(rel, is_supplier))
        elif kind == "hardware":
            result["in_house"] = [view(rel) for rel in self.in_house_chips(entity, where, sort, parts)]
        return result

    def _streamed(
        self,
        kind: str,
        where: Where | None,
        sort: str,
        view: Callable[[dict], dict],
        also: Callable[[dict], bool] = lambda rel: True,
    ) -> Stream:
        """Every relationship of `kind` that `where` keeps (and `also`), sorted
        as `select` sorts them, as a Stream of views. By name (the default),
        the order comes from the relationships' ends alone (Store.heads), and
        the relationships are read in that order (Store.at) as they are
        written: a file of a million holds their positions, not them."""
        keep = _where(where)
        if sort != "name":
            found = [rel for rel in self.select([kind], None, where, sort) if also(rel)]
            return Stream(lambda: (view(rel) for rel in found))
        heads = list(self.store.heads([kind]))
        self.store.prefetch_names({end for head in heads for end in head[1:3]})
        folded: dict[str, str] = {}  # id -> its name, casefolded: the key of sort_key("name"), made once an entity

        def fold(eid: str) -> str:
            found = folded.get(eid)
            if found is None:
                found = folded[eid] = self.name(eid).casefold()
            return found

        keys = [(fold(head[1]), fold(head[2]), _KIND_ORDER.get(head[3], 99)) for head in heads]
        del folded
        order = sorted(range(len(heads)), key=keys.__getitem__)  # stable: ties in file order, as select's
        positions = [heads[i][0] for i in order]
        del heads, keys, order
        return Stream(lambda: (view(rel) for rel in self.store.at(positions) if keep.ok(rel) and also(rel)))

    # ---- one entity --------------------------------------------------------

    def entity_view(self, eid: str) -> dict:
        return _views.entity_view(self, eid)

    def profile(
        self, eid: str, *, parts: bool = True, kinds: Iterable[str] | None = None, stream: bool = False
    ) -> dict:
        """The `show` command's result: the entity, its relationships and (with
        `parts`) its parts' ones, each with its `via` (kind order, then what it
        relies on before what relies on it, then date; only `kinds` when
        given) and who it relies on / is relied on by. With `stream`,
        `relationships` is a Stream (aideps.graph.stream): a hub's tens of
        thousands are viewed as they are written, not held as views."""
        by_date = self.sort_key("date")
        wanted = set(kinds) if kinds else None
        sided = [
            s for s in _parts.rolled(self.store, eid, parts=parts, groups="out")
            if wanted is None or s.rel["kind"] in wanted
        ]
        self._prefetch(s.rel for s in sided)
        sided.sort(
            key=lambda s: (_KIND_ORDER.get(s.rel["kind"], 99), 0 if s.direction == "out" else 1, by_date(s.rel))
        )

        def counterpart(item) -> str:
            return item.rel["to"] if item.direction == "out" else item.rel["from"]

        def summary(direction: str) -> list[dict]:
            grouped: dict[str, list[str]] = {}
            through: dict[str, dict[str, None]] = {}  # counterpart -> the parts (or group) it goes through
            for item in sided:
                rel = item.rel
                if item.direction == direction and rel["kind"] in vocab.DEPENDENCY_KINDS:
                    other = counterpart(item)
                    kinds = grouped.setdefault(other, [])
                    if rel["kind"] not in kinds:
                        kinds.append(rel["kind"])
                    via = rel.get("group") or item.via  # what Graph.edge calls its `via`
                    if via:
                        through.setdefault(other, {})[via] = None
            return [
                {"entity": self.ref(other), "kinds": kinds, "via": [self.ref(v) for v in through.get(other, {})]}
                for other, kinds in grouped.items()
            ]

        def views() -> Iterator[dict]:
            return (self._sided(item.rel, item.direction, item.via) for item in sided)

        rivals = _unique(counterpart(item) for item in sided if item.rel["kind"] == "rivalry")
        relationships: Any = Stream(views) if stream else list(views())
        return {
            "entity": self.entity_view(eid),
            "parts": parts,
            "kinds": sorted(wanted, key=lambda k: _KIND_ORDER.get(k, 99)) if wanted else [],
            "relationships": relationships,
            "relies_on": summary("out"),
            "relied_on_by": summary("in"),
            "rivals": [self.ref(r) for r in rivals],
        }

    def _sided(self, rel: dict, direction: str, via: str | None = None) -> dict:
        view = self.edge(rel, via)
        view["direction"] = direction
        view["counterpart"] = view["to"] if direction == "out" else view["from"]
        return view

    # ---- trees -------------------------------------------------------------

    def tree(self, root: str, **options: Any) -> dict:
        """The `tree` command's result: aideps.graph.trees.tree says which
        options (reverse, depth, kinds, where, parts, entities) it takes."""
        from aideps.graph.trees import tree

        return tree(self, root, **options)
