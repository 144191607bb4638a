"""CSV output (the csv module), of every command and of `aideps export
--format csv`: one header row, then one row per item.

Figures appear twice: `amount` as read ("$13B / nearly $14B") and
`amount_values` as exact numbers separated by ';'.

Formula injection (OWASP): a spreadsheet runs a cell that starts with `=`,
`+`, `-` or `@` (or a tab or CR before one) as a formula, so such a cell is
written with a leading `'`, which spreadsheets show as text. A cell that is
a number, or numbers separated by ';' (`-5`, `1e3`, `-5;3`), is not a
formula and is written as it is. `raw=True` (`--csv-raw`) writes every cell
exactly.
"""

from __future__ import annotations

import csv
import re
import sys

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import IO, Callable, Iterable, Iterator

from aideps.render import fmt


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBERS = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:;[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)*")


def safe_cell(cell: object) -> object:
    """`cell` as a spreadsheet will not run it: text that starts like a
    formula gets a leading `'`; numbers (and numbers separated by ';') stay."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not _NUMBERS.fullmatch(cell):
        return "'" + cell
    return cell


class _LineFeeds:
    """A stream for csv.writer: each row arrives in one write() ending in
    "\r\n", and leaves ending in "\n".

    The csv module quotes a cell that holds a character of its line
    terminator: with "\n" as the terminator, a cell holding a lone CR was
    written bare, and a reader takes that CR for the end of the row. With
    "\r\n" every cell holding a CR or an LF is quoted (with --csv-raw as
    without); the rows still end in "\n"."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, row: str) -> int:
        if row.endswith("\r\n"):
            row = row[:-2] + "\n"
        return self.stream.write(row)


def write(header: list[str], rows: Iterable[list], stream: IO[str] | None = None, *, raw: bool = False) -> None:
    """The one CSV writer: a header row, then the rows, each ending in "\n";
    a cell holding a line break (CR or LF) quoted; cells neutralised against
    formula injection unless `raw`."""
    put = writer(header, stream, raw=raw)
    for row in rows:
        put(row)


def writer(header: list[str], stream: IO[str] | None = None, *, raw: bool = False) -> Callable[[list], None]:
    """The same writer a row at a time (several files written together, as
    `export --format neo4j` does): writes the header row now and returns
    `put(row)`, which writes one row (None as an empty cell; neutralised
    unless `raw`)."""
    out = csv.writer(_LineFeeds(stream or sys.stdout), lineterminator="\r\n")
    out.writerow(header)

    def put(row: list) -> None:
        cells = ["" if cell is None else cell for cell in row]
        out.writerow(cells if raw else [safe_cell(cell) for cell in cells])

    return put


def source_labels(edge: dict) -> str:
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


def amount_values(edge: dict) -> str:
    return ";".join(_exact(a["amount"]) for a in edge["amounts"])


STATE = ["stage", "health", "certainty"]


def state(edge: dict) -> list:
    """A relationship's stage, health and certainty, three cells (no `status`)."""
    return [edge.get("stage"), edge.get("health"), edge.get("certainty") or "stated"]


def states(edges: list[dict]) -> list:
    """Stage, health and certainty of several relationships, each column ';'-joined in order."""
    return [";".join(str(cell or "") for cell in column) for column in zip(*(state(e) for e in edges))] or ["", "", ""]


EDGE_HEADER = [
    "kind", "from", "to", *STATE, "amount", "start", "end", "replaces", "summary", "sources",
    "id", "from_id", "to_id", "amount_values",
]


def edge_row(edge: dict) -> list:
    """A relationship's row under EDGE_HEADER (research and the like, export)."""
    return [
        edge["kind"], edge["from"]["name"], edge["to"]["name"], *state(edge), fmt.amounts(edge["amounts"]),
        edge["start"], edge["end"], "; ".join(r["name"] for r in edge["replaces"]), edge["summary"],
        source_labels(edge), edge["id"], edge["from"]["id"], edge["to"]["id"], amount_values(edge),
    ]


