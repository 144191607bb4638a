"""Queries over the validated data: lookups, edges, trees, search, sources.

`Graph(data)` takes the plain dict of a knowledge file's validated data (see
docs/design.md, "The data contract"); `Graph.from_index(index)` works on the
compiled index of one (aideps.index), reading only the rows a query needs.
Either way it answers with plain, JSON-ready results: dicts, lists, strings
and numbers. Those results are what `--json` prints (their shapes are
documented in docs/json.md) and what every renderer takes. Nothing here
prints.

The data-access API, which queries here and in aideps.analysis use:
`entities` (id -> entity, a Mapping), `relationships` (every relationship,
in file order), `outgoing.get(id, [])` / `incoming.get(id, [])` (by `from`
/ `to`, in file order), `children.get(id, [])`, `sources` (id -> source),
`resolve`, `suggest`, `ref`, `source_ref`, `name`, `edge`. On an index these
are lazy collections; where they offer a cheaper way to a filtered answer
(`touching`, `of_kinds`, `any_to`, `targets`, `degrees` on `relationships`),
queries use it, else they scan. A subclass that filters `relationships`
(aideps.analysis.AsOf) gets plain lists without those, so it is scanned.

Direction: a relationship's `from` relies on its `to` for its `kind`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from aideps.knowledge import vocab
from aideps.knowledge.names import compact as _compact
from aideps.knowledge.names import fold as _fold
from aideps.knowledge.names import lookup_rows


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))

SORTS: tuple[str, ...] = ("date", "amount", "name")

_KIND_ORDER = {kind: index for index, kind in enumerate(vocab.KINDS)}
_STATUS_ORDER = {status: index for index, status in enumerate(vocab.STATUSES)}
_TYPE_ORDER = {etype: index for index, etype in enumerate(vocab.ENTITY_TYPES)}


class LookupFailed(Exception):
    """A name that does not resolve to exactly one entity."""

    def __init__(self, query: str, message: str):
        self.query = query
        super().__init__(message)


class NotFound(LookupFailed):
    def __init__(self, query: str, suggestions: list[str]):
        self.suggestions = suggestions
        if suggestions:
            quoted = [f"'{s}'" for s in suggestions]
            options = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
            hint = f"did you mean {options}?"
        else:
            hint = f"try 'aideps search {query}' or 'aideps list'"
        super().__init__(query, f"no entity '{query}'; {hint}")


class Ambiguous(LookupFailed):
    def __init__(self, query: str, candidates: list[dict]):
        self.candidates = candidates
        listed = ", ".join(f"{c['id']} ({c['name']}, {c['type']})" for c in candidates)
        super().__init__(query, f"'{query}' could be any of: {listed}; name one by its id")


class _Tables:
    """The name tables of a graph built from a dict."""

    def __init__(self, graph: "Graph") -> None:
        self.tables = (graph._by_id, graph._by_name, graph._by_alias, graph._by_compact)

    def ids(self, tier: str, key: str) -> list[str]:
        found = self.tables[_TIERS[tier]].get(key)
        if found is None:
            return []
        return [found] if isinstance(found, str) else list(found)

    def keys(self) -> dict[str, list[str]]:
        keys: dict[str, list[str]] = defaultdict(list)
        for key, eid in self.tables[0].items():
            keys[key].append(eid)
        for table in self.tables[1:3]:
            for key, ids in table.items():
                keys[key].extend(ids)
        return keys


_TIERS = {"id": 0, "name": 1, "alias": 2, "compact": 3}


def completions(data: dict, incomplete: str) -> list[tuple[str, str]]:
    """Shell-completion candidates for an entity NAME: (value, help) pairs.

    Ids are offered (they need no quoting); when the word typed so far has a
    capital letter, names and aliases without spaces are offered too, so
    `NV<TAB>` completes to `NVIDIA`. Case-sensitive prefix match, as the shell
    expects.
    """
    out: dict[str, str] = {}
    for entity in data.get("entities", []):
        if entity["id"].startswith(incomplete):
            out.setdefault(entity["id"], entity["name"])
    if incomplete != incomplete.lower():
        for entity in data.get("entities", []):
            for word in [entity["name"], *entity.get("aliases", [])]:
                if word.startswith(incomplete) and not any(c.isspace() for c in word):
                    out.setdefault(word, entity["id"])
    return sorted(out.items(), key=lambda item: (item[0].casefold(), item[0]))


class Graph:
    index = None  # the aideps.index.Index a graph from_index reads

    def __init__(self, data: dict):
        self._data = data
        self.sources: dict[str, dict] = {s["id"]: s for s in data.get("sources", [])}
        self.entities: dict[str, dict] = {e["id"]: e for e in data.get("entities", [])}
        self.relationships: list[dict] = list(data.get("relationships", []))
        self.outgoing: dict[str, list[dict]] = defaultdict(list)
        self.incoming: dict[str, list[dict]] = defaultdict(list)
        for rel in self.relationships:
            self.outgoing[rel["from"]].append(rel)
            self.incoming[rel["to"]].append(rel)
        self.children: dict[str, list[str]] = defaultdict(list)
        for entity in self.entities.values():
            if entity.get("parent"):
                self.children[entity["parent"]].append(entity["id"])
        # Lookup tables, most specific first: id, name, alias, compacted.
        self._by_id: dict[str, str] = {}
        self._by_name: dict[str, list[str]] = defaultdict(list)
        self._by_alias: dict[str, list[str]] = defaultdict(list)
        self._by_compact: dict[str, list[str]] = defaultdict(list)
        tables = (None, self._by_name, self._by_alias, self._by_compact)
        for entity in self.entities.values():
            for key, tier, eid in lookup_rows(entity):
                if tier == 0:
                    self._by_id[key] = eid
                else:
                    tables[tier][key].append(eid)  # type: ignore[index]
        self._lookup = _Tables(self)

    @classmethod
    def from_index(cls, index) -> "Graph":
        """A graph on a compiled index (aideps.index.Index): the same queries,
        reading only what each needs."""
        graph = cls.__new__(cls)
        graph.index = index
        graph._data = None
        graph.sources = index.sources()
        graph.entities = index.entities
        graph.relationships = index.relationships
        graph.outgoing = index.outgoing
        graph.incoming = index.incoming
        graph.children = index.children
        graph._lookup = index.lookup
        return graph

    def as_of_summary(self) -> dict | None:
        return None

    @property
    def data(self) -> dict:
        """The whole validated data (read in full from an index: avoid on large files)."""
        if self._data is None and self.index is not None:
            self._data = self.index.data()
        return self._data

    @data.setter
    def data(self, value: dict) -> None:
        self._data = value

    def completions(self, incomplete: str) -> list[tuple[str, str]]:
        """Shell-completion candidates: see the module function `completions`."""
        if self.index is not None:
            return self.index.completions(incomplete)
        return completions(self.data, incomplete)

    # ---- references ------------------------------------------------------

    def ref(self, eid: str) -> dict:
        name_type = getattr(self.entities, "name_type", None)  # an index: two columns, not the whole entity
        if name_type is not None:
            found = name_type(eid)
            if found is None:
                return {"id": eid, "name": eid, "type": None}
            return {"id": eid, "name": found[0], "type": found[1]}
        entity = self.entities.get(eid)
        if entity is None:
            return {"id": eid, "name": eid, "type": None}
        return {"id": eid, "name": entity["name"], "type": entity["type"]}

    def _prefetch(self, rels: Iterable[dict]) -> None:
        """On an index, read the names of the entities these relationships
        touch in a few queries rather than one each (a hub has thousands)."""
        prefetch = getattr(self.entities, "prefetch_names", None)
        if prefetch is not None:
            prefetch({eid for rel in rels for eid in (rel["from"], rel["to"], *(rel.get("replaces") or []))})

    def source_ref(self, sid: str) -> dict:
        source = self.sources.get(sid)
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
        lookup = self._lookup
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
        keys = self._lookup.keys()
        close = difflib.get_close_matches(folded, list(keys), n=limit * 2, cutoff=0.6)
        found = _unique(eid for key in close for eid in keys[key])
        if not found and len(folded) >= 3:
            found = _unique(eid for key in sorted(keys) if folded in key for eid in keys[key])
        return found[:limit]

    # ---- relationships -----------------------------------------------------

    def edge(self, rel: dict) -> dict:
        """A relationship with its entities and sources spelled out."""
        return {
            "id": rel["id"],
            "kind": rel["kind"],
            "from": self.ref(rel["from"]),
            "to": self.ref(rel["to"]),
            "status": rel["status"],
            "summary": rel["summary"],
            "start": rel.get("start"),
            "end": rel.get("end"),
            "date_note": rel.get("date_note"),
            "amounts": [
                {
                    "amount": a["amount"],
                    "currency": a.get("currency"),
                    "qualifier": a.get("qualifier") or "exact",
                    "note": a.get("note"),
                    "source": self.source_ref(a["source"]),
                    "quote": a["quote"],
                }
                for a in rel.get("amounts") or []
            ],
            "terms": [{"name": t["name"], "summary": t["summary"]} for t in rel.get("terms") or []],
            "replaces": [self.ref(r) for r in rel.get("replaces") or []],
            "history": [
                {
                    "date": h["date"],
                    "status": h["status"],
                    "note": h.get("note"),
                    "source": self.source_ref(h["source"]),
                    "quote": h["quote"],
                }
                for h in rel.get("history") or []
            ],
            "provenance": self._provenance(rel.get("provenance") or []),
        }

    def _provenance(self, items: list[dict]) -> list[dict]:
        return [{"source": self.source_ref(p["source"]), "quote": p["quote"]} for p in items]

    @staticmethod
    def max_amount(rel: dict) -> float | None:
        values = [a["amount"] for a in rel.get("amounts") or []]
        return max(values) if values else None

    def sort_key(self, sort: str):
        """A key for sorting raw relationships: by date (oldest first, undated
        last), amount (largest first, none last) or name (from, then to)."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")

        def names(rel: dict) -> tuple:
            return (self.name(rel["from"]).casefold(), self.name(rel["to"]).casefold(), _KIND_ORDER.get(rel["kind"], 99))

        def by_date(rel: dict) -> tuple:
            return (rel.get("start") is None, rel.get("start") or "", names(rel))

        if sort == "date":
            return by_date
        if sort == "amount":

            def by_amount(rel: dict) -> tuple:
                top = self.max_amount(rel)
                return (top is None, -(top or 0), by_date(rel))

            return by_amount
        return names

    def select(
        self,
        kinds: Iterable[str] | None = None,
        entity: str | None = None,
        statuses: Iterable[str] | None = None,
        sort: str = "date",
    ) -> list[dict]:
        """Raw relationships of the given kinds, touching `entity` (either side),
        in one of `statuses`, sorted."""
        kinds = set(kinds) if kinds else None
        statuses = set(statuses) if statuses else None
        rels = self.relationships
        if entity is not None and hasattr(rels, "touching"):
            rels = rels.touching(entity)
        elif kinds is not None and hasattr(rels, "of_kinds"):
            rels = rels.of_kinds(kinds)
        found = [
            rel
            for rel in rels
            if (kinds is None or rel["kind"] in kinds)
            and (entity is None or entity in (rel["from"], rel["to"]))
            and (statuses is None or rel["status"] in statuses)
        ]
        self._prefetch(found)
        return sorted(found, key=self.sort_key(sort))

    def hardware_suppliers(self) -> set[str]:
        """Entities something relies on for hardware, and their children (a
        chip's maker is a supplier too)."""
        rels = self.relationships
        if hasattr(rels, "targets"):
            suppliers = rels.targets("hardware")
        else:
            suppliers = {rel["to"] for rel in rels if rel["kind"] == "hardware"}
        for eid in list(suppliers):
            parent = self.entities.get(eid, {}).get("parent")
            if parent:
                suppliers.add(parent)
        return suppliers

    def in_house_chips(
        self, entity: str | None = None, statuses: Iterable[str] | None = None, sort: str = "date"
    ) -> list[dict]:
        """In-house efforts that aim to replace a hardware supplier: kind
        in_house whose `to` is a chip, or whose `replaces` names a supplier."""
        efforts = self.select(["in_house"], entity, statuses, sort)
        if entity is None:
            is_supplier = self.hardware_suppliers().__contains__
        else:  # a few efforts: ask about the suppliers they name, not for all of them
            is_supplier = self._is_hardware_supplier
        return [
            rel
            for rel in efforts
            if self.ref(rel["to"])["type"] == "chip" or any(is_supplier(r) for r in rel.get("replaces") or [])
        ]

    def _is_hardware_supplier(self, eid: str) -> bool:
        """Is `eid` in hardware_suppliers(): relied on for hardware, or the parent of one that is?"""
        rels = self.relationships
        if hasattr(rels, "any_to"):
            relied_on = rels.any_to
        else:

            def relied_on(other: str, kind: str) -> bool:
                return any(rel["kind"] == kind for rel in self.incoming.get(other, []))

        return relied_on(eid, "hardware") or any(
            relied_on(child, "hardware") for child in self.children.get(eid, [])
        )

    def partnership(
        self,
        kind: str,
        entity: str | None = None,
        statuses: Iterable[str] | None = None,
        sort: str = "name",
    ) -> dict:
        """The `research`, `distribution` and `hardware` commands' result."""
        result: dict = {
            "kind": kind,
            "filters": {
                "entity": self.ref(entity) if entity else None,
                "status": sorted(set(statuses or []), key=_STATUS_ORDER.get),
                "sort": sort,
            },
            "relationships": [self.edge(rel) for rel in self.select([kind], entity, statuses, sort)],
        }
        if kind == "hardware":
            result["in_house"] = [self.edge(rel) for rel in self.in_house_chips(entity, statuses, sort)]
        return result

    # ---- one entity --------------------------------------------------------

    def entity_view(self, eid: str) -> dict:
        entity = self.entities[eid]
        return {
            "id": eid,
            "name": entity["name"],
            "type": entity["type"],
            "description": entity["description"],
            "aliases": list(entity.get("aliases") or []),
            "parent": self.ref(entity["parent"]) if entity.get("parent") else None,
            "children": sorted(
                (self.ref(c) for c in self.children.get(eid, [])), key=lambda r: r["name"].casefold()
            ),
            "facts": [
                {
                    "key": f["key"],
                    "value": f["value"],
                    "currency": f.get("currency"),
                    "unit": f.get("unit"),
                    "qualifier": f.get("qualifier") or "exact",
                    "as_of": f.get("as_of"),
                    "note": f.get("note"),
                    "source": self.source_ref(f["source"]),
                    "quote": f["quote"],
                }
                for f in entity.get("facts") or []
            ],
            "provenance": self._provenance(entity.get("provenance") or []),
        }

    def profile(self, eid: str) -> dict:
        """The `show` command's result: the entity, its relationships (kind
        order, then what it relies on before what relies on it, then date) and
        who it relies on / is relied on by."""
        rows: list[tuple[tuple, dict]] = []
        by_date = self.sort_key("date")
        self._prefetch(self.outgoing.get(eid, []))
        self._prefetch(self.incoming.get(eid, []))
        for rel in self.outgoing.get(eid, []):
            rows.append(((_KIND_ORDER.get(rel["kind"], 99), 0, by_date(rel)), self._sided(rel, "out")))
        for rel in self.incoming.get(eid, []):
            if rel["from"] == eid:
                continue  # a self-loop is listed once, as outgoing
            rows.append(((_KIND_ORDER.get(rel["kind"], 99), 1, by_date(rel)), self._sided(rel, "in")))
        rows.sort(key=lambda row: row[0])
        relationships = [view for _, view in rows]

        def summary(direction: str) -> list[dict]:
            grouped: dict[str, list[str]] = {}
            for view in relationships:
                if view["direction"] == direction and view["kind"] in vocab.DEPENDENCY_KINDS:
                    kinds = grouped.setdefault(view["counterpart"]["id"], [])
                    if view["kind"] not in kinds:
                        kinds.append(view["kind"])
            return [{"entity": self.ref(other), "kinds": kinds} for other, kinds in grouped.items()]

        rivals = _unique(v["counterpart"]["id"] for v in relationships if v["kind"] == "rivalry")
        return {
            "entity": self.entity_view(eid),
            "relationships": relationships,
            "relies_on": summary("out"),
            "relied_on_by": summary("in"),
            "rivals": [self.ref(r) for r in rivals],
        }

    def _sided(self, rel: dict, direction: str) -> dict:
        view = self.edge(rel)
        view["direction"] = direction
        view["counterpart"] = view["to"] if direction == "out" else view["from"]
        return view

    # ---- trees -------------------------------------------------------------

    def tree(
        self,
        root: str,
        *,
        reverse: bool = False,
        depth: int | None = None,
        kinds: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
    ) -> dict:
        """The `tree` command's result: what `root` relies on (or, reversed,
        what relies on it), following dependency kinds only (optionally only
        `kinds`, and only relationships in one of `statuses`).

        Each node is {"entity", "via", "marker", "truncated", "children"}:
        `via` lists the relationships from the parent node to this one;
        `marker` is "repeated" for an entity whose subtree was already shown
        (not expanded again, like cargo tree's `(*)`), "cycle" for one that is
        its own ancestor (never expanded), else None; `truncated` says the
        depth limit hid its children.
        """
        chosen = tuple(kinds) if kinds else vocab.DEPENDENCY_KINDS
        not_dependencies = [k for k in chosen if k not in vocab.DEPENDENCY_KINDS]
        if not_dependencies:
            raise ValueError(f"{', '.join(not_dependencies)} is not a dependency kind; trees follow dependencies only")
        allowed = set(chosen)
        wanted = set(statuses) if statuses else None
        by_date = self.sort_key("date")

        def neighbours(eid: str) -> list[tuple[str, list[dict]]]:
            edges = self.incoming.get(eid, []) if reverse else self.outgoing.get(eid, [])
            groups: dict[str, list[dict]] = {}
            for rel in sorted(
                (r for r in edges if r["kind"] in allowed and (wanted is None or r["status"] in wanted)),
                key=lambda r: (_KIND_ORDER.get(r["kind"], 99), by_date(r)),
            ):
                other = rel["from"] if reverse else rel["to"]
                groups.setdefault(other, []).append(rel)
            return sorted(
                groups.items(),
                key=lambda item: (_KIND_ORDER.get(item[1][0]["kind"], 99), self.name(item[0]).casefold()),
            )

        expanded: set[str] = set()

        def build(eid: str, via: list[dict], ancestors: tuple[str, ...], level: int) -> dict:
            node = {
                "entity": self.ref(eid),
                "via": [self.edge(rel) for rel in via],
                "marker": None,
                "truncated": False,
                "children": [],
            }
            if eid in ancestors:
                node["marker"] = "cycle"
                return node
            nexts = neighbours(eid)
            if not nexts:
                return node
            if eid in expanded:
                node["marker"] = "repeated"
                return node
            if depth is not None and level >= depth:
                node["truncated"] = True
                return node
            expanded.add(eid)
            for other, rels in nexts:
                node["children"].append(build(other, rels, ancestors + (eid,), level + 1))
            return node

        return {
            "root": self.ref(root),
            "reverse": reverse,
            "depth": depth,
            "kinds": list(chosen),
            "statuses": sorted(wanted, key=_STATUS_ORDER.get) if wanted else [],
            "tree": build(root, [], (), 0),
        }

    # ---- lists, search, sources -------------------------------------------

    def entity_list(self, types: Iterable[str] | None = None) -> dict:
        """The `list` command's result, grouped by type in vocab order."""
        wanted = set(types) if types else None
        chosen = [
            e for e in self.entities.values() if wanted is None or e["type"] in wanted
        ]
        chosen.sort(key=lambda e: (_TYPE_ORDER.get(e["type"], 99), e["name"].casefold()))
        rels = self.relationships
        if hasattr(rels, "degrees"):
            degrees = rels.degrees()

            def degree(eid: str) -> int:
                return degrees.get(eid, 0)

        else:

            def degree(eid: str) -> int:
                return len(self.outgoing.get(eid, [])) + len(self.incoming.get(eid, []))

        return {
            "filters": {"type": sorted(wanted, key=lambda t: _TYPE_ORDER.get(t, 99)) if wanted else []},
            "entities": [
                {
                    "id": e["id"],
                    "name": e["name"],
                    "type": e["type"],
                    "description": e["description"],
                    "aliases": list(e.get("aliases") or []),
                    "parent": self.ref(e["parent"]) if e.get("parent") else None,
                    "relationships": degree(e["id"]),
                }
                for e in chosen
            ],
        }

    # Where a match was found, most telling first.
    SEARCH_FIELDS: tuple[str, ...] = ("name", "alias", "id", "description", "summary", "term", "fact", "quote")

    def search(self, text: str) -> dict:
        """The `search` command's result: every field in which all words of
        `text` occur (any case). Each match says where: the entity or
        relationship, the field, the source for quotes and facts, and the span
        of the first word in `text`."""
        words = text.casefold().split()
        matches: list[dict] = []

        def check(kind: str, item_id: str, label: str, field: str, value: str, source: str | None = None) -> None:
            folded = value.casefold()
            if not words or not all(w in folded for w in words):
                return
            start = folded.find(words[0])
            matches.append(
                {
                    "type": kind,
                    "id": item_id,
                    "label": label,
                    "field": field,
                    "source": self.source_ref(source) if source else None,
                    "text": value,
                    "span": [start, start + len(words[0])],
                }
            )

        for eid, entity in self.entities.items():
            name = entity["name"]
            check("entity", eid, name, "name", name)
            for alias in entity.get("aliases") or []:
                check("entity", eid, name, "alias", alias)
            if eid.casefold() != name.casefold():
                check("entity", eid, name, "id", eid)
            check("entity", eid, name, "description", entity["description"])
            for fact in entity.get("facts") or []:
                check("entity", eid, name, "fact", f"{fact['key'].replace('_', ' ')}: {fact['value']}", fact["source"])
                check("entity", eid, name, "quote", fact["quote"], fact["source"])
            for prov in entity.get("provenance") or []:
                check("entity", eid, name, "quote", prov["quote"], prov["source"])
        for rel in self.relationships:
            label = f"{self.name(rel['from'])} → {self.name(rel['to'])} ({vocab.kind_label(rel['kind'])})"
            rid = rel["id"]
            check("relationship", rid, label, "summary", rel["summary"])
            for term in rel.get("terms") or []:
                check("relationship", rid, label, "term", f"{term['name']}: {term['summary']}")
            for item in (rel.get("provenance") or []) + (rel.get("amounts") or []) + (rel.get("history") or []):
                check("relationship", rid, label, "quote", item["quote"], item["source"])

        # The same sentence often backs several claims of one item: list it
        # once. An id is only worth showing when the name and aliases missed.
        named = {m["id"] for m in matches if m["type"] == "entity" and m["field"] in ("name", "alias")}
        unique: dict[tuple, dict] = {}
        for match in matches:
            if match["field"] == "id" and match["id"] in named:
                continue
            unique.setdefault((match["type"], match["id"], match["field"], match["text"]), match)
        order = {field: index for index, field in enumerate(self.SEARCH_FIELDS)}
        ranked = sorted(
            unique.values(),
            key=lambda m: (order.get(m["field"], 99), m["type"] != "entity", m["label"].casefold()),
        )
        return {"query": text, "matches": ranked}

    def source_list(self) -> dict:
        """The `sources` command's result: each source and what it supports."""
        entities: dict[str, set[str]] = defaultdict(set)
        relationships: dict[str, set[str]] = defaultdict(set)
        facts: dict[str, int] = defaultdict(int)
        for eid, entity in self.entities.items():
            for prov in entity.get("provenance") or []:
                entities[prov["source"]].add(eid)
            for fact in entity.get("facts") or []:
                entities[fact["source"]].add(eid)
                facts[fact["source"]] += 1
        for rel in self.relationships:
            for item in (rel.get("provenance") or []) + (rel.get("amounts") or []) + (rel.get("history") or []):
                relationships[item["source"]].add(rel["id"])
        return {
            "sources": [
                {
                    "id": sid,
                    "title": source["title"],
                    "date": source["date"],
                    "date_note": source.get("date_note"),
                    "author": source.get("author"),
                    "author_note": source.get("author_note"),
                    "note": source.get("note"),
                    "supports": {
                        "entities": len(entities.get(sid, ())),
                        "relationships": len(relationships.get(sid, ())),
                        "facts": facts.get(sid, 0),
                    },
                }
                for sid, source in self.sources.items()
            ]
        }
