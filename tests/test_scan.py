"""Reading a knowledge file one item at a time (aideps.knowledge.stream, aideps.knowledge.scan)
says exactly what reading it whole (aideps.knowledge.validate.check_bytes) says -- both
feed the one checking engine (aideps.knowledge.engine) -- and the fast reader
(aideps.knowledge.fastyaml) builds exactly what libyaml's events build.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from aideps.knowledge.scan import scan
from aideps.knowledge.stream import Item, Restart, SectionEnd, Stream
from aideps.knowledge.validate import check_bytes

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
EVERY_FIXTURE = sorted(FIXTURES.rglob("*.yaml")) + [REPO / "data" / "entities.yaml"]
BASES = [REPO / "data" / "entities.yaml", FIXTURES / "mini.yaml", FIXTURES / "good" / "small.yaml"]


def same_report(content: bytes, name: str, base: Path, **options) -> None:
    whole = check_bytes(content, name, base_dir=base, **options)
    for fast in (True, False):
        streamed = scan(io.BytesIO(content), name, base_dir=base, fast=fast, **options)
        assert [str(p) for p in streamed.problems] == [str(p) for p in whole.problems], fast
        assert streamed.ok == whole.ok
        assert (streamed.quotes_checked, streamed.quote_count) == (whole.quotes_checked, whole.quote_count)
        assert streamed.sources_checked == whole.sources_checked
        assert streamed.sources_skipped == whole.sources_skipped
        if whole.data is not None:
            assert streamed.counts == {s: len(whole.data[s]) for s in ("sources", "entities", "relationships")}


@pytest.mark.parametrize("path", EVERY_FIXTURE, ids=lambda p: str(p.relative_to(REPO)))
def test_every_fixture_reads_the_same_streamed(path):
    same_report(path.read_bytes(), str(path), path.parent)


def _mutated(rng: random.Random, text: str) -> bytes:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.2:
            del lines[i]
        elif op < 0.4:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op < 0.5:
            lines[i] = lines[i].replace(":", "", 1)
        elif op < 0.6:
            lines[i] += rng.choice([" x", "\t", " #c", " &a", " *a", ": y", "'", '"', "[", "}"])
        elif op < 0.7:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op < 0.8:
            lines[i] = "  " + lines[i]
        elif op < 0.9:
            lines[i] = lines[i][2:]
        else:
            key = rng.choice(["id", "from", "to", "kind", "status", "source", "parent", "name", "date", "amount"])
            indent = " " * (len(lines[i]) - len(lines[i].lstrip()))
            lines.insert(i, f"{indent}{key}: {rng.choice(['x', '1', 'yes', '2024-13', 'openai', '~', '[]'])}")
    return "\n".join(lines).encode()


def _sections_shuffled(rng: random.Random, text: str) -> str:
    parts = re.split(r"(?m)^(?=(?:sources|entities|relationships):)", text)
    head, sections = parts[0], [p if p.endswith("\n") else p + "\n" for p in parts[1:]]
    rng.shuffle(sections)
    return head + "".join(sections)


@pytest.mark.parametrize("seed", range(6))
def test_broken_files_read_the_same_streamed(seed):
    """Random damage, and sections in any order (references before what they
    name): the same problems, in the same words, at the same places."""
    for base, content in damaged_files(seed, 25):
        same_report(content, str(base), base.parent)


def damaged_files(seed: int, count: int) -> "Iterator[tuple[Path, bytes]]":
    """(the file it was made from, its damaged content): `count` of them,
    sections in any order half the time, most of them damaged."""
    rng = random.Random(seed)
    for _ in range(count):
        base = rng.choice(BASES)
        text = base.read_text(encoding="utf-8")
        if rng.random() < 0.5:
            text = _sections_shuffled(rng, text)
        yield base, _mutated(rng, text) if rng.random() < 0.85 else text.encode()


@pytest.mark.parametrize("use_libyaml", [False] + ([True] if yaml.__with_libyaml__ else []), ids=["python", "libyaml"][:1 + yaml.__with_libyaml__])
@pytest.mark.parametrize("fast", [False, True])
def test_nesting_too_deep_is_our_64_levels_streamed(use_libyaml, fast):
    """libyaml (PyYAML >= 6.0.4) has a nesting limit of its own; read whole
    or streamed, by either YAML parser, it is said as ours."""
    content = ("sources:\n  - a: " + "[" * 3000 + "]" * 3000 + "\nentities: []\nrelationships: []\n").encode()
    streamed = scan(io.BytesIO(content), "deep.yaml", use_libyaml=use_libyaml, fast=fast)
    [problem] = streamed.problems
    assert (problem.line, problem.message) == (
        2,
        "lists and mappings nested more than 64 levels deep; a knowledge file needs only a few levels",
    )
    [whole] = check_bytes(content, "deep.yaml").problems
    assert (whole.line, whole.message) == (problem.line, problem.message)


def test_the_engine_checks_items_fed_by_hand_as_a_reader_would():
    """The engine does not care who reads: the items of a parsed document,
    fed by hand in file order, give check_bytes' report."""
    from aideps.knowledge.engine import Engine
    from aideps.knowledge.reader import Item, SectionEnd, items_of, parse

    for path in [FIXTURES / "bad" / "many_problems.yaml", FIXTURES / "bad" / "cycle.yaml", FIXTURES / "mini.yaml"]:
        content = path.read_bytes()
        parsed = parse(content, str(path))
        engine = Engine(str(path), check_quotes=False)
        records = list(items_of(parsed.data, parsed.locator))
        assert {type(r) for r in records} == {Item, SectionEnd}
        for record in records:
            if isinstance(record, SectionEnd):
                engine.section_end(record.section, record.count)
            else:
                engine.item(record.section, record.index, record.value, record.locator, record.dropped)
        report = engine.finish(
            failed=False, problems=parsed.problems, root=parsed.data, locator=parsed.locator, empty_line=lambda: None
        )
        whole = check_bytes(content, str(path), check_quotes=False)
        assert [str(p) for p in report.problems] == [str(p) for p in whole.problems]
        assert report.counts == {s: len(parsed.data[s]) for s in ("sources", "entities", "relationships")}


