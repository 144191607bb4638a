"""The graph for other tools: Graphviz DOT, Mermaid, GraphML, JSON and CSV;
SVG, PNG and PDF through Graphviz's `dot` (the drawing: render/picture.py);
the format a file name asks for; and writing a file atomically.

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
import stat

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Iterable, Iterator

from aideps.graph.stream import SizedStream, Stream
from aideps.knowledge import vocab
from aideps.knowledge.atomic import new_file_mode, replace_file
from aideps.knowledge.text import escaped
from aideps.render import csvout, fmt, jsonout
from aideps.render.picture import CENTRE_COLOR, KIND_COLOR, TENTATIVE, TYPE_FILL, dot, edge_label, line_style, look

TEXT_FORMATS: tuple[str, ...] = ("dot", "mermaid", "graphml", "json", "csv")
IMAGE_FORMATS: tuple[str, ...] = ("svg", "png", "pdf")
FOLDER_FORMATS: tuple[str, ...] = ("neo4j",)  # files in a folder, -o DIR (render/neo4j.py)
FORMATS: tuple[str, ...] = TEXT_FORMATS + IMAGE_FORMATS + FOLDER_FORMATS
EXTENSIONS: dict[str, str] = {
    ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".graphml": "graphml",
    ".json": "json", ".csv": "csv", ".svg": "svg", ".png": "png", ".pdf": "pdf",
}


class FormatError(ValueError):
    """`-o FILE` and `--format` that cannot be written: an unknown
    extension, or one that names another format. The message says so."""


def known_extensions() -> str:
    return ", ".join(EXTENSIONS)


def format_for(output: str | os.PathLike[str] | None, form: str | None) -> str:
    """The format to write: `form` (--format) if given, else the one `-o
    FILE`'s extension names, else dot. FILE with an extension aideps does not
    write, or one that names another format than `form`, is refused: a .jpg
    holding DOT text or an .svg holding PNG bytes helps no one. A name
    without an extension, a folder or a device (/dev/stdout, a FIFO) takes
    `form`, or dot."""
    if output is None or form in FOLDER_FORMATS:  # a folder's name says nothing of the format
        return form or "dot"
    from pathlib import Path

    target = Path(output)
    suffix = target.suffix.lower()
    try:
        special = target.exists() and not target.is_file()
    except OSError:
        special = False
    if not suffix or special:
        return form or "dot"
    named = EXTENSIONS.get(suffix)
    if named is None:
        raise FormatError(
            f"cannot tell what to write into '{target.name}': aideps writes {known_extensions()} "
            f"(the format follows the extension)"
        )
    if form is not None and form != named:
        raise FormatError(
            f"'{target.name}' asks for {named}, not {form}: name it {target.stem}{_extension(form)} "
            f"or leave the format to the extension ({known_extensions()})"
        )
    return named


def _extension(form: str) -> str:
    return next(ext for ext, named in EXTENSIONS.items() if named == form)

# ---- the document every format is built from -----------------------------------------


def document(g, selection: dict, *, as_of: dict | None = None) -> dict:
    """The export's JSON document: filters, nodes (entities, with their
    facts' values) and edges (relationships, as everywhere else). Of a
    streamed selection (the whole graph), nodes and edges are Streams, made
    as they are written."""
    relationships = selection["relationships"]
    if isinstance(relationships, Stream):
        records = selection["entities"]
        nodes: "Iterable[dict]" = SizedStream(
            lambda: (node(entity["id"], entity) for entity in records), len(selection["nodes"])
        )
        edges: "Iterable[dict]" = Stream(lambda: _edges(g, relationships, selection["nodes"]))
    else:
        nodes = [node(eid, g.entities.get(eid) or {}) for eid in selection["nodes"]]
        edges = [g.edge(rel) for rel in relationships]
    return {
        "filters": {
            "center": selection["center"],
            "depth": selection["depth"],
            "kinds": selection["kinds"],
            **selection["filters"],
        },
        "as_of": as_of,
        "nodes": nodes,
        "edges": edges,
    }


def _edges(g, relationships: "Iterable[dict]", nodes: list[str]) -> "Iterator[dict]":
    """The edges of a streamed selection, their ends' names read first, a few
    queries for all (on an index, one query per name otherwise)."""
    g.store.prefetch_names(nodes)
    for rel in relationships:
        yield g.edge(rel)


def node(eid: str, entity: dict) -> dict:
    """An export's node of an entity, from its record or its line
    (aideps.knowledge.listing.line), or from {} or its id alone when the file
    lacks it. Its parents once each, as `show` and `list` name them."""
    from aideps.knowledge.listing import fact_values

    parents = list(dict.fromkeys(entity.get("parents") or []))
    return {
        "id": eid,
        "name": entity.get("name", eid),
        "type": entity.get("type"),
        "parent": parents[0] if parents else None,
        "parents": parents,
        "description": entity.get("description"),
        "facts": fact_values(entity),
    }


def held(doc: dict) -> dict:
    """The document with its nodes and edges in lists (what a drawing needs: all at once)."""
    return {**doc, "nodes": list(doc["nodes"]), "edges": list(doc["edges"])}


def count(items: "Iterable") -> int:
    """How many edges (or nodes) a document wrote: a Stream counts as it is written."""
    return items.count if isinstance(items, Stream) else len(items)  # type: ignore[arg-type]


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
    status = look(edge)
    if status in ("rejected", "ended"):
        return "--x"
    if status == "strained":
        return "==>"
    if status in TENTATIVE or status == "speculative":
        return "-.->"
    return "-->"


def mermaid(doc: dict) -> str:
    """A Mermaid flowchart: the header, then exactly one line per edge
    (`from["Name"] -->|"kind · status"| to["Name"]`), then the colours
    (see `mermaid_styles`). Arrows: --> in force,
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
    return "\n".join(lines + mermaid_styles(doc, ids)) + "\n"


