"""Checking a knowledge file as it is read, one item at a time.

`validate.check_bytes` holds the whole document (with a position for every
node) to check it; on a file of a million relationships that is tens of
gigabytes. `scan` reads the file once with `aideps.stream`, checks each item
as it arrives and forgets it, keeping only what checks across items need:
the ids seen (with the line of each), the names and aliases of entities, the
parents, and (for the dependency-cycle notes) the relationships' ends as
small integers. It reports the same problems, with the same words, at the
same places, in the same order as `check_bytes` (tests/test_scan.py compares
them), because it runs validate.py's own checks: each `_Checker` method that
looks at one item at a time is run with only that item in view; the checks
that need the whole file are run at the end on small stand-ins for the items
(`_Stub`s) that hold just the fields they read.

Items that pass are handed to `sink(section, index, data)` as the models
dump them (the data contract of docs/design.md); `aideps.index` stores them.
The caller throws the result away if the report has errors.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from aideps.knowledge import vocab
from aideps.knowledge.reader import Locator
from aideps.knowledge.model import Entity, KnowledgeFile, Relationship, Source
from aideps.knowledge.problems import Problem
from aideps.knowledge.stream import Item, Restart, SectionEnd, Stream
from aideps.knowledge.validate import (
    _QUOTED,
    SECTIONS,
    Report,
    _Checker,
    _describe,
    _first_content_line,
    _got,
)

MODELS = {"sources": Source, "entities": Entity, "relationships": Relationship}

# The order in which check_bytes emits its problems; problems at the same
# line and column keep this order.
(
    R_PARSE,
    R_KEYS,
    R_SCHEMA,
    R_IDS_SOURCES,
    R_IDS_ENTITIES,
    R_IDS_RELATIONSHIPS,
    R_NAMES,
    R_ENTITY_REFS,
    R_SOURCE_REFS,
    R_AMOUNTS,
    R_NUMBERS,
    R_DATES,
    R_PARENTS,
    R_CYCLES,
    R_QUOTES,
) = range(15)
_ID_RANK = {"sources": R_IDS_SOURCES, "entities": R_IDS_ENTITIES, "relationships": R_IDS_RELATIONSHIPS}


class _Window(list):
    """A top-level list as the checks see it: as long as the file's list,
    holding only the item(s) in view (the others read as None). A list, so
    that validate's path helpers walk it."""

    def __init__(self) -> None:
        super().__init__()
        self.n = 0
        self.live: dict[int, Any] = {}
        self.fallback: Callable[[int], Any] | None = None

    def __len__(self) -> int:
        return self.n

    def __bool__(self) -> bool:
        return self.n > 0

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, int):
            raise TypeError("a window holds items by index only")
        if index < 0:
            index += self.n
        if index in self.live:
            return self.live[index]
        if self.fallback is not None and 0 <= index < self.n:
            return self.fallback(index)
        return None

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(self.n))


class _Positions:
    """A locator for a stand-in item: the positions recorded while the item
    was read, by full path; anything else is the item's own position."""

    def __init__(self, pos: tuple[int, int], known: dict[tuple, tuple[int, int]]) -> None:
        self.pos = pos
        self.known = known

    def key(self, rest: tuple) -> tuple[int, int]:
        return self.known.get(rest, self.pos)

    value = key
    __call__ = key

    def exists(self, rest: tuple) -> bool:
        return rest in self.known


