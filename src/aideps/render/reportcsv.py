"""CSV of timeline, diff, why, impact and conflicts: one header row, one row
per item, figures as read and as exact numbers (the csvout conventions)."""

from __future__ import annotations

from typing import IO

from aideps.render import fmt
from .csvout import _sources, _values, write


def timeline(result: dict, stream: IO[str] | None = None) -> None:
    header = ["date", "event", "status", "kind", "from", "to", "amount", "source", "relationship_id", "entity_id", "note"]
    rows = []
    for e in result["events"]:
        edge = e["relationship"]
        rows.append(
            [
                e["date"], e["event"], e["status"],
                edge["kind"] if edge else None,
                edge["from"]["name"] if edge else e["entity"]["name"],
                edge["to"]["name"] if edge else None,
                fmt.amounts(edge["amounts"]) if edge else None,
                fmt.source_label(e["source"]) if e["source"] else (_sources(edge) if edge else None),
                edge["id"] if edge else None,
                e["entity"]["id"] if e["entity"] else None,
                e["note"],
            ]
        )
    for edge in result["undated"]:
        rows.append([None, "undated", edge["status"], edge["kind"], edge["from"]["name"], edge["to"]["name"],
                     fmt.amounts(edge["amounts"]), _sources(edge), edge["id"], None, None])
    write(header, rows, stream)


def diff(result: dict, stream: IO[str] | None = None) -> None:
    header = [
        "change", "when", "kind", "from", "to", "status_before", "status_after", "amount", "evidence", "certain",
        "doubts", "sources", "id", "from_id", "to_id", "amount_values",
    ]
    rows = []
    for section in ("unchanged", "began", "reported", "changed", "ended"):
        for item in result[section]:
            evidence = item["evidence"]
            rows.append(
                [
                    section, item["when"], item["kind"], item["from"]["name"], item["to"]["name"],
                    item["before"]["status"], item["after"]["status"], fmt.amounts(item["amounts"]),
                    f"{evidence['basis']} {evidence['date']}" if evidence else None,
                    "yes" if item["certain"] else "no", "; ".join(item["doubts"]), _sources(item),
                    item["id"], item["from"]["id"], item["to"]["id"], _values(item),
                ]
            )
    for edge in result["undated"]:
        rows.append(["undated", None, edge["kind"], edge["from"]["name"], edge["to"]["name"], None, edge["status"],
                     fmt.amounts(edge["amounts"]), None, None, None, _sources(edge), edge["id"],
                     edge["from"]["id"], edge["to"]["id"], _values(edge)])
    write(header, rows, stream)


def why(result: dict, stream: IO[str] | None = None) -> None:
    header = ["path", "hop", "from", "to", "kinds", "statuses", "amount", "relationship_ids", "from_id", "to_id"]
    rows = []
    for number, path in enumerate(result["paths"], 1):
        for index, hop in enumerate(path["hops"], 1):
            edges = hop["relationships"]
            rows.append(
                [
                    number, index, hop["from"]["name"], hop["to"]["name"],
                    ";".join(e["kind"] for e in edges), ";".join(e["status"] for e in edges),
                    " / ".join(t for t in (fmt.amounts(e["amounts"]) for e in edges) if t),
                    ";".join(e["id"] for e in edges), hop["from"]["id"], hop["to"]["id"],
                ]
            )
    write(header, rows, stream)


def impact(result: dict, stream: IO[str] | None = None) -> None:
    header = ["depth", "entity", "kinds", "through", "statuses", "path", "entity_id", "relationship_ids"]
    rows = (
        [
            e["depth"], e["entity"]["name"], ";".join(e["kinds"]), "; ".join(t["name"] for t in e["through"]),
            ";".join(v["status"] for v in e["via"]), " → ".join(p["name"] for p in e["path"]),
            e["entity"]["id"], ";".join(v["id"] for v in e["via"]),
        ]
        for e in result["exposed"]
    )
    write(header, rows, stream)


def conflicts(result: dict, stream: IO[str] | None = None) -> None:
    from .report import claim_text

    header = ["type", "subject", "key", "claim", "value", "currency", "qualifier", "as_of", "source", "source_date", "quote", "id"]
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
                    item["type"], subject, key, claim_text(claim), claim["value"], claim["currency"], claim["qualifier"],
                    claim["as_of"], claim["source"]["title"], claim["source"]["date"], claim["quote"], ident,
                ]
            )
    write(header, rows, stream)
