"""Checking a file on two cores (aideps.knowledge.split) says exactly what
checking it in one process says, and builds the same index: the checks across
items run here as always; the other process checks each item alone and writes
the index, and the first item it finds fault with sends the whole check back
to one process."""

from __future__ import annotations

import io
import sqlite3

import pytest

from aideps.index import build as building
from aideps.knowledge import engine, scan as scanning, split as splitting
from aideps.knowledge.scan import scan
from aideps.knowledge.split import Split
from test_index import synthetic
from test_scan import EVERY_FIXTURE, REPO, damaged_files


def _split_report(content: bytes, name: str, base, **options):
    split = Split()
    try:
        return scan(io.BytesIO(content), name, base_dir=base, split=split, **options)
    finally:
        split.close()


def _same(content: bytes, name: str, base, **options):
    one = scan(io.BytesIO(content), name, base_dir=base, **options)
    two = _split_report(content, name, base, **options)
    assert [str(p) for p in two.problems] == [str(p) for p in one.problems]
    assert (two.ok, two.counts) == (one.ok, one.counts)
    assert (two.quotes_checked, two.quote_count) == (one.quotes_checked, one.quote_count)
    return two


@pytest.mark.parametrize("path", EVERY_FIXTURE, ids=lambda p: str(p.relative_to(REPO)))
def test_every_fixture_gets_the_same_report_on_two_cores(path):
    report = _same(path.read_bytes(), str(path), path.parent)
    if report.ok and "problem" not in path.name:
        # A file whose items are all right is checked to the end on two cores.
        assert report.split == {"flagged": False}


@pytest.mark.parametrize("seed", range(3))
def test_damaged_files_get_the_same_report_on_two_cores(seed):
    for base, content in damaged_files(seed, 12):
        _same(content, str(base), base.parent)


def _dump(path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [line for line in con.iterdump() if "'built'" not in line]
    finally:
        con.close()


def _indexes(source, tmp_path, monkeypatch) -> tuple[list[str], list[str]]:
    monkeypatch.setattr(splitting, "SPLIT_OVER", 0)
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    building.build(str(source), str(one), split=False)
    building.build(str(source), str(two))
    return _dump(one), _dump(two)


@pytest.mark.skipif(not splitting.possible(1 << 40), reason="two cores on Linux only")
@pytest.mark.parametrize("which", ["bundled", "generated", "restarted"])
def test_the_index_built_on_two_cores_is_the_index_built_on_one(which, tmp_path, monkeypatch):
    if which == "bundled":
        source = REPO / "data" / "entities.yaml"
    else:
        source = synthetic(tmp_path / "s.yaml", entities=120, relationships=900)
        if which == "restarted":  # the fast reader gives up far into the file: both start again from the top
            text = source.read_text(encoding="utf-8")
            at = text.index("    kind: cloud\n", len(text) * 2 // 3)
            source.write_text(text[:at] + "    kind: &k cloud\n" + text[at + len("    kind: cloud\n"):], encoding="utf-8")
    seen: list = []
    real = splitting.Split.finish

    def finish(self):
        seen.append(real(self))
        return seen[-1]

    monkeypatch.setattr(splitting.Split, "finish", finish)
    one, two = _indexes(source, tmp_path, monkeypatch)
    assert one == two
    assert seen and seen[0] is not None and seen[0]["sink"]["relationships"] > 0  # the other process wrote it


@pytest.mark.skipif(not splitting.possible(1 << 40), reason="two cores on Linux only")
def test_when_the_other_process_fails_one_process_does_it_all(tmp_path, monkeypatch):
    def broken(*args):
        raise RuntimeError("a fault of the other process")

    monkeypatch.setattr(engine, "check_alone", broken)  # forked after this: the other process has it
    source = synthetic(tmp_path / "s.yaml", entities=60, relationships=300)
    one, two = _indexes(source, tmp_path, monkeypatch)
    assert one == two
    report = _split_report(source.read_bytes(), "s.yaml", None)
    assert report.ok and report.split is None  # checked again in one process


def _one_line_changed(source, starting: str, new: str) -> bytes:
    """The file with its first line that starts with `starting` in its second half made `new`."""
    text = source.read_text(encoding="utf-8")
    at = text.index(starting, len(text) // 2)
    return (text[:at] + new + text[text.index("\n", at):]).encode()


def test_an_item_with_a_problem_sends_the_check_back_to_one_process(tmp_path):
    source = synthetic(tmp_path / "s.yaml", entities=60, relationships=300)
    report = _same(_one_line_changed(source, "    kind: ", "    kind: not-a-kind"), "s.yaml", None)
    assert not report.ok and report.split is None
    assert any("not-a-kind" in str(p) for p in report.problems)


def test_problems_across_items_alone_are_found_on_two_cores(tmp_path):
    # A dangling reference is the checks across items' (here): nothing for the
    # other process to find fault with, so the two-core report stands.
    source = synthetic(tmp_path / "s.yaml", entities=60, relationships=300)
    report = _same(_one_line_changed(source, "    to: ", "    to: nobody-at-all"), "s.yaml", None)
    assert not report.ok and report.split == {"flagged": False}
    assert any("nobody-at-all" in str(p) for p in report.problems)


def test_when_two_cores_are_used(monkeypatch):
    monkeypatch.delenv(splitting.ENV_NO_SPLIT, raising=False)
    assert not splitting.possible(splitting.SPLIT_OVER - 1)
    monkeypatch.setenv(splitting.ENV_NO_SPLIT, "1")
    assert not splitting.possible(1 << 40)


@pytest.mark.skipif(not splitting.possible(1 << 40), reason="two cores on Linux only")
def test_validate_says_the_same_on_two_cores(tmp_path, monkeypatch):
    from clihelp import run

    source = synthetic(tmp_path / "s.yaml", entities=60, relationships=300)
    text = source.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("    kind: ", "    kind: x", 1).replace("    to: ", "    to: nobody-", 1), encoding="utf-8")
    monkeypatch.setattr(scanning, "STREAM_OVER", 0)
    said = {}
    for over in (0, 1 << 40):
        monkeypatch.setattr(splitting, "SPLIT_OVER", over)
        monkeypatch.setenv("AIDEPS_CACHE_DIR", str(tmp_path / f"cache-{over}"))  # no kept verdict between the two
        for path in (source, bad):
            result = run("validate", "--no-quotes", str(path))
            said.setdefault(path, []).append((result.exit_code, result.stdout, result.stderr))
    assert said[source][0] == said[source][1] and said[source][0][0] == 0
    assert said[bad][0] == said[bad][1] and said[bad][0][0] == 1
