"""Questions of time: the timeline of an entity or of everything, and what
changed between two dates (docs/time.md; aideps.graph.life places each
relationship in time)."""

from __future__ import annotations

import itertools
from array import array

from aideps.graph.core import Graph
from aideps.graph.sorting import Sorter
from aideps.graph.stream import SizedStream, Stream
from aideps.graph.life import UNKNOWN, Life, moment, moment_doc, term_state_at
from aideps.graph.views import claim
from aideps.knowledge import dates, vocab
from aideps.knowledge.dates import Span

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Iterator


_STATE_FIELDS = ("stage", "health", "certainty")  # an event's state, in this order


def _state(changes: dict) -> dict:
    """A history entry's or a relationship's stage, health and certainty."""
    return {k: changes.get(k) for k in _STATE_FIELDS}


def _entity_events(g: Graph, scope: set[str] | None) -> list[dict]:
    """Entities' own dated events (founded, released, ousted, ...), and the
    date facts of event entities."""
    out = []
    if scope is None:  # only what is dated, of each entity that has it (not whole records)
        entities = list(g.store.dated_entities())
    else:  # the entities asked about and the events that are parts of them (OpenAI's upheaval)
        wanted = list(scope) + [c for e in scope for c in g.store.children(e) if c not in scope]
        entities = [(e, g.store.entity(e)) for e in wanted]
    for eid, entity in entities:
        if entity is None or (scope is not None and eid not in scope and entity.get("type") != "event"):
            continue
        for event in entity.get("events") or []:
            span = dates.maybe_parse(event.get("date"))
            if span is not None:
                out.append(
                    {
                        "date": span.text,
                        "event": event["kind"],
                        "state": None,
                        "relationship": None,
                        "entity": g.ref(eid),
                        "term": None,
                        "note": event.get("summary") or event.get("date_note"),
                        **claim(g, event),
                        "_span": span,
                    }
                )
        if entity.get("type") != "event":
            continue
        for fact in entity.get("facts") or []:
            span = dates.maybe_parse(fact.get("value")) if fact.get("key") == "date" else None
            if span is not None:
                out.append(
                    {
                        "date": span.text,
                        "event": "event",
                        "state": None,
                        "relationship": None,
                        "entity": g.ref(eid),
                        "term": None,
                        "note": entity.get("description"),
                        **claim(g, fact),
                        "_span": span,
                    }
                )
    return out


EVENT_ORDER = {"began": 1, "reported": 2, "status": 3, "term": 4, "ended": 5}


def _rel_events(rel: dict, life: Life) -> list[tuple]:
    """The dated events of one relationship placed in time: (span, event,
    state, where its claim is in `rel` (a path, or None), note, term)."""
    found: list[tuple] = []
    first = ("provenance", 0) if rel.get("provenance") else None
    if life.start is not None:
        began = life.status_at(life.start)[0]
        began["stage"] = None if began["stage"] == UNKNOWN else began["stage"]
        found.append((life.start, "began", began, first, rel.get("date_note"), None))
    elif life.reported is not None and life.basis != "history":  # else its history places it
        cited = next(
            (("provenance", i) for i, p in enumerate(rel.get("provenance") or []) if p["source"] in life.reported_by),
            first,
        )
        then = life.status_at(life.reported)[0]
        then["stage"] = None if then["stage"] == UNKNOWN else then["stage"]
        found.append((life.reported, "reported", then, cited, rel.get("reported_note") or rel.get("date_note"), None))
    for i, h in enumerate(rel.get("history") or []):
        span = dates.maybe_parse(h.get("date"))
        if span is not None and span != life.start:  # a state given at the start is the start's
            found.append((span, "status", _state(h), ("history", i), h.get("note"), None))
    for t, term in enumerate(rel.get("terms") or []):
        for i, h in enumerate(term.get("history") or []):
            span = dates.maybe_parse(h.get("date"))
            if span is not None:
                found.append(
                    (span, "term", None, ("terms", t, "history", i), h.get("note"), {"name": term["name"], "state": h["state"]})
                )
    if life.end is not None:
        found.append((life.end, "ended", {"stage": "ended", "health": None, "certainty": None}, first, rel.get("date_note"), None))
    return found


