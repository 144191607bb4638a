"""`aideps export` of the whole graph streams: the relationships come from
the store in export order as they are written, the nodes are read as they are
written, and nothing of the document is held whole. What a user sees must not
change: the same bytes as the document built in memory, the same counts on
stderr, and a failure halfway leaves no half-written file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from aideps import analysis
from aideps.graph import asof, store
from aideps.graph.core import Graph
from aideps.graph.stream import Stream
from aideps.knowledge import vocab
from aideps.render import export as exports
from clihelp import run

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"


def _order(rel: dict) -> tuple:
    return (vocab.KIND_ORDER[rel["kind"]], rel["from"], rel["to"], rel["id"])


def _graphs(mini_data) -> dict:
    indexed = store.graph(MINI)
    return {
        "memory": Graph(mini_data),
        "index": indexed,
        "bundled": store.graph(Path(store.bundled_path())),
        "as_of": asof.at(indexed, "2024-06"),
    }


@pytest.mark.parametrize("which", ["memory", "index", "bundled", "as_of"])
@pytest.mark.parametrize("form", ["json", "csv", "graphml", "dot", "mermaid"])
def test_streamed_text_is_the_held_documents_text(mini_data, which, form):
    g = _graphs(mini_data)[which]
    streamed = exports.document(g, analysis.selection(g), as_of=g.as_of_summary())
    assert isinstance(streamed["edges"], Stream) and isinstance(streamed["nodes"], Stream)
    held = exports.held(exports.document(g, analysis.selection(g), as_of=g.as_of_summary()))
    assert isinstance(held["edges"], list)
    assert exports.text(streamed, form) == exports.text(held, form)
    if form == "json":  # and what it holds: every entity in file order, every relationship in export order
        doc = json.loads(exports.text(streamed, form))
        assert [n["id"] for n in doc["nodes"]][: len(g.entities)] == list(g.entities)
        rels = list(g.store.relationships)
        assert [e["id"] for e in doc["edges"]] == [r["id"] for r in sorted(rels, key=_order)]
        assert doc["edges"] == json.loads(json.dumps([g.edge(r) for r in sorted(rels, key=_order)]))


def test_a_streamed_export_counts_what_it_wrote(mini_data):
    g = store.graph(MINI)
    doc = exports.document(g, analysis.selection(g))
    text = exports.text(doc, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert exports.count(doc["edges"]) == len(rows) - 1 == len(mini_data["relationships"])
    assert exports.count(doc["nodes"]) == 0  # CSV has a row per edge: the nodes were never read
    exports.text(doc, "json")
    assert exports.count(doc["nodes"]) == len(mini_data["entities"])


def test_filtered_nodes_are_the_ends_of_what_is_kept_in_file_order(mini_data):
    g = store.graph(MINI)
    chosen = analysis.selection(g, kinds=["hardware"])
    kept = [r for r in mini_data["relationships"] if r["kind"] == "hardware"]
    assert kept
    assert chosen["nodes"] == list(dict.fromkeys(e for r in kept for e in (r["from"], r["to"])))
    assert [r["id"] for r in chosen["relationships"]] == [r["id"] for r in sorted(kept, key=_order)]
    assert [e["id"] for e in chosen["entities"]] == chosen["nodes"]


def test_an_end_the_file_lacks_still_gets_a_node(mini_data):
    data = dict(mini_data)
    rel = dict(data["relationships"][0], id="to-nowhere", to="not-in-the-file")
    data["relationships"] = [*data["relationships"], rel]
    g = Graph(data)
    doc = json.loads(exports.text(exports.document(g, analysis.selection(g)), "json"))
    assert doc["nodes"][-1] == {
        "id": "not-in-the-file", "name": "not-in-the-file", "type": None, "parent": None, "parents": [],
        "description": None, "facts": [],
    }
    assert len(doc["nodes"]) == len(data["entities"]) + 1


@pytest.mark.parametrize("form", ["json", "csv", "graphml"])
def test_the_cli_writes_the_stream_to_a_file_and_says_how_much(tmp_path, form):
    target = tmp_path / f"all.{form}"
    result = run("--data", str(MINI), "export", "-o", str(target))
    assert result.exit_code == 0, result.output
    g = store.graph(MINI)
    entities, relationships = len(g.entities), len(g.relationships)
    assert f"({form}: {entities} entities, {relationships} relationships)" in result.stderr
    stdout = run("--data", str(MINI), "export", "-f", form)
    assert stdout.exit_code == 0
    assert target.read_text(encoding="utf-8") == stdout.stdout


def test_a_failure_halfway_leaves_the_old_file(tmp_path, monkeypatch):
    """The document is written as it is read: an error after the first
    pieces must not leave a half-written target (or a temporary file)."""
    target = tmp_path / "all.json"
    target.write_text("the old export\n", encoding="utf-8")
    real = Graph.edge
    calls = {"n": 0}

    def failing(self, rel, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(28, "No space left on device")
        return real(self, rel, *args, **kwargs)

    monkeypatch.setattr(Graph, "edge", failing)
    result = run("--data", str(MINI), "export", "-o", str(target))
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.json"]


def test_a_node_names_each_parent_once_streamed_or_held(mini_data):
    # A file may list a parent twice; the export's node names it once, as
    # show and list do, whether the nodes come from the records (held) or
    # from the entities' lines (streamed).
    data = dict(mini_data)
    child = next(e for e in data["entities"] if e.get("parents"))
    twice = dict(child, parents=[child["parents"][0], *child["parents"]])
    data["entities"] = [twice if e is child else e for e in data["entities"]]
    g = Graph(data)
    streamed = json.loads(exports.text(exports.document(g, analysis.selection(g)), "json"))
    held = json.loads(exports.text(exports.held(exports.document(g, analysis.selection(g))), "json"))
    node = next(n for n in streamed["nodes"] if n["id"] == child["id"])
    assert node["parents"] == list(dict.fromkeys(child["parents"]))
    assert node["parent"] == child["parents"][0]
    assert streamed == held


def test_graphml_drops_exactly_the_characters_xml_cannot_hold():
    # XML 1.0's Char production; the pattern spells its complement as ranges.
    def allowed(c: int) -> bool:
        return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or 0x10000 <= c <= 0x10FFFF

    edges = [0, 0x9, 0xA, 0xD, 0x20, 0xD7FF, 0xE000, 0xFFFD, 0x10000, 0x10FFFF]
    points = {p + d for p in edges for d in (-1, 0, 1) if 0 <= p + d <= 0x10FFFF}
    points |= set(range(0, 0x110000, 997))
    for c in sorted(points):
        assert (exports._xml(chr(c)) == "") == (not allowed(c)), hex(c)
