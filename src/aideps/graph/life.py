"""The life of a relationship: when it is known to exist, its status over
time, and how sure each answer is, by the rules of docs/time.md (dates are
intervals: aideps.knowledge.dates).

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

Used by the as-of view (aideps.graph.asof) and by the questions of time
(aideps.analysis.time).
"""

from __future__ import annotations

from collections.abc import Mapping

from aideps.knowledge import dates, vocab
from aideps.knowledge.dates import MAYBE, NO, YES, Span

UNKNOWN = "unknown"  # a status not recorded at a moment (before the first history entry)


class Life:
    """When a relationship is known to exist, its status over time, and how
    sure each answer is. See the module docstring for the rules."""

    def __init__(self, g, rel: Mapping):
        """`g`: a Graph or a store (anything with `sources`, id -> source)."""
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
            f"possibly {vocab.status_label(s)} already (from {span.text})" for span, s in later_maybe if s != status
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