class _Locator:
    """validate's `Locator`, for paths from the top of the file: paths into
    an item in view go to that item's locator, the rest to the locator of
    everything outside the top-level lists."""

    def __init__(self) -> None:
        self.root: Locator = Locator(None, {}, (1, 1))
        self.items: dict[tuple, Any] = {}  # (section, index) -> locator of the item
        self.dropped: set[tuple] = set()

    def _pick(self, path: Iterable) -> tuple[Any, tuple]:
        path = tuple(path)
        if len(path) >= 2:
            loc = self.items.get((path[0], path[1]))
            if loc is not None:
                return loc, path[2:]
        return self.root, path

    def key(self, path: Iterable) -> tuple[int, int]:
        loc, rest = self._pick(path)
        try:
            return loc.key(rest)
        except IndexError:  # an item not in view: where its list starts
            return self.root.value(rest[:1])

    __call__ = key

    def value(self, path: Iterable) -> tuple[int, int]:
        loc, rest = self._pick(path)
        try:
            return loc.value(rest)
        except IndexError:
            return self.root.value(rest[:1])

    def exists(self, path: Iterable) -> bool:
        loc, rest = self._pick(path)
        try:
            return loc.exists(rest)
        except IndexError:
            return False


class _Stub(dict):
    """Just the fields of an item that a check at the end reads."""


class _ScanChecker(_Checker):
    """validate's checker with one item in view at a time."""

    def __init__(self, filename: str) -> None:
        self.windows: dict[Any, _Window] = {}
        self._pending: tuple | None = None
        super().__init__(filename, {}, _Locator())  # type: ignore[arg-type]
        self.ranks: list[int] = []
        self.rank = R_PARSE
        self._focus: tuple[Any, Callable[[], Iterable[tuple[int, Any]]]] | None = None

    # The item in view is set up when a check first looks (most items pass
    # without any check needing their positions).

    @property  # type: ignore[override]
    def loc(self) -> Any:
        if self._pending is not None:
            self._set_view()
        return self._loc

    @loc.setter
    def loc(self, value: Any) -> None:
        self._loc = value

    @property  # type: ignore[override]
    def data(self) -> Any:
        if self._pending is not None:
            self._set_view()
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    def add(self, pos: tuple[int, int], message: str, severity: str = "error") -> None:
        before = len(self.problems)
        super().add(pos, message, severity)
        self.ranks.extend([self.rank] * (len(self.problems) - before))

    def items(self, section: str) -> Iterator[tuple[int, dict]]:
        if self._pending is not None:
            self._set_view()
        if self._focus is not None and self._focus[0] == section:
            for i, item in self._focus[1]():
                if isinstance(item, dict):
                    yield i, item

    def window(self, section: Any) -> _Window:
        win = self.windows.get(section)
        if win is None:
            win = self.windows[section] = _Window()
            self._data[section] = win
        return win

    def view(self, section: Any, index: int, item: Any, locator: Any, dropped: set | frozenset = frozenset()) -> None:
        """Put one item (or a stand-in) in view, alone (when a check first looks)."""
        self._pending = (section, index, item, locator, dropped)

    def _set_view(self) -> None:
        section, index, item, locator, dropped = self._pending  # type: ignore[misc]
        self._pending = None
        win = self.window(section)
        if index >= win.n:
            win.n = index + 1
        win.live = {index: item}
        self._loc.items = {(section, index): locator}
        self._loc.dropped = set(dropped)
        self._focus = (section, lambda: ((index, item),))

    def view_all(self, section: str, items: Callable[[], Iterable[tuple[int, Any]]]) -> None:
        """Put every item of a section in view, as stand-ins from `items`."""
        self._pending = None
        self._loc.items = {}
        self._loc.dropped = set()
        self._focus = (section, items)

    def run(self, rank: int, check: Callable[[], Any]) -> Any:
        self.rank = rank
        return check()


