"""The one checking engine of a knowledge file, fed one item at a time.

A reader (`aideps.knowledge.validate` for a document parsed whole,
`aideps.knowledge.scan` for one read as a stream) hands the engine each item
of the top-level lists in file order (`item`), says when a list ends
(`section_end`), then gives it the top level (`finish`). Each item is
checked alone (`aideps.knowledge.item_checks`: its model, figures, currency,
dates) and goes by the checks across items (`aideps.knowledge.across_checks`:
ids, names, references, quotes; parent loops and cycles at the end). So a
file gives the same problems, in the same words, at the same places and in
the same order, however it was read.

Items that pass are handed to `sink(section, index, data)` as the models
dump them (the data contract of docs/design.md) while no error has been
found; a caller keeps them only if the report has no errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from aideps.knowledge.across_checks import Across
from aideps.knowledge.claim_checks import check_claims
from aideps.knowledge.item_checks import check_amounts, check_dates, check_facts, check_model, check_text, models
from aideps.knowledge.problems import Problem
from aideps.knowledge.report import R_PARSE, SECTIONS, STRUCTURAL, Report, ordered
from aideps.knowledge.schema_words import key_problems, schema_problems
from aideps.knowledge.words import Place, got

EMPTY = "the file is empty; a knowledge file needs `sources`, `entities` and `relationships`"
FORMAT1 = "this file is in format 1; convert it with `aideps migrate FILE` (docs/format.md)"
ONLY_NULL = (
    "the file holds only an empty value (null or ~), not a mapping; "
    "a knowledge file needs `sources`, `entities` and `relationships`"
)


def first_content_line(content: bytes | str) -> int | None:
    """The first line that is not blank, a comment or a document marker."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip().lstrip("\ufeff")
        if stripped and not stripped.startswith(("#", "%")) and stripped not in ("---", "..."):
            return number
    return None


def format_problem(root: dict) -> str | None:
    """What is wrong with the top level's `format`, or None when it is format 2.

    A file without `format` (or with `format: 1`) is in format 1: it gets one
    problem that says how to convert it, not a problem per changed field."""
    if "format" not in root:
        return FORMAT1
    value = root["format"]
    if (value == 1 and type(value) is int) or (isinstance(value, str) and value.strip() == "1"):
        return FORMAT1
    if value == 2 and type(value) is int:
        return None
    if isinstance(value, str) and value.strip() == "2":
        return f"'format' should be the number 2, not the string {value!r}; write `format: 2` without quotes"
    shown = got(value)
    if isinstance(value, (list, dict)):  # a wrong type, worded as every field's
        return f"'format' should be the number 2, got {shown}; write `format: 2`"
    return (
        f"'format' is {shown}; this aideps reads format 2 (and converts format 1 with `aideps migrate FILE`); "
        "write `format: 2`, or use the aideps that wrote this file"
    )


class _Nowhere:
    """The positions of an item checked away from its reader (aideps.knowledge.split):
    none; a problem found there is only counted, then said by a check in one process."""

    def key(self, rest: tuple = ()) -> tuple[int, int]:
        return (0, 0)

    value = key


def check_alone(section: str, index: int, value: Any, model: Any, add: Callable[..., None]) -> Any:
    """The checks of an item that look at it alone (its model, then
    `_alone_after_model`), away from its reader: the valid model, or None."""
    place = Place((section, index), value, _Nowhere())
    valid = check_model(place, model, (), add)
    if isinstance(value, dict):
        _alone_after_model(place, section, value, add)
    return valid


def _alone_after_model(place: Place, section: str, value: dict, add: Callable[..., None]) -> None:
    """Its text, claims, and a relationship's amounts and dates or an entity's facts."""
    check_text(place, value, add)
    check_claims(place, section, value, add)
    if section == "relationships":
        check_amounts(place, value, add)
        check_dates(place, value, add)
    elif section == "entities":
        check_facts(place, value, add)


