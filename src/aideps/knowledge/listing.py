"""What the whole-catalogue listings need of an item, and nothing more: an
entity's line of `aideps list`, and the sources an item cites (`aideps
sources`). The index stores both when it is built (aideps.index.build), so
that those listings read a few columns instead of decoding every record;
the in-memory store and the as-of view compute them from the records. One
definition, so all three give the same answer.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Iterator

# Where an entity and a relationship cite their sources.
ENTITY_CITING = ("provenance", "facts", "events", "members", "roles")
RELATIONSHIP_CITING = ("provenance", "amounts", "history")


def fact_values(entity: dict) -> list[dict]:
    """An entity's facts as values only: [{"key", "value", "unit"}], in file order
    (`show --json` has each with its source and claim)."""
    return [{"key": f["key"], "value": f["value"], "unit": f.get("unit")} for f in entity.get("facts") or []]


def card(entity: dict) -> tuple:
    """The parts of an entity's line that are not its id, name and type:
    (description, aliases, parents, fact values); `line` reads it back."""
    return (
        entity.get("description"),
        list(entity.get("aliases") or []),
        list(dict.fromkeys(entity.get("parents") or [])),
        fact_values(entity),
    )


def dated(entity: dict) -> dict | None:
    """What `timeline` reads of an entity (aideps.analysis.time): its type,
    description and events, and an event's facts (its date); None when it
    has none of these."""
    events = entity.get("events") or []
    facts = (entity.get("facts") or []) if entity.get("type") == "event" else []
    if not events and not facts:
        return None
    return {"type": entity["type"], "description": entity.get("description"), "events": events, "facts": facts}


def line(eid: str, name: str, etype: str, parts: tuple) -> dict:
    """An entity's line: {id, name, type, description, aliases, parents (ids, once each), facts (values)}."""
    description, aliases, parents, facts = parts
    return {
        "id": eid, "name": name, "type": etype, "description": description,
        "aliases": aliases, "parents": parents, "facts": facts,
    }


def line_of(entity: dict) -> dict:
    """`line` of a whole entity record."""
    return line(entity["id"], entity["name"], entity["type"], card(entity))


def cited(section: str, item: dict) -> "Iterator[tuple[str, int]]":
    """(source id, facts of the item it supports) for each source the item
    (of `section`: "entities" or "relationships") cites, each once, in order
    of first citation."""
    fields = ENTITY_CITING if section == "entities" else RELATIONSHIP_CITING
    facts: dict[str, int] = {}
    for field in fields:
        for claim in item.get(field) or []:
            source = claim["source"]
            facts[source] = facts.get(source, 0) + (field == "facts")
    return iter(facts.items())


def citations(entities: "Iterable[dict]", relationships: "Iterable[dict]") -> dict[str, dict[str, int]]:
    """Source id -> {"entities", "relationships", "facts"}: how many of each
    cite it (sources nothing cites are absent)."""
    counts: dict[str, dict[str, int]] = {}
    for section, items in (("entities", entities), ("relationships", relationships)):
        for item in items:
            for source, facts in cited(section, item):
                count = counts.get(source)
                if count is None:
                    count = counts[source] = {"entities": 0, "relationships": 0, "facts": 0}
                count[section] += 1
                count["facts"] += facts
    return counts