def test_a_one_item_check_runs_whatever_the_item_holds():
    """Each item goes through every check of one item: no check is skipped
    because a field it does not read is missing (a history out of order
    without start or end, an infinite fact value), streamed or not."""
    text = (FIXTURES / "good" / "small.yaml").read_text(encoding="utf-8")
    broken = text.replace("value: 2019", "value: .inf", 1)
    assert broken != text
    same_report(broken.encode(), "t.yaml", None)
    report = scan(io.BytesIO(broken.encode()), "t.yaml")
    assert any("is infinite" in p.message for p in report.problems)


def test_quotes_are_checked_the_same_streamed(tmp_path):
    good = FIXTURES / "good" / "small.yaml"
    text = good.read_text(encoding="utf-8")
    (tmp_path / "article.txt").write_bytes((good.parent / "article.txt").read_bytes())
    broken = text.replace("quote: Acme Labs", "quote: Acme Lads", 1)
    for content in (text, broken, _sections_shuffled(random.Random(3), broken)):
        same_report(content.encode(), str(tmp_path / "small.yaml"), tmp_path)


# ---- the fast reader ---------------------------------------------------------


def _records(content: bytes, fast: bool) -> tuple[list, tuple]:
    stream = Stream(io.BytesIO(content), "f.yaml", fast=fast)
    out: list = []

    def positions(value, loc, path=()):
        found = {path: (loc.key(path), loc.value(path))}
        if isinstance(value, dict):
            for k, v in value.items():
                found.update(positions(v, loc, path + (k,)))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                found.update(positions(v, loc, path + (i,)))
        return found

    for record in stream:
        if isinstance(record, Restart):
            out.append("restart")
        elif isinstance(record, SectionEnd):
            out.append(("end", record.section, record.count))
        else:
            assert isinstance(record, Item)
            out.append((record.section, record.index, record.value, record.pos, positions(record.value, record.locator)))
    root = stream.root
    top = {k: (stream.locator.key((k,)), stream.locator.value((k,))) for k in root} if isinstance(root, dict) else None
    return out, (stream.failed, [str(p) for p in stream.problems], root, top, stream.fast_used)


def assert_fast_reads_like_libyaml(content: bytes, *, fast_expected: bool | None = True) -> None:
    fast, fast_end = _records(content, True)
    slow, slow_end = _records(content, False)
    if "restart" in fast:
        assert fast_expected is not True, "the fast reader gave up"
        fast = fast[fast.index("restart") + 1 :]
    else:
        assert fast_expected is not False, "the fast reader read what it should have left to libyaml"
    assert fast == slow
    assert fast_end[:4] == slow_end[:4]


def test_the_fast_reader_builds_what_libyaml_builds_on_generated_files(tmp_path):
    from test_index import synthetic

    content = synthetic(tmp_path / "s.yaml", entities=200, relationships=1500).read_bytes()
    assert_fast_reads_like_libyaml(content)
    assert_fast_reads_like_libyaml((FIXTURES / "mini.yaml").read_bytes())


