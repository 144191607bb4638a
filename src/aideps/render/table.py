"""Tables and profiles for people, drawn with Rich.

Rich is imported inside these functions only: `--json`, `--csv` and `tree`
never pay for it. Columns fold rather than cut, so nothing is lost when the
output is piped at the default 80 columns; the width is the terminal's (or
COLUMNS). Colour goes when stdout is not a terminal, when NO_COLOR is set, or
with --no-color.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from aideps.knowledge import vocab
from aideps.render import fmt, when

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console
    from rich.text import Text

STATUS_STYLE: dict[str, str] = {
    "active": "green",
    "strained": "yellow",
    "announced": "cyan",
    "in_talks": "cyan",
    "proposed": "cyan",
    "developing": "blue",
    "planned": "blue",
    "speculative": "magenta",
    "rejected": "red",
    "ended": "dim",
}

DIRECTION_LABEL = {"out": "→ relies on", "in": "← relied on by"}
# Kinds where "relies on" would read wrong.
DIRECTION_LABELS: dict[str, dict[str, str]] = {
    "in_house": {"out": "→ builds", "in": "← built by"},
    "negotiation": {"out": "→ seeks a deal with", "in": "← sought by"},
    "rivalry": {"out": "↔ rivals", "in": "↔ rivals"},
}


def console(*, no_color: bool = False, stderr: bool = False) -> "Console":
    """A console for data on stdout. Rich itself drops colour when stdout is
    not a terminal and when NO_COLOR is set; `no_color` drops it always."""
    import os
    import sys

    from rich.console import Console

    # Piped and no COLUMNS: give every row one line (grep-able, nothing
    # folded), as wide as it needs. A terminal, or COLUMNS, sets the width.
    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not os.environ.get("COLUMNS") and not (hasattr(stream, "isatty") and stream.isatty()):
        width = PIPE_WIDTH
    return Console(
        stderr=stderr,
        width=width,
        no_color=True if no_color else None,
        highlight=False,
        markup=False,
        emoji=False,
    )


# Wide enough that no table row or summary folds when piped.
PIPE_WIDTH = 1000


_TRAILING = re.compile(r"[ ]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def render(draw: Callable[["Console"], None], *, no_color: bool = False) -> str:
    """What `draw(console)` prints, as a string sized and coloured for stdout,
    without the trailing spaces Rich pads cells with."""
    con = console(no_color=no_color)
    with con.capture() as captured:
        draw(con)
    return _TRAILING.sub(r"\1", captured.get())


def _status(status: str) -> "Text":
    from rich.text import Text

    return Text(vocab.status_label(status), style=STATUS_STYLE.get(status, ""))


def _table(title: str | None = None, caption: str | None = None, expand: bool = False):
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        expand=expand,
        show_edge=False,
        title_justify="left",
        title_style="bold",
        caption=caption,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        header_style="bold",
    )


def _column(table, header: str, **options) -> None:
    options.setdefault("overflow", "fold")
    table.add_column(header, **options)


def _edge_sources(edge: dict) -> list[dict]:
    """Each source the relationship cites, once, in order of citation."""
    seen: dict[str, dict] = {}
    for item in edge["provenance"] + edge["amounts"] + edge["history"]:
        seen.setdefault(item["source"]["id"], item["source"])
    return list(seen.values())


# ---- research / distribution / hardware -----------------------------------


# Short cells keep their width; names and long texts wrap first.
SHORT = {"no_wrap": True}


def _filled(table, columns: list[tuple[str, dict]], rows: list[list]) -> None:
    """Add the columns that have something in some row, then the rows: a
    column of blanks (no amounts anywhere, say) only takes room."""
    keep = [i for i in range(len(columns)) if any(str(row[i]) for row in rows)]
    for i in keep:
        _column(table, columns[i][0], **columns[i][1])
    for row in rows:
        table.add_row(*(row[i] for i in keep))


class _Footnotes:
    """Sources as numbered notes: a narrow column of [1], [2] in the table,
    their titles once, below it."""

    def __init__(self) -> None:
        self.sources: dict[str, dict] = {}

    def cell(self, edge: dict) -> str:
        marks = []
        for source in _edge_sources(edge):
            self.sources.setdefault(source["id"], source)
            marks.append(f"[{list(self.sources).index(source['id']) + 1}]")
        return " ".join(marks)

    def print(self, out: "Console") -> None:
        from rich.text import Text

        if not self.sources:
            return
        out.print()
        for number, source in enumerate(self.sources.values(), 1):
            line = Text(f"[{number}] ", style="dim")
            line.append(fmt.source_label(source))
            line.append(f"  ({source['id']})", style="dim")
            out.print(line)


def partnership(result: dict, out: "Console") -> None:
    kind = result["kind"]
    edges = result["relationships"]
    notes = _Footnotes()
    if edges:
        table = _table(
            f"{kind.capitalize()}: who relies on whom {vocab.KIND_HELP[kind].replace('relies on the other ', '')}"
        )
        columns = [
            ("who", {"style": "bold"}),
            ("relies on", {"style": "bold"}),
            ("status", SHORT),
            ("amount", {"justify": "right", **SHORT}),
            ("since", SHORT),
            ("source", {}),
        ]
        rows = [
            [
                edge["from"]["name"],
                edge["to"]["name"],
                _status(edge["status"]),
                fmt.amounts(edge["amounts"]),
                when.since(edge),
                notes.cell(edge),
            ]
            for edge in edges
        ]
        _filled(table, columns, rows)
        out.print(table)
    else:
        out.print(f"No {kind} relationships match.", style="dim")

    efforts = result.get("in_house")
    if efforts is not None:
        out.print()
    if efforts == []:
        out.print("No in-house chip efforts match.", style="dim")
    elif efforts:
        table = _table("In-house chips: efforts to replace a hardware supplier")
        columns = [
            ("company", {"style": "bold"}),
            ("effort", {"style": "bold"}),
            ("replaces", {}),
            ("status", SHORT),
            ("amount", {"justify": "right", **SHORT}),
            ("since", SHORT),
            ("source", {}),
        ]
        rows = [
            [
                edge["from"]["name"],
                edge["to"]["name"],
                ", ".join(r["name"] for r in edge["replaces"]) or fmt.MISSING,
                _status(edge["status"]),
                fmt.amounts(edge["amounts"]),
                when.since(edge),
                notes.cell(edge),
            ]
            for edge in efforts
        ]
        _filled(table, columns, rows)
        out.print(table)
    notes.print(out)


# ---- show -------------------------------------------------------------------


def _grid(columns: int):
    """Aligned columns without borders; the last column takes what is left and wraps."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2), pad_edge=False)
    for index in range(columns):
        grid.add_column(overflow="fold", no_wrap=index < columns - 1)
    return grid


