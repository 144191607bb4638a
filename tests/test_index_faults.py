"""Index faults, from the outside (issue #6): whatever happens to the compiled
index in the cache, or to the knowledge file while it is indexed, every
command gives the right answer (the same document as with a fresh cache) or
a clear error, never a stale or wrong answer, never a traceback, and the
next run is right again: no broken index is left behind.

(tests/test_index.py tests the index from the inside.)
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clihelp import argv, command_names, run, supports

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "fixtures" / "mini.yaml"
GENERATE = TESTS.parent / "benchmarks" / "generate.py"
ENTITIES = ("orbit-labs", "macrosoft")


def aged(path: Path) -> Path:
    """Written an hour ago: the stamp the first run takes is trusted by the next."""
    past = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(past, past))
    return path


def answers(data: Path, cache: Path, monkeypatch) -> dict[str, tuple[int, str]]:
    """(exit code, stdout) of every command with --json where it has it, against `cache`."""
    monkeypatch.setenv("AIDEPS_CACHE_DIR", str(cache))
    out = {}
    for name in command_names():
        if name == "validate":
            continue  # reads the YAML, never the index
        args = argv(name, data, entities=ENTITIES)
        if supports(name, "--json"):
            args.append("--json")
        result = run(*args)
        text = result.stdout + result.stderr
        assert "Traceback" not in text, text[-3000:]
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, repr(result.exception))
        out[name] = (result.exit_code, result.stdout)
    return out


@pytest.fixture
def knowledge(tmp_path) -> Path:
    path = tmp_path / "k.yaml"
    path.write_bytes(MINI.read_bytes())
    return aged(path)


@pytest.fixture
def reference(knowledge, tmp_path, monkeypatch) -> dict:
    """The answers from a cache of their own, built from nothing."""
    return answers(knowledge, tmp_path / "reference-cache", monkeypatch)


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


def index_files(cache: Path) -> list[Path]:
    return sorted((cache / "index").glob("*.sqlite"))


def assert_nothing_broken_left(cache: Path) -> None:
    from aideps.index import open_file

    for path in index_files(cache):
        open_file(str(path))  # raises BadIndex on a broken one
    assert not list(cache.rglob("*.tmp")), list(cache.rglob("*.tmp"))


def assert_right_or_clear(got: dict, reference: dict) -> None:
    """Each answer is the reference's, or exit 1 with words (checked for no traceback by answers())."""
    for name, (code, stdout) in got.items():
        if (code, stdout) != reference[name]:
            raise AssertionError(f"{name}: exit {code}, a different answer than with a fresh cache:\n{stdout[:1000]}")


# --------------------------------------------------------------------------
# The index file itself


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def _random_bytes_inside(seed: int):
    def damage(path: Path) -> None:
        content = bytearray(path.read_bytes())
        rng = random.Random(seed)
        for _ in range(50):
            at = rng.randrange(100, len(content))  # the header stays intact: it looks like a database
            content[at] = rng.randrange(256)
        path.write_bytes(bytes(content))

    return damage


def _all_random(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(path.stat().st_size))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _foreign_database(path: Path) -> None:
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE entities(id TEXT, name TEXT)")
    con.execute("INSERT INTO entities VALUES ('orbit-labs', 'Someone Else')")
    con.commit()
    con.close()


def _foreign_index_shape(path: Path) -> None:
    """A database with our tables and a plausible meta, but other rows."""
    con = sqlite3.connect(path)
    con.execute("DELETE FROM relationships")
    con.execute("UPDATE entities SET name = 'Tampered'")
    con.commit()
    con.close()


