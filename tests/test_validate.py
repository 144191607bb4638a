"""Validation: every problem of a knowledge file, at its exact file:line:column,
in words a person can act on; and a reader that stays safe on hostile input."""

from __future__ import annotations

import codecs
import re
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from aideps.knowledge import reader as load
from aideps.knowledge.reader import parse
from aideps.knowledge.validate import check_bytes, check_file, normalise, quote_in_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good" / "small.yaml"
BAD = FIXTURES / "bad"

PARSERS = ["python"] + (["libyaml"] if yaml.__with_libyaml__ else [])


@pytest.fixture(params=PARSERS)
def parser(request, monkeypatch):
    """Run a test with libyaml's parser and with PyYAML's own: same answers."""
    monkeypatch.setattr(yaml, "__with_libyaml__", request.param == "libyaml")
    return request.param


def lines(report) -> list[str]:
    return [str(p) for p in report.problems]


def assert_problems(report, expected: list[tuple[int, int | range, list[str]]]) -> None:
    """`expected`: (line, column, words) for each problem, in order, and no others.

    A column may be a range: where the reader that notices a problem first
    is not ours (libyaml's own nesting limit, say), the contract is that the
    place points into the offending line, not a library's exact column.
    """
    got = lines(report)
    assert len(got) == len(expected), "\n".join(got)
    for text, (line, col, words) in zip(got, expected):
        if isinstance(col, range):
            prefix = f"{report.file}:{line}:"
            assert text.startswith(prefix), text
            column = int(text[len(prefix) :].split(":", 1)[0])
            assert column in col, text
        elif line == 0:  # the file as a whole: no position
            assert text.startswith(f"{report.file}: "), text
        else:
            assert text.startswith(f"{report.file}:{line}:{col}: "), text
        for word in words:
            assert word in text, f"{word!r} not in {text!r}"


# --------------------------------------------------------------------------
# A clean file


def test_clean_file_has_no_problems_and_gives_the_data():
    report = check_file(GOOD)
    assert report.problems == []
    assert report.ok
    data = report.data
    assert data is not None
    # Dates stay strings: never datetime.date, a year is "2024".
    assert data["sources"][0]["date"] == "2023-03-30"
    assert data["sources"][1]["date"] == "2024"
    assert data["relationships"][0]["start"] == "2023-01"
    assert data["relationships"][0]["history"][0]["date"] == "2023-01"
    # The data contract: keys as in YAML, every optional field present.
    rel = data["relationships"][0]
    assert rel["from"] == "acme-labs" and "from_" not in rel
    assert rel["end"] is None and rel["terms"] == [] and rel["replaces"] == []
    assert data["entities"][1]["aliases"] == [] and data["entities"][1]["parents"] == []
    # A fact about money needs no currency; only an amount does.
    fact = data["entities"][0]["facts"][1]
    assert fact["key"] == "total_raised" and fact["currency"] is None


def test_clean_file_reports_which_sources_had_their_quotes_checked():
    report = check_file(GOOD)
    assert report.quotes_checked
    assert report.sources_checked == ["essay"]
    assert report.sources_skipped == {"notes": "no `text` listed"}
    assert report.quote_count == 6  # quotes citing `essay`; those citing `notes` are not counted


def test_clean_file_with_a_bom_is_accepted(tmp_path):
    content = codecs.BOM_UTF8 + GOOD.read_bytes()
    report = check_bytes(content, "bom.yaml", base_dir=GOOD.parent)
    assert report.problems == []
    assert report.data == check_file(GOOD).data


def test_crlf_line_ends_keep_line_numbers(tmp_path):
    text = (BAD / "dangling_entity.yaml").read_bytes().replace(b"\n", b"\r\n")
    assert_problems(check_bytes(text, "crlf.yaml"), [(23, 5, ["unknown entity 'bigc0'"])])


# --------------------------------------------------------------------------
# One broken file per class of problem

