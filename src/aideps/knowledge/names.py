"""How names lead to entities: one folding of ids, names and aliases, shared
by the checks (what may clash) and by lookup (what a person may type)."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Characters a shell reads as themselves in a word (printf %q leaves them alone).
_SHELL_PLAIN = frozenset("_+,./-")


def fold(text: str) -> str:
    """The key two names must not share: Unicode compatibility forms (NFKC:
    fullwidth letters, ligatures), case (casefold) and runs of any Unicode
    space (the no-break space too) made one space, at neither end. Validate's
    clash check and every lookup use this one function, so what validate
    accepts as two names, lookup tells apart."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.split())


def compact(text: str) -> str:
    return _NON_ALNUM.sub("", fold(text))


def shell_plain(word: str) -> bool:
    """A word every shell reads as itself, unquoted: letters, digits and
    _+,./- (no spaces, quotes, $, backticks, globs, nor the : and = at
    which bash completion splits words), not starting with -, so
    completion may offer it as it is."""
    return bool(word) and not word.startswith("-") and all(c.isalnum() or c in _SHELL_PLAIN for c in word)


def lookup_rows(entity: dict) -> list[tuple[str, int, str]]:
    """(key, tier, id) rows by which names lead to `entity`: tier 0 its id
    (folded), 1 its name, 2 each alias (folded), 3 each of those
    compacted (letters and digits only), once per entity."""
    eid = entity["id"]
    rows = [(fold(eid), 0, eid), (fold(entity["name"]), 1, eid)]
    aliases = entity.get("aliases") or []
    rows.extend((fold(alias), 2, eid) for alias in aliases)
    compacted: list[str] = []
    for word in [eid, entity["name"], *aliases]:
        key = compact(word)
        if key and key not in compacted:
            compacted.append(key)
    rows.extend((key, 3, eid) for key in compacted)
    return rows


def completion_words(entity: dict) -> list[str]:
    """The names and aliases of `entity` that shell completion may offer:
    those every shell reads as themselves (`shell_plain`). Ids always are."""
    return [word for word in [entity["name"], *(entity.get("aliases") or [])] if shell_plain(word)]
