"""The bundled knowledge file against the four source articles.

These tests read data/entities.yaml directly (not through aideps), so a bug in
the loader cannot hide a gap in the data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "entities.yaml"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def kb() -> dict:
    # BaseLoader: every scalar stays a string, exactly as written.
    with open(DATA, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=yaml.BaseLoader)


def normalise(text: str) -> str:
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip()


def quotes(node, where=""):
    """Every {source, quote} pair in the file, with where it sits."""
    if isinstance(node, dict):
        if "quote" in node and "source" in node:
            yield where, node["source"], node["quote"]
        for key, value in node.items():
            yield from quotes(value, f"{where}.{key}" if where else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            label = value.get("id", i) if isinstance(value, dict) else i
            yield from quotes(value, f"{where}[{label}]")


def test_every_quote_is_verbatim_in_the_article_it_cites(kb):
    if not SEEDS.is_dir():
        pytest.skip(f"source articles not found at {SEEDS}; quotes not checked")
    texts = {}
    for source in kb["sources"]:
        assert source["text"], f"source {source['id']} names no text file"
        assert all("/" not in t and "\\" not in t for t in source["text"]), "text: bare file names only"
        parts = [SEEDS / t for t in source["text"]]
        texts[source["id"]] = " ".join(normalise(p.read_text(encoding="utf-8")) for p in parts)
    checked = 0
    missing = []
    for where, source, quote in quotes(kb):
        checked += 1
        if normalise(quote) not in texts[source]:
            missing.append(f"{where}: {quote!r} not in {source}")
    assert not missing, "\n".join(missing)
    assert checked >= 150  # relationships, entities, facts, amounts and history all carry quotes


def test_at_least_sixty_relationships_each_with_a_quote(kb):
    rels = kb["relationships"]
    assert len(rels) >= 60
    for rel in rels:
        assert rel["provenance"], rel["id"]
        assert all(p["quote"].strip() for p in rel["provenance"]), rel["id"]


def test_no_dangling_references(kb):
    entity_ids = {e["id"] for e in kb["entities"]}
    source_ids = {s["id"] for s in kb["sources"]}
    for rel in kb["relationships"]:
        assert rel["from"] in entity_ids, rel["id"]
        assert rel["to"] in entity_ids, rel["id"]
        for replaced in rel.get("replaces", []):
            assert replaced in entity_ids, rel["id"]
    for ent in kb["entities"]:
        if ent.get("parent"):
            assert ent["parent"] in entity_ids, ent["id"]
    for where, source, _ in quotes(kb):
        assert source in source_ids, where


# Every entity the articles name, as the articles name it. Compiled by reading
# the four articles sentence by sentence.
NAMED_IN_ARTICLES = [
    # The AI Partnership Race (2023-03-30), with the reader's comment
    "Internet-age companies", "AI startups", "Google", "Transformers paper",
    "LLM builders", "Developers", "Data scientists and machine learning practitioners",
    "OpenAI Codex", "GitHub Copilot", "GPUs", "Cloud providers", "Application-specific chips",
    "Apple", "Meta", "Meta's VR headset partners", "PyTorch", "NVIDIA", "InstructGPT",
    "Open-source models", "Proprietary models", "Matt", "Google's mobile chips",
    "Startups' own data centers",
    # The Race for AI Independence (late 2024)
    "Amazon", "Anthropic", "Trainium", "Microsoft", "OpenAI", "AI companies in China",
    "China's chip import restrictions", "Mark Zuckerberg", "Jensen Huang", "Big Tech",
    "Wall Street", "GitHub", "Azure", "Bing", "OpenAI's search product",
    "Meta's search product", "WWDC", "iOS", "Apple's in-house chip team", "TPUs", "Gemini",
    "Llama", "Ray-Ban smart glasses", "Orion", "Google+", "CUDA", "Alexa", "Intel",
    "Microsoft's own chips", "OpenAI's own chips", "Meta's own AI chips", "Apple's own chips",
    "Chinese AI companies' own chips", "Microsoft's in-house AI", "Apple's in-house AI",
    "Third-party AI providers", "OpenAI's November 2023 upheaval",
    # The Shifting Sands of AI Partnerships (2024-10-30)
    "Satya Nadella", "Sam Altman", "Inflection", "Mustafa Suleyman", "Oracle",
    "OpenAI's 2024 round investors", "OpenAI employees",
]


def test_every_entity_the_articles_name_is_in_the_file(kb):
    names = {e["name"] for e in kb["entities"]}
    missing = [n for n in NAMED_IN_ARTICLES if n not in names]
    assert not missing, f"named in the articles but not in the file: {missing}"


def test_the_authors_operation_independence_is_big_techs_race_not_an_entity(kb):
    # "Operation: Independence" names the race for AI independence, which no
    # relationship can hold: the file keeps the phrase in Big Tech's description.
    assert "Operation: Independence" not in {e["name"] for e in kb["entities"]}
    big_tech = next(e for e in kb["entities"] if e["name"] == "Big Tech")
    assert '"Operation: Independence"' in big_tech["description"]


def test_aliases_users_type_resolve(kb):
    aliases = {a.lower(): e["id"] for e in kb["entities"] for a in e.get("aliases", [])}
    assert aliases["msft"] == "microsoft"
    assert aliases["open ai"] == "openai"
    assert aliases["trainium chips"] == "trainium"
    assert aliases["attempted coup"] == "openai-ouster"


def _numbers(kb):
    """Every (number, currency) in the file: amounts and numeric facts."""
    found = set()
    for rel in kb["relationships"]:
        for amount in rel.get("amounts", []):
            found.add((float(amount["amount"]), amount.get("currency")))
    for ent in kb["entities"]:
        for fact in ent.get("facts", []):
            try:
                found.add((float(fact["value"]), fact.get("currency")))
            except ValueError:
                pass
    return found


# Every figure in the articles, as a plain number.
FIGURES = [
    (13_000_000_000, "USD", "Microsoft's investment in OpenAI: $13 billion (shifting-sands)"),
    (14_000_000_000, "USD", "Microsoft's investment in OpenAI: nearly $14B (ai-independence)"),
    (75_000_000_000, "USD", "Amazon's capex this year: $75B"),
    (18_170_000_000, "USD", "OpenAI total raised: $18.17B"),
    (5_000_000_000, "USD", "OpenAI projected loss: $5 billion"),
    (6_600_000_000, "USD", "OpenAI funding round: $6.6 billion"),
    (5_400_000_000, "USD", "OpenAI compute spending by end of 2024: at least $5.4 billion"),
    (37_500_000_000, "USD", "OpenAI compute spending by 2029: $37.5 billion"),
    (10_000_000_000, "USD", "OpenAI's deal with Oracle: $10 billion"),
]


@pytest.mark.parametrize("value,currency,what", FIGURES, ids=[f[2] for f in FIGURES])
def test_every_figure_in_the_articles_is_a_number_in_the_file(kb, value, currency, what):
    assert (float(value), currency) in _numbers(kb), what


def test_openai_founded_in_2015_is_an_event(kb):
    openai = next(e for e in kb["entities"] if e["id"] == "openai")
    founded = [e for e in openai.get("events", []) if e["kind"] == "founded"]
    assert [str(e["date"]) for e in founded] == ["2015"]


def test_disagreeing_sources_are_both_kept(kb):
    rel = next(r for r in kb["relationships"] if r["id"] == "openai-investment-microsoft")
    claims = {(a["source"], float(a["amount"])) for a in rel["amounts"]}
    assert claims == {("shifting-sands", 13e9), ("ai-independence", 14e9)}


def test_openai_employee_range_kept_as_written(kb):
    openai = next(e for e in kb["entities"] if e["id"] == "openai")
    facts = {f["key"]: f["value"] for f in openai["facts"]}
    assert facts["employees"] == "201-500"
    assert facts["headquarters"] == "San Francisco, California, United States"


def test_speculation_is_recorded_as_speculative(kb):
    rels = {r["id"]: r for r in kb["relationships"]}
    assert rels["microsoft-hardware-intel"]["certainty"] == "speculation"
    assert rels["ios-technology-third-parties"]["certainty"] == "speculation"
    assert rels["apple-in-house-chip-team"]["certainty"] == "speculation"


def test_the_essays_three_partnership_kinds_are_all_present(kb):
    kinds = {r["kind"] for r in kb["relationships"]}
    assert {"research", "distribution", "hardware", "in_house", "investment", "cloud", "talent",
            "rivalry", "negotiation"} <= kinds
