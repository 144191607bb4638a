"""A store (aideps.graph.protocol.Store) over the validated data, in memory.

`MemoryStore(data)` takes the plain dict of a knowledge file's validated data
(the data contract of docs/design.md) and indexes it once: by id, by the
ends of each relationship, by parents, and by the folded names of
aideps.knowledge.names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

from aideps.knowledge import listing, vocab
from aideps.knowledge.names import completion_words, lookup_rows

_TIER = {"id": 0, "name": 1, "alias": 2, "compact": 3}


def completions(data: dict, incomplete: str) -> list[tuple[str, str]]:
    """Shell-completion candidates for an entity NAME: (value, help) pairs.

    Ids are offered (they need no quoting), and names and aliases that a
    shell reads as they are (aideps.knowledge.names.completion_words), so
    `NV<TAB>` completes to `NVIDIA` and `amz<TAB>` to the alias `amzn`.
    Case-sensitive prefix match, as the shell expects.
    """
    out: dict[str, str] = {}
    for entity in data.get("entities", []):
        if entity["id"].startswith(incomplete):
            out.setdefault(entity["id"], entity["name"])
    for entity in data.get("entities", []):
        for word in completion_words(entity):
            if word.startswith(incomplete):
                out.setdefault(word, entity["id"])
    return sorted(out.items(), key=lambda item: (item[0].casefold(), item[0]))


class ListedRelationships:
    """The relationship reads of a store that holds its relationships in a
    list (`relationships`) and by end (`_outgoing`, `_incoming`): the
    in-memory store and the as-of view."""

    relationships: Sequence[dict]
    _outgoing: Mapping[str, list[dict]]
    _incoming: Mapping[str, list[dict]]

    def touching(self, eid: str) -> list[dict]:
        return [rel for rel in self.relationships if eid in (rel["from"], rel["to"])]

    def of_kinds(self, kinds: Iterable[str]) -> list[dict]:
        wanted = set(kinds)
        return [rel for rel in self.relationships if rel["kind"] in wanted]

    def outgoing(self, eid: str) -> list[dict]:
        return self._outgoing.get(eid, [])

    def incoming(self, eid: str) -> list[dict]:
        return self._incoming.get(eid, [])

    def any_to(self, eid: str, kind: str) -> bool:
        return any(rel["kind"] == kind for rel in self._incoming.get(eid, []))

    def targets(self, kind: str) -> set[str]:
        return {rel["to"] for rel in self.relationships if rel["kind"] == kind}

    def degrees(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for rel in self.relationships:
            counts[rel["from"]] += 1
            counts[rel["to"]] += 1
        return dict(counts)

    def ordered(self, kinds: Iterable[str] | None = None) -> list[dict]:
        chosen = self.relationships if kinds is None else self.of_kinds(kinds)
        return sorted(chosen, key=export_order)

    def heads(self, kinds: Iterable[str] | None = None) -> Iterator[tuple]:
        wanted = None if kinds is None else set(kinds)
        return (
            (i, r["from"], r["to"], r["kind"], r.get("stage"), r.get("health"), r.get("certainty"))
            for i, r in enumerate(self.relationships)
            if wanted is None or r["kind"] in wanted
        )

    def heads_of(self, eid: str, side: str) -> list[tuple]:
        rels = (self._outgoing if side == "from" else self._incoming).get(eid, [])
        if not rels:
            return []
        position = self.__dict__.get("_position")
        if position is None:  # (the lists by end hold the very dicts of `relationships`)
            position = self.__dict__["_position"] = {id(r): i for i, r in enumerate(self.relationships)}
        return [
            (position[id(r)], r["from"], r["to"], r["kind"], r.get("stage"), r.get("health"), r.get("certainty"))
            for r in rels
        ]

    def at(self, positions: Iterable[int]) -> Iterator[dict]:
        relationships = self.relationships
        return (relationships[i] for i in positions)


def export_order(rel: Mapping) -> tuple:
    """The order an export writes relationships in (Store.ordered): kind, from, to, id."""
    return (vocab.KIND_ORDER.get(rel["kind"], 99), rel["from"], rel["to"], rel["id"])


class MemoryStore(ListedRelationships):
    """The validated dict, indexed in memory."""

    def __init__(self, data: dict) -> None:
        self._data = data
        self.sources: dict[str, dict] = {s["id"]: s for s in data.get("sources", [])}
        self.entities: dict[str, dict] = {e["id"]: e for e in data.get("entities", [])}
        self.relationships: list[dict] = list(data.get("relationships", []))
        self._outgoing: dict[str, list[dict]] = defaultdict(list)
        self._incoming: dict[str, list[dict]] = defaultdict(list)
        for rel in self.relationships:
            self._outgoing[rel["from"]].append(rel)
            self._incoming[rel["to"]].append(rel)
        self._children: dict[str, list[str]] = defaultdict(list)
        for entity in self.entities.values():
            for parent in dict.fromkeys(entity.get("parents") or []):
                self._children[parent].append(entity["id"])
        self._groups: dict[str, list[str]] = defaultdict(list)
        self._people: dict[str, list[str]] = defaultdict(list)
        for entity in self.entities.values():
            for member in dict.fromkeys(m["id"] for m in entity.get("members") or []):
                self._groups[member].append(entity["id"])
            for at in dict.fromkeys(r["of"] for r in entity.get("roles") or []):
                self._people[at].append(entity["id"])
        # Lookup tables, most specific first: id, name, alias, compacted.
        self._tables: tuple[dict[str, list[str]], ...] = tuple(defaultdict(list) for _ in _TIER)
        for entity in self.entities.values():
            for key, tier, eid in lookup_rows(entity):
                if tier == 0:
                    self._tables[0][key] = [eid]  # an id names one entity: the last one to use it
                else:
                    self._tables[tier][key].append(eid)

    # ---- sources and entities ------------------------------------------------

    def entity(self, eid: str) -> dict | None:
        return self.entities.get(eid)

    def parents(self, eid: str) -> list[str]:
        return list((self.entities.get(eid) or {}).get("parents") or [])

    def listing(self) -> Iterator[dict]:
        return (listing.line_of(entity) for entity in self.entities.values())

    def dated_entities(self) -> Iterator[tuple[str, dict]]:
        return ((eid, when) for eid, entity in self.entities.items() if (when := listing.dated(entity)) is not None)

    def citations(self) -> dict[str, dict[str, int]]:
        return listing.citations(self.entities.values(), self.relationships)

    def name_type(self, eid: str) -> tuple[str, str] | None:
        entity = self.entities.get(eid)
        return None if entity is None else (entity["name"], entity["type"])

    def prefetch_names(self, ids: Iterable[str]) -> None:
        """Nothing to do: every name is in memory."""

    def prefetch(self, ids: Iterable[str], side: str | None = None) -> None:
        """Nothing to do: everything is in memory."""

    def having(self, ids: Iterable[str], side: str, kinds: Iterable[str], where) -> set[str]:
        from aideps.graph.where import heads_having

        return heads_having(self.heads_of, ids, side, kinds, where)

    def children(self, eid: str) -> list[str]:
        return self._children.get(eid, [])

    def groups_of(self, eid: str) -> list[str]:
        return self._groups.get(eid, [])

    def people_at(self, eid: str) -> list[str]:
        return self._people.get(eid, [])

    # ---- relationships -------------------------------------------------------


    # ---- names -----------------------------------------------------------------

    def ids(self, tier: str, key: str) -> list[str]:
        return list(self._tables[_TIER[tier]].get(key, ()))

    def keys(self) -> dict[str, list[str]]:
        keys: dict[str, list[str]] = defaultdict(list)
        for table in self._tables[:3]:
            for key, ids in table.items():
                keys[key].extend(ids)
        return keys

    def completions(self, prefix: str) -> list[tuple[str, str]]:
        return completions(self._data, prefix)

    # ---- the whole, and time -------------------------------------------------------

    def data(self) -> dict:
        return self._data

    def presence_steps(self) -> tuple[dict[str, int], list[tuple[int, str, int]]]:
        steps = self.__dict__.get("_presence")
        if steps is None:
            from aideps.graph.life import presence_steps

            steps = self.__dict__["_presence"] = presence_steps(self)
        return steps

    def longest_text(self) -> int | None:
        return None  # (not measured: a file held in memory is small)

    def as_of_summary(self) -> dict | None:
        return None

    def as_of_note(self, rid: str) -> dict | None:
        return None
