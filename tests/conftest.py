"""Shared test fixtures. Add yours; keep the others'."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "fixtures" / "mini.yaml"


@pytest.fixture(autouse=True)
def _isolated_aideps(tmp_path_factory, monkeypatch):
    """No test reads the user's knowledge file or touches their cache: every
    test runs against tests/fixtures/mini.yaml with a fresh cache directory,
    without colour and at a fixed terminal width."""
    monkeypatch.setenv("AIDEPS_DATA", str(MINI))
    monkeypatch.setenv("AIDEPS_CACHE_DIR", str(tmp_path_factory.mktemp("aideps-cache")))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("_AIDEPS_COMPLETE", raising=False)


@pytest.fixture(scope="session")
def mini_path() -> Path:
    return MINI


@pytest.fixture(scope="session")
def mini_data() -> dict:
    """tests/fixtures/mini.yaml in the validated-data shape (the data contract
    of docs/design.md), built with the pydantic models directly so graph and
    render tests need neither the loader nor the cache."""
    import yaml

    from aideps.knowledge.model import KnowledgeFile

    raw = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    return KnowledgeFile.model_validate(raw).model_dump(by_alias=True)


@pytest.fixture
def mini_graph(mini_data):
    from aideps.graph.core import Graph

    return Graph(mini_data)
