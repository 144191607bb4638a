"""The bundled knowledge file says what the four articles say, the way they say it.

One test per category of error the sentence-by-sentence review of issue 11
found in the format-1 data (each would fail on it: `git show 05bc575:data/entities.yaml`).
These read the file as data, so they hold whatever the query code does;
tests/test_cli_articles.py asks the same questions through the commands.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aideps.knowledge import vocab
from aideps.knowledge.quotes import normalise

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "entities.yaml"


@pytest.fixture(scope="module")
def doc() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rels(doc) -> dict[str, dict]:
    return {r["id"]: r for r in doc["relationships"]}


@pytest.fixture(scope="module")
def ents(doc) -> dict[str, dict]:
    return {e["id"]: e for e in doc["entities"]}


def edges(rels, src, dst, kind=None):
    return [r for r in rels.values() if r["from"] == src and r["to"] == dst and (kind is None or r["kind"] == kind)]


def claims(rel):
    return rel["provenance"]


def names_of(entity) -> list[str]:
    return [entity["name"], entity["id"].replace("-", " "), *entity.get("aliases", [])]


def named_in(entity, text: str) -> bool:
    plain = normalise(text).casefold().replace("-", " ")
    return any(normalise(n).casefold().replace("-", " ") in plain for n in names_of(entity))


# -- the file is format 2


def test_the_bundled_file_is_format_2(doc):
    assert doc["format"] == 2
    for rel in doc["relationships"]:
        assert "status" not in rel, rel["id"]


# -- direction and kind


def test_a_product_relies_on_the_model_it_runs_on_for_technology_not_distribution(rels, ents):
    """The direction rule (docs/format.md): product -> model for technology;
    the model's maker -> product for distribution."""
    assert edges(rels, "github-copilot", "openai-codex", "technology")
    assert not edges(rels, "github-copilot", "openai-codex", "distribution")
    assert edges(rels, "openai", "github-copilot", "distribution")
    assert edges(rels, "github", "openai", "technology")
    assert not edges(rels, "github", "openai", "distribution")
    for rel in rels.values():
        if rel["kind"] == "distribution":
            src, dst = ents[rel["from"]], ents[rel["to"]]
            assert not (src["type"] in ("product", "platform") and dst["type"] in ("model", "lab")), rel["id"]


def test_nvidia_buyers_are_everyone_aside_from_perhaps_apple(rels, ents):
    (rel,) = edges(rels, "big-tech", "nvidia", "hardware")
    assert rel["stage"] == "active"
    assert any("Everyone (aside from perhaps Apple)" in c["quote"] for c in claims(rel))
    assert rel["exceptions"] == [{"id": "apple", "hedge": "seems"}]
    members = {m["id"] for m in ents["big-tech"]["members"]}
    assert {"google", "amazon", "microsoft", "meta"} <= members
    # Amazon and NVIDIA: not only a rivalry, and the rivalry has no invented stage.
    for rival in edges(rels, "amazon", "nvidia", "rivalry"):
        assert rival.get("stage") != "developing"


def test_group_members_are_named_by_their_quotes(ents):
    for entity in ents.values():
        for member in entity.get("members", []):
            assert member["id"] in ents
            assert named_in(ents[member["id"]], member["quote"]) or member.get("note"), (entity["id"], member["id"])
        if entity.get("members"):
            assert entity["type"] == "group"


# -- invented or stretched


def test_the_readers_comment_is_the_readers_and_never_a_fact(doc, rels):
    comment_opens = "Hey Matt, great post as always."
    (source,) = [s for s in doc["sources"] if s["id"] == "partnership-race"]
    assert [c["opens"] for c in source["comments"]] == [comment_opens]
    text = (ROOT.parent / "shared" / "seeds" / "001_b6ad0e2ec30c29a5.txt")
    comment = normalise(text.read_text(encoding="utf-8")).split(normalise(comment_opens), 1)[1] if text.exists() else None
    everything = [*doc["relationships"], *doc["entities"]]
    for item in everything:
        for claim in item["provenance"]:
            in_comment = claim["quote"].startswith(("Hey Matt", "Right now, it seems everyone"))
            assert (claim.get("by") == "reader") == in_comment, (item["id"], claim["quote"][:40])
            if comment is not None and claim.get("by") == "reader":
                assert normalise(claim["quote"]) in normalise(comment_opens) + comment
    for rel in doc["relationships"]:
        if all(c.get("by") == "reader" for c in claims(rel)):
            assert rel["certainty"] != "stated", rel["id"]


def test_a_ceo_is_a_role_not_talent(rels, ents):
    for rel in rels.values():
        if rel["kind"] == "talent":
            assert ents[rel["to"]]["type"] != "person" or rel["to"] == "mustafa-suleyman", rel["id"]
    assert not edges(rels, "openai", "sam-altman")
    altman = ents["sam-altman"]
    assert [(r["role"], r["of"]) for r in altman["roles"]] == [("CEO", "openai")]
    assert [(r["role"], r["of"], r["former"]) for r in ents["mustafa-suleyman"]["roles"]] == [("CEO", "inflection", True)]
    assert [(r["role"], r["of"]) for r in ents["satya-nadella"]["roles"]] == [("CEO", "microsoft")]
    ouster = ents["openai-ouster"]["events"]
    assert [(e["kind"], str(e["date"])) for e in ouster] == [("ousted", "2023-11")]


