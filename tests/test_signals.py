"""Signals and pipes, with real processes.

* Ctrl-C (SIGINT) while a large knowledge file is being read and indexed:
  exit 130, nothing on stderr, and the next run gives the right answer (no
  broken cache or index left behind).
* A reader that goes away (`| head`): aideps exits quietly, 0 or 141.

The large file is benchmarks/generate.py's synthetic S file (1k entities,
10k relationships; its first run takes a second or two), made once per module
in a temporary folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "benchmarks" / "generate.py"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pipes")


def _env(**extra: str) -> dict:
    """The test's environment (a fresh cache from conftest), without PYTHONUNBUFFERED:
    Python hides broken pipes when it is set."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """A synthetic knowledge file whose first run takes a second or two."""
    path = tmp_path_factory.mktemp("big") / "S.yaml"
    subprocess.run([sys.executable, str(GENERATE), "S", "-o", str(path)], check=True, timeout=300)
    return path


def _hub(big: Path) -> str:
    """The most relied-on entity of the synthetic file (the generator names it in S.json next to it)."""
    return json.loads(big.with_suffix(".json").read_text(encoding="utf-8"))["hub"]


@pytest.fixture(scope="module")
def warm(big, tmp_path_factory) -> dict:
    """A cache that already holds `big`'s index, and the reference answer of `show HUB --json`."""
    cache = tmp_path_factory.mktemp("warm-cache")
    done = subprocess.run(
        [sys.executable, "-m", "aideps", "--data", str(big), "show", _hub(big), "--json"],
        capture_output=True, text=True, timeout=600, env=_env(AIDEPS_CACHE_DIR=str(cache)),
    )
    assert done.returncode == 0, done.stderr
    return {"cache": str(cache), "show": json.loads(done.stdout)}


def _builds(cache: Path, min_bytes: int) -> bool:
    """Is an index build under way: its temporary file in the cache, holding at least `min_bytes`?"""
    for tmp in cache.rglob(".build-*.tmp"):
        try:
            if tmp.stat().st_size >= min_bytes:
                return True
        except FileNotFoundError:
            pass
    return False


def _interrupt_mid_build(command: list[str], env: dict, cache: Path, min_bytes: int) -> subprocess.Popen:
    """Start aideps and send it SIGINT while its index build is observably
    under way. No sleep races the build: the process is stopped (SIGSTOP) as
    soon as the build is seen, the build is checked to be still under way,
    and only then is SIGINT sent and the process continued. Should the build
    finish between seeing it and stopping the process (a loaded machine), the
    run is thrown away and tried again on an empty cache."""
    import shutil

    for _ in range(10):
        shutil.rmtree(cache, ignore_errors=True)
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        deadline = time.monotonic() + 120
        while not _builds(cache, min_bytes):
            if process.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.001)
        else:
            process.send_signal(signal.SIGSTOP)
            if process.poll() is None and _builds(cache, 0):
                process.send_signal(signal.SIGINT)
                process.send_signal(signal.SIGCONT)
                return process
            process.send_signal(signal.SIGCONT)
        process.kill()
        process.communicate()
    pytest.fail("the index build was never caught under way in 10 tries")


@pytest.mark.parametrize("min_bytes", [0, 16_384], ids=["as-the-build-starts", "mid-build"])
def test_ctrl_c_while_loading_exits_130_quietly_and_leaves_nothing_broken(big, warm, tmp_path, min_bytes):
    cache = tmp_path / "cache"
    env = _env(AIDEPS_CACHE_DIR=str(cache))
    command = [sys.executable, "-m", "aideps", "--data", str(big), "show", _hub(big), "--json"]
    process = _interrupt_mid_build(command, env, cache, min_bytes)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode()
    assert stderr.decode() == ""
    assert stdout == b""

    # The next run is right: whatever the interrupted one left is not used as an answer.
    again = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    assert json.loads(again.stdout) == warm["show"]
    leftovers = [p.name for p in cache.rglob("*") if p.is_file() and (".tmp" in p.name or p.name.endswith("-journal"))]
    assert leftovers == []


def test_ctrl_c_in_a_warm_run_exits_130_quietly(tmp_path):
    """SIGINT at once, however far the process got: never a traceback."""
    env = _env()
    for delay in (0.05, 0.15, 0.3):
        process = subprocess.Popen(
            [sys.executable, "-m", "aideps", "hardware"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        if b"Traceback" in stderr and b"/aideps/" not in stderr:
            continue  # CPython itself was still starting (site, runpy): no aideps code had run yet
        assert process.returncode in (0, 130, -signal.SIGINT), stderr.decode()
        assert b"Traceback" not in stderr


def test_ctrl_c_while_pydantic_builds_its_models_is_held_until_they_are_built():
    """pydantic-core 2.7 panics (a traceback, exit 1: seen in CI) when a
    KeyboardInterrupt is raised while it builds a validator; the models
    module holds a Ctrl-C until its classes are built, then delivers it."""
    from aideps.knowledge.model import hold_ctrl_c

    release = hold_ctrl_c()
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)  # delivered, and held: no KeyboardInterrupt here
    with pytest.raises(KeyboardInterrupt):
        release()
    release = hold_ctrl_c()  # nothing caught: nothing delivered
    release()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _piped(command: str, env: dict) -> tuple[str, int, str]:
    """Run `command | head ...` in bash: (head's output, aideps's exit status, aideps's stderr)."""
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}; echo \"status=${{PIPESTATUS[0]}}\" >&2"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    lines = result.stderr.splitlines()
    status = int(lines[-1].removeprefix("status="))
    return result.stdout, status, "\n".join(lines[:-1])