def _item(rel: dict, path: tuple | None) -> dict | None:
    """The claim at `path` in a relationship (see _rel_events)."""
    if path is None:
        return None
    found: object = rel
    for step in path:
        found = found[step]  # type: ignore[index]
    return found  # type: ignore[return-value]


def _rel_event(g: Graph, edge: dict, rel: dict, event: tuple) -> dict:
    """An event of a relationship (as _rel_events gives it, its date as its text)."""
    date, kind, state, path, note, term = event
    item = _item(rel, path)
    return {
        "date": date,
        "event": kind,
        "state": state,
        "relationship": edge,
        "entity": None,
        "term": term,
        "note": note,
        **(claim(g, item) if item else {"source": None, "quote": None}),
    }


def _event_key(span: Span, event: str, kind: str | None, names: tuple[str, str]) -> tuple:
    """An event's place in time (flat: a whole file's timeline holds one per event)."""
    return (dates.order_number(span), EVENT_ORDER.get(event, 0), vocab.KIND_ORDER.get(kind, 99) if kind else -1, *names)


def timeline(g: Graph, eid: str | None = None, *, stream: bool = False, claims: "bool | str" = True) -> dict:
    """The `timeline` command's result: dated events in date order (entities'
    own events; the start, first report, changes of stage, health or
    certainty and end of each relationship; its terms' changes of state),
    then the relationships nothing dates. With `stream` (and no `eid`),
    `events` and `undated` are Streams (aideps.graph.stream): the events are
    sorted as small records that point at their relationship, which is read
    again and viewed as each event is written; a file of a million
    relationships is never held. `claims`: how each relationship is viewed
    (Graph.edge; "sources" for the text and CSV, which name its sources)."""
    if stream and eid is None:
        return _timeline_streamed(g, claims)
    events: list[tuple] = []
    undated: list[dict] = []
    rels = list(g.store.relationships) if eid is None else g.store.touching(eid)
    for rel in rels:
        life = Life(g.store, rel)
        edge = g.edge(rel, claims=claims)
        if life.undated:
            undated.append(edge)
            continue
        names = (edge["from"]["name"].casefold(), edge["to"]["name"].casefold())
        for event in _rel_events(rel, life):
            key = _event_key(event[0], event[1], rel["kind"], names)
            events.append((key, _rel_event(g, edge, rel, (event[0].text, *event[1:]))))
    scope = None if eid is None else {eid}
    for e in _entity_events(g, scope):
        events.append((_event_key(e.pop("_span"), e["event"], None, (e["entity"]["name"].casefold(), "")), e))
    events.sort(key=lambda item: item[0])
    undated.sort(key=lambda e: (vocab.KIND_ORDER.get(e["kind"], 99), e["from"]["name"].casefold(), e["to"]["name"].casefold()))
    return {"entity": g.ref(eid) if eid else None, "events": [e for _, e in events], "undated": undated}


class _Folded(dict):
    """name -> name.casefold(), made once per name: a sort key of a whole
    file's relationships holds one folded string per entity, not two per
    relationship."""

    def __missing__(self, name: str) -> str:
        folded = self[name] = name.casefold()
        return folded


def _positioned(store) -> "Iterator[tuple[int, dict]]":
    """(position, relationship) of every relationship, in file order: the
    positions read once (an array of ints: 8 bytes each), the records by
    position (Store.at), so that they can be read again later."""
    positions = array("q", (head[0] for head in store.heads()))
    return zip(positions, store.at(positions))


# A file of up to this many relationships keeps them once read (some MB:
# Ecosystem Graphs has 815), rather than read each again as its events are
# written; a larger one is read again, in bounded memory.
HELD = 5_000


