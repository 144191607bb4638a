"""The commands of issue 4 from the command line: --as-of on show, tree and
the partnership tables; timeline, diff, why, impact, stats, conflicts and
export, with --json and --csv; and the files export writes, read back by the
real tools (Graphviz's dot, networkx, a Mermaid flowchart's grammar).

conftest points AIDEPS_DATA at tests/fixtures/mini.yaml; `bundled` and
`timed` switch to the bundled file and tests/fixtures/time.yaml.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from aideps.graph import store
from aideps.cli.typer_app import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TIME = FIXTURES / "time.yaml"


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    """One row per line, as when piped: the assertions read whole lines."""
    monkeypatch.setenv("COLUMNS", "1000")


def run(*args: str, **kwargs):
    return runner.invoke(app, list(args), prog_name="aideps", **kwargs)


def doc(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def bundled(monkeypatch):
    monkeypatch.delenv("AIDEPS_DATA", raising=False)
    return Path(store.bundled_path())


@pytest.fixture
def timed(monkeypatch):
    monkeypatch.setenv("AIDEPS_DATA", str(TIME))
    return TIME


def knowledge_counts(path: Path) -> tuple[int, int]:
    """Entities and relationships, read from the YAML itself."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return len(raw["entities"]), len(raw["relationships"])


# ---- --as-of on the existing commands ----------------------------------------------------------


def test_as_of_on_show_tree_and_tables(timed):
    shown = run("show", "alpha", "--as-of", "2022-06")
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "As of 2022-06 (through 2022-06-30); not shown: 7 not yet begun or reported."
    assert "reported 2022 ?" in shown.stdout and "by 2022-02" in shown.stdout
    assert "first reported 2022: possibly after 2022-06" in shown.stdout
    profile = doc("show", "alpha", "--as-of", "2022-06")
    assert profile["as_of"] == {"date": "2022-06", "through": "2022-06-30", "left_out": {"not_yet": 7, "ended": 0, "undated": 0}}
    assert {e["id"] for e in profile["relationships"]} == {"alpha-beta-investment", "beta-alpha-research", "epsilon-alpha-distribution"}
    assert all(set(e["as_of"]) == {"date", "evidence", "since", "stage_unknown", "certain", "doubts"} for e in profile["relationships"])
    # Alpha-Beta began 2021; its stage is recorded only from 2023-03.
    investment = next(e for e in profile["relationships"] if e["id"] == "alpha-beta-investment")
    assert investment["stage"] is None and investment["as_of"]["stage_unknown"] is True
    assert "as_of" not in doc("show", "alpha")  # unchanged without --as-of

    tree = run("tree", "gamma", "--as-of", "2024-06")
    assert tree.exit_code == 0
    assert "Delta X1  hardware · active" in tree.stdout and "Delta Devices" not in tree.stdout  # ended 2023-09
    assert "Gamma Silicon  in-house · developing" in tree.stdout

    hardware = doc("hardware", "--as-of", "2023-09")
    assert {e["id"] for e in hardware["relationships"]} == set()  # Delta's deal ended 2023-09, X1 began 2023-10
    assert hardware["as_of"]["left_out"]["ended"] == 1
    hardware = doc("hardware", "--as-of", "2023")
    assert [e["id"] for e in hardware["relationships"]] == ["gamma-delta-x1-hardware"]
    assert [e["id"] for e in hardware["in_house"]] == []  # Gamma's own chip: 2024-03
    table = run("research", "--as-of", "2022")
    assert "reported 2022" in table.stdout and table.stdout.startswith("As of 2022 (through 2022-12-31)")


@pytest.mark.parametrize("command", [["show", "alpha"], ["tree", "alpha"], ["hardware"], ["why", "zeta", "delta"],
                                     ["impact", "delta"], ["stats"], ["export"]])
def test_a_bad_date_is_a_usage_error(timed, command):
    result = run(*command, "--as-of", "2024-13")
    assert result.exit_code == 2 and result.stdout == ""
    assert "month 13 does not exist" in result.stderr


# ---- timeline -----------------------------------------------------------------------------------