def _aideps(*args: str) -> str:
    return " ".join([f"'{sys.executable}'", "-m", "aideps", *args])


@pytest.mark.parametrize(
    "args, head",
    [(["hardware"], "head -1"), (["show", "openai", "--json"], "head -c 10"), (["list"], "head -1"), (["tree", "openai"], "head -2")],
)
def test_head_on_the_bundled_data_exits_quietly(args, head):
    env = _env()
    env.pop("AIDEPS_DATA", None)  # the bundled knowledge file
    out, status, stderr = _piped(f"{_aideps(*args)} | {head}", env)
    assert stderr == ""
    assert status in (0, 141)
    assert out


@pytest.mark.parametrize(
    "args, head",
    [(["list"], "head -1"), (["list", "--json"], "head -c 10"), (["show", "HUB", "--json"], "head -c 10"), (["list", "--csv"], "head -3")],
)
def test_head_on_output_bigger_than_a_pipe_exits_quietly(big, warm, args, head):
    args = [_hub(big) if arg == "HUB" else arg for arg in args]
    env = _env(AIDEPS_CACHE_DIR=warm["cache"])
    full = subprocess.run(
        [sys.executable, "-m", "aideps", "--data", str(big), *args], capture_output=True, env=env, timeout=600
    )
    assert full.returncode == 0
    assert len(full.stdout) > 65536 + 4096  # more than a pipe holds: aideps is still writing when head goes
    out, status, stderr = _piped(f"{_aideps('--data', str(big), *args)} | {head}", env)
    assert stderr == ""
    assert status in (0, 141)
    assert out


# --------------------------------------------------------------------------
# export -o: written atomically, never onto a directory, a device or a pipe replaced


def _run(*args: str):
    from clihelp import run

    return run(*args)


MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"


def test_export_onto_a_directory_is_refused_and_leaves_it_untouched(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine\n")
    before = sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir())
    for target in (folder, Path(str(folder) + "/"), tmp_path / "link-to-out"):
        if target.name == "link-to-out":
            target.symlink_to(folder, target_is_directory=True)
        result = _run("--data", str(MINI), "export", "-o", str(target))
        assert result.exit_code == 1
        assert "is a directory; give a file name" in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
        assert sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()) == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_into_a_folder_that_does_not_exist_is_a_clear_error(tmp_path):
    result = _run("--data", str(MINI), "export", "-o", str(tmp_path / "nope" / "graph.dot"))
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "nope").exists()


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_an_interrupted_export_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch, where):
    """Ctrl-C while the file is being written: exit 130, the previous file
    as it was, no half-written file, no temporary file left."""
    from aideps.knowledge import atomic

    target = tmp_path / "graph.dot"
    target.write_text("the previous export\n")
    real = {"fsync": os.fsync, "replace": os.replace}

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    if where == "write":
        import io

        class Interrupted(io.FileIO):
            def write(self, data):
                super().write(data[: len(data) // 2])
                raise KeyboardInterrupt

        real_fdopen = os.fdopen
        monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode="r", *a, **k: Interrupted(fd, "wb") if "w" in mode else real_fdopen(fd, mode, *a, **k))
    else:
        monkeypatch.setattr(atomic.os, where, interrupt)
    result = _run("--data", str(MINI), "export", "-o", str(target))
    monkeypatch.setattr(atomic.os, "fsync", real["fsync"])
    monkeypatch.setattr(atomic.os, "replace", real["replace"])
    assert result.exit_code == 130, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.dot"]


def test_export_to_a_new_file_is_complete_or_absent(tmp_path, monkeypatch):
    from aideps.knowledge import atomic

    target = tmp_path / "new.dot"
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    result = _run("--data", str(MINI), "export", "-o", str(target))
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    result = _run("--data", str(MINI), "export", "-o", str(target))
    assert result.exit_code == 0 and target.read_text().startswith("digraph")


def test_export_into_a_fifo_writes_into_it_and_keeps_it(tmp_path):
    """`-o` onto a named pipe (or /dev/null, /dev/stdout): written into, never
    replaced by a regular file (as root, renaming over /dev/null would break the
    system; a FIFO in a temporary folder shows the same without the risk)."""
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = _run("--data", str(MINI), "export", "-o", str(fifo))
    reader.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith(b"digraph")
