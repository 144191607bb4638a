"""The life of a relationship: when it is known to exist, its stage, health
and certainty over time, and how sure each answer is, by the rules of
docs/time.md (dates are intervals: aideps.knowledge.dates).

- A relationship is placed in time by its `start`; without one, by its
  `reported` date, else by the earliest of its history and the dates of the
  sources that report it ("reported": evidence that it existed by then, never
  a start date). With none of these it is *undated* and never guessed into a
  moment.
- It has ended by a moment when its `end` is by then, or its stage then is
  `ended`.
- Each of stage, health and certainty at a moment is that of the latest
  history entry by then that sets it; the relationship's own field holds from
  its newest source on. A field without history had that one value
  throughout (except stage `ended`, which holds from its end or newest
  source). Before its first history entry a stage is `unknown`.
- A coarse date that straddles the moment ("2024" as of 2024-06) makes the
  answer *possible*, not yes or no: such relationships are kept and flagged
  with plain-words doubts.

Used by the as-of view (aideps.graph.asof) and by the questions of time
(aideps.analysis.time).
"""

from __future__ import annotations

from collections.abc import Mapping

from aideps.knowledge import dates, vocab
from aideps.knowledge.dates import MAYBE, NO, YES, Span

UNKNOWN = "unknown"  # a stage not recorded at a moment (before the first history entry)
FIELDS: tuple[str, ...] = ("stage", "health", "certainty")


def _source_spans(g) -> dict:
    """Source id -> its date's span, kept on `g` for every relationship's
    Life: a source is read and its date parsed once, not once per claim."""
    try:
        return g.__dict__.setdefault("_aideps_source_spans", {})
    except AttributeError:  # no __dict__ (slots): no memory
        return {}


