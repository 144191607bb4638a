"""Property-based tests (Hypothesis) of every command of the app.

* Generated valid knowledge files (a few sources, 1-15 entities, 0-30
  relationships, every kind, status and type, partial dates, amounts with
  qualifiers, aliases that never clash, unicode names, cycles): every command
  exits 0, `--json` prints one document that parses as strict JSON (no NaN)
  and round-trips, and the answers are those of the file just written (never
  of an earlier one at the same path).
* Mutations of those files (a line deleted, duplicated or swapped, a tab, a
  truncation, a changed character, a stray ': ' or '[', a value turned into a
  list): every command exits 0 or 1, with a message when 1, never a
  traceback, never a hang.

Every example writes to the same path, so an answer from a stale cache or
index would show. AIDEPS_PROPERTY_SCALE=10 runs ten times as many examples.
"""

from __future__ import annotations

import json
import os
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aideps.knowledge import vocab
from clihelp import argv, command_names, run, supports

# Commands that exit 1, with their answer on stdout, when they find nothing.
NOTHING_FOUND_EXITS_1 = {"search", "why"}
PER_EXAMPLE_SECONDS = 60
SCALE = max(1, int(os.environ.get("AIDEPS_PROPERTY_SCALE", "1")))


def examples(n: int) -> int:
    return n * SCALE


