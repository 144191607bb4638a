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


def test_chunks_are_json_dumps_with_an_indent_of_two():
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


def test_a_large_document_comes_in_pieces():
    document = {"relationships": [{"id": f"r{i}", "kinds": ["cloud", "hardware"], "amount": i * 1.5} for i in range(20000)]}
    pieces = list(jsonout.chunks(document))
    assert len(pieces) > 10
    assert "".join(pieces) == jsonout.dumps(document)