CASES = {
    "syntax_error": [(5, 18, ["YAML syntax error", "':'", "quotes"])],
    "unclosed_bracket": [(5, 9, ["YAML syntax error", "'[' at line 4, column 14", "not closed", "']'"])],
    "tab_indent": [(4, 1, ["YAML syntax error", "tab", "spaces"])],
    "duplicate_key": [(5, 5, ["duplicate key 'title'", "first at line 3"])],
    "unknown_field": [(26, 5, ["unknown field 'summry'", "relationship 'acme-cloud-bigco'", "did you mean 'summary'?"])],
    "wrong_type": [(27, 5, ["'amounts' of relationship 'acme-cloud-bigco' should be a list, got a string ('13B')"])],
    "unknown_kind": [(24, 5, ["unknown kind 'reseach'", "did you mean 'research'?", "in_house", "rivalry"])],
    "unknown_status": [(25, 5, ["unknown stage 'activ'", "did you mean 'active'?", "announced", "ended"])],
    "dangling_entity": [(23, 5, ["unknown entity 'bigc0' in 'to'", "did you mean 'bigco'?"])],
    "dangling_source": [(28, 9, ["unknown source 'esay'", "provenance", "did you mean 'essay'?"])],
    "duplicate_id": [(20, 5, ["duplicate entity id 'acme'", "first at line 6"])],
    "clashing_alias": [(15, 23, ["alias 'ACME' of entity 'bigco'", "entity 'acme'", "line 6"])],
    "impossible_date": [
        (27, 5, ["'start'", "'2024-02-30' is not a date", "day 30 does not exist in 2024-02"]),
        (28, 5, ["'end'", "'2024-13' is not a date", "month 13 does not exist"]),
    ],
    "end_before_start": [(28, 5, ["'end' 2023 is before 'start' 2024-05", "relationship 'acme-cloud-bigco'"])],
    "history_order": [(34, 9, ["history", "out of date order", "2023 comes after 2024-06", "oldest first"])],
    "amount_without_currency": [(33, 9, ["amount 13000000000 has no currency; add `currency: USD`"])],
    "quote_not_in_source": [
        (21, 9, ["quote", "entity 'bigco'", "not in the text of source 'essay'", "Bigco has put $3 billion"])
    ],
    "python_tag": [(3, 16, ["tag '!!python/object/apply:os.system' is not allowed"])],
    "alias_bomb": [(7, 8, ["alias '*f'", "1,000,000 values", "alias bomb"])],
    # Line 3 is 10,015 characters of brackets: whichever reader notices first
    # (ours at level 65, or libyaml's own limit), the place is on that line.
    "deep_nesting": [(3, range(79, 10016), ["nested more than 64 levels deep", "a knowledge file needs only a few levels"])],
    "empty": [(1, 1, ["the file is empty"])],
    "comments_only": [(1, 1, ["the file is empty"])],
    "not_a_mapping": [(1, 1, ["top level should be a mapping", "got a list"])],
    # No separate "missing `entities`": the did-you-mean says it.
    "missing_sections": [
        (1, 1, ["missing `relationships`", "`relationships: []`"]),
        (2, 1, ["unknown section 'entitys'", "did you mean 'entities'?"]),
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_fixture_gives_its_problem_at_its_place(name, parser):
    path = BAD / f"{name}.yaml"
    report = check_file(path, sources_dir=FIXTURES / "good")  # where quote_not_in_source's text is
    assert_problems(report, CASES[name])
    assert report.data is None
    assert report.errors == report.problems


def test_every_bad_fixture_is_covered():
    on_disk = {p.stem for p in BAD.glob("*.yaml")}
    assert on_disk == set(CASES) | {"many_problems", "cycle"}


def test_many_problems_are_all_reported(parser):
    report = check_file(BAD / "many_problems.yaml")
    assert_problems(
        report,
        [
            (5, 5, ["'date' of source 'essay'", "day 29 does not exist in 2023-02"]),
            (6, 5, ["duplicate source id 'essay'", "first at line 3"]),
            (10, 5, ["entity id 'Acme Labs' is not valid", "try 'acme-labs'"]),
            (12, 5, ["unknown entity type 'compny'", "did you mean 'company'?"]),
            (14, 5, ["'provenance' of entity 'Acme Labs' is empty"]),
            (18, 15, ["alias 'acme' of entity 'bigco' clashes with the name 'Acme'", "line 11"]),
            (20, 15, ["unknown entity 'megacorp' in 'parents' of entity 'bigco'"]),
            (26, 5, ["unknown entity 'acme-labs' in 'from'"]),
            (31, 5, ["unknown field 'colour'", "allowed: id, from, to"]),
            (33, 9, ["'amount' of the 1st amount", "negative (-5)"]),
            (34, 9, ["currency 'usd'", "ISO 4217", "try 'USD'"]),
            (37, 9, ["'amount' of the 2nd amount", "should be a number, got a string ('13B')"]),
            (39, 9, ["unknown source 'esay' in the 2nd amount", "did you mean 'essay'?"]),
            (44, 5, ["duplicate relationship id 'acme-investment-bigco'", "first at line 25"]),
            (46, 5, ["unknown entity 'acme-labs' in 'to'"]),
            (50, 5, ["'end' 2023-12 is before 'start' 2024-05"]),
        ],
    )
    lines_only = [p.line for p in report.problems]
    assert lines_only == sorted(lines_only)


def test_a_dependency_cycle_is_a_note_not_an_error():
    report = check_file(BAD / "cycle.yaml")
    assert report.errors == []
    assert_problems(
        report, [(21, 5, ["note: dependency cycle: acme -> bigco -> acme", "'acme-cloud-bigco', 'bigco-research-acme'"])]
    )
    assert report.notes[0].severity == "note"
    assert report.data is not None  # notes do not make the data unusable


# --------------------------------------------------------------------------
# Encodings (made here rather than committed as odd bytes)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_bom_is_named(encoding):
    content = GOOD.read_text(encoding="utf-8").encode(encoding)
    if encoding == "utf-16-be":
        content = codecs.BOM_UTF16_BE + content
    report = check_bytes(content, "u16.yaml")
    assert lines(report) == ["u16.yaml:1:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8"]


def test_utf16_without_bom_is_recognised():
    report = check_bytes(GOOD.read_text(encoding="utf-8").encode("utf-16-le"), "u16.yaml")
    assert_problems(report, [(1, 1, ["looks like UTF-16", "save the file as UTF-8"])])


def test_invalid_utf8_is_located_to_the_bad_byte():
    content = b"sources: []\nentities: []\nrelationships:\n  - id: caf\xe9 ok\xff\n"
    report = check_bytes(content, "latin1.yaml")
    assert_problems(report, [(4, 12, ["invalid UTF-8", "0xE9", "1 more bad byte", "save the file as UTF-8"])])


def test_invalid_utf8_column_counts_characters_not_bytes():
    content = "a: «é»\nb: ".encode("utf-8") + b"\xff\n"
    assert_problems(check_bytes(content, "x.yaml"), [(2, 4, ["0xFF"])])


def test_control_characters_are_located():
    report = check_bytes(b"sources: []\nentities: [\x07]\nrelationships: []\nformat: 2\n", "ctl.yaml")
    assert_problems(report, [(2, 12, ["U+0007", "not allowed"])])


# --------------------------------------------------------------------------
# Files that cannot be read are problems, not exceptions


def test_missing_file(tmp_path):
    report = check_file(tmp_path / "nope.yaml")
    assert_problems(report, [(0, 0, ["no such file"])])
    assert report.data is None


def test_directory(tmp_path):
    assert_problems(check_file(tmp_path), [(0, 0, ["is a directory"])])


# --------------------------------------------------------------------------
# Hostile YAML


def test_python_tag_is_never_constructed(tmp_path, parser):
    target = tmp_path / "pwned"
    content = f'sources: !!python/object/apply:builtins.open ["{target}", "w"]\nentities: []\nrelationships: []\nformat: 2\n'
    report = check_bytes(content.encode(), "evil.yaml")
    assert not target.exists()
    assert_problems(report, [(1, 10, ["tag '!!python/object/apply:builtins.open' is not allowed", "run code"])])


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!timestamp 2023-03-30", "!custom x", "!!set {a, b}"])
def test_other_tags_are_refused(tag):
    data, _, problems = parse(f"a: {tag}\n", "t.yaml")
    assert [str(p) for p in problems] == [
        f"t.yaml:1:4: tag '{tag.split()[0]}' is not allowed: a knowledge file holds only text, numbers, "
        "true/false, lists and mappings"
    ]
    assert data == {"a": None}


def test_standard_tags_are_fine():
    data, _, problems = parse("a: !!str 2024\nb: !!int '7'\nc: !!float 1\nd: ! 12\ne: !!map {x: 1}\n", "t.yaml")
    assert problems == []
    assert data == {"a": "2024", "b": 7, "c": 1.0, "d": "12", "e": {"x": 1}}


def test_alias_bomb_fails_fast_in_bounded_memory(parser):
    content = (BAD / "alias_bomb.yaml").read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    data, _, problems = parse(content, "bomb.yaml")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert data is None and len(problems) == 1
    assert elapsed < 2
    assert peak < 20_000_000


def test_modest_aliases_are_allowed():
    data, _, problems = parse("a: &x {k: 1}\nb: *x\nc: [*x, *x]\n", "t.yaml")
    assert problems == []
    assert data == {"a": {"k": 1}, "b": {"k": 1}, "c": [{"k": 1}, {"k": 1}]}


def test_very_deep_nesting_is_refused_without_recursion_error(parser):
    content = "a: " + "[" * 200_000 + "]" * 200_000 + "\n"
    data, _, problems = parse(content, "deep.yaml")
    assert data is None
    assert len(problems) == 1, problems
    (problem,) = problems
    # The level-65 bracket is at column 67; libyaml (PyYAML >= 6.0.4) may stop
    # earlier in its own look-ahead, at its own limit, further along the line.
    assert (problem.file, problem.line) == ("deep.yaml", 1)
    assert 67 <= problem.column <= len(content), problem
    assert problem.message == "lists and mappings nested more than 64 levels deep; a knowledge file needs only a few levels"


class _LibyamlDepthError(yaml.YAMLError):
    """What libyaml (PyYAML >= 6.0.4) raises at its own nesting limit."""

    def __init__(self, line: int, column: int) -> None:
        self.problem = "exceeded maximum nesting depth"
        self.context = "while increasing flow level"
        self.problem_mark = yaml.Mark("t.yaml", 0, line, column, None, None)
        self.context_mark = None


def test_libyamls_own_nesting_limit_is_said_as_ours():
    """Whichever reader stops first, the words are our 64-level limit, at the place the reader stopped."""
    from aideps.knowledge.yamlwords import syntax_problem

    text = "a: " + "[" * 2000 + "]" * 2000 + "\n"
    problem = syntax_problem(_LibyamlDepthError(0, 1002), text, "t.yaml")
    assert str(problem) == (
        "t.yaml:1:1003: lists and mappings nested more than 64 levels deep; a knowledge file needs only a few levels"
    )


def test_recursive_alias_is_refused(parser):
    data, _, problems = parse("a: &r [1, *r]\n", "t.yaml")
    assert [str(p) for p in problems] == [
        "t.yaml:1:11: alias '*r' is inside the very node it refers to; recursive data is not allowed"
    ]
    assert data == {"a": [1, None]}


def test_undefined_alias(parser):
    _, _, problems = parse("a: 1\nb: *nowhere\n", "t.yaml")
    assert [str(p) for p in problems] == ["t.yaml:2:4: alias '*nowhere' refers to no anchor '&nowhere' defined before it"]


def test_merge_keys_are_refused():
    _, _, problems = parse("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n", "t.yaml")
    assert [str(p) for p in problems] == ["t.yaml:3:3: merge keys ('<<') are not supported; write the fields out"]


def test_second_document_is_refused(parser):
    _, _, problems = parse("a: 1\n---\nb: 2\n", "t.yaml")
    assert [str(p) for p in problems] == ["t.yaml:2:1: a second YAML document starts here; a knowledge file is one document"]


def test_duplicate_keys_keep_the_first_and_say_both_lines(parser):
    data, _, problems = parse("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n", "t.yaml")
    assert data == {"a": 1, "b": {"c": 2}}
    assert [str(p) for p in problems] == [
        "t.yaml:4:3: duplicate key 'c' (first at line 3); each key may appear once in a mapping",
        "t.yaml:5:1: duplicate key 'a' (first at line 1); each key may appear once in a mapping",
    ]


def test_a_list_as_a_key_is_refused():
    _, _, problems = parse("? [a, b]\n: 1\n", "t.yaml")
    assert [str(p) for p in problems] == ["t.yaml:1:3: a mapping key must be plain text, not a list"]


@pytest.mark.parametrize(
    "text, value",
    [("2023-03-30", "2023-03-30"), ("2023-03-30 10:00:00", "2023-03-30 10:00:00"), ("2024-11", "2024-11"), ("2024", 2024)],
)
def test_dates_are_not_timestamps(text, value, parser):
    data, _, problems = parse(f"d: {text}\n", "t.yaml")
    assert problems == [] and data == {"d": value}


@pytest.mark.parametrize(
    "text, where, words",
    [
        ("a: *\n", "1:5", "'*' starts an alias in YAML; put text that starts with '*' in quotes"),
        ("a: |x\n", "1:5", "'|' and '>' start a block of text"),
        ("a: @x\n", "1:4", "'@' cannot start a value in YAML; put the value in quotes"),
        ("a: !x{ b\n", "1:6", "'!' starts a tag in YAML"),
        ("a:\n  b: 1\n  c\n  d: 2\n", "4:3", "expected a ':' after the key that starts at line 3, column 3"),
        ("- a\nb: 1\n", "2:1", "does not line up with the list that starts at line 1, column 1"),
        ('a: "open\nb: 1\n', "3:1", "the quoted text opened at line 1, column 4 is never closed"),
        ('a: "C:\\dir"\n', "1:", "a backslash in the double-quoted text opened at line 1, column 4"),
    ],
)
def test_syntax_errors_in_plain_words(text, where, words, parser):
    data, _, problems = parse(text, "t.yaml")
    assert data is None and len(problems) == 1
    assert str(problems[0]).startswith(f"t.yaml:{where}")
    assert words in problems[0].message


# --------------------------------------------------------------------------
# The locator


LOCATOR_YAML = """\
sources:
  - id: essay
    date: 2023
relationships:
  - id: r
    amounts:
      - amount: 5
        currency: USD
      - {amount: 6, currency: EUR}
"""


def test_locator_points_at_keys_items_and_missing_fields(parser):
    _, loc, problems = parse(LOCATOR_YAML, "t.yaml")
    assert problems == []
    assert loc(("sources",)) == (1, 1)  # a key
    assert loc(("sources", 0)) == (2, 5)  # a list item: its mapping starts at `id`
    assert loc(("sources", 0, "date")) == (3, 5)
    assert loc.value(("sources", 0, "date")) == (3, 11)
    assert loc(("relationships", 0, "amounts", 0, "currency")) == (8, 9)
    assert loc(("relationships", 0, "amounts", 1, "currency")) == (9, 21)
    assert loc.value(("relationships", 0, "amounts", 1)) == (9, 9)
    # A missing field points at the start of the mapping it is missing from.
    assert loc(("sources", 0, "title")) == (2, 5)
    assert loc(("relationships", 0, "amounts", 1, "source")) == (9, 9)
    assert loc.exists(("relationships", 0, "id")) and not loc.exists(("relationships", 3))


# --------------------------------------------------------------------------
# Quotes


def test_quotes_normalise_typography_and_space_but_not_case():
    text = normalise("Acme’s partner\n  Bigco – the “big” one… said it.")
    assert text == "Acme's partner Bigco - the \"big\" one... said it."
    assert quote_in_text(normalise("Acme's partner Bigco - the \"big\""), text)
    assert quote_in_text(normalise("partner Bigco — the “big” one"), text)
    assert not quote_in_text(normalise("acme's partner"), text)
    assert quote_in_text(normalise("Acme’s partner … said it."), text)  # an ellipsis leaves words out
    assert not quote_in_text(normalise("said it … Acme’s partner"), text)  # in order only


def _write_pair(tmp_path, quote: str, text_name: str = "article.txt") -> Path:
    knowledge = (BAD / "quote_not_in_source.yaml").read_text(encoding="utf-8")
    knowledge = knowledge.replace("- article.txt", f"- {text_name}")
    knowledge = knowledge.replace("Bigco has put $3 billion into it", quote)
    path = tmp_path / "k.yaml"
    path.write_text(knowledge, encoding="utf-8")
    return path


def test_quote_case_matters(tmp_path):
    path = _write_pair(tmp_path, "bigco has put $2 billion into it")
    report = check_file(path, sources_dir=FIXTURES / "good")
    assert_problems(report, [(21, 9, ["not in the text of source 'essay'"])])


def test_sources_dir_finds_texts_by_file_name(tmp_path):
    path = _write_pair(tmp_path, "Bigco has put $2 billion into it")
    # article.txt is not next to k.yaml: the quote is skipped, not wrong.
    report = check_file(path)
    assert report.problems == []
    assert report.sources_checked == []
    assert report.sources_skipped["essay"].startswith("text file not found:")
    # With sources_dir, article.txt is found there by its name.
    report = check_file(path, sources_dir=FIXTURES / "good")
    assert report.problems == []
    assert report.sources_checked == ["essay"] and report.quote_count == 2


def test_quote_that_nearly_matches_says_how_far_it_matches(tmp_path):
    path = _write_pair(tmp_path, "Bigco has put $2 billion into it, all of it as cloud credits")
    report = check_file(path, sources_dir=FIXTURES / "good")
    assert_problems(report, [(21, 9, ["it matches the text up to '…Bigco has put $2 billion into it, '"])])


def test_quotes_not_checked_when_asked_not_to():
    report = check_file(BAD / "quote_not_in_source.yaml", sources_dir=FIXTURES / "good", check_quotes=False)
    assert report.problems == []
    assert not report.quotes_checked and report.sources_checked == []
    assert report.data is not None


def test_check_bytes_without_base_dir_skips_relative_texts():
    report = check_bytes((BAD / "quote_not_in_source.yaml").read_bytes(), "q.yaml")
    assert report.problems == []
    assert report.sources_skipped == {"essay": "no folder to find 'article.txt' in"}


# --------------------------------------------------------------------------
# More words


def _edit(old: str, new: str) -> bytes:
    text = (BAD / "dangling_entity.yaml").read_text(encoding="utf-8").replace("bigc0", "bigco")
    assert old in text
    return text.replace(old, new, 1).encode()


def test_unquoted_yes_as_text_says_to_quote_it():
    report = check_bytes(_edit("name: Bigco", "name: yes"), "t.yaml")
    assert_problems(report, [(14, 5, ["'name' of entity 'bigco' should be a string, got a yes/no value (true)", "quotes"])])


def test_reference_by_name_suggests_the_id():
    report = check_bytes(_edit("to: bigco", "to: Bigco"), "t.yaml")
    assert_problems(report, [(23, 5, ["unknown entity 'Bigco' in 'to'", "did you mean 'bigco'?"])])


def test_relationship_to_itself():
    report = check_bytes(_edit("to: bigco", "to: acme"), "t.yaml")
    assert_problems(report, [(23, 5, ["goes from 'acme' to itself"])])


def test_parent_chain_that_loops():
    content = _edit("    type: lab\n", "    type: lab\n    parents: [bigco]\n")
    content = content.replace(b"    type: company\n", b"    type: company\n    parents: [acme]\n")
    report = check_bytes(content, "t.yaml")
    assert_problems(report, [(9, 15, ["'parents' loop: acme -> bigco -> acme"])])


def test_missing_field_points_at_its_mapping():
    report = check_bytes(_edit("    kind: cloud\n", ""), "t.yaml")
    assert_problems(report, [(21, 5, ["missing field 'kind' in relationship 'acme-cloud-bigco'", "research"])])


def test_missing_sections():
    report = check_bytes(b"# just sources\nsources: []\nformat: 2\n", "t.yaml")
    assert_problems(
        report,
        [
            (2, 1, ["missing `entities`: a knowledge file needs `sources`, `entities` and `relationships`"]),
            (2, 1, ["missing `relationships`", "write `relationships: []` when there are none"]),
        ],
    )


def test_sections_that_are_not_lists():
    report = check_bytes(b"sources:\nentities: {}\nrelationships: 3\nformat: 2\n", "t.yaml")
    assert_problems(
        report,
        [
            (1, 1, ["'sources' should be a list, got nothing", "`sources: []`"]),
            (2, 1, ["'entities' should be a list, got a mapping"]),
            (3, 1, ["'relationships' should be a list, got a number (3)"]),
        ],
    )


@pytest.mark.parametrize(
    "old, new, where, words",
    [
        ("amount: 2000000000", "amount: yes", "47:9", "should be a number, got a yes/no value (true)"),
        ("amount: 2000000000", "amount: .inf", "47:9", "is infinite"),
        ("amount: 2000000000", "amount: .nan", "47:9", "is not a number (nan)"),
        ("value: 2019", "value: no", "20:9", "'value' of the 1st fact of entity 'acme-labs' should be a number"),
        ("kind: investment", "kind: [investment]", "42:5", "'kind' of relationship 'bigco-acme-investment' should be one of: research"),
        ("    type: lab\n", "    type: lab\n    2024: founded\n", "16:5", "unknown field 2024 in entity 'acme-labs'"),
    ],
)
def test_values_the_models_would_let_through_or_word_badly(old, new, where, words):
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    report = check_bytes(text.replace(old, new, 1).encode(), "t.yaml", base_dir=GOOD.parent)
    assert len(report.problems) == 1, lines(report)
    assert str(report.problems[0]).startswith(f"t.yaml:{where}: "), lines(report)
    assert words in report.problems[0].message


def test_dropped_values_are_not_reported_twice():
    # The parser says the tag is refused; the models do not add "should be a list".
    report = check_bytes(b"sources: !!set {a}\nentities: []\nrelationships: []\nformat: 2\n", "t.yaml")
    assert_problems(report, [(1, 10, ["tag '!!set' is not allowed"])])
    # Nor when an alias repeats the refused node.
    report = check_bytes(b"sources: &x !!set {a}\nentities: *x\nrelationships: []\nformat: 2\n", "t.yaml")
    assert_problems(report, [(1, 10, ["tag '!!set' is not allowed"])])


def test_loader_modules_stay_out_of_problems_import():
    # The query path imports aideps.knowledge.problems, .vocab, .files and aideps.graph.store;
    # none may pull in yaml or pydantic, nor the readers and checks that use them.
    import subprocess
    import sys

    heavy = (
        "yaml",
        "pydantic",
        "aideps.knowledge.reader",
        "aideps.knowledge.stream",
        "aideps.knowledge.validate",
        "aideps.knowledge.scan",
        "aideps.knowledge.engine",
        "aideps.knowledge.model",
    )
    code = (
        "import sys, aideps.knowledge.problems, aideps.graph.store, aideps.knowledge.vocab, aideps.knowledge.files; "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    src = str(Path(load.__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": src}, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------
# Any input at all: problems, never a traceback

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_YAMLISH = st.text(alphabet="ab:- []{},&*!'\"\n\t#?|>%@`01.~\\\u00e9\u2019", max_size=200)
_GOOD_TEXT = GOOD.read_text(encoding="utf-8")


def _line_count(text: str) -> int:
    """Lines as YAML counts them: CR, LF, CRLF, NEL, LS and PS all end a line."""
    return len(re.split("\r\n|[\r\n\x85\u2028\u2029]", text))


def _assert_sane(report, text_lines: int) -> None:
    for problem in report.problems:
        assert problem.message and "Traceback" not in problem.message
        assert 1 <= problem.line <= text_lines + 1, str(problem)
        assert problem.column >= 1, str(problem)
    if report.errors:
        assert report.data is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes_give_problems_not_exceptions(content):
    report = check_bytes(content, "fuzz.yaml")
    _assert_sane(report, _line_count(content.decode("utf-8", "replace")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_YAMLISH)
def test_any_yamlish_text_gives_problems_not_exceptions(text):
    report = check_bytes(text.encode("utf-8"), "fuzz.yaml")
    _assert_sane(report, _line_count(text))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_GOOD_TEXT) - 1), st.integers(0, 40), _YAMLISH)
def test_a_damaged_good_file_gives_problems_not_exceptions(at, cut, insert):
    text = _GOOD_TEXT[:at] + insert + _GOOD_TEXT[at + cut :]
    report = check_bytes(text.encode("utf-8"), "fuzz.yaml", base_dir=GOOD.parent)
    _assert_sane(report, _line_count(text))
