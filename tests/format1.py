"""Format 1 in the tests: a format-1 document's data said in format 2, as
`aideps migrate` says it (vocab.FORMAT1_STATUS; `parent: X` -> `parents: [X]`)."""

from __future__ import annotations

import copy

from aideps.knowledge import vocab


def _split(item: dict) -> dict:
    out = {}
    for key, value in item.items():
        if key == "status" and value in vocab.FORMAT1_STATUS:
            stage, health, certainty = vocab.FORMAT1_STATUS[value]
            if stage is not None:
                out["stage"] = stage
            if health is not None:
                out["health"] = health
            if certainty != "stated" or (stage is None and health is None):
                out["certainty"] = certainty
        else:
            out[key] = value
    return out


def to_format2(data: dict) -> dict:
    """The format-2 data of format-1 data (a new dict; `format: 2` first)."""
    data = copy.deepcopy(data)
    out: dict = {"format": 2}
    for key, value in data.items():
        if key == "relationships" and isinstance(value, list):
            value = [
                dict(_split(rel), **({"history": [_split(h) for h in rel["history"]]} if "history" in rel else {}))
                if isinstance(rel, dict)
                else rel
                for rel in value
            ]
        elif key == "entities" and isinstance(value, list):
            value = [
                {("parents" if k == "parent" else k): ([v] if v is not None else []) if k == "parent" else v for k, v in e.items()}
                if isinstance(e, dict)
                else e
                for e in value
            ]
        out[key] = value
    return out
