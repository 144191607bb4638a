"""`aideps export --format neo4j -o DIR`: the two CSV files neo4j-admin
database import reads, with its header rows; each parses, every endpoint is
a node, awkward text round-trips, a formula is neutralised, rows are written
as they come, and the folder is written all at once or not at all."""

from __future__ import annotations

import csv
import os
import stat
import weakref
from pathlib import Path

import pytest

from aideps.knowledge.model import KnowledgeFile
from aideps.render import neo4j
from aideps.render.export import OutputError
from clihelp import run

# What neo4j-admin database import reads (its "CSV header format"): the node
# id column `<name>:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, and typed
# properties `<name>:<type>` (arrays `<type>[]`). Spelled out here, not read
# from the module, so that a change to the files shows up as a failure.
NODE_HEADER = ["id:ID", ":LABEL", "name", "type", "description", "aliases", "parents:string[]", "sources:string[]"]
RELATIONSHIP_HEADER = [
    ":START_ID", ":END_ID", ":TYPE", "id", "kind", "stage", "health", "certainty", "summary",
    "start:date", "start_text", "end:date", "end_text", "reported:date", "reported_text",
    "amount", "amount_values:double[]", "replaces:string[]", "sources:string[]",
]
AWKWARD = 'Makes chips, "the fastest", for:\nclouds, labs; and phones\r\nalike'
HOSTILE = '=HYPERLINK("http://evil.example","click")'


def _quote(source: str = "s1") -> dict:
    return {"source": source, "quote": "A sentence of the article."}


def _data() -> dict:
    """A small format-2 file in the store's shape (validated by the model)."""
    raw = {
        "format": 2,
        "sources": [{"id": "s1", "title": "One", "date": "2024-11"}, {"id": "s2", "title": "Two", "date": "2023"}],
        "entities": [
            {"id": "chipco", "name": "ChipCo", "type": "company", "description": AWKWARD, "aliases": ["Chip Co", "CC"],
             "provenance": [_quote()]},
            {"id": "chipco-cloud", "name": "ChipCo Cloud", "type": "cloud", "description": "Its cloud.",
             "parents": ["chipco"], "provenance": [_quote("s2")]},
            {"id": "lab", "name": "A Lab", "type": "lab", "description": HOSTILE, "provenance": [_quote()]},
        ],
        "relationships": [
            {"id": "lab-hw", "from": "lab", "to": "chipco", "kind": "hardware", "stage": "active", "health": "strained",
             "summary": "The lab runs on ChipCo's chips.", "start": "2023", "reported": "2024-11-02",
             "amounts": [{"amount": 13e9, "currency": "USD", **_quote()},
                         {"amount": 14000000000, "currency": "USD", "qualifier": "nearly", **_quote("s2")}],
             "provenance": [_quote()]},
            {"id": "lab-own", "from": "lab", "to": "lab", "kind": "in_house", "certainty": "seems",
             "summary": "Builds its own chips.", "replaces": ["chipco"], "provenance": [_quote("s2")]},
            {"id": "cloud-rival", "from": "chipco-cloud", "to": "lab", "kind": "rivalry",
             "summary": "They compete.", "provenance": [_quote()]},
        ],
    }
    return KnowledgeFile.model_validate(raw).model_dump(by_alias=True)


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream, strict=True))


def _table(path: Path) -> list[dict]:
    header, *rows = _rows(path)
    assert all(len(row) == len(header) for row in rows), path
    return [dict(zip(header, row)) for row in rows]


@pytest.fixture
def written(tmp_path):
    data = _data()
    result = neo4j.write(tmp_path / "graph", data["entities"], data["relationships"])
    return tmp_path / "graph", result


def test_headers_are_what_neo4j_admin_reads(written):
    folder, result = written
    assert sorted(p.name for p in folder.iterdir()) == ["nodes.csv", "relationships.csv"]
    assert _rows(folder / "nodes.csv")[0] == NODE_HEADER
    assert _rows(folder / "relationships.csv")[0] == RELATIONSHIP_HEADER
    assert (result.node_count, result.relationship_count) == (3, 3)


