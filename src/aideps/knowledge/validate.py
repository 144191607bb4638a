"""Checking a knowledge file: every problem, located to file:line:column.

`check_bytes` / `check_file` read the YAML (`aideps.load`), check its shape
against the models (`aideps.model`, errors rewritten into plain words), then
check what needs the whole file: references between ids, duplicate ids,
names and aliases that would lead to two entities, date order, amounts
without a currency and quotes against the texts of their sources. Cycles of
dependency are valid data and come back as notes.

Importing this module imports yaml and pydantic; the query path never does.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from aideps.knowledge import vocab
from aideps.knowledge.reader import Locator, parse
from aideps.knowledge.problems import DataError, Problem

SECTIONS = ("sources", "entities", "relationships")
MAX_TEXT_BYTES = 20_000_000  # a source text is an article, not a data dump
_SECTION_NOUN = {"sources": "source", "entities": "entity", "relationships": "relationship"}
_LIST_NOUN = {
    "amounts": "amount",
    "facts": "fact",
    "provenance": "provenance entry",
    "history": "history entry",
    "terms": "term",
    "text": "text path",
    "aliases": "alias",
    "replaces": "item of 'replaces'",
}
_ENUMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "type": ("entity type", vocab.ENTITY_TYPES),
    "kind": ("kind", vocab.KINDS),
    "status": ("status", vocab.STATUSES),
    "qualifier": ("qualifier", vocab.QUALIFIERS),
}
# What to write for a missing field, where its name alone does not say.
_MISSING_HINTS = {
    "provenance": "add `provenance:` with at least one `- source: ID` and its `quote:` (the sentence, verbatim)",
    "source": "write the id of one of the `sources`",
    "quote": "write the sentence of the source that supports this, verbatim",
    "id": "write a lowercase id: letters, digits and single hyphens",
    "from": "write the id of the entity that relies on the other",
    "to": "write the id of the entity relied on",
    "date": "write YYYY, YYYY-MM or YYYY-MM-DD",
    "amount": "write a plain number like 13000000000",
    "title": "write the article's title as printed",
    "name": "write the name people know it by",
    ("terms", "name"): "write a short lowercase name for the term, like `exclusive`",
    "description": "write one line on what it is",
    "summary": "write one line on who relies on whom for what",
    ("terms", "summary"): "write one line on what the term says",
    "key": "write what the fact is about, like `founded` or `employees`",
    "value": "write the figure or text the source gives",
}
_DATE_FIELDS = {"date", "start", "end", "as_of"}
_REF_FIELDS = {"from", "to", "parent", "source"}
# Where quotes live: (section, list field) of items carrying `source` and `quote`.
_QUOTED = (
    ("entities", "provenance"),
    ("entities", "facts"),
    ("relationships", "provenance"),
    ("relationships", "amounts"),
    ("relationships", "history"),
)


@dataclass
class Report:
    """Everything `check_bytes` found in one knowledge file."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    data: dict | None = None
    # Quotes: whether they were checked at all, how many were compared with a
    # source text, the sources whose text was read, and the sources skipped
    # (id -> why: no text listed, file not found, ...).
    quotes_checked: bool = False
    quote_count: int = 0
    sources_checked: list[str] = field(default_factory=list)
    sources_skipped: dict[str, str] = field(default_factory=dict)
    # Sources skipped because their text file is not in the folder looked in.
    sources_missing: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_file(path: Path, *, sources_dir: Path | None = None, check_quotes: bool = True) -> Report:
    """Check the knowledge file at `path`. A missing or unreadable file is a problem, not an exception."""
    from aideps.knowledge.files import read_bytes

    path = Path(path)
    try:
        content = read_bytes(path)
    except DataError as exc:
        return Report(str(path), problems=list(exc.problems))
    return check_bytes(
        content, str(path), base_dir=path.parent, sources_dir=sources_dir, check_quotes=check_quotes
    )