def test_no_slogan_is_an_entity(ents, rels):
    assert not any("Operation" in e["name"] for e in ents.values())
    assert not any(r["to"] == "operation-independence" for r in rels.values())


def test_replaces_names_only_suppliers_the_text_names(rels, ents):
    assert not edges(rels, "meta", "pytorch")[0].get("replaces")
    for rel in rels.values():
        for gone in rel.get("replaces", []):
            said = " ".join(c["quote"] for c in claims(rel))
            assert named_in(ents[gone], said), (rel["id"], gone)


# -- time


def test_a_start_only_where_the_text_dates_a_beginning(rels):
    trainium = rels["amazon-in-house-trainium"]
    assert "start" not in trainium or trainium["start"] is None
    assert str(trainium["reported"]) == "2024-11"
    assert "steps up" in trainium["reported_note"]
    for rel in rels.values():
        if rel.get("start"):
            assert rel.get("date_note"), f"{rel['id']}: a start needs the words that date it"
        else:
            assert rel.get("reported"), f"{rel['id']}: no start, so it says when it was first reported"


def test_the_exclusive_cloud_term_was_relaxed(rels):
    (term,) = [t for t in rels["openai-cloud-azure"]["terms"] if t["name"] == "exclusive"]
    assert term["state"] == "relaxed"
    assert [h["state"] for h in term["history"]] == ["relaxed"]
    assert "Oracle" in term["history"][0]["quote"]


def test_the_microsoft_openai_arc_is_told_whole(rels):
    rel = rels["openai-investment-microsoft"]
    history = rel["history"]
    quotes = " ".join(h["quote"] for h in history + rel["provenance"])
    for words in ("best bromance", "Initially, CEO Satya Nadella was eager", "reassess its commitment", "tighten its purse strings"):
        assert words in quotes
    healths = [h.get("health") for h in history]
    assert healths[0] == "good" and healths[-1] == "strained"
    assert [str(h["date"]) for h in history] == sorted(str(h["date"]) for h in history)
    assert edges(rels, "openai", "oracle", "cloud")


# -- status split and attribution


def test_one_relationship_can_be_announced_and_strained(rels):
    (apple,) = edges(rels, "apple", "openai", "technology")
    assert (apple["stage"], apple["health"]) == ("announced", "strained")
    assert not edges(rels, "apple", "openai", "rivalry")


HEDGES = {
    "is said to be": "reported",
    "it seems like": "seems",
    "seems perhaps": "seems",
    "apparently": "seems",
    "it seems.": "seems",
    "they must, right?": "speculation",
    "may or may not": "speculation",
    "should they work closer": "speculation",
}


def test_hedged_words_are_hedged_claims(doc):
    """A relationship's quote with hedging words carries its hedge, or a note
    that says why the part used is stated. (An entity's quotes only show the
    article names it: their hedges do not matter.)"""
    found = set()
    for item in doc["relationships"]:
        for claim in item["provenance"]:
            for words, hedge in HEDGES.items():
                if words in claim["quote"]:
                    found.add(words)
                    assert claim.get("hedge") == hedge or claim.get("note"), (item["id"], words)
    assert found == set(HEDGES)


def test_a_relationship_is_no_surer_than_its_surest_claim(doc):
    for rel in doc["relationships"]:
        surest = min(vocab.CERTAINTY_ORDER[c.get("hedge", "stated")] for c in claims(rel))
        assert vocab.CERTAINTY_ORDER[rel.get("certainty", "stated")] >= surest, rel["id"]
    said = {r["id"]: r.get("certainty", "stated") for r in doc["relationships"]}
    assert said["anthropic-hardware-trainium"] == "stated"  # the offer is stated; the reluctance is reported
    assert said["meta-hardware-nvidia"] == "seems"
    assert said["nvidia-distribution-clouds"] == "seems"
    assert said["apple-in-house-chip-team"] == "speculation"


# -- figures


def money(doc):
    for entity in doc["entities"]:
        for fact in entity.get("facts", []):
            if fact.get("currency"):
                yield entity["id"], fact
    for rel in doc["relationships"]:
        for amount in rel.get("amounts", []):
            yield rel["id"], amount


def test_every_money_figure_says_what_it_measures(doc):
    for owner, figure in money(doc):
        assert figure.get("metric") in vocab.METRICS, owner


def test_a_projection_is_projected_not_a_bound(ents):
    facts = {f["key"]: f for f in ents["openai"]["facts"]}
    soar = facts["compute_spend_projection"]
    assert soar["basis"] == "projected" and soar.get("qualifier", "exact") == "exact"
    assert str(soar["as_of"]) == "2029"
    assert facts["loss"]["basis"] == "projected" and facts["loss"]["period"] == "annual"
    assert facts["compute_spend"]["qualifier"] == "at_least"
    assert facts["total_raised"]["period"] == "cumulative"


def test_openais_figures_that_do_not_add_up_have_a_note(ents, rels):
    (note,) = ents["openai"]["consistency"]
    assert "fact:total_raised" in note["involves"]
    for ref in note["involves"]:
        assert ref.startswith("fact:") or ref in rels
    assert re.search(r"18\.17", note["summary"]) and "19.6" in note["summary"]
