"""What is planted in the cache is never followed nor waited on (aideps.index.cache,
aideps.index.build): a FIFO at a stamp, index or seal path cannot hang a run, a
link at a lock or temporary-file path never leads a write outside the cache,
and the cache holds one lock file, not one per content.

Each run goes through a real process where a regression would hang: the
timeout only ends such a test, nothing here is timed.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aideps.graph import store
from aideps.index import build as building
from aideps.index import cache as index_cache
from aideps.index import open_file

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "fixtures" / "mini.yaml"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and links as POSIX has them")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AIDEPS_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def knowledge(tmp_path) -> Path:
    path = tmp_path / "k.yaml"
    path.write_bytes(MINI.read_bytes())
    past = time.time_ns() - 3600 * 10**9  # an old file: the stamp of the first run is trusted
    os.utime(path, ns=(past, past))
    return path


@pytest.fixture
def outside(tmp_path) -> Path:
    """A file outside the cache that a followed link would damage."""
    path = tmp_path / "precious.txt"
    path.write_bytes(b"not the cache's to touch\n")
    return path


def untouched(path: Path) -> bool:
    return path.read_bytes() == b"not the cache's to touch\n"


def show(knowledge: Path, cache: Path) -> str:
    """`aideps show orbit-labs --json` in a process of its own."""
    env = {**os.environ, "AIDEPS_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-m", "aideps", "--data", str(knowledge), "show", "orbit-labs", "--json"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return json.loads(done.stdout)["entity"]["name"]


def paths(knowledge: Path, cache: Path) -> tuple[Path, Path]:
    """(stamp, index) paths of the knowledge file in `cache`."""
    stamp = Path(index_cache.stamp_path(str(cache), os.path.realpath(knowledge)))
    name = index_cache.index_name(index_cache.hash_file(str(knowledge)))
    return stamp, cache / "index" / name


def fifo_at(path: Path) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize("where", ["stamp", "index", "seal"])
def test_a_fifo_in_the_cache_never_hangs_a_run_and_is_replaced(where, knowledge, cache):
    assert show(knowledge, cache) == "Orbit Labs"
    stamp, index = paths(knowledge, cache)
    planted = {"stamp": stamp, "index": index, "seal": Path(str(index) + ".seal")}[where]
    fifo_at(planted)
    assert show(knowledge, cache) == "Orbit Labs"
    assert stat.S_ISREG(planted.lstat().st_mode)  # the next write replaced it
    open_file(str(index))
    assert show(knowledge, cache) == "Orbit Labs"


def test_a_stamp_that_is_a_link_is_not_followed(knowledge, cache, outside):
    assert show(knowledge, cache) == "Orbit Labs"
    stamp, _ = paths(knowledge, cache)
    real_stamp = stamp.read_bytes()
    stamp.unlink()
    elsewhere = outside.with_name("a-stamp-elsewhere")
    elsewhere.write_bytes(real_stamp)  # a good stamp, but not where stamps are
    stamp.symlink_to(elsewhere)
    assert index_cache.read_stamp(str(cache), os.path.realpath(knowledge)) is None
    assert show(knowledge, cache) == "Orbit Labs"
    assert not stamp.is_symlink() and elsewhere.read_bytes() == real_stamp


def test_links_at_the_old_fixed_temporary_names_lead_nowhere(knowledge, cache, outside):
    """Stamps and seals were once written through `<path>.<pid>.tmp`: a link
    planted there would have been written through. Temporary names are random now."""
    stamp, index = paths(knowledge, cache)
    stamp.parent.mkdir(parents=True)
    index.parent.mkdir(parents=True)
    planted = [Path(f"{stamp}.{os.getpid()}.tmp"), Path(f"{index}.seal.{os.getpid()}.tmp")]
    for link in planted:
        link.symlink_to(outside)
    assert store.graph(knowledge).entities["orbit-labs"]["name"] == "Orbit Labs"  # in this process: same pid
    assert stamp.is_file() and Path(str(index) + ".seal").is_file()
    assert untouched(outside)
    assert all(link.is_symlink() for link in planted)


def test_a_link_at_the_lock_path_is_not_followed(knowledge, cache, outside):
    folder = cache / "index"
    folder.mkdir(parents=True)
    lock = Path(index_cache.lock_path(str(folder)))
    lock.symlink_to(outside)
    assert show(knowledge, cache) == "Orbit Labs"
    assert untouched(outside)
    assert not lock.is_symlink()
    dangling = outside.with_name("not-there-yet")
    lock.unlink()
    lock.symlink_to(dangling)  # a link to nothing: following it would create a file
    knowledge.write_bytes(knowledge.read_bytes() + b"\n# changed\n")  # the next run builds
    assert show(knowledge, cache) == "Orbit Labs"
    assert not dangling.exists()


def test_the_lock_refuses_a_link_planted_after_its_check(tmp_path, outside, monkeypatch):
    """Between the lock's own check and filelock's open, a link appears: filelock
    opens with O_NOFOLLOW, so the lock is not taken (the build goes on without)
    and the file the link points to is left alone."""
    lock_path = tmp_path / ".lock"
    real_lstat = os.lstat

    def lstat_then_plant(path, *args, **kwargs):
        if Path(path) == lock_path:
            monkeypatch.setattr(building.os, "lstat", real_lstat)
            lock_path.symlink_to(outside)
            raise FileNotFoundError(path)
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(building.os, "lstat", lstat_then_plant)
    with building.Lock(str(lock_path)) as lock:
        assert lock.lock is None
    assert untouched(outside)


def test_one_lock_file_per_cache_not_one_per_content(knowledge, cache):
    store.graph(knowledge)
    for n in range(3):
        knowledge.write_bytes(knowledge.read_bytes() + f"\n# version {n}\n".encode())
        store.graph(knowledge)
    names = sorted(p.name for p in (cache / "index").iterdir())
    assert [n for n in names if "lock" in n] == [".lock"]
    assert len([n for n in names if n.endswith(".sqlite")]) == 1


def test_the_lock_is_held_while_building_and_released_after(tmp_path):
    """The same lock from another process waits while it is held: here, a
    non-blocking try from a child process fails while the build holds it."""
    lock_path = tmp_path / ".lock"
    probe = (
        "import sys, filelock\n"
        "try:\n"
        "    filelock.FileLock(sys.argv[1], timeout=0).acquire()\n"
        "except filelock.Timeout:\n"
        "    print('held')\n"
        "else:\n"
        "    print('free')\n"
    )

    def try_it() -> str:
        return subprocess.run([sys.executable, "-c", probe, str(lock_path)], capture_output=True, text=True, timeout=120).stdout.strip()

    with building.Lock(str(lock_path)) as lock:
        assert lock.lock is not None
        assert try_it() == "held"
    assert try_it() == "free"


def test_leftover_temporary_files_of_killed_writes_are_swept(knowledge, cache):
    store.graph(knowledge)
    stamps = cache / "stamps"
    old_stamp_tmp = stamps / ".0123abcd.k2j4_x9q.tmp"
    new_stamp_tmp = stamps / ".4567ef01.a8s7_d6f.tmp"
    old_seal_tmp = cache / "index" / ".x.sqlite.seal.zz91_kq.tmp"
    for path in (old_stamp_tmp, new_stamp_tmp, old_seal_tmp):
        path.write_bytes(b"half")
    past = time.time() - 3600
    for path in (old_stamp_tmp, old_seal_tmp):
        os.utime(path, (past, past))
    knowledge.write_bytes(knowledge.read_bytes() + b"\n# changed\n")  # the next run builds
    store.graph(knowledge)
    assert not old_stamp_tmp.exists() and not old_seal_tmp.exists()
    assert new_stamp_tmp.exists()  # may be a write under way
