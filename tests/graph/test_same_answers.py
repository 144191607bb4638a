"""The same queries, written once against the store protocol, give the same
answers on the validated dict (memory), on the compiled index, and on a view
as of a date after everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from aideps import analysis
from aideps.analysis import time
from aideps.graph import asof, sorting, store
from aideps.graph.core import Graph
from aideps.graph.stream import Stream
from aideps.graph.where import NO_STAGE, Where
from aideps.knowledge import vocab

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AFTER_EVERYTHING = "9999"


def _answers(g: Graph, ids: list[str]) -> dict:
    out: dict = {
        "entity_list": g.entity_list(),
        "entity_list_chips": g.entity_list(["chip", "company"]),
        "search": [g.search(text) for text in ("cloud", "in", "billion")],
        "stats": analysis.stats(g),
        "stats streamed": {
            **(s := analysis.stats(g, stream=True)), "single_points": list(s["single_points"]), "in_house": list(s["in_house"])
        },
        "stats_all": analysis.stats(g, where=Where.of((*vocab.STAGES, NO_STAGE))),
        "timeline": analysis.timeline(g),
        "source_list": g.source_list(),
    }
    assert out["stats streamed"] == out["stats"]
    for a, b in (("2022", "2024-11"), ("2019", "2030"), ("2024", "2024")):
        held = analysis.diff(g, a, b)
        for runs in (sorting.Sorter.HELD, 3):  # sorted in memory, and in runs of 3 on disk (a whole file's)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(sorting.Sorter, "HELD", runs)
                patch.setattr(sorting.Sorter, "BLOCK", 2)
                streamed = analysis.diff(g, a, b, stream=True)
                assert {k: list(v) if isinstance(v, Stream) else v for k, v in streamed.items()} == held
                grouped = analysis.diff(g, a, b, stream=True, grouped=True)  # as the text is given it
                for name in time.DIFF_SECTIONS:
                    items = list(grouped[name])
                    # a kind at a time, in vocab.KIND_ORDER, each item with its place in the section
                    ranks = [vocab.KIND_ORDER.get(item["kind"], 99) for item in items]
                    assert ranks == sorted(ranks)
                    assert grouped[name].kinds == {kind: ranks.count(vocab.KIND_ORDER.get(kind, 99)) for kind in grouped[name].kinds}
                    by_place = sorted(items, key=lambda item: item["order"])
                    assert [item["order"] for item in by_place] == list(range(len(items)))
                    assert [{k: v for k, v in item.items() if k != "order"} for item in by_place] == held[name]
                assert list(grouped["undated"]) == held["undated"]
        out[f"diff {a} {b}"] = held
    for held, runs in ((time.HELD, sorting.Sorter.HELD), (0, sorting.Sorter.HELD), (0, 3)):
        # kept once read (a small file), and read again as written (a large
        # one), its events sorted in runs of 3 on disk
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(time, "HELD", held)
            patch.setattr(sorting.Sorter, "HELD", runs)
            patch.setattr(sorting.Sorter, "BLOCK", 2)
            streamed = analysis.timeline(g, stream=True)
        assert (len(streamed["events"]), len(streamed["undated"])) == (len(out["timeline"]["events"]), len(out["timeline"]["undated"]))
        assert {**streamed, "events": list(streamed["events"]), "undated": list(streamed["undated"])} == out["timeline"]
    for kind in vocab.PARTNERSHIP_KINDS:
        out[f"partnership {kind}"] = g.partnership(kind)
        for sort in ("name", "date", "amount"):  # streamed (as the commands ask for a whole file's): the same
            streamed = g.partnership(kind, sort=sort, stream=True)
            out[f"partnership {kind} {sort} streamed"] = {k: list(v) if isinstance(v, Stream) else v for k, v in streamed.items()}
            assert out[f"partnership {kind} {sort} streamed"] == g.partnership(kind, sort=sort)
        kept = g.partnership(kind, where=Where.of(["active"]), stream=True)
        assert list(kept["relationships"]) == g.partnership(kind, where=Where.of(["active"]))["relationships"]
    for eid in ids:
        out[f"profile {eid}"] = g.profile(eid)
        streamed = g.profile(eid, stream=True)
        assert {**streamed, "relationships": list(streamed["relationships"])} == out[f"profile {eid}"]
        out[f"tree {eid}"] = g.tree(eid)
        out[f"tree reverse {eid}"] = g.tree(eid, reverse=True, depth=2)
        out[f"impact {eid}"] = analysis.impact(g, eid)
        out[f"timeline {eid}"] = analysis.timeline(g, eid)
        out[f"hardware {eid}"] = g.partnership("hardware", eid, sort="amount")
        for other in ids[:3]:
            out[f"why {eid} {other}"] = analysis.why(g, eid, other)
    return out


def _without_as_of(value):
    """A view's answers without the `as_of` object it adds to each relationship."""
    if isinstance(value, dict):
        edge = "kind" in value and "from" in value  # not a fact, whose `as_of` is its own
        return {k: _without_as_of(v) for k, v in value.items() if not (edge and k == "as_of")}
    if isinstance(value, list):
        return [_without_as_of(v) for v in value]
    return value