def _indented(renderable, indent: int = 2):
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, indent), expand=False)


def _padded(cells: list[tuple[str, str]], widths: list[int], indent: int) -> "Text":
    from rich.text import Text

    line = Text(" " * indent)
    last = len(cells) - 1
    for index, (text, style) in enumerate(cells):
        line.append(text, style=style)
        if index < last:
            line.append(" " * (widths[index] - len(text) + 2))
    line.rstrip()
    return line


def _detail(text: str, indent: int, style: str = "") -> "object":
    from rich.padding import Padding
    from rich.text import Text

    return Padding(Text(text, style=style), (0, 0, 0, indent), expand=False)


def _source(source: dict) -> str:
    """A source in a profile: its title without subtitle, and date
    (`aideps sources` has the full titles)."""
    return fmt.source_label(source, short=True)


def _quoted(quote: str, source: dict) -> str:
    return f"“{quote}” — {_source(source)}"


def profile(result: dict, out: "Console", *, quotes: bool = False) -> None:
    from rich.text import Text

    entity = result["entity"]
    heading = Text(entity["name"], style="bold")
    heading.append(f"  {entity['type']}", style="dim")
    if entity["id"].casefold() != entity["name"].casefold():
        heading.append(f"  ({entity['id']})", style="dim")
    out.print(heading)
    out.print(Text(entity["description"]))
    about: list[tuple[str, str]] = []
    if entity["aliases"]:
        about.append(("also known as", ", ".join(entity["aliases"])))
    if entity["parent"]:
        about.append(("part of", f"{entity['parent']['name']} ({entity['parent']['type']})"))
    if entity["children"]:
        about.append(("includes", ", ".join(f"{c['name']} ({c['type']})" for c in entity["children"])))
    if entity["provenance"] and not quotes:
        named: list[str] = []
        for prov in entity["provenance"]:
            label = _source(prov["source"])
            if label not in named:
                named.append(label)
        about.append(("named in", "; ".join(named)))
    if about:
        grid = _grid(2)
        for label, value in about:
            grid.add_row(Text(f"{label}:", style="dim"), Text(value))
        out.print(grid)
    if quotes:
        for prov in entity["provenance"]:
            out.print(_detail(_quoted(prov["quote"], prov["source"]), 2, "italic"))

    if entity["facts"]:
        out.print()
        title = Text("Facts", style="bold underline")
        cited = {fact["source"]["id"] for fact in entity["facts"]}
        if len(cited) == 1:  # say once who says them all
            title.append(f"  per {_source(entity['facts'][0]['source'])}", style="dim")
        out.print(title)
        grid = _grid(2)
        for fact in entity["facts"]:
            line = Text(fmt.fact_value(fact), style="bold")
            if fact["as_of"]:
                line.append(f" (as of {fact['as_of']})")
            if len(cited) > 1:
                line.append(f"  per {_source(fact['source'])}", style="dim")
            if fact["note"]:
                line.append(f"\n{fact['note']}", style="dim")
            if quotes:
                line.append(f"\n“{fact['quote']}”", style="italic")
            grid.add_row(Text(fmt.fact_key(fact["key"]), style="dim"), line)
        out.print(_indented(grid))

    edges = result["relationships"]
    groups: dict[str, list[dict]] = {}
    for edge in edges:
        groups.setdefault(edge["kind"], []).append(edge)
    for kind, group in groups.items():
        out.print()
        title = Text(vocab.kind_label(kind).capitalize(), style="bold underline")
        title.append(f"  {vocab.KIND_HELP[kind]}", style="dim")
        out.print(title)
        rows = []
        for edge in group:
            direction = DIRECTION_LABELS.get(kind, DIRECTION_LABEL)[edge["direction"]]
            rows.append(
                [
                    (direction, "dim"),
                    (edge["counterpart"]["name"], "bold"),
                    (vocab.status_label(edge["status"]), STATUS_STYLE.get(edge["status"], "")),
                    (fmt.amounts(edge["amounts"]), "bold"),
                    (when.profile_cell(edge), ""),
                ]
            )
        widths = [max(len(row[i][0]) for row in rows) for i in range(5)]
        keep = [i for i, width in enumerate(widths) if width]  # drop columns empty in this group
        for edge, row in zip(group, rows):
            out.print(_padded([row[i] for i in keep], [widths[i] for i in keep], 2))
            _edge_details(edge, out, quotes=quotes)
    if not edges:
        out.print()
        out.print(Text("No relationships recorded.", style="dim"))

    summary = [("relies on", result["relies_on"]), ("relied on by", result["relied_on_by"])]
    if any(items for _, items in summary) or result["rivals"]:
        out.print()
        grid = _grid(2)
        for label, items in summary:
            line = Text()
            for index, item in enumerate(items):
                if index:
                    line.append(" · ")
                line.append(item["entity"]["name"])
                line.append(f" ({', '.join(vocab.kind_label(k) for k in item['kinds'])})", style="dim")
            grid.add_row(Text(f"{label}:", style="bold"), line if items else Text("nothing recorded", style="dim"))
        if result["rivals"]:
            grid.add_row(Text("rivals:", style="bold"), Text(", ".join(r["name"] for r in result["rivals"])))
        out.print(grid)