def mermaid_styles(doc: dict, ids: dict[str, str]) -> list[str]:
    """The colours of the DOT drawing in Mermaid: a classDef per entity
    type (`t_company`, its fill), one `class` line per type, a bold outline
    for the centre, and a linkStyle per edge (its kind's colour; thicker when
    strained), numbered in the order of the edge lines."""
    types = {n["id"]: n.get("type") for n in doc["nodes"]}
    by_type: dict[str, list[str]] = {}
    for eid, mid in ids.items():
        kind = types.get(eid)
        if kind in TYPE_FILL:
            by_type.setdefault(kind, []).append(mid)
    lines = []
    for kind in sorted(by_type, key=lambda t: vocab.TYPE_ORDER.get(t, 99)):
        lines.append(f"    classDef t_{kind} fill:{TYPE_FILL[kind]},stroke:#8A8A8A,color:#111111")
        lines.append(f"    class {','.join(by_type[kind])} t_{kind}")
    centre = (doc.get("filters") or {}).get("center")
    if centre and centre["id"] in ids:
        lines.append(f"    classDef centre stroke:{CENTRE_COLOR},stroke-width:3px,font-weight:bold")
        lines.append(f"    class {ids[centre['id']]} centre")
    for index, edge in enumerate(doc["edges"]):
        width = "3px" if line_style(look(edge)) == "bold" else "1.5px"
        lines.append(f"    linkStyle {index} stroke:{KIND_COLOR.get(edge['kind'], '#000000')},stroke-width:{width}")
    return lines


# ---- GraphML -------------------------------------------------------------------------

# What XML 1.0 cannot hold: every character outside its Char production
# (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]),
# spelled as the few ranges left out (the negated class of those ranges
# costs ~10 ms of every export to compile; the two match the same characters).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

NODE_KEYS = (
    ("name", "string"), ("type", "string"), ("parent", "string"), ("parents", "string"), ("description", "string"),
)
EDGE_KEYS = (
    ("kind", "string"), ("stage", "string"), ("health", "string"), ("certainty", "string"), ("summary", "string"), ("start", "string"), ("end", "string"),
    ("amount", "string"), ("amount_max", "double"), ("replaces", "string"), ("sources", "string"),
)


def _xml(text: object) -> str:
    value = _XML_BAD.sub("", str(text))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _fact_keys(nodes: list[dict]) -> dict[str, tuple[str, str]]:
    """Each fact key the nodes use: (its GraphML attribute name, "double"
    when every node has at most one value and every value is a number, else
    "string", several values joined by "; "). A key that is also a node
    attribute (name, type...) is named fact_KEY."""
    kinds: dict[str, str] = {}
    for node in nodes:
        seen: set[str] = set()
        for fact in node.get("facts") or []:
            key, value = fact["key"], fact["value"]
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            kind = "double" if number and key not in seen and kinds.get(key, "double") == "double" else "string"
            kinds[key] = kind
            seen.add(key)
    taken = {name for name, _ in NODE_KEYS}
    return {key: (f"fact_{key}" if key in taken else key, kind) for key, kind in kinds.items()}