class Life:
    """When a relationship is known to exist, its stage, health and certainty
    over time, and how sure each answer is. See the module docstring for the rules."""

    def __init__(self, g, rel: Mapping):
        """`g`: a Graph or a store (anything with `sources`, id -> source)."""
        self.rel = rel
        cited: list[tuple[Span, str]] = []
        spans = _source_spans(g)
        given = rel.get("history") or ()  # (most relationships have none: nothing below is done for it)
        for item in (*(rel.get("provenance") or ()), *(rel.get("amounts") or ()), *given):
            sid = item["source"]
            if sid not in spans:
                source = g.sources.get(sid)
                spans[sid] = dates.maybe_parse(source.get("date")) if source else None
            span = spans[sid]
            if span is not None:
                cited.append((span, sid))
        self.reported_field = dates.maybe_parse(rel.get("reported"))
        self.reported = self.reported_field or dates.earliest([s for s, _ in cited])
        self.reported_by = [sid for s, sid in cited if self.reported and s == self.reported]
        self.last_reported = dates.latest([s for s, _ in cited])
        self.start = dates.maybe_parse(rel.get("start"))
        self.end = dates.maybe_parse(rel.get("end"))
        history: list[tuple[Span, dict]] = []
        for h in given:
            span = dates.maybe_parse(h.get("date"))
            changes = {f: h[f] for f in FIELDS if h.get(f) is not None}
            if span is not None and changes:
                history.append((span, changes))
        if history:
            history.sort(key=lambda item: dates.order_key(item[0]))
        self.history = history
        # What places it in time: its start, else when it was first reported,
        # else its earliest source (or history entry, if earlier).
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
        # Each field over time: (date or None, value, where from).
        self.tracks: dict[str, list[tuple[Span | None, str | None, str]]] = {}
        for field in FIELDS:
            steps: list[tuple[Span | None, str | None, str]] = [
                (span, changes[field], "history") for span, changes in history if field in changes
            ] if history else []
            final = rel.get(field)
            if field == "certainty":
                final = final or "stated"
            final_date = self.end if field == "stage" and final == "ended" and self.end is not None else self.last_reported
            if not steps or steps[-1][1] != final:
                if final_date is not None or not steps:
                    steps.append((final_date, final, "status"))
            self.tracks[field] = steps
        self.steps = sorted(
            (step for steps in self.tracks.values() for step in steps if step[2] == "history"),
            key=lambda step: dates.order_key(step[0]) if step[0] else (),
        ) if history else []

    @property
    def undated(self) -> bool:
        return self.known is None

    def evidence(self) -> dict | None:
        if self.known is None:
            return None
        return {"date": self.known.text, "basis": self.basis}

    def value_at(self, field: str, moment: Span) -> tuple[str | None, str | None, list[str]]:
        """(value of `field`, the date it holds from or None, doubts) at the end of `moment`."""
        steps = self.tracks[field]
        current = None
        later_maybe: list[tuple[Span, str | None]] = []
        for span, value, origin in steps:
            if span is None:
                continue
            answer = dates.happened_by(span, moment)
            if answer == YES:
                current = (span, value, origin)
                later_maybe = []
            elif answer == MAYBE:
                later_maybe.append((span, value))
        if current is not None:
            value, since = current[1], (current[0].text if current[2] == "history" else None)
        else:
            first = steps[0] if steps else None
            if first is not None and first[2] == "status" and first[1] != "ended":
                value, since = first[1], None  # one value recorded: it held throughout
            elif field == "certainty":
                value, since = self.rel.get("certainty") or "stated", None
            else:
                value, since = (UNKNOWN if field == "stage" else None), None
        doubts = [
            f"possibly {vocab.status_label(v)} already (from {span.text})"
            for span, v in later_maybe
            if v != value and v is not None
        ]
        return value, since, doubts

    def status_at(self, moment: Span) -> tuple[dict, str | None, list[str]]:
        """({"stage", "health", "certainty"}, the latest date one of them holds from or None, doubts)
        at the end of `moment` (a stage not recorded by then is UNKNOWN)."""
        state: dict = {}
        since: list[str] = []
        doubts: list[str] = []
        for field in FIELDS:
            value, holds, field_doubts = self.value_at(field, moment)
            state[field] = value
            if holds:
                since.append(holds)
            doubts.extend(field_doubts)
        latest = dates.latest([dates.parse(s) for s in since]) if since else None
        return state, (latest.text if latest else None), doubts

    def at(self, moment: Span) -> dict:
        """Where the relationship stood at the end of `moment`: {"presence":
        "in"|"maybe"|"not_yet"|"ended"|"undated", "stage", "health", "certainty", "since", "doubts"}."""
        empty = {"stage": None, "health": None, "certainty": None, "since": None, "doubts": []}
        if self.known is None:
            return {"presence": "undated", **empty}
        began = dates.happened_by(self.known, moment)
        if began == NO:
            return {"presence": "not_yet", **empty}
        doubts: list[str] = []
        presence = "in"
        if began == MAYBE:
            what = {"start": "began", "history": "first recorded", "reported": "first reported"}[self.basis or "start"]
            doubts.append(f"{what} {self.known.text}: possibly after {moment.text}")
            presence = "maybe"
        state, since, status_doubts = self.status_at(moment)
        if self.end is not None:
            ended = dates.happened_by(self.end, moment)
            if ended == YES:
                return {"presence": "ended", **state, "stage": "ended", "since": self.end.text, "doubts": doubts}
            if ended == MAYBE:
                doubts.append(f"ended {self.end.text}: possibly by {moment.text}")
                presence = "maybe"
        if state["stage"] == "ended":
            return {"presence": "ended", **state, "since": since, "doubts": doubts}
        if any(d.startswith("possibly ended") for d in status_doubts):
            presence = "maybe"
        doubts.extend(status_doubts)
        return {"presence": presence, **state, "since": since, "doubts": doubts}


