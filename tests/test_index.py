"""The compiled index (aideps.index): built once per content, reused, never
stale, rebuilt when damaged, shared safely between processes, and giving the
same answers as a graph built from the whole validated data.

No test here is timed: a slow machine passes them all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aideps.index import build as building
from aideps.index import cache as index_cache
from aideps.index import open_file
from aideps.graph import store
from aideps.cli.typer_app import app
from aideps.graph.core import Graph
from aideps.knowledge.problems import DataError

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "fixtures" / "mini.yaml"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), prog_name="aideps")


def index_files(cache: Path) -> list[Path]:
    return sorted((cache / "index").glob("*.sqlite"))


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AIDEPS_CACHE_DIR", str(folder))
    return folder


def aged(path: Path) -> Path:
    """Written an hour ago: a stamp taken now is not racily clean."""
    past = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(past, past))
    return path


@pytest.fixture
def knowledge(tmp_path) -> Path:
    path = tmp_path / "k.yaml"
    path.write_bytes(MINI.read_bytes())
    return aged(path)


def synthetic(path: Path, entities: int = 60, relationships: int = 300) -> Path:
    """A small knowledge file in the shape benchmarks/generate.py writes."""
    sys.path.insert(0, str(TESTS.parent / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    saved = generate.SIZES.get("T")
    generate.SIZES["T"] = (entities, relationships)
    try:
        with open(path, "w", encoding="utf-8") as fh:
            generate.generate("T", fh)
    finally:
        if saved is None:
            del generate.SIZES["T"]
    return path


def no_build(monkeypatch) -> None:
    """From here on, reading the YAML fails the test."""

    def boom(*args, **kwargs):
        raise AssertionError("the knowledge file was read again")

    monkeypatch.setattr(building, "build", boom)
    monkeypatch.setattr(index_cache, "hash_file", boom)


# ---- built once, then reused ------------------------------------------------


def test_first_run_builds_the_index_and_later_runs_use_it(cache, knowledge, monkeypatch):
    first = store.graph(knowledge)
    assert first.resolve("orbit") == "orbit-labs"
    assert len(index_files(cache)) == 1
    no_build(monkeypatch)  # neither parsed nor even hashed again
    again = store.graph(knowledge)
    assert again.profile("orbit-labs") == first.profile("orbit-labs")


def test_a_later_run_imports_neither_yaml_nor_pydantic(cache, knowledge):
    env = {**os.environ, "AIDEPS_DATA": str(knowledge), "AIDEPS_CACHE_DIR": str(cache)}
    command = [sys.executable, "-X", "importtime", "-m", "aideps", "show", "orbit", "--json"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0, second.stderr
    imported = {line.split("|")[-1].strip() for line in second.stderr.splitlines() if line.startswith("import time:")}
    assert "yaml" in {line.split("|")[-1].strip() for line in first.stderr.splitlines() if "import time:" in line}
    assert not {"yaml", "pydantic", "aideps.knowledge.scan", "aideps.knowledge.stream", "aideps.index.build", "filelock"} & imported
    assert {"aideps.index.read", "aideps.index.driver"} <= imported
    assert json.loads(second.stdout) == json.loads(first.stdout)


def test_the_same_content_elsewhere_shares_the_index(cache, knowledge, tmp_path):
    store.graph(knowledge)
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(knowledge.read_bytes())
    store.graph(copy)
    assert len(index_files(cache)) == 1


# ---- never stale --------------------------------------------------------------


def _same_size_change(path: Path, old: bytes, new: bytes) -> None:
    """Change the file's content, keeping its size and modification time."""
    before = path.stat()
    content = path.read_bytes()
    assert len(old) == len(new) and old in content
    path.write_bytes(content.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_changed_file_is_never_answered_from_the_old_index(cache, knowledge):
    assert store.graph(knowledge).entities["orbit-labs"]["name"] == "Orbit Labs"
    time.sleep(0.01)
    _same_size_change(knowledge, b"name: Orbit Labs", b"name: Orbyt Labs")  # same size, same mtime; ctime moves
    assert store.graph(knowledge).entities["orbit-labs"]["name"] == "Orbyt Labs"
    assert run("--data", str(knowledge), "show", "orbit-labs", "--json").stdout.count("Orbyt Labs") >= 1


def test_an_old_stamp_is_trusted_a_racily_clean_one_is_not(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("x: 1\n")
    st = path.stat()
    stamp = {"identity": index_cache.identity(st), "hash": "h", "taken_ns": st.st_mtime_ns + 5_000_000_000}
    assert index_cache.trusted_hash(stamp, st) == "h"
    # Hashed less than 2 seconds after the last write: a write in the same
    # clock tick could have gone unseen, so the file is hashed again.
    racy = {**stamp, "taken_ns": st.st_mtime_ns + 1_000_000_000}
    assert index_cache.trusted_hash(racy, st) is None
    assert index_cache.trusted_hash({**stamp, "identity": (0, 0, 0, 0, 0)}, st) is None


def test_a_racily_clean_stamp_is_checked_against_the_content(cache, knowledge):
    old = store.graph(knowledge)
    assert old.entities["orbit-labs"]["name"] == "Orbit Labs"
    old_hash = old.index.meta["hash"]
    knowledge.write_bytes(knowledge.read_bytes().replace(b"name: Orbit Labs", b"name: Orbyt Labs", 1))
    st = knowledge.stat()
    # A stamp that matches the file's metadata exactly but names the old
    # content, taken within the racy window (as if the write had landed in
    # the same clock tick as the hashing).
    index_cache.write_stamp(str(cache), os.path.realpath(knowledge), st, old_hash, st.st_mtime_ns + 500_000_000)
    assert store.graph(knowledge).entities["orbit-labs"]["name"] == "Orbyt Labs"


def test_an_invalid_file_caches_nothing_and_reports_like_validate(cache, knowledge):
    knowledge.write_bytes(knowledge.read_bytes().replace(b"kind: research", b"kind: reserch", 1))
    with pytest.raises(DataError) as raised:
        store.graph(knowledge)
    validated = run("validate", str(knowledge), "--no-quotes")
    assert validated.exit_code == 1
    assert [str(p) for p in raised.value.problems] == [
        line for line in validated.stdout.splitlines() if ": note: " not in line
    ]
    assert index_files(cache) == []
    assert not list((cache / "index").glob(".build-*"))


# ---- damaged, foreign, concurrent, unwritable ----------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),  # truncated
        lambda p: p.write_bytes(b"not a database at all" * 100),  # garbage
        lambda p: p.write_bytes(b""),  # empty
    ],
    ids=["truncated", "garbage", "empty"],
)
def test_a_damaged_index_is_rebuilt_not_trusted(cache, knowledge, damage):
    expected = store.graph(knowledge).profile("orbit-labs")
    (path,) = index_files(cache)
    damage(path)
    assert store.graph(knowledge).profile("orbit-labs") == expected
    (rebuilt,) = index_files(cache)
    open_file(str(rebuilt))  # a good one again