def scan(
    fh: IO[bytes],
    filename: str,
    *,
    base_dir: Path | None = None,
    sources_dir: Path | None = None,
    check_quotes: bool = True,
    notes: bool = True,
    sink: Callable[[str, int, dict], None] | None = None,
    on_bytes: Callable[[int], None] | None = None,
    hasher: Callable[[], Any] | None = None,
    use_libyaml: bool | None = None,
    fast: bool | None = None,
) -> Report:
    """Check the knowledge file open in `fh` (binary) as `check_bytes` would.

    `notes=False` skips the dependency-cycle notes (they never make a file
    unusable). The report's `data` is None; `report.counts` gives the number
    of items in each section; with `hasher` (a hashlib constructor),
    `report.content_hash` is the hex digest of the bytes read. See the
    module's docstring for `sink` (which gets `reset()` called, if it has
    one, when the reading starts again from the top)."""
    stream = Stream(fh, filename, use_libyaml=use_libyaml, on_bytes=on_bytes, hasher=hasher, fast=fast)
    report = _Scan(filename, base_dir, sources_dir, check_quotes, notes, sink).run(stream)
    report.content_hash = stream.hasher.hexdigest() if stream.hasher is not None else None  # type: ignore[attr-defined]
    report.fast = stream.fast_used  # type: ignore[attr-defined]
    return report


def scan_file(path: Path, *, sources_dir: Path | None = None, check_quotes: bool = True, **options: Any) -> Report:
    """`validate.check_file`, in bounded memory."""
    from aideps.knowledge.files import read_problem

    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(str(path))
        fh = open(path, "rb")
    except OSError as exc:
        return Report(str(path), problems=list(read_problem(path, exc).problems))
    with fh:
        return scan(
            fh, str(path), base_dir=path.parent, sources_dir=sources_dir, check_quotes=check_quotes, **options
        )


STREAM_OVER = 4_000_000  # bytes: a larger file is checked streaming


def check_path(path: Path, *, sources_dir: Path | None = None, check_quotes: bool = True) -> Report:
    """Check the knowledge file at `path` (what `aideps validate` runs):
    `validate.check_file` for a file of a few megabytes, `scan_file` (in the
    memory of one item) for a larger one; the same problems either way.
    `report.counts` is each section's number of items, or None for each
    when the file has errors."""
    from aideps.knowledge.validate import check_file

    path = Path(path)
    try:
        large = path.is_file() and path.stat().st_size > STREAM_OVER
    except OSError:
        large = False
    if large:
        report = scan_file(path, sources_dir=sources_dir, check_quotes=check_quotes)
        counts = getattr(report, "counts", None) or {}
    else:
        report = check_file(path, sources_dir=sources_dir, check_quotes=check_quotes)
        counts = {s: len(report.data[s]) for s in SECTIONS} if report.data else {}
    report.counts = {s: counts.get(s) if report.ok else None for s in SECTIONS}  # type: ignore[attr-defined]
    return report


