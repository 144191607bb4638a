"""Parts roll up the same way everywhere (aideps.graph.parts), and what
`show --brief`, `show --kind`, `list` and `search` look like (issue 12).

Azure, GitHub and Bing are parts of Microsoft; OpenAI Codex is a part of
OpenAI; in tests/fixtures/time.yaml Delta X1 is a part of Delta.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aideps.cli.typer_app import app
from aideps.graph import parts, store
from aideps.graph.life import Life
from aideps.knowledge import dates, vocab

runner = CliRunner()
TIME = Path(__file__).resolve().parent / "fixtures" / "time.yaml"


def run(*args: str):
    return runner.invoke(app, list(args), prog_name="aideps")


def doc(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def bundled(monkeypatch):
    monkeypatch.delenv("AIDEPS_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "1000")
    return store.graph(store.bundled_path())


@pytest.fixture
def timed(monkeypatch):
    monkeypatch.setenv("AIDEPS_DATA", str(TIME))
    monkeypatch.setenv("COLUMNS", "1000")


def vias(edges: list[dict]) -> dict[str, str | None]:
    return {e["id"]: (e["via"] or {}).get("id") for e in edges}


# ---- the one rule -------------------------------------------------------------------------


def test_parts_are_transitive_and_never_loop(bundled):
    found = parts.parts_of(bundled.store, "microsoft")
    assert {"azure", "github", "bing"} <= set(found)
    assert "microsoft" not in found
    assert len(found) == len(set(found))
    for part in found:
        assert parts.whole_of(bundled.store, part) == parts.whole_of(bundled.store, "microsoft")
        assert parts.is_part_of(bundled.store, part, ["microsoft"])


def test_show_microsoft_includes_its_parts_relationships(bundled):
    shown = doc("show", "microsoft")
    by_via = vias(shown["relationships"])
    cloud = [e for e in shown["relationships"] if e["kind"] == "cloud"]
    assert [(e["from"]["id"], e["to"]["id"], e["via"]) for e in cloud] == [
        ("openai", "azure", {"id": "azure", "name": "Azure", "type": "cloud"})
    ]
    assert {"github", "bing"} <= set(by_via.values())
    own = doc("show", "microsoft", "--no-parts")
    # Without parts, only what Microsoft inherits as a member of Big Tech comes through something.
    assert all(e["via"] is None or e["via"]["type"] == "group" for e in own["relationships"])
    assert {e["via"]["id"] for e in own["relationships"] if e["via"]} == {"big-tech"}
    assert not [e for e in own["relationships"] if e["kind"] == "cloud"]
    assert set(vias(own["relationships"])) < set(by_via)
    text = run("show", "microsoft").stdout
    assert re.search(r"← relied on by\s+OpenAI\s+via Azure\s+active, strained", text)
    assert "OpenAI (distribution, investment, cloud, negotiation, via GitHub Copilot, via Azure)" in text


def test_show_as_of_finds_a_part_relied_on(bundled):
    """Copilot -> Codex (a part of OpenAI) was reported 2023-03-30."""
    text = run("show", "openai", "--as-of", "2023-06").stdout
    assert "No relationships recorded" not in text
    assert re.search(r"← relied on by\s+GitHub Copilot\s+via OpenAI Codex", text)
    own = run("show", "openai", "--as-of", "2023-06", "--no-parts").stdout
    assert "relied on by:  nothing recorded" in own and "via OpenAI Codex" not in own


def test_tree_reverse_counts_what_relies_on_a_part(bundled, timed):
    text = run("tree", "delta", "--reverse").stdout
    assert re.search(r"Gamma\S*\s.*hardware · active · via Delta X1", text), text
    tree = doc("tree", "delta", "--reverse", "--no-parts")
    assert all(e["via"] is None for child in tree["tree"]["children"] for e in child["via"])


def test_tree_of_microsoft_goes_through_its_parts(bundled):
    tree = doc("tree", "microsoft", "--reverse")
    openai = next(c for c in tree["tree"]["children"] if c["entity"]["id"] == "openai")
    assert "azure" in vias(openai["via"]).values()
    assert tree["parts"] is True


def test_partnership_tables_agree_with_show(bundled):
    """For every entity with parts, research / distribution / hardware with
    --entity list exactly show's relationships of that kind, with the same via."""
    wholes = [eid for eid in bundled.entities if bundled.store.children(eid)]
    assert "microsoft" in wholes
    for eid in wholes:
        shown = vias(doc("show", eid)["relationships"])
        for kind in vocab.PARTNERSHIP_KINDS:
            table = doc(kind, "--entity", eid)
            rows = vias(table["relationships"])
            assert rows == {rid: via for rid, via in shown.items() if rid in rows}, (eid, kind)
            of_kind = {e["id"] for e in doc("show", eid, "--kind", kind)["relationships"]}
            assert set(rows) == of_kind, (eid, kind)
    table = run("distribution", "--entity", "microsoft").stdout
    assert re.search(r"OpenAI\s+GitHub Copilot\s+part of Microsoft\s+active", table)
    assert "part of Microsoft" not in run("distribution", "--entity", "microsoft", "--no-parts").stdout