def test_a_foreign_database_in_its_place_is_rebuilt(cache, knowledge):
    import sqlite3

    expected = store.graph(knowledge).profile("orbit-labs")
    (path,) = index_files(cache)
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value)")
    con.execute("INSERT INTO meta VALUES ('format', 999)")
    con.commit()
    con.close()
    assert store.graph(knowledge).profile("orbit-labs") == expected


def test_two_processes_building_at_once_leave_one_good_index(cache, tmp_path):
    data = synthetic(tmp_path / "big.yaml", entities=300, relationships=3000)
    env = {**os.environ, "AIDEPS_DATA": str(data), "AIDEPS_CACHE_DIR": str(cache)}
    env.pop("PYTHONUNBUFFERED", None)
    command = [sys.executable, "-m", "aideps", "list", "--json"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0]
    (built,) = index_files(cache)
    open_file(str(built))
    assert not list((cache / "index").glob(".build-*"))


def test_an_unwritable_cache_still_answers(tmp_path, monkeypatch, knowledge):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("AIDEPS_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    result = run("--data", str(knowledge), "show", "orbit", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["entity"]["id"] == "orbit-labs"


def test_a_missing_file_is_a_data_error(cache, tmp_path):
    with pytest.raises(DataError) as raised:
        store.graph(tmp_path / "nowhere.yaml")
    assert "no such file" in str(raised.value)
    with pytest.raises(DataError) as raised:
        store.graph(tmp_path)
    assert "is a directory" in str(raised.value)


def test_cache_dir_is_platformdirs_user_cache_dir(monkeypatch):
    from platformdirs import user_cache_dir

    monkeypatch.delenv("AIDEPS_CACHE_DIR", raising=False)
    for xdg in (None, "/tmp/somewhere-else", "  "):
        if xdg is None:
            monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_CACHE_HOME", xdg)
        assert index_cache.cache_dir() == user_cache_dir("aideps", appauthor=False)


def test_an_old_index_is_removed_when_its_file_changes(cache, knowledge):
    store.graph(knowledge)
    (old,) = index_files(cache)
    knowledge.write_bytes(knowledge.read_bytes() + b"\n# a comment\n")
    store.graph(knowledge)
    (new,) = index_files(cache)
    assert new != old and not old.exists()


# ---- the same answers as a graph of the whole data ------------------------------


def _dict_graph(path: Path) -> Graph:
    return Graph(store.load(path, use_cache=False))


def _every_command(path: Path, names: tuple[str, str]) -> list[list[str]]:
    """Each command with --json and its required arguments filled in."""
    import typer.main

    group = typer.main.get_command(app)
    runs = []
    for name, command in sorted(group.commands.items()):
        if name == "validate":
            continue
        options = {opt for p in command.params for opt in getattr(p, "opts", ())}
        args: list[str] = []
        nth = 0
        for param in command.params:
            if not param.required:
                continue
            kind = type(param.type).__name__
            if "Choice" in kind:
                value = str(list(param.type.choices)[0])
            elif "Int" in kind or "Float" in kind:
                value = "1"
            elif "date" in (getattr(param, "help", "") or "").lower():
                value = ("2020", "2025")[min(nth, 1)]
            else:
                value = names[min(nth, 1)]
            nth += 1
            if param.param_type_name == "option":
                args += [param.opts[0], value]
            else:
                args += [value] * max(1, param.nargs)
        if "--json" not in options:
            continue
        runs.append([name, *args, "--json"])
        if "--reverse" in options:
            runs.append([name, *args, "--reverse", "--json"])
        if "--entity" in options:
            runs.append([name, "--entity", names[0], *args, "--json"])
        if "--sort" in options:
            runs.append([name, "--sort", "amount", *args, "--json"])
    return runs


@pytest.mark.parametrize("which", ["bundled", "mini", "synthetic"])
def test_every_command_answers_the_same_from_the_index(which, cache, tmp_path, monkeypatch):
    if which == "bundled":
        path, names = Path(store.bundled_path()), ("openai", "nvidia")
    elif which == "mini":
        path, names = MINI, ("orbit-labs", "macrosoft")
    else:
        path = synthetic(tmp_path / "s.yaml")
        graph = _dict_graph(path)
        ranked = sorted(graph.entities, key=lambda e: -len(graph.incoming.get(e, [])))
        names = (ranked[0], ranked[len(ranked) // 2])
    commands = _every_command(path, names)
    assert {c[0] for c in commands} >= {"show", "tree", "hardware", "research", "distribution", "list", "search", "sources"}
    from_index = {" ".join(c): run("--data", str(path), *c) for c in commands}
    monkeypatch.setattr(store, "graph", _dict_graph)
    for command in commands:
        expected = run("--data", str(path), *command)
        got = from_index[" ".join(command)]
        assert (got.exit_code, got.stdout) == (expected.exit_code, expected.stdout), command


def test_graph_queries_agree_entity_by_entity(cache, tmp_path):
    path = synthetic(tmp_path / "s.yaml", entities=80, relationships=500)
    lazy, full = store.graph(path), _dict_graph(path)
    assert list(lazy.entities) == list(full.entities)
    assert list(lazy.relationships) == full.relationships
    assert lazy.sources == full.sources
    for eid in full.entities:
        assert lazy.profile(eid) == full.profile(eid)
        assert lazy.tree(eid, depth=2) == full.tree(eid, depth=2)
        assert lazy.tree(eid, reverse=True, depth=1) == full.tree(eid, reverse=True, depth=1)
        for kind in ("research", "distribution", "hardware"):
            assert lazy.partnership(kind, eid) == full.partnership(kind, eid)
        assert lazy.resolve(full.entities[eid]["name"]) == full.resolve(full.entities[eid]["name"])
        assert lazy.outgoing.get(eid, []) == full.outgoing.get(eid, [])
        assert lazy.incoming.get(eid, []) == full.incoming.get(eid, [])
        assert lazy.children.get(eid, []) == full.children.get(eid, [])
    assert lazy.partnership("hardware") == full.partnership("hardware")
    assert lazy.entity_list() == full.entity_list()
    assert lazy.search("cloud") == full.search("cloud")
    assert lazy.source_list() == full.source_list()
    assert lazy.suggest("novatle") == full.suggest("novatle")
    for prefix in ("", "n", "N", "Lu", "zz"):
        assert lazy.completions(prefix) == full.completions(prefix)
    assert lazy.data == full.data


def test_what_a_killed_build_left_is_swept_away(cache, knowledge):
    store.graph(knowledge)
    folder = cache / "index"
    dead = folder / ".build-999999999-deadbeef.tmp"  # no such process
    alive = folder / f".build-{os.getpid()}-cafebabe.tmp"  # this one runs
    recent = folder / ".build-999999998-feedface.tmp"
    for path in (dead, alive, recent):
        path.write_bytes(b"half an index")
    old = time.time() - 3600
    for path in (dead, alive):
        os.utime(path, (old, old))
    knowledge.write_bytes(knowledge.read_bytes() + b"\n# changed\n")  # the next run builds
    store.graph(knowledge)
    assert not dead.exists()
    assert not recent.exists()  # its process is gone: no need to wait 10 minutes (issue 15)
    assert alive.exists()


def test_a_progress_bar_on_a_terminal_only(cache, tmp_path, monkeypatch, capsys):
    import io

    path = aged(synthetic(tmp_path / "p.yaml", entities=100, relationships=600))
    monkeypatch.setattr(building, "PROGRESS_BYTES", 1000)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    store.graph(path)
    assert "indexing p.yaml" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal: nothing
    copy = tmp_path / "q.yaml"
    copy.write_bytes(path.read_bytes() + b"\n")
    store.graph(copy)
    assert sys.stderr.getvalue() == ""
