"""Format 1 -> format 2: `aideps migrate` and the one problem a format-1 file gets."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aideps.knowledge.migrate import FlowStyle, migrate, migrate_text
from aideps.knowledge.scan import scan
from aideps.knowledge.validate import check_bytes

TESTS = Path(__file__).resolve().parents[1]
FORMAT1 = TESTS / "fixtures" / "format1"
sys.path.insert(0, str(TESTS))
from format1 import to_format2  # noqa: E402
from test_properties import format1_files  # noqa: E402

FIXTURES = sorted(p.name for p in FORMAT1.glob("*.yaml"))
MESSAGE = "this file is in format 1; convert it with `aideps migrate FILE` (docs/format.md)"


def _both(content: bytes) -> tuple[list[str], list[str]]:
    whole = check_bytes(content, "f.yaml", check_quotes=False)
    streamed = scan(io.BytesIO(content), "f.yaml", check_quotes=False)
    return [str(p) for p in whole.problems], [str(p) for p in streamed.problems]


def _status_or_parent(line: str) -> bool:
    return line.strip().lstrip("- ").startswith(("status:", "parent:"))


@pytest.mark.parametrize("name", FIXTURES)
def test_each_format1_fixture_round_trips(name):
    text = (FORMAT1 / name).read_text(encoding="utf-8")
    migrated = migrate_text(text)
    report = check_bytes(migrated.encode(), name, check_quotes=False)
    assert report.errors == [], [str(p) for p in report.errors]
    # The data: the old data mapped through FORMAT1_STATUS, field by field, nothing else.
    assert yaml.safe_load(migrated) == to_format2(yaml.safe_load(text))
    # Every line but the status and parent ones is kept, in order, comments included.
    kept = [line for line in text.splitlines() if not _status_or_parent(line)]
    new = iter(migrated.splitlines())
    assert all(any(line == other for other in new) for line in kept)
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(c in migrated.splitlines() for c in comments)


@pytest.mark.parametrize("name", FIXTURES)
def test_a_format1_file_gets_one_problem_from_both_readers(name):
    content = (FORMAT1 / name).read_bytes()
    whole, streamed = _both(content)
    assert whole == streamed
    assert len(whole) == 1 and whole[0].endswith(MESSAGE)
    first = next(n for n, line in enumerate(content.decode().splitlines(), 1) if line[:1].isalpha())
    assert whole[0].startswith(f"f.yaml:{first}:1: ")


@pytest.mark.parametrize(
    "head, words",
    [
        ("format: 1\n", MESSAGE),
        ("format: 3\n", "'format' is a number (3); this aideps reads format 2"),
        ('format: "2"\n', "'format' should be the number 2, not the string '2'; write `format: 2` without quotes"),
    ],
)
def test_other_formats_get_their_own_words(head, words):
    content = (head + "sources: []\nentities: []\nrelationships: []\n").encode()
    whole, streamed = _both(content)
    assert whole == streamed == [f"f.yaml:1:1: {words}"] or (whole == streamed and whole[0].startswith("f.yaml:1:1: ") and words in whole[0])
    assert len(whole) == 1


def test_a_format1_key_in_a_format2_file_says_what_it_became():
    text = migrate_text((FORMAT1 / "small.yaml").read_text(encoding="utf-8"))
    text = text.replace("    stage: active\n", "    status: active\n", 1)
    problems = [p.message for p in check_bytes(text.encode(), "f.yaml", check_quotes=False).problems]
    assert any("status is split into stage, health and certainty in format 2; see docs/format.md" in m for m in problems)


# ---- the text edit, hardened


SMALL = """\
# head
sources:
  - id: s
    title: T
    date: 2024
entities:
  - id: a
    name: A
    type: lab
    description: d
    parent: b   # made by b
    provenance: [{source: s, quote: q}]
  - id: b
    name: B
    type: company
    description: d
    provenance: [{source: s, quote: q}]
relationships:
  - id: r
    from: a
    to: b
    kind: cloud
    status: strained  # since 2024
    summary: s
    terms:
      - name: exclusive
        summary: only b
    history:
      - date: 2023
        status: active
        source: s
        quote: q
    provenance:
      - source: s
        quote: q
