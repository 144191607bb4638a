"""--where: which entities list and tree keep, by a fact or a field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aideps.graph import conditions
from aideps.graph.conditions import ConditionError, parse

MODEL = {
    "id": "acme-lm",
    "name": "Acme LM",
    "type": "model",
    "parents": ["acme"],
    "facts": [
        {"key": "license", "value": "MIT"},
        {"key": "license", "value": "CC BY 4.0 (weights)"},
        {"key": "access", "value": "open"},
        {"key": "size", "value": 175_000_000_000, "unit": "parameters"},
    ],
}
BARE = {"id": "thing", "name": "Thing", "type": "unknown", "parents": [], "facts": []}


@pytest.mark.parametrize(
    ("text", "model", "bare"),
    [
        ("license=mit", True, False),  # any case
        ("license=Apache 2.0", False, False),
        ("license!=MIT", False, True),  # none of its values is; no fact at all passes
        ("license~cc by", True, False),  # contains
        ("access=open", True, False),
        ("size>=175B", True, False),
        ("size>175B", False, False),
        ("size<1T", True, False),
        ("size<=1.75e11", True, False),
        ("size=175000000000", True, False),
        ("license>1", False, False),  # a text never compares as a number
        ("type=model", True, False),
        ("type!=model", False, True),
        ("parent=acme", True, False),
        ("name~acme", True, False),
        ("id=thing", False, True),
    ],
)
def test_each_operator(text, model, bare):
    condition = parse(text)
    assert (condition.holds(MODEL), condition.holds(BARE)) == (model, bare)


def test_numbers_take_thousand_to_trillion():
    assert conditions.number("7B") == 7e9
    assert conditions.number("1.5k") == 1500
    assert conditions.number("2T") == 2e12
    assert conditions.number("1,000") == 1000
    assert conditions.number("seven") is None


@pytest.mark.parametrize("text", ["license", "=MIT", "license=", "size>=big", "9key=1", ""])
def test_a_condition_that_cannot_be_read_says_how_to_write_one(text):
    with pytest.raises(ConditionError) as error:
        parse(text)
    assert "KEY=VALUE" in str(error.value) or "not a number" in str(error.value)


@given(st.text(alphabet="abcMIT 0.-", max_size=8))
def test_equal_and_not_equal_split_every_entity(value):
    for entity in (MODEL, BARE):
        if not value.strip():
            continue
        assert parse(f"license={value}").holds(entity) != parse(f"license!={value}").holds(entity)


# ---- on the command line, on an imported catalogue ----------------------------------------


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    from test_import_ecosystem import FIXTURE, imported

    return imported(FIXTURE, tmp_path_factory.mktemp("where"))[0]


def _json(*args):
    from test_import_ecosystem import aideps

    done = aideps(*args, check=True)
    return json.loads(done.stdout)


def test_list_where_keeps_the_entities_whose_facts_match(catalogue):
    everything = _json("--data", str(catalogue), "list", "--json")["entities"]
    opened = _json("--data", str(catalogue), "list", "--where", "access=open", "--json")
    ids = {e["id"] for e in opened["entities"]}
    assert ids and ids < {e["id"] for e in everything}
    assert opened["filters"]["where"] == ["access=open"]
    both = _json("--data", str(catalogue), "list", "-w", "access=open", "-w", "license=MIT", "--type", "model", "--json")
    assert {e["id"] for e in both["entities"]} <= ids
    assert all(e["type"] == "model" for e in both["entities"])


def test_tree_where_follows_only_to_matching_entities(catalogue):
    full = _json("--data", str(catalogue), "tree", "acme-lm", "--reverse", "--json")
    only = _json("--data", str(catalogue), "tree", "acme-lm", "--reverse", "--where", "type=application", "--json")

    def names(node):
        return [c["entity"]["id"] for c in node["children"]] + [n for c in node["children"] for n in names(c)]

    assert set(names(only["tree"])) <= set(names(full["tree"]))
    kept = set(names(only["tree"]))
    assert kept, "the fixture has applications built on Acme LM"
    everything = {e["id"]: e for e in _json("--data", str(catalogue), "list", "--json")["entities"]}
    assert all(everything[eid]["type"] == "application" for eid in kept)


def test_a_bad_where_is_a_usage_error_naming_the_option(catalogue):
    from test_import_ecosystem import aideps

    done = aideps("--data", str(catalogue), "list", "--where", "size>=lots")
    assert done.returncode == 2
    assert "--where" in done.stderr and "not a number" in done.stderr and "Traceback" not in done.stderr
    done = aideps("--data", str(catalogue), "tree", "acme-lm", "--where", "access=nothing-like-this")
    assert done.returncode == 0 and "relies on nothing that meets access=nothing-like-this" in done.stdout