def test_timeline(timed):
    result = run("timeline")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Timeline  14 dated events, 0 undated relationships"
    body = [line for line in lines if re.match(r"^\d{4}", line)]
    assert body[0].startswith("2020-05") and "began" in body[0]
    assert any(line.startswith("2023-03") and "became" in line and "strained" in line for line in body)
    assert any(line.startswith("2023-09") and "ended" in line for line in body)
    assert "[1] The Mid Report: Alpha and Beta (2023-06-15)" in result.stdout
    one = doc("timeline", "epsilon")
    assert one["entity"]["id"] == "epsilon"
    assert [(e["date"], e["event"], e["state"]["stage"]) for e in one["events"]] == [
        ("2022-02", "status", "active"), ("2024-02", "status", "ended"), ("2024-11", "reported", "active"),
    ]  # its distribution deal, by its history; the rivalry with Beta, by the article that reports it
    began = next(line for line in body if line.startswith("2021"))
    assert "Alpha Labs → Beta Corp" in began and "stage not yet recorded" in began  # not "no stage given"
    assert not any("Epsilon" in line and "ended" in line for line in body if line.startswith("2022"))
    rows = list(csv.DictReader(io.StringIO(run("timeline", "--csv").stdout)))
    assert len(rows) == 14 and rows[0]["date"] == "2020-05"


def test_timeline_of_openai_on_the_bundled_data(bundled):
    result = run("timeline", "openai")
    assert result.exit_code == 0
    assert re.search(r"^2023-11 +ousted +OpenAI's November 2023 upheaval", result.stdout, re.M)
    assert re.search(r"^2015 +founded +OpenAI", result.stdout, re.M)
    assert run("timeline", "opnai").exit_code == 1


# ---- diff -----------------------------------------------------------------------------------------


def test_diff_on_the_edge_cases(timed):
    result = run("diff", "2022", "2024-11")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("From 2022 to 2024-11  as of 2022-12-31, then as of 2024-11-30\n")
    assert "5 relationships stood at 2022; at 2024-11, 9: 4 began, 2 first reported, 1 changed, 2 ended, 2 unchanged." in out
    assert "stages:  active 3→7 · developing 0→1 · unknown 2→0 · no stage 0→1" in out
    assert "Gamma Cloud → Gamma Silicon (developing, 2024-03, replacing Delta Devices)" in out
    data = doc("diff", "2022", "2024-11")
    changed = data["changed"][0]
    assert (changed["id"], changed["after"]["health"], changed["when"]) == ("alpha-beta-investment", "strained", "2023-03")
    assert set(data) == {"entity", "from", "to", "counts", "by_kind", "by_stage", "began", "reported", "changed",
                         "ended", "unchanged", "undated"}
    item = data["began"][0]
    assert {"before", "after", "evidence", "when", "last_reported", "certain", "doubts", "id", "kind"} <= set(item)
    rows = list(csv.DictReader(io.StringIO(run("diff", "2022", "2024-11", "--csv").stdout)))
    assert {r["change"] for r in rows} == {"unchanged", "began", "reported", "changed", "ended"}
    only = doc("diff", "2022", "2024-11", "-e", "delta")
    assert only["entity"]["id"] == "delta" and only["counts"]["ended"] == 1


def test_diff_partial_dates_and_doubts(timed):
    out = run("diff", "2024-06", "2024-12").stdout
    assert "Alpha Labs → Gamma Cloud (2024, ?)" in out
    assert "began 2024: possibly already by 2024-06" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [(["2024", "2023"], "give the earlier date first"), (["2024-02-30", "2025"], "day 30 does not exist"),
     (["yesterday", "2025"], "is not a date")],
)
def test_diff_usage_errors(timed, args, message):
    result = run("diff", *args)
    assert result.exit_code == 2 and result.stdout == "" and message in result.stderr


