"""The command line, in-process (CliRunner) and as a real process.

Every test runs on tests/fixtures/mini.yaml (conftest sets AIDEPS_DATA and a
temporary AIDEPS_CACHE_DIR).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aideps import __version__
from aideps.cli.typer_app import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7]|38;)[0-9;]*m")


def run(*args: str, **kwargs):
    return runner.invoke(app, list(args), prog_name="aideps", **kwargs)


def aideps(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """The real thing: `python -m aideps`, no PYTHONUNBUFFERED."""
    full_env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "aideps", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=60,
        **kwargs,
    )


# ---- tables for people -----------------------------------------------------------


def test_show_prints_a_profile():
    result = run("show", "orbit")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Orbit Labs  lab  (orbit-labs)\n")
    for expected in ("Facts", "Research", "Investment", "$13B / nearly $14B", "relies on:", "relied on by:"):
        assert expected in result.stdout
    assert result.stderr == ""


def test_hardware_prints_both_tables():
    result = run("hardware")
    assert result.exit_code == 0
    assert "Hardware: who relies on whom" in result.stdout
    assert "In-house chips" in result.stdout
    assert "Acme Tensor" in result.stdout


def test_research_filters():
    result = run("research", "--entity", "fruit", "--json")
    assert [e["id"] for e in json.loads(result.stdout)["relationships"]] == ["fruit-co-orbit-labs-research"]
    result = run("research", "-s", "active", "-s", "announced", "--sort", "date", "--json")
    document = json.loads(result.stdout)
    assert document["filters"] == {
        "entity": None, "stage": ["active", "announced"], "health": [], "certainty": [], "sort": "date", "parts": True,
    }
    assert [e["from"]["id"] for e in document["relationships"]] == ["macrosoft", "fruit-co"]


def test_tree_text():
    result = run("tree", "orbit labs", "--depth", "1", "--kind", "hardware", "--kind", "investment")
    assert result.stdout == (
        "Orbit Labs (lab) relies on\n"
        "├── GreenChip  hardware · active · ≥$5.4B\n"
        "└── Macrosoft  investment · active · $13B / nearly $14B …\n"
    )
    result = run("tree", "acme-tensor", "--reverse")
    assert result.stdout.splitlines()[0] == "Acme Tensor (chip) is relied on by"


def test_tree_refuses_rivalry():
    result = run("tree", "orbit-labs", "--kind", "rivalry")
    assert result.exit_code == 2


def test_list_search_sources():
    assert "orbit-labs" in run("list").stdout
    chips = json.loads(run("list", "--type", "chip", "--json").stdout)
    assert [e["id"] for e in chips["entities"]] == ["acme-tensor", "gc-h1"]
    found = run("search", "closest", "rival")
    assert found.exit_code == 0 and "Bolt AI" in found.stdout
    nothing = run("search", "bananas")
    assert nothing.exit_code == 1 and "Nothing matches 'bananas'" in nothing.stdout
    assert "mini-unused" in run("sources").stdout


# ---- JSON: one documented shape per command (docs/json.md) ------------------------

EDGE_KEYS = {
    "id", "kind", "from", "to", "stage", "health", "certainty", "summary", "start", "end", "reported", "date_note",
    "amounts", "terms", "replaces", "history", "provenance", "via", "group", "exceptions",
}
# Who says a claim, and how sure it is: on every quote, figure and fact (format 2).
ATTRIBUTION_KEYS = {"by", "who", "comment", "hedge", "attribution"}
REF_KEYS = {"id", "name", "type"}
SOURCE_REF_KEYS = {"id", "title", "date"}


def _json(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _check_edge(edge: dict) -> None:
    assert set(edge) >= EDGE_KEYS
    assert set(edge["from"]) == REF_KEYS and set(edge["to"]) == REF_KEYS
    for amount in edge["amounts"]:
        assert set(amount) == {
            "amount", "currency", "qualifier", "note", "source", "quote", "as_of", "basis", "metric", "period",
        } | ATTRIBUTION_KEYS
        assert isinstance(amount["amount"], (int, float))
        assert set(amount["source"]) == SOURCE_REF_KEYS
    for prov in edge["provenance"]:
        assert set(prov) == {"source", "quote"} | ATTRIBUTION_KEYS


def test_json_show():
    doc = _json("show", "orbit-labs")
    assert set(doc) == {"entity", "parts", "kinds", "relationships", "relies_on", "relied_on_by", "rivals"}
    assert set(doc["entity"]) == {
        "id", "name", "type", "description", "aliases", "parents", "children", "members", "member_of",
        "roles", "people", "events", "facts", "consistency", "provenance",
    }
    assert set(doc["entity"]["facts"][0]) == {
        "key", "value", "currency", "unit", "qualifier", "as_of", "note", "source", "quote",
        "basis", "metric", "period",
    } | ATTRIBUTION_KEYS
    for edge in doc["relationships"]:
        _check_edge(edge)
        assert edge["direction"] in ("out", "in")
        assert set(edge["counterpart"]) == REF_KEYS
    investment = next(e for e in doc["relationships"] if e["kind"] == "investment")
    assert [a["amount"] for a in investment["amounts"]] == [13_000_000_000, 14_000_000_000]
    assert set(doc["relies_on"][0]) == {"entity", "kinds", "via"}


def test_json_partnerships():
    for kind in ("research", "distribution"):
        doc = _json(kind)
        assert set(doc) == {"kind", "filters", "relationships"}
        assert doc["kind"] == kind
        for edge in doc["relationships"]:
            _check_edge(edge)
    doc = _json("hardware")
    assert set(doc) == {"kind", "filters", "relationships", "in_house"}
    for edge in doc["in_house"]:
        _check_edge(edge)
        assert edge["kind"] == "in_house"


def test_json_tree():
    doc = _json("tree", "orbit-labs")
    assert set(doc) == {"root", "reverse", "depth", "kinds", "filters", "parts", "tree"}
    assert doc["filters"] == {"stage": [], "health": [], "certainty": [], "where": []}
    node = doc["tree"]
    assert set(node) == {"entity", "via", "marker", "truncated", "children"}
    assert node["entity"]["id"] == "orbit-labs" and node["via"] == []
    child = node["children"][0]
    _check_edge(child["via"][0])
    markers = set()

    def walk(n):
        markers.add(n["marker"])
        for c in n["children"]:
            walk(c)

    walk(node)
    assert markers == {None, "cycle"}


def test_json_list_search_sources():
    doc = _json("list")
    assert set(doc) == {"filters", "entities"}
    assert set(doc["entities"][0]) == {"id", "name", "type", "description", "aliases", "parents", "relationships", "facts"}
    doc = _json("search", "orbitai")
    assert set(doc) == {"query", "limit", "total", "matches"}
    assert doc["limit"] == 100 and doc["total"] == len(doc["matches"])
    assert set(doc["matches"][0]) == {"type", "id", "label", "field", "source", "text", "span"}
    doc = _json("sources")
    assert set(doc["sources"][0]) == {
        "id", "title", "date", "date_note", "author", "author_note", "publisher", "url", "note", "supports",
    }
    assert set(doc["sources"][0]["supports"]) == {"entities", "relationships", "facts"}


def test_json_validate(mini_path):
    result = run("validate", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) == {"file", "ok", "errors", "notes", "problems", "counts", "quotes"}
    assert doc["file"] == str(mini_path) and doc["ok"] is True
    assert doc["counts"] == {"sources": 4, "entities": 11, "relationships": 15}
    assert set(doc["problems"][0]) == {"file", "line", "column", "severity", "message"}


def test_json_and_csv_together_is_a_usage_error():
    result = run("show", "orbit", "--json", "--csv")
    assert result.exit_code == 2
    assert result.stdout == ""


# ---- CSV ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "column"),
    [
        (["show", "orbit"], "counterpart"),
        (["hardware"], "amount_values"),
        (["research"], "from"),
        (["tree", "orbit"], "marker"),
        (["list"], "description"),
        (["search", "orbit"], "field"),
        (["sources"], "title"),
    ],
)
def test_csv_parses(args, column):
    result = run(*args, "--csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and column in rows[0]


# ---- names ---------------------------------------------------------------------------


def test_unknown_name_suggests_and_prints_nothing_on_stdout():
    result = run("show", "orbt-labs")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("no entity 'orbt-labs'; did you mean 'orbit-labs'")
    result = run("show", "bolt-aj", "--json")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "no entity 'bolt-aj'; did you mean 'bolt-ai'?\n"


def test_unknown_entity_filter_and_tree_root():
    assert run("hardware", "--entity", "nobody-at-all").exit_code == 1
    assert run("tree", "nobody-at-all").exit_code == 1


def test_ambiguous_name_lists_candidates(tmp_path, mini_path):
    # "Acme.Cloud" is neither an id, a name nor an alias; without punctuation
    # it could be Acme Cloud or the (new) alias AcmeCloud of Fruit Co.
    text = mini_path.read_text(encoding="utf-8").replace("aliases: [Fruit]", "aliases: [Fruit, AcmeCloud]")
    path = tmp_path / "ambiguous.yaml"
    path.write_text(text, encoding="utf-8")
    from aideps.knowledge.validate import check_file

    if not check_file(path).ok:
        pytest.skip("the validator forbids names that differ only in punctuation")
    result = run("--data", str(path), "show", "Acme.Cloud")
    assert result.exit_code == 1
    assert result.stderr == (
        "'Acme.Cloud' could be any of: acme-cloud (Acme Cloud, cloud), fruit-co (Fruit Co, company); "
        "name one by its id\n"
    )


# ---- data files ----------------------------------------------------------------------


def test_data_option_before_or_after_the_command(tmp_path, mini_path, monkeypatch):
    monkeypatch.setenv("AIDEPS_DATA", str(tmp_path / "missing.yaml"))
    assert run("show", "orbit").exit_code == 1
    assert run("--data", str(mini_path), "show", "orbit").exit_code == 0
    assert run("show", "orbit", "--data", str(mini_path)).exit_code == 0


def test_missing_or_invalid_data_is_a_message_not_a_traceback(tmp_path):
    result = run("--data", str(tmp_path / "nope.yaml"), "list")
    assert result.exit_code == 1
    assert "nope.yaml: no such file" in result.stderr
    assert result.stdout == ""
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: []\nentities:\n  - id: Not A Slug\nrelationships: []\n", encoding="utf-8")
    result = run("--data", str(bad), "list")
    assert result.exit_code == 1
    assert re.search(r"bad\.yaml:\d+:\d+: ", result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_validate_prints_problems_and_a_summary(tmp_path, mini_path):
    result = run("validate", str(mini_path))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{mini_path}:")  # the dependency-cycle note
    assert result.stderr == (
        f"{mini_path}: ok, 11 entities, 15 relationships, 1 note; quotes checked against 0 of 4 sources\n"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        mini_path.read_text(encoding="utf-8").replace("from: fruit-co", "from: fruit-corp"), encoding="utf-8"
    )
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert all(re.match(r".*bad\.yaml:\d+:\d+: ", line) for line in result.stdout.splitlines())
    assert re.fullmatch(r"\d+ errors?(, \d+ notes?)? in .*bad\.yaml\n", result.stderr)


def test_version():
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"aideps {__version__}\n")


# ---- as a real process ---------------------------------------------------------------


def test_python_dash_m_and_exit_codes():
    assert aideps("show", "orbit").returncode == 0
    missing = aideps("show", "opnai")
    assert missing.returncode == 1 and missing.stdout == "" and "Traceback" not in missing.stderr
    assert aideps("show").returncode == 2
    assert aideps("no-such-command").returncode == 2


def test_json_is_valid_when_piped_and_never_wrapped():
    result = aideps("show", "orbit-labs", "--json", env={"COLUMNS": "20"})
    doc = json.loads(result.stdout)
    assert doc["entity"]["id"] == "orbit-labs"


def test_no_colour_when_piped_or_asked(mini_path):
    forced = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    assert COLOUR.search(aideps("show", "orbit", env=forced).stdout)  # a terminal gets colour
    assert not COLOUR.search(aideps("show", "orbit").stdout)  # a pipe does not
    assert not COLOUR.search(aideps("show", "orbit", env={**forced, "NO_COLOR": "1"}).stdout)
    assert not COLOUR.search(aideps("--no-color", "show", "orbit", env=forced).stdout)


def test_json_path_never_imports_rich():
    assert aideps("show", "orbit", "--json").returncode == 0  # warm the cache
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "aideps", "show", "orbit", "--json"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items()},
        timeout=60,
    )
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert not any(name == "rich" or name.startswith("rich.") for name in imported)
    assert not any(name in ("yaml", "pydantic") for name in imported)  # the cache is warm after the first run


def _big_knowledge_file(path: Path, entities: int = 1500) -> None:
    lines = ["format: 2", "sources:", "  - id: big", "    title: A Big Made-up Article", '    date: "2024"', "entities:"]
    for i in range(entities):
        lines += [
            f"  - id: company-{i}",
            f"    name: Company Number {i}",
            "    type: company",
            f"    description: Made-up company number {i}, here only to make a long listing for pipe tests.",
            "    provenance:",
            "      - source: big",
            f"        quote: Company Number {i} exists.",
        ]
    lines.append("relationships: []")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("args", [["list"], ["list", "--json"], ["list", "--csv"]])
def test_head_closing_the_pipe_is_quiet(tmp_path, args):
    data = tmp_path / "big.yaml"
    _big_knowledge_file(data)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env.update({"AIDEPS_DATA": str(data)})
    assert aideps(*args, env={"AIDEPS_DATA": str(data)}).returncode == 0  # warm the cache
    command = " ".join([f"'{sys.executable}'", "-m", "aideps", *args])
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} | head -1; echo \"status=${{PIPESTATUS[0]}}\" >&2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert len(result.stdout.splitlines()) == 1
    errors = [line for line in result.stderr.splitlines() if not line.startswith("status=")]
    assert errors == [], result.stderr
    assert result.stderr.strip().splitlines()[-1] in ("status=0", "status=141")


def test_reader_gone_before_anything_is_written(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    process = subprocess.Popen(
        [sys.executable, "-m", "aideps", "hardware"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) in (0, 141)
    assert stderr == ""


def test_ctrl_c_exits_130_quietly(monkeypatch, capsys):
    import aideps.__main__ as entry
    import aideps.cli.fast

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(aideps.cli.fast, "main", interrupted)
    with pytest.raises(SystemExit) as info:
        entry.main()
    assert info.value.code == 130
    assert capsys.readouterr() == ("", "")


def test_head_really_closed_the_pipe_early(tmp_path):
    """The pipe tests above only mean something if the output is bigger
    than a pipe's buffer, so that aideps is still writing when head exits."""
    data = tmp_path / "big.yaml"
    _big_knowledge_file(data)
    assert len(aideps("list", "--csv", env={"AIDEPS_DATA": str(data)}).stdout.encode()) > 2 * 65536


