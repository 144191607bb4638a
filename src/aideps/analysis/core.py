"""Questions across the graph: time (as of a date, timeline, diff), paths
(why), exposure (impact), concentration (stats), disagreements (conflicts),
and the part of the graph an export draws.

Everything here reads a graph through its data-access API only
(`entities`, `relationships`, `outgoing`, `incoming`, `children`,
`sources`, `resolve`, `ref`, `edge`, `name`, `source_ref`), so it works on a
`Graph` and on an `AsOf` view alike. Results are plain, JSON-ready data, as
in aideps.graph; nothing here prints.

Time follows the rules of docs/time.md (dates are intervals, see
aideps.dates):

- A relationship is placed in time by its `start`; without one, by the
  earliest of its status history and the dates of the sources that report it
  ("reported": evidence that it existed by then, never a start date). With
  neither it is *undated* and never guessed into a moment.
- It has ended by a moment when its `end` is by then, or its status then is
  `ended`.
- Its status at a moment is that of the latest history entry by then; the
  `status` field holds from its newest source on. A relationship without
  history had that one status throughout (except `ended`, which holds from
  its end or newest source). Before its first history entry its status is
  `unknown`.
- A coarse date that straddles the moment ("2024" as of 2024-06) makes the
  answer *possible*, not yes or no: such relationships are kept and flagged
  with plain-words doubts.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping

from aideps.knowledge import dates, vocab
from aideps.knowledge.dates import MAYBE, NO, YES, Span
from aideps.graph.core import Graph

KIND_ORDER = {kind: index for index, kind in enumerate(vocab.KINDS)}
STATUS_ORDER = {status: index for index, status in enumerate(vocab.STATUSES)}

UNKNOWN = "unknown"  # a status not recorded at a moment (before the first history entry)

# Statuses of a dependency that binds now; and of one that no longer (or never) binds.
IN_FORCE: tuple[str, ...] = ("active", "strained")
NOT_STANDING: tuple[str, ...] = ("ended", "rejected")
STANDING: tuple[str, ...] = tuple(s for s in vocab.STATUSES if s not in NOT_STANDING)

# Kinds where one provider means a single point of failure; the others are
# one's own effort (in_house), a deal not yet made (negotiation) or no
# dependency at all (rivalry).
SUPPLY_KINDS: tuple[str, ...] = tuple(k for k in vocab.DEPENDENCY_KINDS if k not in ("in_house", "negotiation"))


def _status_label(status: str) -> str:
    return vocab.status_label(status)


def descendants(g, eid: str) -> list[str]:
    """The parts of an entity, and their parts (GitHub Copilot is part of GitHub, part of Microsoft)."""
    found: list[str] = []
    queue = deque(g.children.get(eid, []))
    while queue:
        child = queue.popleft()
        if child in found or child == eid:
            continue
        found.append(child)
        queue.extend(g.children.get(child, []))
    return found


def _names(g, rel: Mapping) -> tuple:
    return (g.name(rel["from"]).casefold(), g.name(rel["to"]).casefold(), KIND_ORDER.get(rel["kind"], 99))


# ---- the life of a relationship ---------------------------------------------


class Life:
    """When a relationship is known to exist, its status over time, and how
    sure each answer is. See the module docstring for the rules."""

    def __init__(self, g, rel: Mapping):
        self.rel = rel
        cited: list[tuple[Span, str]] = []
        for item in list(rel.get("provenance") or []) + list(rel.get("amounts") or []) + list(rel.get("history") or []):
            source = g.sources.get(item["source"])
            span = dates.maybe_parse(source.get("date")) if source else None
            if span is not None:
                cited.append((span, item["source"]))
        self.reported = dates.earliest([s for s, _ in cited])
        self.reported_by = [sid for s, sid in cited if self.reported and s == self.reported]
        self.last_reported = dates.latest([s for s, _ in cited])
        self.start = dates.maybe_parse(rel.get("start"))
        self.end = dates.maybe_parse(rel.get("end"))
        history = []
        for h in rel.get("history") or []:
            span = dates.maybe_parse(h.get("date"))
            if span is not None:
                history.append((span, h["status"]))
        history.sort(key=lambda item: dates.order_key(item[0]))
        # What places it in time.
        self.basis: str | None = None
        self.known: Span | None = None
        if self.start is not None:
            self.known, self.basis = self.start, "start"
            # A source dated within the start's span that reports it shows it
            # had begun by then: started "2024", reported 2024-10-30, so begun
            # by 2024-10-30. (A report before the start is of a plan: no help.)
            proofs = [s for s, _ in cited] + [s for s, _ in history]
            proof = dates.earliest([s for s in proofs if s.last >= self.start.first])
            if proof is not None and proof.last < self.start.last:
                self.known = Span(self.start.text, self.start.first, proof.last)
        else:
            candidates = []
            if history:
                candidates.append((dates.earliest([s for s, _ in history]), "history"))
            if self.reported is not None:
                candidates.append((self.reported, "reported"))
            if candidates:
                self.known, self.basis = min(candidates, key=lambda c: (c[0].last, c[0].first, c[1] != "history"))
        # Its status over time: (date or None, status, where from).
        steps: list[tuple[Span | None, str, str]] = [(span, status, "history") for span, status in history]
        final = rel["status"]
        final_date = self.end if final == "ended" and self.end is not None else self.last_reported
        if not steps or steps[-1][1] != final:
            if final_date is not None or not steps:
                steps.append((final_date, final, "status"))
        self.steps = steps

    @property
    def undated(self) -> bool:
        return self.known is None

    def evidence(self) -> dict | None:
        if self.known is None:
            return None
        return {"date": self.known.text, "basis": self.basis}

    def status_at(self, moment: Span) -> tuple[str, str | None, list[str]]:
        """(status, the date it holds from or None, doubts) at the end of `moment`."""
        current = None
        later_maybe: list[tuple[Span, str]] = []
        for span, status, origin in self.steps:
            if span is None:
                continue
            answer = dates.happened_by(span, moment)
            if answer == YES:
                current = (span, status, origin)
                later_maybe = []
            elif answer == MAYBE:
                later_maybe.append((span, status))
        if current is not None:
            status, since = current[1], (current[0].text if current[2] == "history" else None)
        else:
            first = self.steps[0] if self.steps else None
            if first is not None and first[2] == "status" and first[1] != "ended":
                status, since = first[1], None  # one status recorded: it held throughout
            else:
                status, since = UNKNOWN, None
        doubts = [
            f"possibly {_status_label(s)} already (from {span.text})" for span, s in later_maybe if s != status
        ]
        return status, since, doubts

    def at(self, moment: Span) -> dict:
        """Where the relationship stood at the end of `moment`:
        {"presence": "in"|"maybe"|"not_yet"|"ended"|"undated", "status", "since", "doubts"}."""
        if self.known is None:
            return {"presence": "undated", "status": None, "since": None, "doubts": []}
        began = dates.happened_by(self.known, moment)
        if began == NO:
            return {"presence": "not_yet", "status": None, "since": None, "doubts": []}
        doubts: list[str] = []
        presence = "in"
        if began == MAYBE:
            what = {"start": "began", "history": "first recorded", "reported": "first reported"}[self.basis or "start"]
            doubts.append(f"{what} {self.known.text}: possibly after {moment.text}")
            presence = "maybe"
        status, since, status_doubts = self.status_at(moment)
        if self.end is not None:
            ended = dates.happened_by(self.end, moment)
            if ended == YES:
                return {"presence": "ended", "status": "ended", "since": self.end.text, "doubts": doubts}
            if ended == MAYBE:
                doubts.append(f"ended {self.end.text}: possibly by {moment.text}")
                presence = "maybe"
        if status == "ended":
            return {"presence": "ended", "status": "ended", "since": since, "doubts": doubts}
        if any(d.startswith("possibly ended") for d in status_doubts):
            presence = "maybe"
        doubts.extend(status_doubts)
        return {"presence": presence, "status": status, "since": since, "doubts": doubts}


def moment(text: str) -> Span:
    """A date from the command line; ValueError in plain words when it is not one."""
    return dates.parse(text.strip() if isinstance(text, str) else text)


def moment_doc(span: Span) -> dict:
    """How a moment appears in JSON: the date as given and the last day it covers."""
    return {"date": span.text, "through": dates.through(span)}


# ---- as of a date: a view of the graph ---------------------------------------


class AsOf(Graph):
    """The graph as it stood at the end of a date: only relationships begun
    (or reported) by then and not yet ended, each with the status it had
    then. Entities, sources and lookups are the underlying graph's.

    A graph transform: it exposes the same data-access API as Graph, so every
    Graph query (profile, tree, partnership, ...) and every function of this
    module runs on it unchanged. `edge()` adds an `as_of` object to each
    relationship: {"date", "evidence": {"date", "basis"}, "status_since",
    "certain", "doubts"}.
    """

    def __init__(self, graph, when: str | Span):  # noqa: D107 - no Graph.__init__: nothing to index
        self._base = graph
        self.when = when if isinstance(when, Span) else moment(when)
        self._notes: dict[str, dict] = {}
        self._relationships: list[dict] = []
        self._outgoing: dict[str, list[dict]] = defaultdict(list)
        self._incoming: dict[str, list[dict]] = defaultdict(list)
        self.left_out: dict[str, int] = {"not_yet": 0, "ended": 0, "undated": 0}
        for rel in graph.relationships:
            life = Life(graph, rel)
            state = life.at(self.when)
            if state["presence"] not in ("in", "maybe"):
                self.left_out[state["presence"]] += 1
                continue
            view = dict(rel)
            view["status"] = state["status"]
            self._relationships.append(view)
            self._outgoing[view["from"]].append(view)
            self._incoming[view["to"]].append(view)
            self._notes[rel["id"]] = {
                "date": self.when.text,
                "evidence": life.evidence(),
                "status_since": state["since"],
                "certain": not state["doubts"],
                "doubts": state["doubts"],
            }

    def as_of_summary(self) -> dict:
        return self.summary()

    # The data-access API: relationships filtered, the rest the base graph's.
    @property
    def relationships(self) -> list[dict]:  # type: ignore[override]
        return self._relationships

    @property
    def outgoing(self) -> Mapping[str, list[dict]]:  # type: ignore[override]
        return self._outgoing

    @property
    def incoming(self) -> Mapping[str, list[dict]]:  # type: ignore[override]
        return self._incoming

    @property
    def entities(self):  # type: ignore[override]
        return self._base.entities

    @property
    def children(self):  # type: ignore[override]
        return self._base.children

    @property
    def sources(self):  # type: ignore[override]
        return self._base.sources

    @property
    def data(self):  # type: ignore[override]
        return self._base.data

    def resolve(self, query: str) -> str:
        return self._base.resolve(query)

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        return self._base.suggest(query, limit)

    def ref(self, eid: str) -> dict:
        return self._base.ref(eid)

    def source_ref(self, sid: str) -> dict:
        return self._base.source_ref(sid)

    def name(self, eid: str) -> str:
        return self._base.name(eid)

    def edge(self, rel: dict) -> dict:
        view = Graph.edge(self, rel)
        note = self._notes.get(rel["id"])
        if note is not None:
            view["as_of"] = note
        return view

    def __getattr__(self, name: str):
        # Anything else the base graph keeps (lookup tables, an index handle).
        if name == "_base":
            raise AttributeError(name)
        return getattr(self._base, name)

    def summary(self) -> dict:
        """The `as_of` object of a command's document."""
        return {**moment_doc(self.when), "left_out": dict(self.left_out)}