def test_why_leaves_from_a_part_and_says_so(bundled):
    path = doc("why", "microsoft", "openai-codex")["paths"][0]
    assert path["length"] == 1
    assert set(vias(path["hops"][0]["relationships"]).values()) == {"github-copilot"}
    assert "via GitHub Copilot" in run("why", "microsoft", "openai-codex").stdout
    # Without parts, only the longer way: through OpenAI, which distributes through Copilot.
    own = doc("why", "microsoft", "openai-codex", "--no-parts")["paths"]
    assert [e["id"] for e in own[0]["entities"]] == ["microsoft", "openai", "github-copilot", "openai-codex"]


def test_why_names_its_kind_filter(bundled):
    result = run("why", "microsoft", "nvidia", "--kind", "research")
    assert result.exit_code == 1
    assert "Microsoft does not rely on NVIDIA for research through" in result.stdout


def test_impact_and_export_roll_up_and_no_parts_turns_it_off(bundled, timed):
    rolled = doc("impact", "delta")
    assert [p["id"] for p in rolled["parts"]] == ["delta-x1"]
    gamma = next(e for e in rolled["exposed"] if e["entity"]["id"] == "gamma")
    assert "delta-x1" in vias(gamma["via"]).values()
    own = doc("impact", "delta", "--no-parts")
    assert own["parts"] == []
    assert all(e["via"] is None for x in own["exposed"] for e in x["via"])
    exported = doc("export", "delta")
    assert "gamma-delta-x1-hardware" in {e["id"] for e in exported["edges"]}
    assert "gamma-delta-x1-hardware" not in {e["id"] for e in doc("export", "delta", "--no-parts")["edges"]}


def test_stats_count_a_provider_with_its_parts(bundled):
    hardware = next(p for p in doc("stats")["providers"] if p["kind"] == "hardware")
    nvidia = next(t for t in hardware["top"] if t["entity"]["id"] == "nvidia")
    assert [v["id"] for v in nvidia["via"]] == ["cuda"]
    alone = next(p for p in doc("stats", "--no-parts")["providers"] if p["kind"] == "hardware")
    assert all(t["via"] == [] for t in alone["top"])
    assert "via CUDA too" in run("stats").stdout


# ---- show --brief, --kind --------------------------------------------------------------------


def test_show_brief_fits_a_screen(bundled):
    for eid in bundled.entities:
        lines = run("show", eid, "--brief").stdout.splitlines()
        assert len(lines) <= 24, (eid, len(lines))
    text = run("show", "microsoft", "--brief").stdout
    assert re.search(r"^relied on for cloud by:\s+OpenAI \(via Azure\)$", text, re.M)
    # An aside that holds parentheses of its own is in brackets: never nested parentheses.
    assert re.search(r"^relies on for hardware:\s+Intel \(speculation\), NVIDIA \[via Big Tech \(all except", text, re.M)
    assert not re.search(r"\([^()]*\(", text)
    assert "parts: Azure, Bing, GitHub" in text
    assert "source" not in text  # no summaries, no sources: that is the full profile