def test_every_command_has_its_json_documented():
    import typer.main

    docs = (Path(__file__).resolve().parent.parent / "docs" / "json.md").read_text(encoding="utf-8")
    headings = [line for line in docs.splitlines() if line.startswith("## `aideps ")]
    for name in typer.main.get_command(app).commands:
        assert any(re.search(rf"\b{name}\b", heading) for heading in headings), f"docs/json.md lacks {name}"


def test_validate_passes_sources_dir_through(tmp_path, mini_path):
    quotes = [
        "Orbit Labs is the lab everyone wants to partner with.",
        "OrbitChat reached a hundred million users in two months.",
        "Everyone trains on GreenChip accelerators.",
        "Macrosoft's assistants all run on Orbit Labs' models.",
        "Orbit Labs started out on Acme Cloud's servers.",
    ]
    text = mini_path.read_text(encoding="utf-8").replace(
        "    author: Jane Example\n", "    author: Jane Example\n    text: [essay.txt]\n"
    )
    data = tmp_path / "mini.yaml"
    data.write_text(text, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "essay.txt").write_text(" ".join(quotes) + "\n", encoding="utf-8")

    found = run("validate", str(data), "--sources-dir", str(elsewhere))
    assert found.exit_code == 0, found.stdout
    assert "quotes checked against 1 of 4 sources" in found.stderr
    assert "quotes not checked" in run("validate", str(data), "--no-quotes").stderr
    missing = run("validate", str(data), "--json")
    assert "mini-essay" not in json.loads(missing.stdout)["quotes"]["sources_checked"]


@pytest.mark.parametrize("args", [["tree", "orbit"], ["show", "orbit"], ["hardware"]])
def test_an_ascii_terminal_degrades_without_a_traceback(args):
    result = aideps(*args, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0 and result.stderr == ""
    assert "Orbit Labs" in result.stdout or "GreenChip" in result.stdout
    if args[0] == "tree":
        assert result.stdout.splitlines()[1].startswith("|-- ")
