"""What the articles say, through the commands on the bundled data: Big Tech's
members rely on NVIDIA through the group, "aside from perhaps Apple"; a
projection reads as one; and a relationship the articles only hedge never
reads as a fact in show's text, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from aideps.cli.typer_app import app
from aideps.graph import store
from aideps.knowledge import vocab

runner = CliRunner()


@pytest.fixture(autouse=True)
def _bundled(monkeypatch):
    monkeypatch.delenv("AIDEPS_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "1000")


def run(*args: str):
    result = runner.invoke(app, list(args), prog_name="aideps")
    return result


def doc(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_why_google_nvidia_goes_through_big_tech_except_perhaps_apple():
    result = run("why", "google", "nvidia")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[2] == "1. Google → NVIDIA"
    assert re.search(r"Google → NVIDIA\s+hardware · active · via Big Tech \(all except perhaps Apple\)", lines[3])
    first = doc("why", "google", "nvidia")["paths"][0]
    assert [e["id"] for e in first["entities"]] == ["google", "nvidia"]
    (rel,) = first["hops"][0]["relationships"]
    assert rel["id"] == "big-tech-hardware-nvidia" and rel["via"]["id"] == "big-tech"
    assert rel["exceptions"] == [
        {"entity": {"id": "apple", "name": "Apple", "type": "company"}, "hedge": "seems", "words": "except perhaps Apple"}
    ]


def test_why_apple_nvidia_finds_no_way_through_big_tech():
    data = doc("why", "apple", "nvidia")
    for path in data["paths"]:
        assert path["length"] > 1  # never Apple -> NVIDIA as a member of Big Tech
        for rel in path["hops"][0]["relationships"]:
            assert not (rel["via"] and rel["via"]["id"] == "big-tech"), rel["id"]
    hardware = run("why", "apple", "nvidia", "--kind", "hardware")
    assert hardware.exit_code == 1
    assert "Big Tech relies on NVIDIA (hardware), except perhaps Apple." in hardware.stdout
    excepted = json.loads(run("why", "apple", "nvidia", "--kind", "hardware", "--json").stdout)["exceptions"]
    assert [(e["group"]["id"], e["relationship"]["id"], e["hedge"]) for e in excepted] == [
        ("big-tech", "big-tech-hardware-nvidia", "seems")
    ]


def test_impact_nvidia_lists_big_tech_members_through_big_tech():
    exposed = {e["entity"]["id"]: e for e in doc("impact", "nvidia")["exposed"]}
    for member in ("google", "amazon", "microsoft", "meta"):
        assert exposed[member]["depth"] == 1, member
        assert "big-tech" in {r["via"]["id"] for r in exposed[member]["via"] if r["via"]}, member
    assert exposed["apple"]["depth"] > 1  # only through others
    assert all(not (r["via"] and r["via"]["id"] == "big-tech") for r in exposed["apple"]["via"])


def test_show_openai_says_projected_never_at_most():
    text = run("show", "openai").stdout
    assert re.search(r"compute spend projection\s+\$37\.5B \(projected, by 2029\)", text)
    assert "≤ $37.5B" not in text and "≤$37.5B" not in text
    fact = next(f for f in doc("show", "openai")["entity"]["facts"] if f["value"] == 37_500_000_000)
    assert (fact["basis"], fact["qualifier"]) == ("projected", "exact")


def _hedged() -> list[dict]:
    data = store.load(store.bundled_path())
    return [r for r in data["relationships"] if (r.get("certainty") or "stated") != "stated"]


def test_the_bundled_file_hedges_some_relationships():
    assert {r["certainty"] for r in _hedged()} >= {"seems", "speculation"}


@pytest.mark.parametrize("rel", _hedged(), ids=lambda r: r["id"])
def test_a_hedged_relationship_never_reads_as_a_fact_in_show(rel):
    certainty = rel["certainty"]
    words = vocab.status_words(rel)
    hedge = vocab.CERTAINTY_ADVERB[certainty] if rel.get("stage") else certainty
    assert hedge in words.split() or words == certainty, words
    # JSON: the certainty field, on the relationship as show gives it.
    shown = next(e for e in doc("show", rel["from"])["relationships"] if e["id"] == rel["id"])
    assert shown["certainty"] == certainty
    # Text: the status words, on the relationship's line.
    text = run("show", rel["from"], "--no-parts").stdout
    assert words in text, (rel["id"], words)
    # CSV: the certainty column.
    rows = list(csv.DictReader(io.StringIO(run("show", rel["from"], "--csv").stdout)))
    row = next(r for r in rows if r["id"] == rel["id"])
    assert row["certainty"] == certainty