FAST = {
    "indentless lists": "sources:\n- id: a\n  title: T\n  text:\n  - a.txt\n  date: 2024\nentities: []\nrelationships: []\n",
    "flow lists": "entities:\n  - id: e\n    aliases: [a b, 'c''d', \"e f\", 12, yes,  g  ]\n    x: []\n",
    "comments": "# head\nsources:   # trailing\n  # inside\n  - id: a   # c\n    title: \"T # not a comment\"\n\n    date: 2024-01 #x\n",
    "scalars": "s:\n  - a: 1\n    b: 1.5\n    c: true\n    d: null\n    e: ~\n    f: 0x1F\n    g: 2024-01-02\n    h: 'it''s'\n    i: C#\n    j: http://x.y/z\n",
    "deep": "s:\n  - a:\n      b:\n        - c: 1\n          d:\n            e: 2\n    f: 3\n",
    "scalar items": "s:\n  - 1\n  - two\n  - 'three'\n",
    "top scalars": "a: 1\nb: text\nc: []\n",
}
SLOW = {
    "anchor": "s:\n  - a: &x 1\n    b: *x\n",
    "block scalar": "s:\n  - a: >-\n      folded\n      text\n",
    "multi-line plain": "s:\n  - a: some\n      more\n",
    "escape": 's:\n  - a: "tab\\there"\n',
    "tab": "s:\n  - a:\tb\n",
    "duplicate key": "s:\n  - a: 1\n    a: 2\n",
    "empty value": "s:\n  - a:\n    b: 2\n",
    "tag": "s:\n  - a: !!str 1\n",
    "flow mapping": "s:\n  - a: {b: 1}\n",
    "document marker": "---\ns:\n  - a: 1\n",
    "crlf": "s:\r\n  - a: 1\r\n",
    "long key": "s:\n  - " + "k" * 300 + ": 1\n",
    "colon in plain": "s:\n  - a: b: c\n",
    "top mapping": "s:\n  a: 1\n",
    "top flow items": "s: [1, 2]\n",
    "syntax error": "s:\n  - a: 1\n   b: 2\n",
    "bad indentation": "s:\n  - a: 1\n     b: 2\n",
    "unclosed quote": 's:\n  - a: "open\n',
    "negative number": "s:\n  - a: -5\n",
    "merge key": "s:\n  - <<: 1\n",
    "bool key": "s:\n  - yes: 1\n",
    "empty": "",
    "only comments": "# nothing\n",
}


@pytest.mark.parametrize("name", sorted(FAST))
def test_the_fast_reader_reads(name):
    assert_fast_reads_like_libyaml(FAST[name].encode())


@pytest.mark.parametrize("name", sorted(SLOW))
def test_the_fast_reader_leaves_the_rest_to_libyaml(name):
    assert_fast_reads_like_libyaml(SLOW[name].encode(), fast_expected=False)
    same_report(SLOW[name].encode(), "f.yaml", None)


def test_an_item_with_a_problem_far_into_a_file_restarts_cleanly(tmp_path):
    """Items already handed out are taken back: the sink starts again."""
    from test_index import synthetic

    text = synthetic(tmp_path / "s.yaml", entities=50, relationships=400).read_text(encoding="utf-8")
    text = text.replace("    kind: cloud\n", "    kind: &k cloud\n", 1)  # an anchor: libyaml's
    received: list = []

    class Sink:
        def __call__(self, section, index, data):
            received.append((section, index))

        def reset(self):
            received.clear()

    report = scan(io.BytesIO(text.encode()), "s.yaml", check_quotes=False, sink=Sink())
    assert report.ok and not report.fast
    assert len(received) == sum(report.counts.values())
    assert len(set(received)) == len(received)


# ---- random documents in (and around) the fast reader's part of YAML -----------

_WORDS = ["id", "name", "kind", "x_1", "Alias", "no", "on", "null", "true", "a"]
_PLAIN = ["openai", "2024", "2024-01", "2024-13-40", "1.5", "1e3", "0x1F", "0o17", "yes", "Off", "~", "null",
          "NaN", ".inf", "-1", "C#", "http://x/y", "a b  c", "it's", 'say "hi"', "ü → ß", "[not a list]",
          "a: b", "trailing:", "#hash", "&anchor", "*alias", "!tag", "|", ">", "%", "@", "`", "=", "<<", "-",
          "- item", "? q", "{x}", "a #comment", "tab\there", "'quoted'", "x" * 120]
