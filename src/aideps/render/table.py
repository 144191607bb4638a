"""Profiles and tables for people: show, research / distribution /
hardware, list, search and sources.

Each renderer draws through the layout kit it is handed (aideps.render.kit):
Rich in a terminal, plain text when piped, the same text either way.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

from aideps.knowledge import vocab
from aideps.render import fmt, when
from aideps.render.kit import (
    SHORT,
    STATUS,
    Footnotes,
    Kit,
    Text,
    attributed,
    edge_sources,
    filled,
    status_style,
    status_text,
)

DIRECTION_LABEL = {"out": "→ relies on", "in": "← relied on by"}
# Kinds where "relies on" would read wrong.
DIRECTION_LABELS: dict[str, dict[str, str]] = {
    "in_house": {"out": "→ builds", "in": "← built by"},
    "negotiation": {"out": "→ seeks a deal with", "in": "← sought by"},
    "rivalry": {"out": "↔ rivals", "in": "↔ rivals"},
}


# ---- research / distribution / hardware -----------------------------------


def partnership(result: dict, kit: Kit) -> None:
    kind = result["kind"]
    edges = result["relationships"]  # a list, or a Stream read once here (a whole large file's)
    notes = Footnotes()
    rows = [
        [
            edge["from"]["name"] + fmt.excepting(edge),
            edge["to"]["name"],
            status_text(kit, edge),
            fmt.amounts(edge["amounts"]),
            when.since(edge),
            notes.cell(edge),
        ]
        for edge in edges
    ]
    if rows:
        table = kit.table(
            f"{kind.capitalize()}: who relies on whom {vocab.KIND_HELP[kind].replace('relies on the other ', '')}"
        )
        columns = [
            ("who", {"style": "bold"}),
            ("relies on", {"style": "bold"}),
            ("status", STATUS),
            ("amount", {"justify": "right", **SHORT}),
            ("since", SHORT),
            ("source", {}),
        ]
        _via_column(columns, rows, edges, result["filters"]["entity"])
        filled(table, columns, rows)
        kit.print(table)
    else:
        kit.print(f"No {kind} relationships match.", style="dim")

    efforts = result.get("in_house")  # a list, or a Stream read once here
    if efforts is not None:
        kit.print()
        rows = [
            [
                edge["from"]["name"],
                edge["to"]["name"],
                ", ".join(r["name"] for r in edge["replaces"]) or fmt.MISSING,
                status_text(kit, edge),
                fmt.amounts(edge["amounts"]),
                when.since(edge),
                notes.cell(edge),
            ]
            for edge in efforts
        ]
        if not rows:
            kit.print("No in-house chip efforts match.", style="dim")
        else:
            table = kit.table("In-house chips: efforts to replace a hardware supplier")
            columns = [
                ("company", {"style": "bold"}),
                ("effort", {"style": "bold"}),
                ("replaces", {}),
                ("status", STATUS),
                ("amount", {"justify": "right", **SHORT}),
                ("since", SHORT),
                ("source", {}),
            ]
            _via_column(columns, rows, efforts, result["filters"]["entity"])
            filled(table, columns, rows)
            kit.print(table)
    notes.print(kit)


def _via_column(columns: list, rows: list[list], edges: list[dict], whole: dict | None) -> None:
    """A `via` column after the first two when a relationship comes through a
    part of the entity asked about (aideps.graph.parts): the part is one of
    its ends, so the cell says whose part it is ("via part of Microsoft")."""
    if whole and any(edge.get("via") for edge in edges):
        columns.insert(2, ("via", {"style": "dim"}))
        for row, edge in zip(rows, edges):
            if edge.get("group"):  # inherited from a group the entity is a member of
                row.insert(2, f"member of {edge['via']['name']}")
            else:
                row.insert(2, f"part of {whole['name']}" if edge.get("via") else "")


# ---- show -------------------------------------------------------------------


def _padded(kit: Kit, cells: list[tuple[str, str]], widths: list[int], indent: int) -> Text:
    line = kit.text(" " * indent)
    last = len(cells) - 1
    for index, (text, style) in enumerate(cells):
        line.append(text, style=style)
        if index < last:
            line.append(" " * (widths[index] - len(text) + 2))
    line.rstrip()
    return line


def _detail(kit: Kit, text: str, indent: int, style: str = "") -> Any:
    return kit.indent(kit.text(text, style), indent)


def _source(source: dict) -> str:
    """A source in a profile: its title without subtitle, and date
    (`aideps sources` has the full titles)."""
    return fmt.source_label(source, short=True)


def _quoted(quote: str, source: dict, item: dict | None = None) -> str:
    """A quote, its source, and whose claim it is when not the author's plain word."""
    return f"“{quote}” — {_source(source)}{attributed(item or {})}"


