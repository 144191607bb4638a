"""The graph for other tools: Graphviz DOT, Mermaid, GraphML, JSON and CSV;
SVG and PNG through Graphviz's `dot`; and writing a file atomically.

Each text format is built from the same `document` (see `document()`): the
entities and relationships an export selects (aideps.analysis.selection),
with every relationship as in `--json` elsewhere. Edges are styled by kind
(colour) and status (line): solid for in force, bold for strained, dashed
for what is not yet in force (announced, in talks, proposed, planned,
developing), dotted for speculative, dotted with a bar for rejected or
ended; rivalry, which is no dependency, has no arrowhead.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Iterable

from aideps.knowledge import vocab
from aideps.knowledge.atomic import new_file_mode, replace_file
from aideps.knowledge.text import escaped
from aideps.render import csvout, fmt, jsonout

TEXT_FORMATS: tuple[str, ...] = ("dot", "mermaid", "graphml", "json", "csv")
IMAGE_FORMATS: tuple[str, ...] = ("svg", "png")
FORMATS: tuple[str, ...] = TEXT_FORMATS + IMAGE_FORMATS
EXTENSIONS: dict[str, str] = {
    ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".graphml": "graphml",
    ".json": "json", ".csv": "csv", ".svg": "svg", ".png": "png",
}

# Colour per kind (Okabe-Ito and friends: distinguishable for most eyes).
KIND_COLOR: dict[str, str] = {
    "research": "#0072B2",
    "distribution": "#009E73",
    "hardware": "#D55E00",
    "investment": "#E69F00",
    "cloud": "#56B4E9",
    "technology": "#CC79A7",
    "talent": "#8C564B",
    "in_house": "#6A3D9A",
    "negotiation": "#7F7F7F",
    "rivalry": "#C00000",
}
# Fill per entity type, light so the text stays readable.
TYPE_FILL: dict[str, str] = {
    "company": "#DCEBFA",
    "lab": "#FDE2CF",
    "cloud": "#DDF2FB",
    "chip": "#F8D9C9",
    "model": "#FBEFD0",
    "product": "#E3F4E9",
    "platform": "#E6F0E0",
    "software": "#EDE7F6",
    "initiative": "#EEE3F5",
    "person": "#F5F5F5",
    "group": "#F0F0F0",
    "event": "#FFF7D6",
    "paper": "#F2F2E6",
}
TENTATIVE = ("announced", "in_talks", "proposed", "planned", "developing")


def line_style(status: str) -> str:
    """'solid', 'bold', 'dashed' or 'dotted' for a status."""
    if status == "strained":
        return "bold"
    if status in TENTATIVE:
        return "dashed"
    if status in ("speculative", "rejected", "ended"):
        return "dotted"
    return "solid"


# ---- the document every format is built from -----------------------------------------


def document(g, selection: dict, *, as_of: dict | None = None) -> dict:
    """The export's JSON document: filters, nodes (entities) and edges
    (relationships, as everywhere else)."""
    nodes = []
    for eid in selection["nodes"]:
        entity = g.entities.get(eid) or {}
        nodes.append(
            {
                "id": eid,
                "name": entity.get("name", eid),
                "type": entity.get("type"),
                "parent": entity.get("parent"),
                "description": entity.get("description"),
            }
        )
    return {
        "filters": {
            "center": selection["center"],
            "depth": selection["depth"],
            "kinds": selection["kinds"],
            "statuses": selection["statuses"],
        },
        "as_of": as_of,
        "nodes": nodes,
        "edges": [g.edge(rel) for rel in selection["relationships"]],
    }


# ---- Graphviz DOT ------------------------------------------------------------------


def _dot_string(text: object) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, line breaks
    as \\n, other control characters dropped."""
    value = str(text)
    value = value.replace("\\", "\\\\").replace('"', '\\"')
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    value = "".join(ch for ch in value if ch >= " " or ch == "\t")
    return f'"{value}"'