def _timeline_streamed(g: Graph, claims: "bool | str" = True) -> dict:
    store = g.store
    # Each event, flat: (*its key (_event_key), n, position, its date's text and the
    # rest of the event), or (*key, n, None, an entity's event); a whole file's
    # million sorted in runs on disk (aideps.graph.sorting), not held.
    slim = Sorter()
    undated = Sorter()  # (*key, n, position)
    held: dict[int, dict] | None = {} if len(store.relationships) <= HELD else None
    store.prefetch_names(store.entities)  # every relationship's ends are named: their names at once
    folded, texts = _Folded(), {}  # (one string per date text too)
    for position, rel in _positioned(store):
        if held is not None:
            held[position] = rel
        life = Life(store, rel)
        names = (folded[g.ref(rel["from"])["name"]], folded[g.ref(rel["to"])["name"]])
        if life.undated:
            undated.append((vocab.KIND_ORDER.get(rel["kind"], 99), *names, undated.count, position))
            continue
        for event in _rel_events(rel, life):
            # Its state kept as a tuple (a whole file's million events: a dict each is some 150 MiB more).
            state = event[2] if event[2] is None else tuple(event[2][field] for field in _STATE_FIELDS)
            date = texts.setdefault(event[0].text, event[0].text)
            key = _event_key(event[0], event[1], rel["kind"], names)
            slim.append((*key, slim.count, position, (date, event[1], state, *event[3:])))
    for e in _entity_events(g, None):
        slim.append((*_event_key(e.pop("_span"), e["event"], None, (folded[e["entity"]["name"]], "")), slim.count, None, e))
    # (sorted by key, then n: never by what follows)

    def at(positions: "Iterator[int]") -> "Iterator[dict]":
        return store.at(positions) if held is None else map(held.__getitem__, positions)

    def events() -> "Iterator[dict]":
        ahead, records = itertools.tee(slim.sorted())  # (the relationships are read some hundreds ahead)
        read = iter(at(item[-2] for item in ahead if item[-2] is not None))
        viewed: dict[int, dict] = {}  # held: each relationship viewed once, however many events it has
        for *_, position, event in records:
            if position is None:
                yield event
                continue
            rel = next(read)
            edge = viewed.get(position) if held is not None else None
            if edge is None:
                edge = g.edge(rel, claims=claims)
                if held is not None:
                    viewed[position] = edge
            state = event[2] if event[2] is None else dict(zip(_STATE_FIELDS, event[2]))
            yield _rel_event(g, edge, rel, (*event[:2], state, *event[3:]))

    return {
        "entity": None,
        "events": SizedStream(events, slim.count),
        "undated": SizedStream(
            lambda: (g.edge(rel, claims=claims) for rel in at(item[-1] for item in undated.sorted())), undated.count
        ),
    }


# ---- diff ----------------------------------------------------------------------

DIFF_SECTIONS: tuple[str, ...] = ("began", "reported", "changed", "ended", "unchanged")


def _side(state: dict, rel: dict, life: Life, when: Span) -> dict:
    """What diff says of a relationship at one date: presence, stage, health,
    certainty (a stage not recorded then is None) and its terms' states."""
    terms = {}
    if state["presence"] in ("in", "maybe", "ended"):
        for term in rel.get("terms") or []:
            term_state = term_state_at(term, when, life.last_reported)
            if term_state is not None:
                terms[term["name"]] = term_state
    return {
        "presence": state["presence"],
        "stage": None if state["stage"] == UNKNOWN else state["stage"],
        "health": state["health"],
        "certainty": state["certainty"],
        "terms": terms,
    }


def _compared(side: dict) -> tuple:
    return (side["stage"], side["health"], side["certainty"], tuple(sorted(side["terms"].items())))


def _term_steps(rel: dict) -> list[tuple]:
    steps = []
    for term in rel.get("terms") or []:
        for h in term.get("history") or []:
            span = dates.maybe_parse(h.get("date"))
            if span is not None:
                steps.append((span, h["state"], "term"))
    return steps