def as_of(graph, when: str | None):
    """The graph as of `when`, or the graph itself when `when` is None."""
    return graph if when is None else AsOf(graph, when)


# ---- timeline ------------------------------------------------------------------


def _event_entities(g, scope: set[str] | None) -> list[dict]:
    out = []
    for eid, entity in g.entities.items():
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


def timeline(g, eid: str | None = None) -> dict:
    """The `timeline` command's result: dated events in date order (the
    start, status changes and end of each relationship; its first report
    when it has neither start nor history; dated events), then the
    relationships nothing dates."""
    events: list[dict] = []
    undated: list[dict] = []
    rels = list(g.relationships)
    if eid is not None:
        rels = [r for r in rels if eid in (r["from"], r["to"])]
    for rel in rels:
        life = Life(g, rel)
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
            KIND_ORDER.get(e["relationship"]["kind"], 99) if e["relationship"] else -1,
            (e["relationship"]["from"]["name"].casefold(), e["relationship"]["to"]["name"].casefold())
            if e["relationship"]
            else (e["entity"]["name"].casefold(), ""),
        )
    )
    for e in events:
        del e["_span"]
    undated.sort(key=lambda e: (KIND_ORDER.get(e["kind"], 99), e["from"]["name"].casefold(), e["to"]["name"].casefold()))
    return {"entity": g.ref(eid) if eid else None, "events": events, "undated": undated}


