"""The models' refusals (pydantic's errors) in plain words, at their places.

`schema_problems` words the errors of validating one item (or the top
level) against its model; `key_problems` says which field names YAML read
as something else than text. Both look at one `Place` alone.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import Any, Callable

from aideps.knowledge import vocab
from aideps.knowledge.report import R_KEYS, R_SCHEMA
from aideps.knowledge.words import SECTION_NOUN, Place, did_you_mean, get, got, slugify

ENUMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "type": ("entity type", vocab.ENTITY_TYPES),
    "kind": ("kind", vocab.KINDS),
    "qualifier": ("qualifier", vocab.QUALIFIERS),
    "stage": ("stage", vocab.STAGES),
    "health": ("health", vocab.HEALTHS),
    "certainty": ("certainty", vocab.CERTAINTIES),
    "hedge": ("hedge", vocab.CERTAINTIES),
    "by": ("claimant", vocab.CLAIMANTS),
    "state": ("term state", vocab.TERM_STATES),
    "metric": ("metric", vocab.METRICS),
    "basis": ("basis", vocab.BASES),
    "period": ("period", vocab.PERIODS),
}


def enum_for(path: tuple, name: Any) -> tuple[str, tuple[str, ...]] | None:
    """(label, allowed values) of an enumerated field at `path`: an event's
    `kind` is an event kind, not a relationship's."""
    if name == "kind" and len(path) >= 3 and path[-3] == "events":
        return ("event kind", vocab.EVENT_KINDS)
    return ENUMS.get(name) if isinstance(name, str) else None


# Format 1's fields, said in format 2's words where a format-2 file still has them.
FORMAT1_FIELDS = {
    "status": "status is split into stage, health and certainty in format 2; see docs/format.md",
    "parent": "parent is now `parents`, a list (`parents: [ID]`), in format 2; see docs/format.md",
}
# What to write for a missing field, where its name alone does not say.
MISSING_HINTS = {
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
    "opens": "write the comment's first words, verbatim",
    "role": "write the title as the text gives it, like `CEO`",
    "of": "write the id of the entity the role is at",
    "involves": "write the figures concerned: `fact:KEY` or a relationship id",
    ("consistency", "summary"): "write what does not add up, in one or two sentences",
}
DATE_FIELDS = {"date", "start", "end", "as_of"}
REF_FIELDS = {"from", "to", "parents", "source", "of", "comment"}

Add = Callable[..., None]  # add(rank, position, message)


