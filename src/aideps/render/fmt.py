"""Figures, dates and sources as people read them.

Plain functions over plain data; no Rich. JSON output never goes through
these: it keeps exact numbers.
"""

from __future__ import annotations

import math
import re

from aideps.knowledge import vocab

# Currencies written with a symbol before the figure; every other currency
# is written as a code after it ("5B GBP"), which nobody misreads.
CURRENCY_SYMBOL: dict[str, str] = {"USD": "$", "EUR": "€"}

_SCALES: tuple[tuple[float, str], ...] = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_SUFFIX_VALUE: dict[str, float] = {suffix: scale for scale, suffix in _SCALES}

MISSING = "—"


def _trim(number: float) -> str:
    """At most two decimals, no trailing zeros: 13 -> '13', 18.17, 6.6."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return text or "0"


_EXACT_ABOVE = 10**15  # an int this large is scaled exactly, never through a float


def _big_figure(amount: int) -> str:
    """An int too large for a float's exact digits, in trillions, exactly to
    two decimals: 10**300 -> '1000…0T' (never an OverflowError)."""
    hundredths, rest = divmod(abs(amount), 10**10)  # in units of 0.01T, rounded half to even
    if rest * 2 > 10**10 or (rest * 2 == 10**10 and hundredths % 2):
        hundredths += 1
    whole, cents = divmod(hundredths, 100)
    text = f"{whole}.{cents:02d}".rstrip("0").rstrip(".")
    return ("-" if amount < 0 else "") + text + "T"


def figure(amount: float) -> str:
    """A bare figure scaled for reading: 13000000000 -> '13B', 500000000 -> '500M'.
    Not a number or infinite (which validate refuses): MISSING, never '$inf'."""
    if isinstance(amount, int) and not isinstance(amount, bool) and abs(amount) >= _EXACT_ABOVE:
        return _big_figure(amount)
    if not math.isfinite(amount):
        return MISSING
    magnitude = abs(amount)
    for index, (scale, suffix) in enumerate(_SCALES):
        if magnitude >= scale:
            scaled = round(amount / scale, 2)
            # 999.999M rounds to 1000M: say 1B instead, when there is a bigger unit.
            if abs(scaled) >= 1000 and index > 0:
                bigger_scale, bigger_suffix = _SCALES[index - 1]
                return _trim(round(amount / bigger_scale, 2)) + bigger_suffix
            return _trim(scaled) + suffix
    rounded = round(amount, 2)
    if abs(rounded) >= 1000:  # 999.999 rounds to 1000: say 1K
        return _trim(round(amount / 1e3, 2)) + "K"
    return _trim(rounded)


def money(amount: float, currency: str | None = "USD", qualifier: str | None = "exact") -> str:
    """'$13B', '$18.17B', 'nearly $14B', '≥$5.4B', '€5B', '5B GBP'."""
    text = figure(amount)
    if text == MISSING:
        return MISSING
    if currency:
        symbol = CURRENCY_SYMBOL.get(currency)
        text = f"{symbol}{text}" if symbol else f"{text} {currency}"
    prefix = vocab.QUALIFIER_PREFIX.get(qualifier or "exact", "")
    return prefix + text


_PARSE_RE = re.compile(
    r"^(?P<prefix>nearly |~|≥|>|≤)?(?P<symbol>[$€])?(?P<number>\d+(?:\.\d+)?)(?P<suffix>[KMBT])?(?: (?P<code>[A-Z]{3}))?$"
)
_PREFIX_QUALIFIER = {prefix: qualifier for qualifier, prefix in vocab.QUALIFIER_PREFIX.items() if prefix}
_SYMBOL_CURRENCY = {symbol: code for code, symbol in CURRENCY_SYMBOL.items()}


def parse_money(text: str) -> tuple[float, str | None, str]:
    """The inverse of `money`, to within its rounding: (amount, currency, qualifier)."""
    match = _PARSE_RE.match(text)
    if not match:
        raise ValueError(f"not a figure aideps writes: {text!r}")
    number = float(match["number"]) * _SUFFIX_VALUE.get(match["suffix"] or "", 1.0)
    currency = _SYMBOL_CURRENCY.get(match["symbol"] or "") or match["code"]
    qualifier = _PREFIX_QUALIFIER.get(match["prefix"] or "", "exact")
    return number, currency, qualifier


def via_words(edge: dict) -> str:
    """How an edge reaches its entity through a group or a part: "via Big Tech",
    with the group's exceptions as hedged as the text: "via Big Tech (all
    except perhaps Apple)". '' for a direct edge."""
    via = edge.get("via")
    if not via:
        return ""
    return f"via {via['name']}" + (excepting(edge) if edge.get("group") else "")


