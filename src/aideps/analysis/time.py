"""Questions of time: the timeline of an entity or of everything, and what
changed between two dates (docs/time.md; aideps.graph.life places each
relationship in time)."""

from __future__ import annotations

from aideps.graph.core import Graph
from aideps.graph.life import Life, moment, moment_doc
from aideps.knowledge import dates, vocab
from aideps.knowledge.dates import Span


def _event_entities(g: Graph, scope: set[str] | None) -> list[dict]:
    out = []
    for eid, entity in g.store.entities.items():
        if entity.get("type") != "event":
            continue
        if scope is not None and eid not in scope and entity.get("parent") not in scope:
            continue
        for fact in entity.get("facts") or []:
            span = dates.maybe_parse(fact.get("value")) if fact.get("key") == "date" else None
            if span is not None:
                out.append(
                    {
                        "date": span.text,
                        "event": "event",
                        "status": None,
                        "relationship": None,
                        "entity": g.ref(eid),
                        "source": g.source_ref(fact["source"]),
                        "quote": fact.get("quote"),
                        "note": entity.get("description"),
                        "_span": span,
                    }
                )
    return out


def timeline(g: Graph, eid: str | None = None) -> dict:
    """The `timeline` command's result: dated events in date order (the
    start, status changes and end of each relationship; its first report
    when it has neither start nor history; dated events), then the
    relationships nothing dates."""
    events: list[dict] = []
    undated: list[dict] = []
    rels = list(g.store.relationships) if eid is None else g.store.touching(eid)
    for rel in rels:
        life = Life(g.store, rel)
        edge = g.edge(rel)
        if life.undated:
            undated.append(edge)
            continue

        def add(span: Span, event: str, status: str | None, source: str | None, quote=None, note=None):
            events.append(
                {
                    "date": span.text,
                    "event": event,
                    "status": status,
                    "relationship": edge,
                    "entity": None,
                    "source": g.source_ref(source) if source else None,
                    "quote": quote,
                    "note": note,
                    "_span": span,
                }
            )

        first_source = (rel.get("provenance") or [{}])[0].get("source")
        if life.start is not None:
            add(life.start, "began", life.status_at(life.start)[0], first_source, note=rel.get("date_note"))
        for h in rel.get("history") or []:
            span = dates.maybe_parse(h.get("date"))
            if span is not None and span != life.start:  # a status given at the start is the start's
                add(span, "status", h["status"], h["source"], h.get("quote"), h.get("note"))
        if life.start is None and not (rel.get("history") or []) and life.reported is not None:
            source = life.reported_by[0] if life.reported_by else first_source
            add(life.reported, "reported", rel["status"], source, note=rel.get("date_note"))
        if life.end is not None:
            add(life.end, "ended", "ended", first_source, note=rel.get("date_note"))
    scope = None if eid is None else {eid}
    events.extend(_event_entities(g, scope))
    order = {"event": 0, "began": 1, "reported": 2, "status": 3, "ended": 4}
    events.sort(
        key=lambda e: (
            dates.order_key(e["_span"]),
            order[e["event"]],
            vocab.KIND_ORDER.get(e["relationship"]["kind"], 99) if e["relationship"] else -1,
            (e["relationship"]["from"]["name"].casefold(), e["relationship"]["to"]["name"].casefold())
            if e["relationship"]
            else (e["entity"]["name"].casefold(), ""),
        )
    )
    for e in events:
        del e["_span"]
    undated.sort(key=lambda e: (vocab.KIND_ORDER.get(e["kind"], 99), e["from"]["name"].casefold(), e["to"]["name"].casefold()))
    return {"entity": g.ref(eid) if eid else None, "events": events, "undated": undated}


# ---- diff ----------------------------------------------------------------------

DIFF_SECTIONS: tuple[str, ...] = ("began", "reported", "changed", "ended", "unchanged")


