"""aideps.graph.core on tests/fixtures/mini.yaml, in the validated-data shape."""

from __future__ import annotations

import json

import pytest

from aideps.knowledge import vocab
from aideps.graph.where import Where
from aideps.graph.core import Ambiguous, Graph, NotFound, completions


# ---- lookup -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["orbit-labs", "Orbit Labs", "ORBIT LABS", "  orbit   labs ", "Orbit", "orbitai", "OrbitLabs"]
)
def test_resolve_by_id_name_or_alias_in_any_case(mini_graph, query):
    assert mini_graph.resolve(query) == "orbit-labs"


def test_resolve_ignores_punctuation_as_a_last_resort(mini_graph):
    assert mini_graph.resolve("gc h1") == "gc-h1"
    assert mini_graph.resolve("GCH1") == "gc-h1"


def test_unknown_name_suggests_the_closest(mini_graph):
    with pytest.raises(NotFound) as info:
        mini_graph.resolve("orbt-labs")
    assert info.value.suggestions[0] == "orbit-labs"
    assert str(info.value).startswith("no entity 'orbt-labs'; did you mean 'orbit-labs'")


def test_unknown_name_without_anything_close(mini_graph):
    with pytest.raises(NotFound) as info:
        mini_graph.resolve("zzzzzz")
    assert info.value.suggestions == []
    assert "aideps search" in str(info.value)


def test_ambiguous_name_lists_candidates():
    data = {
        "sources": [],
        "entities": [
            {"id": "gemini-model", "name": "Gemini", "type": "model", "aliases": []},
            {"id": "gemini-app", "name": "Gemini", "type": "product", "aliases": []},
        ],
        "relationships": [],
    }
    with pytest.raises(Ambiguous) as info:
        Graph(data).resolve("gemini")
    assert [c["id"] for c in info.value.candidates] == ["gemini-app", "gemini-model"]
    assert "gemini-app (Gemini, product)" in str(info.value)
    # An id always wins.
    assert Graph(data).resolve("Gemini-App") == "gemini-app"


def test_completions_offer_ids_and_capitalised_names(mini_data):
    assert [v for v, _ in completions(mini_data, "orb")] == ["orbit-chat", "orbit-labs"]
    assert dict(completions(mini_data, "orb"))["orbit-labs"] == "Orbit Labs"
    assert [v for v, _ in completions(mini_data, "Orb")] == ["Orbit", "OrbitAI", "OrbitChat"]
    assert "Macrosoft Cloud" not in [v for v, _ in completions(mini_data, "M")]  # spaces need quoting
    assert completions(mini_data, "zz") == []


# ---- relationships ------------------------------------------------------------


def test_partnership_lists_one_kind_with_sources(mini_graph):
    result = mini_graph.partnership("hardware")
    assert {(e["from"]["id"], e["to"]["id"]) for e in result["relationships"]} == {
        ("orbit-labs", "greenchip"),
        ("macrosoft", "greenchip"),
        ("acme-cloud", "greenchip"),
        ("bolt-ai", "acme-tensor"),
    }
    edge = next(e for e in result["relationships"] if e["from"]["id"] == "orbit-labs")
    assert edge["amounts"][0]["amount"] == 5_400_000_000
    assert edge["amounts"][0]["source"] == {
        "id": "mini-independence",
        "title": "The Race for Mini Independence",
        "date": "2024-11",
    }


def test_hardware_lists_in_house_chips_that_replace_a_supplier(mini_graph):
    result = mini_graph.partnership("hardware")
    # Acme Tensor is a chip replacing GreenChip; Macrosoft's in-house models
    # replace a research partner, not a hardware supplier: not listed.
    assert [(e["from"]["id"], e["to"]["id"]) for e in result["in_house"]] == [("acme-cloud", "acme-tensor")]
    assert result["in_house"][0]["replaces"] == [{"id": "greenchip", "name": "GreenChip", "type": "company"}]
    assert "in_house" not in mini_graph.partnership("research")