def excepting(edge: dict) -> str:
    """A group's relationship's exceptions, as hedged as the text:
    " (all except perhaps Apple)"; '' when it has none."""
    excepted = [item["words"] for item in edge.get("exceptions") or [] if item.get("words")]
    return f" (all {', '.join(excepted)})" if excepted else ""


def figure_note(item: dict) -> str:
    """What a figure is over, in parentheses: '(projected, by 2029)',
    '(projected, for 2024)' (annual), '(cumulative, as of 2024-10-30)';
    '' when nothing is said."""
    words = []
    if (item.get("basis") or "actual") == "projected":
        words.append("projected")
    period, as_of = item.get("period"), item.get("as_of")
    if period == "annual":
        words.append(f"for {as_of}" if as_of else "a year")
    elif period == "by_date":
        words.append(f"by {as_of}" if as_of else "by a date")
    else:
        if period == "cumulative":
            words.append("cumulative")
        if as_of:
            words.append(f"as of {as_of}")
    return f"({', '.join(words)})" if words else ""


def amount(item: dict) -> str:
    """One amount of a relationship as read: '$13B', '$37.5B loss (projected, by 2029)'."""
    text = money(item["amount"], item.get("currency"), item.get("qualifier"))
    if item.get("metric"):
        text += " " + item["metric"].replace("_", " ")
    note = figure_note(item)
    return f"{text} {note}" if note else text


def amounts(items: list[dict], empty: str = "") -> str:
    """Every figure the sources give, in order, never picking one: '$13B / nearly $14B'.

    Two sources that state the same figure the same way show it once.
    """
    seen: list[str] = []
    for item in items:
        text = amount(item)
        if text not in seen:
            seen.append(text)
    return " / ".join(seen) if seen else empty


def number(value: float) -> str:
    """12000 -> '12,000'; 1700 -> '1700' (four digits read fine, and years
    stay years); 2.5 -> '2.5'."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return MISSING
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        value = int(value)
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "") if abs(value) < 10000 else text


def fact_value(fact: dict) -> str:
    """A fact's value as read: '$18.17B', '1,700 people', '2015-12', '~€5B'."""
    value = fact["value"]
    qualifier = fact.get("qualifier") or "exact"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if fact.get("currency"):
            return money(value, fact["currency"], qualifier)
        text = number(value)
    else:
        text = str(value)
    if fact.get("unit"):
        text = f"{text} {fact['unit']}"
    return vocab.QUALIFIER_PREFIX.get(qualifier, "") + text


def fact_key(key: str) -> str:
    """'total_raised' -> 'total raised'."""
    return key.replace("_", " ")


def span(start: str | None, end: str | None) -> str:
    """'2019', '2016–2019', 'until 2019', or ''."""
    if start and end:
        return f"{start}–{end}"
    if end:
        return f"until {end}"
    return start or ""


def short_title(title: str) -> str:
    """A title without its subtitle, for narrow table cells."""
    head, sep, _ = title.partition(": ")
    return head if sep and head else title


def source_label(source: dict, *, short: bool = False, with_id: bool = True) -> str:
    """'The Shifting Sands of AI Partnerships (2024-10-30)'; a source without
    a date by its id, so that two of one title are told apart: 'ChatGLM
    (Ecosystem Graphs card) · eg-chatglm-2' (`with_id`: unless the caller
    prints the id itself)."""
    title = short_title(source["title"]) if short else source["title"]
    if source.get("date"):
        return f"{title} ({source['date']})"
    return f"{title} · {source['id']}" if with_id and source.get("id") else title


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


SOME_NAMES = 8  # names on a line before "and N more" (`show --brief`, `stats`)


def some_names(names: list[str], limit: int = SOME_NAMES) -> str:
    """'A, B, C' or, beyond `limit`, the first ones 'and 407 more': a line a
    person reads (JSON and CSV list them all)."""
    shown = ", ".join(names[:limit])
    return f"{shown} and {len(names) - limit} more" if len(names) > limit else shown


def claim_text(claim: dict) -> str:
    """A claim of `aideps conflicts` as read: '$13B', '~1700', '2015-12'."""
    value = claim["value"]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if claim["currency"]:
            text = money(value, claim["currency"], claim["qualifier"])
        else:
            text = vocab.QUALIFIER_PREFIX.get(claim["qualifier"], "") + number(value)
    else:
        text = vocab.QUALIFIER_PREFIX.get(claim["qualifier"], "") + str(value)
    if claim.get("unit"):
        text += f" {claim['unit']}"
    return text
