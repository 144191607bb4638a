"""The words of the checks: a place in a knowledge file said the way a
person reads it ("'currency' of the 1st amount of relationship 'msft-openai'"),
a value said by its kind, and did-you-mean suggestions."""

from __future__ import annotations

import difflib
import re
from typing import Any, Callable

SECTIONS = ("sources", "entities", "relationships")
SECTION_NOUN = {"sources": "source", "entities": "entity", "relationships": "relationship"}
LIST_NOUN = {
    "amounts": "amount",
    "facts": "fact",
    "provenance": "provenance entry",
    "history": "history entry",
    "terms": "term",
    "text": "text path",
    "aliases": "alias",
    "replaces": "item of 'replaces'",
}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def got(value: Any) -> str:
    """A value from the file, said by its kind: "a number (3)", "a list"."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"a yes/no value ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ('{short(value)}')"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def did_you_mean(word: Any, choices: list[str] | tuple[str, ...]) -> str:
    if not isinstance(word, str) or len(word) > 200:  # no one mistypes 200 characters; difflib is slow on them
        return ""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not match:
        match = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def get(data: Any, path: tuple) -> Any:
    """The value at `path` in `data`, or None."""
    for step in path:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def describe(path: tuple, item_at: Callable[[tuple], Any]) -> str:
    """A path from the top of the file in words; `item_at((section, index))`
    gives the item there (its id names it), or None."""
    if not path:
        return "the top level"
    if len(path) == 1:
        return f"'{path[0]}'"
    if len(path) == 2 and path[0] in SECTION_NOUN and isinstance(path[1], int):
        noun = SECTION_NOUN[path[0]]
        item = item_at(path)
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str) and ident:
            return f"{noun} '{ident}'"
        return f"the {ordinal(path[1] + 1)} {noun}"
    last = path[-1]
    if isinstance(last, int) and isinstance(path[-2], str):
        noun = LIST_NOUN.get(path[-2], f"item of '{path[-2]}'")
        return f"the {ordinal(last + 1)} {noun} of {describe(path[:-2], item_at)}"
    return f"'{last}' of {describe(path[:-1], item_at)}"


class Place:
    """What one check looks at: the item at `prefix` ((section, index);
    () for the top level), its `value`, and `loc`, the positions of its
    nodes by path from it (`key(rest)`, `value(rest)`)."""

    __slots__ = ("prefix", "value", "loc")

    def __init__(self, prefix: tuple, value: Any, loc: Any) -> None:
        self.prefix = prefix
        self.value = value
        self.loc = loc

    def key(self, rest: tuple = ()) -> tuple[int, int]:
        """Where the key (or list item) at `rest` is."""
        return self.loc.key(rest)

    def at(self, rest: tuple = ()) -> tuple[int, int]:
        """Where the value at `rest` is."""
        return self.loc.value(rest)

    def item_at(self, path: tuple) -> Any:
        if path == self.prefix:
            return self.value
        if not self.prefix:
            return get(self.value, path)
        return None

    def describe(self, full: tuple) -> str:
        """A path from the top of the file (within this place) in words."""
        return describe(full, self.item_at)

    def words(self, rest: tuple = ()) -> str:
        """The thing at `rest` in words ("relationship 'x'", "the 2nd amount of ...")."""
        return describe(self.prefix + rest, self.item_at)


class Recorded:
    """Positions recorded while an item was read, for a check that waits
    for other items: by path from the item; anything else is `pos`."""

    __slots__ = ("pos", "known")

    def __init__(self, pos: tuple[int, int], known: dict[tuple, tuple[int, int]]) -> None:
        self.pos = pos
        self.known = known

    def key(self, rest: tuple) -> tuple[int, int]:
        return self.known.get(rest, self.pos)

    value = key
