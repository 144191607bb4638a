"""The report of the mess an import met: each kind of problem counted, with
a few examples, as plain lines (stderr) or JSON (`--report FILE`).

The kinds, in the order reported:
- dangling: dependencies naming no card (each became an `unknown` placeholder);
- case_or_spacing: names that differ only by case or spacing (a dependency so
  written leads to the card);
- duplicate_names: names several cards use (merged when the makers are the same);
- dates: created_date unknown, missing, not a date, or odd (in the future, before 1950);
- older_than_dependencies: assets dated before something they depend on;
- cycles: assets that depend on each other, directly or not;
- value_explanation: fields written as {value, explanation}, per field;
- and the rest: names renamed for display, ambiguous names, dependencies on an
  organization, self-dependencies, repeated dependencies, skipped entries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from aideps.imports.cards import Card, read_date
from aideps.knowledge.names import fold

EXAMPLES = 5
ORDER = (
    "dangling",
    "case_or_spacing",
    "duplicate_names",
    "dates",
    "older_than_dependencies",
    "cycles",
    "value_explanation",
    "renamed",
    "ambiguous",
    "organization_references",
    "self_dependencies",
    "repeated_dependencies",
    "skipped_entries",
)
WORDS = {
    "dangling": "dependencies that name no card (each became an 'unknown' placeholder entity)",
    "case_or_spacing": "names that differ only by case or spacing",
    "duplicate_names": "names used by several cards",
    "dates": "created dates unknown, missing, not dates, or odd",
    "older_than_dependencies": "assets dated before something they depend on",
    "cycles": "dependency cycles",
    "value_explanation": "fields written as {value, explanation}",
    "renamed": "names qualified so that each leads to one entity",
    "ambiguous": "dependencies on a name several cards share",
    "organization_references": "dependencies that name an organization",
    "self_dependencies": "cards that list themselves as a dependency",
    "repeated_dependencies": "dependencies listed twice by one card",
    "skipped_entries": "entries that are not cards",
}


def _key(name: str) -> str:
    return "".join(fold(name).split())


class Mess:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, list[Any]] = {kind: [] for kind in ORDER}
        self.cards = 0
        self.wrapped: Counter[str] = Counter()
        self.spellings: dict[str, dict[str, None]] = {}  # loose key -> spellings, in order met
        self.dated: dict[str, str] = {}  # card name -> date
        self.dangling_refs: Counter[str] = Counter()
        self.dangling_by: dict[str, list[str]] = {}
        self.today = dt.date.today().isoformat()

    def add(self, kind: str, example: Any, count: int = 1) -> None:
        self.counts[kind] += count
        if len(self.examples[kind]) < EXAMPLES:
            self.examples[kind].append(example)

    def _spelling(self, name: str) -> None:
        self.spellings.setdefault(_key(name), {})[name] = None

    def card(self, card: Card) -> None:
        self.cards += 1
        self._spelling(card.name)
        for name in card.wrapped:
            self.wrapped[name] += 1
            self.add("value_explanation", f"{card.name!r} ({card.file}): {name}")
        _, problem = read_date(card.created_raw)
        if problem:
            self.add("dates", f"{card.name!r} ({card.file}): {problem}")
        elif card.created and not "1950" <= card.created <= self.today:
            self.add("dates", f"{card.name!r} ({card.file}): {card.created} is odd (in the future or before 1950)")

    def duplicate(self, name: str, cards: list[Card], *, merged: bool) -> None:
        where = ", ".join(f"{c.file} ({c.organization_text or 'no organization'})" for c in cards)
        how = "merged: same makers" if merged else "kept apart"
        self.add("duplicate_names", f"{name!r}: {where}; {how}")

    def reference(self, card: Card, ref: str, how: str) -> None:
        self._spelling(ref)
        if how == "placeholder":
            if ref not in self.dangling_refs:
                self.dangling_by[ref] = []
            self.dangling_refs[ref] += 1
            if len(self.dangling_by[ref]) < 3:
                self.dangling_by[ref].append(card.name)
            self.counts["dangling"] += 1
        elif how == "organization":
            self.add("organization_references", f"{card.name!r} ({card.file}) depends on {ref!r}")

    def older(self, card: Card, dependency: Card) -> None:
        a, b = card.created, dependency.created
        if not a or not b:
            return
        n = min(len(a), len(b))
        if a[:n] < b[:n]:
            self.add("older_than_dependencies", f"{card.name!r} ({a}) depends on {dependency.name!r} ({b})")

    def cycles(self, edges: list[tuple[str, str]], names: dict[str, str]) -> None:
        """Strongly connected groups of two or more assets (Tarjan's, iterative)."""
        graph: dict[str, list[str]] = {}
        for a, b in edges:
            graph.setdefault(a, []).append(b)
            graph.setdefault(b, [])
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on: set[str] = set()
        counter = 0
        for root in graph:
            if root in index:
                continue
            work = [(root, 0)]
            while work:
                node, i = work.pop()
                if i == 0:
                    index[node] = low[node] = counter
                    counter += 1
                    stack.append(node)
                    on.add(node)
                recurse = False
                for j in range(i, len(graph[node])):
                    nxt = graph[node][j]
                    if nxt not in index:
                        work.append((node, j + 1))
                        work.append((nxt, 0))
                        recurse = True
                        break
                    if nxt in on:
                        low[node] = min(low[node], index[nxt])
                if recurse:
                    continue
                if low[node] == index[node]:
                    group = []
                    while True:
                        top = stack.pop()
                        on.discard(top)
                        group.append(top)
                        if top == node:
                            break
                    if len(group) > 1:
                        members = ", ".join(names.get(g, g) for g in reversed(group))
                        self.add("cycles", f"{members} (each depends on the others, directly or not)")
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])

    # -- the report

    def finish(self) -> None:
        """Counts that need every name: case or spacing, dangling examples."""
        for spellings in self.spellings.values():
            if len(spellings) > 1:
                self.add("case_or_spacing", " / ".join(repr(s) for s in spellings))
        for ref, count in sorted(self.dangling_refs.items(), key=lambda kv: (-kv[1], kv[0]))[:EXAMPLES]:
            self.examples["dangling"].append(f"{ref!r} ({count}x, by {', '.join(repr(n) for n in self.dangling_by[ref])})")

    def to_json(self, *, files: int, entities: dict[str, int], relationships: int) -> dict:
        return {
            "files": files,
            "cards": self.cards,
            "entities": entities,
            "relationships": relationships,
            "dangling_names": len({_key(ref) for ref in self.dangling_refs}),
            "value_explanation_fields": dict(sorted(self.wrapped.items())),
            "problems": {
                kind: {"count": self.counts[kind], "what": WORDS[kind], "examples": self.examples[kind]} for kind in ORDER
            },
        }

    def lines(self, summary: dict) -> list[str]:
        entities = summary["entities"]
        made = ", ".join(f"{n} {t}" for t, n in entities.items())
        out = [
            f"Read {summary['cards']} cards in {summary['files']} files: {sum(entities.values())} entities ({made}), "
            f"{summary['relationships']} relationships.",
        ]
        for kind in ORDER:
            count = self.counts[kind]
            if not count:
                continue
            extra = f" ({summary['dangling_names']} names)" if kind == "dangling" else ""
            if kind == "value_explanation":
                extra = " (" + ", ".join(f"{k} {n}" for k, n in sorted(self.wrapped.items(), key=lambda kv: -kv[1])) + ")"
            out.append(f"{count} {WORDS[kind]}{extra}, e.g.:")
            out.extend(f"  {example}" for example in self.examples[kind][:3])
        return out