def graphml(doc: dict) -> str:
    """GraphML (directed; parallel edges keep their own ids), readable by
    networkx, Gephi, yEd and Cytoscape."""
    return "".join(graphml_chunks(doc))


def graphml_chunks(doc: dict) -> Iterator[str]:
    """`graphml(doc)` in pieces, written as the nodes and edges are read
    (their fact keys are found by a first pass over the nodes)."""
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
    facts = _fact_keys(doc["nodes"])
    for key, (name, kind) in facts.items():
        lines.append(f'  <key id="f_{key}" for="node" attr.name="{name}" attr.type="{kind}"/>')
    lines.append('  <graph id="aideps" edgedefault="directed">')
    for node in doc["nodes"]:
        lines.append(f'    <node id="{_xml(node["id"])}">')
        for name, _ in NODE_KEYS:
            value = node.get(name)
            if isinstance(value, list):
                value = ";".join(value) or None
            if value is not None:
                lines.append(f'      <data key="n_{name}">{_xml(value)}</data>')
        values: dict[str, list] = {}
        for fact in node.get("facts") or []:
            values.setdefault(fact["key"], []).append(fact["value"])
        for key, found in values.items():
            shown = repr(float(found[0])) if facts[key][1] == "double" else "; ".join(str(v) for v in found)
            lines.append(f'      <data key="f_{key}">{_xml(shown)}</data>')
        lines.append("    </node>")
        if len(lines) >= CHUNK_LINES:
            yield "\n".join(lines) + "\n"
            lines.clear()
    for edge in doc["edges"]:
        values = {
            "kind": edge["kind"],
            "stage": edge["stage"],
            "health": edge["health"],
            "certainty": edge["certainty"],
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
        if len(lines) >= CHUNK_LINES:
            yield "\n".join(lines) + "\n"
            lines.clear()
    lines.append("  </graph>")
    lines.append("</graphml>")
    yield "\n".join(lines) + "\n"


# ---- CSV ---------------------------------------------------------------------------------


CHUNK_LINES = 2000  # lines of GraphML, rows of CSV, written at a time


def csv_text(doc: dict, *, raw: bool = False) -> str:
    """One row per edge, the columns of `aideps research --csv` (neutralised
    against formula injection unless `raw`)."""
    return "".join(csv_chunks(doc, raw=raw))


def csv_chunks(doc: dict, *, raw: bool = False) -> Iterator[str]:
    """`csv_text(doc)` in pieces, written as the edges are read."""
    import io

    buffer = io.StringIO()
    put = csvout.writer(csvout.EDGE_HEADER, buffer, raw=raw)
    for n, edge in enumerate(doc["edges"], 1):
        put(csvout.edge_row(edge))
        if n % CHUNK_LINES == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def chunks(doc: dict, form: str, **options) -> Iterator[str]:
    """The text of `doc` in `form`, in pieces: JSON, CSV and GraphML as the
    document's nodes and edges are read (a streamed document is never held
    whole); DOT and Mermaid, which lay out the whole, at once."""
    raw = options.pop("raw", False)  # CSV: cells exactly, formulas not neutralised
    if form == "json":
        return jsonout.chunks(doc)
    if form == "csv":
        return csv_chunks(doc, raw=raw)
    if form == "graphml":
        return graphml_chunks(doc)
    if form == "dot":
        return iter((dot(held(doc), **options),))
    if form == "mermaid":
        return iter((mermaid(held(doc)),))
    raise ValueError(f"not a text format: {form}")


def text(doc: dict, form: str, **options) -> str:
    return "".join(chunks(doc, form, **options))


# ---- Graphviz ----------------------------------------------------------------------------

DOT_MISSING = (
    "Graphviz's dot is not installed; install it with `apt-get install graphviz` (Debian/Ubuntu) "
    "or `brew install graphviz` (macOS), or use --format dot and render it elsewhere"
)


class GraphvizError(Exception):
    """dot is missing or failed; the message says what to do."""


def render_image(dot_text: str, form: str, *, timeout: float = 120) -> bytes:
    """SVG, PNG or PDF bytes from DOT text, through Graphviz's `dot` (PNG
    at 144 dpi: sharp on a slide)."""
    import shutil
    import subprocess

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
        raise GraphvizError(f"Graphviz's dot failed (exit {done.returncode})" + (f": {escaped(detail[-1])}" if detail else ""))
    return done.stdout


# ---- writing a file ------------------------------------------------------------------------


class OutputError(Exception):
    """A file that cannot be written; the message says why in plain words."""


def refuse_protected(target: Path, protected: Iterable[str | os.PathLike[str]]) -> None:
    """OutputError when `target` is one of the `protected` files (the
    knowledge file being read), by any name or link: checked first, before
    anything else is said about the output."""
    same = _same_file(target, protected)
    if same is not None:
        raise OutputError(
            f"refusing to write '{escaped(str(target))}': it is the knowledge file being read ({escaped(str(same))}); "
            "name another file"
        )


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
                from pathlib import Path

                return Path(path)
        except OSError:
            continue
    return None


def write_atomically(
    path: str | os.PathLike[str],
    data: "bytes | Iterable[bytes]",
    *,
    protected: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> Path:
    """Write `data` (bytes, or pieces of bytes) to `path` all at once: a temporary file in the same
    directory, then a rename over the target. A reader never sees half a
    file, and a failure leaves no partial file behind. A new file gets the
    usual permissions (0666 less the umask), a replaced one keeps its own.
    A device or a FIFO (/dev/null, /dev/stdout) is written into, never replaced.

    Never destroys input: a target that is one of the `protected` files (the
    knowledge file being read), by any name or link, is refused. Replacing a
    symbolic link or a read-only file needs `force`."""
    from pathlib import Path

    target = Path(path)
    shown = escaped(str(target))
    if target.is_dir():
        raise OutputError(f"'{shown}' is a directory; give a file name, e.g. {escaped(str(target / 'ecosystem.svg'))}")
    mode = replace_mode(target, protected=protected, force=force)
    folder = target.parent if str(target.parent) else Path(".")
    if mode is None:
        # A device, a FIFO or a terminal (/dev/null, /dev/stdout, a named
        # pipe): write into it; renaming a file over it would replace it.
        try:
            with open(target, "wb") as stream:
                for piece in (data,) if isinstance(data, (bytes, bytearray)) else data:
                    stream.write(piece)
        except OSError as exc:
            raise OutputError(f"cannot write '{shown}': {exc.strerror or exc}") from None
        return target
    try:
        replace_file(target, data, mode=mode)
    except OSError as exc:
        if exc.filename == str(folder):  # the temporary file could not be made
            raise OutputError(f"cannot write in '{escaped(str(folder))}': {exc.strerror or exc}") from None
        raise OutputError(f"cannot write '{shown}': {exc.strerror or exc}") from None
    return target


def replace_mode(
    target: Path, *, protected: Iterable[str | os.PathLike[str]] = (), force: bool = False
) -> int | None:
    """What writing `target` by a rename needs, checked before a byte is
    written: the permissions the new file gets (a replaced file's own, else
    a new file's), or None for a device or FIFO to write into. OutputError
    for one of the `protected` files, a missing folder, and, without
    `force`, a read-only file or a symbolic link (write_atomically's rules,
    shared with the files of `export --format neo4j`)."""
    from pathlib import Path

    target = Path(target)
    shown = escaped(str(target))
    refuse_protected(target, protected)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write '{shown}': the directory '{escaped(str(folder))}' does not exist")
    try:
        status = target.stat()
        if not stat.S_ISREG(status.st_mode):
            return None
        mode = status.st_mode & 0o7777
        if not force and (not status.st_mode & 0o222 or not os.access(target, os.W_OK)):
            raise OutputError(f"'{shown}' is read-only; to replace it anyway, add --force")
    except FileNotFoundError:
        mode = new_file_mode()
    except OSError as exc:
        raise OutputError(f"cannot write '{shown}': {exc.strerror or exc}") from None
    if not force and target.is_symlink():
        raise OutputError(f"'{shown}' is a symbolic link; to replace the link by a file, add --force")
    return mode
