"""`--where KEY=VALUE`: which entities a query keeps, by a fact or a field.

A condition names a fact key (license, access, modality, size, or any key
the file's facts use) or one of the entity's own fields (id, name, type,
parent), an operator and a value:

    license=MIT        the value, in any case (a fact given several times: any of them)
    license!=MIT       none of them is (an entity without the fact is kept)
    license~cc-by      contains, in any case
    size>=7B           a number: compared as one (K, M, B, T: thousand to trillion)

Several conditions must all hold. A number compares only with a number: a
text fact never passes `>`. Parsing errors name the condition and say how
to write one (ConditionError), and the command exits 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections import namedtuple

_CONDITION = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*(>=|<=|!=|=|~|>|<)\s*(.*?)\s*$", re.S)
_NUMBER = re.compile(r"^([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([kKmMbBtT])?$")
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
HOW = "write KEY=VALUE, KEY!=VALUE, KEY~TEXT or KEY>=NUMBER (>, <, <= too): license=MIT, type=model, size>=7B"


class ConditionError(ValueError):
    """A --where that cannot be read; the message says how to write one."""


def number(text: str) -> float | None:
    """'7B' → 7e9, '1.5e3' → 1500.0; None when `text` is not a number."""
    match = _NUMBER.match(text.strip().replace(",", "").replace("_", ""))
    if not match:
        return None
    value = float(match.group(1))
    return value * _SCALE[match.group(2).lower()] if match.group(2) else value


class Condition(namedtuple("Condition", "key op value")):
    """KEY OP VALUE, read (`parse`): a field or fact's `key` (lower case), the
    operator, the value as written. (A named tuple: dataclasses costs a run
    ~15 ms of imports.)"""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.key}{self.op}{self.value}"

    def holds(self, entity: dict) -> bool:
        values = _values(entity, self.key)
        if self.op == "!=":
            return not any(_equal(v, self.value) for v in values)
        if self.op == "=":
            return any(_equal(v, self.value) for v in values)
        if self.op == "~":
            wanted = self.value.casefold()
            return any(wanted in str(v).casefold() for v in values)
        limit = number(self.value)
        found = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if limit is None:
            return False
        compare = {">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}[self.op]
        return any(compare(float(v), limit) for v in found)


def parse(text: str) -> Condition:
    """One condition, or ConditionError."""
    match = _CONDITION.match(text)
    if not match:
        raise ConditionError(f"--where '{text}' is not a condition; {HOW}")
    key, op, value = match.groups()
    if not value:
        raise ConditionError(f"--where '{text}' has no value after '{op}'; {HOW}")
    if op in (">", ">=", "<", "<=") and number(value) is None:
        raise ConditionError(f"--where '{text}': '{value}' is not a number to compare with; e.g. size>=7B")
    return Condition(key.lower(), op, value)


def parse_all(texts: Iterable[str] | None) -> tuple[Condition, ...]:
    return tuple(parse(text) for text in texts or ())


def matches(entity: dict, conditions: Sequence[Condition]) -> bool:
    """Whether `entity` meets every condition."""
    return all(condition.holds(entity) for condition in conditions)


def _values(entity: dict, key: str) -> list:
    if key == "parent":
        return list(entity.get("parents") or [])
    if key in ("id", "name", "type"):
        return [entity.get(key)] if entity.get(key) is not None else []
    return [fact["value"] for fact in entity.get("facts") or [] if fact.get("key") == key]


def _equal(value: object, wanted: str) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        limit = number(wanted)
        return limit is not None and float(value) == limit
    return str(value).casefold() == wanted.casefold()