def test_filters_by_entity_either_side_and_status(mini_graph):
    edges = mini_graph.partnership("research", entity="orbit-labs")["relationships"]
    assert {e["from"]["id"] for e in edges} == {"macrosoft", "fruit-co"}
    edges = mini_graph.partnership("research", where=Where.of(["announced"]))["relationships"]
    assert [e["id"] for e in edges] == ["fruit-co-orbit-labs-research"]
    assert mini_graph.partnership("research", where=Where.of(["ended"]))["relationships"] == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", ["acme-cloud", "orbit-labs", "macrosoft", "bolt-ai"]),
        ("amount", ["orbit-labs", "acme-cloud", "macrosoft", "bolt-ai"]),  # then undated, by date
        ("name", ["acme-cloud", "bolt-ai", "macrosoft", "orbit-labs"]),
    ],
)
def test_sorting(mini_graph, sort, expected):
    edges = mini_graph.partnership("hardware", sort=sort)["relationships"]
    assert [e["from"]["id"] for e in edges] == expected


def test_results_are_plain_json(mini_graph):
    for result in (
        mini_graph.profile("orbit-labs"),
        mini_graph.partnership("hardware"),
        mini_graph.tree("orbit-labs"),
        mini_graph.entity_list(),
        mini_graph.search("orbit"),
        mini_graph.source_list(),
    ):
        assert json.loads(json.dumps(result)) == result


# ---- profile ------------------------------------------------------------------


def test_profile_groups_relationships_in_kind_order(mini_graph):
    result = mini_graph.profile("orbit-labs")
    kinds = [e["kind"] for e in result["relationships"]]
    assert kinds == sorted(kinds, key=vocab.KINDS.index)
    assert kinds[0] == "research" and kinds[-1] == "rivalry"
    research = [e for e in result["relationships"] if e["kind"] == "research"]
    assert {e["direction"] for e in research} == {"in"}
    assert {e["counterpart"]["id"] for e in research} == {"macrosoft", "fruit-co"}


def test_profile_keeps_every_amount(mini_graph):
    result = mini_graph.profile("orbit-labs")
    investment = next(e for e in result["relationships"] if e["kind"] == "investment")
    assert [(a["amount"], a["qualifier"], a["source"]["id"]) for a in investment["amounts"]] == [
        (13_000_000_000, "exact", "mini-sands"),
        (14_000_000_000, "nearly", "mini-independence"),
    ]


def test_profile_summary(mini_graph):
    result = mini_graph.profile("orbit-labs")
    relies_on = {item["entity"]["id"]: item["kinds"] for item in result["relies_on"]}
    assert relies_on["macrosoft"] == ["investment"]
    assert relies_on["fruit-co"] == ["distribution"]
    assert "bolt-ai" not in relies_on  # rivalry is not a dependency
    assert [r["id"] for r in result["rivals"]] == ["bolt-ai"]
    assert {item["entity"]["id"] for item in result["relied_on_by"]} == {"macrosoft", "fruit-co"}


def test_profile_entity(mini_graph):
    entity = mini_graph.profile("macrosoft-cloud")["entity"]
    assert entity["parents"] == [{"id": "macrosoft", "name": "Macrosoft", "type": "company"}]
    children = mini_graph.profile("macrosoft")["entity"]["children"]
    assert [c["id"] for c in children] == ["macrosoft-cloud", "macro-models"]
    facts = mini_graph.profile("orbit-labs")["entity"]["facts"]
    assert facts[2]["key"] == "total_raised" and facts[2]["value"] == 18_170_000_000


# ---- trees --------------------------------------------------------------------


def _walk(node, depth=0):
    yield node, depth
    for child in node["children"]:
        yield from _walk(child, depth + 1)