def _edge_details(edge: dict, out: "Console", *, quotes: bool) -> None:
    indent = 6
    out.print(_detail(edge["summary"], indent))
    if edge["amounts"] and (len(edge["amounts"]) > 1 or quotes or edge["amounts"][0]["note"]):
        # Who says which figure: shown whenever there is more than one.
        for item in edge["amounts"]:
            text = f"{fmt.amount(item)} per {_source(item['source'])}"
            if item["note"]:
                text += f" ({item['note']})"
            if quotes:
                text += f": “{item['quote']}”"
            out.print(_detail(text, indent, "dim" if not quotes else ""))
    if edge["replaces"]:
        out.print(_detail("replaces: " + ", ".join(r["name"] for r in edge["replaces"]), indent, "dim"))
    for term in edge["terms"]:
        out.print(_detail(f"term {term['name']}: {term['summary']}", indent, "dim"))
    if edge["history"]:
        steps = " → ".join(f"{vocab.status_label(h['status'])} {h['date']}" for h in edge["history"])
        out.print(_detail(f"history: {steps}", indent, "dim"))
        if quotes:
            for h in edge["history"]:
                out.print(_detail(_quoted(h["quote"], h["source"]), indent + 2, "italic"))
    if edge["date_note"]:
        out.print(_detail(f"dates: {edge['date_note']}", indent, "dim"))
    for doubt in (edge.get("as_of") or {}).get("doubts", []):
        out.print(_detail(f"? as of {edge['as_of']['date']}: {doubt}", indent, "dim"))
    if quotes:
        for prov in edge["provenance"]:
            out.print(_detail(_quoted(prov["quote"], prov["source"]), indent, "italic"))
    else:
        cited = _edge_sources(edge)
        labels = "; ".join(_source(s) for s in cited)
        out.print(_detail(f"{'source' if len(cited) == 1 else 'sources'}: {labels}", indent, "dim"))