def test_diff_2023_03_2024_11_reads_like_the_story(bundled):
    result = run("diff", "2023-03", "2024-11")
    assert result.exit_code == 0
    out = result.stdout
    sections = [line.split("  ")[0] for line in out.splitlines() if re.match(r"^[A-Z][a-z ]+ \(\d+\)", line)]
    assert sections[:3] == [s for s in sections[:3] if s.split(" (")[0] in ("Standing at both dates", "Began", "First reported")]
    for words in (
        "GitHub Copilot → OpenAI Codex",  # 2023: Copilot on Codex
        "Internet-age companies → AI startups",  # 2023: big companies and startups
        "Amazon → Trainium (developing since 2024-11, replacing NVIDIA)",  # late 2024: own chips
        "Oracle ($10B deal value)",  # the Oracle deal
        "Microsoft → Inflection, Mustafa Suleyman",  # the Inflection hires
        "OpenAI → Microsoft (active, strained since 2023-11, $13B investment (cumulative) / nearly $14B",  # the strained alliance
        "Meta's search product (seemingly developing, replacing Microsoft, Google)",  # own search, hedged
    ):
        assert words in out, words
    assert re.search(r"in-house 5→\d\d", out)
    width = max(len(line) for line in out.splitlines())
    assert width < 1000  # piped: one line per kind, nothing folded


# ---- why ----------------------------------------------------------------------------------------------


def test_why(timed):
    result = run("why", "zeta", "delta")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Zeta AI relies on Delta Devices through 3 paths of up to 4 hops, shortest first"
    assert lines[2] == "1. Zeta AI → Gamma Cloud → Delta X1  (Delta X1 is part of Delta Devices)"
    assert lines[3].split() == ["Zeta", "AI", "→", "Gamma", "Cloud", "technology", "·", "speculation"]
    data = doc("why", "zeta", "delta", "--depth", "2")
    assert [p["length"] for p in data["paths"]] == [2] and data["as_of"] is None
    assert set(data) == {"from", "to", "depth", "kinds", "filters", "limit", "complete", "stopped", "paths",
                         "shortest_beyond_depth", "reverse_exists", "exceptions", "as_of"}
    rows = list(csv.DictReader(io.StringIO(run("why", "zeta", "delta", "--csv").stdout)))
    assert [(r["path"], r["hop"]) for r in rows][:3] == [("1", "1"), ("1", "2"), ("2", "1")]


def test_why_without_a_path_exits_1_with_a_hint(timed):
    result = run("why", "delta", "zeta")
    assert result.exit_code == 1
    assert "Delta Devices does not rely on Zeta AI" in result.stdout
    assert "try 'aideps why zeta delta'" in result.stdout
    deep = run("why", "zeta", "delta", "-d", "1")
    assert deep.exit_code == 1 and "try --depth 2" in deep.stdout
    assert json.loads(run("why", "delta", "zeta", "--json").stdout)["paths"] == []
    assert run("why", "alpha", "alpha").exit_code == 2
    assert run("why", "alpah", "beta").exit_code == 1


def test_why_as_of(timed):
    assert run("why", "zeta", "delta", "--as-of", "2024-06").exit_code == 1  # Zeta's links came later
    assert run("why", "gamma", "delta", "--as-of", "2022").exit_code == 0
    assert run("why", "gamma", "delta", "--as-of", "2022", "--json").stdout.count('"gamma-delta-hardware"') == 1


# ---- impact ----------------------------------------------------------------------------------------


def test_impact(timed):
    result = run("impact", "delta")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("If Delta Devices stumbles: 4 entities rely on it, 1 directly and 3 through others\n")
    assert "counting what relies on its parts: Delta X1" in out
    assert "Depth 1: directly (1)" in out and "Depth 2: through one other (3)" in out
    assert "Gamma Cloud via Delta X1" in out
    assert "Hedging: 1 in-house effort aims to replace Delta Devices" in out
    data = doc("impact", "delta")
    assert (data["total"], data["direct"]) == (4, 1)
    rows = list(csv.DictReader(io.StringIO(run("impact", "delta", "--csv").stdout)))
    assert {r["entity_id"] for r in rows} == {"gamma", "alpha", "beta", "zeta"}


def test_impact_nvidia(bundled):
    out = run("impact", "nvidia").stdout
    assert out.startswith("If NVIDIA stumbles: ")
    assert "Anthropic via CUDA" in out and "OpenAI (active, strained)" in out
    direct = next(line for line in out.splitlines() if line.strip().startswith("hardware (7)"))
    for member in ("Amazon via Big Tech", "Google via Big Tech", "Microsoft via Big Tech"):
        assert member in direct
    assert "Apple" not in direct  # "aside from perhaps Apple"
    assert "Apple via OpenAI (announced, strained)" in out
    assert "2 in-house efforts aim to replace NVIDIA" in out


