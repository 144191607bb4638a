"""The lists of a graph: entities by type, a text search, the sources and
what each supports. A part of Graph (aideps.graph.core), read through its
store (aideps.graph.protocol.Store) like every query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aideps.knowledge import vocab

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

    def entity_list(self, types: Iterable[str] | None = None) -> dict:
        """The `list` command's result, grouped by type in vocab order."""
        wanted = set(types) if types else None
        chosen = [
            e for e in self.store.entities.values() if wanted is None or e["type"] in wanted
        ]
        chosen.sort(key=lambda e: (vocab.TYPE_ORDER.get(e["type"], 99), e["name"].casefold()))
        degrees = self.store.degrees()

        def degree(eid: str) -> int:
            return degrees.get(eid, 0)

        return {
            "filters": {"type": sorted(wanted, key=lambda t: vocab.TYPE_ORDER.get(t, 99)) if wanted else []},
            "entities": [
                {
                    "id": e["id"],
                    "name": e["name"],
                    "type": e["type"],
                    "description": e["description"],
                    "aliases": list(e.get("aliases") or []),
                    "parents": [self.ref(p) for p in dict.fromkeys(e.get("parents") or [])],
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

        for eid, entity in self.store.entities.items():
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
            for item in (entity.get("events") or []) + (entity.get("members") or []) + (entity.get("roles") or []):
                check("entity", eid, name, "quote", item["quote"], item["source"])
            for prov in entity.get("provenance") or []:
                check("entity", eid, name, "quote", prov["quote"], prov["source"])
        for rel in self.store.relationships:
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
        for eid, entity in self.store.entities.items():
            for prov in entity.get("provenance") or []:
                entities[prov["source"]].add(eid)
            for fact in entity.get("facts") or []:
                entities[fact["source"]].add(eid)
                facts[fact["source"]] += 1
            for item in (entity.get("events") or []) + (entity.get("members") or []) + (entity.get("roles") or []):
                entities[item["source"]].add(eid)
        for rel in self.store.relationships:
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
                    "publisher": source.get("publisher"),
                    "url": source.get("url"),
                    "note": source.get("note"),
                    "supports": {
                        "entities": len(entities.get(sid, ())),
                        "relationships": len(relationships.get(sid, ())),
                        "facts": facts.get(sid, 0),
                    },
                }
                for sid, source in self.store.sources.items()
            ]
        }