def _role(role: dict, at: bool = True) -> str:
    """'CEO of OpenAI', 'former CEO of Inflection (2022–2024)'."""
    text = f"{'former ' if role['former'] else ''}{role['role']}"
    if at:
        text += f" of {role['of']['name']}"
    dated = fmt.span(role.get("start"), role.get("end"))
    if dated:
        text += f" ({dated})"
    if role.get("attribution"):
        text += f" — {role['attribution']}"
    return text


def _brief_label(kind: str, direction: str) -> str:
    """'relies on for cloud', 'relied on for cloud by', 'builds', 'rivals'."""
    if kind in DIRECTION_LABELS:
        return DIRECTION_LABELS[kind][direction][2:]
    label = vocab.kind_label(kind)
    return f"relies on for {label}" if direction == "out" else f"relied on for {label} by"


def profile_brief(result: dict, kit: Kit) -> None:
    """`show --brief`: one screen. The header (name, type, description, what
    it is part of and its parts on one line), then whom it relies on and who
    relies on it, one line per kind."""
    entity = result["entity"]
    heading = kit.text(entity["name"], "bold")
    heading.append(f"  {entity['type']}", style="dim")
    if entity["id"].casefold() != entity["name"].casefold():
        heading.append(f"  ({entity['id']})", style="dim")
    kit.print(heading)
    if entity.get("description"):
        kit.print(kit.text(entity["description"]))
    family = []
    if entity["parents"]:
        family.append("part of " + ", ".join(p["name"] for p in entity["parents"]))
    if entity["children"]:
        family.append("parts: " + ", ".join(c["name"] for c in entity["children"]))
    if family:
        kit.print(kit.text("; ".join(family), "dim"))
    lines: dict[tuple[str, str], list[str]] = {}
    for direction in ("out", "in"):
        for edge in result["relationships"]:
            if edge["direction"] != direction:
                continue
            name = edge["counterpart"]["name"]
            notes = []
            if edge.get("via"):
                notes.append(fmt.via_words(edge))
            if edge.get("stage") in ("ended", "rejected") or (edge.get("certainty") or "stated") != "stated":
                notes.append(vocab.status_words(edge))
            if notes:
                # One aside per name; in brackets when it holds parentheses of
                # its own ("via Big Tech (all except perhaps Apple)"), never nested.
                aside = "; ".join(notes)
                name += f" [{aside}]" if "(" in aside or ")" in aside else f" ({aside})"
            names = lines.setdefault((direction, edge["kind"]), [])
            if name not in names:
                names.append(name)
    kit.print()
    if not lines:
        kit.print(kit.text("No relationships recorded.", "dim"))
        return
    grid = kit.grid(2)
    for (direction, kind), names in lines.items():
        grid.add_row(kit.text(f"{_brief_label(kind, direction)}:", "bold"), kit.text(fmt.some_names(names)))
    kit.print(grid)