def _diff_item(g: Graph, rel: dict, life: Life, before: dict, after: dict, a: Span, b: Span) -> tuple[str | None, dict | None]:
    """(section, item) of one dated relationship between `a` and `b`; section
    "later" for one that began after `b`, None for one ended at both dates."""
    present = ("in", "maybe")
    if before["presence"] in ("not_yet", "maybe") and after["presence"] in present:
        section = "began" if life.basis == "start" else "reported"
    elif before["presence"] in ("not_yet", "maybe", *present) and after["presence"] == "ended":
        section = "ended"
    elif before["presence"] in present and after["presence"] in present:
        section = "changed"  # or unchanged: below
    elif after["presence"] == "not_yet":
        return "later", None
    else:  # ended at both dates
        return None, None
    item = {
        **g.edge(rel),
        "before": _side(before, rel, life, a),
        "after": _side(after, rel, life, b),
        "evidence": life.evidence(),
        "when": None,
        "last_reported": life.last_reported.text if life.last_reported else None,
        "certain": True,
        "doubts": [],
    }
    doubts = []
    if section in ("began", "reported"):
        item["when"] = life.known.text if life.known else None
        if before["presence"] == "maybe":
            what = "began" if life.basis == "start" else "first known"
            doubts.append(f"{what} {item['when']}: possibly already by {a.text}")
        doubts += after["doubts"]
    elif section == "ended":
        item["when"] = after["since"] or (life.end.text if life.end else None)
        if before["presence"] in present:
            doubts += before["doubts"]
        else:
            doubts.append(f"began {life.known.text if life.known else '?'} and ended between the two dates")
    else:
        changed = _compared(item["before"]) != _compared(item["after"])
        section = "changed" if changed else "unchanged"
        if changed:
            steps_between = [
                s for s in life.steps + _term_steps(rel)
                if s[0] is not None and s[0].last > a.last and s[0].first <= b.last
            ]
            steps_between.sort(key=lambda s: dates.order_key(s[0]))
            item["when"] = steps_between[-1][0].text if steps_between else None
        doubts += before["doubts"] + after["doubts"]
    item["doubts"] = list(dict.fromkeys(doubts))
    item["certain"] = not item["doubts"]
    return section, item


def _diff_key(section: str, item: dict, folded: dict[str, str]) -> tuple:
    """A diff item's place in its section: its date (dates.order_number, undated
    last; none in `unchanged`), its kind, the names at its ends.
    A whole file's sections hold one for each relationship: a few small values."""
    when = 0
    if section != "unchanged":
        span = dates.maybe_parse(item["when"]) if item["when"] else None
        when = dates.UNDATED_ORDER if span is None else dates.order_number(span)
    return (when, vocab.KIND_ORDER.get(item["kind"], 99), folded[item["from"]["name"]], folded[item["to"]["name"]])


