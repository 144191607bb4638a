"""The checks of one item alone (a source, an entity or a relationship,
with the positions of its nodes): its fields against its model, figures the
models would let through (the number policy), characters the text policy
refuses, amounts without a currency, dates out of order.

Each check gets a `Place` and `add(rank, position, message)`."""

from __future__ import annotations

import re
from typing import Any, Callable

from aideps.knowledge.report import R_AMOUNTS, R_DATES, R_NUMBERS, R_TEXT
from aideps.knowledge.schema_words import key_problems, schema_problems
from aideps.knowledge.text import code, unsafe
from aideps.knowledge.words import Place, got
from aideps.knowledge.yamlwords import CONTROL_IN_TEXT

Add = Callable[..., None]


def models() -> dict[str, Any]:
    """The model of an item of each section."""
    from aideps.knowledge.model import Entity, Relationship, Source

    return {"sources": Source, "entities": Entity, "relationships": Relationship}


def check_model(place: Place, model: Any, dropped: Any, add: Add) -> Any:
    """The item validated by `model` (None when refused, with its problems added)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(place.value)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    key_problems(place, place.value, (), add)
    schema_problems(place, model, errors, dropped, add)
    return None


def sub_items(item: dict, name: str) -> list[tuple[int, dict]]:
    """(index, mapping) of each mapping in the list `name` of `item`."""
    entries = item.get(name)
    if not isinstance(entries, list):
        return []
    return [(j, sub) for j, sub in enumerate(entries) if isinstance(sub, dict)]


def check_amounts(place: Place, rel: dict, add: Add) -> None:
    """Each amount of a relationship says its currency; its figure is a finite number."""
    amounts = sub_items(rel, "amounts")
    for j, amount in amounts:
        if "amount" in amount and amount.get("currency") is None:
            figure = amount["amount"]
            shown = figure if isinstance(figure, (int, float)) and not isinstance(figure, bool) else repr(figure)
            add(
                R_AMOUNTS,
                place.key(("amounts", j, "amount")),
                f"amount {shown} has no currency; add `currency: USD` "
                f"(or the ISO 4217 code the source uses) to {place.words(('amounts', j))}",
            )
    for j, amount in amounts:
        _check_number(place, ("amounts", j, "amount"), amount.get("amount"), add)


def check_facts(place: Place, entity: dict, add: Add) -> None:
    """The value of each fact of an entity, if a number, is a finite number."""
    for j, fact in sub_items(entity, "facts"):
        _check_number(place, ("facts", j, "value"), fact.get("value"), add)


def _check_number(place: Place, rest: tuple, value: Any, add: Add) -> None:
    """The number policy: a figure is a finite number below MAX_FIGURE,
    written as a number. The models take true as 1, read a quoted "12" or
    "inf" as a number and accept infinity and 300-digit integers."""
    if isinstance(value, bool):
        add(
            R_NUMBERS,
            place.key(rest),
            f"{place.words(rest)} should be a number, got {got(value)}; "
            "YAML reads unquoted yes/no/on/off/true/false as yes/no values",
        )
    elif isinstance(value, float) and value in (float("inf"), float("-inf")):
        add(R_NUMBERS, place.key(rest), f"{place.words(rest)} is infinite; write the figure the source gives")
    elif isinstance(value, float) and value != value:
        add(R_NUMBERS, place.key(rest), f"{place.words(rest)} is not a number (nan); write the figure the source gives")
    elif isinstance(value, (int, float)) and not fits(value):
        digits = len(str(abs(int(value)))) if isinstance(value, int) else None
        shown = f"a number {digits:,} digits long" if digits else f"{value:g}"
        add(
            R_NUMBERS,
            place.key(rest),
            f"{place.words(rest)} is {shown}; a figure this large cannot be right; write the figure the source gives",
        )
    elif isinstance(value, str) and rest[0] == "amounts":
        figure = quoted_figure(value)
        if figure is None:
            return  # not a number: the model said so
        shown = got(value)
        if figure != figure or figure < 0:
            return  # nan or negative: the model said so
        if figure == float("inf"):
            add(
                R_NUMBERS,
                place.key(rest),
                f"{place.words(rest)} should be a number, got {shown}, which is not a finite figure; "
                "write the figure the source gives, without quotes",
            )
        else:
            add(
                R_NUMBERS,
                place.key(rest),
                f"{place.words(rest)} should be a number, got {shown}; write it without quotes",
            )


# No figure a source gives reaches 10^30 (dollars, people, parameters, even
# the FLOP of a training run stay far below); renderers and JSON readers turn
# figures into floats, which end near 1.8e308.
MAX_FIGURE = 10**30


def fits(value: int | float) -> bool:
    """A figure below MAX_FIGURE (in size: amounts are never below 0 anyway)."""
    return -MAX_FIGURE < value < MAX_FIGURE


def quoted_figure(text: str) -> float | None:
    """The figure a string reads as (the models read "12", "inf" and "1e400"
    as numbers; 1e400 is inf), or None when it is not one."""
    if len(text) > 400:
        return None
    try:
        return float(text)
    except ValueError:
        return None


# Text that says something: blank (only spaces) is as good as missing.
TEXT_FIELDS = frozenset({"name", "title", "description", "summary", "quote"})


# Fields whose model admits only ASCII letters, digits and hyphens (ids,
# references, dates, codes) or a word of the vocabulary.
PATTERNED = frozenset(
    {"id", "from", "to", "source", "parent", "date", "start", "end", "as_of", "currency", "key", "type", "kind", "status", "qualifier"}
)


def _patterned(rest: tuple) -> bool:
    return bool(rest) and (
        rest[-1] in PATTERNED or (len(rest) >= 2 and rest[-2] == "replaces") or (rest[0] == "terms" and rest[-1] == "name")
    )


# In an item's repr: a string of spaces alone, as a value (after ': '), a
# list's first item (after '[') or a later one (after ', ').
_BLANK_IN_REPR = re.compile(r"(?:: |\[|, )' +'[,\]}]")


def _plainly_fine(node: Any) -> bool:
    """Whether no string of `node` can break the text policy, told at C speed
    from its repr: every unsafe character (aideps.knowledge.text.CLASSES:
    controls, format and separator characters, surrogates, noncharacters) is
    one str.isprintable refuses, which repr writes as a backslash escape; and
    a blank string (spaces alone: any other white space is escaped too) shows
    as a quoted run of spaces. False when in doubt (then every string is looked at)."""
    try:
        text = repr(node)
    except (ValueError, RecursionError):  # an integer too long to write; nesting too deep
        return False
    return "\\" not in text and _BLANK_IN_REPR.search(text) is None


def check_text(place: Place, node: Any, add: Add, rest: tuple = ()) -> None:
    """The text policy (aideps.knowledge.text): no string of an item holds a
    character that could change what a terminal shows; the fields that say
    something are not blank."""
    if not rest and _plainly_fine(node):
        return
    if isinstance(node, dict):
        for key, value in node.items():
            check_text(place, value, add, rest + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            check_text(place, value, add, rest + (i,))
    elif isinstance(node, str):
        if _patterned(rest):
            return  # ids, dates, codes and words of the vocabulary: the model lets none of these through
        found = unsafe(node)
        if found is not None and CONTROL_IN_TEXT.search(node) is None:  # (else the reader said it)
            index, char, kind = found
            add(
                R_TEXT,
                place.at(rest),
                f"{place.words(rest)} holds {code(char)} ({kind}) at character {index + 1}; "
                "remove it: it could change what a terminal shows",
            )
        elif node and not node.strip() and rest and rest[-1] in TEXT_FIELDS:
            add(R_TEXT, place.at(rest), f"{place.words(rest)} is blank (only spaces); write it out")


def date_tuple(value: Any) -> tuple[int, ...] | None:
    """A partial date as (year[, month[, day]]), or None when it is not one."""
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


def check_dates(place: Place, rel: dict, add: Add) -> None:
    """A relationship ends after it starts; its history is oldest first."""
    start, end = rel.get("start"), rel.get("end")
    if start is not None and end is not None:
        start_t, end_t = date_tuple(start), date_tuple(end)
        if start_t and end_t and _before(end_t, start_t):
            add(
                R_DATES,
                place.key(("end",)),
                f"'end' {end} is before 'start' {start} in {place.words()}",
            )
    history = rel.get("history")
    if not isinstance(history, list):
        return
    previous = None
    for j, change in enumerate(history):
        if not isinstance(change, dict):
            continue
        when = date_tuple(change.get("date"))
        if when is None:
            continue
        if previous is not None and _before(when, previous[0]):
            add(
                R_DATES,
                place.key(("history", j, "date")),
                f"the history of {place.words()} is out of date order: "
                f"{change['date']} comes after {previous[1]}; list the entries oldest first",
            )
        previous = (when, change["date"])
