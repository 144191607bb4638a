"""The JSON-ready views of one relationship and of one entity (format 2):
Graph.edge and Graph.entity_view, with every quote's attribution
(aideps.graph.attribution) and a group's inherited edges marked
(aideps.graph.groups)."""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

from aideps.graph import groups as _groups
from aideps.graph.attribution import claim_doc

# The graph these views read is aideps.graph.core.Graph, which imports this
# module: naming it here, even for type checking only, would be an import
# cycle; the annotations say "Graph" for the reader.
if TYPE_CHECKING:  # pragma: no cover
    Graph = Any


def _reference(sid: str, source: dict | None) -> dict:
    """A source as a claim names it (as Graph.source_ref)."""
    return {"id": sid, "title": sid, "date": None} if source is None else {"id": sid, "title": source["title"], "date": source["date"]}


def claim(g: "Graph", item: dict) -> dict:
    """A quoted item's source, quote and whose claim it is."""
    sid = item["source"]
    source = g.store.sources.get(sid)  # (read once: Graph.source_ref's reference, and the claim's author)
    return {"source": _reference(sid, source), "quote": item["quote"], **claim_doc(item, source)}


def cited(g: "Graph", item: dict) -> dict:
    """A quoted item's source only (a table that names its sources, not its quotes)."""
    sid = item["source"]
    return {"source": _reference(sid, g.store.sources.get(sid))}


def figure(g: "Graph", item: dict, value_key: str = "amount", claims: "bool | str" = True) -> dict:
    doc = {
        value_key: item[value_key],
        "currency": item.get("currency"),
        "qualifier": item.get("qualifier") or "exact",
        "metric": item.get("metric"),
        "basis": item.get("basis") or "actual",
        "period": item.get("period"),
        "as_of": item.get("as_of"),
        "note": item.get("note"),
    }
    if claims:
        doc.update((cited if claims == "sources" else claim)(g, item))
    return doc


def _no_claim(g: "Graph", item: dict) -> dict:
    return {}


def edge(g: "Graph", rel: dict, via: str | None = None, *, claims: "bool | str" = True) -> dict:
    """A relationship as every answer shows it. Without `claims`, what a
    drawing of it shows (a text or CSV tree of tens of thousands of lines):
    no provenance, and no source, quote or attribution in its amounts and
    histories. With claims="sources", what a table that names each
    relationship's sources shows (a whole file's partnerships): each claim's
    source, without its quote or whose claim it is."""
    claimed = (cited if claims == "sources" else claim) if claims else _no_claim
    group = rel.get("group")
    # (most of a relationship's lists are empty: no comprehension is run for those)
    amounts, terms, replaces = rel.get("amounts"), rel.get("terms"), rel.get("replaces")
    exceptions, history, provenance = rel.get("exceptions"), rel.get("history"), rel.get("provenance")
    view = {
        "id": rel["id"],
        "kind": rel["kind"],
        "from": g.ref(rel["from"]),
        "to": g.ref(rel["to"]),
        "stage": rel.get("stage"),
        "health": rel.get("health"),
        "certainty": rel.get("certainty") or "stated",
        "summary": rel["summary"],
        "start": rel.get("start"),
        "end": rel.get("end"),
        "reported": rel.get("reported"),
        "date_note": rel.get("date_note") or rel.get("reported_note"),
        "amounts": [figure(g, a, claims=claims) for a in amounts] if amounts else [],
        "terms": [
            {
                "name": t["name"],
                "summary": t["summary"],
                "state": t.get("state") or "in_force",
                "start": t.get("start"),
                "history": [
                    {"date": h["date"], "state": h["state"], "note": h.get("note"), **claimed(g, h)}
                    for h in t.get("history") or []
                ],
            }
            for t in terms
        ] if terms else [],
        "replaces": [g.ref(r) for r in replaces] if replaces else [],
        "exceptions": [
            {
                "entity": g.ref(x["id"]),
                "hedge": x.get("hedge") or "stated",
                "words": _groups.except_words(g.name(x["id"]), x.get("hedge") or "stated"),
            }
            for x in exceptions
        ] if exceptions else [],
        "history": [
            {
                "date": h["date"],
                "stage": h.get("stage"),
                "health": h.get("health"),
                "certainty": h.get("certainty"),
                "note": h.get("note"),
                **claimed(g, h),
            }
            for h in history
        ] if history else [],
        "provenance": ([claimed(g, p) for p in provenance] if provenance else []) if claims else None,
        "via": g.ref(group) if group else (g.ref(via) if via else None),
        "group": group,
    }
    if not claims:
        del view["provenance"]
    note = g.store.as_of_note(rel["id"])
    if note is not None:
        view["as_of"] = note
    return view


def role(g: "Graph", r: dict, person: str | None = None) -> dict:
    doc = {
        "role": r["role"],
        "of": g.ref(r["of"]),
        "start": r.get("start"),
        "end": r.get("end"),
        "former": bool(r.get("former") or r.get("end")),
        "note": r.get("note"),
        **claim(g, r),
    }
    if person is not None:
        doc["person"] = g.ref(person)
    return doc


def entity_view(g: "Graph", eid: str) -> dict:
    store = g.store
    entity = store.entity(eid)
    if entity is None:
        raise KeyError(eid)
    people = []
    for pid in store.people_at(eid):
        for r in (store.entity(pid) or {}).get("roles") or []:
            if r["of"] == eid:
                people.append(role(g, r, pid))
    return {
        "id": eid,
        "name": entity["name"],
        "type": entity["type"],
        "description": entity["description"],
        "aliases": list(entity.get("aliases") or []),
        "parents": [g.ref(p) for p in dict.fromkeys(entity.get("parents") or [])],
        "children": sorted((g.ref(c) for c in store.children(eid)), key=lambda r: r["name"].casefold()),
        "members": [{"entity": g.ref(m["id"]), "note": m.get("note"), **claim(g, m)} for m in entity.get("members") or []],
        "member_of": [g.ref(gid) for gid in store.groups_of(eid)],
        "roles": [role(g, r) for r in entity.get("roles") or []],
        "people": people,
        "events": [
            {
                "kind": e["kind"],
                "date": e["date"],
                "date_note": e.get("date_note"),
                "summary": e.get("summary"),
                **claim(g, e),
            }
            for e in entity.get("events") or []
        ],
        "facts": [
            {"key": f["key"], "unit": f.get("unit"), **figure(g, f, "value")} for f in entity.get("facts") or []
        ],
        "consistency": [
            {"summary": c["summary"], "involves": list(c.get("involves") or [])} for c in entity.get("consistency") or []
        ],
        "provenance": [claim(g, p) for p in entity.get("provenance") or []],
        # Only where they apply: an entry of a later layered file that replaces
        # an earlier one; a placeholder for an id no entity has (--lenient).
        **{key: entity[key] for key in ("overridden_by", "overrides", "unresolved") if entity.get(key)},
    }