def test_rows_parse_and_every_endpoint_is_a_node(written):
    folder, _ = written
    nodes = _table(folder / "nodes.csv")
    rels = _table(folder / "relationships.csv")
    ids = [n["id:ID"] for n in nodes]
    assert len(ids) == len(set(ids)) == 3
    assert {r[":START_ID"] for r in rels} | {r[":END_ID"] for r in rels} <= set(ids)
    assert [r[":TYPE"] for r in rels] == ["HARDWARE", "IN_HOUSE", "RIVALRY"]
    by_id = {n["id:ID"]: n for n in nodes}
    assert by_id["chipco-cloud"][":LABEL"] == "Entity;Cloud"
    assert by_id["chipco-cloud"]["parents:string[]"] == "chipco"
    assert by_id["chipco"]["aliases"] == "Chip Co; CC"


def test_relationship_properties(written):
    folder, _ = written
    hw, own, rival = _table(folder / "relationships.csv")
    assert (hw["stage"], hw["health"], hw["certainty"]) == ("active", "strained", "stated")
    assert (own["stage"], own["health"], own["certainty"]) == ("", "", "seems")  # missing: no property
    assert (hw["start:date"], hw["start_text"], hw["reported:date"], hw["end:date"]) == ("2023", "2023", "2024-11-02", "")
    assert hw["amount_values:double[]"] == "13000000000;14000000000"
    assert "$13B" in hw["amount"] and "nearly $14B" in hw["amount"]
    assert hw["sources:string[]"] == "s1;s2"
    assert own["replaces:string[]"] == "chipco"


def test_commas_quotes_and_newlines_round_trip(written):
    folder, _ = written
    by_id = {n["id:ID"]: n for n in _table(folder / "nodes.csv")}
    assert by_id["chipco"]["description"] == AWKWARD


def test_a_formula_is_neutralised_unless_raw(tmp_path, written):
    folder, _ = written
    by_id = {n["id:ID"]: n for n in _table(folder / "nodes.csv")}
    assert by_id["lab"]["description"] == "'" + HOSTILE
    data = _data()
    neo4j.write(tmp_path / "raw", data["entities"], data["relationships"], raw=True)
    by_id = {n["id:ID"]: n for n in _table(tmp_path / "raw" / "nodes.csv")}
    assert by_id["lab"]["description"] == HOSTILE


def test_an_endpoint_without_an_entity_gets_one_node(tmp_path):
    data = _data()
    only_lab = [e for e in data["entities"] if e["id"] == "lab"]
    looked_up = []

    def entity(eid):
        looked_up.append(eid)
        return next((e for e in data["entities"] if e["id"] == eid), None)

    rels = data["relationships"] + [dict(data["relationships"][0], id="ghost", to="nowhere")]
    result = neo4j.write(tmp_path / "g", only_lab, rels, entity=entity)
    nodes = _table(tmp_path / "g" / "nodes.csv")
    assert [n["id:ID"] for n in nodes] == ["lab", "chipco", "chipco-cloud", "nowhere"]
    assert sorted(looked_up) == ["chipco", "chipco-cloud", "nowhere"]  # each once
    assert nodes[-1][":LABEL"] == "Entity" and nodes[-1]["name"] == "nowhere"
    assert result.node_count == 4 and result.relationship_count == 4


