"""What a view as of a date leaves out, counted from presence steps
(aideps.graph.life.presence_steps), and those steps kept beside an index."""

from __future__ import annotations

import datetime
import json
import marshal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aideps.graph import asof, life, store
from aideps.graph.memory import MemoryStore
from aideps.index import cache
from aideps.knowledge.dates import Span, parse

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "entities.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"


def _direct(base, moment: Span) -> dict[str, int]:
    """Each relationship's presence then, one by one (what the steps must sum to)."""
    counts = dict.fromkeys(life.PRESENCES, 0)
    for rel in base.relationships:
        counts[life.Life(base, rel).at(moment)["presence"]] += 1
    return counts


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from test_index import synthetic
    finally:
        sys.path.pop(0)
    made = synthetic(tmp_path_factory.mktemp("presence") / "s.yaml", entities=40, relationships=400)
    found = {}
    for name, path in (("bundled", BUNDLED), ("mini", MINI), ("synthetic", made)):
        found[name] = MemoryStore(store.load(path, use_cache=False))
    return found


@settings(max_examples=150, deadline=None)
@given(day=st.dates(datetime.date(2000, 1, 1), datetime.date(2031, 12, 31)), which=st.sampled_from(["bundled", "mini", "synthetic"]))
@example(day=datetime.date(2024, 11, 5), which="bundled")
@example(day=datetime.date(2023, 1, 23), which="bundled")
def test_the_steps_count_what_each_relationship_says_on_any_day(bases, day, which):
    base = bases[which]
    moment = Span(day.isoformat(), day, day)
    assert life.presence_counts(base.presence_steps(), moment) == _direct(base, moment)


@pytest.mark.parametrize("when", ["2019", "2023-06", "2024", "2024-11-05", "1999", "2040"])
def test_a_coarse_moment_counts_as_of_its_last_day(bases, when):
    base = bases["bundled"]
    moment = parse(when)
    counts = life.presence_counts(base.presence_steps(), moment)
    assert counts == _direct(base, moment)
    summary = asof.AsOfStore(base, when).as_of_summary()
    assert summary["left_out"] == {key: counts[key] for key in ("not_yet", "ended", "undated")}
    assert len(asof.AsOfStore(base, when).relationships) == counts["in"] + counts["maybe"]


def _index_copy(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("AIDEPS_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "k.yaml"
    path.write_bytes(BUNDLED.read_bytes())
    return path


def _kept(tmp_path) -> list[Path]:
    return sorted((tmp_path / "cache" / "index").glob("*.presence"))


def test_an_index_keeps_its_steps_beside_it_and_reads_them_back(tmp_path, monkeypatch):
    path = _index_copy(tmp_path, monkeypatch)
    first = asof.at(store.graph(path), "2024").as_of_summary()
    kept = _kept(tmp_path)
    assert len(kept) == 1 and kept[0].name.endswith(".sqlite.presence")

    def not_again(*args, **kwargs):
        raise AssertionError("counted again, not read")

    monkeypatch.setattr(life, "presence_steps", not_again)
    assert asof.at(store.graph(path), "2024").as_of_summary() == first
    assert first["left_out"] == {key: n for key, n in _direct(store.graph(path).store, parse("2024")).items() if key in first["left_out"]}


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00garbage",
        marshal.dumps((cache.PRESENCE_VERSION + 1, None, None)),  # another version
        marshal.dumps("a string"),
    ],
    ids=["empty", "garbage", "other-version", "other-shape"],
)
def test_a_damaged_or_foreign_presence_file_is_made_again(tmp_path, monkeypatch, damage):
    path = _index_copy(tmp_path, monkeypatch)
    truth = asof.at(store.graph(path), "2024").as_of_summary()
    (kept,) = _kept(tmp_path)
    kept.write_bytes(damage)
    assert asof.at(store.graph(path), "2024").as_of_summary() == truth
    assert cache.read_presence(str(kept)[: -len(cache.PRESENCE_SUFFIX)]) is not None  # written again


def test_steps_of_another_index_at_that_path_are_not_read(tmp_path, monkeypatch):
    """Made for the file the index was before it was rebuilt (its identity
    differs): counted again, even when the shape is right."""
    path = _index_copy(tmp_path, monkeypatch)
    truth = asof.at(store.graph(path), "2024").as_of_summary()
    (kept,) = _kept(tmp_path)
    version, identity, (start, changes) = marshal.loads(kept.read_bytes())
    lying = dict(start, undated=start["undated"] + 1000)
    kept.write_bytes(marshal.dumps((version, (0, 0, 0, 0, 0), (lying, changes))))
    assert asof.at(store.graph(path), "2024").as_of_summary() == truth
    kept.write_bytes(marshal.dumps((version, identity, (dict(lying, extra=1), changes))))  # a key too many
    assert asof.at(store.graph(path), "2024").as_of_summary() == truth


def test_a_cache_it_cannot_write_in_still_answers(tmp_path, monkeypatch):
    path = _index_copy(tmp_path, monkeypatch)
    graph = store.graph(path)
    truth = {key: n for key, n in _direct(graph.store, parse("2024")).items() if key != "in" and key != "maybe"}

    def refuse(*args, **kwargs):
        raise PermissionError(13, "read-only")

    monkeypatch.setattr("aideps.knowledge.atomic.replace_file", refuse)
    assert asof.at(graph, "2024").as_of_summary()["left_out"] == truth
    assert _kept(tmp_path) == []


def test_cleaning_and_pruning_the_cache_take_the_presence_file_with_the_index(tmp_path, monkeypatch):
    path = _index_copy(tmp_path, monkeypatch)
    asof.at(store.graph(path), "2024").as_of_summary()
    assert len(_kept(tmp_path)) == 1
    folder = str(tmp_path / "cache")
    assert cache.prune(folder, max_indexes=0) >= 1
    assert _kept(tmp_path) == []
    asof.at(store.graph(path), "2024").as_of_summary()
    assert len(_kept(tmp_path)) == 1
    env = {"AIDEPS_CACHE_DIR": folder, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "aideps", "cache", "clean"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _kept(tmp_path) == []


def test_show_as_of_a_date_says_what_it_left_out(tmp_path, monkeypatch):
    path = _index_copy(tmp_path, monkeypatch)
    env = {"AIDEPS_CACHE_DIR": str(tmp_path / "cache"), "AIDEPS_DATA": str(path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run([sys.executable, "-m", "aideps", "show", "openai", "--json", "--as-of", "2023-06"], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout  # made, then read: the same answer
    left_out = json.loads(runs[0].stdout)["as_of"]["left_out"]
    direct = _direct(store.graph(path).store, parse("2023-06"))
    assert left_out == {key: direct[key] for key in ("not_yet", "ended", "undated")}
    assert left_out["not_yet"] > 0  # the late-2024 pieces' relationships had not begun