def profile(result: dict, kit: Kit, *, quotes: bool = False, brief: bool = False) -> None:
    if brief:
        profile_brief(result, kit)
        return
    entity = result["entity"]
    heading = kit.text(entity["name"], "bold")
    heading.append(f"  {entity['type']}", style="dim")
    if entity["id"].casefold() != entity["name"].casefold():
        heading.append(f"  ({entity['id']})", style="dim")
    kit.print(heading)
    if entity.get("description"):
        kit.print(kit.text(entity["description"]))
    about: list[tuple[str, str]] = []
    if entity["aliases"]:
        about.append(("also known as", ", ".join(entity["aliases"])))
    if entity["parents"]:
        about.append(("part of", ", ".join(f"{p['name']} ({p['type']})" for p in entity["parents"])))
    if entity["children"]:
        about.append(("includes", ", ".join(f"{c['name']} ({c['type']})" for c in entity["children"])))
    if entity.get("members"):
        about.append(("members", ", ".join(
            m["entity"]["name"] + (f" ({m['attribution']})" if m.get("attribution") else "") for m in entity["members"]
        )))
    if entity.get("member_of"):
        about.append(("member of", ", ".join(g["name"] for g in entity["member_of"])))
    if entity.get("roles"):
        about.append(("roles", "; ".join(_role(r) for r in entity["roles"])))
    if entity.get("people"):
        about.append(("people", "; ".join(f"{r['person']['name']}, {_role(r, at=False)}" for r in entity["people"])))
    if entity["provenance"] and not quotes:
        named: list[str] = []
        for prov in entity["provenance"]:
            label = _source(prov["source"])
            if label not in named:
                named.append(label)
        about.append(("named in", "; ".join(named)))
    if entity.get("overridden_by"):  # layered files (--data A --data B)
        about.append(("layered", f"overridden by {entity['overridden_by']} (replaces {entity.get('overrides')})"))
    if about:
        grid = kit.grid(2)
        for label, value in about:
            grid.add_row(kit.text(f"{label}:", "dim"), kit.text(value))
        kit.print(grid)
    if quotes:
        for prov in entity["provenance"]:
            kit.print(_detail(kit, _quoted(prov["quote"], prov["source"], prov), 2, "italic"))
    if entity.get("events"):
        kit.print()
        _section_title(kit, "Events", "")
        grid = kit.grid(2)
        for event in entity["events"]:
            line = kit.text(event["kind"], "bold")
            if event.get("summary"):
                line.append(f": {event['summary']}")
            if event.get("attribution"):
                line.append(f" — {event['attribution']}", style="dim")
            if quotes:
                line.append(f"\n“{event['quote']}” — {_source(event['source'])}", style="italic")
            grid.add_row(kit.text(event["date"], "dim"), line)
        kit.print(kit.indent(grid))

    if entity["facts"]:
        kit.print()
        cited = {fact["source"]["id"] for fact in entity["facts"]}
        # One source says them all: say it once, beside the title.
        _section_title(kit, "Facts", f"per {_source(entity['facts'][0]['source'])}" if len(cited) == 1 else "")
        grid = kit.grid(2)
        for fact in entity["facts"]:
            line = kit.text(fmt.fact_value(fact), "bold")
            if fact.get("metric") and fact["metric"].replace("_", " ") not in fmt.fact_key(fact["key"]):
                line.append(f" {fact['metric'].replace('_', ' ')}")
            if fmt.figure_note(fact):
                line.append(f" {fmt.figure_note(fact)}")
            if fact.get("attribution"):
                line.append(f" — {fact['attribution']}")
            if len(cited) > 1:
                line.append(f"  per {_source(fact['source'])}", style="dim")
            if fact["note"]:
                line.append(f"\n{fact['note']}", style="dim")
            if quotes:
                line.append(f"\n“{fact['quote']}”", style="italic")
            grid.add_row(kit.text(fmt.fact_key(fact["key"]), "dim"), line)
        for note in entity.get("consistency") or []:
            grid.add_row(
                kit.text("does not add up", "yellow"),
                kit.text(f"{note['summary']} ({', '.join(note['involves'])})", "yellow"),
            )
        kit.print(kit.indent(grid))

    edges = result["relationships"]
    groups: dict[str, list[dict]] = {}
    for edge in edges:
        groups.setdefault(edge["kind"], []).append(edge)
    for kind, group in groups.items():
        kit.print()
        _section_title(kit, vocab.kind_label(kind).capitalize(), vocab.KIND_HELP[kind])
        rows = []
        for edge in group:
            direction = DIRECTION_LABELS.get(kind, DIRECTION_LABEL)[edge["direction"]]
            rows.append(
                [
                    (direction, "dim"),
                    (edge["counterpart"]["name"], "bold"),
                    (fmt.via_words(edge), "dim"),
                    (vocab.status_words(edge), status_style(edge)),
                    (fmt.amounts(edge["amounts"]), "bold"),
                    (when.profile_cell(edge), ""),
                ]
            )
        widths = [max(len(row[i][0]) for row in rows) for i in range(len(rows[0]))]
        keep = [i for i, width in enumerate(widths) if width]  # drop columns empty in this group
        for edge, row in zip(group, rows):
            # Indented as a block: a line too long for the screen folds under itself.
            kit.print(kit.indent(_padded(kit, [row[i] for i in keep], [widths[i] for i in keep], 0), 2))
            _edge_details(edge, kit, quotes=quotes)
    if not edges:
        kit.print()
        only = result.get("kinds") or []
        if only:
            kinds = ", ".join(vocab.kind_label(k) for k in only)
            kit.print(kit.text(f"No {kinds} relationships recorded.", "dim"))
        else:
            kit.print(kit.text("No relationships recorded.", "dim"))

    summary = [("relies on", result["relies_on"]), ("relied on by", result["relied_on_by"])]
    if any(items for _, items in summary) or result["rivals"]:
        kit.print()
        grid = kit.grid(2)
        for label, items in summary:
            line = kit.text()
            for index, item in enumerate(items):
                if index:
                    line.append(" · ")
                line.append(item["entity"]["name"])
                via = "".join(f", via {part['name']}" for part in item.get("via") or [])
                line.append(f" ({', '.join(vocab.kind_label(k) for k in item['kinds'])}{via})", style="dim")
            grid.add_row(kit.text(f"{label}:", "bold"), line if items else kit.text("nothing recorded", "dim"))
        if result["rivals"]:
            grid.add_row(kit.text("rivals:", "bold"), kit.text(", ".join(r["name"] for r in result["rivals"])))
        kit.print(grid)