# ---- diff ----------------------------------------------------------------------

DIFF_SECTIONS: tuple[str, ...] = ("began", "reported", "changed", "ended", "unchanged")


def diff(g, earlier: str | Span, later: str | Span, *, entity: str | None = None) -> dict:
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
    rels = [r for r in g.relationships if entity is None or entity in (r["from"], r["to"])]
    for rel in rels:
        life = Life(g, rel)
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
            KIND_ORDER.get(item["kind"], 99),
            item["from"]["name"].casefold(),
            item["to"]["name"].casefold(),
        )

    for name, items in sections.items():
        if name == "unchanged":
            items.sort(key=lambda i: (KIND_ORDER.get(i["kind"], 99), i["from"]["name"].casefold(), i["to"]["name"].casefold()))
        else:
            items.sort(key=key)
    standing = {"in", "maybe"}
    states = [(rel, Life(g, rel)) for rel in rels]
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
        "by_kind": tally("kind", KIND_ORDER),
        "by_status": tally("status", STATUS_ORDER),
        **sections,
        "undated": undated,
    }


# ---- paths: why A relies on B ----------------------------------------------------


def _allowed(kinds: Iterable[str] | None, statuses: Iterable[str] | None):
    chosen = tuple(kinds) if kinds else vocab.DEPENDENCY_KINDS
    wrong = [k for k in chosen if k not in vocab.DEPENDENCY_KINDS]
    if wrong:
        raise ValueError(f"{', '.join(wrong)} is not a dependency kind; paths follow dependencies only")
    wanted = tuple(statuses) if statuses else STANDING
    kinds_set, statuses_set = set(chosen), set(wanted)
    if not statuses:
        statuses_set.add(UNKNOWN)  # as of a date: it stood then, its status unrecorded

    def ok(rel: Mapping) -> bool:
        return rel["kind"] in kinds_set and rel["status"] in statuses_set

    return chosen, wanted, ok


