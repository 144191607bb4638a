"""How names lead to entities: one folding of ids, names and aliases, shared
by the checks (what may clash) and by lookup (what a person may type)."""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def compact(text: str) -> str:
    return _NON_ALNUM.sub("", text.casefold())


def lookup_rows(entity: dict) -> list[tuple[str, int, str]]:
    """(key, tier, id) rows by which names lead to `entity`: tier 0 its id
    (casefolded), 1 its name, 2 each alias (folded), 3 each of those
    compacted (letters and digits only), once per entity."""
    eid = entity["id"]
    rows = [(eid.casefold(), 0, eid), (fold(entity["name"]), 1, eid)]
    aliases = entity.get("aliases") or []
    rows.extend((fold(alias), 2, eid) for alias in aliases)
    compacted: list[str] = []
    for word in [eid, entity["name"], *aliases]:
        key = compact(word)
        if key and key not in compacted:
            compacted.append(key)
    rows.extend((key, 3, eid) for key in compacted)
    return rows
