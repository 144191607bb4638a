"""The one text policy (aideps.knowledge.text) and validate's use of it
(issue #15): characters that could change what a terminal shows are refused
in data, with file:line:col and a fix, and shown escaped elsewhere."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aideps.knowledge.text import escaped, unsafe
from aideps.knowledge.validate import check_bytes

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "good" / "small.yaml"

BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
ZERO_WIDTH = {0x200B, 0x200C, 0x200D, *range(0x2060, 0x2065), 0xFEFF}


def refused(n: int) -> bool:
    """The policy written out from its classes, independently of the code."""
    return (
        unicodedata.category(chr(n)) in ("Cc", "Cs")
        or n in BIDI
        or n in (0x2028, 0x2029)
        or n in ZERO_WIDTH
        or 0xE0000 <= n <= 0xE007F
        or 0xFDD0 <= n <= 0xFDEF
        or n & 0xFFFE == 0xFFFE
    )


def test_every_code_point_is_decided_as_the_classes_say():
    wrong = [hex(n) for n in range(0x110000) if (unsafe(chr(n)) is not None) != refused(n)]
    assert wrong == []


CLASS_SAMPLES = {
    "a control character": ["\x00", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\x9b"],
    "a bidi control": ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c"],
    "a line or paragraph separator": ["\u2028", "\u2029"],
    "a zero-width character": ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"],
    "a tag character": ["\U000e0000", "\U000e0041", "\U000e007f"],
    "a noncharacter": ["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"],
}
REFUSED = st.sampled_from([(c, kind) for kind, chars in CLASS_SAMPLES.items() for c in chars]) | st.integers(
    0xE0000, 0xE007F
).map(lambda n: (chr(n), "a tag character")) | st.integers(0, 16).map(
    lambda p: (chr(p << 16 | 0xFFFF), "a noncharacter")
)
# Ordinary text of many scripts: Latin, Greek, Cyrillic, CJK, Hangul, Arabic and Hebrew letters, emoji.
ORDINARY = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E)
    | st.characters(min_codepoint=0xC0, max_codepoint=0x24F)
    | st.characters(min_codepoint=0x391, max_codepoint=0x3C9)
    | st.characters(min_codepoint=0x410, max_codepoint=0x44F)
    | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
    | st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
    | st.characters(min_codepoint=0x621, max_codepoint=0x64A)
    | st.characters(min_codepoint=0x5D0, max_codepoint=0x5EA)
    | st.characters(min_codepoint=0x1F300, max_codepoint=0x1F64F),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(before=ORDINARY, char=REFUSED, after=ORDINARY)
def test_a_refused_character_is_found_where_it_is(before, char, after):
    text = before + char[0] + after
    assert unsafe(text) == (len(before), char[0], char[1])
    shown = escaped(text)
    assert unsafe(shown) is None and shown.startswith(before) and shown.endswith(after)


@settings(max_examples=300, deadline=None)
@given(text=ORDINARY)
def test_ordinary_letters_of_many_scripts_are_accepted_and_shown_as_they_are(text):
    assert unsafe(text) is None
    assert escaped(text) == text


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(exclude_characters="\\"), max_size=40))
@example(text="a\udc80\x80\u202e")
def test_escaped_text_can_be_read_back(text):
    shown = escaped(text)
    assert unsafe(shown) is None
    back = re.sub(r"\\x([0-9a-f]{2})|\\u([0-9a-f]{4})|\\U([0-9a-f]{8})", lambda m: chr(int(m.group(m.lastindex), 16)), shown)
    # a byte that was not UTF-8 (surrogateescape's U+DC80-U+DCFF) is shown as that byte: \x80
    assert back == re.sub("[\udc80-\udcff]", lambda m: chr(ord(m.group()) - 0xDC00), text)


def test_escapes_are_python_style():
    assert escaped("a\x1b[2Jb\u202ec\U000e0041d\tz é 中") == "a\\x1b[2Jb\\u202ec\\U000e0041d\\x09z é 中"


def _file_with_name(name_yaml: str) -> bytes:
    text = GOOD.read_text(encoding="utf-8")
    assert "name: Bigco\n" in text
    return text.replace("name: Bigco\n", f"name: {name_yaml}\n", 1).encode("utf-8")


@pytest.mark.parametrize(
    "written, code",
    [
        ('"Bigco\\nrelies on:  EVIL"', "U+000A LINE FEED"),
        ('"Big\\tco"', "U+0009 TAB"),
        ('"Bigco\\u202E"', "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ('"Big\\u2028co"', "U+2028 LINE SEPARATOR"),
        ('"Big\\u200Bco"', "U+200B ZERO WIDTH SPACE"),
        ('"Bigco\\U000E0041"', "U+E0041 TAG LATIN CAPITAL LETTER A"),
        ('"Bigco\\uFFFE"', "U+FFFE"),
        ('"Bigco\\uFDD0"', "U+FDD0"),
        ('"Big\\u2066co"', "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("|\n      Bigco\n      relies on: EVIL", "U+000A LINE FEED"),
    ],
)
def test_validate_refuses_each_class_in_a_name_with_its_place_and_a_fix(written, code):
    report = check_bytes(_file_with_name(written), "k.yaml")
    [problem] = report.errors
    assert (problem.line, problem.column) == (31, 11)
    assert problem.message.startswith(f"'name' of entity 'bigco' holds {code}")
    assert problem.message.endswith("remove it: it could change what a terminal shows")
    assert unsafe(str(problem)) is None  # the message itself is safe to print


@pytest.mark.parametrize("written", ['"   "', '"\\u00a0"', "' '"])
def test_a_blank_name_is_refused(written):
    [problem] = check_bytes(_file_with_name(written), "k.yaml").errors
    assert str(problem).startswith("k.yaml:31:11: 'name' of entity 'bigco' is blank")


def test_every_string_of_an_item_is_checked_not_only_names():
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("quote: Acme Labs was founded in 2019.", 'quote: "Acme Labs was founded in 2019.\\u202E"')
    [problem] = check_bytes(text.encode(), "k.yaml").errors
    assert str(problem).startswith("k.yaml:22:16: 'quote' of the 1st fact of entity 'acme-labs' holds U+202E")


def test_ordinary_text_of_many_scripts_validates():
    text = GOOD.read_text(encoding="utf-8").replace("name: Bigco\n", 'name: "Bigco 中文 العربية Ωμέγα 🙂 Ünïcødé"\n')
    assert check_bytes(text.encode(), "k.yaml").errors == []


def test_a_problem_never_prints_an_unsafe_character_of_its_file_name_or_message():
    from aideps.knowledge.problems import Problem

    problem = Problem("evil\x1b]0;pwned\x07.yaml", 3, 4, "unknown kind 'a\u202eb\U000e0041' in relationship 'r'")
    assert str(problem) == "evil\\x1b]0;pwned\\x07.yaml:3:4: unknown kind 'a\\u202eb\\U000e0041' in relationship 'r'"


def test_the_quick_look_at_an_item_never_misses_what_the_policy_refuses():
    # check_text first looks at an item's repr (C speed): no backslash and no
    # quoted run of spaces means nothing to refuse. That holds because repr
    # escapes every character the policy refuses, and every white space but
    # the ASCII space.
    from aideps.knowledge.item_checks import _plainly_fine

    missed = [hex(n) for n in range(0x110000) if (refused(n) or (chr(n).isspace() and n != 0x20)) and "\\" not in repr(chr(n))]
    assert missed == []
    assert _plainly_fine({"name": "OpenAI", "aliases": ["a", "b c"], "n": 1.5, "x": None, "ok": True})
    for blank in ({"name": " "}, {"aliases": ["  "]}, {"aliases": ["a", " "]}, {"a": {"b": [{"c": "   "}]}}):
        assert not _plainly_fine(blank), blank
    for odd in ({"name": "a\u202eb"}, {"quote": "tab\there"}, {"q": "back\\slash"}, {"x": [["\u2028"]]}):
        assert not _plainly_fine(odd), odd


@settings(max_examples=400, deadline=None)
@given(st.recursive(st.text(max_size=6), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=8))
def test_an_item_the_quick_look_passes_has_nothing_to_refuse(node):
    from aideps.knowledge.item_checks import _plainly_fine, check_text
    from aideps.knowledge.words import Place

    found: list = []

    class Nowhere:
        def key(self, rest=()):
            return (0, 0)

        value = key

    if _plainly_fine(node):
        check_text(Place(("entities", 0), node, Nowhere()), node, lambda *a: found.append(a), ("walked",))
        assert found == []
