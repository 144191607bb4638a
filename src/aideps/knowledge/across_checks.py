"""The checks across items, made as the items go by: duplicate ids, names
and aliases that lead to two entities, references to entities and sources
(resolved once the section they name is read, else kept small until then),
quotes against their sources' texts, parent loops and (notes) dependency
cycles at the end. Of each item only what these checks need is kept: its
ids, names, references with their positions, a relationship's ends as numbers."""

from __future__ import annotations

from array import array
from collections import deque
from pathlib import Path
from typing import Any, Callable

from aideps.knowledge import vocab
from aideps.knowledge.claim_checks import claims
from aideps.knowledge.item_checks import date_tuple, sub_items
from aideps.knowledge.layers import Known
from aideps.knowledge.names import fold
from aideps.knowledge.quotes import load_texts, normalise, quote_problem
from aideps.knowledge.report import (
    R_CYCLES,
    R_DATES,
    R_ENTITY_REFS,
    R_IDS,
    R_NAMES,
    R_PARENTS,
    R_QUOTES,
    R_SOURCE_REFS,
    SECTIONS,
)
from aideps.knowledge.words import SECTION_NOUN, Place, Recorded, did_you_mean

# Where quotes live: the lists of items carrying `source` and `quote`.
QUOTED = {"entities": ("provenance", "facts", "events", "members", "roles"), "relationships": ("provenance", "amounts", "history")}

Add = Callable[..., None]


def item_place(section: str, index: int, ident: Any, loc: Any = None) -> Place:
    """A place for an item of which only the id (for its name in words) is kept."""
    return Place((section, index), {"id": ident}, loc)


