"""The cache does not grow without bound (issue 15): pruned, capped, swept,
cleaned; a build ended by SIGTERM cleans up after itself."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aideps.index import cache

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"


def _aideps(*args: str, data: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if data is not None:
        env["AIDEPS_DATA"] = str(data)
    return subprocess.run([sys.executable, "-m", "aideps", *args], capture_output=True, text=True, env=env)


def _copy(tmp_path: Path, name: str, extra: str) -> Path:
    path = tmp_path / name
    path.write_text(MINI.read_text(encoding="utf-8") + f"\n# {extra}\n", encoding="utf-8")
    return path


def _indexes() -> list[str]:
    folder = cache.index_folder(cache.cache_dir())
    return sorted(n for n in os.listdir(folder) if n.endswith(".sqlite"))


def test_indexes_of_deleted_files_are_pruned(tmp_path):
    one, two, three = (_copy(tmp_path, f"k{n}.yaml", str(n)) for n in range(3))
    assert _aideps("list", data=one).returncode == 0
    assert _aideps("list", data=two).returncode == 0
    assert len(_indexes()) == 2
    one.unlink()
    two.rename(tmp_path / "renamed.yaml")
    info = cache.survey(cache.cache_dir())
    assert info["stale_stamps"] == 2 and info["stale_indexes"] == 2
    assert _aideps("list", data=three).returncode == 0  # a build prunes
    assert len(_indexes()) == 1
    info = cache.survey(cache.cache_dir())
    assert info["stamps"] == 1 and info["stale_stamps"] == 0 and info["stale_indexes"] == 0


def test_size_cap_keeps_the_most_recently_used(tmp_path):
    files = [_copy(tmp_path, f"k{n}.yaml", str(n)) for n in range(4)]
    for n, path in enumerate(files):
        assert _aideps("list", data=path).returncode == 0
    folder = cache.index_folder(cache.cache_dir())
    names = _indexes()
    assert len(names) == 4
    for n, name in enumerate(sorted(names, key=lambda x: os.stat(os.path.join(folder, x)).st_mtime)):
        stamp = time.time() - 1000 + n * 100
        os.utime(os.path.join(folder, name), (stamp, stamp))
    oldest = min(names, key=lambda x: os.stat(os.path.join(folder, x)).st_mtime)
    newest = max(names, key=lambda x: os.stat(os.path.join(folder, x)).st_mtime)
    removed = cache.prune(cache.cache_dir(), keep=oldest, max_indexes=2)
    assert removed == 2
    assert sorted(_indexes()) == sorted({oldest, newest})  # `keep` stays, then the most recent


def test_a_dead_build_leftover_goes_at_once():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = cache.index_folder(cache.cache_dir())
    os.makedirs(folder, exist_ok=True)
    leftover = os.path.join(folder, f".build-{dead.pid}-abc.tmp")
    mine = os.path.join(folder, f".build-{os.getpid()}-abc.tmp")
    for path in (leftover, mine):
        Path(path).write_bytes(b"x" * 1000)
    assert cache.survey(cache.cache_dir())["leftovers"] == 1
    assert _aideps("list").returncode == 0  # the first run builds, and sweeps
    assert not os.path.exists(leftover)
    assert os.path.exists(mine)  # a running process's build is left alone


def test_cache_clean_empties_it_and_follows_no_link(tmp_path):
    assert _aideps("list").returncode == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.sqlite").write_text("precious")
    folder = cache.index_folder(cache.cache_dir())
    os.symlink(outside, os.path.join(folder, "link.sqlite"))
    os.symlink(outside / "keep.sqlite", os.path.join(folder, "file-link.sqlite"))
    info = _aideps("cache", "info", "--json")
    assert info.returncode == 0 and '"indexes": 1' in info.stdout
    cleaned = _aideps("cache", "clean")
    assert cleaned.returncode == 0 and "Removed" in cleaned.stdout
    assert (outside / "keep.sqlite").read_text() == "precious"
    assert _indexes() == []
    assert not os.listdir(os.path.join(cache.cache_dir(), "stamps"))
    assert _aideps("cache", "nonsense").returncode == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_during_a_build_cleans_up(tmp_path):
    big = tmp_path / "big.yaml"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "S", "-o", str(big)], check=True,
                   capture_output=True)
    folder = cache.index_folder(cache.cache_dir())
    env = dict(os.environ, AIDEPS_DATA=str(big))
    proc = subprocess.Popen([sys.executable, "-m", "aideps", "list", "--json"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    seen = False
    for _ in range(6000):  # polls, not a time limit: the build's temporary file appears
        if proc.poll() is not None:
            break
        if os.path.isdir(folder) and any(n.startswith(".build-") for n in os.listdir(folder)):
            seen = True
            break
        time.sleep(0.01)
    assert seen, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGTERM)
    proc.wait()
    stderr = proc.stderr.read()
    assert proc.returncode == 143, stderr.decode(errors="replace")[-3000:]  # (once 1, in a CI run: what did it say?)
    assert not [n for n in os.listdir(folder) if n.endswith(".tmp")]
    assert b"Traceback" not in stderr
    shutil.rmtree(cache.cache_dir(), ignore_errors=True)