def _hop(g, a: str, b: str, rels: list) -> dict:
    rels = sorted(rels, key=lambda r: (KIND_ORDER.get(r["kind"], 99), r["id"]))
    return {"from": g.ref(a), "to": g.ref(b), "relationships": [g.edge(r) for r in rels]}


def why(
    g,
    source: str,
    target: str,
    *,
    depth: int = 4,
    kinds: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    limit: int | None = 100,
) -> dict:
    """The `why` command's result: every dependency path from `source` to
    `target` (or to a part of it: Anthropic relies on CUDA, part of NVIDIA)
    of at most `depth` hops, no entity twice, shortest first; at most `limit`
    paths (None: all)."""
    chosen, wanted, ok = _allowed(kinds, statuses)
    targets = {target, *descendants(g, target)}
    targets.discard(source)
    # Distance from each entity to a target, against the arrows: prunes the search.
    distance: dict[str, int] = {t: 0 for t in targets}
    queue = deque(targets)
    while queue:
        node = queue.popleft()
        for rel in g.incoming.get(node, []):
            if ok(rel) and rel["from"] not in distance:
                distance[rel["from"]] = distance[node] + 1
                queue.append(rel["from"])

    def steps(node: str) -> list[tuple[str, list]]:
        grouped: dict[str, list] = {}
        for rel in g.outgoing.get(node, []):
            if ok(rel):
                grouped.setdefault(rel["to"], []).append(rel)
        return sorted(grouped.items(), key=lambda item: g.name(item[0]).casefold())

    found: list[list[tuple[str, str, list]]] = []
    complete = True

    def walk(node: str, trail: list, seen: set, length: int) -> bool:
        """Paths of exactly `length` more hops; False when the limit is reached."""
        for other, rels in steps(node):
            if other in seen or distance.get(other, length + 1) > length - 1:
                continue
            hop = (node, other, rels)
            if length == 1:
                if other in targets:
                    found.append(trail + [hop])
                    if limit is not None and len(found) >= limit:
                        return False
                continue
            if other in targets:
                continue  # reached the target already: a longer path through it adds nothing
            if not walk(other, trail + [hop], seen | {other}, length - 1):
                return False
        return True

    if source not in targets and source in distance:
        for length in range(1, depth + 1):
            if not walk(source, [], {source}, length):
                complete = False
                break
    shortest_beyond = None
    if not found and source in distance and distance[source] > depth:
        shortest_beyond = distance[source]
    found.sort(key=lambda trail: (len(trail), trail[-1][1] != target, [g.name(h[1]).casefold() for h in trail]))
    paths = []
    for trail in found:
        end = trail[-1][1]
        paths.append(
            {
                "length": len(trail),
                "entities": [g.ref(trail[0][0])] + [g.ref(h[1]) for h in trail],
                "hops": [_hop(g, a, b, rels) for a, b, rels in trail],
                "ends_at_part": g.ref(end) if end != target else None,
            }
        )
    return {
        "from": g.ref(source),
        "to": g.ref(target),
        "depth": depth,
        "kinds": list(chosen),
        "statuses": sorted(wanted, key=STATUS_ORDER.get),
        "limit": limit,
        "complete": complete,
        "paths": paths,
        "shortest_beyond_depth": shortest_beyond,
        "reverse_exists": bool(not paths and _reaches(g, target, {source, *descendants(g, source)}, ok)),
    }


