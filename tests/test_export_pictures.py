"""Pictures good enough for a slide: `aideps export` infers the format from
-o FILE and refuses what it cannot write; the drawing has a key, marks the
centre of a neighbourhood, keeps labels off arrowheads, fits the whole
bundled graph into 16:9; Mermaid carries the same colours; every format
round-trips through the tool that reads it."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from aideps.graph import store
from aideps.render import export as exports
from aideps.render import picture
from clihelp import run

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def bundled(monkeypatch):
    monkeypatch.delenv("AIDEPS_DATA", raising=False)
    return Path(store.bundled_path())


def _dot_or_skip():
    if shutil.which("dot") is None:
        if os.environ.get("AIDEPS_REQUIRE_DOT") == "1":
            pytest.fail("Graphviz's dot is required here (.ci/run installs it)")
        pytest.skip("Graphviz's dot is not installed")


def _ok(*args: str):
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result


def _svg_size(path_or_text) -> tuple[float, float]:
    text = path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) else path_or_text
    root = ET.fromstring(text.encode("utf-8"))  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


def _counts(path: Path) -> tuple[int, int]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return len(raw["entities"]), len(raw["relationships"])


# ---- the format follows the file name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start"),
    [("g.dot", b"digraph aideps {"), ("g.gv", b"digraph"), ("g.mmd", b"flowchart LR"), ("g.mermaid", b"flowchart LR"),
     ("g.graphml", b"<?xml"), ("g.json", b"{"), ("g.csv", b"kind,"), ("G.DOT", b"digraph")],
)
def test_the_extension_names_the_format(tmp_path, name, start):
    result = _ok("export", "-o", str(tmp_path / name))
    assert (tmp_path / name).read_bytes().startswith(start)
    assert f"({exports.format_for(tmp_path / name, None)}: " in result.stderr


def test_an_unknown_extension_is_refused_and_nothing_is_written(tmp_path):
    for name in ("x.jpg", "x.txt", "graph.svgz"):
        result = run("export", "-o", str(tmp_path / name))
        assert result.exit_code == 2, name
        message = " ".join(result.stderr.split())
        assert f"cannot tell what to write into '{name}'" in message
        for ext in (".dot", ".mmd", ".graphml", ".json", ".csv", ".svg", ".png", ".pdf"):
            assert ext in message, (name, ext)
    assert list(tmp_path.iterdir()) == []


def test_an_extension_naming_another_format_is_refused(tmp_path):
    for args, words in (
        (("-o", str(tmp_path / "x.svg"), "--format", "png"), "'x.svg' asks for svg, not png: name it x.png"),
        (("-o", str(tmp_path / "x.csv"), "--json"), "'x.csv' asks for csv, not json: name it x.json"),
        (("-o", str(tmp_path / "x.dot"), "-f", "mermaid"), "'x.dot' asks for dot, not mermaid: name it x.mmd"),
    ):
        result = run("export", *args)
        assert result.exit_code == 2, args
        assert words in " ".join(result.stderr.split())
    assert list(tmp_path.iterdir()) == []


def test_a_format_that_agrees_or_a_name_without_extension_is_written(tmp_path):
    _ok("export", "-o", str(tmp_path / "same.json"), "--format", "json")
    assert json.loads((tmp_path / "same.json").read_text(encoding="utf-8"))["nodes"]
    _ok("export", "-o", str(tmp_path / "graph"), "--format", "mermaid")
    assert (tmp_path / "graph").read_text(encoding="utf-8").startswith("flowchart LR")
    _ok("export", "-o", str(tmp_path / "plain"))  # no extension, no --format: DOT, as before
    assert (tmp_path / "plain").read_text(encoding="utf-8").startswith("digraph aideps {")


def test_format_for_without_a_file():
    assert exports.format_for(None, None) == "dot"
    assert exports.format_for(None, "pdf") == "pdf"
    assert exports.format_for("slide.PDF", None) == "pdf"
    with pytest.raises(exports.FormatError):
        exports.format_for("slide.pdf", "png")


# ---- the drawing: key, centre, labels --------------------------------------------------------------


def _key(dot_text: str) -> str:
    start = dot_text.index("subgraph cluster_legend {")
    return dot_text[start: dot_text.index("\n  }", start)]


def test_the_dot_has_a_key_naming_the_types_kinds_and_statuses_drawn():
    data = json.loads(_ok("export", "--json").stdout)
    dot_text = _ok("export", "--format", "dot").stdout
    key = _key(dot_text)
    for node_type in {n["type"] for n in data["nodes"]}:
        assert f'BGCOLOR="{picture.TYPE_FILL[node_type]}"' in key and f">{node_type}</TD>" in key
    for kind in {e["kind"] for e in data["edges"]}:
        assert f'COLOR="{picture.KIND_COLOR[kind]}"' in key and ">" + kind.replace("_", "-") in key
    assert "not yet in force" in key and 'STYLE="dashed"' in key  # mini has announced relationships
    assert "->" not in key  # lines in the key are drawn by the table: no arrowhead meets its words
    unused = [t for t in picture.TYPE_FILL if t not in {n["type"] for n in data["nodes"]}]
    assert unused and all(f">{t}</TD>" not in key for t in unused)


def test_the_centre_of_a_neighbourhood_is_marked_in_the_drawing_and_the_key(bundled):
    dot_text = _ok("export", "nvidia", "-d", "2", "--format", "dot").stdout
    line = next(x for x in dot_text.splitlines() if x.strip().startswith('"nvidia" [label='))
    assert "penwidth=3" in line and "Helvetica-Bold" in line and f'color="{picture.CENTRE_COLOR}"' in line
    assert sum("penwidth=3," in x for x in dot_text.splitlines() if "[label=" in x) == 1  # only the centre
    assert "<B>NVIDIA</B>" in _key(dot_text) and "the centre: what lies within 2 hops of it" in _key(dot_text)
    whole = _ok("export", "--format", "dot").stdout
    assert "the centre" not in whole and not any("penwidth=3," in x for x in whole.splitlines() if "[label=" in x)


def test_company_boxes_are_labelled(bundled):
    dot_text = _ok("export", "--format", "dot").stdout
    assert 'label="Microsoft and its parts"' in dot_text
    assert 'label=""' not in dot_text


def _boxes(svg_text: str):
    """Each edge's arrowhead polygons and each edge label's box, from
    Graphviz's SVG (a label's box estimated from its font size)."""
    root = ET.fromstring(svg_text.encode("utf-8"))
    heads, labels = [], []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "edge":
            continue
        for polygon in group.iter(f"{SVG}polygon"):
            points = [tuple(map(float, p.split(","))) for p in polygon.get("points").split()]
            heads.append(points)
        for text in group.iter(f"{SVG}text"):
            size = float(text.get("font-size"))
            x, y, width = float(text.get("x")), float(text.get("y")), 0.55 * size * len(text.text or "")
            left = {"start": x, "end": x - width}.get(text.get("text-anchor"), x - width / 2)
            labels.append((text.text, left, y - 0.8 * size, left + width, y + 0.2 * size))
    return heads, labels


def test_edge_labels_never_cover_an_arrowhead(bundled):
    _dot_or_skip()
    for args in (("openai", "-d", "1", "--labels"), ("nvidia", "-d", "1", "--labels"), ("--kind", "hardware", "--labels")):
        svg_text = _ok("export", *args, "--format", "svg").stdout
        heads, labels = _boxes(svg_text)
        assert len(labels) > 5 and heads
        for words, left, top, right, bottom in labels:
            for head in heads:
                inside = [p for p in head if left < p[0] < right and top < p[1] < bottom]
                assert not inside, (args, words)


# ---- the whole graph on a 16:9 slide, and every format read back -----------------------------------


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_the_whole_bundled_graph_is_a_16_9_picture(bundled, tmp_path):
    _dot_or_skip()
    entities, relationships = _counts(bundled)
    svg = tmp_path / "all.svg"
    result = _ok("export", "-o", str(svg))
    assert f"(svg: {entities} entities, {relationships} relationships)" in result.stderr
    width, height = _svg_size(svg)
    assert abs(width / height - 16 / 9) < 0.05, (width, height)
    assert width <= 16 * 72 + 1 and height <= 9 * 72 + 1  # size="16,9": one slide
    text = svg.read_text(encoding="utf-8")
    assert text.count('class="edge"') == relationships and ">NVIDIA</text>" in text
    assert ">relationship kind: colour</text>" in text and ">Microsoft and its parts</text>" in text
    png = tmp_path / "all.png"
    _ok("export", "--dependencies", "-o", str(png))
    w, h = _png_size(png.read_bytes())
    assert abs(w / h - 16 / 9) < 0.05 and w >= 1900, (w, h)  # 144 dpi: a full-HD slide or more


def test_a_small_neighbourhood_keeps_its_own_shape():
    dot_text = _ok("export", "orbit", "--format", "dot").stdout
    assert "ratio=" not in dot_text and " size=" not in dot_text and "[size=" not in dot_text


def test_every_format_round_trips(bundled, tmp_path):
    _dot_or_skip()
    nx = pytest.importorskip("networkx")
    entities, relationships = _counts(bundled)
    done = subprocess.run(["dot", "-Tsvg"], input=_ok("export", "--format", "dot").stdout.encode(),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    _svg_size(done.stdout.decode())
    _ok("export", "-o", str(tmp_path / "g.graphml"))
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (entities, relationships)
    _ok("export", "nvidia", "-o", str(tmp_path / "g.pdf"))
    assert (tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")
    _ok("export", "nvidia", "-o", str(tmp_path / "g.png"))
    _png_size((tmp_path / "g.png").read_bytes())
    _ok("export", "nvidia", "-d", "2", "-o", str(tmp_path / "n.svg"))
    _svg_size(tmp_path / "n.svg")
    data = json.loads(_ok("export", "--format", "json").stdout)
    assert (len(data["nodes"]), len(data["edges"])) == (entities, relationships)


# ---- Mermaid in the same colours ---------------------------------------------------------------------


def test_mermaid_carries_the_colours_of_the_drawing(bundled):
    data = json.loads(_ok("export", "nvidia", "-d", "2", "--json").stdout)
    text = _ok("export", "nvidia", "-d", "2", "--format", "mermaid").stdout
    styles = re.findall(r"^    linkStyle (\d+) stroke:(#[0-9A-F]{6}),stroke-width:([0-9.]+)px$", text, re.M)
    assert [int(i) for i, _, _ in styles] == list(range(len(data["edges"])))  # one per edge, in order
    for (_, colour, width), edge in zip(styles, data["edges"]):
        assert colour == picture.KIND_COLOR[edge["kind"]]
        # Thick: a strained relationship still standing, stated by the source (a
        # hedged or ended one is drawn dotted instead).
        strained = (
            edge["health"] == "strained"
            and edge["stage"] not in ("ended", "rejected")
            and (edge["certainty"] or "stated") == "stated"
        )
        assert (float(width) > 2) == strained
    classes = {name: members for members, name in re.findall(r"^    class ([A-Za-z0-9_,]+) ([a-z_]+)$", text, re.M)}
    assert "nvidia" in classes["t_company"].split(",") and classes["centre"] == "nvidia"
    assert f"classDef t_company fill:{picture.TYPE_FILL['company']}" in text
    assert "classDef centre stroke:#000000,stroke-width:3px" in text
    whole = _ok("export", "--format", "mermaid").stdout
    assert "centre" not in whole and whole.count("linkStyle ") == _counts(bundled)[1]


# ---- the README's picture ------------------------------------------------------------------------------


def test_the_readme_shows_the_regenerated_slide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]+\]\((docs/[^)]+)\)", readme)
    assert "docs/ecosystem.svg" in pictures
    svg = ROOT / "docs" / "ecosystem.svg"
    width, height = _svg_size(svg)
    assert abs(width / height - 16 / 9) < 0.05
    text = svg.read_text(encoding="utf-8")
    assert ">relationship kind: colour</text>" in text and ">entity type: fill</text>" in text


def test_a_big_graph_is_spread_out_at_full_size_never_one_long_column(tmp_path):
    """Above picture.SPREAD_OVER entities, dot's layout is one column tens of
    thousands of points long: sfdp spreads it out instead, names at full size,
    parts joined to their company by grey lines, and stderr says how to draw less."""
    _dot_or_skip()
    from test_index import synthetic

    data = synthetic(tmp_path / "big.yaml", entities=400, relationships=500)
    dot_text = _ok("--data", str(data), "export", "--format", "dot").stdout
    assert "layout=sfdp" in dot_text and "subgraph cluster_0" not in dot_text
    assert " size=" not in dot_text and "ratio=" not in dot_text  # full size: readable at 100%
    svg = tmp_path / "big.svg"
    result = _ok("--data", str(data), "export", "-o", str(svg))
    assert "spread out by Graphviz's sfdp" in result.stderr and "--depth 2" in result.stderr
    width, height = _svg_size(svg)
    assert max(width, height) / min(width, height) < 3, (width, height)  # no single column
    assert max(width, height) < 15_000, (width, height)
    assert svg.read_text(encoding="utf-8").count('class="node"') >= 400