def _other_version(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'aideps'")
    con.commit()
    con.close()


def _other_format(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = 999 WHERE key = 'format'")
    con.commit()
    con.close()


def _a_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _a_link_elsewhere(path: Path) -> None:
    elsewhere = path.with_name("elsewhere.bin")
    elsewhere.write_bytes(b"nothing useful")
    path.unlink()
    path.symlink_to(elsewhere)


DAMAGES = {
    "truncated": _truncate,
    "random-bytes-inside-1": _random_bytes_inside(1),
    "random-bytes-inside-4": _random_bytes_inside(4),
    "random-bytes-inside-24": _random_bytes_inside(24),
    "random-bytes-inside-39": _random_bytes_inside(39),
    "all-random": _all_random,
    "empty": _empty,
    "foreign-database": _foreign_database,
    "tampered-rows": _foreign_index_shape,
    "other-aideps-version": _other_version,
    "other-format": _other_format,
    "a-directory": _a_directory,
    "a-link-elsewhere": _a_link_elsewhere,
}


@pytest.mark.parametrize("damage", list(DAMAGES), ids=list(DAMAGES))
def test_a_damaged_index_gives_the_right_answer_and_is_replaced(damage, knowledge, reference, cache, monkeypatch):
    answers(knowledge, cache, monkeypatch)  # builds the index (and a trusted stamp: the file is old)
    (path,) = index_files(cache)
    DAMAGES[damage](path)
    assert_right_or_clear(answers(knowledge, cache, monkeypatch), reference)
    # The next run is right, and what is in the cache is sound.
    assert answers(knowledge, cache, monkeypatch) == reference
    if not path.is_dir():
        assert_nothing_broken_left(cache)


def test_a_damaged_stamp_is_not_trusted(knowledge, reference, cache, monkeypatch):
    answers(knowledge, cache, monkeypatch)
    stamps = list((cache / "stamps").iterdir())
    assert stamps
    for stamp in stamps:
        stamp.write_bytes(random.Random(3).randbytes(200))
    assert answers(knowledge, cache, monkeypatch) == reference


def test_a_stamp_that_vouches_for_another_content_is_not_believed(knowledge, tmp_path, cache, monkeypatch):
    """Two files, then the first overwritten with the second's content in place,
    its size and modification time put back: the change time still tells."""
    other = tmp_path / "other.yaml"
    other.write_text(MINI.read_text(encoding="utf-8").replace("Orbit Labs", "Orbit Lads"), encoding="utf-8")
    aged(other)
    before = answers(knowledge, cache, monkeypatch)
    st = knowledge.stat()
    knowledge.write_bytes(other.read_bytes())  # same size
    os.utime(knowledge, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert knowledge.stat().st_size == st.st_size and knowledge.stat().st_mtime_ns == st.st_mtime_ns
    after = answers(knowledge, cache, monkeypatch)
    assert after != before
    assert json.loads(after["show"][1])["entity"]["name"] == "Orbit Lads"


def test_a_file_replaced_by_another_keeping_size_and_time_is_noticed(knowledge, tmp_path, cache, monkeypatch):
    """`cp -p` or an editor's atomic save: another inode at the same path."""
    before = answers(knowledge, cache, monkeypatch)
    other = tmp_path / "new.yaml"
    other.write_text(MINI.read_text(encoding="utf-8").replace("Orbit Labs", "Orbit Lads"), encoding="utf-8")
    st = knowledge.stat()
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, knowledge)
    after = answers(knowledge, cache, monkeypatch)
    assert json.loads(after["show"][1])["entity"]["name"] == "Orbit Lads" != json.loads(before["show"][1])["entity"]["name"]


def test_a_link_that_changes_target_is_followed(knowledge, tmp_path, cache, monkeypatch):
    other = tmp_path / "other.yaml"
    other.write_text(MINI.read_text(encoding="utf-8").replace("Orbit Labs", "Orbit Lads"), encoding="utf-8")
    aged(other)
    link = tmp_path / "current.yaml"
    link.symlink_to(knowledge)
    first = answers(link, cache, monkeypatch)
    link.unlink()
    link.symlink_to(other)
    second = answers(link, cache, monkeypatch)
    assert json.loads(first["show"][1])["entity"]["name"] == "Orbit Labs"
    assert json.loads(second["show"][1])["entity"]["name"] == "Orbit Lads"


# --------------------------------------------------------------------------
# The cache directory


def test_a_missing_cache_directory_is_made(knowledge, reference, tmp_path, monkeypatch):
    cache = tmp_path / "not" / "there" / "yet"
    assert answers(knowledge, cache, monkeypatch) == reference
    assert index_files(cache)


@pytest.mark.parametrize("where", ["under-a-file", "a-file"])
def test_a_cache_that_cannot_be_written_still_answers_right(where, knowledge, reference, tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file, not a folder\n")
    cache = blocker / "cache" if where == "under-a-file" else blocker
    for _ in range(2):
        assert answers(knowledge, cache, monkeypatch) == reference
    assert blocker.read_text() == "a regular file, not a folder\n"


def test_a_read_only_cache_still_answers_right(knowledge, reference, cache, monkeypatch):
    """chmod does not bind root: make every write into the cache fail instead."""
    answers(knowledge, cache, monkeypatch)  # a good index and stamp exist
    # A changed file needs a new index, which cannot be written.
    knowledge.write_text(MINI.read_text(encoding="utf-8").replace("Orbit Labs", "Orbit Lads"), encoding="utf-8")
    real_open, real_os_open, real_replace = open, os.open, os.replace
    root = str(cache.resolve())

    def inside(file) -> bool:
        return not isinstance(file, int) and os.path.abspath(os.fsdecode(file)).startswith(root)

    def guarded_open(file, mode="r", *args, **kwargs):
        if inside(file) and any(c in mode for c in "wax+"):
            raise PermissionError(13, "Read-only file system", str(file))
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(file, flags, *args, **kwargs):
        if inside(file) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(13, "Read-only file system", str(file))
        return real_os_open(file, flags, *args, **kwargs)

    def guarded_replace(a, b, *args, **kwargs):
        if inside(b):
            raise PermissionError(13, "Read-only file system", str(b))
        return real_replace(a, b, *args, **kwargs)

    real_connect = sqlite3.connect

    def guarded_connect(database, *args, **kwargs):
        name = os.fsdecode(database) if not isinstance(database, str) else database
        if name.startswith("file:"):
            name = name[5:].split("?")[0]
        if inside(name) and "mode=ro" not in str(database):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(os, "replace", guarded_replace)
    monkeypatch.setattr(sqlite3, "connect", guarded_connect)
    got = answers(knowledge, cache, monkeypatch)
    monkeypatch.undo()
    assert json.loads(got["show"][1])["entity"]["name"] == "Orbit Lads"
    assert got == answers(knowledge, cache.with_name("fresh-cache"), monkeypatch)


# --------------------------------------------------------------------------
# The knowledge file changing while it is indexed


def _generated(path: Path, size: str = "S") -> Path:
    subprocess.run([sys.executable, str(GENERATE), size, "-o", str(path)], check=True, timeout=300)
    return path


def _hub(path: Path) -> str:
    """The most relied-on entity of a generated file (named in the .json the generator writes next to it)."""
    about = path.with_suffix(".json")
    return json.loads(about.read_text(encoding="utf-8"))["hub"] if about.exists() else "hub-0"


def _renamed(content: bytes, hub: str) -> bytes:
    """The same file, the same size, with the hub's name changed everywhere it is written."""
    name = re.search(rb"  - id: " + re.escape(hub.encode()) + rb"\n    name: \"?([^\"\n]+)", content).group(1)
    other = name[:-1] + (b"x" if name[-1:] != b"x" else b"y")
    assert content.count(name) > 10
    return content.replace(name, other)


@pytest.fixture(scope="module")
def generated_pair(tmp_path_factory) -> tuple[bytes, bytes, str]:
    """Two versions of a synthetic file of the same size: the hub's name differs in
    its entity (early in the file) and in relationships' summaries (throughout)."""
    folder = tmp_path_factory.mktemp("pair")
    path = _generated(folder / "S.yaml")
    hub = _hub(path)
    old = path.read_bytes()
    new = _renamed(old, hub)
    assert len(new) == len(old) and new != old
    return old, new, hub


@pytest.mark.parametrize("how", ["in-place", "atomic-save"])
@pytest.mark.parametrize("cores", ["one process", "two processes"])
def test_a_file_that_changes_while_it_is_indexed_never_gives_a_mixed_answer(how, cores, generated_pair, tmp_path, monkeypatch):
    """Rewritten once a few hundred entities are read, when the reader holds the
    first megabyte and the rest is still on disk: the answer is the old file's,
    the new file's or an error, never half of each; in one process or two
    (aideps.knowledge.split: the reading process checks across items)."""
    from aideps.knowledge import across_checks

    old, new, hub = generated_pair
    data = tmp_path / "k.yaml"
    data.write_bytes(old)
    aged(data)
    expected = {}
    for label, content in (("old", old), ("new", new)):
        other = tmp_path / f"{label}.yaml"
        other.write_bytes(content)
        monkeypatch.setenv("AIDEPS_CACHE_DIR", str(tmp_path / f"cache-{label}"))
        expected[label] = run("--data", str(other), "show", hub, "--json").stdout
    assert expected["old"] != expected["new"]

    if cores == "one process":
        monkeypatch.setenv("AIDEPS_NO_SPLIT", "1")
    real_call = across_checks.Across.item
    seen = {"n": 0}

    def checked(self, section, place):
        seen["n"] += 1
        if seen["n"] == 300:
            if how == "in-place":
                with open(data, "r+b") as fh:
                    fh.write(new)
            else:
                swap = tmp_path / "swap.yaml"
                swap.write_bytes(new)
                os.replace(swap, data)
        return real_call(self, section, place)

    cache = tmp_path / "cache"
    monkeypatch.setenv("AIDEPS_CACHE_DIR", str(cache))
    monkeypatch.setattr(across_checks.Across, "item", checked)
    result = run("--data", str(data), "show", hub, "--json")
    monkeypatch.setattr(across_checks.Across, "item", real_call)
    assert seen["n"] >= 300
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code == 0:
        assert result.stdout in (expected["old"], expected["new"]), "an answer from a file that never existed"
    else:
        assert result.exit_code == 1 and result.stderr.strip()
    # Whatever happened, the next run answers from the file as it is now.
    again = run("--data", str(data), "show", hub, "--json")
    assert again.exit_code == 0 and again.stdout == expected["new"]
    assert_nothing_broken_left(cache)


# --------------------------------------------------------------------------
# Many processes at once


def test_processes_at_once_on_a_fresh_cache_all_answer_right(tmp_path):
    data = _generated(tmp_path / "S.yaml")
    hub = _hub(data)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    reference = subprocess.run(
        [sys.executable, "-m", "aideps", "--data", str(data), "show", hub, "--json"],
        capture_output=True, timeout=600, env={**env, "AIDEPS_CACHE_DIR": str(tmp_path / "reference")},
    )
    assert reference.returncode == 0, reference.stderr.decode()
    cache = tmp_path / "cache"
    env["AIDEPS_CACHE_DIR"] = str(cache)
    commands = [["show", hub, "--json"], ["list", "--json"], ["show", hub, "--json"], ["hardware", "--json"]]
    procs = [
        subprocess.Popen([sys.executable, "-m", "aideps", "--data", str(data), *c], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for c in commands
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err), command in zip(procs, outputs, commands):
        assert proc.returncode == 0 and err == b"", (command, err.decode()[-2000:])
        json.loads(out)
    assert outputs[0][0] == outputs[2][0] == reference.stdout
    assert len(index_files(cache)) == 1
    assert_nothing_broken_left(cache)


def test_readers_while_the_file_is_saved_again_and_again(tmp_path):
    """Processes start while the file is being replaced, one version after another:
    each answers from one whole version, and the last run from the last."""
    data = _generated(tmp_path / "S.yaml")
    hub = _hub(data)
    original = data.read_bytes()
    versions = [original]
    for _ in range(3):
        versions.append(_renamed(versions[-1], hub))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["AIDEPS_CACHE_DIR"] = str(tmp_path / "cache")
    names = []
    for content in versions:
        name = re.search(rb"  - id: " + re.escape(hub.encode()) + rb"\n    name: \"?([^\"\n]+)", content).group(1)
        names.append(name.decode())
    command = [sys.executable, "-m", "aideps", "--data", str(data), "show", hub, "--json"]
    procs = []
    for content in versions[1:]:
        procs.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env))
        swap = tmp_path / "swap.yaml"
        swap.write_bytes(content)
        os.replace(swap, data)
        time.sleep(0.2)
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert "Traceback" not in err.decode()
        if proc.returncode == 0:
            document = json.loads(out)
            name = document["entity"]["name"]
            assert name in names
            # One whole version: every summary that names the hub names it as the entity does.
            for rel in document["relationships"]:
                for other in set(names) - {name}:
                    assert other not in rel["summary"], (name, rel["summary"])
        else:
            assert proc.returncode == 1 and err.strip(), err.decode()
    last = subprocess.run(command, capture_output=True, timeout=600, env=env)
    assert last.returncode == 0 and json.loads(last.stdout)["entity"]["name"] == names[-1]
