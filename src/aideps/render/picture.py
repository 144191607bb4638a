"""The drawing: Graphviz DOT for the export's document, with the colours,
line styles and key every picture shares (Mermaid uses the same colours).

Edges are coloured by kind and drawn by status: solid for in force, bold
for strained, dashed for what is not yet in force (announced, in talks,
proposed, planned, developing), dotted for speculative, dotted with a bar
for rejected or ended; rivalry, which is no dependency, has no arrowhead.
Fills name entity types; a company and its parts share a labelled box; the
centre of a neighbourhood has a bold outline. A key (a cluster of its own)
names all three. A drawing of more than 24 entities is shaped for a 16:9
slide (see `arrange`).
"""

from __future__ import annotations

from aideps.knowledge import vocab
from aideps.render import fmt

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
    "built_on": "#4D4D4D",
}
# Fill per entity type, light so the text stays readable; related types
# share a hue (chips orange, products green), the key names each one.
TYPE_FILL: dict[str, str] = {
    "company": "#C6DBEF",
    "lab": "#DADAEB",
    "cloud": "#C7EAE5",
    "chip": "#FDD0A2",
    "model": "#FFF2AE",
    "product": "#C7E9C0",
    "platform": "#E5F5E0",
    "software": "#F2D7EE",
    "initiative": "#F6E8C3",
    "person": "#FFFFFF",
    "group": "#EEEEEE",
    "event": "#FFFFCC",
    "paper": "#F0F0E0",
    "organization": "#C6DBEF",
    "dataset": "#D9D9F3",
    "application": "#C7E9C0",
    "unknown": "#FFFFFF",
}
CENTRE_COLOR = "#000000"
TENTATIVE = ("announced", "in_talks", "proposed", "planned", "developing")


def look(edge: dict) -> str:
    """The word a drawing's line follows for a relationship: ended or rejected;
    speculative for any claim not stated; strained; else its stage (no stage: active)."""
    stage = edge.get("stage")
    if stage in ("ended", "rejected"):
        return stage
    if (edge.get("certainty") or "stated") != "stated":
        return "speculative"
    if edge.get("health") == "strained":
        return "strained"
    return stage or "active"


def line_style(status: str) -> str:
    """'solid', 'bold', 'dashed' or 'dotted' for a status."""
    if status == "strained":
        return "bold"
    if status in TENTATIVE:
        return "dashed"
    if status in ("speculative", "rejected", "ended"):
        return "dotted"
    return "solid"


def dot_string(text: object) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, line breaks
    as \\n, other control characters dropped."""
    value = str(text)
    value = value.replace("\\", "\\\\").replace('"', '\\"')
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    value = "".join(ch for ch in value if ch >= " " or ch == "\t")
    return f'"{value}"'


def html(text: object) -> str:
    value = "".join(ch for ch in str(text) if ch >= " ")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def edge_label(edge: dict) -> str:
    parts = [vocab.kind_label(edge["kind"])]
    if vocab.status_words(edge) != "active":
        parts.append(vocab.status_words(edge))
    figures = fmt.amounts(edge["amounts"])
    if figures:
        parts.append(figures)
    return " · ".join(parts)


STATUS_SAMPLES = (
    # (sample, words in the key, line width, cell style)
    ("solid", "active", 1, ""),
    ("bold", "strained", 3, ""),
    ("dashed", "not yet in force", 2, ' STYLE="dashed"'),
    ("dotted", "hedged (reported, seems, speculation)", 2, ' STYLE="dotted"'),
    ("tee", "rejected, ended (⊣)", 2, ' STYLE="dotted"'),
)
KEY_GREY = "#555555"


def status_sample(status: str) -> str:
    if status in ("rejected", "ended"):
        return "tee"
    return line_style(status)


def line_cell(color: str, width: int, style: str = "") -> str:
    """A table cell whose bottom border is a sample of an edge's line."""
    return f'<TD SIDES="B" BORDER="{width}" COLOR="{color}"{style} WIDTH="34" HEIGHT="12" FIXEDSIZE="TRUE"></TD>'