def term_state_at(term: Mapping, moment: Span, last_reported: Span | None = None) -> str | None:
    """The state of a contract term at the end of `moment`: the latest of its
    history entries by then, else (with no history by then) its own `state`
    when that is its only one; None when it had not begun by then."""
    begun = dates.maybe_parse(term.get("start")) or dates.maybe_parse(term.get("reported"))
    if begun is not None and dates.happened_by(begun, moment) == NO:
        return None
    steps = []
    for h in term.get("history") or []:
        span = dates.maybe_parse(h.get("date"))
        if span is not None:
            steps.append((span, h["state"]))
    steps.sort(key=lambda item: dates.order_key(item[0]))
    state = term.get("state") or "in_force"
    if not steps:
        return state
    current = None
    for span, value in steps:
        if dates.happened_by(span, moment) == YES:
            current = value
    if current is None:
        # Before its first change: the state it changed from, where that is a change away from in force.
        return "in_force" if steps[0][1] != "in_force" else None
    return current


def moment(text: str) -> Span:
    """A date from the command line; ValueError in plain words when it is not one."""
    return dates.parse(text.strip() if isinstance(text, str) else text)


def moment_doc(span: Span) -> dict:
    """How a moment appears in JSON: the date as given and the last day it covers."""
    return {"date": span.text, "through": dates.through(span)}


# ---- presence over time, for a whole file at once ---------------------------------

PRESENCES: tuple[str, ...] = ("in", "maybe", "not_yet", "ended", "undated")


def presence_changes(life: Life) -> tuple[str, list[tuple[int, str]]]:
    """Where the relationship stands (`Life.at`'s presence) at the end of any
    day: its presence before every date it holds, and each (day, as an
    ordinal, presence from that day on) where that changes.

    `at` reads a moment only through `dates.happened_by`, which compares the
    moment's last day with a span's first and last days: so the presence is
    a step function of that day, and can change only on a first or last day
    of a span `at` reads (when it is known, its end, its status steps)."""
    if life.known is None:
        return "undated", []
    days = {life.known.first, life.known.last}
    if life.end is not None:
        days.update((life.end.first, life.end.last))
    for steps in life.tracks.values():
        for span, _, _ in steps:
            if span is not None:
                days.update((span.first, span.last))
    ordered = sorted(days)
    first = ordered[0]
    if first.toordinal() > 1:
        eve = first.fromordinal(first.toordinal() - 1)
        before: str | None = life.at(Span("", eve, eve))["presence"]
    else:
        before = None
    changes: list[tuple[int, str]] = []
    current = before
    for day in ordered:
        presence = life.at(Span("", day, day))["presence"]
        if presence != current:
            changes.append((day.toordinal(), presence))
            current = presence
    if before is None:  # (no day before the first: it holds from the start)
        before = changes.pop(0)[1] if changes else "undated"
    return before, changes


def presence_steps(store) -> tuple[dict[str, int], list[tuple[int, str, int]]]:
    """How many of the store's relationships stand where (PRESENCES) at the end
    of any day, as a step function: (the counts before any date, [(day
    ordinal, presence, change of its count from that day on)], by day). The
    `left_out` of a view as of a date (aideps.graph.asof) from one pass over
    the file, kept beside an index (aideps.graph.indexed)."""
    start = dict.fromkeys(PRESENCES, 0)
    deltas: dict[tuple[int, str], int] = {}
    for rel in store.relationships:
        before, changes = presence_changes(Life(store, rel))
        start[before] += 1
        current = before
        for day, presence in changes:
            deltas[(day, current)] = deltas.get((day, current), 0) - 1
            deltas[(day, presence)] = deltas.get((day, presence), 0) + 1
            current = presence
    return start, sorted((day, presence, delta) for (day, presence), delta in deltas.items() if delta)


def presence_counts(steps: tuple[dict[str, int], list[tuple[int, str, int]]], moment: Span) -> dict[str, int]:
    """How many relationships stood where (PRESENCES) at the end of `moment`, from `presence_steps`."""
    start, changes = steps
    counts = dict(start)
    last = moment.last.toordinal()
    for day, presence, delta in changes:
        if day > last:
            break
        counts[presence] += delta
    return counts