def _html(text: object) -> str:
    value = "".join(ch for ch in str(text) if ch >= " ")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _edge_label(edge: dict) -> str:
    parts = [vocab.kind_label(edge["kind"])]
    if edge["status"] != "active":
        parts.append(vocab.status_label(edge["status"]))
    figures = fmt.amounts(edge["amounts"])
    if figures:
        parts.append(figures)
    return " · ".join(parts)


def _legend(kinds: list[str], statuses: list[str]) -> list[str]:
    """The key: kinds as coloured swatches, line styles as real edges."""
    rows = "".join(
        f'<TR><TD ALIGN="LEFT"><FONT COLOR="{KIND_COLOR.get(kind, "#000000")}">━━━</FONT></TD>'
        f'<TD ALIGN="LEFT">{_html(vocab.kind_label(kind))}{" (no arrow)" if kind == "rivalry" else ""}</TD></TR>'
        for kind in kinds
    )
    lines = [
        "  subgraph cluster_legend {",
        '    graph [label="key", labeljust=l, style="rounded", color="#D0D0D0", fontsize=10];',
        '    node [shape=plaintext, style="", fontsize=9, height=0.15, width=0.3, margin=0];',
        "    edge [arrowsize=0.5, penwidth=1.1, minlen=1];",
        f'    "aideps:key:kinds" [label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>>];',
    ]
    groups = [
        ("solid", "active", "style=solid"),
        ("bold", "strained", "style=bold, penwidth=2.4"),
        ("dashed", "not yet in force", "style=dashed"),
        ("dotted", "speculative; ⊣ rejected, ended", "style=dotted"),
    ]
    drawn = {line_style(s) for s in statuses}
    for index, (style, words, attrs) in enumerate(groups):
        if style in drawn:
            a, b = f'"aideps:key:{index}:a"', f'"aideps:key:{index}:b"'
            lines.append(f'    {a} [label=""];')
            lines.append(f"    {b} [label={_dot_string(words)}];")
            lines.append(f'    {a} -> {b} [color="#555555", {attrs}];')
    lines.append("  }")
    return lines


