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

from aideps.knowledge import vocab
from aideps.knowledge.atomic import new_file_mode, replace_file
from aideps.render import csvout, fmt, jsonout
from aideps.render.picture import KIND_COLOR, TENTATIVE, TYPE_FILL, dot, edge_label, line_style

TEXT_FORMATS: tuple[str, ...] = ("dot", "mermaid", "graphml", "json", "csv")
IMAGE_FORMATS: tuple[str, ...] = ("svg", "png")
FORMATS: tuple[str, ...] = TEXT_FORMATS + IMAGE_FORMATS
EXTENSIONS: dict[str, str] = {
    ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".graphml": "graphml",
    ".json": "json", ".csv": "csv", ".svg": "svg", ".png": "png",
}

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
        label = _mermaid_text(edge_label(edge))
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


def csv_text(doc: dict) -> str:
    """One row per edge, the columns of `aideps research --csv`."""
    import io

    buffer = io.StringIO()
    csvout.write(csvout.EDGE_HEADER, (csvout.edge_row(e) for e in doc["edges"]), buffer)
    return buffer.getvalue()


def text(doc: dict, form: str, **options) -> str:
    if form == "dot":
        return dot(doc, **options)
    if form == "mermaid":
        return mermaid(doc)
    if form == "graphml":
        return graphml(doc)
    if form == "csv":
        return csv_text(doc)
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
            [program, f"-T{form}", *(["-Gdpi=144"] if form == "png" else [])],
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
        raise GraphvizError(f"Graphviz's dot failed (exit {done.returncode})" + (f": {detail[-1]}" if detail else ""))
    return done.stdout


# ---- writing a file ------------------------------------------------------------------------


class OutputError(Exception):
    """A file that cannot be written; the message says why in plain words."""


def write_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` all at once: a temporary file in the same
    directory, then a rename over the target. A reader never sees half a
    file, and a failure leaves no partial file behind. A new file gets the
    usual permissions (0666 less the umask), a replaced one keeps its own.
    A device or a FIFO (/dev/null, /dev/stdout) is written into, never replaced."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"'{target}' is a directory; give a file name, e.g. {target / 'ecosystem.svg'}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write '{target}': the directory '{folder}' does not exist")
    try:
        status = target.stat()
        if not stat.S_ISREG(status.st_mode):
            # A device, a FIFO or a terminal (/dev/null, /dev/stdout, a named
            # pipe): write into it; renaming a file over it would replace it.
            try:
                with open(target, "wb") as stream:
                    stream.write(data)
            except OSError as exc:
                raise OutputError(f"cannot write '{target}': {exc.strerror or exc}") from None
            return target
        mode = status.st_mode & 0o7777
    except FileNotFoundError:
        mode = new_file_mode()
    except OSError as exc:
        raise OutputError(f"cannot write '{target}': {exc.strerror or exc}") from None
    try:
        replace_file(target, data, mode=mode)
    except OSError as exc:
        if exc.filename == str(folder):  # the temporary file could not be made
            raise OutputError(f"cannot write in '{folder}': {exc.strerror or exc}") from None
        raise OutputError(f"cannot write '{target}': {exc.strerror or exc}") from None
    return target