def _reaches(g, start: str, targets: set[str], ok) -> bool:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for rel in g.outgoing.get(node, []):
            if ok(rel) and rel["to"] not in seen:
                if rel["to"] in targets:
                    return True
                seen.add(rel["to"])
                queue.append(rel["to"])
    return False


# ---- impact: who is exposed if NAME stumbles ------------------------------------


def impact(
    g,
    target: str,
    *,
    depth: int | None = None,
    kinds: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
) -> dict:
    """The `impact` command's result: every entity that relies on `target`
    (or on a part of it) directly or through others, each at its shortest
    distance, with the relationships that expose it and one shortest chain;
    grouped by depth and by the kind of its own dependency; and the in-house
    efforts that aim to replace `target`."""
    chosen, wanted, ok = _allowed(kinds, statuses)
    parts = descendants(g, target)
    roots = [target, *parts]
    level: dict[str, int] = {r: 0 for r in roots}
    toward: dict[str, str] = {}  # a next hop on a shortest chain
    frontier = list(roots)
    exposed: list[dict] = []
    current = 0
    while frontier and (depth is None or current < depth):
        current += 1
        reached: dict[str, list] = {}
        for node in frontier:
            for rel in g.incoming.get(node, []):
                other = rel["from"]
                if ok(rel) and (other not in level or level[other] == current):
                    reached.setdefault(other, []).append(rel)
        for other in reached:
            level[other] = current
        for other, rels in sorted(reached.items(), key=lambda item: g.name(item[0]).casefold()):
            rels.sort(key=lambda r: (KIND_ORDER.get(r["kind"], 99), g.name(r["to"]).casefold()))
            toward[other] = rels[0]["to"]
            chain = [other]
            while chain[-1] in toward:
                chain.append(toward[chain[-1]])
            exposed.append(
                {
                    "entity": g.ref(other),
                    "depth": current,
                    "kinds": list(dict.fromkeys(r["kind"] for r in rels)),
                    "through": [g.ref(e) for e in dict.fromkeys(r["to"] for r in rels)],
                    "via": [g.edge(r) for r in rels],
                    "path": [g.ref(e) for e in chain],
                }
            )
        frontier = sorted(reached)
    truncated = bool(frontier) and depth is not None and any(
        ok(rel) and rel["from"] not in level for node in frontier for rel in g.incoming.get(node, [])
    )
    groups: list[dict] = []
    for d in sorted({e["depth"] for e in exposed}):
        for kind in chosen:
            members = [e["entity"] for e in exposed if e["depth"] == d and kind in e["kinds"]]
            if members:
                groups.append({"depth": d, "kind": kind, "count": len(members), "entities": members})
    by_depth = {str(d): sum(1 for e in exposed if e["depth"] == d) for d in sorted({e["depth"] for e in exposed})}
    hedges = [
        g.edge(rel)
        for rel in sorted(
            (r for r in g.relationships if r["kind"] == "in_house" and set(r.get("replaces") or []) & set(roots)),
            key=lambda r: _names(g, r),
        )
    ]
    return {
        "target": g.ref(target),
        "parts": [g.ref(p) for p in parts],
        "depth": depth,
        "kinds": list(chosen),
        "statuses": sorted(wanted, key=STATUS_ORDER.get),
        "total": len(exposed),
        "direct": by_depth.get("1", 0),
        "by_depth": by_depth,
        "truncated": truncated,
        "exposed": exposed,
        "groups": groups,
        "hedges": hedges,
    }