def check_bytes(
    content: bytes | str,
    filename: str,
    *,
    base_dir: Path | None = None,
    sources_dir: Path | None = None,
    check_quotes: bool = True,
) -> Report:
    """Check a knowledge file's content; `filename` is what problems are located to.

    Source texts (`text:` bare file names) are looked up in `sources_dir`,
    else in `base_dir` (the knowledge file's folder), and nowhere else: not
    through a path, not through a link out of that folder.
    """
    report = Report(filename)
    data, locator, problems = parse(content, filename)
    checker = _Checker(filename, data, locator)
    checker.problems.extend(problems)
    if data is None:
        if not problems:
            null_line = _first_content_line(content)
            if null_line is None:
                checker.add(
                    (1, 1),
                    "the file is empty; a knowledge file needs `sources`, `entities` and `relationships`",
                )
            else:
                checker.add(
                    (null_line, 1),
                    "the file holds only an empty value (null or ~), not a mapping; "
                    "a knowledge file needs `sources`, `entities` and `relationships`",
                )
    elif not isinstance(data, dict):
        checker.add(
            locator.value(()),
            "the top level should be a mapping with `sources`, `entities` and `relationships`, "
            f"got {_got(data)}",
        )
    else:
        model = checker.check_schema()
        checker.check_whole_file()
        if check_quotes:
            report.quotes_checked = True
            checker.check_quotes(report, base_dir, sources_dir)
        if model is not None and not any(p.severity == "error" for p in checker.problems):
            report.data = model.model_dump(by_alias=True)
    seen = set()
    unique = []
    for p in checker.problems:
        key = (p.line, p.column, p.message, p.severity)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    report.problems = sorted(unique, key=lambda p: (p.line, p.column))
    return report


def _first_content_line(content: bytes | str) -> int | None:
    """The first line that is not blank, a comment or a document marker."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip().lstrip("\ufeff")
        if stripped and not stripped.startswith(("#", "%")) and stripped not in ("---", "..."):
            return number
    return None


# --------------------------------------------------------------------------
# Words


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _got(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"a yes/no value ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ('{_short(value)}')"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _did_you_mean(word: Any, choices: list[str] | tuple[str, ...]) -> str:
    if not isinstance(word, str) or len(word) > 200:  # no one mistypes 200 characters; difflib is slow on them
        return ""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not match:
        match = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def _describe(data: Any, path: tuple) -> str:
    """A path in words: "'currency' of the 1st amount of relationship 'msft-openai'"."""
    if not path:
        return "the top level"
    if len(path) == 1:
        return f"'{path[0]}'"
    if len(path) == 2 and path[0] in _SECTION_NOUN and isinstance(path[1], int):
        noun = _SECTION_NOUN[path[0]]
        item = _get(data, path)
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str) and ident:
            return f"{noun} '{ident}'"
        return f"the {_ordinal(path[1] + 1)} {noun}"
    last = path[-1]
    if isinstance(last, int) and isinstance(path[-2], str):
        noun = _LIST_NOUN.get(path[-2], f"item of '{path[-2]}'")
        return f"the {_ordinal(last + 1)} {noun} of {_describe(data, path[:-2])}"
    return f"'{last}' of {_describe(data, path[:-1])}"


def _owner(data: Any, path: tuple) -> str:
    """The thing a field belongs to, in words ("relationship 'x'")."""
    return _describe(data, path[:-1]) if path else "the top level"


# --------------------------------------------------------------------------
# Partial dates


def _date_tuple(value: Any) -> tuple[int, ...] | None:
    from aideps.knowledge.model import check_partial_date

    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or check_partial_date(value):
        return None
    return tuple(int(p) for p in value.split("-"))


def _before(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """a is surely before b (compared at the precision both have)."""
    n = min(len(a), len(b))
    return a[:n] < b[:n]


# --------------------------------------------------------------------------
# Quotes


_QUOTE_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as quotes are compared: typographic quotes, dashes, ellipses and white space made plain. Case is kept."""
    return _SPACE.sub(" ", text.translate(_QUOTE_TABLE)).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """Is `quote` in `text` (both normalised)? An ellipsis in the quote stands for omitted words."""
    if quote in text:
        return True
    if "..." not in quote:
        return False
    start = 0
    for piece in quote.split("..."):
        piece = piece.strip()
        if not piece:
            continue
        found = text.find(piece, start)
        if found < 0:
            return False
        start = found + len(piece)
    return True


def _matching_prefix(quote: str, text: str) -> int:
    """Length of the longest start of `quote` that is in `text`."""
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    return lo