def _stood_throughout(data: dict) -> dict:
    """The data without what a view as of a date after everything leaves out
    (relationships that ended, and those nothing dates)."""
    view = asof.at(Graph(data), AFTER_EVERYTHING)
    kept = {rel["id"] for rel in view.relationships}
    return {**data, "relationships": [rel for rel in data["relationships"] if rel["id"] in kept]}


@pytest.mark.parametrize("path", [FIXTURES / "mini.yaml", FIXTURES / "time.yaml", None], ids=["mini", "time", "bundled"])
def test_memory_index_and_as_of_give_the_same_answers(path):
    path = path or store.bundled_path()
    data = store.load(path, use_cache=False)
    memory, index = Graph(data), store.graph(path)
    ids = list(memory.entities)[:12]
    assert _answers(index, ids) == _answers(memory, ids)
    # As of a date after everything: what stood throughout, each relationship
    # with its last status, whichever store the view is on.
    on_memory, on_index = asof.at(memory, AFTER_EVERYTHING), asof.at(index, AFTER_EVERYTHING)
    seen = _answers(on_memory, ids)
    assert _answers(on_index, ids) == seen
    assert _without_as_of(seen) == _answers(Graph(_stood_throughout(data)), ids)
    assert on_memory.as_of_summary() == on_index.as_of_summary()
    assert memory.as_of_summary() is None and index.as_of_summary() is None


def test_a_view_after_everything_of_data_that_all_stands_changes_nothing(mini_data):
    data = _stood_throughout(mini_data)
    plain = Graph(data)
    view = asof.at(plain, AFTER_EVERYTHING)
    ids = list(plain.entities)
    assert _without_as_of(_answers(view, ids)) == _answers(plain, ids)
    assert view.as_of_summary()["left_out"] == {"not_yet": 0, "ended": 0, "undated": 0}


def test_answers_are_the_same_when_the_index_forgets_what_it_read(monkeypatch):
    """A walk over much of a large file drops the relationships it has read
    (aideps.index.read.KEPT_RELATIONSHIPS) and reads them again when asked:
    the answers must not change."""
    from aideps.index import read

    path = FIXTURES / "time.yaml"
    ids = list(Graph(store.load(path, use_cache=False)).entities)[:12]
    kept = _answers(store.graph(path), ids)
    monkeypatch.setattr(read, "KEPT_RELATIONSHIPS", 2)
    forgetting = store.graph(path)
    assert _answers(forgetting, ids) == kept
    assert len(forgetting.store.index.rels) < len(forgetting.relationships)  # it did forget


