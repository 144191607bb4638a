"""The dependency tree as plain box-drawing text, like `cargo tree`.

No Rich: plain lines pipe cleanly into grep, head and less, and are never
wrapped or cut. A line is: entity, then each relationship that leads to it
(kind · stage, health, certainty · amount). `(*)`: this entity's subtree is shown above and not
repeated. `(cycle)`: the entity is its own ancestor here; not expanded.
`…`: the depth limit hides what it relies on.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import IO, Iterator

from aideps.knowledge import vocab
from aideps.render import fmt, when

MARKERS = {"repeated": "(*)", "cycle": "(cycle)"}


def edge_label(edge: dict) -> str:
    parts = [vocab.kind_label(edge["kind"]), vocab.status_words(edge)]
    figures = fmt.amounts(edge["amounts"])
    if figures:
        parts.append(figures)
    if edge.get("via"):
        parts.append(fmt.via_words(edge))
    return " · ".join(parts) + when.tree_mark(edge)


def node_label(node: dict) -> str:
    text = node["entity"]["name"]
    if node["via"]:
        text += "  " + "; ".join(edge_label(e) for e in node["via"])
    if node["marker"]:
        text += " " + MARKERS[node["marker"]]
    elif node["truncated"]:
        text += " …"
    return text


UNICODE = ("├── ", "└── ", "│   ", "    ")
ASCII = ("|-- ", "`-- ", "|   ", "    ")


def lines(result: dict, *, ascii: bool = False) -> Iterator[str]:
    """The tree, one line at a time; `ascii` draws it for terminals that
    cannot print box-drawing characters."""
    branch, last_branch, pipe, blank = ASCII if ascii else UNICODE
    root = result["tree"]
    entity = root["entity"]
    heading = "is relied on by" if result["reverse"] else "relies on"
    if root["children"] or root["truncated"]:
        yield f"{entity['name']} ({entity['type']}) {heading}"
    else:
        nothing = "nothing relies on it" if result["reverse"] else "relies on nothing"
        if result["kinds"] != list(vocab.DEPENDENCY_KINDS):
            nothing += " for " + ", ".join(vocab.kind_label(k) for k in result["kinds"])
        where = (result.get("filters") or {}).get("where")
        if where:
            nothing += " that meets " + " and ".join(where)
        yield f"{entity['name']} ({entity['type']}): {nothing}"

    def walk(node: dict, prefix: str) -> Iterator[str]:
        children = node["children"]
        for index, child in enumerate(children):
            last = index == len(children) - 1
            yield prefix + (last_branch if last else branch) + node_label(child)
            yield from walk(child, prefix + (blank if last else pipe))

    yield from walk(root, "")


def write(result: dict, stream: IO[str] | None = None) -> None:
    out = stream or sys.stdout
    for line in lines(result):
        out.write(line + "\n")
