"""Dates (issue #15): ASCII digits only, year 1 and after, and the checker
and the JSON Schema's pattern agree on every string."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aideps.knowledge import dates
from aideps.knowledge.model import check_partial_date
from aideps.knowledge.validate import check_bytes

REPO = Path(__file__).resolve().parents[2]
GOOD = REPO / "tests" / "fixtures" / "good" / "small.yaml"
SCHEMA = json.loads((REPO / "schema" / "entities.schema.json").read_text(encoding="utf-8"))


def schema_patterns() -> list[str]:
    """The date patterns of the published schema (one per date field kind)."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            if str(node.get("description", "")).startswith("A date as precise as the source allows"):
                found.update(a["pattern"] for a in node["anyOf"] if "pattern" in a)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SCHEMA)
    return sorted(found)


def schema_accepts(text: str) -> bool:
    """The schema's pattern as a JSON Schema validator runs it (ECMA-262:
    `\\d` is ASCII, `$` is the very end, the match is a search)."""
    [pattern] = schema_patterns()
    assert pattern.startswith("^") and pattern.endswith("$") and "$" not in pattern[:-1]
    return re.search(pattern[:-1] + r"\Z", text, re.ASCII) is not None


def checker_accepts(text: str) -> bool:
    return check_partial_date(text) is None and dates.problem(text) is None


HOSTILE = ["0000-01", "0000", "2023\n", "\u0662\u0660\u0662\u0663-\u0660\u0661", "２０２３", "2023-1", "2023-13", "2023-00",
           "2023-01-32", "2023-01-00", "+2023", " 2023", "2023 ", "20233", "2023-01-01T00:00", "\u09e8\u09e6\u09e8\u09e9"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_dates_are_refused_by_both(text):
    assert not checker_accepts(text)
    assert not schema_accepts(text)


@pytest.mark.parametrize("text", ["0001", "2024", "2024-11", "2024-10-30", "9999-12-31", "2024-02-29"])
def test_dates_are_accepted_by_both(text):
    assert checker_accepts(text) and schema_accepts(text)


@settings(max_examples=400, deadline=None)
@given(
    text=st.from_regex(r"\A[0-9٠-٩０-９]{4}(-[0-9٠-٩]{1,2}(-[0-9]{2})?)?\n?\Z")
    | st.text(st.sampled_from("0123456789-\n ０٢"), max_size=12)
)
def test_the_checker_accepts_only_what_the_schema_accepts(text):
    # The schema cannot know month lengths (2023-02-30): the checker may refuse more, never less.
    if checker_accepts(text):
        assert schema_accepts(text), text
    if not schema_accepts(text):
        assert not checker_accepts(text), text
    if schema_accepts(text) and not checker_accepts(text):
        assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-(29|30|31)", text), text


@pytest.mark.parametrize("written, words", [
    ("0000-01", "'0000-01' is not a date: there is no year 0"),
    ('"2023\\n"', "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ('"\u0662\u0660\u0662\u0663-\u0660\u0661"', "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ('"２０２３"', "'２０２３' is not a date"),
])
def test_validate_refuses_them_at_their_place(written, words):
    text = GOOD.read_text(encoding="utf-8").replace("    start: 2023-01\n", f"    start: {written}\n", 1)
    [problem] = check_bytes(text.encode(), "k.yaml").errors
    assert str(problem).startswith("k.yaml:45:5: 'start' of relationship 'bigco-acme-investment': ") and words in problem.message


def test_dates_parse_only_ascii():
    with pytest.raises(ValueError):
        dates.parse("٢٠٢٣")
    assert dates.maybe_parse("2023\n") is None
