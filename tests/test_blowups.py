"""No blow-ups on hostile input (issue 15): work counted, never timed.

Each test counts operations (or reads what a subprocess printed) on inputs
large enough that the old quadratic or unbounded code fails the count.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aideps.analysis import paths, subgraph
from aideps.graph.core import Graph
from aideps.graph.stream import SizedStream
from aideps.render import lite, report, report_time

ROOT = Path(__file__).resolve().parents[1]


def _layered(mini_data: dict, layers: int, width: int) -> dict:
    """`layers` layers of `width` entities, each relying on every entity of
    the next layer (hardware): width ** (layers - 1) paths from the first to the last."""
    data = copy.deepcopy(mini_data)
    entity = data["entities"][0]
    rel = data["relationships"][0]
    entities, rels = [], []
    ids = [[f"e{layer}-{n}" for n in range(width)] for layer in range(layers)]
    for layer in ids:
        for eid in layer:
            item = dict(entity, id=eid, name=eid.upper(), aliases=[], parents=[])
            entities.append(item)
    for layer, nxt in zip(ids, ids[1:]):
        for a in layer:
            for b in nxt:
                rels.append(dict(rel, id=f"{a}-{b}", **{"from": a, "to": b}, kind="hardware", stage="active"))
    data["entities"] = entities
    data["relationships"] = rels
    return data


class _Counting:
    """Wraps a store: counts outgoing() calls, and stops a runaway search."""

    def __init__(self, store, most: int) -> None:
        self._store = store
        self.calls = 0
        self.most = most

    def outgoing(self, node):
        self.calls += 1
        if self.calls > self.most:
            raise RuntimeError("runaway search")
        return self._store.outgoing(node)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_why_depth_is_bounded_by_the_graph(mini_data):
    """--depth 10000000 on a small file used to try every length up to ten million."""
    g = Graph(mini_data)
    counting = _Counting(g.store, 10_000)
    g.store = counting
    a, b = g.resolve("fruit-co"), g.resolve("greenchip")
    result = paths.why(g, a, b, depth=10_000_000)
    assert result["paths"] and result["stopped"] is None
    assert counting.calls <= len(mini_data["entities"]) + 5


def test_why_all_paths_is_refused_above_the_cap(mini_data):
    g = Graph(_layered(mini_data, 8, 5))  # 5 ** 6 = 15,625 paths of 7 hops from e0-0 to e7-0
    with pytest.raises(paths.TooManyPaths, match="--all-paths"):
        paths.why(g, "e0-0", "e7-0", depth=8, limit=None)
    result = paths.why(g, "e0-0", "e7-0", depth=8, limit=None, all_paths=True)
    assert len(result["paths"]) == 5 ** 6 and result["stopped"] is None


def test_why_budget_stops_the_search_and_says_so(mini_data):
    g = Graph(_layered(mini_data, 7, 5))
    result = paths.why(g, "e0-0", "e6-0", depth=8, limit=None, all_paths=True, budget_steps=5_000)
    assert result["stopped"]["reason"] == "steps" and not result["complete"]
    text = "\n".join(report.why_lines(result))
    assert f"stopped after {len(result['paths'])} paths" in text and "narrow with --kind / --depth" in text
    result = paths.why(g, "e0-0", "e6-0", depth=8, limit=None, all_paths=True, budget_paths=100)
    assert result["stopped"]["reason"] == "paths" and len(result["paths"]) == 100


def test_why_paths_share_their_hops(mini_data):
    """Memory grows with the graph, not paths x length: one dict per hop, shared."""
    g = Graph(_layered(mini_data, 5, 4))
    result = paths.why(g, "e0-0", "e4-0", depth=6, limit=None)
    hops = {id(h) for p in result["paths"] for h in p["hops"]}
    assert len(result["paths"]) == 4 ** 3 and len(hops) <= 4 + 16 + 16 + 4


class _Id(str):
    compared = 0

    def __eq__(self, other):
        _Id.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_export_selection_is_linear(mini_data):
    """Membership in a list of nodes: O(nodes x edges) before."""
    data = _layered(mini_data, 2, 1)
    rel = data["relationships"][0]
    n = 400
    ids = [_Id(f"x{i}") for i in range(n)]
    data["relationships"] = [dict(rel, id=f"r{i}", **{"from": ids[i], "to": ids[(i + 1) % n]}) for i in range(n)]
    g = Graph(data)  # the ends are not entities of the file: each gets a node
    _Id.compared = 0
    chosen = subgraph.selection(g)
    assert len(chosen["nodes"]) == n + len(data["entities"])
    assert _Id.compared < 20 * n


class _Item(dict):
    reads = 0

    def __getitem__(self, key):
        if key == "kind":
            _Item.reads += 1
        return dict.__getitem__(self, key)


def test_diff_text_is_linear(monkeypatch):
    """A sum() over every item for every item used to size the label column."""
    monkeypatch.setenv("AIDEPS_DATA", str(ROOT / "data" / "entities.yaml"))
    from aideps import analysis
    from aideps.graph import store

    g = store.graph(store.resolve_path(None))
    result = analysis.diff(g, "2015", "2025", stream=True, grouped=True)  # as the text is given it
    section = next(s for s in report_time.SECTION_ORDER if result[s])
    items = list(result[section])
    many = [_Item(item) for item in items for _ in range(2000 // len(items) + 1)]  # still by kind
    kinds: dict[str, int] = {}
    for item in many:
        kinds[dict.__getitem__(item, "kind")] = kinds.get(dict.__getitem__(item, "kind"), 0) + 1
    result[section] = SizedStream(lambda: iter(many), len(many))
    result[section].kinds = kinds
    _Item.reads = 0
    lite.render(lambda kit: report_time.diff(result, kit), 100)
    assert _Item.reads < 10 * len(many)


def test_plain_text_appends_stay_linear():
    text = lite.Text("a")
    for _ in range(50_000):
        text.append(" b")
    assert len(text.plain) == 100_001 and len(text._parts) == 1


def _with_a_megabyte(tmp_path, key: str, line: str) -> tuple[dict, str]:
    """The environment of a copy of the bundled file whose `key: line` holds a 1 MB text, and that text."""
    source = (ROOT / "data" / "entities.yaml").read_text(encoding="utf-8")
    big = ("lorem ipsum dolor sit amet " * 40_000).strip()
    assert f"{key}: {line}" in source
    path = tmp_path / "big.yaml"
    path.write_text(source.replace(f"{key}: {line}", f"{key}: {big}", 1), encoding="utf-8")
    return dict(os.environ, AIDEPS_DATA=str(path), AIDEPS_CACHE_DIR=str(tmp_path / "cache")), big


def test_an_enormous_text_is_drawn_cut(tmp_path):
    """A 1 MB description: drawn cut with a note in text, whole in JSON."""
    env, big = _with_a_megabyte(tmp_path, "description", "AI startup behind Codex; Microsoft's closest and most strained AI partner.")
    shown = subprocess.run([sys.executable, "-m", "aideps", "show", "openai", "-q"], capture_output=True, text=True, env=env)
    assert shown.returncode == 0, shown.stderr
    assert len(shown.stdout) < 100_000
    note = f"{len(big) - lite.TEXT_CAP:,} more characters: the whole text with --json or --csv"
    assert note in " ".join(shown.stdout.split())
    listed = subprocess.run([sys.executable, "-m", "aideps", "list", "--long"], capture_output=True, text=True, env=env)
    assert listed.returncode == 0 and len(listed.stdout) < 200_000 and f"{len(big) - lite.TEXT_CAP:,}" in listed.stdout
    for width in ({}, {"COLUMNS": "30"}):  # a table row, and a record on a narrow screen: the snippet, not the megabyte
        found = subprocess.run([sys.executable, "-m", "aideps", "search", "dolor", "sit"], capture_output=True, text=True,
                               env={**env, **width})
        assert found.returncode == 0 and "dolor" in found.stdout and len(found.stdout) < 5_000, found.stderr
    whole = subprocess.run([sys.executable, "-m", "aideps", "show", "openai", "--json"], capture_output=True, text=True, env=env)
    assert big in whole.stdout


def test_an_enormous_text_in_a_whole_files_answer_is_drawn_cut(tmp_path):
    """A 1 MB event: the whole file's timeline (a stream, read as it is
    written) draws it cut too, although the index lets a stream skip
    clipping when every text is short (Store.longest_text)."""
    env, big = _with_a_megabyte(tmp_path, "summary", "CEO Sam Altman temporarily ousted.")
    note = f"{len(big) - lite.TEXT_CAP:,} more characters: the whole text with --json or --csv"
    shown = subprocess.run([sys.executable, "-m", "aideps", "timeline"], capture_output=True, text=True, env=env)
    assert shown.returncode == 0, shown.stderr
    assert len(shown.stdout) < 200_000 and note in " ".join(shown.stdout.split())


def test_clipped_leaves_small_results_alone():
    result = {"a": ["x" * 10, {"b": "y"}], "n": 3}
    assert lite.clipped(result) is result
    cut = lite.clipped({"a": ["x" * (lite.TEXT_CAP + 5)]})
    assert cut["a"][0].startswith("x" * lite.TEXT_CAP + "… [5 more characters")


def test_why_limit_zero_refused_on_the_command_line(tmp_path, mini_data):
    """Exit 2 with a hint; --all-paths lists them."""
    import yaml

    data = _layered(mini_data, 8, 5)
    raw = yaml.safe_load((ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8"))
    entity = dict(raw["entities"][0])
    rel = dict(raw["relationships"][0])
    raw["entities"] = [dict(entity, id=e["id"], name=e["name"]) for e in data["entities"]]
    for e in raw["entities"]:
        e.pop("aliases", None)
        e.pop("parents", None)
    raw["relationships"] = [
        dict(rel, id=r["id"], **{"from": r["from"], "to": r["to"]}, kind="hardware", stage="active")
        for r in data["relationships"]
    ]
    for r in raw["relationships"]:
        r.pop("amounts", None)
    path = tmp_path / "dense.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    env = dict(os.environ, AIDEPS_DATA=str(path))
    run = [sys.executable, "-m", "aideps", "why", "e0-0", "e7-0", "--depth", "8", "--limit", "0"]
    refused = subprocess.run(run, capture_output=True, text=True, env=env)
    assert refused.returncode == 2, refused.stderr
    assert "more than 10,000 paths" in refused.stderr and "--all-paths" in refused.stderr
    listed = subprocess.run(run + ["--all-paths"], capture_output=True, text=True, env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("E0-0 relies on E7-0 through 15625 paths")


# ---- search: bounded by --limit, not by the file ------------------------------------


def test_search_keeps_the_best_matches_and_counts_the_rest(mini_graph):
    everything = mini_graph.search("a", limit=None)
    assert everything["limit"] is None and everything["total"] == len(everything["matches"]) > 10
    best = mini_graph.search("a", limit=5)
    assert best["limit"] == 5 and best["total"] == everything["total"]
    assert best["matches"] == everything["matches"][:5]  # the same ranking, ties in file order
    nothing = mini_graph.search("zzqx", limit=5)
    assert nothing["total"] == 0 and nothing["matches"] == []


def test_search_holds_at_most_limit_matches(mini_graph, monkeypatch):
    """Rank without holding every row: the matches stream through a bounded
    heap (heapq.nsmallest keeps `limit`), never into one sorted list."""
    import heapq

    seen = {"made": 0}
    real = heapq.nsmallest

    def counting(n, iterable, key=None):
        def watched():
            for item in iterable:
                seen["made"] += 1
                yield item

        return real(n, watched(), key=key)

    monkeypatch.setattr(heapq, "nsmallest", counting)
    from aideps.graph import lists

    monkeypatch.setattr(lists, "sorted", lambda *a, **k: pytest.fail("every match sorted"), raising=False)
    result = mini_graph.search("a", limit=3)
    assert len(result["matches"]) == 3 and seen["made"] == result["total"] > 3


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB, os.wait4")
def test_search_a_on_a_large_file_stays_small(tmp_path):
    """`search a` matches nearly every field of a file: it used to hold (and
    lay out) all of them; now the peak RSS is about that of a search that
    matches nothing. Generous bound, no timing."""
    big = tmp_path / "S.yaml"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "S", "-o", str(big)], check=True,
                   capture_output=True)
    env = dict(os.environ, AIDEPS_DATA=str(big))
    built = subprocess.run([sys.executable, "-m", "aideps", "list", "--json"], capture_output=True, env=env)
    assert built.returncode == 0, built.stderr

    def rss(*args: str) -> tuple[int, int, str, str]:
        with open(tmp_path / "out", "wb") as out, open(tmp_path / "err", "wb") as err:
            proc = subprocess.Popen([sys.executable, "-m", "aideps", *args], stdout=out, stderr=err, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
        text = (tmp_path / "out").read_text(encoding="utf-8"), (tmp_path / "err").read_text(encoding="utf-8")
        return os.waitstatus_to_exitcode(status), usage.ru_maxrss, *text  # KiB on Linux

    code, baseline, _, _ = rss("search", "zzqxj")
    assert code == 1
    doc: dict = {}
    for extra in (["--json"], ["--csv"], []):
        code, kib, out, err = rss("search", "a", *extra)
        assert code == 0, err
        assert kib < baseline + 40 * 1024, (extra, kib, baseline)  # the old code: +90 MB as text
        if extra == ["--json"]:
            doc = json.loads(out)
            assert len(doc["matches"]) == 100 and doc["total"] > 20_000
        elif extra == ["--csv"]:
            assert len(list(csv.reader(io.StringIO(out)))) == 101
            assert "more matches not shown" in err and "--limit 0" in err
        else:
            assert f"100 of {doc['total']:,} matches for 'a'" in out
            assert f"{doc['total'] - 100:,} more matches; use --limit N, or --limit 0 for all." in out


def test_a_tree_deeper_than_python_recurses_is_one_line_not_a_traceback(tmp_path, mini_data):
    """A chain of 1,200 dependencies: `tree` without --depth used to end in a RecursionError traceback."""
    import yaml

    data = _layered(mini_data, 1200, 1)
    raw = yaml.safe_load((ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8"))
    entity, rel = dict(raw["entities"][0]), dict(raw["relationships"][0])
    for key in ("aliases", "parents"):
        entity.pop(key, None)
    rel.pop("amounts", None)
    raw["entities"] = [dict(entity, id=e["id"], name=e["name"]) for e in data["entities"]]
    raw["relationships"] = [dict(rel, id=r["id"], **{"from": r["from"], "to": r["to"]}, kind="hardware", stage="active")
                            for r in data["relationships"]]
    path = tmp_path / "chain.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    env = dict(os.environ, AIDEPS_DATA=str(path))
    for extra in ([], ["--json"]):
        deep = subprocess.run([sys.executable, "-m", "aideps", "tree", "e0-0", *extra], capture_output=True, text=True, env=env)
        assert deep.returncode == 1 and "Traceback" not in deep.stderr, deep.stderr[-2000:]
        assert "nests too deep" in deep.stderr and "--depth N" in deep.stderr
    shallow = subprocess.run([sys.executable, "-m", "aideps", "tree", "e0-0", "--depth", "3"], capture_output=True, text=True, env=env)
    assert shallow.returncode == 0 and "E3-0" in shallow.stdout, shallow.stderr
