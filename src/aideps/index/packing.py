"""Records as the index stores them: without the fields that hold their
defaults.

A validated relationship or entity holds every field of its model
(aideps.knowledge.model), most of them empty: a generated relationship's
record is some 520 bytes in marshal, 200 of them the names and empty values
of fields it does not use. The index stores such a record as `(shape,
fields, nested)`: its fields that differ from the shape's defaults, and
whether its provenance entries are stored the same way. A record whose
fields are not exactly its shape's, in its order (another aideps's, a
model changed without this module), is stored whole, as a dict: what is
read back is always the record that was written, key order included
(tests/test_index_packing.py checks the shapes against the models).

Reading a packed record back is quicker than reading it whole (marshal
makes fewer objects): some 2.8 µs against 4.2 µs.
"""

from __future__ import annotations

import marshal

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

_REQUIRED = object()  # a field without a default: never left out
_EMPTY = object()  # a field whose default is an empty list (a fresh one each time it is read)

# Each shape: its fields in the model's order, each with its default.
_CLAIM = {"source": _REQUIRED, "quote": None, "field": None, "by": "author", "who": None, "comment": None, "hedge": "stated"}
PROVENANCE = {**_CLAIM, "note": None}
SHAPES: dict[int, dict[str, Any]] = {
    0: {  # aideps.knowledge.model.Relationship
        "id": _REQUIRED, "from": _REQUIRED, "to": _REQUIRED, "kind": _REQUIRED,
        "stage": None, "health": None, "certainty": "stated", "summary": _REQUIRED,
        "start": None, "end": None, "reported": None, "reported_note": None, "date_note": None,
        "amounts": _EMPTY, "terms": _EMPTY, "replaces": _EMPTY, "exceptions": _EMPTY, "history": _EMPTY,
        "provenance": _REQUIRED,
    },
    1: {  # aideps.knowledge.model.Entity
        "id": _REQUIRED, "name": _REQUIRED, "type": _REQUIRED, "aliases": _EMPTY, "description": None,
        "parents": _EMPTY, "members": _EMPTY, "roles": _EMPTY, "events": _EMPTY, "facts": _EMPTY,
        "consistency": _EMPTY, "provenance": _REQUIRED,
    },
}
SHAPE_OF = {"relationships": 0, "entities": 1}

_KEYS = {shape: tuple(fields) for shape, fields in SHAPES.items()}
_PROVENANCE_KEYS = tuple(PROVENANCE)
# What a packed record is filled from (a value for every field: the required
# ones are always in what was stored), and its fields that are fresh lists.
_FULL = {shape: {k: (None if v is _REQUIRED or v is _EMPTY else v) for k, v in fields.items()} for shape, fields in SHAPES.items()}
_LISTS = {shape: tuple(k for k, v in fields.items() if v is _EMPTY) for shape, fields in SHAPES.items()}
_PROVENANCE_FULL = {k: (None if v is _REQUIRED else v) for k, v in PROVENANCE.items()}


# Each field's default as a value to compare with, in the fields' order (an
# empty list for _EMPTY; a required field's matches nothing).
_DEFAULTS = {shape: tuple([] if v is _EMPTY else v for v in fields.values()) for shape, fields in SHAPES.items()}
_PROVENANCE_DEFAULTS = tuple(PROVENANCE.values())


def _left(fields: dict, defaults: tuple) -> dict:
    """The fields (in their shape's order) that do not hold their default:
    the same value of the same type (never 1 for True, 1.0 for 1)."""
    return {k: v for (k, v), d in zip(fields.items(), defaults) if not (v is d or (type(v) is type(d) and v == d))}


def pack(section: str, record: dict) -> Any:
    """What the index stores of `record` (a dict of `section`'s): packed when
    its fields are its shape's, else the record itself."""
    shape = SHAPE_OF.get(section)
    if shape is None or type(record) is not dict or tuple(record) != _KEYS[shape]:
        return record
    fields = _left(record, _DEFAULTS[shape])
    provenance = fields.get("provenance")
    nested = (
        type(provenance) is list
        and bool(provenance)
        and all(type(item) is dict and tuple(item) == _PROVENANCE_KEYS for item in provenance)
    )
    if nested:
        fields["provenance"] = [_left(item, _PROVENANCE_DEFAULTS) for item in provenance]
    return (shape, fields, nested)


def unpack(stored: Any) -> Any:
    """The record `pack` was given."""
    if type(stored) is not tuple:
        return stored
    shape, fields, nested = stored
    record = {**_FULL[shape], **fields}
    for key in _LISTS[shape]:
        if key not in fields:
            record[key] = []
    if nested:
        full = _PROVENANCE_FULL
        record["provenance"] = [{**full, **item} for item in record["provenance"]]
    return record


def load_record(blob: bytes) -> Any:
    """A record (a source, an entity, a relationship) as the index stored it: marshalled, packed."""
    return unpack(marshal.loads(blob))