def dot(doc: dict, *, title: str | None = None, labels: bool = False, legend: bool = True, clusters: bool = True) -> str:
    """Graphviz DOT. Parts sit in a dashed box with their parent (GitHub and
    Azure inside Microsoft) when both are drawn."""
    nodes = doc["nodes"]
    ids = {n["id"] for n in nodes}
    lines = [
        "digraph aideps {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.18, ranksep=0.45, '
        'newrank=true, bgcolor="white", pad=0.2' + (f", labelloc=t, labeljust=l, label={_dot_string(title)}" if title else "") + "];",
        '  node [shape=box, style="rounded,filled", color="#8A8A8A", penwidth=0.8, fontname="Helvetica", fontsize=11, '
        'height=0.3, margin="0.08,0.03"];',
        '  edge [fontname="Helvetica", fontsize=8, arrowsize=0.6, penwidth=1.1];',
    ]

    def node_line(node: dict, indent: str) -> str:
        tip = f"{node['type'] or 'entity'}: {node['description'] or ''}".strip()
        fill = TYPE_FILL.get(node["type"] or "", "#FFFFFF")
        return (
            f"{indent}{_dot_string(node['id'])} [label={_dot_string(node['name'])}, fillcolor=\"{fill}\", "
            f"tooltip={_dot_string(tip)}];"
        )

    by_id = {n["id"]: n for n in nodes}
    kids: dict[str, list[str]] = {}
    if clusters:
        for n in nodes:
            parent = n["parent"]
            if parent and parent in ids and parent != n["id"]:
                kids.setdefault(parent, []).append(n["id"])
    placed: set[str] = set()
    boxes: list[str] = []

    def cluster(eid: str, indent: str, trail: tuple[str, ...]) -> None:
        placed.add(eid)
        if eid not in kids or eid in trail:
            lines.append(node_line(by_id[eid], indent))
            return
        index = len(boxes)  # counted, not searched for in the lines: linear
        boxes.append(eid)
        lines.append(f"{indent}subgraph cluster_{index} {{")
        lines.append(f'{indent}  graph [label="", style="rounded,dashed", color="#B0B0B0", penwidth=0.8];')
        lines.append(node_line(by_id[eid], indent + "  "))
        for child in sorted(kids[eid], key=lambda c: by_id[c]["name"].casefold()):
            if child not in placed:
                cluster(child, indent + "  ", trail + (eid,))
        lines.append(f"{indent}}}")

    def top(eid: str) -> str:
        seen = {eid}
        node = by_id[eid]
        while clusters and node["parent"] in ids and node["parent"] not in seen:
            seen.add(node["parent"])
            node = by_id[node["parent"]]
        return node["id"]

    roots = list(dict.fromkeys(top(n["id"]) for n in nodes))
    for eid in roots:
        if eid not in placed:
            cluster(eid, "  ", ())
    for n in nodes:  # whatever a parent loop left out
        if n["id"] not in placed:
            lines.append(node_line(n, "  "))
            placed.add(n["id"])

    for edge in doc["edges"]:
        kind, status = edge["kind"], edge["status"]
        style = line_style(status)
        attrs = [
            f'color="{KIND_COLOR.get(kind, "#000000")}"',
            f"style={style}",
            f"id={_dot_string(edge['id'])}",
            f"tooltip={_dot_string(edge['from']['name'] + ' → ' + edge['to']['name'] + ': ' + _edge_label(edge))}",
        ]
        if style == "bold":
            attrs.append("penwidth=2.4")
        if status in ("rejected", "ended"):
            attrs.append("arrowhead=tee")
        if kind == "rivalry":
            attrs.append("dir=none")
            attrs.append("constraint=false")
        if labels:
            attrs.append(f"label={_dot_string(_edge_label(edge))}")
            attrs.append(f'fontcolor="{KIND_COLOR.get(kind, "#000000")}"')
        lines.append(f"  {_dot_string(edge['from']['id'])} -> {_dot_string(edge['to']['id'])} [{', '.join(attrs)}];")
    if legend and doc["edges"]:
        kinds = [k for k in vocab.KINDS if any(e["kind"] == k for e in doc["edges"])]
        statuses = [s for s in vocab.STATUSES if any(e["status"] == s for e in doc["edges"])]
        lines.extend(_legend(kinds, statuses))
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---- Mermaid -----------------------------------------------------------------------

MERMAID_RESERVED = {"end", "graph", "subgraph", "flowchart", "style", "class", "classdef", "click", "linkstyle",
                    "default", "direction"}


def mermaid_id(eid: str) -> str:
    """A Mermaid node id: letters, digits and underscores, never a keyword."""
    text = re.sub(r"[^0-9A-Za-z_]", "_", eid)
    if not text or text.casefold() in MERMAID_RESERVED or text[0].isdigit():
        text = "n_" + text
    return text


def _mermaid_text(text: object) -> str:
    value = " ".join(str(text).split())
    value = value.replace("#", "#35;").replace('"', "#quot;").replace("|", "#124;")
    return value.replace("<", "#lt;").replace(">", "#gt;")


def mermaid_arrow(edge: dict) -> str:
    if edge["kind"] == "rivalry":
        return "-.-"
    status = edge["status"]
    if status in ("rejected", "ended"):
        return "--x"
    if status == "strained":
        return "==>"
    if status in TENTATIVE or status == "speculative":
        return "-.->"
    return "-->"