# ---- stats: concentration ----------------------------------------------------------


def stats(g, *, statuses: Iterable[str] | None = None, top: int = 3) -> dict:
    """The `stats` command's result: per kind, the most relied-on providers;
    entities that rely on a single provider for a kind (single points of
    failure) and the in-house efforts that hedge them; every in-house effort
    that aims to replace a supplier, with what still relies on that supplier."""
    wanted = tuple(statuses) if statuses else IN_FORCE
    wanted_set = set(wanted)
    rels = list(g.relationships)
    binding = [r for r in rels if r["kind"] in SUPPLY_KINDS and r["status"] in wanted_set]
    providers: list[dict] = []
    by_kind: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for rel in binding:
        by_kind[rel["kind"]][rel["to"]].add(rel["from"])
    for kind in SUPPLY_KINDS:
        table = by_kind.get(kind)
        if not table:
            continue
        dependents = {d for ds in table.values() for d in ds}
        ranked = sorted(table.items(), key=lambda item: (-len(item[1]), g.name(item[0]).casefold()))
        shared = [item for item in ranked if len(item[1]) > 1]  # relied on by one only: no concentration
        cut = shared[:top]
        if cut:  # and the ties of the last one
            cut = [item for item in shared if len(item[1]) >= len(cut[-1][1])]
        providers.append(
            {
                "kind": kind,
                "dependents": len(dependents),
                "providers": len(table),
                "top": [
                    {
                        "entity": g.ref(eid),
                        "count": len(ds),
                        "share": round(len(ds) / len(dependents), 4),
                        "dependents": sorted((g.ref(d) for d in ds), key=lambda r: r["name"].casefold()),
                    }
                    for eid, ds in cut
                ],
            }
        )
    # Single points of failure.
    in_house_by: dict[str, list[dict]] = defaultdict(list)
    for rel in rels:
        if rel["kind"] == "in_house":
            in_house_by[rel["from"]].append(rel)
    single: list[dict] = []
    needs: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for rel in binding:
        needs[(rel["from"], rel["kind"])][rel["to"]].append(rel)
    own_parts = 0
    for (who, kind), table in needs.items():
        if len(table) != 1:
            continue
        (provider, via), = table.items()
        if _top(g, provider) == _top(g, who):
            own_parts += 1  # Meta's Ray-Ban glasses, OpenAI's CEO: its own, not a supplier's
            continue
        hedged = [
            g.edge(r)
            for r in in_house_by.get(who, [])
            if provider in (r.get("replaces") or []) or _part_of(g, provider, r.get("replaces") or [])
        ]
        single.append(
            {
                "entity": g.ref(who),
                "kind": kind,
                "provider": g.ref(provider),
                "relationships": [g.edge(r) for r in via],
                "hedges": hedged,
            }
        )
    single.sort(key=lambda s: (KIND_ORDER.get(s["kind"], 99), s["entity"]["name"].casefold()))
    # In-house efforts that aim to remove a dependency.
    efforts = []
    for rel in sorted((r for r in rels if r["kind"] == "in_house" and r.get("replaces")), key=lambda r: _names(g, r)):
        replaced = []
        for supplier in rel["replaces"]:
            own = [
                r for r in g.outgoing.get(rel["from"], [])
                if r["to"] == supplier and r["kind"] in vocab.DEPENDENCY_KINDS and r["kind"] != "in_house"
            ]
            others = {
                r["from"]
                for r in g.incoming.get(supplier, [])
                if r["kind"] in SUPPLY_KINDS and r["status"] in wanted_set and r["from"] != rel["from"]
            }
            replaced.append(
                {
                    "entity": g.ref(supplier),
                    "relied_on_by_builder": [
                        {"id": r["id"], "kind": r["kind"], "status": r["status"]}
                        for r in sorted(own, key=lambda r: KIND_ORDER.get(r["kind"], 99))
                    ],
                    "dependents": len(others),
                }
            )
        efforts.append({**g.edge(rel), "replacing": replaced})
    return {
        "statuses": sorted(wanted, key=STATUS_ORDER.get),
        "counts": {
            "entities": len(g.entities),
            "relationships": len(rels),
            "dependencies": sum(1 for r in rels if r["kind"] in vocab.DEPENDENCY_KINDS),
            "counted": len(binding),
        },
        "providers": providers,
        "single_points": single,
        "single_points_own": own_parts,
        "in_house": efforts,
    }