@contextmanager
def time_limit(seconds: int):
    """Fail, rather than hang, when an example takes too long."""

    def expired(signum, frame):
        raise TimeoutError(f"an example took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity (not JSON, though Python writes them)."""

    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


# --------------------------------------------------------------------------
# Valid knowledge files

# Words for names: letters from several scripts, digits, some punctuation;
# never control characters, quotes that YAML would need, or line breaks.
_NAME_CHARS = st.characters(
    categories=("Lu", "Ll", "Lo", "Nd"), exclude_characters="\u2028\u2029\x85"
) | st.sampled_from(list("éüßÅøçñ中文日本語한국어العربيةΩπ🙂-&.'()"))
_WORD = st.text(_NAME_CHARS, min_size=1, max_size=8)
_TEXT = st.text(
    st.characters(categories=("L", "N", "P", "Zs", "S"), exclude_characters="\u2028\u2029\x85\t"), min_size=1, max_size=40
).filter(lambda t: t.strip() != "")


@st.composite
def partial_dates(draw, low: int = 1990, high: int = 2030):
    year = draw(st.integers(low, high))
    precision = draw(st.sampled_from(["y", "y-int", "ym", "ymd"]))
    if precision == "y-int":
        return year  # an unquoted year: YAML reads a number, the models take it
    if precision == "y":
        return f"{year}"
    month = draw(st.integers(1, 12))
    if precision == "ym":
        return f"{year}-{month:02d}"
    day = draw(st.integers(1, 28))
    return f"{year}-{month:02d}-{day:02d}"


def _date_key(value) -> tuple:
    return tuple(int(p) for p in str(value).split("-"))


@st.composite
def format1_files(draw) -> dict:
    n_sources = draw(st.integers(1, 3))
    source_ids = [f"src-{i}" for i in range(n_sources)]
    sources = []
    for ident in source_ids:
        source = {"id": ident, "title": draw(_TEXT), "date": draw(partial_dates())}
        if draw(st.booleans()):
            source["author"] = draw(_TEXT)
        if draw(st.booleans()):
            source["date_note"] = draw(_TEXT)
        sources.append(source)

    def provenance():
        return [
            {"source": draw(st.sampled_from(source_ids)), "quote": draw(_TEXT)}
            for _ in range(draw(st.integers(1, 2)))
        ]

    n_entities = draw(st.integers(1, 15))
    entity_ids = [f"e{i}-{draw(st.sampled_from(['acme', 'bigco', 'lab', 'x']))}" for i in range(n_entities)]
    entities = []
    for i, ident in enumerate(entity_ids):
        # A space and the index in every name and alias: no two entities can clash,
        # and no name can be another entity's id (ids have no spaces).
        entity = {
            "id": ident,
            "name": f"{draw(_WORD)} {i}",
            "type": draw(st.sampled_from(vocab.ENTITY_TYPES)),
            "description": draw(_TEXT),
            "provenance": provenance(),
        }
        aliases = [f"{draw(_WORD)} {i}.{j}" for j in range(draw(st.integers(0, 2)))]
        if aliases:
            entity["aliases"] = aliases
        if i and draw(st.booleans()):
            entity["parent"] = entity_ids[draw(st.integers(0, i - 1))]  # earlier only: no parent loops
        facts = []
        for k in range(draw(st.integers(0, 2))):
            fact = {
                "key": f"fact_{k}",
                "value": draw(
                    st.integers(0, 10**15)
                    | st.floats(0, 1e13, allow_nan=False, allow_infinity=False)
                    | _TEXT
                ),
                "qualifier": draw(st.sampled_from(vocab.QUALIFIERS)),
                "source": draw(st.sampled_from(source_ids)),
                "quote": draw(_TEXT),
            }
            if draw(st.booleans()):
                fact["currency"] = draw(st.sampled_from(["USD", "EUR", "CNY"]))
            if draw(st.booleans()):
                fact["as_of"] = draw(partial_dates())
            facts.append(fact)
        if facts:
            entity["facts"] = facts
        entities.append(entity)

    relationships = []
    if n_entities >= 2:
        for r in range(draw(st.integers(0, 30))):
            a, b = draw(st.lists(st.sampled_from(entity_ids), min_size=2, max_size=2, unique=True))
            rel = {
                "id": f"r{r}",
                "from": a,
                "to": b,
                "kind": draw(st.sampled_from(vocab.KINDS)),
                "status": draw(st.sampled_from(vocab.STATUSES)),
                "summary": draw(_TEXT),
                "provenance": provenance(),
            }
            if draw(st.booleans()):
                start = draw(partial_dates(1990, 2020))
                rel["start"] = start
                if draw(st.booleans()):
                    rel["end"] = draw(partial_dates(_date_key(start)[0] + 1, 2030))
            amounts = []
            for _ in range(draw(st.integers(0, 2))):
                amounts.append(
                    {
                        "amount": draw(st.integers(0, 10**13) | st.floats(0, 1e13, allow_nan=False, allow_infinity=False)),
                        "currency": draw(st.sampled_from(["USD", "EUR", "GBP"])),
                        "qualifier": draw(st.sampled_from(vocab.QUALIFIERS)),
                        "source": draw(st.sampled_from(source_ids)),
                        "quote": draw(_TEXT),
                    }
                )
            if amounts:
                rel["amounts"] = amounts
            if draw(st.integers(0, 4)) == 0:
                rel["terms"] = [{"name": "exclusive", "summary": draw(_TEXT)}]
            if rel["kind"] == "in_house" and draw(st.booleans()):
                rel["replaces"] = [draw(st.sampled_from(entity_ids))]
            history = sorted(
                (draw(partial_dates(1990, 2030)) for _ in range(draw(st.integers(0, 2)))), key=_date_key
            )
            if history:
                rel["history"] = [
                    {
                        "date": when,
                        "status": draw(st.sampled_from(vocab.STATUSES)),
                        "source": draw(st.sampled_from(source_ids)),
                        "quote": draw(_TEXT),
                    }
                    for when in history
                ]
            relationships.append(rel)
        if n_entities >= 3 and draw(st.booleans()):
            # A cycle of dependency through three entities (valid data).
            x, y, z = entity_ids[:3]
            for n, (a, b) in enumerate(((x, y), (y, z), (z, x))):
                relationships.append(
                    {
                        "id": f"cycle-{n}",
                        "from": a,
                        "to": b,
                        "kind": draw(st.sampled_from(vocab.DEPENDENCY_KINDS)),
                        "status": "active",
                        "summary": "A loop.",
                        "provenance": [{"source": source_ids[0], "quote": "Round and round."}],
                    }
                )
    return {"sources": sources, "entities": entities, "relationships": relationships}


def knowledge_files():
    """Valid knowledge files in format 2: format-1 ones, migrated (tests/format1.py)."""
    from format1 import to_format2

    return format1_files().map(to_format2)


def to_yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _arguments(data: dict) -> tuple[str, str, str]:
    """Two entities for NAME / A B (a dependency between them when there is one), and a word to search."""
    ids = [e["id"] for e in data["entities"]]
    pair = (ids[0], ids[1] if len(ids) > 1 else ids[0])
    for rel in data["relationships"]:
        if rel["kind"] in vocab.DEPENDENCY_KINDS:
            pair = (rel["from"], rel["to"])
            break
    return pair[0], pair[1], data["entities"][0]["name"].split()[0]


def _command_lines(path: Path, data: dict) -> list[tuple[str, list[str]]]:
    first, second, word = _arguments(data)
    out = []
    for name in command_names():
        args = argv(name, path, entities=(first, second))
        if name == "search":
            args = ["--data", str(path), "search", "--", word]  # a word may start with '-'
        if name == "why" and first == second:
            continue  # a usage error by design: A and B are the same
        out.append((name, args))
    return out


def with_flag(args: list[str], flag: str) -> list[str]:
    """`args` with an option added before any `--`."""
    if "--" in args:
        at = args.index("--")
        return args[:at] + [flag] + args[at:]
    return args + [flag]


def _no_traceback(result) -> None:
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text[-3000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=knowledge_files())
def test_valid_files_every_command_exits_0_and_json_round_trips(data, workdir):
    path = workdir / "k.yaml"  # the same path every time: a stale answer would show
    path.write_text(to_yaml(data), encoding="utf-8")
    ids = {e["id"] for e in data["entities"]}
    with time_limit(PER_EXAMPLE_SECONDS):
        validate = run("validate", str(path), "--json")
        report = strict_json(validate.stdout)
        assert validate.exit_code == 0, [p["message"] for p in report["problems"]]
        listed = strict_json(run("--data", str(path), "list", "--json").stdout)
        assert {e["id"] for e in listed["entities"]} == ids  # this file's answer, not a cached one
        for name, args in _command_lines(path, data):
            expected = (0, 1) if name in NOTHING_FOUND_EXITS_1 else (0,)
            result = run(*args)
            _no_traceback(result)
            assert result.exit_code in expected, (name, args, result.stdout[-2000:], result.stderr[-2000:])
            if supports(name, "--json"):
                result = run(*with_flag(args, "--json"))
                _no_traceback(result)
                assert result.exit_code in expected, (name, result.stderr[-2000:])
                document = strict_json(result.stdout)
                assert json.loads(json.dumps(document)) == document
                assert result.stdout.count("\n") == result.stdout.rstrip("\n").count("\n") + 1  # one document
            if supports(name, "--csv") and name != "export":
                result = run(*with_flag(args, "--csv"))
                _no_traceback(result)
                assert result.exit_code in expected, (name, result.stderr[-2000:])


def test_numbers_round_trip_exactly(workdir):
    """Large and fractional figures come out of --json as they went in."""
    data = {
        "format": 2,
        "sources": [{"id": "s", "title": "T", "date": "2024"}],
        "entities": [
            {"id": "a", "name": "A", "type": "lab", "description": "d", "provenance": [{"source": "s", "quote": "q"}],
             "facts": [{"key": "big", "value": 123456789012345678, "source": "s", "quote": "q"},
                       {"key": "small", "value": 0.1, "source": "s", "quote": "q"}]},
            {"id": "b", "name": "B", "type": "lab", "description": "d", "provenance": [{"source": "s", "quote": "q"}]},
        ],
        "relationships": [
            {"id": "r", "from": "a", "to": "b", "kind": "investment", "stage": "active", "summary": "s",
             "amounts": [{"amount": 13.5e9, "currency": "USD", "source": "s", "quote": "q"},
                         {"amount": 9007199254740993, "currency": "USD", "source": "s", "quote": "q"}],
             "provenance": [{"source": "s", "quote": "q"}]},
        ],
    }
    path = workdir / "numbers.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    shown = strict_json(run("--data", str(path), "show", "a", "--json").stdout)
    facts = {f["key"]: f["value"] for f in shown["entity"]["facts"]}
    assert facts == {"big": 123456789012345678, "small": 0.1}
    edge = next(e for e in shown["relationships"] if e["kind"] == "investment")
    assert [a["amount"] for a in edge["amounts"]] == [13.5e9, 9007199254740993]


# --------------------------------------------------------------------------
# Mutations


_INSERTS = st.sampled_from(["\t", ": ", "[", "]", "{", "- ", "'", '"', "&a ", "*a", "!!python/name:os.system ", "#", "\\", "\u00e9", "\x00", "%", "@", "? ", "---\n", "\r"])


@st.composite
def mutations(draw, text: str) -> tuple[str, list[str]]:
    """`text` with 1 to 3 mutations applied, and their names."""
    done = []
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        op = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "tab", "truncate", "char", "insert", "colon", "bracket", "to_list"]
            )
        )
        n = draw(st.integers(0, max(0, len(lines) - 1)))
        at = draw(st.integers(0, max(0, len(text) - 1)))
        if op == "delete":
            del lines[n]
            text = "\n".join(lines)
        elif op == "duplicate":
            lines.insert(n, lines[n])
            text = "\n".join(lines)
        elif op == "swap":
            m = draw(st.integers(0, max(0, len(lines) - 1)))
            lines[n], lines[m] = lines[m], lines[n]
            text = "\n".join(lines)
        elif op == "tab":
            text = text[:at] + "\t" + text[at:]
        elif op == "truncate":
            text = text[:at]
        elif op == "char":
            text = text[:at] + draw(st.characters(exclude_categories=("Cs",))) + text[at + 1 :]
        elif op == "insert":
            text = text[:at] + draw(_INSERTS) + text[at:]
        elif op == "colon":
            text = text[:at] + ": " + text[at:]
        elif op == "bracket":
            text = text[:at] + "[" + text[at:]
        elif op == "to_list":
            line = lines[n]
            if ": " in line:
                key, _, value = line.partition(": ")
                lines[n] = f"{key}: [{value}, {draw(st.sampled_from(['x', '1', 'null', '[y]']))}]"
            text = "\n".join(lines)
        done.append(op)
    return text, done