class Across:
    def __init__(
        self,
        add: Add,
        report: Any,
        *,
        notes: bool = True,
        check_quotes: bool = True,
        base_dir: Path | None = None,
        sources_dir: Path | None = None,
        outside: dict | None = None,
    ) -> None:
        self.add = add
        self.outside = outside or {}  # section -> ids of earlier layered files (aideps.knowledge.layers)
        self.report = report
        self.notes = notes
        self.check_quotes = check_quotes
        self.base_dir = base_dir
        self.sources_dir = sources_dir
        self.ids: dict[str, dict[str, int]] = {s: {} for s in SECTIONS}  # id -> line of the first
        self.names: dict[str, tuple[int, str, str, int, str]] = {}  # folded -> (index, what, text, line, entity in words)
        self.name_index: dict[str, str] = {}  # folded name -> entity id
        self.done: set[str] = set()  # sections read to their end
        self.sources: list[tuple[Any, Any]] = []  # (id, text) of each source, for quotes
        self.texts: dict[str, list[str]] | None = None
        self.wait_entities: list[tuple[Place, dict]] = []  # relationships whose references wait for the entities
        self.wait_sources: list[tuple[str, Place, dict]] = []  # items whose sources and quotes wait for the sources
        # (index, id, field in words, entity referred to, position) of each reference an entity makes.
        self.links: list[tuple[int, Any, str, str, tuple[int, int]]] = []
        self.members: dict[str, set[str]] = {}  # group id -> the members it lists (when it lists any)
        self.source_facts: dict[str, tuple[Any, dict]] = {}  # source id -> (date, its comments' opening words by id)
        self.ends = _Ends()
        self.node_ids: dict[str, int] = {}
        self.node_names: list[str] = []

    # -- one item (a mapping) as it goes by

    def item(self, section: str, place: Place) -> None:
        value = place.value
        ident = value.get("id")
        if isinstance(ident, str):
            seen = self.ids[section]
            pos = place.key(("id",))
            if ident in seen:
                self.add(
                    R_IDS[section],
                    pos,
                    f"duplicate {SECTION_NOUN[section]} id '{ident}' (first at line {seen[ident]}); ids must be unique",
                )
            else:
                seen[ident] = pos[0]
        if section == "entities":
            self.entity_names(place, value, ident)
            self.entity_links(place, value, ident)
        elif section == "relationships":
            if "entities" in self.done:
                self.entity_refs(place, value)
            else:
                self.wait_entities.append(self.recorded_refs(place, value))
            if self.notes:
                self.remember_ends(place, value, ident)
        else:
            if isinstance(ident, str):
                comments = {c.get("id"): c.get("opens") for _, c in sub_items(value, "comments") if isinstance(c.get("id"), str)}
                self.source_facts.setdefault(ident, (value.get("date"), comments))
            if self.check_quotes:
                self.sources.append((ident, value.get("text")))
        if section == "sources":
            return
        if "sources" in self.done:
            self.source_refs(section, place, value)
            self.claim_refs(section, place, value)
            if self.texts is not None:
                self.quotes(section, place, value)
        elif any(isinstance(value.get(name), list) for name in QUOTED[section] + ("terms", "events", "members", "roles")):
            self.wait_sources.append((section, *self.recorded_quoted(section, place, value)))

    def entity_links(self, place: Place, entity: dict, ident: Any) -> None:
        """Remember the entities an entity names (parents, members, roles' `of`), to check once all are read."""
        i = place.prefix[1]
        parents = entity.get("parents")
        for j, ref in enumerate(parents if isinstance(parents, list) else []):
            if isinstance(ref, str):
                self.links.append((i, ident, "'parents'", ref, place.key(("parents", j))))
        for name, key, words in (("members", "id", "'members'"), ("roles", "of", "'of' of a role")):
            for j, sub in sub_items(entity, name):
                ref = sub.get(key)
                if isinstance(ref, str):
                    self.links.append((i, ident, words, ref, place.key((name, j, key))))
                    if name == "members" and isinstance(ident, str):
                        self.members.setdefault(ident, set()).add(ref)
        for j, note in sub_items(entity, "consistency"):
            involves = note.get("involves")
            for k, ref in enumerate(involves if isinstance(involves, list) else []):
                if isinstance(ref, str) and not ref.startswith("fact:"):
                    self.links.append((i, ident, "involves", ref, place.key(("consistency", j, "involves", k))))

    def entity_names(self, place: Place, entity: dict, ident: Any) -> None:
        """A name, alias or id must lead to one entity, as lookup folds them
        (aideps.knowledge.names.fold: case, Unicode forms, spaces)."""
        i = place.prefix[1]
        mine: dict[str, tuple] = {}
        for what, text, rest in _names_of(entity, ident):
            folded = fold(text)
            other = self.names.get(folded)
            if other is not None and other[0] != i and not (what == "id" and other[1] == "id"):
                _, other_what, other_text, line, other_words = other
                self.add(
                    R_NAMES,
                    place.key(rest),
                    f"{what} '{text}' of {place.words()} clashes with the {other_what} '{other_text}' of "
                    f"{other_words} (line {line}); a name or alias must lead to one entity",
                )
            elif other is None and folded not in mine:
                mine[folded] = (i, what, text, place.key(rest)[0], place.words())
        for folded, entry in mine.items():
            self.names.setdefault(folded, entry)
            if isinstance(ident, str):
                self.name_index.setdefault(folded, ident)

    # -- references to entities

    def entity_hint(self, ref: str) -> str:
        by_name = self.name_index.get(fold(ref))
        if by_name is not None and by_name != ref:
            return f"; did you mean '{by_name}'?"
        return did_you_mean(ref, list(self.ids["entities"]))

    def known(self, section: str) -> Any:
        """The ids a reference to `section` may name: this file's, and earlier layered files'."""
        earlier = self.outside.get(section)
        return Known(self.ids[section], earlier) if earlier else self.ids[section]

    def entity_refs(self, place: Place, rel: dict) -> None:
        known = self.known("entities")
        for end in ("from", "to"):
            ref = rel.get(end)
            if isinstance(ref, str) and ref not in known:
                self.add(
                    R_ENTITY_REFS,
                    place.key((end,)),
                    f"unknown entity '{ref}' in '{end}' of {place.words()}{self.entity_hint(ref)}",
                )
        if isinstance(rel.get("from"), str) and rel.get("from") == rel.get("to"):
            self.add(
                R_ENTITY_REFS,
                place.key(("to",)),
                f"{place.words()} goes from '{rel['from']}' to itself; `from` and `to` must be two different entities",
            )
        replaces = rel.get("replaces")
        if isinstance(replaces, list):
            for j, ref in enumerate(replaces):
                if isinstance(ref, str) and ref not in known:
                    self.add(
                        R_ENTITY_REFS,
                        place.key(("replaces", j)),
                        f"unknown entity '{ref}' in 'replaces' of {place.words()}{self.entity_hint(ref)}",
                    )
        group = rel.get("from")
        listed = self.members.get(group) if isinstance(group, str) else None
        for j, exclusion in sub_items(rel, "exceptions"):
            ref = exclusion.get("id")
            if not isinstance(ref, str):
                continue
            if ref not in known:
                self.add(
                    R_ENTITY_REFS,
                    place.key(("exceptions", j, "id")),
                    f"unknown entity '{ref}' in the exceptions of {place.words()}{self.entity_hint(ref)}",
                )
            elif listed is not None and ref not in listed:
                self.add(
                    R_ENTITY_REFS,
                    place.key(("exceptions", j, "id")),
                    f"'{ref}' is an exception of {place.words()} but not a listed member of '{group}' "
                    f"(its members: {', '.join(sorted(listed))}); add it to the group's `members` with its quote, or drop the exception",
                )

    def recorded_refs(self, place: Place, rel: dict) -> tuple[Place, dict]:
        """What `entity_refs` reads of a relationship, with its positions, to check later."""
        stub = {k: rel[k] for k in ("id", "from", "to", "replaces") if k in rel}
        stub["exceptions"] = [{"id": e.get("id")} for _, e in sub_items(rel, "exceptions")]
        known = {(k,): place.key((k,)) for k in ("from", "to")}
        replaces = rel.get("replaces")
        if isinstance(replaces, list):
            for j in range(len(replaces)):
                known[("replaces", j)] = place.key(("replaces", j))
        for k, (j, _) in enumerate(sub_items(rel, "exceptions")):
            known[("exceptions", k, "id")] = place.key(("exceptions", j, "id"))
        return Place(place.prefix, stub, Recorded(place.key(()), known)), stub

    # -- references to sources, and quotes

    def source_refs(self, section: str, place: Place, item: dict) -> None:
        known = self.known("sources")
        for name in QUOTED[section]:
            entries = item.get(name)
            if entries.__class__ is not list:
                continue
            for j, sub in enumerate(entries):
                ref = sub.get("source") if sub.__class__ is dict else None
                if ref.__class__ is str and ref not in known:
                    ids = list(known)
                    hint = did_you_mean(ref, ids)
                    if not hint and ids and len(ids) <= 8:
                        hint = f"; the sources are: {', '.join(ids)}"
                    elif not ids:
                        hint = "; `sources` lists none: add the article there, with this id"
                    self.add(
                        R_SOURCE_REFS,
                        place.key((name, j, "source")),
                        f"unknown source '{ref}' in {place.words((name, j))}{hint}",
                    )

    def claim_refs(self, section: str, place: Place, item: dict) -> None:
        """A reader's claim names a comment of its source; `reported` is not before its sources' dates."""
        for rest, source, comment in item.get("_claims") or claim_refs_of(section, item):
            known = self.source_facts.get(source)
            if known is not None and isinstance(comment, str) and comment not in known[1]:
                listed = ", ".join(sorted(c for c in known[1] if isinstance(c, str))) or "none"
                self.add(
                    R_SOURCE_REFS,
                    place.key(rest + ("comment",)),
                    f"unknown comment '{comment}' in {place.words(rest)}: source '{source}' lists comments: {listed}",
                )
        reported = date_tuple(item.get("reported")) if section == "relationships" else None
        if reported is None or item.get("reported_note"):
            return
        dates = [date_tuple(self.source_facts[s][0]) for s in item.get("_sources") or provenance_sources(item) if s in self.source_facts]
        dates = [d for d in dates if d]
        if dates:
            earliest = min(dates)
            n = min(len(earliest), len(reported))
            if reported[:n] < earliest[:n]:
                shown = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(earliest))
                self.add(
                    R_DATES,
                    place.key(("reported",)),
                    f"'reported' {item.get('reported')} of {place.words()} is before its earliest source ({shown}); "
                    "write the source's date, or say why in `reported_note`",
                )

    def quotes(self, section: str, place: Place, item: dict) -> None:
        texts = self.texts
        assert texts is not None
        for name in QUOTED[section]:
            for j, sub in sub_items(item, name):
                tail = quote_problem(texts, sub.get("source"), sub.get("quote"), self.report)
                if tail is not None:
                    self.add(R_QUOTES, place.key((name, j, "quote")), f"quote in {place.words((name, j))} {tail}")
                else:
                    self.placement(place, (name, j), sub)

    def placement(self, place: Place, rest: tuple, claim: dict) -> None:
        """A reader's quote lies after its comment's opening words; any other, before the first comment."""
        source, quote = claim.get("source"), claim.get("quote")
        facts = self.source_facts.get(source) if isinstance(source, str) else None
        texts = self.texts.get(source) if self.texts is not None and isinstance(source, str) else None
        if not facts or not facts[1] or not texts or not isinstance(quote, str) or "..." in quote:
            return
        wanted = normalise(quote)
        for text in texts:
            if wanted not in text:
                continue
            opens = {c: text.find(normalise(o)) for c, o in facts[1].items() if isinstance(o, str) and o.strip()}
            opens = {c: at for c, at in opens.items() if at >= 0}
            if not opens:
                return
            if claim.get("by") == "reader":
                at = opens.get(claim.get("comment"))
                if at is not None and text.find(wanted, at) < 0:
                    self.add(
                        R_QUOTES,
                        place.key(rest + ("quote",)),
                        f"quote in {place.words(rest)} is a reader's (comment '{claim.get('comment')}') but the text "
                        "has it before that comment begins; check `comment`, or whose claim it is",
                    )
            elif text.find(wanted) >= min(opens.values()):
                first = min(opens, key=opens.__getitem__)
                self.add(
                    R_QUOTES,
                    place.key(rest + ("quote",)),
                    f"quote in {place.words(rest)} is in a reader's comment (after comment '{first}' begins), "
                    f"not the author's text; write `by: reader` and `comment:` with the comment's id",
                )
            return

    def recorded_quoted(self, section: str, place: Place, item: dict) -> tuple[Place, dict]:
        """What `source_refs` and `quotes` read of an item, with its positions, to check later."""
        stub: dict = {"id": item.get("id")}
        known = {}
        stub["_claims"] = refs = claim_refs_of(section, item)
        for rest, _, _ in refs:
            known[rest + ("comment",)] = place.key(rest + ("comment",))
        if section == "relationships":
            stub["_sources"] = provenance_sources(item)
            stub["reported"], stub["reported_note"] = item.get("reported"), item.get("reported_note")
            known[("reported",)] = place.key(("reported",))
        for name in QUOTED[section]:
            entries = item.get(name)
            if not isinstance(entries, list):
                continue
            kept: list = []
            for j, sub in enumerate(entries):
                if not isinstance(sub, dict):
                    kept.append(None)
                    continue
                kept.append(
                    {
                        "source": sub.get("source"),
                        "quote": sub.get("quote") if self.check_quotes else None,
                        "by": sub.get("by"),
                        "comment": sub.get("comment"),
                    }
                )
                for key in ("source", "quote"):
                    known[(name, j, key)] = place.key((name, j, key))
            stub[name] = kept
        return Place(place.prefix, stub, Recorded(place.key(()), known)), stub

    # -- a section read to its end

    def section_done(self, section: str) -> None:
        if section in self.done:
            return
        self.done.add(section)
        if section == "entities":
            for place, rel in self.wait_entities:
                self.entity_refs(place, rel)
            self.wait_entities = []
            known = self.known("entities")
            for i, ident, words, ref, pos in self.links:
                if words == "involves":
                    continue  # a relationship id: checked at the end
                if ref not in known:
                    self.add(
                        R_ENTITY_REFS,
                        pos,
                        f"unknown entity '{ref}' in {words} of {item_place('entities', i, ident).words()}"
                        f"{self.entity_hint(ref)}",
                    )
                elif words == "'parents'" and ref == ident:
                    self.add(R_PARENTS, pos, f"{item_place('entities', i, ident).words()} lists itself in 'parents'")
        elif section == "sources":
            if self.check_quotes:
                self.texts = load_texts(self.sources, self.report, self.base_dir, self.sources_dir)
            for name, place, item in self.wait_sources:
                self.source_refs(name, place, item)
                self.claim_refs(name, place, item)
                if self.texts is not None:
                    self.quotes(name, place, item)
            self.wait_sources = []

    # -- the end

    def finish(self) -> None:
        for section in SECTIONS:
            self.section_done(section)
        self.parent_loops()
        relationships = self.known("relationships")
        for i, ident, words, ref, pos in self.links:
            if words == "involves" and ref not in relationships:
                self.add(
                    R_ENTITY_REFS,
                    pos,
                    f"'{ref}' in a consistency note of {item_place('entities', i, ident).words()} is neither `fact:KEY` "
                    f"nor a relationship id{did_you_mean(ref, list(relationships))}",
                )
        if self.notes and len(self.ends):
            self.cycles()

    def parent_loops(self) -> None:
        """The graph of `parents` has no cycle: an entity cannot be its own ancestor."""
        known = self.ids["entities"]
        edges: dict[str, list[tuple[str, int]]] = {}
        where: dict[str, tuple[int, tuple[int, int]]] = {}
        for n, (i, ident, words, ref, pos) in enumerate(self.links):
            if words == "'parents'" and isinstance(ident, str) and ident in known and ref in known and ref != ident:
                edges.setdefault(ident, []).append((ref, n))
                where.setdefault(ident, (i, pos))
        for component in strongly_connected(edges):
            if len(component) < 2:
                continue
            members = set(component)
            first = min(component, key=lambda e: where[e][0] if e in where else 1 << 60)
            step = next(b for b, _ in edges[first] if b in members)
            loop = [first] + [node for node, _ in path_back(edges, step, first, members)]
            self.add(
                R_PARENTS,
                where[first][1],
                f"the 'parents' loop: {' -> '.join(loop)}; an entity cannot be its own ancestor",
            )

    def remember_ends(self, place: Place, rel: dict, ident: Any) -> None:
        a, b, kind = rel.get("from"), rel.get("to"), rel.get("kind")
        if isinstance(a, str) and isinstance(b, str) and a != b and kind in vocab.DEPENDENCY_KINDS:
            self.ends.add(place.prefix[1], self.node(a), self.node(b), ident, place.at(()))
        else:
            self.ends.add(place.prefix[1], -1, -1, ident, place.at(()))

    def node(self, name: str) -> int:
        number = self.node_ids.get(name)
        if number is None:
            number = self.node_ids[name] = len(self.node_names)
            self.node_names.append(name)
        return number

    def cycles(self) -> None:
        """Cycles of dependency are allowed; say where they are, as notes."""
        ends, names, known = self.ends, self.node_names, self.ids["entities"]
        edges: dict[int, list[tuple[int, int]]] = {}
        for i in range(len(ends)):
            a, b = ends.a[i], ends.b[i]
            if a >= 0 and names[a] in known and names[b] in known:
                edges.setdefault(a, []).append((b, i))
        for component in strongly_connected(edges):
            if len(component) < 2:
                continue
            members = set(component)
            # Start from the earliest relationship inside the component.
            first = min(i for a in component for b, i in edges.get(a, []) if b in members)
            cycle = path_back(edges, ends.b[first], ends.a[first], members)
            nodes = [names[ends.a[first]]] + [names[n] for n, _ in cycle]
            rel_ids = [ends.ids[first]] + [ends.ids[i] for _, i in cycle if i >= 0]
            shown_rels = ", ".join(f"'{r}'" for r in rel_ids if isinstance(r, str))
            self.add(
                R_CYCLES,
                (ends.line[first], ends.col[first]),
                f"dependency cycle: {' -> '.join(nodes)} (relationships {shown_rels}); "
                "cycles are allowed, but check the directions: `from` relies on `to`",
                "note",
            )