def diff(g: Graph, earlier: str | Span, later: str | Span, *, entity: str | None = None) -> dict:
    """The `diff` command's result: what began, was first reported, changed
    status or ended between the end of `earlier` and the end of `later`, and
    what stood unchanged at both; undated relationships apart. With
    `entity`, only the relationships it is on either side of."""
    a = earlier if isinstance(earlier, Span) else moment(earlier)
    b = later if isinstance(later, Span) else moment(later)
    if b.last < a.last:
        raise ValueError(f"{b.text} is before {a.text}: give the earlier date first")
    sections: dict[str, list[dict]] = {name: [] for name in DIFF_SECTIONS}
    undated: list[dict] = []
    later_only = 0
    rels = list(g.store.relationships) if entity is None else g.store.touching(entity)
    for rel in rels:
        life = Life(g.store, rel)
        before, after = life.at(a), life.at(b)
        edge = g.edge(rel)
        if before["presence"] == "undated":
            undated.append(edge)
            continue
        present = ("in", "maybe")
        item = {
            **edge,
            "before": {k: before[k] for k in ("presence", "status")},
            "after": {k: after[k] for k in ("presence", "status")},
            "evidence": life.evidence(),
            "when": None,
            "last_reported": life.last_reported.text if life.last_reported else None,
            "certain": True,
            "doubts": [],
        }
        doubts = []
        if before["presence"] in ("not_yet", "maybe") and after["presence"] in present:
            section = "began" if life.basis == "start" else "reported"
            item["when"] = life.known.text if life.known else None
            if before["presence"] == "maybe":
                what = "began" if life.basis == "start" else "first known"
                doubts.append(f"{what} {item['when']}: possibly already by {a.text}")
            doubts += after["doubts"]
        elif before["presence"] in present and after["presence"] == "ended":
            section = "ended"
            item["when"] = after["since"] or (life.end.text if life.end else None)
            doubts += before["doubts"]
        elif before["presence"] in ("not_yet", "maybe") and after["presence"] == "ended":
            section = "ended"
            item["when"] = after["since"] or (life.end.text if life.end else None)
            doubts.append(f"began {life.known.text if life.known else '?'} and ended between the two dates")
        elif before["presence"] in present and after["presence"] in present:
            changed = before["status"] != after["status"]
            section = "changed" if changed else "unchanged"
            if changed:
                steps_between = [
                    s for s in life.steps if s[0] is not None and s[0].last > a.last and s[0].first <= b.last
                ]
                item["when"] = steps_between[-1][0].text if steps_between else None
            doubts += before["doubts"] + after["doubts"]
        elif after["presence"] == "not_yet":
            later_only += 1
            continue
        else:  # ended at both dates
            continue
        item["doubts"] = list(dict.fromkeys(doubts))
        item["certain"] = not item["doubts"]
        sections[section].append(item)

    def key(item: dict) -> tuple:
        when = dates.maybe_parse(item["when"]) if item["when"] else None
        return (
            when is None,
            dates.order_key(when) if when else (),
            vocab.KIND_ORDER.get(item["kind"], 99),
            item["from"]["name"].casefold(),
            item["to"]["name"].casefold(),
        )

    for name, items in sections.items():
        if name == "unchanged":
            items.sort(key=lambda i: (vocab.KIND_ORDER.get(i["kind"], 99), i["from"]["name"].casefold(), i["to"]["name"].casefold()))
        else:
            items.sort(key=key)
    standing = {"in", "maybe"}
    states = [(rel, Life(g.store, rel)) for rel in rels]
    then = [(rel, life.at(a)) for rel, life in states]
    now = [(rel, life.at(b)) for rel, life in states]
    in_force_before = sum(1 for _, state in then if state["presence"] in standing)

    def tally(field: str, order: dict) -> dict:
        counts: dict[str, dict[str, int]] = {}
        for label, pairs in (("before", then), ("after", now)):
            for rel, state in pairs:
                if state["presence"] in standing:
                    value = rel["kind"] if field == "kind" else state["status"]
                    counts.setdefault(value, {"before": 0, "after": 0})[label] += 1
        return dict(sorted(counts.items(), key=lambda item: order.get(item[0], 99)))

    return {
        "entity": g.ref(entity) if entity else None,
        "from": moment_doc(a),
        "to": moment_doc(b),
        "counts": {
            "before": in_force_before,
            **{name: len(items) for name, items in sections.items()},
            "undated": len(undated),
            "after_to": later_only,
        },
        "by_kind": tally("kind", vocab.KIND_ORDER),
        "by_status": tally("status", vocab.STATUS_ORDER),
        **sections,
        "undated": undated,
    }