def _top(g, eid: str) -> str:
    """The outermost whole an entity is part of (itself when it is part of nothing)."""
    seen = {eid}
    node = eid
    parent = g.entities.get(node, {}).get("parent")
    while parent and parent not in seen:
        seen.add(parent)
        node = parent
        parent = g.entities.get(node, {}).get("parent")
    return node


def _part_of(g, eid: str, wholes: list[str]) -> bool:
    """Whether `eid` is a part (at any depth) of one of `wholes`."""
    seen = set()
    node = g.entities.get(eid, {}).get("parent")
    while node and node not in seen:
        if node in wholes:
            return True
        seen.add(node)
        node = g.entities.get(node, {}).get("parent")
    return False


# ---- conflicts: claims that disagree across sources --------------------------------


def _claim_key(value, currency) -> tuple:
    return (value, currency)


def conflicts(g, eid: str | None = None) -> dict:
    """The `conflicts` command's result: figures two sources give
    differently for the same relationship (amounts), and facts of one entity
    with the same key and date whose values differ across sources; each side
    by side with its source and date."""
    out: list[dict] = []
    for rel in g.relationships:
        if eid is not None and eid not in (rel["from"], rel["to"]):
            continue
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
                    {
                        "value": a["amount"],
                        "currency": a.get("currency"),
                        "qualifier": a.get("qualifier") or "exact",
                        "unit": None,
                        "as_of": None,
                        "note": a.get("note"),
                        "source": g.source_ref(a["source"]),
                        "quote": a["quote"],
                    }
                    for a in amounts
                ],
            }
        )
    for entity_id, entity in g.entities.items():
        if eid is not None and entity_id != eid:
            continue
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
                        {
                            "value": f["value"],
                            "currency": f.get("currency"),
                            "qualifier": f.get("qualifier") or "exact",
                            "unit": f.get("unit"),
                            "as_of": f.get("as_of"),
                            "note": f.get("note"),
                            "source": g.source_ref(f["source"]),
                            "quote": f["quote"],
                        }
                        for f in facts
                    ],
                }
            )

    def key(item: dict) -> tuple:
        if item["relationship"]:
            r = item["relationship"]
            return (0, r["from"]["name"].casefold(), r["to"]["name"].casefold(), KIND_ORDER.get(r["kind"], 99))
        return (1, item["entity"]["name"].casefold(), item["key"], "")

    out.sort(key=key)
    for item in out:  # oldest source first, so the claims read in order
        item["claims"].sort(key=lambda c: dates.order_key(dates.maybe_parse(c["source"]["date"]) or dates.parse("9999")))
    return {"entity": g.ref(eid) if eid else None, "conflicts": out}


