"""JSON written in pieces (render.jsonout.chunks) is exactly json.dumps(indent=2)."""

from __future__ import annotations

import json
import random

import pytest

from aideps.render import jsonout


def _document(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice(
            [None, True, False, 0, -5, 10**20, 1.5, 1e-7, float("nan"), float("inf"), -float("inf"), "",
             'a"b\\c\n\u2028ü中\x01', "x" * 50]
        )
    if roll < 0.7:
        return {rng.choice(["a", "b", "ü", 'k"', 1, 2.5, None, True]): _document(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return [_document(rng, depth + 1) for _ in range(rng.randint(0, 4))]


@pytest.fixture(params=["exact", "orjson"])
def encoder(request, monkeypatch):
    """The document written by the exact encoder alone, and with orjson from
    the first item (it is taken only once a document is large)."""
    if request.param == "orjson":
        monkeypatch.setattr(jsonout._Encoder, "FAST_AFTER", 0)
    return request.param


def test_chunks_are_json_dumps_with_an_indent_of_two(encoder):
    rng = random.Random(7)
    for _ in range(5000):
        document = _document(rng)
        try:
            expected = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        except ValueError:  # strict JSON: NaN and infinities are refused by both
            with pytest.raises(ValueError):
                "".join(jsonout.chunks(document))
            continue
        assert "".join(jsonout.chunks(document)) == expected


def test_a_large_document_comes_in_pieces(encoder):
    document = {"relationships": [{"id": f"r{i}", "kinds": ["cloud", "hardware"], "amount": i * 1.5} for i in range(20000)]}
    pieces = list(jsonout.chunks(document))
    assert len(pieces) > 10
    assert "".join(pieces) == jsonout.dumps(document)


def test_a_stream_is_written_as_the_list_it_yields(encoder):
    from aideps.graph.stream import Stream

    items = [{"id": f"r{i}", "amount": [1e-5, 2.5, 10**20][i % 3], "text": "ü\n"} for i in range(5)]
    document = {"nodes": Stream(lambda: iter(items)), "none": Stream(lambda: iter(())), "after": [1, {"x": None}]}
    expected = json.dumps({"nodes": items, "none": [], "after": [1, {"x": None}]}, indent=2, ensure_ascii=False) + "\n"
    assert jsonout.dumps(document) == expected
    assert document["nodes"].count == 5


def test_a_long_stream_comes_in_pieces_not_at_once(encoder):
    """Each item of a stream is flushed as it is written: a million-edge
    export must never gather its text in one piece."""
    from aideps.graph.stream import Stream

    made = {"n": 0}

    def items():
        for i in range(20000):
            made["n"] += 1
            yield {"id": f"r{i}", "kinds": ["cloud", "hardware"], "note": "x" * 40}

    pieces = jsonout.chunks({"edges": Stream(items)})
    first = next(pieces)
    assert 0 < made["n"] < 20000 and len(first) < 2 * jsonout._Encoder.CHUNK
    rest = "".join(pieces)
    assert json.loads(first + rest)["edges"][-1]["id"] == "r19999"


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - a test dependency
    given = None

if given is not None:
    _scalars = st.one_of(
        st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True), st.text(),
    )
    _documents = st.recursive(
        _scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)),
        max_leaves=20,
    )

    @settings(max_examples=1500, deadline=None)
    @given(_documents)
    def test_any_document_is_exactly_what_json_dumps_writes(document):
        """orjson writes what it can write as json does; the rest (tiny
        floats, NaN, huge integers, lone surrogates) is written exactly."""
        try:
            expected = json.dumps([document, {"k": document}], indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        except ValueError:
            expected = None
        for after in (0, jsonout._Encoder.FAST_AFTER):  # orjson from the first item, and not at all
            jsonout._Encoder.FAST_AFTER, before = after, jsonout._Encoder.FAST_AFTER
            try:
                if expected is None:
                    with pytest.raises(ValueError):
                        jsonout.dumps([document, {"k": document}])
                else:
                    assert jsonout.dumps([document, {"k": document}]) == expected
            finally:
                jsonout._Encoder.FAST_AFTER = before


def test_orjson_is_taken_only_for_a_large_document():
    import subprocess
    import sys

    code = (
        "import sys; from aideps.render import jsonout; "
        "jsonout.dumps({'a': [{'b': i} for i in range(100)]}); print('orjson' in sys.modules); "
        "jsonout.dumps({'a': [{'b': 'x' * 100} for i in range(10000)]}); print('orjson' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert found == ["False", "True"]


def test_a_long_list_takes_the_fast_encoder_from_its_first_item():
    # A list of a thousand dicts will pass FAST_AFTER anyway: orjson is taken
    # at its first item, and writes exactly what json writes.
    pytest.importorskip("orjson")
    from aideps.graph.stream import SizedStream
    from aideps.render import jsonout

    items = [{"id": f"e{i}", "amount": [1.5, 1e-05, i], "name": "ü\u2028"} for i in range(1000)]
    for long in (items, SizedStream(lambda: iter(items), len(items))):
        encoder = jsonout._Encoder()
        pieces = encoder.chunks({"nodes": long})
        first = next(pieces)
        assert encoder.fast, "orjson not taken at the start of a long list"
        assert first + "".join(pieces) + "\n" == json.dumps({"nodes": items}, indent=2, ensure_ascii=False) + "\n"
    short = jsonout._Encoder()
    "".join(short.chunks({"nodes": items[:10]}))
    assert short.fast is None  # a short document never imports orjson