class _Scan:
    def __init__(
        self,
        filename: str,
        base_dir: Path | None,
        sources_dir: Path | None,
        check_quotes: bool,
        notes: bool,
        sink: Callable[[str, int, dict], None] | None,
    ) -> None:
        self.filename = filename
        self.base_dir = base_dir
        self.sources_dir = sources_dir
        self.check_quotes = check_quotes
        self.notes = notes
        self.sink = sink
        self.report = Report(filename)
        self.checker = _ScanChecker(filename)
        self.errors = 0  # errors so far (items stop going to the sink after the first)
        # What the checks across items need.
        self.ids: dict[str, dict[str, int]] = {s: {} for s in SECTIONS}  # id -> line of the first
        self.checker.source_ids = self.ids["sources"]
        self.checker.entity_ids = self.ids["entities"]
        self.names: dict[str, tuple[int, str, str, int, str]] = {}  # folded -> (index, what, text, line, entity in words)
        self.checker.name_index = {}
        self.done: set[str] = set()  # sections read to their end
        self.counts: dict[Any, int] = {}
        self.sources: list[tuple[int, dict]] = []  # every source item (they are few)
        self.texts: dict[str, list[str]] | None = None
        # Stand-ins for checks that wait for a section to end.
        self.wait_entities: list[tuple[str, int, _Stub, dict]] = []  # entity references
        self.wait_sources: list[tuple[str, int, _Stub, dict]] = []  # source references and quotes
        self.parents: list[tuple[int, _Stub, dict]] = []  # (index, {"id", "parent"}, positions)
        # For cycle notes: each relationship's ends as numbers, kind, id and position.
        self.node_ids: dict[str, int] = {}
        self.node_names: list[str] = []
        self.ends = _Ends()

    # -- items

    def run(self, stream: Stream, records: Iterator | None = None) -> Report:
        records = iter(stream) if records is None else records
        for record in records:
            if isinstance(record, Restart):
                return self.restarted(stream, records)
            if isinstance(record, SectionEnd):
                self.counts[record.section] = record.count
                if record.section in SECTIONS:
                    self.section_done(record.section)
            elif record.section is not None:
                self.item(record)
        return self.finish(stream)

    def restarted(self, stream: Stream, records: Iterator) -> Report:
        """The reader starts again from the top: so does everything here."""
        reset = getattr(self.sink, "reset", None)
        if reset is not None:
            reset()
        fresh = _Scan(self.filename, self.base_dir, self.sources_dir, self.check_quotes, self.notes, self.sink)
        return fresh.run(stream, records)

    def item(self, item: Item) -> None:
        checker = self.checker
        section, i, value = item.section, item.index, item.value
        checker.view(section, i, value, item.locator, item.dropped)
        errors_before = len(checker.problems)
        if section not in SECTIONS:
            # An unknown section (reported at its key): only its keys are checked,
            # as check_bytes does for the whole file when the models refuse it.
            checker.run(R_KEYS, lambda: checker._check_keys(value, (section, i)))
            self.errors += len(checker.problems) - errors_before
            return
        model = MODELS[section]
        valid = None
        try:
            valid = model.model_validate(value)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            for error in errors:
                error["loc"] = (section, i) + tuple(error["loc"])
            checker.run(R_KEYS, lambda: checker._check_keys(value, (section, i)))
            checker.run(R_SCHEMA, lambda: checker.report_schema_errors(errors))
        if isinstance(value, dict):
            self.cross_item(section, i, value, item.locator, item.infos)
            # The checks of one item, run only where they could find something.
            if section == "relationships":
                amounts = value.get("amounts")
                if isinstance(amounts, list) and amounts:
                    checker.run(R_AMOUNTS, checker._check_amounts)
                    checker.run(R_NUMBERS, checker._check_numbers)
                history = value.get("history")
                if (value.get("start") is not None and value.get("end") is not None) or (
                    isinstance(history, list) and len(history) > 1
                ):
                    checker.run(R_DATES, checker._check_dates)
            elif section == "entities":
                facts = value.get("facts")
                if isinstance(facts, list) and facts:
                    checker.run(R_NUMBERS, checker._check_numbers)
            else:
                self.sources.append((i, value))
        new_errors = sum(1 for p in checker.problems[errors_before:] if p.severity == "error")
        self.errors += new_errors
        if valid is not None and self.sink is not None and not self.errors:
            self.sink(section, i, valid.model_dump(by_alias=True))

    def cross_item(self, section: str, i: int, value: dict, locator: Locator, infos: dict) -> None:
        checker = self.checker
        # Duplicate ids.
        ident = value.get("id")
        if isinstance(ident, str):
            seen = self.ids[section]
            info = infos.get(id(value))
            pos = info.keys["id"][0] if info is not None and "id" in info.keys else checker.loc.key((section, i, "id"))
            if ident in seen:
                noun = {"sources": "source", "entities": "entity", "relationships": "relationship"}[section]
                checker.rank = _ID_RANK[section]
                checker.add(pos, f"duplicate {noun} id '{ident}' (first at line {seen[ident]}); ids must be unique")
            else:
                seen[ident] = pos[0]
        if section == "entities":
            self.entity_names(i, value)
            parent = value.get("parent")
            if isinstance(parent, str):
                stub = _Stub(parent=parent)
                if isinstance(ident, str):
                    stub["id"] = ident
                self.parents.append((i, stub, {("parent",): checker.loc.key((section, i, "parent"))}))
        elif section == "relationships":
            self.entity_refs(i, value, ident)
            if self.notes:
                self.remember_ends(i, value, ident, locator)
        if section != "sources":
            self.source_refs_and_quotes(section, i, value, ident)

    def entity_names(self, i: int, entity: dict) -> None:
        """`_Checker._check_names`, one entity at a time."""
        checker = self.checker
        ident = entity.get("id")
        mine: dict[str, tuple] = {}
        for what, text, path in checker._names_of(i, entity):
            folded = text.strip().casefold()
            other = self.names.get(folded)
            if other is not None and other[0] != i and not (what == "id" and other[1] == "id"):
                other_i, other_what, other_text, line, other_words = other
                checker.rank = R_NAMES
                checker.add(
                    checker.loc.key(path),
                    f"{what} '{text}' of {_describe(checker.data, ('entities', i))} clashes with the "
                    f"{other_what} '{other_text}' of {other_words} "
                    f"(line {line}); a name or alias must lead to one entity",
                )
            elif other is None and folded not in mine:
                mine[folded] = (i, what, text, checker.loc.key(path)[0], _describe(checker.data, ("entities", i)))
        for folded, entry in mine.items():
            self.names.setdefault(folded, entry)
            if isinstance(ident, str):
                checker.name_index.setdefault(folded, ident)

    def entity_refs(self, i: int, rel: dict, ident: Any) -> None:
        checker = self.checker
        refs = [rel.get("from"), rel.get("to")]
        replaces = rel.get("replaces")
        if isinstance(replaces, list):
            refs.extend(replaces)
        if "entities" in self.done:
            known = self.ids["entities"]
            if all(not isinstance(r, str) or r in known for r in refs) and not (
                isinstance(rel.get("from"), str) and rel.get("from") == rel.get("to")
            ):
                return
            checker.run(R_ENTITY_REFS, checker._check_entity_refs)
            return
        stub = _Stub({k: rel[k] for k in ("id", "from", "to", "replaces") if k in rel})
        known_pos = {(k,): checker.loc.key(("relationships", i, k)) for k in ("from", "to")}
        if isinstance(replaces, list):
            for j in range(len(replaces)):
                known_pos[("replaces", j)] = checker.loc.key(("relationships", i, "replaces", j))
        self.wait_entities.append(("relationships", i, stub, known_pos))

    def source_refs_and_quotes(self, section: str, i: int, item: dict, ident: Any) -> None:
        checker = self.checker
        subs = [name for s, name in _QUOTED if s == section and isinstance(item.get(name), list)]
        if not subs:
            return
        if "sources" in self.done:
            known = self.ids["sources"]
            if any(
                isinstance(sub, dict) and isinstance(sub.get("source"), str) and sub["source"] not in known
                for name in subs
                for sub in item[name]
            ):
                checker.run(R_SOURCE_REFS, checker._check_source_refs)
            if self.check_quotes:
                self.quotes_in_view()
            return
        stub = _Stub({name: [sub if isinstance(sub, dict) else None for sub in item[name]] for name in subs})
        if isinstance(ident, str):
            stub["id"] = ident
        known_pos = {}
        for name in subs:
            for j, sub in enumerate(item[name]):
                if isinstance(sub, dict):
                    for key in ("source", "quote"):
                        known_pos[(name, j, key)] = checker.loc.key((section, i, name, j, key))
        self.wait_sources.append((section, i, stub, known_pos))

    def quotes_in_view(self) -> None:
        checker = self.checker
        if self.texts is None:
            return
        checker.rank = R_QUOTES
        for path, sub in checker._quoted_items():
            checker.check_quote(self.report, self.texts, path, sub)

    def remember_ends(self, i: int, rel: dict, ident: Any, locator: Locator) -> None:
        a, b, kind = rel.get("from"), rel.get("to"), rel.get("kind")
        if isinstance(a, str) and isinstance(b, str) and a != b and kind in vocab.DEPENDENCY_KINDS:
            self.ends.add(i, self.node(a), self.node(b), vocab.KINDS.index(kind), ident, locator.value(()))
        else:
            self.ends.add(i, -1, -1, -1, ident, locator.value(()))

    def node(self, name: str) -> int:
        number = self.node_ids.get(name)
        if number is None:
            number = self.node_ids[name] = len(self.node_names)
            self.node_names.append(name)
        return number

    # -- sections read to their end

    def section_done(self, section: str) -> None:
        if section in self.done:
            return
        self.done.add(section)
        checker = self.checker
        if section == "entities":
            for sec, i, stub, known in self.wait_entities:
                checker.view(sec, i, stub, _Positions(checker.loc.key((sec,)), known))
                checker.run(R_ENTITY_REFS, checker._check_entity_refs)
            self.wait_entities = []
            for i, stub, known in self.parents:
                checker.view("entities", i, stub, _Positions(known[("parent",)], known))
                checker.run(R_ENTITY_REFS, checker._check_entity_refs)
        elif section == "sources":
            if self.check_quotes:
                sources = self.sources
                checker.view_all("sources", lambda: iter(sources))
                self.texts = checker.load_texts(self.report, self.base_dir, self.sources_dir)
            for sec, i, stub, known in self.wait_sources:
                checker.view(sec, i, stub, _Positions(checker.loc.key((sec,)), known))
                checker.run(R_SOURCE_REFS, checker._check_source_refs)
                if self.check_quotes:
                    self.quotes_in_view()
            self.wait_sources = []

    # -- the end

    def finish(self, stream: Stream) -> Report:
        checker = self.checker
        report = self.report
        report.counts = {s: self.counts.get(s, 0) for s in SECTIONS}  # type: ignore[attr-defined]
        if stream.failed or not isinstance(stream.root, dict):
            # Nothing but what the reader says (as check_bytes): no quotes checked.
            counts = report.counts  # type: ignore[attr-defined]
            report = self.report = Report(self.filename)
            report.counts = counts  # type: ignore[attr-defined]
        if stream.failed:
            problems = list(stream.problems)
            if not problems:
                problems = [self.empty_problem(stream)]
            return self.done_report(problems, [])
        root = stream.root
        checker.loc.root = stream.locator
        if not isinstance(root, dict):
            problem = Problem(
                self.filename,
                *stream.locator.value(()),
                "the top level should be a mapping with `sources`, `entities` and `relationships`, "
                f"got {_got(root)}",
            )
            return self.done_report(list(stream.problems) + [problem], [])
        if self.check_quotes:
            report.quotes_checked = True
        # The top level: the models see each streamed list as empty (its items
        # were checked one by one).
        for key, value in root.items():
            if key in SECTIONS and key not in self.counts and isinstance(value, list):
                # A list the reader could not stream (it has an anchor): its items now.
                for i, item in enumerate(value):
                    pos = stream.locator.key((key, i))
                    self.item(Item(key, i, item, pos, Locator(item, stream.locator._infos, pos), stream.locator.dropped))
                self.counts[key] = len(value)
                self.section_done(key)
        report.counts = {s: self.counts.get(s, 0) for s in SECTIONS}  # type: ignore[attr-defined]
        skeleton: dict = {}
        for key, value in root.items():
            if key in self.counts:
                win = checker.window(key)
                win.n = self.counts[key]
                win.live = {}
                checker.data[key] = win
                skeleton[key] = []
            else:
                checker.data[key] = value
                skeleton[key] = value
        for key in list(checker.data):
            if key not in root:
                del checker.data[key]
        checker.loc.items = {}
        checker.loc.dropped = set(stream.locator.dropped)
        try:
            KnowledgeFile.model_validate(skeleton)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            checker._focus = None
            checker.run(R_KEYS, lambda: checker._check_keys(skeleton, ()))
            checker.run(R_SCHEMA, lambda: checker.report_schema_errors(errors))
        for section in SECTIONS:
            self.section_done(section)
        # Parent chains that loop.
        parents = self.parents
        checker.view_all("entities", lambda: ((i, stub) for i, stub, _ in parents))
        checker.loc.items = {("entities", i): _Positions(known[("parent",)], known) for i, _, known in parents}
        checker.run(R_PARENTS, checker._check_parents)
        # Dependency cycles, as notes.
        if self.notes and len(self.ends):
            self.cycles()
        return self.done_report(list(stream.problems), list(zip(checker.ranks, checker.problems)))

    def cycles(self) -> None:
        checker = self.checker
        names = self.node_names
        ends = self.ends

        def stub(i: int) -> _Stub:
            rel = _Stub(id=ends.ids[i])
            a = ends.a[i]
            if a >= 0:  # a dependency between two entities: what _check_cycles looks at
                rel["from"], rel["to"], rel["kind"] = names[a], names[ends.b[i]], vocab.KINDS[ends.kind[i]]
            return rel

        win = checker.window("relationships")
        win.fallback = stub
        win.live = {}
        checker.view_all("relationships", lambda: ((i, stub(i)) for i in range(len(ends))))
        checker.loc.items = _AllItems("relationships", ends)  # type: ignore[assignment]
        try:
            checker.run(R_CYCLES, checker._check_cycles)
        finally:
            win.fallback = None

    def empty_problem(self, stream: Stream) -> Problem:
        stream.fh.seek(0)
        null_line = _first_content_line(stream.fh.read())
        if null_line is None:
            return Problem(
                self.filename, 1, 1, "the file is empty; a knowledge file needs `sources`, `entities` and `relationships`"
            )
        return Problem(
            self.filename,
            null_line,
            1,
            "the file holds only an empty value (null or ~), not a mapping; "
            "a knowledge file needs `sources`, `entities` and `relationships`",
        )

    def done_report(self, parse_problems: list[Problem], ranked: list[tuple[int, Problem]]) -> Report:
        emitted = [(R_PARSE, n, p) for n, p in enumerate(parse_problems)]
        emitted += [(rank, n, p) for n, (rank, p) in enumerate(ranked)]
        emitted.sort(key=lambda e: (e[0], e[1]))
        seen = set()
        unique = []
        for _, _, p in emitted:
            key = (p.line, p.column, p.message, p.severity)
            if key not in seen:
                seen.add(key)
                unique.append(p)
        self.report.problems = sorted(unique, key=lambda p: (p.line, p.column))
        return self.report


