"""Disagreements: figures and facts that sources give differently (conflicts)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from aideps.graph.core import Graph
from aideps.graph.views import figure
from aideps.knowledge import dates, vocab


def _claim_key(value, currency) -> tuple:
    return (value, currency)


def conflicts(g: Graph, eid: str | None = None) -> dict:
    """The `conflicts` command's result: figures two sources give
    differently for the same relationship (amounts), and facts of one entity
    with the same key and date whose values differ across sources; each side
    by side with its source and date."""
    out: list[dict] = []
    for rel in g.store.relationships if eid is None else g.store.touching(eid):
        amounts = list(rel.get("amounts") or [])
        if len({a["source"] for a in amounts}) < 2:
            continue
        if len({_claim_key(a["amount"], a.get("currency")) for a in amounts}) < 2:
            continue
        out.append(
            {
                "type": "amount",
                "relationship": g.edge(rel),
                "entity": None,
                "key": None,
                "claims": [
                    {**figure(g, a), "value": a["amount"], "unit": None}
                    for a in amounts
                ],
            }
        )
    if eid is None:
        entities: Iterable[tuple[str, dict]] = g.store.entities.items()
    else:
        one = g.store.entity(eid)
        entities = [(eid, one)] if one is not None else []
    notes: list[dict] = []
    for entity_id, entity in entities:  # one pass: a catalogue's entities are read once
        for note in entity.get("consistency") or []:
            notes.append(
                {
                    "entity": g.ref(entity_id),
                    "summary": note["summary"],
                    "involves": [_involved(g, entity, item) for item in note.get("involves") or []],
                }
            )
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for fact in entity.get("facts") or []:
            groups[(fact["key"], fact.get("as_of"))].append(fact)
        for (key, when), facts in groups.items():
            if len({f["source"] for f in facts}) < 2:
                continue
            if len({(str(f["value"]), f.get("currency"), f.get("unit")) for f in facts}) < 2:
                continue
            out.append(
                {
                    "type": "fact",
                    "relationship": None,
                    "entity": g.ref(entity_id),
                    "key": key,
                    "claims": [
                        {**figure(g, f, "value"), "unit": f.get("unit")}
                        for f in facts
                    ],
                }
            )

    def key(item: dict) -> tuple:
        if item["relationship"]:
            r = item["relationship"]
            return (0, r["from"]["name"].casefold(), r["to"]["name"].casefold(), vocab.KIND_ORDER.get(r["kind"], 99))
        return (1, item["entity"]["name"].casefold(), item["key"], "")

    notes.sort(key=lambda n: n["entity"]["name"].casefold())
    out.sort(key=key)
    for item in out:  # oldest source first, so the claims read in order
        item["claims"].sort(key=lambda c: dates.order_key(dates.maybe_parse(c["source"]["date"]) or dates.parse("9999")))
    return {"entity": g.ref(eid) if eid else None, "conflicts": out, "consistency": notes}


def _involved(g: Graph, entity: dict, item: str) -> dict:
    """One figure a consistency note involves: `fact:KEY` of the entity, or a relationship id."""
    if item.startswith("fact:"):
        key = item[len("fact:"):]
        facts = [f for f in entity.get("facts") or [] if f["key"] == key]
        return {"ref": item, "type": "fact", "key": key, "figures": [figure(g, f, "value") for f in facts]}
    rel = next((r for r in g.store.touching(entity["id"]) if r["id"] == item), None)
    if rel is None:
        rel = next((r for r in g.store.relationships if r["id"] == item), None)
    return {"ref": item, "type": "relationship", "relationship": g.edge(rel) if rel else None}