# ---- stats, conflicts ------------------------------------------------------------------------------


def test_stats(bundled):
    result = run("stats")
    assert result.exit_code == 0
    out = result.stdout
    assert re.search(r"hardware\s+\d+\s+\d+\s+NVIDIA \d of \d", out)
    assert re.search(r"Amazon\s+hardware\s+NVIDIA\s+active\s+Trainium \(developing\)", out)
    assert re.search(r"Microsoft\s+research\s+OpenAI\s+active, strained\s+Microsoft's in-house AI \(developing\)", out)
    assert "dependencies that are active or have no stage given, and are not speculation" in out
    data = doc("stats")
    assert set(data) == {"filters", "filter_words", "counts", "providers", "single_points", "single_points_own",
                         "in_house", "as_of"}
    assert data["counts"]["dependencies"] == 63 and 0 < data["counts"]["counted"] < 63
    assert run("stats", "--as-of", "2023-03").exit_code == 0


def test_conflicts(timed):
    out = run("conflicts").stdout
    assert "Claims that disagree across sources (2)" in out
    assert "$1B     per The Mid Report (2023-06-15)" in out
    assert "500 people (as of 2023)" in out and "650 people (as of 2023)" in out
    data = doc("conflicts", "beta")
    assert [c["type"] for c in data["conflicts"]] == ["amount", "fact"]
    rows = list(csv.DictReader(io.StringIO(run("conflicts", "--csv").stdout)))
    assert [r["claim"] for r in rows] == ["$1B", "~$1.5B", "500 people", "650 people"]
    assert "No claims involving Gamma Cloud disagree" in run("conflicts", "gamma").stdout


def test_conflicts_on_the_bundled_data(bundled):
    out = run("conflicts").stdout
    assert "OpenAI → Microsoft  investment · amount" in out
    assert "$13B" in out and "nearly $14B" in out
    assert "per The Shifting Sands of AI Partnerships (2024-10-30)" in out


# ---- export: formats, files and the real tools ------------------------------------------------------

MERMAID_EDGE = re.compile(
    r'^    [A-Za-z_][A-Za-z0-9_]*\["[^"\n]*"\] (-->|==>|-\.->|--x|-\.-)\|"[^"|\n]*"\| [A-Za-z_][A-Za-z0-9_]*\["[^"\n]*"\]$'
)


MERMAID_STYLE = re.compile(r"^    (classDef [a-z_]+ [a-z-]+:[^ ]+|class [A-Za-z0-9_,]+ [a-z_]+|linkStyle \d+ [a-z-]+:[^ ]+)$")