"""


def test_the_edit_keeps_comments_and_splits_status():
    out = migrate(SMALL)
    assert out.relationships == 1 and out.history == 1 and out.parents == 1
    assert "    stage: active  # since 2024\n    health: strained\n" in out.text
    assert "    parents: [b]  # made by b\n" in out.text
    assert out.text.startswith("# head\nformat: 2\nsources:")
    assert yaml.safe_load(out.text) == to_format2(yaml.safe_load(SMALL))
    assert check_bytes(out.text.encode(), "f.yaml", check_quotes=False).ok
    assert "migrated 1 relationship: 1 strained; 1 history entry; 1 parent made a list" == out.summary()


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: "\ufeff" + t,
        lambda t: t.replace("status: strained  #", "status:     strained     #"),
        lambda t: t.replace("status: strained", '"status": "strained"').replace("parent: b", "'parent': 'b'"),
        lambda t: t.replace("        status: active", "        status: active # was"),
    ],
    ids=["crlf", "bom", "spaces", "quoted", "comment"],
)
def test_the_edit_reads_what_yaml_reads(change):
    text = change(SMALL)
    out = migrate_text(text)
    assert yaml.safe_load(out.lstrip("\ufeff")) == to_format2(yaml.safe_load(text.lstrip("\ufeff")))
    assert ("\r\n" in out) == ("\r\n" in text) and out.startswith("\ufeff") == text.startswith("\ufeff")


def test_a_status_that_format1_did_not_have_there_is_left_alone():
    text = SMALL.replace("        summary: only b\n", "        summary: only b\n        status: active\n")
    out = migrate_text(text)
    assert "        summary: only b\n        status: active\n" in out  # a term's: not a relationship's status
    problems = [p.message for p in check_bytes(out.encode(), "f.yaml", check_quotes=False).problems]
    assert any("unknown field 'status' in the 1st term" in m for m in problems), problems


def test_flow_style_is_refused_not_guessed():
    text = SMALL.replace("    status: strained  # since 2024\n", "    {status: strained}\n".replace("    {", "    x: {"))
    with pytest.raises(FlowStyle):
        migrate_text(SMALL.replace("  - id: r\n", "  - {id: q, status: active}\n  - id: r\n"))
    assert text  # (the first form is not YAML a file would hold)


def test_already_format2_is_unchanged():
    once = migrate_text(SMALL)
    again = migrate(once)
    assert again.already and again.text == once


# ---- the property: any format-1 file the models accepted migrates to its data in format 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), crlf=st.booleans())
def test_generated_format1_files_migrate_to_their_format2_data(data, crlf):
    doc = data.draw(format1_files())
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    if crlf:
        text = text.replace("\n", "\r\n")
    out = migrate_text(text)
    assert yaml.safe_load(out) == to_format2(doc)
    assert check_bytes(out.encode(), "f.yaml", check_quotes=False).errors == []


# ---- the command


def _run(*args: str):
    from aideps.cli.typer_app import app

    return CliRunner().invoke(app, list(args))


def test_migrate_writes_atomically_with_a_backup(tmp_path):
    path = tmp_path / "k.yaml"
    path.write_text(SMALL, encoding="utf-8")
    result = _run("migrate", str(path), "--check")
    assert result.exit_code == 1 and "needs migrating" in result.stderr and path.read_text() == SMALL
    result = _run("migrate", str(path))
    assert result.exit_code == 0, result.stderr
    assert "migrated 1 relationship: 1 strained" in result.stderr and "backup at" in result.stderr
    assert (tmp_path / "k.yaml.format1").read_text() == SMALL
    assert path.read_text() == migrate_text(SMALL)
    result = _run("migrate", str(path))
    assert result.exit_code == 0 and "already in format 2" in result.stderr
    assert _run("migrate", str(path), "--check").exit_code == 0
    # A second format-1 file by the same name: the first backup is never overwritten.
    path.write_text(SMALL.replace("title: T", "title: U"), encoding="utf-8")
    assert _run("migrate", str(path)).exit_code == 0
    assert (tmp_path / "k.yaml.format1").read_text() == SMALL
    assert "title: U" in (tmp_path / "k.yaml.format1.1").read_text()


def test_migrate_to_another_file_leaves_the_first(tmp_path):
    path, out = tmp_path / "k.yaml", tmp_path / "k2.yaml"
    path.write_text(SMALL, encoding="utf-8")
    result = _run("migrate", str(path), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert path.read_text() == SMALL and out.read_text() == migrate_text(SMALL)
    assert not (tmp_path / "k.yaml.format1").exists()


def test_migrate_to_stdout_leaves_the_file_and_keeps_no_backup(tmp_path):
    path = tmp_path / "k.yaml"
    path.write_text(SMALL, encoding="utf-8")
    for how in (["-o", "-"], ["--output=-"]):
        done = subprocess.run([sys.executable, "-m", "aideps", "migrate", str(path), *how], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout == migrate_text(SMALL)
        assert "written to stdout" in done.stderr and "unchanged" in done.stderr
        assert path.read_text() == SMALL and sorted(p.name for p in tmp_path.iterdir()) == ["k.yaml"]


def test_migrate_refuses_what_it_cannot_do_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("to: b", "to: nobody"), encoding="utf-8")
    result = _run("migrate", str(bad))
    assert result.exit_code == 1 and "unknown entity 'nobody'" in result.stdout and "Nothing was written" in result.stderr
    flow = tmp_path / "flow.yaml"
    flow.write_text(SMALL.replace("  - id: r\n", "  - {id: q, status: active}\n  - id: r\n"), encoding="utf-8")
    result = _run("migrate", str(flow))
    assert result.exit_code == 1 and "flow style" in result.stderr
    real = tmp_path / "real.yaml"
    real.write_text(SMALL, encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    result = _run("migrate", str(link))
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    os.chmod(real, 0o444)
    if not os.access(real, os.W_OK):  # (root can write anything)
        result = _run("migrate", str(real))
        assert result.exit_code == 1 and "read-only" in result.stderr
    for path in (bad, flow, real):
        assert not path.with_name(path.name + ".format1").exists()
    assert bad.read_text() == SMALL.replace("to: b", "to: nobody") and real.read_text() == SMALL
