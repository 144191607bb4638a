"""The lists of a graph: entities by type, a text search, the sources and
what each supports. A part of Graph (aideps.graph.core), read through its
store (aideps.graph.protocol.Store) like every query."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter

from aideps.knowledge import vocab

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from aideps.graph.protocol import Store


class Lists:
    """The `list`, `search` and `sources` queries of Graph."""

    store: "Store"

    def ref(self, eid: str) -> dict:  # pragma: no cover - Graph's
        raise NotImplementedError

    def name(self, eid: str) -> str:  # pragma: no cover - Graph's
        raise NotImplementedError

    def source_ref(self, sid: str) -> dict:  # pragma: no cover - Graph's
        raise NotImplementedError

    def entity_list(self, types: Iterable[str] | None = None, where: Sequence = ()) -> dict:
        """The `list` command's result, grouped by type in vocab order; only
        entities of `types`, meeting every condition of `where`
        (aideps.graph.conditions)."""
        wanted = set(types) if types else None
        # Each entity's line (its card in the index), not its whole record.
        chosen = [
            e for e in self.store.listing()
            if (wanted is None or e["type"] in wanted) and all(c.holds(e) for c in where)
        ]
        chosen.sort(key=lambda e: (vocab.TYPE_ORDER.get(e["type"], 99), e["name"].casefold()))
        degrees = self.store.degrees()
        self.store.prefetch_names(p for e in chosen for p in e["parents"])

        def degree(eid: str) -> int:
            return degrees.get(eid, 0)

        return {
            "filters": {
                "type": sorted(wanted, key=lambda t: vocab.TYPE_ORDER.get(t, 99)) if wanted else [],
                "where": [str(c) for c in where],
            },
            "entities": [
                {
                    "id": e["id"],
                    "name": e["name"],
                    "type": e["type"],
                    "description": e["description"],
                    "aliases": e["aliases"],
                    "parents": [self.ref(p) for p in e["parents"]],
                    "relationships": degree(e["id"]),
                    "facts": e["facts"],
                }
                for e in chosen
            ],
        }

    # Where a match was found, most telling first.
    SEARCH_FIELDS: tuple[str, ...] = ("name", "alias", "id", "description", "summary", "term", "fact", "quote")
    # Matches kept by default (`aideps search --limit`): the best ones; the
    # rest are counted, not held.
    SEARCH_LIMIT = 100

    def search(self, text: str, limit: int | None = SEARCH_LIMIT) -> dict:
        """The `search` command's result: every field in which all words of
        `text` occur (any case). Each match says where: the entity or
        relationship, the field, the source for quotes and facts, and the span
        of the first word in `text`.

        Streams: one item at a time is read from the store, and only the best
        `limit` matches (None: all) are kept, in a bounded heap; `total`
        counts them all. Memory grows with `limit`, not with the file."""
        words = text.casefold().split()
        order = {field: index for index, field in enumerate(self.SEARCH_FIELDS)}
        counted = [0]

        def ranked_matches() -> Iterator[tuple[tuple, dict]]:
            for kind, item_id, label, fields in self._search_items():
                found: dict[tuple[str, str], tuple[str, str | None]] = {}
                for field, value, source in fields:
                    if not value:  # no description, summary or quote (format 2 lets them be left out)
                        continue
                    folded = value.casefold()
                    if all(w in folded for w in words):
                        # The same sentence often backs several claims of one item: once.
                        found.setdefault((field, value), (folded, source))
                if not found:
                    continue
                # An id is only worth showing when the name and aliases missed.
                if any(field in ("name", "alias") for field, _ in found):
                    found = {key: hit for key, hit in found.items() if key[0] != "id"}
                shown = label()
                folded_label = shown.casefold()
                for (field, value), (folded, source) in found.items():
                    counted[0] += 1
                    start = folded.find(words[0])
                    match = {
                        "type": kind,
                        "id": item_id,
                        "label": shown,
                        "field": field,
                        "source": self.source_ref(source) if source else None,
                        "text": value,
                        "span": [start, start + len(words[0])],
                    }
                    yield (order.get(field, 99), kind != "entity", folded_label), match

        if not words:
            return {"query": text, "limit": limit, "total": 0, "matches": []}
        # Ties keep the order of the file: nsmallest and sorted are both stable.
        if limit is None:
            best = sorted(ranked_matches(), key=itemgetter(0))
        else:
            best = heapq.nsmallest(limit, ranked_matches(), key=itemgetter(0))
        return {"query": text, "limit": limit, "total": counted[0], "matches": [match for _, match in best]}

    def _search_items(self) -> Iterator[tuple[str, str, Callable[[], str], list[tuple[str, str, str | None]]]]:
        """Each entity and relationship, one at a time, as (type, id, its
        label when asked, [(field, text, source id or None)])."""
        for eid, entity in self.store.entities.items():
            name = entity["name"]
            fields: list[tuple[str, str, str | None]] = [("name", name, None)]
            fields += [("alias", alias, None) for alias in entity.get("aliases") or []]
            if eid.casefold() != name.casefold():
                fields.append(("id", eid, None))
            fields.append(("description", entity["description"], None))
            for fact in entity.get("facts") or []:
                fields.append(("fact", f"{fact['key'].replace('_', ' ')}: {fact['value']}", fact["source"]))
                fields.append(("quote", fact["quote"], fact["source"]))
            for item in (entity.get("events") or []) + (entity.get("members") or []) + (entity.get("roles") or []):
                fields.append(("quote", item["quote"], item["source"]))
            fields += [("quote", prov["quote"], prov["source"]) for prov in entity.get("provenance") or []]
            yield "entity", eid, (lambda name=name: name), fields
        for rel in self.store.relationships:
            fields = [("summary", rel["summary"], None)]
            fields += [("term", f"{term['name']}: {term['summary']}", None) for term in rel.get("terms") or []]
            for item in (rel.get("provenance") or []) + (rel.get("amounts") or []) + (rel.get("history") or []):
                fields.append(("quote", item["quote"], item["source"]))
            yield "relationship", rel["id"], (lambda rel=rel: self._relationship_label(rel)), fields

    def _relationship_label(self, rel: dict) -> str:
        return f"{self.name(rel['from'])} → {self.name(rel['to'])} ({vocab.kind_label(rel['kind'])})"

    def source_list(self) -> dict:
        """The `sources` command's result: each source and what it supports."""
        counts = self.store.citations()  # by SQL in the index
        none = {"entities": 0, "relationships": 0, "facts": 0}
        return {
            "sources": [
                {
                    "id": sid,
                    "title": source["title"],
                    "date": source["date"],
                    "date_note": source.get("date_note"),
                    "author": source.get("author"),
                    "author_note": source.get("author_note"),
                    "publisher": source.get("publisher"),
                    "url": source.get("url"),
                    "note": source.get("note"),
                    "supports": dict(counts.get(sid, none)),
                }
                for sid, source in self.store.sources.items()
            ]
        }