class Engine:
    def __init__(
        self,
        filename: str,
        *,
        base_dir: Path | None = None,
        sources_dir: Path | None = None,
        check_quotes: bool = True,
        notes: bool = True,
        sink: Callable[[str, int, dict], None] | None = None,
        lenient: bool = False,
        outside: dict | None = None,
        split: Any = None,
    ) -> None:
        self.filename = filename
        # split: an aideps.knowledge.split.Split, which checks each item alone
        # (and sinks it) in another process; here, only the checks across items.
        self.split = split
        # lenient: items go on to the sink after errors that are not STRUCTURAL
        # (aideps.knowledge.report); outside: ids of earlier layered files, by
        # section (references to them resolve).
        self.lenient = lenient
        self.structural = 0
        self.overrides: dict[str, set] = {s: set() for s in SECTIONS}
        self.check_quotes = check_quotes
        self.sink = sink
        self.report = Report(filename)
        self.ranked: list[tuple[int, Problem]] = []
        self.errors = 0  # errors so far (items stop going to the sink after the first)
        self.counts: dict[Any, int] = {}  # items of each list read (streamed or not), by key
        self.models = models()
        self.across = Across(
            self.add,
            self.report,
            notes=notes,
            check_quotes=check_quotes,
            base_dir=base_dir,
            sources_dir=sources_dir,
            outside=outside,
        )

    def add(self, rank: int, pos: tuple[int, int], message: str, severity: str = "error") -> None:
        self.ranked.append((rank, Problem(self.filename, pos[0], pos[1], message, severity)))
        if severity == "error":
            self.errors += 1
            if rank in STRUCTURAL:
                self.structural += 1

    # -- what the readers feed

    def feed(self, record: Any) -> None:
        """An `Item` or a `SectionEnd` from a reader (items outside a top-level mapping are not checked)."""
        section = record.section
        if section is None:
            return
        if hasattr(record, "count"):
            self.section_end(section, record.count)
        else:
            self.item(section, record.index, record.value, record.locator, record.dropped)

    def item(self, section: Any, index: int, value: Any, locator: Any, dropped: Any = ()) -> None:
        """Check the item `value` at `index` of the list `section`; `locator`
        gives the positions of its nodes by path from it; `dropped`, the paths
        (from the top) of values the reader dropped, having said why."""
        place = Place((section, index), value, locator)
        model = self.models.get(section) if isinstance(section, str) else None
        if model is None:
            # A list in an unknown section (said at its key): only its field names.
            key_problems(place, value, (), self.add)
            return
        split = self.split
        if split is not None:  # the checks across items here; the rest in the other process
            self._across(section, value, place)
            if dropped:
                split.fault()  # the reader dropped a value, having said why: worded by a check in one process
            else:
                split.hand(section, index, value)
            return
        valid = check_model(place, model, dropped, self.add)
        if self._across(section, value, place):
            _alone_after_model(place, section, value, self.add)
        if valid is not None and self.sink is not None and not (self.structural if self.lenient else self.errors):
            self.sink(section, index, valid.model_dump(by_alias=True))

    def _across(self, section: str, value: Any, place: Place) -> bool:
        """A mapping item's override noted and its checks across items run;
        False for an item that is not a mapping (its model said so)."""
        if not isinstance(value, dict):
            return False
        if value.get("override") is True and isinstance(value.get("id"), str):
            self.overrides[section].add(value["id"])
        self.across.item(section, place)
        return True

    def section_end(self, section: Any, count: int) -> None:
        self.counts[section] = count
        if section in SECTIONS:
            self.across.section_done(section)

    def fed(self, section: Any) -> bool:
        """Were the items of the list `section` fed (and its end said)?"""
        return section in self.counts

    # -- the end

    def finish(
        self,
        *,
        failed: bool,
        problems: list[Problem],
        root: Any,
        locator: Any,
        empty_line: Callable[[], int | None],
    ) -> Report:
        """The report, given what the reader says of the whole file: `failed`
        (it could not be read as YAML, or holds no document), its `problems`,
        the `root` (each fed list standing for its items) and the `locator`
        of what is outside the fed lists; `empty_line()` is the first line
        with content, for a file that holds nothing."""
        counts = {s: self.counts.get(s, 0) for s in SECTIONS}
        if failed:
            said = list(problems)
            if not said:
                line = empty_line()
                said = [Problem(self.filename, 1, 1, EMPTY) if line is None else Problem(self.filename, line, 1, ONLY_NULL)]
            return self._done(Report(self.filename, counts=counts), said, [])
        if not isinstance(root, dict):
            problem = Problem(
                self.filename,
                *locator.value(()),
                f"the top level should be a mapping with `sources`, `entities` and `relationships`, got {got(root)}",
            )
            return self._done(Report(self.filename, counts=counts), list(problems) + [problem], [])
        wrong = format_problem(root)
        if wrong is not None:
            # One problem, not one per field the format changed.
            first = next(iter(root), None)
            pos = locator.key(("format",)) if "format" in root else locator.key((first,)) if root else locator.value(())
            # The reader's own problems (tags refused, duplicate keys) are said too.
            return self._done(Report(self.filename, counts=counts), list(problems) + [Problem(self.filename, *pos, wrong)], [])
        report = self.report
        report.counts = counts
        if self.check_quotes:
            report.quotes_checked = True
        # The top level, each fed list standing empty (its items were checked one by one).
        skeleton = {key: [] if key in self.counts else value for key, value in root.items()}
        from pydantic import ValidationError

        from aideps.knowledge.model import KnowledgeFile

        try:
            KnowledgeFile.model_validate(skeleton)
        except ValidationError as exc:
            top = Place((), skeleton, locator)
            key_problems(top, skeleton, (), self.add)
            schema_problems(top, KnowledgeFile, exc.errors(include_url=False), locator.dropped, self.add)
        self.across.finish()
        return self._done(report, list(problems), self.ranked)

    def _done(self, report: Report, parse_problems: list[Problem], ranked: list[tuple[int, Problem]]) -> Report:
        report.problems = ordered(parse_problems, ranked)
        blocking = ordered(parse_problems, [(r, p) for r, p in ranked if r in STRUCTURAL or r == R_PARSE])
        report.blocking = [p for p in blocking if p.severity == "error"]
        report.ids = self.across.ids
        report.overrides = self.overrides
        return report


__all__ = ["Engine", "first_content_line"]
