"""Golden output on the bundled knowledge file, at 100 columns, no colour.

These pin what a reader sees for `aideps show openai` and `aideps hardware`.
When the data or the layout changes on purpose, regenerate and review the diff:

    AIDEPS_UPDATE_GOLDEN=1 pytest tests/test_cli_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aideps.graph import store
from aideps.cli.typer_app import app

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("AIDEPS_UPDATE_GOLDEN") == "1"

CASES = {
    "show-openai.txt": ["show", "openai"],
    "hardware.txt": ["hardware"],
    "show-microsoft.txt": ["show", "microsoft"],  # its parts' relationships, each "via" the part
    "show-microsoft-brief.txt": ["show", "microsoft", "--brief"],
}


@pytest.fixture
def bundled(monkeypatch):
    monkeypatch.delenv("AIDEPS_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    text = Path(store.bundled_path()).read_text(encoding="utf-8")
    if "\n  - id: openai\n" not in text:
        pytest.skip("the bundled knowledge file has no OpenAI yet")


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(bundled, name):
    result = CliRunner().invoke(app, CASES[name], prog_name="aideps")
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / name
    if UPDATE:
        path.write_text(result.stdout, encoding="utf-8")
    assert path.exists(), f"no {path}; run with AIDEPS_UPDATE_GOLDEN=1 to write it"
    assert result.stdout == path.read_text(encoding="utf-8"), (
        f"{name} changed; if on purpose: AIDEPS_UPDATE_GOLDEN=1 pytest {Path(__file__).name}"
    )