def mermaid(doc: dict) -> str:
    """A Mermaid flowchart: the header, then exactly one line per edge
    (`from["Name"] -->|"kind · status"| to["Name"]`). Arrows: --> in force,
    ==> strained, -.-> not yet in force or speculative, --x rejected or ended,
    -.- rivalry. Entities without an edge in the selection are left out."""
    ids: dict[str, str] = {}
    used: set[str] = set()

    def node(ref: dict) -> str:
        if ref["id"] not in ids:
            base = mermaid_id(ref["id"])
            candidate, n = base, 2
            while candidate in used:
                candidate, n = f"{base}_{n}", n + 1
            ids[ref["id"]] = candidate
            used.add(candidate)
        return f'{ids[ref["id"]]}["{_mermaid_text(ref["name"])}"]'

    lines = ["flowchart LR"]
    for edge in doc["edges"]:
        label = _mermaid_text(_edge_label(edge))
        lines.append(f'    {node(edge["from"])} {mermaid_arrow(edge)}|"{label}"| {node(edge["to"])}')
    return "\n".join(lines) + "\n"


# ---- GraphML -------------------------------------------------------------------------

_XML_BAD = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

NODE_KEYS = (("name", "string"), ("type", "string"), ("parent", "string"), ("description", "string"))
EDGE_KEYS = (
    ("kind", "string"), ("status", "string"), ("summary", "string"), ("start", "string"), ("end", "string"),
    ("amount", "string"), ("amount_max", "double"), ("replaces", "string"), ("sources", "string"),
)


