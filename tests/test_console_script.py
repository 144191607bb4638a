"""The installed `aideps` console script, run the way a user runs it: from
another directory, on the bundled data, piped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "aideps"


@pytest.fixture
def run(tmp_path):
    if not SCRIPT.exists():
        found = shutil.which("aideps")
        if not found:
            pytest.skip("the aideps console script is not installed (pip install . first)")
        script = found
    else:
        script = str(SCRIPT)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEPS_")}
    env.pop("PYTHONUNBUFFERED", None)  # Python hides broken pipes when it is set
    env["AIDEPS_CACHE_DIR"] = str(tmp_path / "cache")
    env.pop("COLUMNS", None)

    def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [script, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, **kwargs
        )

    return _run


def test_show_openai_from_another_directory_finds_the_bundled_data(run):
    result = run("show", "openai")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OpenAI  lab\n")
    assert "$13B investment (cumulative) / nearly $14B investment (cumulative)" in result.stdout
    assert result.stderr == ""


def test_json_is_one_parseable_document_and_keeps_exact_figures(run):
    result = run("show", "openai", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    invest = next(r for r in doc["relationships"] if r["id"] == "openai-investment-microsoft")
    assert sorted(a["amount"] for a in invest["amounts"]) == [13_000_000_000, 14_000_000_000]


def test_typo_exits_1_with_a_suggestion_and_nothing_on_stdout(run):
    result = run("show", "opnai")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "no entity 'opnai'; did you mean 'openai'?"


def test_version(run):
    from aideps import __version__

    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"aideps {__version__}"


def test_closed_pipe_is_quiet(run, tmp_path):
    script = str(SCRIPT) if SCRIPT.exists() else shutil.which("aideps")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["AIDEPS_CACHE_DIR"] = str(tmp_path / "cache")
    result = subprocess.run(
        f"'{script}' hardware | head -1", shell=True, cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert result.stdout == "Hardware: who relies on whom for chips or hardware\n"
    assert result.stderr == ""


SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def test_bundled_file_validates_clean(run):
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok, " in result.stderr
    # The texts are not next to the bundled file: the summary says how to check them.
    assert "quotes not checked: source texts not found; pass --sources-dir DIR" in result.stderr
    if not SEEDS.is_dir():
        pytest.skip(f"source articles not found at {SEEDS}; quotes not checked")
    result = run("validate", "--sources-dir", str(SEEDS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "quotes checked against 3 of 3 sources" in result.stderr