def key_table(types: list[str], kinds: list[str], statuses: list[str], centre: dict | None, part_of: bool = False) -> str:
    """The key, one HTML table: the centre (when there is one), then three
    columns: entity types (fill), relationship kinds (colour) and statuses
    (line). Lines are cell borders, so no arrowhead meets a word."""
    samples = [(words, width, style) for sample, words, width, style in STATUS_SAMPLES if sample in
               {status_sample(s) for s in statuses}]
    columns = [
        [(f'<TD BORDER="1" COLOR="#8A8A8A" BGCOLOR="{TYPE_FILL.get(t, "#FFFFFF")}" WIDTH="24" HEIGHT="14" '
          f'FIXEDSIZE="TRUE"></TD>', html(t)) for t in types],
        [(line_cell(KIND_COLOR.get(k, "#000000"), 3), html(vocab.kind_label(k)) + (" (no arrow)" if k == "rivalry" else ""))
         for k in kinds] + ([(line_cell(PART_OF_COLOR, 1), "part of its company (no arrow)")] if part_of else []),
        [(line_cell(KEY_GREY, width, style), html(words)) for words, width, style in samples],
    ]
    heads = [("entity type: fill", 2), ("relationship kind: colour", 2), ("status: line", 2)]
    tallest = max(len(columns[1]), len(columns[2]), 6)
    if len(columns[0]) > tallest:  # types in two columns, no taller than the kinds
        half = max(tallest, (len(columns[0]) + 1) // 2)
        columns[0:1] = [columns[0][:half], columns[0][half:]]
        heads[0] = ("entity type: fill", 4)
    rows = []
    if centre is not None:
        fill = TYPE_FILL.get(centre.get("type") or "", "#FFFFFF")
        rows.append(
            f'<TR><TD COLSPAN="2" BORDER="3" COLOR="{CENTRE_COLOR}" BGCOLOR="{fill}" CELLPADDING="3">'
            f'<B>{html(centre["name"])}</B></TD>'
            f'<TD ALIGN="LEFT" COLSPAN="{2 * len(columns) - 2}">the centre: {html(centre["hops"])}</TD></TR>'
        )
    rows.append("<TR>" + "".join(f'<TD COLSPAN="{span}" ALIGN="LEFT"><B>{head}</B></TD>' for head, span in heads) + "</TR>")
    for index in range(max(len(column) for column in columns)):
        row = []
        for column in columns:
            if index < len(column):
                sample, words = column[index]
                row.append(f'{sample}<TD ALIGN="LEFT">{words}</TD>')
            else:
                row.append('<TD COLSPAN="2"></TD>')
        rows.append("<TR>" + "".join(row) + "</TR>")
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">' + "".join(rows) + "</TABLE>>"


def key_cluster(types: list[str], kinds: list[str], statuses: list[str], centre: dict | None, part_of: bool = False) -> list[str]:
    """The key, a cluster of its own holding one table."""
    return [
        "  subgraph cluster_legend {",
        '    graph [label="key", labeljust=l, labelloc=t, style="rounded", color="#B0B0B0", penwidth=0.8, '
        'fontsize=13, fontname="Helvetica-Bold", fillcolor="white", margin=6];',
        f'    "aideps:key:table" [shape=plaintext, style=solid, fillcolor=white, fontsize=11, margin=0, '
        f"label={key_table(types, kinds, statuses, centre, part_of)}];",
        "  }",
    ]


def ranks(members: set[str], edges: list[dict]) -> dict[str, int]:
    """Each member's column in a left-to-right drawing: the longest chain of
    dependencies leading to it (edges that close a cycle are ignored)."""
    out: dict[str, list[str]] = {}
    for e in edges:
        a, b = e["from"]["id"], e["to"]["id"]
        if e["kind"] != "rivalry" and a in members and b in members and a != b:
            out.setdefault(a, []).append(b)
    order: list[str] = []
    state: dict[str, int] = {}
    for start in sorted(members):
        if start in state:
            continue
        stack = [(start, iter(out.get(start, ())))]
        state[start] = 1
        while stack:
            node, todo = stack[-1]
            step = next(todo, None)
            if step is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif step not in state:
                state[step] = 1
                stack.append((step, iter(out.get(step, ()))))
    rank = dict.fromkeys(members, 0)
    position = {node: index for index, node in enumerate(reversed(order))}
    for node in reversed(order):
        for step in out.get(node, ()):
            if position[step] > position[node]:  # not a back edge
                rank[step] = max(rank[step], rank[node] + 1)
    return rank


def arrange(nodes: list[dict], edges: list[dict], top: dict[str, str], key: bool) -> list[str]:
    """Invisible edges that shape a slide: the largest connected part stays
    where dot puts it; the key, the smaller parts and the lone entities go
    in the columns after its last one, lone entities three to a row, so the
    drawing grows wide instead of tall."""
    parent = {n["id"]: top[n["id"]] for n in nodes}
    root: dict[str, str] = {}

    def find(block: str) -> str:
        while root.get(block, block) != block:
            block = root[block]
        return block

    for e in edges:
        a, b = find(parent.get(e["from"]["id"], e["from"]["id"])), find(parent.get(e["to"]["id"], e["to"]["id"]))
        if a != b:
            root[max(a, b)] = min(a, b)
    parts: dict[str, list[str]] = {}
    for n in nodes:
        parts.setdefault(find(parent[n["id"]]), []).append(n["id"])
    groups = sorted(parts.values(), key=lambda ids: -len(ids))
    if len(groups) < 2 and not key:
        return []
    main = set(groups[0])
    rank = ranks(main, edges)
    anchor = max(groups[0], key=lambda eid: rank[eid])
    lines = []
    linked = {e[end]["id"] for e in edges for end in ("from", "to")}
    for n in nodes:  # a part with no relationship sits beside its parent
        if n["id"] not in linked and n["parent"] in parent and top[n["id"]] != n["id"]:
            lines.append(f"  {dot_string(n['parent'])} -> {dot_string(n['id'])} [style=invis];")
    if key:
        lines.append(f'  {dot_string(anchor)} -> "aideps:key:table" [style=invis];')
    targets = {e["to"]["id"] for e in edges if e["kind"] != "rivalry" and e["from"]["id"] != e["to"]["id"]}
    lone = []
    for ids in groups[1:]:
        if len(ids) == 1 and not any(e["from"]["id"] == ids[0] or e["to"]["id"] == ids[0] for e in edges):
            lone.append(ids[0])
            continue
        for eid in ids:
            if eid not in targets and top[eid] == eid:
                lines.append(f"  {dot_string(anchor)} -> {dot_string(eid)} [style=invis];")
    for index, eid in enumerate(lone):
        before = anchor if index % 3 == 0 else lone[index - 1]
        lines.append(f"  {dot_string(before)} -> {dot_string(eid)} [style=invis];")
    return lines


def is_slide(nodes: int) -> bool:
    """A drawing big enough to lay out for a 16:9 slide."""
    return nodes > 24


# More entities than this cannot be read as dot lays them out (one column of
# clusters tens of thousands of points long, or shrunk to a slide): the
# drawing is spread out by a force-directed layout instead (`spread`).
SPREAD_OVER = 150
PART_OF_COLOR = "#B0B0B0"


def is_spread(nodes: int) -> bool:
    """A drawing laid out by Graphviz's sfdp, at full size, not by dot."""
    return nodes > SPREAD_OVER


def dot(doc: dict, *, title: str | None = None, labels: bool = False, legend: bool = True, clusters: bool = True) -> str:
    """Graphviz DOT. Parts sit in a labelled box with their parent (GitHub
    and Azure inside Microsoft) when both are drawn; the centre of a
    neighbourhood has a bold outline; the key names entity types (fill),
    relationship kinds (colour) and statuses (line). A drawing of more
    than 24 entities is laid out for a 16:9 slide."""
    nodes = doc["nodes"]
    ids = {n["id"] for n in nodes}
    filters = doc.get("filters") or {}
    centre = filters.get("center")
    centre_id = centre["id"] if centre else None
    spread = is_spread(len(nodes))
    slide = is_slide(len(nodes)) and not spread
    layout = 'size="16,9", ratio=0.5625, ' if slide and centre is None else ""
    if spread:
        # sfdp at full size (12-point names stay readable at 100%): overlaps
        # removed, straight lines, the unconnected parts packed around the
        # connected ones. A part sits near its company by a grey line, as
        # sfdp draws no boxes.
        layout = 'layout=sfdp, overlap=prism, overlap_scaling=-4, sep="+4", splines=false, pack=true, packmode="graph", '
        clusters = False
    lines = [
        "digraph aideps {",
        f'  graph [{layout}rankdir=LR, fontname="Helvetica-Bold", fontsize=22, nodesep=0.12, ranksep={0.7 if labels else 0.35}, '
        'newrank=true, bgcolor="white", pad=0.2, outputorder=edgesfirst'
        + (f', labelloc=t, labeljust=l, label={dot_string(title)}' if title else "") + "];",
        '  node [shape=box, style="rounded,filled", color="#8A8A8A", penwidth=0.8, fontname="Helvetica", fontsize=12, '
        'height=0.3, margin="0.08,0.03"];',
        '  edge [fontname="Helvetica", fontsize=10, arrowsize=0.8, penwidth=1.5];',
    ]

    def node_line(node: dict, indent: str) -> str:
        tip = f"{node['type'] or 'entity'}: {node['description'] or ''}".strip()
        fill = TYPE_FILL.get(node["type"] or "", "#FFFFFF")
        extra = ""
        if node["id"] == centre_id:
            extra = f', color="{CENTRE_COLOR}", penwidth=3, fontname="Helvetica-Bold", fontsize=14'
        return (
            f"{indent}{dot_string(node['id'])} [label={dot_string(node['name'])}, fillcolor=\"{fill}\", "
            f"tooltip={dot_string(tip)}{extra}];"
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
        lines.append(
            f'{indent}  graph [label={dot_string(by_id[eid]["name"] + " and its parts")}, labeljust=l, labelloc=t, '
            'fontsize=11, fontname="Helvetica", fontcolor="#555555", style="rounded,filled", fillcolor="#FAFAFA", color="#B8B8B8", penwidth=0.8];'
        )
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

    part_of = False
    if spread:
        for n in nodes:
            if n["parent"] in ids and n["parent"] != n["id"]:
                part_of = True
                lines.append(
                    f"  {dot_string(n['id'])} -> {dot_string(n['parent'])} [color=\"{PART_OF_COLOR}\", arrowhead=none, "
                    f"penwidth=0.8, tooltip={dot_string(n['name'] + ' is part of ' + by_id[n['parent']]['name'])}];"
                )
    for edge in doc["edges"]:
        kind, status = edge["kind"], look(edge)
        style = line_style(status)
        attrs = [
            f'color="{KIND_COLOR.get(kind, "#000000")}"',
            f"style={style}",
            f"id={dot_string(edge['id'])}",
            f"tooltip={dot_string(edge['from']['name'] + ' → ' + edge['to']['name'] + ': ' + edge_label(edge))}",
        ]
        if style == "bold":
            attrs.append("penwidth=2.4")
        if status in ("rejected", "ended"):
            attrs.append("arrowhead=tee")
        if kind == "rivalry":
            attrs.append("dir=none")
            attrs.append("constraint=false")
        if labels:
            # A label is a box of its own in the middle of the edge, never at
            # either end where the arrowhead is.
            attrs.append(f"label={dot_string(edge_label(edge))}")
            attrs.append(f'fontcolor="{KIND_COLOR.get(kind, "#000000")}"')
        lines.append(f"  {dot_string(edge['from']['id'])} -> {dot_string(edge['to']['id'])} [{', '.join(attrs)}];")
    if slide:
        lines.extend(arrange(nodes, doc["edges"], {n["id"]: top(n["id"]) for n in nodes}, legend and bool(doc["edges"])))
    if legend and doc["edges"]:
        types = [t for t in vocab.ENTITY_TYPES if any(n["type"] == t for n in nodes)]
        kinds = [k for k in vocab.KINDS if any(e["kind"] == k for e in doc["edges"])]
        statuses = [s for s in vocab.STATUSES if any(look(e) == s for e in doc["edges"])]
        key_centre = None
        if centre is not None:
            depth = filters.get("depth") or 1
            key_centre = {**centre, "hops": f"what lies within {fmt.plural(depth, 'hop')} of it"}
        lines.extend(key_cluster(types, kinds, statuses, key_centre, part_of))
    lines.append("}")
    return "\n".join(lines) + "\n"
