"""`validate --no-quotes` answers an unchanged file from its kept verdict
(aideps.index.verdicts): the same words, the same exit, never a stale one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from aideps.index import cache, verdicts

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
# Prints what validate printed, its exit, and whether it had to check (the check imports the YAML reader).
PROBE = (
    "import sys, io, contextlib; from aideps.__main__ import main\n"
    "sys.argv = ['aideps', 'validate', *sys.argv[1:]]\n"
    "out, err = io.StringIO(), io.StringIO()\n"
    "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
    "    try: main()\n"
    "    except SystemExit as exit: code = exit.code\n"
    "print(repr((out.getvalue(), err.getvalue(), code, 'yaml' in sys.modules)))"
)


def _validate(path: Path, *options: str) -> tuple[str, str, int, bool]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(path), *options], capture_output=True, text=True, check=True)
    return eval(done.stdout)  # noqa: S307 - our own repr


def _aged(path: Path, text: str) -> Path:
    """`text` written to `path`, its time set a minute back (a verdict of a racily new file is not kept)."""
    path.write_text(text, encoding="utf-8")
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def _kept() -> list[str]:
    try:
        return sorted(os.listdir(cache.verdict_folder(cache.cache_dir())))
    except FileNotFoundError:
        return []


def test_a_second_validate_of_an_unchanged_file_says_the_same_without_checking(tmp_path):
    path = _aged(tmp_path / "k.yaml", MINI.read_text(encoding="utf-8"))
    first = _validate(path, "--no-quotes")
    assert first[2] == 0 and first[3] is True and ": ok, " in first[1]
    assert len(_kept()) == 1
    second = _validate(path, "--no-quotes")
    assert second[:3] == first[:3]
    assert second[3] is False  # answered from the verdict: the YAML reader never loaded
    as_json = _validate(path, "--no-quotes", "--json")
    assert as_json[3] is False and '"ok": true' in as_json[0]


def test_a_file_with_errors_keeps_its_errors_and_exit(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("to: macrosoft-cloud", "to: no-such-cloud", 1)
    assert "no-such-cloud" in text
    path = _aged(tmp_path / "bad.yaml", text)
    first = _validate(path, "--no-quotes")
    second = _validate(path, "--no-quotes")
    assert first[2] == second[2] == 1
    assert "unknown entity 'no-such-cloud'" in first[0]
    assert second[:3] == first[:3] and second[3] is False


def test_an_edited_file_is_checked_anew(tmp_path):
    path = _aged(tmp_path / "k.yaml", MINI.read_text(encoding="utf-8"))
    assert _validate(path, "--no-quotes")[2] == 0
    _aged(path, MINI.read_text(encoding="utf-8").replace("to: macrosoft-cloud", "to: no-such-cloud", 1))
    edited = _validate(path, "--no-quotes")
    assert edited[2] == 1 and edited[3] is True and "no-such-cloud" in edited[0]


def test_a_racily_new_file_is_not_kept_and_quotes_are_never_kept(tmp_path):
    path = tmp_path / "new.yaml"
    path.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")  # written just now
    assert _validate(path, "--no-quotes")[2] == 0
    assert _kept() == []
    aged = _aged(tmp_path / "old.yaml", MINI.read_text(encoding="utf-8"))
    _validate(aged)  # quotes checked: the verdict would depend on the source texts too
    assert _kept() == []


def test_a_damaged_verdict_is_ignored_and_clean_removes_verdicts(tmp_path):
    path = _aged(tmp_path / "k.yaml", MINI.read_text(encoding="utf-8"))
    first = _validate(path, "--no-quotes")
    (kept,) = _kept()
    (Path(cache.verdict_folder(cache.cache_dir())) / kept).write_bytes(b"\x00 not marshal")
    again = _validate(path, "--no-quotes")
    assert again[:3] == first[:3] and again[3] is True
    assert cache.survey(cache.cache_dir())["verdicts"] == 1
    assert cache.clean(cache.cache_dir()) >= 1
    assert _kept() == []


def test_verdicts_are_bounded(tmp_path):
    folder = Path(cache.verdict_folder(cache.cache_dir()))
    folder.mkdir(parents=True)
    for n in range(verdicts.KEEP + 5):
        (folder / f"{n:040x}{cache.VERDICT_SUFFIX}").write_bytes(b"x")
        os.utime(folder / f"{n:040x}{cache.VERDICT_SUFFIX}", ns=(n * 10**9, n * 10**9))
    assert verdicts.prune(cache.cache_dir()) == 5
    left = sorted(os.listdir(folder))
    assert len(left) == verdicts.KEEP and f"{0:040x}{cache.VERDICT_SUFFIX}" not in left  # the oldest went