# ---- export: the part of the graph to draw -------------------------------------------


def selection(
    g,
    center: str | None = None,
    *,
    depth: int | None = None,
    kinds: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
) -> dict:
    """The entities and relationships an export draws: relationships of the
    given kinds (default: all, rivalry too) and statuses; around `center`,
    the entities within `depth` hops of it either way (default 1) and the
    relationships among them. Without a centre and filters, every entity,
    even one with no relationship."""
    chosen = tuple(kinds) if kinds else vocab.KINDS
    wrong = [k for k in chosen if k not in vocab.KINDS]
    if wrong:
        raise ValueError(f"unknown kind {', '.join(wrong)}")
    kinds_set = set(chosen)
    statuses_set = set(statuses) if statuses else None

    def ok(rel: Mapping) -> bool:
        return rel["kind"] in kinds_set and (statuses_set is None or rel["status"] in statuses_set)

    rels = [r for r in g.relationships if ok(r)]
    if center is not None:
        limit = 1 if depth is None else depth
        near = {center: 0}
        queue = deque([center])
        while queue:
            node = queue.popleft()
            if near[node] >= limit:
                continue
            for rel in list(g.outgoing.get(node, [])) + list(g.incoming.get(node, [])):
                if not ok(rel):
                    continue
                other = rel["to"] if rel["from"] == node else rel["from"]
                if other not in near:
                    near[other] = near[node] + 1
                    queue.append(other)
        rels = [r for r in rels if r["from"] in near and r["to"] in near]
        nodes = list(near)
    elif kinds or statuses:
        nodes = list(dict.fromkeys(e for r in rels for e in (r["from"], r["to"])))
    else:
        nodes = list(g.entities)
    for rel in rels:  # an edge to an entity the file lacks still gets a node
        for end in (rel["from"], rel["to"]):
            if end not in nodes:
                nodes.append(end)
    rels.sort(key=lambda r: (KIND_ORDER.get(r["kind"], 99), r["from"], r["to"], r["id"]))
    return {
        "center": g.ref(center) if center else None,
        "depth": (1 if depth is None else depth) if center else None,
        "kinds": list(chosen),
        "statuses": sorted(statuses_set, key=STATUS_ORDER.get) if statuses_set else [],
        "nodes": nodes,
        "relationships": rels,
    }
