"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) as the runs of days they name.

The knowledge file dates things as precisely as its sources allow, so a date
is an interval: "2024" is 2024-01-01..2024-12-31, "2024-11" is
2024-11-01..2024-11-30, "2024-10-30" is that one day. Questions about time
compare intervals, never strings, and answer in three values, because a
coarse date can leave the answer open:

- `happened_by(event, moment)`: did `event` happen by the end of `moment`?
  YES when the event's last day is on or before the moment's last day, NO when
  its first day is after the moment's last day, else MAYBE. As of 2024-06, a
  relationship that started "2024" MAYBE had begun (it may have begun in
  July); as of 2024-12 it had. "As of 2024-06" means "by the end of June
  2024": a person asking about June includes what happened in June.

docs/time.md states these rules for readers.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from collections import namedtuple

# ASCII digits only (Python's \d takes any script's digits, and $ a final
# newline): the same strings as the JSON Schema's pattern, which also leaves
# out year 0000 and months and days that cannot be.
DIGITS = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# The JSON Schema's pattern (ECMA-262 regular expression; Python reads it alike).
SCHEMA_PATTERN = r"^(?!0000)[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$"


def _last_day(year: int, month: int) -> date:
    """The last day of a month (calendar.monthrange, without importing calendar
    and locale on every run)."""
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


YES, MAYBE, NO = "yes", "maybe", "no"


class Span(namedtuple("Span", "text first last")):
    """A partial date (`text`) and the days it covers (`first`, `last`: dates)."""

    __slots__ = ()

    @property
    def precision(self) -> str:
        return ("year", "month", "day")[self.text.count("-")]


def problem(text: object) -> str | None:
    """Plain words for what is wrong with a partial date, or None when it is one."""
    if not isinstance(text, str):
        return f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
    match = DIGITS.fullmatch(text)
    if not match:
        return f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (for example 2024, 2024-11 or 2024-10-30)"
    year, month, day = (int(g) if g else None for g in match.groups())
    if year < 1:
        return f"'{text}' is not a date: there is no year 0"
    if month is not None and not 1 <= month <= 12:
        return f"'{text}' is not a date: month {month} does not exist"
    if day is not None:
        try:
            date(year, month, day)
        except ValueError:
            return f"'{text}' is not a date: day {day} does not exist in {year}-{month:02d}"
    return None


_PARSED: dict[str, Span] = {}  # a file names a few hundred dates, thousands of times (a timeline)


def parse(text: object) -> Span:
    """The interval a partial date names; ValueError (plain words) when it is not one."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)  # YAML reads an unquoted year as a number
    if type(text) is str:
        known = _PARSED.get(text)
        if known is not None:
            return known
        if len(_PARSED) < 100_000:
            span = _PARSED[text] = _parse(text)
            return span
    return _parse(text)


def _parse(text: object) -> Span:
    trouble = problem(text)
    if trouble:
        raise ValueError(trouble)
    assert isinstance(text, str)
    year, month, day = (int(g) if g else None for g in DIGITS.fullmatch(text).groups())  # type: ignore[union-attr]
    if month is None:
        return Span(text, date(year, 1, 1), date(year, 12, 31))
    if day is None:
        return Span(text, date(year, month, 1), _last_day(year, month))
    return Span(text, date(year, month, day), date(year, month, day))


def maybe_parse(text: object) -> Span | None:
    """`parse`, or None for a missing or unusable date."""
    if text is None:
        return None
    try:
        return parse(text)
    except ValueError:
        return None


def happened_by(event: Span, moment: Span) -> str:
    """YES, MAYBE or NO: did `event` happen by the end of `moment`?"""
    if event.last <= moment.last:
        return YES
    if event.first > moment.last:
        return NO
    return MAYBE


def order_key(span: Span) -> tuple:
    """Chronological order: by first day, then the more precise first
    (2024-01 before 2024, which may be later)."""
    return (span.first, span.last)


# A day's ordinal, up to the year 9999, is below 2**22: `order_number` packs two.
UNDATED_ORDER = 1 << 45  # after every date's order_number


def order_number(span: Span) -> int:
    """`order_key` as one int, in the same order (a sort record of each of a
    million relationships or events holds an int, not two dates in a tuple)."""
    return span.first.toordinal() << 22 | span.last.toordinal()


def earliest(spans: list[Span]) -> Span | None:
    """The date by which something is surely known: the one whose last day
    comes first (2024-10-30 before 2024-11, and before "2024")."""
    return min(spans, key=lambda s: (s.last, s.first)) if spans else None


def latest(spans: list[Span]) -> Span | None:
    """The newest date: the one whose first day comes last."""
    return max(spans, key=lambda s: (s.first, s.last)) if spans else None


def through(span: Span) -> str:
    """The last day a partial date covers, as YYYY-MM-DD."""
    return span.last.isoformat()