def key_problems(place: Place, node: Any, rest: tuple, add: Add) -> None:
    """Every field name is text; YAML reads `1:`, `yes:` or `null:` as other things."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                shown = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
                full = place.prefix + rest
                where = "at the top level" if not full else f"in {place.describe(full)}"
                add(
                    R_KEYS,
                    place.key(rest + (key,)),
                    f"unknown field {shown} {where}: field names are words, and YAML reads this one as {got(key)}",
                )
            else:
                key_problems(place, value, rest + (key,), add)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            key_problems(place, item, rest + (i,), add)


def real_path(data: Any, loc: tuple, kind: str) -> tuple:
    """The part of a pydantic error location that exists in the data
    (dropping union member tags such as 'int' or 'str'), plus the missing
    field of a 'missing' error."""
    node = data
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


def schema_problems(place: Place, model: Any, errors: list[dict], dropped: Any, add: Add) -> None:
    """Problems in words for pydantic's errors of validating `place.value`
    with `model` (locations from the place); errors under a value the
    reader dropped (it said why) are left out."""
    groups: dict[tuple, list[dict]] = {}
    prefix = place.prefix
    for error in errors:
        if error["type"] == "invalid_key":
            continue  # said by key_problems, at the key
        rest = real_path(place.value, tuple(error["loc"]), error["type"])
        full = prefix + rest
        if dropped and any(full[: len(d)] == d for d in dropped):
            continue  # its value was dropped by the parser, which said why
        groups.setdefault(rest, []).append(error)
    # "unknown field 'summry'; did you mean 'summary'?" says all there is
    # to say about the missing 'summary'.
    suggested = set()
    for rest, group in groups.items():
        last = (prefix + rest)[-1] if prefix + rest else None
        if group[0]["type"] == "extra_forbidden" and isinstance(last, str) and len(last) <= 200:
            for match in difflib.get_close_matches(last, allowed_fields(model, rest[:-1]), n=1, cutoff=0.6):
                suggested.add(rest[:-1] + (match,))
    for rest, group in groups.items():
        if group[0]["type"] == "missing" and rest in suggested:
            continue
        result = _message(place, model, rest, group)
        if result is not None:
            add(R_SCHEMA, *result)


def _message(place: Place, model: Any, rest: tuple, group: list[dict]) -> tuple[tuple[int, int], str] | None:
    path = place.prefix + rest
    error = group[0]
    kind = error["type"]
    kinds = {e["type"] for e in group}
    value = get(place.value, rest)
    name = path[-1] if path else None
    where = place.describe(path)
    owner = place.describe(path[:-1]) if path else "the top level"
    pos = place.key(rest)

    if kind == "missing":
        if len(path) == 1:
            return pos, (
                f"missing `{name}`: a knowledge file needs `sources`, `entities` and `relationships` "
                f"(write `{name}: []` when there are none)"
            )
        message = f"missing field '{name}' in {owner}"
        enum = enum_for(path, name)
        if enum is not None:
            message += f"; one of: {', '.join(enum[1])}"
        else:
            within = path[-3] if len(path) >= 3 and isinstance(path[-2], int) else path[0]
            hint = MISSING_HINTS.get((within, name)) or MISSING_HINTS.get(name)
            if hint:
                message += f"; {hint}"
        return place.at(rest[:-1]), message

    if kind == "extra_forbidden" and name in FORMAT1_FIELDS and _has_format2_field(model, rest[:-1], name):
        return pos, f"'{name}' in {owner}: {FORMAT1_FIELDS[name]}"

    if kind == "extra_forbidden":
        allowed = allowed_fields(model, rest[:-1])
        hint = did_you_mean(name, allowed)
        if not hint and allowed:
            hint = f"; allowed: {', '.join(allowed)}"
        field_word = "section" if len(path) == 1 else "field"
        where_in = "at the top level" if len(path) == 1 else f"in {owner}"
        return pos, f"unknown {field_word} '{name}' {where_in}{hint}"

    if kind == "literal_error" and enum_for(path, name) is not None:
        label, allowed = enum_for(path, name)
        if not isinstance(value, str):
            return pos, f"{where} should be one of: {', '.join(allowed)}; got {got(value)}"
        hint = did_you_mean(value, allowed)
        return pos, f"unknown {label} '{value}' in {owner}{hint} (allowed: {', '.join(allowed)})"

    if kind == "string_pattern_mismatch" and isinstance(value, str):
        pattern = error.get("ctx", {}).get("pattern", "")
        from aideps.knowledge.model import CURRENCY_PATTERN, KEY_PATTERN, SLUG_PATTERN

        if pattern == SLUG_PATTERN:
            in_list = len(path) >= 2 and path[-2] in ("replaces", "parents")
            in_list = in_list or (name == "id" and len(path) >= 3 and path[-3] in ("members", "exceptions"))
            if name in REF_FIELDS or in_list:
                return None  # the reference check says it better (unknown id, did you mean)
            suggestion = slugify(value)
            hint = f" (try '{suggestion}')" if suggestion and suggestion != value else ""
            if name == "id" and len(path) == 3 and path[0] in SECTION_NOUN:
                what = f"{SECTION_NOUN[path[0]]} id '{value}' is not valid"
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
    if name in DATE_FIELDS and kinds & {"string_type", "int_type"}:
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
        message = f"{where} should be {expected}, got {got(value)}"
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


def _has_format2_field(model: Any, rest: tuple, name: str) -> bool:
    """Is `rest` a place where format 1 had `name` (a relationship or a history entry's
    status, an entity's parent)? Its format-2 fields are there."""
    fields = allowed_fields(model, rest)
    return ("stage" in fields) if name == "status" else ("parents" in fields)


def allowed_fields(model: Any, rest: tuple) -> list[str]:
    """Field names (as written in YAML) of the model at the mapping `rest`, from `model`."""
    return list(_allowed(model, tuple(step for step in rest if not isinstance(step, int))))


@functools.lru_cache(maxsize=256)
def _allowed(model: Any, steps: tuple) -> tuple[str, ...]:
    import typing

    from pydantic import BaseModel

    for step in steps:
        info = next(
            (f for n, f in model.model_fields.items() if (f.alias or n) == step),
            None,
        )
        if info is None:
            return ()
        inner = info.annotation
        while typing.get_origin(inner) is not None and not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            args = [a for a in typing.get_args(inner) if a is not type(None)]
            if not args:
                return ()
            inner = args[0]
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return ()
        model = inner
    return tuple(f.alias or n for n, f in model.model_fields.items())