# --------------------------------------------------------------------------
# The checks


class _Checker:
    def __init__(self, filename: str, data: Any, locator: Locator) -> None:
        self.filename = filename
        self.data = data
        self.loc = locator
        self.problems: list[Problem] = []

    def add(self, pos: tuple[int, int], message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.filename, pos[0], pos[1], message, severity))

    def items(self, section: str) -> Iterator[tuple[int, dict]]:
        entries = self.data.get(section)
        if isinstance(entries, list):
            for i, item in enumerate(entries):
                if isinstance(item, dict):
                    yield i, item

    def sub_items(self, section: str, name: str) -> Iterator[tuple[tuple, dict]]:
        for i, item in self.items(section):
            entries = item.get(name)
            if isinstance(entries, list):
                for j, sub in enumerate(entries):
                    if isinstance(sub, dict):
                        yield (section, i, name, j), sub

    # -- the models

    def check_schema(self) -> Any:
        from pydantic import ValidationError

        from aideps.knowledge.model import KnowledgeFile

        try:
            return KnowledgeFile.model_validate(self.data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        self._check_keys(self.data, ())
        self.report_schema_errors(errors)
        return None

    def report_schema_errors(self, errors: list[dict]) -> None:
        """Problems in words for pydantic's errors (locations from the top
        level). aideps.scan calls this for one item at a time."""
        groups: dict[tuple, list[dict]] = {}
        for error in errors:
            if error["type"] == "invalid_key":
                continue  # said by _check_keys, at the key
            path = self._real_path(tuple(error["loc"]), error["type"])
            if any(path[: len(d)] == d for d in self.loc.dropped):
                continue  # its value was dropped by the parser, which said why
            groups.setdefault(path, []).append(error)
        # "unknown field 'summry'; did you mean 'summary'?" says all there is
        # to say about the missing 'summary'.
        suggested = set()
        for path, group in groups.items():
            if group[0]["type"] == "extra_forbidden" and isinstance(path[-1], str) and len(path[-1]) <= 200:
                for match in difflib.get_close_matches(path[-1], self._allowed_fields(path[:-1]), n=1, cutoff=0.6):
                    suggested.add(path[:-1] + (match,))
        for path, group in groups.items():
            if group[0]["type"] == "missing" and path in suggested:
                continue
            result = self._schema_message(path, group)
            if result is not None:
                pos, message = result
                self.add(pos, message)

    def _check_keys(self, node: Any, path: tuple) -> None:
        """Every field name is text; YAML reads `1:`, `yes:` or `null:` as other things."""
        if isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(key, str):
                    shown = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
                    place = "at the top level" if not path else f"in {_describe(self.data, path)}"
                    self.add(
                        self.loc.key(path + (key,)),
                        f"unknown field {shown} {place}: field names are words, "
                        f"and YAML reads this one as {_got(key)}",
                    )
                else:
                    self._check_keys(value, path + (key,))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                self._check_keys(item, path + (i,))

    def _real_path(self, loc: tuple, kind: str) -> tuple:
        """The part of a pydantic error location that exists in the data
        (dropping union member tags such as 'int' or 'str'), plus the missing
        field of a 'missing' error."""
        node = self.data
        path: list = []
        for n, step in enumerate(loc):
            if isinstance(node, dict) and step in node:
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
            else:
                if kind == "missing" and n == len(loc) - 1:
                    path.append(step)
                break
            path.append(step)
        return tuple(path)

    def _schema_message(self, path: tuple, group: list[dict]) -> tuple[tuple[int, int], str] | None:
        data = self.data
        error = group[0]
        kind = error["type"]
        kinds = {e["type"] for e in group}
        value = _get(data, path)
        name = path[-1] if path else None
        where = _describe(data, path)
        owner = _owner(data, path)
        pos = self.loc.key(path)

        if kind == "missing":
            if len(path) == 1:
                return pos, (
                    f"missing `{name}`: a knowledge file needs `sources`, `entities` and `relationships` "
                    f"(write `{name}: []` when there are none)"
                )
            message = f"missing field '{name}' in {owner}"
            if name in _ENUMS:
                message += f"; one of: {', '.join(_ENUMS[name][1])}"
            else:
                within = path[-3] if len(path) >= 3 and isinstance(path[-2], int) else path[0]
                hint = _MISSING_HINTS.get((within, name)) or _MISSING_HINTS.get(name)
                if hint:
                    message += f"; {hint}"
            return self.loc.value(path[:-1]), message

        if kind == "extra_forbidden":
            allowed = self._allowed_fields(path[:-1])
            hint = _did_you_mean(name, allowed)
            if not hint and allowed:
                hint = f"; allowed: {', '.join(allowed)}"
            field_word = "section" if len(path) == 1 else "field"
            place = "at the top level" if len(path) == 1 else f"in {owner}"
            return pos, f"unknown {field_word} '{name}' {place}{hint}"

        if kind == "literal_error" and isinstance(name, str) and name in _ENUMS:
            label, allowed = _ENUMS[name]
            if not isinstance(value, str):
                return pos, f"{where} should be one of: {', '.join(allowed)}; got {_got(value)}"
            hint = _did_you_mean(value, allowed)
            return pos, f"unknown {label} '{value}' in {owner}{hint} (allowed: {', '.join(allowed)})"

        if kind == "string_pattern_mismatch" and isinstance(value, str):
            pattern = error.get("ctx", {}).get("pattern", "")
            from aideps.knowledge.model import CURRENCY_PATTERN, KEY_PATTERN, SLUG_PATTERN

            if pattern == SLUG_PATTERN:
                in_list = len(path) >= 2 and path[-2] == "replaces"
                if name in _REF_FIELDS or in_list:
                    return None  # the reference check says it better (unknown id, did you mean)
                suggestion = _slugify(value)
                hint = f" (try '{suggestion}')" if suggestion and suggestion != value else ""
                if name == "id" and len(path) == 3 and path[0] in _SECTION_NOUN:
                    what = f"{_SECTION_NOUN[path[0]]} id '{value}' is not valid"
                else:
                    what = f"'{value}' in {where} is not a valid id"
                return pos, f"{what}: use lowercase letters, digits and single hyphens{hint}"
            if pattern == CURRENCY_PATTERN:
                hint = f" (try '{value.upper()}')" if re.fullmatch(r"[A-Za-z]{3}", value) else ""
                return pos, f"currency '{value}' in {owner} should be a three-letter ISO 4217 code in capitals, like USD{hint}"
            if pattern == KEY_PATTERN:
                suggestion = re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")
                hint = f" (try '{suggestion}')" if suggestion and suggestion != value else ""
                return pos, (
                    f"fact key '{value}' in {owner} should be lowercase letters, digits and underscores, "
                    f"starting with a letter{hint}"
                )

        if kind == "value_error":
            msg = str(error.get("ctx", {}).get("error") or error["msg"]).removeprefix("Value error, ")
            return pos, f"{where}: {msg}"

        if kind == "greater_than_equal":
            if isinstance(value, float) and value != value:
                return pos, f"{where} is not a number (nan); write the figure the source gives"
            return pos, f"{where} is negative ({value}); amounts are never below 0"

        if kind == "too_short" and isinstance(value, list):
            if name == "provenance":
                return pos, f"{where} is empty; add at least one entry with a `source` and a `quote`"
            return pos, f"{where} is empty; add at least one item"
        if kind == "string_too_short":
            return pos, f"{where} is empty"

        expected = None
        if name in _DATE_FIELDS and kinds & {"string_type", "int_type"}:
            expected = "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        elif kinds >= {"int_type", "float_type", "string_type"} or kinds >= {"int_parsing", "float_parsing", "string_type"}:
            expected = "a number or a string"
        elif kinds & {"int_parsing", "float_parsing", "int_type", "float_type", "int_from_float"}:
            expected = "a number" if kinds & {"float_type", "float_parsing"} else "a whole number"
        elif kinds & {"list_type", "tuple_type"}:
            expected = "a list"
        elif kinds & {"dict_type", "model_type", "model_attributes_type"}:
            expected = "a mapping (`key: value` lines)"
        elif kinds & {"string_type"}:
            expected = "a string"
        elif kinds & {"bool_type", "bool_parsing"}:
            expected = "true or false"
        if expected is not None:
            message = f"{where} should be {expected}, got {_got(value)}"
            if expected == "a string" and isinstance(value, bool):
                message += "; YAML reads unquoted yes/no/on/off/true/false as yes/no values: put it in quotes"
            elif expected == "a string" and isinstance(value, (int, float)):
                message += "; put it in quotes"
            elif expected.startswith("a date") and isinstance(value, (int, float)):
                message += "; put it in quotes"
            elif expected in ("a number", "a whole number") and isinstance(value, str):
                message += "; write a plain number like 13000000000, not 13B or $13 billion"
            elif expected == "a list" and value is None:
                message += f"; write `{name}: []` when there are none"
            return pos, message

        msgs = "; ".join(dict.fromkeys(e["msg"] for e in group))
        return pos, f"{where}: {msgs}"

    def _allowed_fields(self, path: tuple) -> list[str]:
        """Field names (as written in YAML) of the model at the mapping `path`."""
        import typing

        from pydantic import BaseModel

        from aideps.knowledge.model import KnowledgeFile

        model: Any = KnowledgeFile
        for step in path:
            if isinstance(step, int):
                continue
            info = next(
                (f for n, f in model.model_fields.items() if (f.alias or n) == step),
                None,
            )
            if info is None:
                return []
            inner = info.annotation
            while typing.get_origin(inner) is not None and not (
                isinstance(inner, type) and issubclass(inner, BaseModel)
            ):
                args = [a for a in typing.get_args(inner) if a is not type(None)]
                if not args:
                    return []
                inner = args[0]
            if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
                return []
            model = inner
        return [f.alias or n for n, f in model.model_fields.items()]

    # -- the whole file

    def check_whole_file(self) -> None:
        self.source_ids = self._check_ids("sources")
        self.entity_ids = self._check_ids("entities")
        self._check_ids("relationships")
        self._check_names()
        self._check_entity_refs()
        self._check_source_refs()
        self._check_amounts()
        self._check_numbers()
        self._check_dates()
        self._check_parents()
        self._check_cycles()

    def _check_ids(self, section: str) -> dict[str, int]:
        """Report duplicate ids in a section; return id -> index of first."""
        first: dict[str, int] = {}
        noun = _SECTION_NOUN[section]
        for i, item in self.items(section):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in first:
                line = self.loc.key((section, first[ident], "id"))[0]
                self.add(
                    self.loc.key((section, i, "id")),
                    f"duplicate {noun} id '{ident}' (first at line {line}); ids must be unique",
                )
            else:
                first[ident] = i
        return first

    def _names_of(self, i: int, entity: dict) -> Iterator[tuple[str, str, tuple]]:
        ident = entity.get("id")
        if isinstance(ident, str) and ident.strip():
            yield "id", ident, ("entities", i, "id")
        name = entity.get("name")
        if isinstance(name, str) and name.strip():
            yield "name", name, ("entities", i, "name")
        aliases = entity.get("aliases")
        if isinstance(aliases, list):
            for j, alias in enumerate(aliases):
                if isinstance(alias, str) and alias.strip():
                    yield "alias", alias, ("entities", i, "aliases", j)

    def _check_names(self) -> None:
        """A name, alias or id must lead to one entity (case-insensitively)."""
        index: dict[str, tuple[int, str, str, tuple]] = {}
        self.name_index: dict[str, str] = {}  # folded name -> entity id
        for i, entity in self.items("entities"):
            ident = entity.get("id")
            mine: dict[str, tuple[int, str, str, tuple]] = {}
            for what, text, path in self._names_of(i, entity):
                folded = text.strip().casefold()
                other = index.get(folded)
                if other is not None and other[0] != i and not (what == "id" and other[1] == "id"):
                    other_i, other_what, other_text, other_path = other
                    line = self.loc.key(other_path)[0]
                    self.add(
                        self.loc.key(path),
                        f"{what} '{text}' of {_describe(self.data, ('entities', i))} clashes with the "
                        f"{other_what} '{other_text}' of {_describe(self.data, ('entities', other_i))} "
                        f"(line {line}); a name or alias must lead to one entity",
                    )
                elif other is None and folded not in mine:
                    mine[folded] = (i, what, text, path)
            for folded, entry in mine.items():
                index.setdefault(folded, entry)
                if isinstance(ident, str):
                    self.name_index.setdefault(folded, ident)

    def _entity_hint(self, ref: str) -> str:
        by_name = self.name_index.get(ref.strip().casefold())
        if by_name is not None and by_name != ref:
            return f"; did you mean '{by_name}'?"
        return _did_you_mean(ref, list(self.entity_ids))

    def _check_entity_refs(self) -> None:
        for i, rel in self.items("relationships"):
            for end in ("from", "to"):
                ref = rel.get(end)
                if isinstance(ref, str) and ref not in self.entity_ids:
                    self.add(
                        self.loc.key(("relationships", i, end)),
                        f"unknown entity '{ref}' in '{end}' of {_describe(self.data, ('relationships', i))}"
                        f"{self._entity_hint(ref)}",
                    )
            if isinstance(rel.get("from"), str) and rel.get("from") == rel.get("to"):
                self.add(
                    self.loc.key(("relationships", i, "to")),
                    f"{_describe(self.data, ('relationships', i))} goes from '{rel['from']}' to itself; "
                    "`from` and `to` must be two different entities",
                )
            replaces = rel.get("replaces")
            if isinstance(replaces, list):
                for j, ref in enumerate(replaces):
                    if isinstance(ref, str) and ref not in self.entity_ids:
                        self.add(
                            self.loc.key(("relationships", i, "replaces", j)),
                            f"unknown entity '{ref}' in 'replaces' of "
                            f"{_describe(self.data, ('relationships', i))}{self._entity_hint(ref)}",
                        )
        for i, entity in self.items("entities"):
            ref = entity.get("parent")
            if isinstance(ref, str) and ref not in self.entity_ids:
                self.add(
                    self.loc.key(("entities", i, "parent")),
                    f"unknown entity '{ref}' in 'parent' of {_describe(self.data, ('entities', i))}"
                    f"{self._entity_hint(ref)}",
                )

    def _quoted_items(self) -> Iterator[tuple[tuple, dict]]:
        for section, name in _QUOTED:
            yield from self.sub_items(section, name)

    def _check_source_refs(self) -> None:
        ids = list(self.source_ids)
        for path, item in self._quoted_items():
            ref = item.get("source")
            if isinstance(ref, str) and ref not in self.source_ids:
                hint = _did_you_mean(ref, ids)
                if not hint and ids and len(ids) <= 8:
                    hint = f"; the sources are: {', '.join(ids)}"
                elif not ids:
                    hint = "; `sources` lists none: add the article there, with this id"
                self.add(
                    self.loc.key(path + ("source",)),
                    f"unknown source '{ref}' in {_describe(self.data, path)}{hint}",
                )

    def _check_numbers(self) -> None:
        """The models take true as 1 and accept infinity; a figure is neither."""
        places = [(path + ("amount",), item.get("amount")) for path, item in self.sub_items("relationships", "amounts")]
        places += [(path + ("value",), item.get("value")) for path, item in self.sub_items("entities", "facts")]
        for path, value in places:
            if isinstance(value, bool):
                self.add(
                    self.loc.key(path),
                    f"{_describe(self.data, path)} should be a number, got {_got(value)}; "
                    "YAML reads unquoted yes/no/on/off/true/false as yes/no values",
                )
            elif isinstance(value, float) and value in (float("inf"), float("-inf")):
                self.add(self.loc.key(path), f"{_describe(self.data, path)} is infinite; write the figure the source gives")

    def _check_amounts(self) -> None:
        for path, amount in self.sub_items("relationships", "amounts"):
            if "amount" in amount and amount.get("currency") is None:
                figure = amount["amount"]
                shown = figure if isinstance(figure, (int, float)) and not isinstance(figure, bool) else repr(figure)
                self.add(
                    self.loc.key(path + ("amount",)),
                    f"amount {shown} has no currency; add `currency: USD` "
                    f"(or the ISO 4217 code the source uses) to {_describe(self.data, path)}",
                )

    def _check_dates(self) -> None:
        for i, rel in self.items("relationships"):
            start, end = _date_tuple(rel.get("start")), _date_tuple(rel.get("end"))
            if start and end and _before(end, start):
                self.add(
                    self.loc.key(("relationships", i, "end")),
                    f"'end' {rel['end']} is before 'start' {rel['start']} in "
                    f"{_describe(self.data, ('relationships', i))}",
                )
            history = rel.get("history")
            if not isinstance(history, list):
                continue
            previous = None
            for j, change in enumerate(history):
                if not isinstance(change, dict):
                    continue
                when = _date_tuple(change.get("date"))
                if when is None:
                    continue
                if previous is not None and _before(when, previous[0]):
                    self.add(
                        self.loc.key(("relationships", i, "history", j, "date")),
                        f"the history of {_describe(self.data, ('relationships', i))} is out of date order: "
                        f"{change['date']} comes after {previous[1]}; list the entries oldest first",
                    )
                previous = (when, change["date"])

    def _check_parents(self) -> None:
        parents: dict[str, str] = {}
        where: dict[str, int] = {}
        for i, entity in self.items("entities"):
            ident, parent = entity.get("id"), entity.get("parent")
            if isinstance(ident, str) and isinstance(parent, str) and ident in self.entity_ids:
                parents.setdefault(ident, parent)
                where.setdefault(ident, i)
        reported: set[str] = set()
        for start in parents:
            chain = [start]
            node = parents.get(start)
            while node is not None and node not in chain:
                chain.append(node)
                node = parents.get(node)
            if node is None or node in reported:
                continue
            loop = chain[chain.index(node) :]
            reported.update(loop)
            first = min(loop, key=lambda e: where[e])
            k = loop.index(first)
            loop = loop[k:] + loop[:k]
            self.add(
                self.loc.key(("entities", where[first], "parent")),
                f"the 'parent' chain loops: {' -> '.join(loop + [first])}; an entity cannot be its own ancestor",
            )

    def _check_cycles(self) -> None:
        """Cycles of dependency are allowed; say where they are, as notes."""
        edges: dict[str, list[tuple[str, int]]] = {}
        for i, rel in self.items("relationships"):
            a, b, kind = rel.get("from"), rel.get("to"), rel.get("kind")
            if (
                isinstance(a, str)
                and isinstance(b, str)
                and a != b
                and a in self.entity_ids
                and b in self.entity_ids
                and kind in vocab.DEPENDENCY_KINDS
            ):
                edges.setdefault(a, []).append((b, i))
        for component in _strongly_connected(edges):
            if len(component) < 2:
                continue
            members = set(component)
            # Start from the earliest relationship inside the component.
            inside = sorted(
                i for a in component for b, i in edges.get(a, []) if b in members
            )
            first = inside[0]
            rel = self.data["relationships"][first]
            cycle = _path_back(edges, rel["to"], rel["from"], members)
            nodes = [rel["from"]] + [n for n, _ in cycle]
            rel_ids = [rel.get("id")] + [self.data["relationships"][i].get("id") for _, i in cycle if i >= 0]
            shown_rels = ", ".join(f"'{r}'" for r in rel_ids if isinstance(r, str))
            self.add(
                self.loc.value(("relationships", first)),
                f"dependency cycle: {' -> '.join(nodes)} (relationships {shown_rels}); "
                "cycles are allowed, but check the directions: `from` relies on `to`",
                severity="note",
            )

    # -- quotes

    def check_quotes(self, report: Report, base_dir: Path | None, sources_dir: Path | None) -> None:
        texts = self.load_texts(report, base_dir, sources_dir)
        for path, item in self._quoted_items():
            self.check_quote(report, texts, path, item)

    def load_texts(self, report: Report, base_dir: Path | None, sources_dir: Path | None) -> dict[str, list[str]]:
        """The normalised texts of the sources that list readable ones, by source id."""
        texts: dict[str, list[str]] = {}
        for i, source in self.items("sources"):
            ident = source.get("id")
            if not isinstance(ident, str) or ident in texts or ident in report.sources_skipped:
                continue
            paths = source.get("text")
            if not isinstance(paths, list) or not any(isinstance(p, str) for p in paths):
                report.sources_skipped[ident] = "no `text` listed"
                continue
            loaded, why, missing = [], "", False
            for p in paths:
                if not isinstance(p, str):
                    continue
                text, why, missing = _read_text(p, base_dir, sources_dir)
                if text is None:
                    break
                loaded.append(normalise(text))
            else:
                texts[ident] = loaded
                report.sources_checked.append(ident)
                continue
            report.sources_skipped[ident] = why
            if missing:
                report.sources_missing.append(ident)
        return texts

    def check_quote(self, report: Report, texts: dict[str, list[str]], path: tuple, item: dict) -> None:
        """Is the quote of the item at `path` in the text of its source?"""
        ref, quote = item.get("source"), item.get("quote")
        if not isinstance(quote, str) or not isinstance(ref, str) or ref not in texts or not quote.strip():
            return
        report.quote_count += 1
        wanted = normalise(quote)
        if any(quote_in_text(wanted, t) for t in texts[ref]):
            return
        matched = max(_matching_prefix(wanted, t) for t in texts[ref])
        hint = ""
        if matched >= 20:
            hint = f"; it matches the text up to '…{wanted[max(0, matched - 40):matched]}'"
        self.add(
            self.loc.key(path + ("quote",)),
            f"quote in {_describe(self.data, path)} is not in the text of source '{ref}': "
            f"\"{_short(quote, 80)}\"{hint} (compared ignoring white space, curly quotes and dashes)",
        )


def _read_text(name: str, base_dir: Path | None, sources_dir: Path | None) -> tuple[str | None, str, bool]:
    """(text, why not, not found) of the source text `name`: a bare file name
    in `sources_dir`, else in `base_dir`. Nothing else is ever opened: not a
    path, not a link that leads out of that folder, not a device or a FIFO."""
    import os
    import stat

    from aideps.knowledge.model import check_text_name

    if check_text_name(name) is not None:
        return None, f"not a bare file name, so not read: '{name}'", False
    folder = sources_dir if sources_dir is not None else base_dir
    if folder is None:
        return None, f"no folder to find '{name}' in", True
    shown = Path(folder) / name
    try:
        root = Path(folder).resolve(strict=True)
        if not root.is_dir():
            return None, f"not a folder: {folder}", True
        real = (root / name).resolve(strict=True)
    except FileNotFoundError:
        return None, f"text file not found: {shown}", True
    except (OSError, RuntimeError) as exc:  # a loop of links, a permission
        return None, f"cannot read {shown}: {getattr(exc, 'strerror', None) or exc}", False
    if real.parent != root:
        return None, f"text file {shown} is a link to a file outside {folder}; copy the text into the folder", False
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, f"cannot read {shown}: {exc.strerror or exc}", False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, f"text path is not a regular file: {shown}", False
        if info.st_size > MAX_TEXT_BYTES:
            return None, f"text file is larger than {MAX_TEXT_BYTES // 1_000_000} MB: {shown}", False
        with os.fdopen(fd, "rb", closefd=False) as fh:
            content = fh.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        return None, f"cannot read {shown}: {exc.strerror or exc}", False
    finally:
        os.close(fd)
    if len(content) > MAX_TEXT_BYTES:
        return None, f"text file is larger than {MAX_TEXT_BYTES // 1_000_000} MB: {shown}", False
    try:
        return content.decode("utf-8-sig"), "", False
    except UnicodeDecodeError:
        return None, f"text file is not UTF-8: {shown}", False


def _strongly_connected(edges: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative. Components in no particular order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
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


def _path_back(
    edges: dict[str, list[tuple[str, int]]], start: str, goal: str, members: set[str]
) -> list[tuple[str, int]]:
    """Shortest path start -> goal inside `members`, as (node, relationship index) steps,
    beginning with (start, -1) replaced by the edge into start by the caller."""
    from collections import deque

    previous: dict[str, tuple[str, int] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        for child, i in edges.get(node, ()):
            if child in members and child not in previous:
                previous[child] = (node, i)
                queue.append(child)
    steps: list[tuple[str, int]] = []
    node = goal
    while previous.get(node) is not None:
        parent, i = previous[node]  # type: ignore[misc]
        steps.append((node, i))
        node = parent
    steps.reverse()
    # The first element is `start` itself, reached by the caller's edge.
    return [(start, -1)] + steps if start != goal else [(start, -1)]