class _Ends:
    """For the cycle notes, per relationship in file order: its ends as
    numbers (-1: not a dependency between two named entities), its id and
    its position; compact, for a million relationships."""

    def __init__(self) -> None:
        from array import array

        self.a = array("i")
        self.b = array("i")
        self.kind = array("b")
        self.line = array("q")
        self.col = array("q")
        self.ids: list[Any] = []

    def add(self, i: int, a: int, b: int, kind: int, ident: Any, pos: tuple[int, int]) -> None:
        assert i == len(self.ids)
        self.a.append(a)
        self.b.append(b)
        self.kind.append(kind)
        self.line.append(pos[0])
        self.col.append(pos[1])
        self.ids.append(ident)

    def __len__(self) -> int:
        return len(self.ids)


class _AllItems(dict):
    """Item locators for every relationship (cycle notes): its position."""

    def __init__(self, section: str, ends: _Ends) -> None:
        super().__init__()
        self.section = section
        self.ends = ends

    def get(self, key: Any, default: Any = None) -> Any:
        section, index = key
        if section == self.section and isinstance(index, int) and 0 <= index < len(self.ends):
            return _Positions((self.ends.line[index], self.ends.col[index]), {})
        return default


def _main(argv: list[str]) -> int:  # pragma: no cover - a tool for measuring
    import time

    start = time.perf_counter()
    report = scan_file(Path(argv[0]), check_quotes=False)
    for p in report.problems[:20]:
        print(p)
    print(f"{len(report.problems)} problems, {report.counts}, {time.perf_counter() - start:.1f} s", file=sys.stderr)  # type: ignore[attr-defined]
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