@pytest.mark.parametrize("path", [FIXTURES / "mini.yaml", FIXTURES / "time.yaml", None], ids=["mini", "time", "bundled"])
def test_a_trees_leaves_told_by_heads_are_those_told_by_reading(path, monkeypatch):
    """Whether a leaf of a tree has anything below it (its ▸ marker: cut by
    the depth, or repeated) is told from the relationships' heads; reading
    them all (as before) gives the same trees, with groups, parts, filters
    and entity conditions, on every store."""
    from aideps.graph import conditions, trees

    path = path or store.bundled_path()
    data = store.load(path, use_cache=False)
    graphs = [Graph(data), store.graph(path), asof.at(store.graph(path), "2024-06")]
    choices = [
        {},
        {"parts": False},
        {"where": Where.of(["active"])},
        {"where": Where.of(None, ["strained"])},
        {"kinds": ["hardware", "cloud"]},
        {"entities": conditions.parse_all(["type=company"])},
        {"entities": conditions.parse_all(["type!=group"])},
    ]
    told = 0
    real = trees.below_by_heads

    def counting(*args):
        nonlocal told
        found = real(*args)
        told += found is not None
        return found

    for g in graphs:
        having = g.store.having
        for eid in list(g.entities):
            for reverse in (False, True):
                for options in choices:
                    for depth, primed in ((0, 256), (1, 256), (1, 1), (2, 2)):
                        # primed: the children whose reads are made at once (Store.prefetch, Store.having)
                        monkeypatch.setattr(trees, "PRIMED", primed)
                        monkeypatch.setattr(trees, "below_by_heads", counting)
                        monkeypatch.setattr(g.store, "having", having)
                        fast = g.tree(eid, reverse=reverse, depth=depth, **options)
                        monkeypatch.setattr(trees, "below_by_heads", lambda *args: None)
                        monkeypatch.setattr(g.store, "having", lambda *args: set())
                        assert fast == g.tree(eid, reverse=reverse, depth=depth, **options), (eid, reverse, options, depth)
    assert told > 100  # the heads did tell, most of the time


@pytest.mark.parametrize("path", [FIXTURES / "time.yaml", None], ids=["time", "bundled"])
def test_a_tree_drawn_as_text_or_csv_needs_no_claims(path):
    """Text and CSV trees are built from views without claims (no quotes,
    sources or attribution: a hub's tree has tens of thousands of lines);
    they draw exactly what the full views draw, as of a date too."""
    import io

    from aideps.render import csvout
    from aideps.render import tree as drawing

    path = path or store.bundled_path()
    for g in (store.graph(path), asof.at(store.graph(path), "2024-06")):
        for eid in list(g.entities)[:25]:
            for reverse in (False, True):
                full, brief = g.tree(eid, reverse=reverse), g.tree(eid, reverse=reverse, claims=False)
                assert list(drawing.lines(brief)) == list(drawing.lines(full))
                texts = []
                for result in (full, brief):
                    out = io.StringIO()
                    csvout.tree(result, out)
                    texts.append(out.getvalue())
                assert texts[0] == texts[1]
                vias = [e for node in _nodes(brief["tree"]) for e in node["via"]]
                assert all("provenance" not in e for e in vias)


def _nodes(node: dict):
    yield node
    for child in node["children"]:
        yield from _nodes(child)


def _listed(node: dict) -> dict:
    """A tree node with its children read, depth first, into lists (as a writer reads a streamed tree)."""
    return {**node, "children": [_listed(child) for child in node["children"]]}


@pytest.mark.parametrize("path", [FIXTURES / "mini.yaml", FIXTURES / "time.yaml", None], ids=["mini", "time", "bundled"])
def test_a_streamed_tree_read_depth_first_is_the_tree(path):
    """`tree(stream=True)` (the command line's) builds each node's children
    as they are read: read depth first, as every writer reads it, the same
    nodes and the same markers (repeated, cycle, truncated) as the lists."""
    path = path or store.bundled_path()
    streamed_any = False
    for g in (store.graph(path), asof.at(store.graph(path), "2024-06")):
        for eid in list(g.entities):
            for reverse in (False, True):
                for options in ({}, {"depth": 1}, {"depth": 2, "parts": False}, {"claims": False}):
                    held = g.tree(eid, reverse=reverse, **options)
                    streamed = g.tree(eid, reverse=reverse, stream=True, **options)
                    streamed_any = streamed_any or isinstance(streamed["tree"]["children"], Stream)
                    assert {**streamed, "tree": _listed(streamed["tree"])} == held, (eid, reverse, options)
    assert streamed_any


def test_a_streamed_trees_children_are_read_once():
    g = store.graph(store.bundled_path())
    result = g.tree("openai", stream=True)
    children = result["tree"]["children"]
    assert len(children) > 1 and len(list(children)) == len(children)
    with pytest.raises(RuntimeError, match="read once"):
        list(children)
