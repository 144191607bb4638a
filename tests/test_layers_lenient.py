"""--lenient (AIDEPS_LENIENT) and layered knowledge files (--data A --data B, AIDEPS_DATA=A:B): issue 13, items 3 and 4."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LAYERS = Path(__file__).resolve().parent / "fixtures" / "layers"
DANGLING = LAYERS / "dangling.yaml"


def aideps(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = dict(os.environ, **(env or {}))
    if "AIDEPS_LENIENT" not in (env or {}):
        environ.pop("AIDEPS_LENIENT", None)
    return subprocess.run(
        [sys.executable, "-m", "aideps", *args], capture_output=True, text=True, env=environ, timeout=120
    )


# ---- --lenient -----------------------------------------------------------------


def test_a_dangling_reference_refuses_without_lenient():
    done = aideps("--data", str(DANGLING), "show", "alpha")
    assert done.returncode == 1
    assert "unknown entity 'ghost-chip' in 'to' of relationship 'alpha-hardware-ghost'" in done.stderr
    assert "? ghost-chip" not in done.stdout


def test_lenient_answers_warns_and_shows_the_dangling_end_unresolved():
    done = aideps("--data", str(DANGLING), "--lenient", "show", "alpha")
    assert done.returncode == 0, done.stderr
    assert f"aideps: 2 problems in {DANGLING}, answering anyway (--lenient):" in done.stderr
    assert f"{DANGLING}:31:5: unknown entity 'ghost-chip'" in done.stderr
    assert "? ghost-chip" in done.stdout
    assert "Beta" in done.stdout  # the resolved end is as ever


def test_lenient_from_the_environment_tree_and_why():
    env = {"AIDEPS_LENIENT": "1", "AIDEPS_DATA": str(DANGLING)}
    tree = aideps("tree", "alpha", env=env)
    assert tree.returncode == 0, tree.stderr
    assert "? ghost-chip" in tree.stdout and "answering anyway" in tree.stderr
    why = aideps("why", "alpha", "ghost-chip", env=env)
    assert why.returncode == 0, why.stderr
    assert "? ghost-chip" in why.stdout


def test_lenient_json_marks_the_unresolved_entity():
    done = aideps("--data", str(DANGLING), "show", "alpha", "--json", "--lenient")
    assert done.returncode == 0, done.stderr
    names = {r["counterpart"]["id"]: r["counterpart"]["name"] for r in json.loads(done.stdout)["relationships"]}
    assert names == {"ghost-chip": "? ghost-chip", "beta": "Beta"}
    ghost = json.loads(aideps("--data", str(DANGLING), "--lenient", "show", "ghost-chip", "--json").stdout)["entity"]
    assert ghost["unresolved"] is True and ghost["type"] == "unknown"
    # The parent named by beta but described nowhere is a placeholder too.
    beta = json.loads(aideps("--data", str(DANGLING), "--lenient", "show", "beta", "--json").stdout)["entity"]
    assert beta["parents"] == [{"id": "ghost-parent", "name": "? ghost-parent", "type": "unknown"}]


def test_the_lenient_index_is_not_the_strict_one():
    assert aideps("--data", str(DANGLING), "--lenient", "list").returncode == 0
    again = aideps("--data", str(DANGLING), "list")
    assert again.returncode == 1 and "unknown entity 'ghost-chip'" in again.stderr


def test_structural_errors_refuse_even_with_lenient():
    done = aideps("--data", str(LAYERS / "syntax.yaml"), "--lenient", "show", "alpha")
    assert done.returncode == 1
    assert "syntax.yaml:" in done.stderr and "answering anyway" not in done.stderr


def test_validate_is_unchanged_by_lenient():
    done = aideps("--data", str(DANGLING), "--lenient", "validate")
    assert done.returncode == 1
    assert "2 errors" in done.stderr


# ---- layering ------------------------------------------------------------------


def test_two_files_add_up():
    done = aideps("--data", str(LAYERS / "base.yaml"), "--data", str(LAYERS / "mine.yaml"), "show", "beta", "--json")
    assert done.returncode == 0, done.stderr
    relying = {r["entity"]["id"] for r in json.loads(done.stdout)["relied_on_by"]}
    assert relying == {"alpha", "gamma"}  # alpha from base.yaml, gamma (and its relationship) from mine.yaml


def test_data_before_and_after_the_command_layer_in_order():
    done = aideps("--data", str(LAYERS / "base.yaml"), "list", "--data", str(LAYERS / "mine.yaml"))
    assert done.returncode == 0, done.stderr
    assert "Gamma" in done.stdout and "Alpha" in done.stdout


def test_an_id_clash_is_an_error_with_both_places():
    done = aideps("--data", str(LAYERS / "base.yaml"), "--data", str(LAYERS / "clash.yaml"), "show", "alpha")
    assert done.returncode == 1
    assert f"{LAYERS / 'clash.yaml'}:7:1: entity id 'alpha' is already used at {LAYERS / 'base.yaml'}:7" in done.stderr


def test_an_override_replaces_and_is_marked():
    args = ("--data", str(LAYERS / "base.yaml"), "--data", str(LAYERS / "override.yaml"))
    text = aideps(*args, "show", "alpha")
    assert text.returncode == 0, text.stderr
    assert "Alpha Renamed" in text.stdout and f"overridden by {LAYERS / 'override.yaml'}" in text.stdout
    entity = json.loads(aideps(*args, "show", "alpha", "--json").stdout)["entity"]
    assert entity["name"] == "Alpha Renamed"
    assert entity["overridden_by"] == str(LAYERS / "override.yaml")
    assert entity["overrides"] == f"{LAYERS / 'base.yaml'}:7"
    listed = aideps(*args, "list", "--json").stdout
    assert listed.count('"id": "alpha"') == 1  # replaced, not doubled
    # The relationships of the replaced entity still hold.
    assert "Beta" in text.stdout
    # The sources it cited count it no more; the overriding file's count it.
    supports = {s["id"]: s["supports"] for s in json.loads(aideps(*args, "sources", "--json").stdout)["sources"]}
    assert supports == {
        "base-article": {"entities": 1, "relationships": 1, "facts": 0},
        "my-notes": {"entities": 1, "relationships": 0, "facts": 0},
    }


def test_aideps_data_takes_a_path_list():
    paths = os.pathsep.join([str(LAYERS / "base.yaml"), str(LAYERS / "mine.yaml")])
    done = aideps("show", "gamma", env={"AIDEPS_DATA": paths})
    assert done.returncode == 0, done.stderr
    assert "Gamma" in done.stdout and "Beta" in done.stdout


def test_bundled_is_the_short_name_of_the_bundled_file(tmp_path):
    notes = tmp_path / "notes.yaml"
    notes.write_text(
        (LAYERS / "mine.yaml").read_text().replace("to: beta", "to: openai"), encoding="utf-8"
    )
    for short in ("bundled", "@bundled"):
        done = aideps("--data", short, "--data", str(notes), "show", "openai", "--json")
        assert done.returncode == 0, done.stderr
        assert "gamma" in {r["entity"]["id"] for r in json.loads(done.stdout)["relied_on_by"]}


def test_the_layered_index_follows_every_file(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text((LAYERS / "mine.yaml").read_text(), encoding="utf-8")
    args = ("--data", str(LAYERS / "base.yaml"), "--data", str(mine), "show", "gamma")
    assert "Gamma" in aideps(*args).stdout
    mine.write_text((LAYERS / "mine.yaml").read_text().replace("name: Gamma", "name: Gamma Two"), encoding="utf-8")
    assert "Gamma Two" in aideps(*args).stdout


@pytest.mark.parametrize(
    "second, code, said",
    [
        ("mine.yaml", 0, "ok, layered: 3 entities, 2 relationships in all"),
        ("clash.yaml", 1, "entity id 'alpha' is already used at"),
    ],
)
def test_validate_checks_each_file_then_the_clashes(second, code, said):
    done = aideps("validate", "--data", str(LAYERS / "base.yaml"), "--data", str(LAYERS / second))
    assert done.returncode == code
    assert said in done.stdout + done.stderr


def test_validate_checks_each_file_alone_first():
    # A problem inside a layered file is said at its own place.
    done = aideps("validate", "--data", str(LAYERS / "base.yaml"), "--data", str(DANGLING))
    assert done.returncode == 1
    assert f"{DANGLING}:31:5: unknown entity 'ghost-chip'" in done.stdout
    assert "entity id 'alpha' is already used at" in done.stdout


def test_a_later_file_may_name_what_an_earlier_one_holds():
    alone = aideps("validate", "--data", str(LAYERS / "mine.yaml"))
    assert alone.returncode == 1 and "unknown entity 'beta'" in alone.stdout
    layered = aideps("validate", "--data", str(LAYERS / "base.yaml"), "--data", str(LAYERS / "mine.yaml"))
    assert layered.returncode == 0 and "unknown entity" not in layered.stdout


def test_the_typer_way_in_layers_and_is_lenient_too():
    from typer.testing import CliRunner

    from aideps.cli.typer_app import app

    runner = CliRunner()
    layered = runner.invoke(
        app, ["--data", str(LAYERS / "base.yaml"), "show", "gamma", "--data", str(LAYERS / "mine.yaml"), "--json"]
    )
    assert layered.exit_code == 0, layered.output
    assert '"name": "Gamma"' in layered.output
    strict = runner.invoke(app, ["--data", str(DANGLING), "tree", "alpha"])
    assert strict.exit_code == 1
    lenient = runner.invoke(app, ["--lenient", "--data", str(DANGLING), "tree", "alpha"])
    assert lenient.exit_code == 0 and "? ghost-chip" in lenient.output


def test_an_overridden_relationship_leaves_the_file_order_readable_by_position(tmp_path):
    """An override deletes the earlier row: reading the index's relationships
    by position must still give the i-th one, not the one with seq i + 1."""
    from aideps.graph import store

    base = (LAYERS / "base.yaml").read_text(encoding="utf-8")
    extra = "\n".join(
        f"  - id: alpha-cloud-beta-{n}\n    from: alpha\n    to: beta\n    kind: cloud\n    summary: Alpha runs on Beta ({n}).\n"
        f"    provenance:\n      - source: base-article\n        quote: runs on"
        for n in (2, 3)
    )
    (tmp_path / "base.yaml").write_text(base.rstrip("\n") + "\n" + extra + "\n", encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(
        "format: 2\nsources:\n  - id: my-notes\n    title: My own notes\n    date: 2025-03-04\nentities: []\n"
        "relationships:\n  - id: alpha-cloud-beta\n    from: alpha\n    to: beta\n    kind: cloud\n"
        "    summary: Alpha runs on Beta, say my notes.\n    override: true\n"
        "    provenance:\n      - source: my-notes\n        quote: Alpha\n",
        encoding="utf-8",
    )
    rels = store.graph([str(tmp_path / "base.yaml"), str(tmp_path / "mine.yaml")]).store.relationships
    listed = list(rels)
    assert [r["id"] for r in listed] == ["alpha-cloud-beta-2", "alpha-cloud-beta-3", "alpha-cloud-beta"]
    assert [rels[i]["id"] for i in range(len(rels))] == [r["id"] for r in listed]
    assert rels[-1]["summary"] == "Alpha runs on Beta, say my notes."