def partnership(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    """research / distribution / hardware; hardware's in-house efforts follow
    its partnerships, told apart by `kind` (in_house)."""
    import itertools

    edges = itertools.chain(result["relationships"], result.get("in_house", []))  # the first may be a Stream
    write(EDGE_HEADER, (edge_row(e) for e in edges), stream, raw=raw)


def profile(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    """show: one row per relationship of the entity."""
    header = [
        "kind", "direction", "counterpart", *STATE, "amount", "start", "end", "summary", "sources",
        "id", "counterpart_id", "amount_values", "via",
    ]
    rows = (
        [
            e["kind"],
            "relies on" if e["direction"] == "out" else "relied on by",
            e["counterpart"]["name"], *state(e), fmt.amounts(e["amounts"]), e["start"], e["end"],
            e["summary"], source_labels(e), e["id"], e["counterpart"]["id"], amount_values(e),
            e["via"]["id"] if e.get("via") else None,
        ]
        for e in result["relationships"]
    )
    write(header, rows, stream, raw=raw)


def tree(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    """tree: one row per node, depth first, as printed."""
    header = ["depth", "entity", "entity_id", "parent_id", "kinds", "stages", "healths", "certainties", "amount", "marker",
              "relationship_ids", "via"]

    def walk(node: dict, parent: str | None, depth: int) -> Iterator[list]:
        via = node["via"]
        yield [
            depth, node["entity"]["name"], node["entity"]["id"], parent,
            ";".join(e["kind"] for e in via), *states(via),
            " / ".join(t for t in (fmt.amounts(e["amounts"]) for e in via) if t),
            node["marker"] or ("truncated" if node["truncated"] else ""),
            ";".join(e["id"] for e in via), ";".join(e["via"]["id"] if e.get("via") else "" for e in via),
        ]
        for child in node["children"]:  # (a streamed tree's are built as they are read)
            yield from walk(child, node["entity"]["id"], depth + 1)

    write(header, walk(result["tree"], None, 0), stream, raw=raw)


def facts_text(facts: list[dict]) -> str | None:
    """'license=MIT; access=open; size=7000000000 parameters': an entity's facts in one cell."""
    return "; ".join(f"{f['key']}={f['value']}" + (f" {f['unit']}" if f.get("unit") else "") for f in facts) or None


def entity_list(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    header = ["id", "name", "type", "description", "aliases", "parent_ids", "relationships", "facts"]
    rows = (
        [e["id"], e["name"], e["type"], e["description"], "; ".join(e["aliases"]),
         ";".join(p["id"] for p in e["parents"]) or None, e["relationships"], facts_text(e.get("facts") or [])]
        for e in result["entities"]
    )
    write(header, rows, stream, raw=raw)


def search(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    header = ["type", "id", "label", "field", "source", "text"]
    rows = (
        [m["type"], m["id"], m["label"], m["field"], m["source"]["id"] if m["source"] else None, m["text"]]
        for m in result["matches"]
    )
    write(header, rows, stream, raw=raw)


def sources(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    header = ["id", "title", "date", "author", "entities", "relationships", "facts"]
    rows = (
        [s["id"], s["title"], s["date"], s["author"], s["supports"]["entities"],
         s["supports"]["relationships"], s["supports"]["facts"]]
        for s in result["sources"]
    )
    write(header, rows, stream, raw=raw)


# ---- timeline, diff, why, impact, conflicts ------------------------------------


def timeline(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    header = ["date", "event", *STATE, "term", "kind", "from", "to", "amount", "source", "claim", "relationship_id",
              "entity_id", "note"]
    write(header, _timeline_rows(result), stream, raw=raw)


def _timeline_rows(result: dict) -> Iterator[list]:
    """timeline's rows, made as they are written (the events may be a Stream)."""
    for e in result["events"]:
        edge = e["relationship"]
        st = e.get("state") or {}
        yield (
            [
                e["date"], e["event"], st.get("stage"), st.get("health"), st.get("certainty"),
                f"{e['term']['name']} {e['term']['state']}" if e.get("term") else None,
                edge["kind"] if edge else None,
                edge["from"]["name"] if edge else e["entity"]["name"],
                edge["to"]["name"] if edge else None,
                fmt.amounts(edge["amounts"]) if edge else None,
                fmt.source_label(e["source"]) if e["source"] else (source_labels(edge) if edge else None),
                e.get("attribution") or None,
                edge["id"] if edge else None,
                e["entity"]["id"] if e["entity"] else None,
                e["note"],
            ]
        )
    for edge in result["undated"]:
        yield [None, "undated", *state(edge), None, edge["kind"], edge["from"]["name"], edge["to"]["name"],
               fmt.amounts(edge["amounts"]), source_labels(edge), None, edge["id"], None, None]


def diff(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    header = [
        "change", "when", "kind", "from", "to", "stage_before", "health_before", "certainty_before",
        "stage_after", "health_after", "certainty_after", "amount", "evidence", "certain",
        "doubts", "sources", "id", "from_id", "to_id", "amount_values",
    ]
    write(header, _diff_rows(result), stream, raw=raw)


def _diff_rows(result: dict) -> Iterator[list]:
    """diff's rows, made as they are written (the sections may be Streams)."""
    for section in ("unchanged", "began", "reported", "changed", "ended"):
        for item in result[section]:
            evidence = item["evidence"]
            yield (
                [
                    section, item["when"], item["kind"], item["from"]["name"], item["to"]["name"],
                    *state(item["before"]), *state(item["after"]), fmt.amounts(item["amounts"]),
                    f"{evidence['basis']} {evidence['date']}" if evidence else None,
                    "yes" if item["certain"] else "no", "; ".join(item["doubts"]), source_labels(item),
                    item["id"], item["from"]["id"], item["to"]["id"], amount_values(item),
                ]
            )
    for edge in result["undated"]:
        yield ["undated", None, edge["kind"], edge["from"]["name"], edge["to"]["name"], None, None, None, *state(edge),
               fmt.amounts(edge["amounts"]), None, None, None, source_labels(edge), edge["id"],
               edge["from"]["id"], edge["to"]["id"], amount_values(edge)]


def why(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    header = ["path", "hop", "from", "to", "kinds", "stages", "healths", "certainties", "amount", "relationship_ids",
              "from_id", "to_id", "via"]
    rows = []
    for number, path in enumerate(result["paths"], 1):
        for index, hop in enumerate(path["hops"], 1):
            edges = hop["relationships"]
            rows.append(
                [
                    number, index, hop["from"]["name"], hop["to"]["name"],
                    ";".join(e["kind"] for e in edges), *states(edges),
                    " / ".join(t for t in (fmt.amounts(e["amounts"]) for e in edges) if t),
                    ";".join(e["id"] for e in edges), hop["from"]["id"], hop["to"]["id"],
                    ";".join(e["via"]["id"] if e.get("via") else "" for e in edges),
                ]
            )
    write(header, rows, stream, raw=raw)


def impact(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    header = ["depth", "entity", "kinds", "through", "stages", "healths", "certainties", "path", "entity_id",
              "relationship_ids", "via"]
    rows = (
        [
            e["depth"], e["entity"]["name"], ";".join(e["kinds"]), "; ".join(t["name"] for t in e["through"]),
            *states(e["via"]), " → ".join(p["name"] for p in e["path"]),
            e["entity"]["id"], ";".join(v["id"] for v in e["via"]),
            ";".join(v["via"]["id"] if v.get("via") else "" for v in e["via"]),
        ]
        for e in result["exposed"]
    )
    write(header, rows, stream, raw=raw)


def conflicts(result: dict, stream: IO[str] | None = None, *, raw: bool = False) -> None:
    header = ["type", "subject", "key", "claim", "value", "currency", "qualifier", "metric", "basis", "period", "as_of",
              "source", "source_date", "quote", "attribution", "id"]
    rows = []
    for item in result["conflicts"]:
        if item["relationship"]:
            edge = item["relationship"]
            subject, key, ident = f"{edge['from']['name']} → {edge['to']['name']} ({edge['kind']})", "amount", edge["id"]
        else:
            subject, key, ident = item["entity"]["name"], item["key"], item["entity"]["id"]
        for claim in item["claims"]:
            rows.append(
                [
                    item["type"], subject, key, fmt.claim_text(claim), claim["value"], claim["currency"], claim["qualifier"],
                    claim.get("metric"), claim.get("basis"), claim.get("period"),
                    claim["as_of"], claim["source"]["title"], claim["source"]["date"], claim["quote"],
                    claim.get("attribution") or None, ident,
                ]
            )
    write(header, rows, stream, raw=raw)