def test_show_kind_narrows_the_profile(bundled):
    text = run("show", "openai", "--kind", "cloud", "--kind", "hardware").stdout
    headings = re.findall(r"^(\w[\w-]*)  relies on the other", text, re.M)
    assert headings == ["Hardware", "Cloud"]
    assert {e["kind"] for e in doc("show", "openai", "-k", "cloud")["relationships"]} == {"cloud"}
    assert "No talent relationships recorded." in run("show", "nvidia", "--kind", "talent").stdout


def test_show_quotes_prints_each_sentence_once_per_relationship(bundled):
    text = run("show", "openai", "--quotes").stdout
    assert text.count("10 billion deal with Oracle") == 1


# ---- list, search, sorting, footnotes ---------------------------------------------------------


def test_list_is_one_line_per_entity_and_long_has_aliases_on_that_line(bundled, monkeypatch):
    monkeypatch.delenv("COLUMNS")  # piped, as `aideps list | grep`
    count = len(bundled.entities)
    short = run("list").stdout.splitlines()
    rows = [line for line in short if re.match(r"^[a-z0-9][\w-]*\s.*\s\d+$", line)]
    assert len(rows) == count
    assert not any("Big Tech company" in line for line in short)  # no descriptions by default
    long = run("list", "--long").stdout.splitlines()
    msft = [line for line in long if "msft" in line]
    assert len(msft) == 1 and msft[0].startswith("microsoft ") and "Big Tech company" in msft[0]
    for lines in (short, long, run("search", "exclusive").stdout.splitlines()):
        rule = max((len(line) for line in lines if set(line) == {"─"}), default=0)
        assert 0 < rule <= max(len(line) for line in lines if set(line) != {"─"})


def test_search_is_one_record_per_line_when_piped(bundled, monkeypatch):
    monkeypatch.delenv("COLUMNS")
    matches = doc("search", "exclusive")["matches"]
    lines = run("search", "exclusive").stdout.splitlines()
    records = [line for line in lines if line and set(line) != {"─"} and not line.startswith(("match ", f"{len(matches)} "))]
    assert len(records) == len(matches)
    assert any(line.startswith("Azure (azure) ") for line in records)


def effective(graph, edge: dict):
    rel = graph.store.relationships[[r["id"] for r in graph.store.relationships].index(edge["id"])]
    start = dates.maybe_parse(rel.get("start"))
    return dates.order_key(start if start is not None else Life(graph.store, rel).reported)


def test_sort_date_is_by_start_else_first_reported(bundled):
    for kind in vocab.PARTNERSHIP_KINDS:
        edges = doc(kind, "--sort", "date")["relationships"]
        keys = [effective(bundled, e) for e in edges]
        assert keys == sorted(keys), kind
    hardware = doc("hardware", "--sort", "date")["relationships"]
    assert hardware[0]["start"] is None  # reported 2023-03-30, before a start of 2024-11


def test_footnotes_in_number_order_everywhere(bundled):
    for args in (["research"], ["distribution"], ["hardware"], ["timeline"]):
        for cell in re.findall(r"((?:\[\d+\] )+\[\d+\])", run(*args).stdout):
            numbers = [int(n) for n in re.findall(r"\d+", cell)]
            assert numbers == sorted(numbers), (args, cell)


def test_tree_marks_a_part_of_an_ancestor_as_a_cycle(bundled):
    """OpenAI → Microsoft → OpenAI Codex (via GitHub Copilot): Codex is OpenAI's own."""
    tree = doc("tree", "openai")
    microsoft = next(c for c in tree["tree"]["children"] if c["entity"]["id"] == "microsoft")
    codex = next(c for c in microsoft["children"] if c["entity"]["id"] == "openai-codex")
    assert codex["marker"] == "cycle"
    assert "github-copilot" in vias(codex["via"]).values()