_QUOTED = ['"plain words"', '"with # hash"', "'single ''quote'''", '"back\\\\slash"', '"esc\\n"', "'unclosed",
           '"unclosed', "''", '""', "'a' b", '"a"#c', '"a" #c']


_SAFE_PLAIN = ["openai", "2024", "2024-01", "1.5", "yes", "~", "C#", "a b  c", "it's", "ü → ß", "x" * 120, "0x1F"]
_SAFE_QUOTED = ['"plain words"', '"with # hash"', "'single ''quote'''", "''", '""', '"a" #c']
CLEAN = [False]  # set while a document is made only of what the fast reader reads


def _scalar(rng: random.Random) -> str:
    if CLEAN[0]:
        return rng.choice(_SAFE_PLAIN) if rng.random() < 0.7 else rng.choice(_SAFE_QUOTED)
    return rng.choice(_PLAIN) if rng.random() < 0.7 else rng.choice(_QUOTED)


def _flow(rng: random.Random) -> str:
    if CLEAN[0]:
        return "[" + ", ".join(rng.choice(["a", "b c", "'d'", '"e f"', "1"]) for _ in range(rng.randint(0, 3))) + "]"
    items = [rng.choice(["a", "b c", "'d'", '"e f"', "1", "yes", "[x]", "g: h", "", " "]) for _ in range(rng.randint(0, 4))]
    return "[" + ", ".join(items) + rng.choice(["]", "]", "]", ",]", "] #c", " ]"])


def _block(rng: random.Random, indent: int, depth: int) -> list[str]:
    """A block mapping at `indent`: key: value lines, nested blocks, comments."""
    lines = []
    keys = rng.sample([w for w in _WORDS if w not in ("no", "on", "null", "true")] if CLEAN[0] else _WORDS, rng.randint(1, 4))
    if rng.random() < 0.05 and not CLEAN[0]:
        keys.append(keys[0])  # a duplicate key
    for key in keys:
        pad = " " * indent
        roll = rng.random()
        if depth > 3 or roll < 0.55:
            lines.append(f"{pad}{key}: {_scalar(rng)}")
        elif roll < 0.65:
            lines.append(f"{pad}{key}: {_flow(rng)}")
        elif roll < 0.8:
            lines.append(f"{pad}{key}:")
            lines += _block(rng, indent + rng.choice([2, 2, 4] if CLEAN[0] else [2, 2, 4, 1]), depth + 1)
        else:
            lines.append(f"{pad}{key}:" + rng.choice(["", " # c"]))
            lines += _sequence(rng, indent + rng.choice([0, 2, 2]), depth + 1)
        if rng.random() < 0.1:
            extra = ["", "# comment", pad + "  # indented comment"] + ([] if CLEAN[0] else [pad + "  continued"])
            lines.append(rng.choice(extra))
    return lines


def _sequence(rng: random.Random, indent: int, depth: int) -> list[str]:
    lines = []
    for _ in range(rng.randint(1, 3)):
        pad = " " * indent
        if rng.random() < 0.7:
            inner = _block(rng, indent + 2, depth + 1)
            lines.append(pad + "- " + inner[0].lstrip(" "))
            lines += inner[1:]
        else:
            lines.append(pad + "- " + _scalar(rng))
    return lines


def _random_document(rng: random.Random) -> bytes:
    CLEAN[0] = rng.random() < 0.5
    lines = ["# a random knowledge-file-like document"] if rng.random() < 0.5 else []
    for key in rng.sample(["sources", "entities", "relationships", "extra"], rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.7:
            lines.append(f"{key}:")
            lines += _sequence(rng, rng.choice([0, 2, 2, 4]), 0)
        elif roll < 0.85:
            lines.append(f"{key}: []")
        else:
            lines.append(f"{key}: {_scalar(rng)}")
    return ("\n".join(lines) + rng.choice(["\n", "", "\n\n"])).encode()


@pytest.mark.parametrize("seed", range(8))
def test_random_documents_read_the_same_by_both_readers(seed):
    """Whatever the fast reader takes, it builds what libyaml builds (values,
    positions, sections, counts); what it does not take, it leaves."""
    rng = random.Random(seed)
    taken = 0
    for _ in range(150):
        content = _random_document(rng)
        fast, fast_end = _records(content, True)
        slow, slow_end = _records(content, False)
        if "restart" in fast:
            fast = fast[fast.index("restart") + 1 :]
        else:
            taken += 1
        assert fast == slow, content.decode()
        assert fast_end[:4] == slow_end[:4], content.decode()
    assert taken > 25  # the fast reader did read many of them