def _section_title(kit: Kit, title: str, detail: str) -> None:
    """A profile's section title, its words beside it; on a narrow screen the
    words wrap under themselves, never back to the first column."""
    if not detail:
        kit.print(kit.text(title, "bold underline"))
        return
    grid = kit.grid(2)
    grid.add_row(kit.text(title, "bold underline"), kit.text(detail, "dim"))
    kit.print(grid)


def _edge_details(edge: dict, kit: Kit, *, quotes: bool) -> None:
    indent = 6
    printed: set[tuple[str, str]] = set()  # a sentence quoted once per relationship

    def first(item: dict) -> bool:
        key = (item["quote"], item["source"]["id"])
        if key in printed:
            return False
        printed.add(key)
        return True

    kit.print(_detail(kit, edge["summary"], indent))
    if edge["amounts"] and (len(edge["amounts"]) > 1 or quotes or edge["amounts"][0]["note"]):
        # Who says which figure: shown whenever there is more than one.
        for item in edge["amounts"]:
            text = f"{fmt.amount(item)} per {_source(item['source'])}{attributed(item)}"
            if item["note"]:
                text += f" ({item['note']})"
            if quotes and first(item):
                text += f": “{item['quote']}”"
            kit.print(_detail(kit, text, indent, "dim" if not quotes else ""))
    if edge["replaces"]:
        kit.print(_detail(kit, "replaces: " + ", ".join(r["name"] for r in edge["replaces"]), indent, "dim"))
    if edge.get("exceptions"):
        kit.print(_detail(kit, "; ".join(x["words"] for x in edge["exceptions"]), indent, "dim"))
    for term in edge["terms"]:
        state = "" if term.get("state", "in_force") == "in_force" else f" ({vocab.status_label(term['state'])})"
        changes = " → ".join(f"{vocab.status_label(h['state'])} {h['date']}" for h in term.get("history") or [])
        kit.print(_detail(kit, f"term {term['name']}{state}: {term['summary']}" + (f"; {changes}" if changes else ""),
                          indent, "dim"))
    if edge["history"]:
        steps = " → ".join(f"{_change_words(h)} {h['date']}" for h in edge["history"])
        kit.print(_detail(kit, f"history: {steps}", indent, "dim"))
        if quotes:
            for h in edge["history"]:
                if first(h):
                    kit.print(_detail(kit, _quoted(h["quote"], h["source"], h), indent + 2, "italic"))
    if edge["date_note"]:
        kit.print(_detail(kit, f"dates: {edge['date_note']}", indent, "dim"))
    for doubt in (edge.get("as_of") or {}).get("doubts", []):
        kit.print(_detail(kit, f"? as of {edge['as_of']['date']}: {doubt}", indent, "dim"))
    if quotes:
        for prov in edge["provenance"]:
            if first(prov):
                kit.print(_detail(kit, _quoted(prov["quote"], prov["source"], prov), indent, "italic"))
    else:
        cited = edge_sources(edge)
        labels = "; ".join(_source(s) for s in cited)
        kit.print(_detail(kit, f"{'source' if len(cited) == 1 else 'sources'}: {labels}", indent, "dim"))
        said = list(dict.fromkeys(p["attribution"] for p in edge["provenance"] if p.get("attribution")))
        if said:
            kit.print(_detail(kit, "claim: " + "; ".join(said), indent, "dim"))


