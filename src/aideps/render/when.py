"""Dates of relationships as people read them, with and without --as-of.

Without --as-of a relationship shows its start ("2024", "since 2024",
"2016–2019") as before. Seen as of a date (aideps.analysis.AsOf), each
relationship also carries what placed it then, and that is what shows:
"since 2024" for a start, "by 2023-11" for a status recorded in its history,
"reported 2024-10-30" for the date of the first source that reports it
(evidence that it existed by then, never a start). A trailing " ?" marks a
relationship whose coarse dates leave open whether it stood then; the doubts
are listed in words under the output.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Iterable

from aideps.render import fmt

DOUBT = " ?"


def evidence_text(edge: dict) -> str | None:
    """'2024', 'by 2023-11', 'reported 2024-10-30', or None without --as-of."""
    note = edge.get("as_of")
    if not note or not note.get("evidence"):
        return None
    evidence = note["evidence"]
    if evidence["basis"] == "start":
        return fmt.span(edge["start"], edge["end"])
    if evidence["basis"] == "history":
        return f"by {evidence['date']}"
    return f"reported {evidence['date']}"


def _mark(edge: dict) -> str:
    note = edge.get("as_of")
    return DOUBT if note and not note.get("certain", True) else ""


def since(edge: dict) -> str:
    """The 'since' cell of a table."""
    text = evidence_text(edge)
    if text is None:
        return fmt.span(edge["start"], edge["end"])
    return text + _mark(edge)


def profile_cell(edge: dict) -> str:
    """The date cell of a relationship in `show`."""
    text = evidence_text(edge)
    if text is None:
        when = fmt.span(edge["start"], edge["end"])
        return f"since {when}" if edge["start"] and not edge["end"] else when
    if edge["as_of"]["evidence"]["basis"] == "start" and edge["start"] and not edge["end"]:
        text = f"since {text}"
    return text + _mark(edge)


def tree_mark(edge: dict) -> str:
    """' ?' after a tree edge whose standing at the date is not certain."""
    return _mark(edge)


def doubts(edges: Iterable[dict]) -> list[str]:
    """One line per uncertain relationship: 'From → To (kind): why'."""
    lines: list[str] = []
    seen: set[str] = set()
    for edge in edges:
        note = edge.get("as_of")
        if not note or note.get("certain", True) or edge["id"] in seen:
            continue
        seen.add(edge["id"])
        label = f"{edge['from']['name']} → {edge['to']['name']} ({edge['kind'].replace('_', '-')})"
        lines.append(f"{label}: {'; '.join(note['doubts'])}")
    return lines


def heading(summary: dict) -> str:
    """'As of 2024-06 (through 2024-06-30); not shown: 38 not yet begun or reported, 1 ended, 0 undated.'"""
    left = summary.get("left_out", {})
    parts = []
    if left.get("not_yet"):
        parts.append(f"{left['not_yet']} not yet begun or reported")
    if left.get("ended"):
        parts.append(f"{left['ended']} ended")
    if left.get("undated"):
        parts.append(f"{left['undated']} undated")
    tail = f"; not shown: {', '.join(parts)}" if parts else ""
    through = "" if summary["through"] == summary["date"] else f" (through {summary['through']})"
    return f"As of {summary['date']}{through}{tail}."


def collect_edges(result: dict) -> list[dict]:
    """Every relationship object in a show, partnership or tree result."""
    found: list[dict] = []
    found.extend(result.get("relationships") or [])
    found.extend(result.get("in_house") or [])

    def walk(node: dict) -> None:
        found.extend(node.get("via") or [])
        for child in node.get("children") or []:
            walk(child)

    if isinstance(result.get("tree"), dict):
        walk(result["tree"])
    return found


def footer(result: dict) -> list[str]:
    """Lines under an as-of output: what '?' means, for each marked relationship."""
    lines = doubts(collect_edges(result))
    if not lines:
        return []
    return ["? not certain at this date, because the dates are coarser than the question:"] + [
        f"  {line}" for line in lines
    ]