def claim_refs_of(section: str, item: dict) -> list[tuple[tuple, Any, Any]]:
    """(path, source, comment) of each claim of an item that names a comment."""
    return [(rest, c.get("source"), c.get("comment")) for rest, c in claims(section, item) if c.get("comment") is not None]


def provenance_sources(item: dict) -> list[Any]:
    return [p.get("source") for _, p in sub_items(item, "provenance")]


def _names_of(entity: dict, ident: Any) -> list[tuple[str, str, tuple]]:
    """(what, text, path in the entity) of the id, name and aliases of an entity."""
    found = []
    if isinstance(ident, str) and ident.strip():
        found.append(("id", ident, ("id",)))
    name = entity.get("name")
    if isinstance(name, str) and name.strip():
        found.append(("name", name, ("name",)))
    aliases = entity.get("aliases")
    if isinstance(aliases, list):
        for j, alias in enumerate(aliases):
            if isinstance(alias, str) and alias.strip():
                found.append(("alias", alias, ("aliases", j)))
    return found


class _Ends:
    """For the cycle notes, per relationship in file order: its ends as
    numbers (-1: not a dependency between two named entities), its id and
    its position; compact, for a million relationships."""

    def __init__(self) -> None:
        self.a = array("i")
        self.b = array("i")
        self.line = array("q")
        self.col = array("q")
        self.ids: list[Any] = []

    def add(self, i: int, a: int, b: int, ident: Any, pos: tuple[int, int]) -> None:
        while len(self.ids) < i:  # an item before it that is not a mapping (the model said so): no ends
            self.add(len(self.ids), -1, -1, None, (0, 0))
        assert i == len(self.ids)
        self.a.append(a)
        self.b.append(b)
        self.line.append(pos[0])
        self.col.append(pos[1])
        self.ids.append(ident)

    def __len__(self) -> int:
        return len(self.ids)


def strongly_connected(edges: dict[Any, list[tuple[Any, int]]]) -> list[list[Any]]:
    """Tarjan's algorithm, iterative. Components in no particular order."""
    index: dict[Any, int] = {}
    low: dict[Any, int] = {}
    on_stack: set[Any] = set()
    stack: list[Any] = []
    result: list[list[Any]] = []
    counter = 0
    nodes = list(edges) + [b for out in edges.values() for b, _ in out]
    for root in dict.fromkeys(nodes):
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child, _ in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
    return result


def path_back(edges: dict[Any, list[tuple[Any, int]]], start: Any, goal: Any, members: set) -> list[tuple[Any, int]]:
    """Shortest path start -> goal inside `members`, as (node, relationship index) steps,
    beginning with (start, -1): the caller's edge leads into start."""
    previous: dict[Any, tuple[Any, int] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        for child, i in edges.get(node, ()):
            if child in members and child not in previous:
                previous[child] = (node, i)
                queue.append(child)
    steps: list[tuple[Any, int]] = []
    node = goal
    while previous.get(node) is not None:
        parent, i = previous[node]  # type: ignore[misc]
        steps.append((node, i))
        node = parent
    steps.reverse()
    return [(start, -1)] + steps if start != goal else [(start, -1)]
