"""CSV output (the csv module): one header row, then one row per item.

Figures appear twice: `amount` as read ("$13B / nearly $14B") and
`amount_values` as exact numbers separated by ';'.
"""

from __future__ import annotations

import csv
import sys
from typing import IO, Iterable

from aideps.render import fmt


def write(header: list[str], rows: Iterable[list], stream: IO[str] | None = None) -> None:
    writer = csv.writer(stream or sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])


def _sources(edge: dict) -> str:
    """Every source a relationship cites, once, in order: 'Title (date); ...'."""
    labels: list[str] = []
    for item in edge["provenance"] + edge["amounts"] + edge["history"]:
        label = fmt.source_label(item["source"])
        if label not in labels:
            labels.append(label)
    return "; ".join(labels)


def _exact(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _values(edge: dict) -> str:
    return ";".join(_exact(a["amount"]) for a in edge["amounts"])


EDGE_HEADER = [
    "kind", "from", "to", "status", "amount", "start", "end", "replaces", "summary", "sources",
    "id", "from_id", "to_id", "amount_values",
]


def _edge_row(edge: dict) -> list:
    return [
        edge["kind"], edge["from"]["name"], edge["to"]["name"], edge["status"], fmt.amounts(edge["amounts"]),
        edge["start"], edge["end"], "; ".join(r["name"] for r in edge["replaces"]), edge["summary"],
        _sources(edge), edge["id"], edge["from"]["id"], edge["to"]["id"], _values(edge),
    ]


def partnership(result: dict, stream: IO[str] | None = None) -> None:
    """research / distribution / hardware; hardware's in-house efforts follow
    its partnerships, told apart by `kind` (in_house)."""
    edges = result["relationships"] + result.get("in_house", [])
    write(EDGE_HEADER, (_edge_row(e) for e in edges), stream)


def profile(result: dict, stream: IO[str] | None = None) -> None:
    """show: one row per relationship of the entity."""
    header = [
        "kind", "direction", "counterpart", "status", "amount", "start", "end", "summary", "sources",
        "id", "counterpart_id", "amount_values",
    ]
    rows = (
        [
            e["kind"],
            "relies on" if e["direction"] == "out" else "relied on by",
            e["counterpart"]["name"], e["status"], fmt.amounts(e["amounts"]), e["start"], e["end"],
            e["summary"], _sources(e), e["id"], e["counterpart"]["id"], _values(e),
        ]
        for e in result["relationships"]
    )
    write(header, rows, stream)


def tree(result: dict, stream: IO[str] | None = None) -> None:
    """tree: one row per node, depth first, as printed."""
    header = ["depth", "entity", "entity_id", "parent_id", "kinds", "statuses", "amount", "marker", "relationship_ids"]
    rows: list[list] = []

    def walk(node: dict, parent: str | None, depth: int) -> None:
        via = node["via"]
        rows.append([
            depth, node["entity"]["name"], node["entity"]["id"], parent,
            ";".join(e["kind"] for e in via), ";".join(e["status"] for e in via),
            " / ".join(t for t in (fmt.amounts(e["amounts"]) for e in via) if t),
            node["marker"] or ("truncated" if node["truncated"] else ""),
            ";".join(e["id"] for e in via),
        ])
        for child in node["children"]:
            walk(child, node["entity"]["id"], depth + 1)

    walk(result["tree"], None, 0)
    write(header, rows, stream)


def entity_list(result: dict, stream: IO[str] | None = None) -> None:
    header = ["id", "name", "type", "description", "aliases", "parent_id", "relationships"]
    rows = (
        [e["id"], e["name"], e["type"], e["description"], "; ".join(e["aliases"]),
         e["parent"]["id"] if e["parent"] else None, e["relationships"]]
        for e in result["entities"]
    )
    write(header, rows, stream)


def search(result: dict, stream: IO[str] | None = None) -> None:
    header = ["type", "id", "label", "field", "source", "text"]
    rows = (
        [m["type"], m["id"], m["label"], m["field"], m["source"]["id"] if m["source"] else None, m["text"]]
        for m in result["matches"]
    )
    write(header, rows, stream)


def sources(result: dict, stream: IO[str] | None = None) -> None:
    header = ["id", "title", "date", "author", "entities", "relationships", "facts"]
    rows = (
        [s["id"], s["title"], s["date"], s["author"], s["supports"]["entities"],
         s["supports"]["relationships"], s["supports"]["facts"]]
        for s in result["sources"]
    )
    write(header, rows, stream)