def test_mermaid_is_a_flowchart_header_and_one_line_per_edge(bundled):
    text = run("export", "--format", "mermaid").stdout
    lines = text.splitlines()
    _, relationships = knowledge_counts(bundled)
    assert lines[0] == "flowchart LR"
    styles = [line for line in lines[1:] if MERMAID_STYLE.match(line)]
    lines = lines[: len(lines) - len(styles)]  # the colours come after the edges
    assert len(lines) == 1 + relationships
    for line in lines[1:]:
        assert MERMAID_EDGE.match(line), line
    ids = {m for line in lines[1:] for m in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\[", line)}
    assert "end" not in ids and all("-" not in i for i in ids)


def test_mermaid_escapes_hostile_names(tmp_path):
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Orbit Labs", 'name: "Orbit \\"Labs\\" | #1 <b>"').replace("id: bolt-ai", "id: end").replace(
        "bolt-ai", "end")
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    out = run("--data", str(path), "export", "-f", "mermaid").stdout
    for line in out.splitlines()[1:]:
        assert MERMAID_EDGE.match(line) or MERMAID_STYLE.match(line), line
    assert "Orbit #quot;Labs#quot; #124; #35;1 #lt;b#gt;" in out
    assert " n_end[" in out
    dot = run("--data", str(path), "export", "-f", "dot").stdout
    assert 'label="Orbit \\"Labs\\" | #1 <b>"' in dot


def test_graphml_loads_in_networkx_with_the_knowledge_files_counts(bundled, tmp_path):
    nx = pytest.importorskip("networkx")
    out = tmp_path / "aideps.graphml"
    result = run("export", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    graph = nx.read_graphml(out)
    entities, relationships = knowledge_counts(bundled)
    assert graph.number_of_nodes() == entities
    assert graph.number_of_edges() == relationships
    assert graph.is_directed() and graph.is_multigraph()  # OpenAI relies on Microsoft three ways
    assert graph.nodes["nvidia"]["name"] == "NVIDIA"
    edge = graph.edges["openai", "microsoft", "openai-investment-microsoft"]
    assert (edge["kind"], edge["stage"], edge["health"], edge["amount_max"]) == ("investment", "active", "strained", 14e9)
    assert edge["amount"] == "$13B investment (cumulative) / nearly $14B investment (cumulative)"
    only = tmp_path / "deps.graphml"
    run("export", "--dependencies", "-o", str(only))
    assert all(d["kind"] != "rivalry" for _, _, d in nx.read_graphml(only).edges(data=True))


def _dot_or_skip():
    if shutil.which("dot") is None:
        if os.environ.get("AIDEPS_REQUIRE_DOT") == "1":
            pytest.fail("Graphviz's dot is required here (.ci/run installs it)")
        pytest.skip("Graphviz's dot is not installed")


def test_dot_renders_with_graphviz(bundled, tmp_path):
    _dot_or_skip()
    text = run("export", "--format", "dot").stdout
    done = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    svg = done.stdout.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    _, relationships = knowledge_counts(bundled)
    assert svg.count('class="edge"') >= relationships  # every relationship is drawn (and the key)
    assert ">NVIDIA</text>" in svg
    done = subprocess.run(["dot", "-Tcanon"], input=run("export", "openai", "-d", "1").stdout.encode(),
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()


def test_export_svg_and_png_files(bundled, tmp_path):
    _dot_or_skip()
    svg = tmp_path / "eco.svg"
    result = run("export", "--dependencies", "-o", str(svg))
    assert result.exit_code == 0, result.stderr
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert result.stderr.startswith(f"wrote {svg} (svg: ")
    png = tmp_path / "eco.png"
    assert run("export", "openai", "-o", str(png)).exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_svg_goes_to_stdout_when_it_is_not_a_terminal(bundled):
    _dot_or_skip()
    result = subprocess.run([sys.executable, "-m", "aideps", "export", "nvidia", "-f", "svg"],
                            capture_output=True, timeout=120, env={**os.environ})
    assert result.returncode == 0, result.stderr
    assert b"<svg" in result.stdout


def test_an_image_is_not_written_to_a_terminal(bundled):
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "aideps", "export", "-f", "png"], stdout=follower,
                                stderr=subprocess.PIPE, timeout=60, env={**os.environ})
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert b"png is an image: write it to a file with -o FILE" in result.stderr


def test_missing_dot_says_how_to_install_it_and_writes_nothing(bundled, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "eco.svg"
    result = run("export", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Graphviz's dot is not installed; install it with `apt-get install graphviz` (Debian/Ubuntu) or "
        "`brew install graphviz` (macOS), or use --format dot and render it elsewhere"
    )
    assert list(tmp_path.iterdir()) == []
    assert run("export", "-o", str(tmp_path / "eco.dot")).exit_code == 0  # DOT needs no Graphviz


def test_export_writes_atomically_and_refuses_a_directory(tmp_path):
    target = tmp_path / "graph.dot"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    assert run("export", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("digraph aideps {")
    assert target.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its mode
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("export", "-o", str(folder))
    assert result.exit_code == 1 and "is a directory" in result.stderr
    assert list(folder.iterdir()) == []
    missing = run("export", "-o", str(tmp_path / "nowhere" / "g.dot"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.dot", "out"]


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    from aideps.knowledge import atomic

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", broken)
    target = tmp_path / "g.json"
    result = run("export", "-o", str(target))
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_formats_and_filters():
    data = doc("export")
    assert set(data) == {"filters", "as_of", "nodes", "edges"}
    assert len(data["nodes"]) == 11 and len(data["edges"]) == 15
    near = doc("export", "greenchip", "--depth", "1", "--kind", "hardware")
    assert {n["id"] for n in near["nodes"]} == {"greenchip", "orbit-labs", "macrosoft", "acme-cloud"}
    assert {e["kind"] for e in near["edges"]} == {"hardware"}
    then = doc("export", "--as-of", "2020")
    assert then["as_of"]["date"] == "2020" and {e["stage"] for e in then["edges"]} <= {"active", "developing", None}
    assert len(then["edges"]) < 15
    rows = list(csv.DictReader(io.StringIO(run("export", "--csv").stdout)))
    assert len(rows) == 15 and "amount_values" in rows[0]
    assert run("export", "--format", "dot", "--json").exit_code == 2
    assert run("export", "--depth", "2").exit_code == 2  # --depth needs a NAME
    dot = run("export", "orbit", "--no-labels").stdout
    assert "label=\"research" not in dot and 'style=bold' in dot and "arrowhead=tee" in dot and "dir=none" in dot
    assert run("export", "-o", "x.unknown-extension", "--format", "nope").exit_code == 2


def test_export_infers_the_format_from_the_file_name(tmp_path):
    for name, start in (("g.mmd", "flowchart LR"), ("g.graphml", "<?xml"), ("g.json", "{"), ("g.csv", "kind,"),
                        ("g.gv", "digraph")):
        assert run("export", "-o", str(tmp_path / name)).exit_code == 0
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start), name


def test_stats_on_a_catalogue_without_stages_counts_what_it_states(tmp_path):
    """An imported catalogue gives no stage: its dependencies stand, and stats
    says what it counts (never "0 of N dependencies are active")."""
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    path = tmp_path / "catalogue.yaml"
    path.write_text("\n".join(line for line in text.splitlines() if not re.match(r"    (stage|health): ", line)) + "\n",
                    encoding="utf-8")
    data = doc("--data", str(path), "stats")
    counts = data["counts"]
    from aideps.analysis.common import SUPPLY_KINDS

    supplied = [r for r in yaml.safe_load(text)["relationships"] if r["kind"] in SUPPLY_KINDS]
    assert not any(r.get("certainty") == "speculation" for r in supplied)
    assert counts["counted"] == len(supplied) > 0  # every one (in-house efforts and negotiations apart)
    assert data["filters"]["stage"] == ["active", "none"]
    out = run("--data", str(path), "stats").stdout
    assert f"counting the {counts['counted']} of {counts['dependencies']} dependencies that are active or have no stage given" in out
    assert re.search(r"GreenChip \d of \d", out)


def test_stats_names_a_few_dependents_and_counts_the_rest(tmp_path):
    """A provider half a catalogue relies on: the text names the first eight
    dependents and says how many more (a line a person reads; a file of 100,000
    relationships listed thousands of names in one cell); JSON lists them all."""
    entities = ["  - id: fab\n    name: Fab\n    type: company\n    provenance:\n      - source: s\n        quote: Everyone buys from Fab."]
    relationships = []
    for n in range(12):
        entities.append(f"  - id: buyer-{n:02}\n    name: Buyer {n:02}\n    type: company\n"
                        "    provenance:\n      - source: s\n        quote: Everyone buys from Fab.")
        relationships.append(f"  - id: buyer-{n:02}-fab\n    from: buyer-{n:02}\n    to: fab\n    kind: hardware\n"
                             "    stage: active\n    summary: Buys chips from Fab.\n"
                             "    provenance:\n      - source: s\n        quote: Everyone buys from Fab.")
    path = tmp_path / "many.yaml"
    path.write_text("format: 2\nsources:\n  - id: s\n    title: S\n    date: '2024'\nentities:\n" + "\n".join(entities)
                    + "\nrelationships:\n" + "\n".join(relationships) + "\n", encoding="utf-8")
    out = run("--data", str(path), "stats").stdout
    assert "Fab 12 of 12 (Buyer 00, Buyer 01, Buyer 02, Buyer 03, Buyer 04, Buyer 05, Buyer 06, Buyer 07 and 4 more)" in out
    assert "Buyer 08" not in out.split("Single points of failure")[0]  # (that table has a row each)
    top = next(row for row in doc("--data", str(path), "stats")["providers"] if row["kind"] == "hardware")["top"][0]
    assert [d["name"] for d in top["dependents"]] == [f"Buyer {n:02}" for n in range(12)]
