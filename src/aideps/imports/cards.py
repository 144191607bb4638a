"""Reading Stanford CRFM's Ecosystem Graphs (assets/*.yaml): one compact
record per card, file by file, in a fixed order (files by name, cards as
written), with every `{value, explanation}` field unwrapped and counted.

Nothing is resolved here: a card's organizations are split, its date read,
its fields kept as the card says them. aideps.imports.ecosystem makes the
knowledge file of these records, aideps.imports.mess the report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from aideps.knowledge.model import check_partial_date

# The fields kept as facts, typed where the value allows.
FACT_FIELDS = ("license", "access", "modality", "size")
# Words after a comma that belong to the organization before it ("Continue Dev, Inc.").
_SUFFIXES = {"inc", "inc.", "ltd", "ltd.", "llc", "co.", "corp.", "gmbh", "s.a.", "sa"}
# Organizations that say no maker is known (a card's "organization: Unknown").
_NO_MAKER = {"unknown", "none", "n/a"}
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s*([kmbt])?\s*([A-Za-z]+)?(.*)$", re.IGNORECASE)
_MULTIPLIER = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
_EVENT_WORDS = (("announc", "announced"), ("releas", "released"), ("launch", "launched"), ("publish", "released"))


@dataclass
class Card:
    """One asset as its card says it."""

    file: str  # assets/openai.yaml
    position: int  # 1-based, in the file
    name: str
    type: str  # model, dataset, application (else the card's word)
    organizations: list[str]
    organization_text: str
    created: str | None  # a partial date, when the card gives a valid one
    created_raw: Any  # as written (None when absent)
    created_note: str | None
    url: str | None
    description: str | None
    dependencies: list[str]
    dependencies_note: str | None
    facts: list[dict] = field(default_factory=list)  # key, value, unit?, note?
    wrapped: list[str] = field(default_factory=list)  # fields written as {value, explanation}


def unwrap(value: Any) -> tuple[Any, str | None, bool]:
    """(value, explanation, wrapped) of a field that may be `{value, explanation}`."""
    if isinstance(value, dict) and ("value" in value or "explanation" in value):
        note = value.get("explanation")
        return value.get("value"), (" ".join(str(note).split()) if note else None), True
    return value, None, False


def split_organizations(text: str) -> list[str]:
    """The makers a card names, split on commas as the data writes them
    ("Meta, CMU, UC Berkeley"); "Inc." and the like stay with the name before
    them, and a last "and X" is X. Order kept, repeats dropped."""
    parts: list[str] = []
    for raw in text.split(","):
        part = " ".join(raw.split()).strip()
        if part.lower().startswith("and "):
            part = part[4:].strip()
        part = part.rstrip(".") if part.endswith(".") and part.lower() not in _SUFFIXES else part
        if not part or part.lower() in _NO_MAKER:
            continue
        if parts and part.lower() in _SUFFIXES:
            parts[-1] = f"{parts[-1]}, {part}"
        elif part not in parts:
            parts.append(part)
    return parts


def read_date(value: Any) -> tuple[str | None, str | None]:
    """(partial date, problem) of a created_date value."""
    if value is None:
        return None, "no date"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.lower() in ("", "unknown", "none", "n/a"):
            return None, f"'{text}'"
    else:
        return None, f"not a date: {value!r}"
    problem = check_partial_date(text)
    if problem:
        return None, problem
    return text, None


def event_kind(note: str | None) -> str:
    """released or announced, as the date's explanation says; else other (the card's "created")."""
    words = (note or "").lower()
    for stem, kind in _EVENT_WORDS:
        if stem in words:
            return kind
    return "other"


def typed_fact(key: str, value: Any) -> dict | None:
    """A fact of one of FACT_FIELDS: a size "175B parameters" is 175000000000 with unit parameters;
    other values are kept as written. None for an empty or unknown value."""
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return {"key": key, "value": value}
    text = " ".join(str(value).split())
    if text.lower() in ("", "unknown"):
        return None
    if key == "size":
        match = _NUMBER.match(text)
        rest = match.group(4).strip() if match else ""
        if match and match.group(3) and (not rest or re.fullmatch(r"\([^()]+\)", rest)):
            number = float(match.group(1)) * _MULTIPLIER.get((match.group(2) or "").lower(), 1)
            shown: int | float = int(number) if number == int(number) else number
            fact: dict[str, Any] = {"key": key, "value": shown, "unit": match.group(3)}
            if rest:
                fact["note"] = rest[1:-1]  # "(dense)"
            return fact
    return {"key": key, "value": text}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def card_of(file: str, position: int, raw: dict) -> Card | None:
    """The Card of one entry, or None when it has no usable name."""
    wrapped = sorted(k for k, v in raw.items() if unwrap(v)[2])
    name = _text(unwrap(raw.get("name"))[0])
    if not name:
        return None
    org_value, _, _ = unwrap(raw.get("organization"))
    org_text = _text(org_value) or ""
    created_raw, created_note, _ = unwrap(raw.get("created_date"))
    created, _problem = read_date(created_raw)
    deps_value, deps_note, _ = unwrap(raw.get("dependencies"))
    deps: list[str] = []
    for dep in deps_value if isinstance(deps_value, list) else []:
        text = _text(dep)
        if text:
            deps.append(text)
    facts = []
    for key in FACT_FIELDS:
        value, note, _ = unwrap(raw.get(key))
        fact = typed_fact(key, value)
        if fact is not None:
            if note:
                fact["note"] = f"{fact['note']}; {note}" if "note" in fact else note
            facts.append(fact)
    return Card(
        file=file,
        position=position,
        name=name,
        type=str(unwrap(raw.get("type"))[0] or "").strip().lower(),
        organizations=split_organizations(org_text),
        organization_text=org_text,
        created=created,
        created_raw=created_raw,
        created_note=created_note,
        url=_text(unwrap(raw.get("url"))[0]),
        description=_text(unwrap(raw.get("description"))[0]),
        dependencies=deps,
        dependencies_note=deps_note,
        facts=facts,
        wrapped=wrapped,
    )


def asset_files(folder: Path) -> list[Path]:
    """assets/*.yaml of a checkout (or of DIR itself when it is the assets folder), by name."""
    assets = folder / "assets"
    where = assets if assets.is_dir() else folder
    return sorted(list(where.glob("*.yaml")) + list(where.glob("*.yml")), key=lambda p: p.name)


def read_cards(
    files: list[Path], *, on_file: Callable[[Path], None] | None = None, skipped: list | None = None
) -> Iterator[Card]:
    """Every card of `files`, one file in memory at a time. Entries that are
    not cards go to `skipped` as (file, position, why)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in files:
        label = f"assets/{path.name}"
        with open(path, "rb") as handle:
            reader = loader(handle)  # a safe loader, fast where libyaml is there
            try:
                data = reader.get_single_data()
            finally:
                reader.dispose()
        entries = data if isinstance(data, list) else []
        if data is not None and not isinstance(data, list) and skipped is not None:
            skipped.append((label, 0, "the file is not a list of cards"))
        for position, raw in enumerate(entries, 1):
            card = card_of(label, position, raw) if isinstance(raw, dict) else None
            if card is None:
                if skipped is not None:
                    skipped.append((label, position, "an entry without a name"))
                continue
            yield card
        if on_file is not None:
            on_file(path)
