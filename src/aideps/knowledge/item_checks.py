"""The checks of one item alone (a source, an entity or a relationship,
with the positions of its nodes): its fields against its model, figures the
models would let through, amounts without a currency, dates out of order.

Each check gets a `Place` and `add(rank, position, message)`."""

from __future__ import annotations

from typing import Any, Callable

from aideps.knowledge.report import R_AMOUNTS, R_DATES, R_NUMBERS
from aideps.knowledge.schema_words import key_problems, schema_problems
from aideps.knowledge.words import Place, got

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
    """The models take true as 1 and accept infinity; a figure is neither."""
    if isinstance(value, bool):
        add(
            R_NUMBERS,
            place.key(rest),
            f"{place.words(rest)} should be a number, got {got(value)}; "
            "YAML reads unquoted yes/no/on/off/true/false as yes/no values",
        )
    elif isinstance(value, float) and value in (float("inf"), float("-inf")):
        add(R_NUMBERS, place.key(rest), f"{place.words(rest)} is infinite; write the figure the source gives")


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