@st.composite
def mutated_files(draw) -> tuple[dict, str, list[str]]:
    data = draw(knowledge_files())
    text, done = draw(mutations(to_yaml(data)))
    return data, text, done


@settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=mutated_files())
def test_mutated_files_exit_0_or_1_with_a_message_never_a_traceback(case, workdir):
    data, text, done = case
    path = workdir / "m.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    started = time.perf_counter()
    with time_limit(PER_EXAMPLE_SECONDS):
        for name, args in _command_lines(path, data):
            result = run(*args)
            _no_traceback(result)
            assert result.exit_code in (0, 1), (done, name, result.exit_code, result.stderr[-2000:])
            if result.exit_code == 1:
                said = result.stderr.strip() or (name in NOTHING_FOUND_EXITS_1 and result.stdout.strip())
                assert said, (done, name, "exit 1 without a word")
            if supports(name, "--json") and result.exit_code == 0:
                json_result = run(*with_flag(args, "--json"))
                _no_traceback(json_result)
                assert json_result.exit_code == 0, (done, name, json_result.stderr[-2000:])
                strict_json(json_result.stdout)
    assert time.perf_counter() - started < PER_EXAMPLE_SECONDS


@settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=mutated_files())
def test_validate_and_the_query_commands_agree_on_a_mutated_file(case, workdir):
    """A file validate passes, every command reads; a file validate refuses, every command refuses."""
    _, text, done = case
    path = workdir / "agree.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    validate = run("validate", str(path), "--no-quotes")
    listed = run("--data", str(path), "list")
    _no_traceback(validate)
    _no_traceback(listed)
    assert validate.exit_code in (0, 1) and listed.exit_code == validate.exit_code, (done, validate.stdout, listed.stderr)
    if listed.exit_code == 1:
        errors = {line for line in validate.stdout.splitlines() if ": note: " not in line}
        assert set(listed.stderr.splitlines()) <= errors, (done, listed.stderr, errors)