def _change_words(change: dict) -> str:
    """A history entry's changes: 'active, strained', 'seems'."""
    words = []
    if change.get("stage"):
        words.append(vocab.status_label(change["stage"]))
    if change.get("health"):
        words.append(change["health"] if change["health"] == "strained" else "going well")
    if change.get("certainty"):
        words.append(change["certainty"])
    return ", ".join(words) or "changed"


# ---- list, search, sources -------------------------------------------------


def entity_list(result: dict, kit: Kit, *, long: bool = False) -> None:
    """One line per entity: id, name, type, relationships; `long`: its aliases
    (on the name's line, so that grep finds them there) and description."""
    entities = result["entities"]
    if not entities:
        kit.print("No entities match.", style="dim")
        return
    more = "" if long else "; --long for details"
    table = kit.table(caption=f"{fmt.plural(len(entities), 'entity', 'entities')}; `aideps show ID` for one{more}")
    # Nothing is cut: names and descriptions wrap at words, and the id, a key
    # column, is folded (after its hyphens) only when the screen is too narrow
    # for it on one line. Piped, every row is one line.
    table.add_column("id", style="bold", no_wrap=True, overflow="fold")
    table.add_column("name")
    table.add_column("type", no_wrap=True)
    table.add_column("links", justify="right", no_wrap=True)
    if long:
        table.add_column("description")
    for e in entities:
        name = e["name"]
        if not long:
            table.add_row(e["id"], name, e["type"], str(e["relationships"]))
            continue
        if e["aliases"]:
            name += f" ({', '.join(e['aliases'])})"
        table.add_row(e["id"], name, e["type"], str(e["relationships"]), e["description"])
    kit.print(table)


def _snippet(kit: Kit, text: str, span: list[int], width: int = 160) -> Text:
    """The text around the match, cut at word boundaries, the match highlighted."""
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
    snippet = kit.text(head + text[lo:hi] + ("…" if hi < len(text) else ""))
    offset = len(head) - lo
    snippet.stylize("bold reverse", start + offset, end + offset)
    return snippet


def search(result: dict, kit: Kit) -> None:
    matches = result["matches"]
    if not matches:
        kit.print(f"Nothing matches '{result['query']}'.", style="dim")
        return
    total = result.get("total", len(matches))
    counted = fmt.plural(len(matches), "match", "matches") if total == len(matches) else f"{len(matches)} of {total:,} matches"
    # One record per line when the width allows (piped: always), so grep finds it.
    table = kit.table(caption=f"{counted} for '{result['query']}'")
    table.add_column("match", style="bold")
    table.add_column("where")
    table.add_column("text")
    for m in matches:
        where = m["field"]
        if m["source"]:
            where += f" · {fmt.source_label(m['source'], short=True)}"
        label = m["label"] if m["type"] == "relationship" else f"{m['label']} ({m['id']})"
        table.add_row(label, where, _snippet(kit, m["text"], m["span"]))
    kit.print(table)
    left = total - len(matches)
    if left:
        more = f"{left:,} more {'match' if left == 1 else 'matches'}"
        kit.print(kit.text(f"{more}; use --limit N, or --limit 0 for all.", "dim"))


def sources(result: dict, kit: Kit) -> None:
    table = kit.table(caption="Counts: entities, relationships and facts each source supports")
    table.add_column("id", style="bold", no_wrap=True, overflow="fold")  # a key column: a long id folds
    table.add_column("title", ratio=1, min_width=20)
    table.add_column("date")
    table.add_column("author")
    table.add_column("entities", justify="right")
    table.add_column("rel.", justify="right")
    table.add_column("facts", justify="right")
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
    kit.print(table)
