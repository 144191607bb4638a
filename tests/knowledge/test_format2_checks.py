"""The checks of format 2's new fields, each at its place with what to do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aideps.knowledge.validate import check_bytes

DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"
EXAMPLE = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)


def problems(text: str) -> list[str]:
    return [str(p) for p in check_bytes(text.encode(), "f.yaml", check_quotes=False).errors]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    "old, new, at, words",
    [
        ("        comment: reader-1\n", "", "      - source: essay\n        quote: \"Chipco is a crutch", "is a reader's (by: reader) but names no comment; add `comment: ID`"),
        ("        by: reader\n", "        by: party\n", "      - source: essay\n        quote: \"Chipco is a crutch", "is by: party but does not say who; add `who:`"),
        ("    certainty: seems\n", "    certainty: stated\n", "    certainty: stated\n", "is 'stated' but its strongest claim is hedged 'seems'; write `certainty: seems`"),
        ("        health: strained\n        source", "        source", "      - date: 2024-10\n        source", "says no change; give at least one of `stage`, `health` or `certainty`"),
        ("        start: 2020\n", "        start: 2020\n        end: 2019\n", "        end: 2019\n", "'end' 2019 is before 'start' 2020"),
        ("        currency: USD\n        metric: capex\n", "        metric: capex\n", "        metric: capex\n", "measures capex (money) but has no currency"),
        ("    parents: []\n", "", None, None),
    ],
)
def test_each_new_check_says_where_and_what_to_do(old, new, at, words):
    assert old in EXAMPLE or old == "    parents: []\n"
    text = EXAMPLE.replace(old, new, 1)
    found = problems(text)
    if words is None:
        assert found == []
        return
    line = line_of(text, at)
    assert any(p.startswith(f"f.yaml:{line}:") and words in p for p in found), found


def test_members_only_on_a_group_and_ids_exist():
    text = EXAMPLE.replace("    type: group\n", "    type: company\n", 1)
    assert any("lists members but is a company; only a group has members" in p for p in problems(text))
    text = EXAMPLE.replace("      - id: bigco\n        source", "      - id: bigc0\n        source", 1)
    assert any("unknown entity 'bigc0' in 'members' of entity 'big-tech'; did you mean 'bigco'?" in p for p in problems(text))


def test_parents_several_and_their_cycle():
    text = EXAMPLE.replace("    type: company\n    description: A large", "    type: company\n    parents: [chipco, big-tech]\n    description: A large", 1)
    assert problems(text) == []
    text = text.replace("    type: company\n    description: A chip maker.", "    type: company\n    parents: [bigco]\n    description: A chip maker.", 1)
    found = problems(text)
    assert len(found) == 1 and "the 'parents' loop: bigco -> chipco -> bigco; an entity cannot be its own ancestor" in found[0]


def test_exceptions_must_be_listed_members_of_the_group():
    text = EXAMPLE.replace(
        "    reported: 2024-11\n", "    reported: 2024-11\n    exceptions:\n      - id: chipco\n        hedge: seems\n", 1
    )
    found = problems(text)
    assert any("'chipco' is an exception of relationship 'big-tech-hardware-chipco' but not a listed member of 'big-tech'" in p for p in found), found
    ok = text.replace("      - id: chipco\n        hedge: seems\n", "      - id: bigco\n        hedge: seems\n", 1)
    assert problems(ok) == []


def test_a_relationship_only_readers_claim_is_not_stated():
    text = EXAMPLE.replace(
        "      - source: essay\n        quote: \"It seems the two are drifting apart.\"\n        hedge: seems\n      - source",
        "      - source", 1,
    ).replace("    certainty: seems\n", "", 1).replace("        comment: reader-1\n        hedge: seems\n", "        comment: reader-1\n")
    found = problems(text)
    assert any("rests only on readers' comments, so it cannot be 'stated'" in p for p in found), found


def test_a_readers_claim_names_a_comment_of_its_source():
    text = EXAMPLE.replace("        comment: reader-1\n", "        comment: reader-2\n", 1)
    found = problems(text)
    line = line_of(text, "        comment: reader-2")
    assert found == [f"f.yaml:{line}:9: unknown comment 'reader-2' in the 2nd provenance entry of relationship 'bigco-cloud-chipco': source 'essay' lists comments: reader-1"]


def test_reported_is_not_before_its_sources_unless_a_note_says_why():
    text = EXAMPLE.replace("    reported: 2024-11\n", "    reported: 2023\n", 1)
    found = problems(text)
    line = line_of(text, "    reported: 2023")
    assert found == [
        f"f.yaml:{line}:5: 'reported' 2023 of relationship 'big-tech-hardware-chipco' is before its earliest source "
        "(2024-11-05); write the source's date, or say why in `reported_note`"
    ]
    noted = text.replace("    reported: 2023\n", "    reported: 2023\n    reported_note: an earlier article, not in this file\n", 1)
    assert problems(noted) == []


def test_both_readers_give_the_same_new_problems():
    import io

    from aideps.knowledge.scan import scan

    # Relationships before sources: the checks that wait for the sources see the same.
    head, rest = EXAMPLE.split("entities:\n", 1)
    entities, relationships = rest.split("relationships:\n", 1)
    sources = head.replace("format: 2\n", "")
    text = "format: 2\nrelationships:\n" + relationships + "entities:\n" + entities + sources
    text = text.replace("        comment: reader-1\n", "        comment: reader-2\n", 1).replace("reported: 2024-11", "reported: 2023", 1)
    whole = problems(text)
    streamed = [str(p) for p in scan(io.BytesIO(text.encode()), "f.yaml", check_quotes=False).errors]
    assert whole == streamed and len(whole) == 2, whole


def test_consistency_notes_involve_facts_of_the_entity_or_relationships():
    note = "    consistency:\n      - summary: The figures do not add up.\n        involves: [fact:capex, big-tech-hardware-chipco]\n"
    text = EXAMPLE.replace("    provenance:\n      - source: essay\n        quote: \"Big Tech (Bigco above all) is buying every chip it can.\"\n  - id: chipco",
                           note + "    provenance:\n      - source: essay\n        quote: \"Big Tech (Bigco above all) is buying every chip it can.\"\n  - id: chipco", 1)
    assert note in text and problems(text) == []
    bad = text.replace("[fact:capex, big-tech-hardware-chipco]", "[fact:spend, big-tech-hardware-chipc0]")
    found = problems(bad)
    assert any("'fact:spend' in a consistency note of entity 'bigco': it has no fact 'spend'; its facts: capex" in p for p in found), found
    assert any("'big-tech-hardware-chipc0' in a consistency note of entity 'bigco' is neither `fact:KEY` nor a relationship id; did you mean 'big-tech-hardware-chipco'?" in p for p in found), found


def test_quotes_lie_on_the_right_side_of_readers_comments(tmp_path):
    (tmp_path / "essay.txt").write_text(
        "Big Tech (Bigco above all) is buying every chip it can. Bigco's spending could soar to $37.5B by 2029. "
        "Pat Lee, Chipco's CEO since 2020, is pleased. Recent changes let Bigco rent from others too. "
        "Bigco rented only from Chipco. It seems the two are drifting apart.\n\nComments\n\n"
        "Great piece. Chipco is a crutch for Bigco, if you ask me.\n",
        encoding="utf-8",
    )
    text = EXAMPLE.replace("    url: https://example.com/essay\n", "    url: https://example.com/essay\n    text: [essay.txt]\n", 1)
    path = tmp_path / "k.yaml"
    path.write_text(text, encoding="utf-8")
    from aideps.knowledge.validate import check_file

    assert check_file(path).errors == []
    # The reader's remark recorded as the author's: caught.
    path.write_text(text.replace("        by: reader\n        comment: reader-1\n", "", 1), encoding="utf-8")
    found = [str(p) for p in check_file(path).errors]
    assert any("is in a reader's comment (after comment 'reader-1' begins), not the author's text" in p for p in found), found