# --------------------------------------------------------------------------
# The text and number policies (issue #15): a valid file with one hostile
# character in any text, or one figure that is not finite, is refused by
# validate at a place, and by the query commands alike.

_HOSTILE_CHARS = st.sampled_from(
    ["\n", "\t", "\r", "\x1b", "\x9b", "\u202e", "\u2066", "\u200f", "\u061c", "\u2028", "\u2029", "\u200b", "\u200d",
     "\u2060", "\ufeff", "\U000e0041", "\U000e007f", "\ufdd0", "\ufffe", "\U0001ffff", "\U0010fffe"]
)
_TEXT_FIELDS = {"sources": ["title"], "entities": ["name", "description"], "relationships": ["summary"]}


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=knowledge_files(), char=_HOSTILE_CHARS, pick=st.data())
def test_a_hostile_character_in_any_text_is_refused(data, char, pick, workdir):
    from aideps.knowledge.text import unsafe

    section = pick.draw(st.sampled_from(sorted(s for s in _TEXT_FIELDS if data[s])))
    item = pick.draw(st.sampled_from(data[section]))
    field = pick.draw(st.sampled_from(_TEXT_FIELDS[section]))
    at = pick.draw(st.integers(0, len(item[field])))
    item[field] = item[field][:at] + char + item[field][at:]
    path = workdir / "hostile.yaml"
    text = to_yaml(data)
    # (A YAML writer may write a line break raw, which a reader folds into a space: then there is nothing to refuse.)
    assume(char in yaml.safe_load(text)[section][data[section].index(item)][field])
    path.write_text(text, encoding="utf-8")
    validate = run("validate", str(path), "--no-quotes")
    _no_traceback(validate)
    assert validate.exit_code == 1, (repr(char), validate.stdout)
    assert f"U+{ord(char):04X}" in validate.stdout
    assert unsafe(validate.stdout.replace("\n", "")) is None  # said as U+XXXX, never printed raw
    listed = run("--data", str(path), "list")
    assert listed.exit_code == 1 and listed.stdout == "" and f"U+{ord(char):04X}" in listed.stderr


_BAD_FIGURES = st.sampled_from(["inf", "Infinity", "12", "1e400", float("inf"), float("nan"), 10**31, 10**400, 1e31])


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=knowledge_files(), figure=_BAD_FIGURES, pick=st.data())
def test_a_figure_that_is_not_finite_or_is_quoted_is_refused(data, figure, pick, workdir):
    amounts = [a for rel in data["relationships"] for a in rel.get("amounts", [])]
    facts = [f for e in data["entities"] for f in e.get("facts", [])]
    targets = [(a, "amount") for a in amounts] + ([(f, "value") for f in facts] if not isinstance(figure, str) else [])
    if not targets:
        return
    holder, key = pick.draw(st.sampled_from(targets))
    holder[key] = figure
    path = workdir / "figures.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    validate = run("validate", str(path), "--no-quotes", "--json")
    _no_traceback(validate)
    report = strict_json(validate.stdout)
    assert validate.exit_code == 1, (figure, report)
    assert any(f"'{key}' of" in p["message"] for p in report["problems"]), report
    listed = run("--data", str(path), "list", "--json")
    assert listed.exit_code == 1 and listed.stdout == ""