def test_tree_marks_cycles_and_never_loops(mini_graph):
    tree = mini_graph.tree("orbit-labs")["tree"]
    nodes = list(_walk(tree))
    cycles = [(n["entity"]["id"], d) for n, d in nodes if n["marker"] == "cycle"]
    assert ("orbit-labs", 2) in cycles  # orbit-labs -> macrosoft -> orbit-labs
    assert all(not n["children"] for n, _ in nodes if n["marker"])


def test_tree_expands_a_subtree_once(mini_graph):
    tree = mini_graph.tree("greenchip", reverse=True)["tree"]
    nodes = [n for n, _ in _walk(tree)]
    expanded = [n["entity"]["id"] for n in nodes if n["children"]]
    assert len(expanded) == len(set(expanded))
    repeated = [n["entity"]["id"] for n in nodes if n["marker"] == "repeated"]
    assert "orbit-labs" in repeated


def test_tree_never_follows_rivalry(mini_graph):
    ids = {n["entity"]["id"] for n, _ in _walk(mini_graph.tree("orbit-labs")["tree"])}
    assert "bolt-ai" not in ids
    with pytest.raises(ValueError):
        mini_graph.tree("orbit-labs", kinds=["rivalry"])


def test_tree_depth_and_kinds(mini_graph):
    tree = mini_graph.tree("orbit-labs", depth=1)["tree"]
    assert max(d for _, d in _walk(tree)) == 1
    macrosoft = next(c for c in tree["children"] if c["entity"]["id"] == "macrosoft")
    assert macrosoft["truncated"] and not macrosoft["children"]
    only = mini_graph.tree("orbit-labs", kinds=["hardware"])["tree"]
    assert [c["entity"]["id"] for c in only["children"]] == ["greenchip"]
    ended = mini_graph.tree("orbit-labs", where=Where.of(["ended"]))["tree"]
    assert [c["entity"]["id"] for c in ended["children"]] == ["acme-cloud"]


def test_tree_groups_several_relationships_to_one_entity(mini_graph):
    tree = mini_graph.tree("bolt-ai")["tree"]
    acme = next(c for c in tree["children"] if c["entity"]["id"] == "acme-cloud")
    assert [e["kind"] for e in acme["via"]] == ["distribution", "investment"]


def test_reverse_tree(mini_graph):
    tree = mini_graph.tree("acme-tensor", reverse=True)["tree"]
    assert {c["entity"]["id"] for c in tree["children"]} == {"acme-cloud", "bolt-ai"}


# ---- search, lists, sources -----------------------------------------------------


def test_search_says_where_it_matched(mini_graph):
    matches = mini_graph.search("orbitai")["matches"]
    assert [(m["id"], m["field"]) for m in matches] == [("orbit-labs", "alias")]
    quote = next(m for m in mini_graph.search("five billion euros")["matches"])
    assert quote["field"] == "quote" and quote["source"]["id"] == "mini-independence"
    start, end = quote["span"]
    assert quote["text"][start:end].lower() == "five"


def test_search_needs_every_word(mini_graph):
    assert mini_graph.search("Acme Tensor silicon")["matches"]
    assert not mini_graph.search("Acme Tensor bananas")["matches"]
    summaries = [m for m in mini_graph.search("compute")["matches"] if m["field"] == "summary"]
    assert {m["type"] for m in summaries} == {"relationship"}


def test_entity_list_by_type(mini_graph):
    listed = mini_graph.entity_list()["entities"]
    types = [e["type"] for e in listed]
    assert types == sorted(types, key=vocab.ENTITY_TYPES.index)
    chips = mini_graph.entity_list(["chip"])["entities"]
    assert [e["id"] for e in chips] == ["acme-tensor", "gc-h1"]


def test_source_counts(mini_graph):
    counts = {s["id"]: s["supports"] for s in mini_graph.source_list()["sources"]}
    assert counts["mini-sands"] == {"entities": 3, "relationships": 2, "facts": 3}
    assert counts["mini-unused"] == {"entities": 0, "relationships": 0, "facts": 0}
