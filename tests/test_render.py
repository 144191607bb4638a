"""Renderers on finished results: tree text, CSV, Rich tables (drawn through aideps.render.richkit)."""

from __future__ import annotations

import csv
import io

from aideps.render import csvout, richkit, table, tree
from aideps.graph.where import Where


def test_tree_text(mini_graph):
    text = "".join(f"{line}\n" for line in tree.lines(mini_graph.tree("orbit-labs")))
    assert text == (
        "Orbit Labs (lab) relies on\n"
        "├── Fruit Co  distribution · announced\n"
        "│   └── Orbit Labs  research · announced · ~$500M (cycle)\n"
        "├── GreenChip  hardware · active · ≥$5.4B\n"
        "├── Macrosoft  investment · active · $13B / nearly $14B\n"
        "│   ├── Orbit Labs  research · active (cycle)\n"
        "│   ├── GreenChip  hardware · active\n"
        "│   └── Macrosoft in-house models  in-house · developing\n"
        "├── Acme Cloud  cloud · ended\n"
        "│   ├── GreenChip  hardware · active, strained\n"
        "│   └── Acme Tensor  in-house · developing · $75B\n"
        "└── Macrosoft Cloud  cloud · active, strained\n"
    )


def test_tree_marks_repeated_and_cut_subtrees(mini_graph):
    lines = list(tree.lines(mini_graph.tree("greenchip", reverse=True)))
    assert lines[0] == "GreenChip (company) is relied on by"
    assert "├── Macrosoft  hardware · active (*)" in lines
    cut = list(tree.lines(mini_graph.tree("orbit-labs", depth=1)))
    assert "├── Macrosoft  investment · active · $13B / nearly $14B …" in cut


def test_tree_of_a_leaf(mini_graph):
    assert list(tree.lines(mini_graph.tree("gc-h1"))) == ["GC-H1 (chip): relies on nothing"]
    assert list(tree.lines(mini_graph.tree("bolt-ai", reverse=True, kinds=["hardware"]))) == [
        "Bolt AI (lab): nothing relies on it for hardware"
    ]


def _csv(writer, result):
    buffer = io.StringIO()
    writer(result, buffer)
    return list(csv.DictReader(io.StringIO(buffer.getvalue())))


def test_csv_partnership_keeps_exact_figures(mini_graph):
    rows = _csv(csvout.partnership, mini_graph.partnership("hardware"))
    orbit = next(r for r in rows if r["from_id"] == "orbit-labs")
    assert orbit["amount"] == "≥$5.4B"
    assert orbit["amount_values"] == "5400000000"
    assert orbit["sources"] == "The Mini Partnership Essay (2023-03-30); The Race for Mini Independence (2024-11)"
    assert [r["kind"] for r in rows].count("in_house") == 1


def test_csv_profile_and_tree(mini_graph):
    rows = _csv(csvout.profile, mini_graph.profile("orbit-labs"))
    investment = next(r for r in rows if r["kind"] == "investment")
    assert investment["direction"] == "relies on"
    assert investment["amount"] == "$13B / nearly $14B"
    assert investment["amount_values"] == "13000000000;14000000000"
    rows = _csv(csvout.tree, mini_graph.tree("orbit-labs"))
    assert rows[0]["entity_id"] == "orbit-labs" and rows[0]["depth"] == "0"
    assert {r["marker"] for r in rows} == {"", "cycle"}


def test_csv_lists(mini_graph):
    assert len(_csv(csvout.entity_list, mini_graph.entity_list())) == 11
    assert _csv(csvout.sources, mini_graph.source_list())[0]["entities"] == "3"
    assert _csv(csvout.search, mini_graph.search("orbitai"))[0]["field"] == "alias"


def test_profile_shows_every_amount_with_its_source(mini_graph):
    text = " ".join(richkit.render(lambda c: table.profile(mini_graph.profile("orbit-labs"), c)).split(" "))
    assert "→ relies on  Macrosoft  active  $13B / nearly $14B  since 2019" in text
    assert "$13B per Shifting Mini Sands (2024-10-30)" in text
    assert "nearly $14B per The Race for Mini Independence (2024-11)" in text
    assert "relied on by:" in text and "rivals:" in text
    assert "“" not in text  # quotes only with --quotes
    quoted = richkit.render(lambda c: table.profile(mini_graph.profile("orbit-labs"), c, quotes=True))
    assert "“Macrosoft's stake cost it nearly $14 billion.”" in " ".join(quoted.split())


def test_tables_have_no_colour_or_trailing_spaces_when_not_a_terminal(mini_graph):
    for draw in (
        lambda c: table.profile(mini_graph.profile("orbit-labs"), c, quotes=True),
        lambda c: table.partnership(mini_graph.partnership("hardware"), c),
        lambda c: table.entity_list(mini_graph.entity_list(), c),
        lambda c: table.search(mini_graph.search("orbit"), c),
        lambda c: table.sources(mini_graph.source_list(), c),
    ):
        text = richkit.render(draw)
        assert "\x1b[" not in text
        assert all(line == line.rstrip() for line in text.splitlines())


def test_narrow_tables_fold_instead_of_cutting(mini_graph, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    text = richkit.render(lambda c: table.partnership(mini_graph.partnership("hardware"), c))
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "…" not in text
    for short in ("developing", "≥$5.4B", "strained", "2018"):  # short cells are never folded
        assert short in text
    assert "(mini-independence)" in text and "(mini-essay)" in text


def test_hardware_table_has_both_tables_and_footnotes(mini_graph):
    text = richkit.render(lambda c: table.partnership(mini_graph.partnership("hardware"), c))
    assert "Hardware: who relies on whom" in text
    assert "In-house chips: efforts to replace a hardware supplier" in text
    # Sources are numbered in order of first citation, listed once below.
    assert "\n[1] The Race for Mini Independence (2024-11)  (mini-independence)\n" in text
    assert "\n[2] The Mini Partnership Essay (2023-03-30)  (mini-essay)\n" in text
    assert "≥$5.4B   2020    [1] [2]" in text  # in number order, never [2] [1]
    empty = richkit.render(lambda c: table.partnership(mini_graph.partnership("hardware", where=Where.of(["ended"])), c))
    assert "No hardware relationships match." in empty
    assert "No in-house chip efforts match." in empty