# ---- list, search, sources -------------------------------------------------


def entity_list(result: dict, out: "Console") -> None:
    entities = result["entities"]
    if not entities:
        out.print("No entities match.", style="dim")
        return
    table = _table(caption=f"{fmt.plural(len(entities), 'entity', 'entities')}; `aideps show ID` for one")
    _column(table, "id", style="bold", no_wrap=True)
    _column(table, "name")
    _column(table, "type")
    _column(table, "links", justify="right")
    _column(table, "description", ratio=1, min_width=20)
    for e in entities:
        name = e["name"]
        if e["aliases"]:
            name += f"\n({', '.join(e['aliases'])})"
        table.add_row(e["id"], name, e["type"], str(e["relationships"]), e["description"])
    out.print(table)


def _snippet(text: str, span: list[int], width: int = 160) -> "Text":
    """The text around the match, cut at word boundaries, the match highlighted."""
    from rich.text import Text

    start, end = span
    lo, hi = 0, len(text)
    if len(text) > width:
        lo = max(0, min(start - width // 3, len(text) - width))
        if lo:
            space = text.find(" ", lo, start)
            lo = space + 1 if space != -1 else lo
        hi = min(len(text), lo + width)
        if hi < len(text):
            space = text.rfind(" ", end, hi)
            hi = space if space != -1 else hi
    head = "…" if lo else ""
    snippet = Text(head + text[lo:hi] + ("…" if hi < len(text) else ""))
    offset = len(head) - lo
    snippet.stylize("bold reverse", start + offset, end + offset)
    return snippet


def search(result: dict, out: "Console") -> None:
    matches = result["matches"]
    if not matches:
        out.print(f"Nothing matches '{result['query']}'.", style="dim")
        return
    table = _table(caption=f"{fmt.plural(len(matches), 'match', 'matches')} for '{result['query']}'", expand=True)
    _column(table, "match", style="bold", max_width=28)
    _column(table, "where", max_width=24)
    _column(table, "text", ratio=1, min_width=24)
    for m in matches:
        where = m["field"]
        if m["source"]:
            where += f"\n{fmt.source_label(m['source'], short=True)}"
        label = m["label"] if m["type"] == "relationship" else f"{m['label']}\n({m['id']})"
        table.add_row(label, where, _snippet(m["text"], m["span"]))
    out.print(table)


def sources(result: dict, out: "Console") -> None:
    table = _table(caption="Counts: entities, relationships and facts each source supports")
    _column(table, "id", style="bold", no_wrap=True)
    _column(table, "title", ratio=1, min_width=20)
    _column(table, "date")
    _column(table, "author")
    _column(table, "entities", justify="right")
    _column(table, "rel.", justify="right")
    _column(table, "facts", justify="right")
    for s in result["sources"]:
        counts = s["supports"]
        table.add_row(
            s["id"],
            s["title"],
            s["date"],
            s["author"] or fmt.MISSING,
            str(counts["entities"]),
            str(counts["relationships"]),
            str(counts["facts"]),
        )
    out.print(table)
