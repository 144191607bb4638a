"""aideps.index.packing: a record read back from the index is the record
written, field for field and in order, however it was stored."""

from __future__ import annotations

import marshal

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticUndefined

from aideps.graph import store
from aideps.index import packing
from aideps.knowledge import model


def _shape_of(cls) -> dict:
    """A model's fields as the index's shapes write them: dumped name -> default."""
    out = {}
    for name, field in cls.model_fields.items():
        if field.exclude:
            continue
        if field.default_factory is list:
            default = packing._EMPTY
        elif field.default is PydanticUndefined:
            default = packing._REQUIRED
        else:
            default = field.default
        out[field.alias or name] = default
    return out


def test_the_shapes_are_the_models():
    """A model changed without this module would only store its records
    whole (larger, never wrong); this says so at once."""
    assert packing.SHAPES[0] == _shape_of(model.Relationship)
    assert list(packing.SHAPES[0]) == list(_shape_of(model.Relationship))
    assert packing.SHAPES[1] == _shape_of(model.Entity)
    assert list(packing.SHAPES[1]) == list(_shape_of(model.Entity))
    assert packing.PROVENANCE == _shape_of(model.Provenance)
    assert list(packing.PROVENANCE) == list(_shape_of(model.Provenance))


def _round_trip(section: str, record):
    return packing.unpack(marshal.loads(marshal.dumps(packing.pack(section, record), 4)))


def _same(a, b) -> bool:
    """Equal, of the same types, and dicts in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


values = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2), st.floats(allow_nan=False), st.sampled_from(["stated", "author", "", "x"]),
    st.lists(st.integers(0, 1), max_size=2),
)


@st.composite
def records(draw, shape: dict):
    out = {}
    for key, default in shape.items():
        if key == "provenance":
            out[key] = draw(st.lists(st.one_of(provenance_items, st.dictionaries(st.text(max_size=2), values, max_size=2)), max_size=3))
        else:
            pick = [values]
            if default is not packing._REQUIRED:
                pick.append(st.just([] if default is packing._EMPTY else default))
            out[key] = draw(st.one_of(*pick))
    return out


provenance_items = st.fixed_dictionaries({k: values for k in packing.PROVENANCE}) | st.fixed_dictionaries(
    {k: st.just(None if v is packing._REQUIRED else v) for k, v in packing.PROVENANCE.items()}
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([("relationships", 0), ("entities", 1)]).flatmap(lambda s: st.tuples(st.just(s[0]), records(packing.SHAPES[s[1]]))))
def test_any_record_comes_back_as_it_was_written(case):
    section, record = case
    back = _round_trip(section, record)
    assert _same(back, record)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "from", "to", "kind", "summary", "extra"]), values, max_size=6))
def test_a_record_of_other_fields_is_stored_whole(record):
    assert packing.pack("relationships", record) is record
    assert _same(_round_trip("relationships", record), record)


def test_each_read_has_its_own_empty_lists():
    rel = _round_trip("relationships", store.load(store.bundled_path(), use_cache=False)["relationships"][0])
    again = packing.unpack(packing.pack("relationships", rel))
    rel["amounts"].append("changed")
    rel["provenance"][0]["note"] = "changed"
    assert again["amounts"] == [] and again["provenance"][0]["note"] != "changed"
    assert packing.unpack(packing.pack("relationships", again))["amounts"] == []


def test_the_bundled_records_come_back_whole_and_smaller():
    data = store.load(store.bundled_path(), use_cache=False)
    for section in ("relationships", "entities", "sources"):
        whole = packed = 0
        for record in data[section]:
            assert _same(_round_trip(section, record), record)
            whole += len(marshal.dumps(record, 4))
            packed += len(marshal.dumps(packing.pack(section, record), 4))
        # (sources are stored whole: a few, long)
        assert packed < {"relationships": 0.8, "entities": 0.85, "sources": 1.01}[section] * whole, section
