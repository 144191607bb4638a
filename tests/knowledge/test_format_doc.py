"""docs/format.md's example file is a valid knowledge file, with every part the guide promises."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from aideps.knowledge.validate import check_bytes

DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"


def _example() -> str:
    text = DOC.read_text(encoding="utf-8")
    return re.search(r"## A complete small file\n\n```yaml\n(.*?)```", text, re.S).group(1)


def test_the_example_validates():
    report = check_bytes(_example().encode(), "format.md", check_quotes=False)
    assert report.errors == [], [str(p) for p in report.errors]


def test_the_example_shows_what_the_guide_promises():
    data = yaml.safe_load(_example())
    assert data["format"] == 2 and 3 <= len(data["entities"]) <= 4 + 1
    entities = {e["id"]: e for e in data["entities"]}
    assert any(e["type"] == "group" and e.get("members") for e in entities.values())
    assert any(e["type"] == "person" and e.get("roles") for e in entities.values())
    assert data["sources"][0]["comments"]
    claims = [p for r in data["relationships"] for p in r["provenance"]]
    assert any(c.get("by") == "reader" and c.get("comment") for c in claims)
    assert any(c.get("hedge") not in (None, "stated") for c in claims)
    facts = [f for e in entities.values() for f in e.get("facts", [])]
    assert any(f.get("basis") == "projected" for f in facts)
    terms = [t for r in data["relationships"] for t in r.get("terms", [])]
    assert any(t["state"] == "relaxed" and t.get("history") for t in terms)


def test_the_guide_states_the_direction_rule_and_how_to_migrate():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert (
        "a product relies on the model it runs on for technology; the model's maker relies on the product "
        "for distribution; record both where the text supports both" in text.lower()
    )
    assert "aideps migrate mine.yaml" in text