def diff(
    g: Graph,
    earlier: str | Span,
    later: str | Span,
    *,
    entity: str | None = None,
    stream: bool = False,
    grouped: bool = False,
) -> dict:
    """The `diff` command's result: what began, was first reported, changed
    stage, health, certainty or terms, or ended between the end of `earlier` and the end of `later`, and
    what stood unchanged at both; undated relationships apart. With
    `entity`, only the relationships it is on either side of. With `stream`
    (and no `entity`), each section is a Stream (aideps.graph.stream): sorted
    as small records that point at their relationship, which is read again,
    placed in time again and viewed as it is written.

    With `grouped` (the text's: a section is drawn a kind at a time), each
    section is a SizedStream of its items by kind (vocab.KIND_ORDER), in the
    section's own order within a kind; its `kinds` the number of items of
    each kind, in that order; each item's "order" its place in the
    section's own order. A large file's text holds one kind's lines at a
    time, not every item of the file."""
    a = earlier if isinstance(earlier, Span) else moment(earlier)
    b = later if isinstance(later, Span) else moment(later)
    if b.last < a.last:
        raise ValueError(f"{b.text} is before {a.text}: give the earlier date first")
    streamed = stream and entity is None
    store = g.store
    # Each section's entries: (*its sort key (_diff_key), n, item or position, kind),
    # flat; a whole file's sorted in runs on disk (aideps.graph.sorting), not held.
    found: dict[str, Sorter] = {name: Sorter() for name in (*DIFF_SECTIONS, "undated")}
    later_only = 0
    standing = {"in", "maybe"}
    # What stood at each date, by kind and by stage (each in order of first appearance).
    counts: dict[str, dict[str, dict[str, int]]] = {f"{field} {label}": {} for field in ("kind", "stage") for label in ("before", "after")}
    folded, kind_strings = _Folded(), {}
    if entity is None:
        store.prefetch_names(store.entities)  # every relationship's ends are named: their names at once
        pairs = _positioned(store)
    else:
        pairs = ((None, rel) for rel in store.touching(entity))
    for position, rel in pairs:
        life = Life(store, rel)
        before, after = life.at(a), life.at(b)
        for label, state in (("before", before), ("after", after)):
            if state["presence"] in standing:
                for field, value in (("kind", rel["kind"]), ("stage", state["stage"] or "none")):
                    tally = counts[f"{field} {label}"]
                    tally[value] = tally.get(value, 0) + 1
        kind = kind_strings.setdefault(rel["kind"], rel["kind"])  # one string per kind, however many entries
        if before["presence"] == "undated":  # in file order
            section, key, item = "undated", (0, 0, "", ""), None if streamed else g.edge(rel)
        else:
            section, item = _diff_item(g, rel, life, before, after, a, b)
            if section == "later":
                later_only += 1
            if section not in found or item is None:  # (later, or ended at both dates)
                continue
            key = _diff_key(section, item, folded)
        entries = found[section]
        entries.append((*key, entries.count, position if streamed else item, kind))
    # (each section sorted by key, then n: never by item)

    def viewed(name: str, positions: "Iterable[int]") -> "Iterator[dict]":
        """The items of section `name` at `positions`, each relationship read,
        placed in time and viewed again."""
        for rel in store.at(positions):
            if name == "undated":
                yield g.edge(rel)
                continue
            life = Life(store, rel)
            yield _diff_item(g, rel, life, life.at(a), life.at(b), a, b)[1]  # type: ignore[misc]

    def section_of(name: str) -> "list[dict] | Stream":
        entries = found[name]
        if not grouped:
            if not streamed:
                return [entry[-2] for entry in entries.sorted()]
            return Stream(lambda: viewed(name, (entry[-2] for entry in entries.sorted())))
        if name == "undated":  # in file order, not by kind
            def in_file_order() -> "Iterator[dict]":
                if streamed:
                    return viewed(name, (entry[-2] for entry in entries.sorted()))
                return ({**entry[-2], "order": n} for n, entry in enumerate(entries.sorted()))

            sized = SizedStream(in_file_order, len(entries))
            sized.kinds = {}  # type: ignore[attr-defined]
            return sized
        # By kind: a kind's place in vocab.KIND_ORDER, then (kinds it does not
        # know) its first item's; the section's own order within it. Each
        # kind's items as (their places in the section, their positions or
        # items): a whole file's, two arrays of ints.
        buckets: dict[str, tuple[array, "array | list"]] = {}
        for n, entry in enumerate(entries.sorted()):
            bucket = buckets.get(entry[-1])
            if bucket is None:
                bucket = buckets[entry[-1]] = (array("q"), array("q") if streamed else [])
            bucket[0].append(n)
            bucket[1].append(entry[-2])
        buckets = dict(sorted(buckets.items(), key=lambda item: vocab.KIND_ORDER.get(item[0], 99)))

        def items() -> "Iterator[dict]":
            for numbers, held in buckets.values():
                chosen = zip(numbers, viewed(name, held) if streamed else held)
                for n, item in chosen:
                    yield {**item, "order": n}

        sized = SizedStream(items, len(entries))
        sized.kinds = {kind: len(numbers) for kind, (numbers, _) in buckets.items()}  # type: ignore[attr-defined]
        return sized

    def tally(field: str, order: dict) -> dict:
        before, after = counts[f"{field} before"], counts[f"{field} after"]
        values = [*before, *(v for v in after if v not in before)]
        both = {v: {"before": before.get(v, 0), "after": after.get(v, 0)} for v in values}
        return dict(sorted(both.items(), key=lambda item: order.get(item[0], 99)))

    in_force_before = sum(counts["kind before"].values())
    return {
        "entity": g.ref(entity) if entity else None,
        "from": moment_doc(a),
        "to": moment_doc(b),
        "counts": {
            "before": in_force_before,
            **{name: found[name].count for name in DIFF_SECTIONS},
            "undated": found["undated"].count,
            "after_to": later_only,
        },
        "by_kind": tally("kind", vocab.KIND_ORDER),
        "by_stage": tally("stage", vocab.STAGE_ORDER),
        **{name: section_of(name) for name in DIFF_SECTIONS},
        "undated": section_of("undated"),
    }