def test_rows_are_written_as_they_come(tmp_path):
    """Relationships are let go once written: at most a couple are alive at
    any time, however many pass (counted with weak references)."""
    template = _data()["relationships"][0]

    class Rel(dict):
        pass

    refs: list[weakref.ref] = []
    most = 0

    def stream():
        nonlocal most
        for n in range(2000):
            most = max(most, sum(1 for ref in refs if ref() is not None))
            rel = Rel(template, id=f"r{n}")
            refs.append(weakref.ref(rel))
            yield rel

    entities = [{"id": "lab", "name": "Lab"}, {"id": "chipco", "name": "ChipCo"}]
    result = neo4j.write(tmp_path / "g", entities, stream())
    assert result.relationship_count == 2000
    assert len(_table(tmp_path / "g" / "relationships.csv")) == 2000
    assert most <= 2


def test_a_failure_leaves_the_folder_as_it_was(tmp_path, written):
    folder, _ = written
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken():
        yield _data()["relationships"][0]
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left on device"):
        neo4j.write(folder, _data()["entities"], broken())
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # and no temporary file left


def test_refuses_what_every_export_refuses(tmp_path):
    data = _data()
    knowledge = tmp_path / "entities.yaml"
    knowledge.write_text("format: 2\n", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "nodes.csv").symlink_to(knowledge)
    with pytest.raises(OutputError, match="knowledge file being read"):
        neo4j.write(folder, data["entities"], data["relationships"], protected=[knowledge], force=True)
    assert knowledge.read_text(encoding="utf-8") == "format: 2\n"
    with pytest.raises(OutputError, match="symbolic link"):
        neo4j.write(folder, data["entities"], data["relationships"])
    (folder / "nodes.csv").unlink()
    (folder / "nodes.csv").write_text("old\n", encoding="utf-8")
    os.chmod(folder / "nodes.csv", stat.S_IRUSR)
    with pytest.raises(OutputError, match="read-only"):
        neo4j.write(folder, data["entities"], data["relationships"])
    assert not (folder / "relationships.csv").exists()  # refused before a byte is written
    neo4j.write(folder, data["entities"], data["relationships"], force=True)
    assert _rows(folder / "nodes.csv")[0] == NODE_HEADER
    with pytest.raises(OutputError, match="writes a folder"):
        neo4j.write(knowledge, data["entities"], data["relationships"])
    with pytest.raises(OutputError, match="does not exist"):
        neo4j.write(tmp_path / "no" / "such", data["entities"], data["relationships"])


def test_import_command_names_both_files():
    command = neo4j.import_command("out")
    assert command.startswith("neo4j-admin database import full aideps ")
    assert "--nodes=out/nodes.csv" in command and "--relationships=out/relationships.csv" in command
    assert "--multiline-fields=true" in command


# ---- the command line ----------------------------------------------------------------


def test_cli_neo4j_needs_a_folder():
    result = run("export", "--format", "neo4j")
    assert result.exit_code == 2
    assert "-o DIR" in result.stderr


def test_cli_neo4j_never_writes_onto_the_knowledge_file(mini_path):
    before = mini_path.read_bytes()
    result = run("export", "--format", "neo4j", "-o", str(mini_path))
    assert result.exit_code == 1
    assert "knowledge file being read" in result.stderr
    assert mini_path.read_bytes() == before


def test_cli_neo4j_ignores_the_folder_name_extension():
    from aideps.render import export as exports

    assert exports.format_for("graph.d", "neo4j") == "neo4j"
    assert exports.format_for("import.csv", "neo4j") == "neo4j"


def test_cli_neo4j_writes_the_whole_graph(tmp_path, mini_path):
    import yaml

    result = run("export", "--format", "neo4j", "-o", str(tmp_path / "g"))
    assert result.exit_code == 0, result.stderr
    assert "neo4j-admin database import full" in result.stderr
    raw = yaml.safe_load(mini_path.read_text(encoding="utf-8"))
    nodes = _table(tmp_path / "g" / "nodes.csv")
    rels = _table(tmp_path / "g" / "relationships.csv")
    assert {n["id:ID"] for n in nodes} == {e["id"] for e in raw["entities"]}
    assert [r["id"] for r in rels] == [r["id"] for r in raw["relationships"]]