def _xml(text: object) -> str:
    value = _XML_BAD.sub("", str(text))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def graphml(doc: dict) -> str:
    """GraphML (directed; parallel edges keep their own ids), readable by
    networkx, Gephi, yEd and Cytoscape."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for name, kind in NODE_KEYS:
        lines.append(f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}"/>')
    for name, kind in EDGE_KEYS:
        lines.append(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>')
    lines.append('  <graph id="aideps" edgedefault="directed">')
    for node in doc["nodes"]:
        lines.append(f'    <node id="{_xml(node["id"])}">')
        for name, _ in NODE_KEYS:
            value = node.get(name)
            if value is not None:
                lines.append(f'      <data key="n_{name}">{_xml(value)}</data>')
        lines.append("    </node>")
    for edge in doc["edges"]:
        values = {
            "kind": edge["kind"],
            "status": edge["status"],
            "summary": edge["summary"],
            "start": edge["start"],
            "end": edge["end"],
            "amount": fmt.amounts(edge["amounts"]) or None,
            "amount_max": max((a["amount"] for a in edge["amounts"]), default=None),
            "replaces": "; ".join(r["id"] for r in edge["replaces"]) or None,
            "sources": csvout.source_labels(edge) or None,
        }
        lines.append(
            f'    <edge id="{_xml(edge["id"])}" source="{_xml(edge["from"]["id"])}" target="{_xml(edge["to"]["id"])}">'
        )
        for name, _ in EDGE_KEYS:
            value = values[name]
            if value is not None:
                lines.append(f'      <data key="e_{name}">{_xml(repr(float(value)) if name == "amount_max" else value)}</data>')
        lines.append("    </edge>")
    lines.append("  </graph>")
    lines.append("</graphml>")
    return "\n".join(lines) + "\n"


# ---- CSV ---------------------------------------------------------------------------------


def csv_text(doc: dict, *, raw: bool = False) -> str:
    """One row per edge, the columns of `aideps research --csv` (neutralised
    against formula injection unless `raw`)."""
    import io

    buffer = io.StringIO()
    csvout.write(csvout.EDGE_HEADER, (csvout.edge_row(e) for e in doc["edges"]), buffer, raw=raw)
    return buffer.getvalue()


def text(doc: dict, form: str, **options) -> str:
    raw = options.pop("raw", False)  # CSV: cells exactly, formulas not neutralised
    if form == "dot":
        return dot(doc, **options)
    if form == "mermaid":
        return mermaid(doc)
    if form == "graphml":
        return graphml(doc)
    if form == "csv":
        return csv_text(doc, raw=raw)
    if form == "json":
        return jsonout.dumps(doc)
    raise ValueError(f"not a text format: {form}")


# ---- Graphviz ----------------------------------------------------------------------------

DOT_MISSING = (
    "Graphviz's dot is not installed; install it with `apt-get install graphviz` (Debian/Ubuntu) "
    "or `brew install graphviz` (macOS), or use --format dot and render it elsewhere"
)


class GraphvizError(Exception):
    """dot is missing or failed; the message says what to do."""


def render_image(dot_text: str, form: str, *, timeout: float = 120) -> bytes:
    """SVG or PNG bytes from DOT text, through Graphviz's `dot`."""
    program = shutil.which("dot")
    if program is None:
        raise GraphvizError(DOT_MISSING)
    try:
        done = subprocess.run(
            [program, f"-T{form}"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz's dot took more than {timeout:.0f} s; try a smaller selection (NAME --depth 1, --kind)") from None
    except OSError as exc:
        raise GraphvizError(f"cannot run Graphviz's dot ({program}): {exc.strerror or exc}") from None
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizError(f"Graphviz's dot failed (exit {done.returncode})" + (f": {escaped(detail[-1])}" if detail else ""))
    return done.stdout


# ---- writing a file ------------------------------------------------------------------------


class OutputError(Exception):
    """A file that cannot be written; the message says why in plain words."""


def _same_file(target: Path, protected: Iterable[str | os.PathLike[str]]) -> Path | None:
    """The protected file that `target` is (same device and inode, through
    links), if any. A target that does not exist yet is none of them."""
    try:
        status = os.stat(target)
    except OSError:
        return None
    for path in protected:
        try:
            if os.path.samestat(status, os.stat(path)):
                return Path(path)
        except OSError:
            continue
    return None


def write_atomically(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    protected: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> Path:
    """Write `data` to `path` all at once: a temporary file in the same
    directory, then a rename over the target. A reader never sees half a
    file, and a failure leaves no partial file behind. A new file gets the
    usual permissions (0666 less the umask), a replaced one keeps its own.
    A device or a FIFO (/dev/null, /dev/stdout) is written into, never replaced.

    Never destroys input: a target that is one of the `protected` files (the
    knowledge file being read), by any name or link, is refused. Replacing a
    symbolic link or a read-only file needs `force`."""
    target = Path(path)
    shown = escaped(str(target))
    if target.is_dir():
        raise OutputError(f"'{shown}' is a directory; give a file name, e.g. {escaped(str(target / 'ecosystem.svg'))}")
    same = _same_file(target, protected)
    if same is not None:
        raise OutputError(
            f"refusing to write '{shown}': it is the knowledge file being read ({escaped(str(same))}); name another file"
        )
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write '{shown}': the directory '{escaped(str(folder))}' does not exist")
    try:
        status = target.stat()
        if not stat.S_ISREG(status.st_mode):
            # A device, a FIFO or a terminal (/dev/null, /dev/stdout, a named
            # pipe): write into it; renaming a file over it would replace it.
            try:
                with open(target, "wb") as stream:
                    stream.write(data)
            except OSError as exc:
                raise OutputError(f"cannot write '{shown}': {exc.strerror or exc}") from None
            return target
        mode = status.st_mode & 0o7777
        if not force and (not status.st_mode & 0o222 or not os.access(target, os.W_OK)):
            raise OutputError(f"'{shown}' is read-only; to replace it anyway, add --force")
    except FileNotFoundError:
        mode = new_file_mode()
    except OSError as exc:
        raise OutputError(f"cannot write '{shown}': {exc.strerror or exc}") from None
    if not force and target.is_symlink():
        raise OutputError(f"'{shown}' is a symbolic link; to replace the link by a file, add --force")
    try:
        replace_file(target, data, mode=mode)
    except OSError as exc:
        if exc.filename == str(folder):  # the temporary file could not be made
            raise OutputError(f"cannot write in '{escaped(str(folder))}': {exc.strerror or exc}") from None
        raise OutputError(f"cannot write '{shown}': {exc.strerror or exc}") from None
    return target
