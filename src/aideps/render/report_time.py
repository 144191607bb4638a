"""People's output of timeline and diff (drawn through the layout kit,
aideps.render.kit), and the small helpers every report shares (kind_word,
pair, heading, stage_label); the other reports are in aideps.render.report.
"""

from __future__ import annotations

import itertools

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Iterable, Iterator

from aideps.knowledge import vocab
from aideps.render import fmt
from aideps.render.kit import SHORT, STATUS, Footnotes, Kit, Text, filled, status_style, status_text


def kind_word(kind: str) -> str:
    return vocab.kind_label(kind)


def pair(edge: dict) -> str:
    return f"{edge['from']['name']} → {edge['to']['name']}"


def heading(kit: Kit, text: str, detail: str = "") -> Text:
    line = kit.text(text, "bold")
    if detail:
        line.append(f"  {detail}", style="dim")
    return line


def stage_label(stage: str) -> str:
    return "no stage" if stage == "none" else vocab.status_label(stage)


# ---- timeline --------------------------------------------------------------------

EVENT_LABEL = {
    "began": "began", "reported": "first reported", "ended": "ended", "event": "event", "status": "became",
    "term": "term",
}


def event_label(event: dict) -> str:
    return EVENT_LABEL.get(event["event"], event["event"])


def _state_words(state: dict | None) -> str:
    """A timeline event's stage, health and certainty: what changed, in the
    words every view uses (vocab.status_words), or only the health or
    certainty when that is all that changed."""
    if not state:
        return ""
    if state.get("stage"):
        return vocab.status_words(state)
    health = {"strained": "strained", "good": "going well"}.get(state.get("health") or "", "")
    certainty = state.get("certainty") if state.get("certainty") not in (None, "stated") else ""
    return ", ".join(w for w in (health, certainty) if w)


def _what(kit: Kit, edge: dict) -> Text:
    """'OpenAI → Oracle  cloud · $10B'."""
    text = kit.text(pair(edge), "bold")
    detail = [kind_word(edge["kind"])]
    figures = fmt.amounts(edge["amounts"])
    if figures:
        detail.append(figures)
    text.append("  " + " · ".join(detail), style="dim")
    return text


def timeline(result: dict, kit: Kit) -> None:
    events, undated = result["events"], result["undated"]
    whose = f" of {result['entity']['name']}" if result["entity"] else ""
    kit.print(
        heading(
            kit,
            f"Timeline{whose}",
            f"{fmt.plural(len(events), 'dated event')}, {fmt.plural(len(undated), 'undated relationship')}",
        )
    )
    notes = Footnotes()
    if events:
        table = kit.table()
        columns = [
            ("date", SHORT),
            ("event", SHORT),
            ("what", {"ratio": 1}),
            ("status", STATUS),
            ("source", SHORT),
        ]
        filled(table, columns, _timeline_rows(kit, events, notes))
        kit.print(table)
    else:
        kit.print("No dated events.", style="dim")
    if undated:
        kit.print()
        kit.print(heading(kit, "Undated", "no start, no history and no dated source: not placed in time"))
        for edge in undated:
            line = kit.text("  ")
            line.append_text(_what(kit, edge))
            line.append("  ")
            line.append_text(status_text(kit, edge))
            kit.print(line)
    notes.print(kit)


def _timeline_rows(kit: Kit, events: Iterable[dict], notes: Footnotes) -> Iterator[list]:
    """The timeline table's rows, made as the table takes them (kit.filled)."""
    for event in events:
        edge = event["relationship"]
        if edge is None:
            mark = notes.mark(event["source"]) if event["source"] else ""
            what = kit.text(event["entity"]["name"], "italic")
            if event.get("note") and event["event"] != "event":
                what.append(f"  {event['note']}", style="dim")
            yield [event["date"], event_label(event), what, event.get("attribution") or "", mark]
            continue
        if event["event"] == "term":
            term = event["term"]
            status = f"{term['name']} {vocab.status_label(term['state'])}"
        elif event["event"] == "ended":
            status = ""
        elif event["event"] == "status":
            status = _state_words(event["state"])
        elif edge.get("stage") and not (event["state"] or {}).get("stage"):
            status = "stage not yet recorded"  # its first stage comes later, in its history
        else:
            status = status_text(kit, {**edge, **(event["state"] or {})})
        said = event.get("attribution") or ""
        if said and said not in vocab.CERTAINTIES:  # a bare hedge is in the status words already
            status = f"{status if isinstance(status, str) else status.plain} — {said}"
        source = (
            notes.mark(event["source"]) if event["event"] in ("status", "term") and event["source"]
            else notes.cell(edge)
        )
        yield [event["date"], event_label(event), _what(kit, edge), status, source]


# ---- diff ------------------------------------------------------------------------

SECTION_TITLE = {
    "unchanged": ("Standing at both dates", "same stage, health and certainty at {a} and {b}, as far as the sources say"),
    "began": ("Began", "its start is after {a}, by {b}"),
    "reported": ("First reported", "no start date; first reported or recorded after {a}: may be older"),
    "changed": ("Changed", "standing at both dates, another stage, health, certainty or term at {b}"),
    "ended": ("Ended", "after {a}, by {b}"),
}
SECTION_ORDER = ("unchanged", "began", "reported", "changed", "ended")


def _item_text(kit: Kit, item: dict, section: str) -> Text:
    """'Amazon → Trainium (developing, 2024-11, replacing NVIDIA)'."""
    text = kit.text(item["to"]["name"])
    extras: list[tuple[str, str]] = []
    side = item["after"] if section != "ended" else item["before"]
    words = vocab.status_words(side) if side.get("stage") or side.get("certainty") not in (None, "stated") else ""
    if section == "changed":
        extras.append((f"{_side_words(item['before'])} → {_side_words(item['after'])}", status_style(item["after"])))
    elif section == "reported" and item["evidence"] and item["evidence"]["basis"] == "history":
        extras.append((f"{words} since {item['evidence']['date']}".strip(), status_style(side)))
    elif words and words != "active":
        extras.append((words, status_style(side)))
    figures = fmt.amounts(item["amounts"])
    if figures:
        extras.append((figures, "bold"))
    if section in ("began", "ended", "changed") and item["when"]:
        extras.append((item["when"], ""))
    if item["replaces"]:
        extras.append(("replacing " + ", ".join(r["name"] for r in item["replaces"]), "dim"))
    if not item["certain"]:
        extras.append(("?", "bold"))
    if extras:
        text.append(" (")
        for index, (words, style) in enumerate(extras):
            if index:
                text.append(", ")
            text.append(words, style=style)
        text.append(")")
    return text


def _grouped_line(kit: Kit, by_from: dict[str, list[Text]]) -> Text:
    """Items of one kind, by who relies: 'Meta → Llama, Meta's own AI chips (developing) · Google → TPUs'."""
    line = kit.text()
    for index, (who, texts) in enumerate(by_from.items()):
        if index:
            line.append(" · ", style="dim")
        line.append(who, style="bold")
        line.append(" → ")
        for j, text in enumerate(texts):
            if j:
                line.append(", ")
            line.append_text(text)
    return line


def _side_words(side: dict) -> str:
    """A relationship at one date of diff: its stage, health, certainty and terms that are not in force."""
    words = vocab.status_words(side)
    terms = [f"{name} {vocab.status_label(state)}" for name, state in (side.get("terms") or {}).items() if state != "in_force"]
    return "; ".join([words, *terms])


def diff(result: dict, kit: Kit) -> None:
    a, b = result["from"]["date"], result["to"]["date"]
    counts = result["counts"]
    title = kit.text(f"From {a} to {b}", "bold")
    title.append(f"  as of {result['from']['through']}, then as of {result['to']['through']}", style="dim")
    kit.print(title)
    after = counts["unchanged"] + counts["changed"] + counts["began"] + counts["reported"]
    kit.print(
        f"{fmt.plural(counts['before'], 'relationship')} stood at {a}; at {b}, {after}: "
        f"{counts['began']} began, {counts['reported']} first reported, {counts['changed']} changed, "
        f"{counts['ended']} ended, {counts['unchanged']} unchanged"
        + (f"; {counts['undated']} undated, not placed in time" if counts["undated"] else "")
        + "."
    )
    grid = kit.grid(2)
    for label, table, name in (("kinds", result["by_kind"], kind_word), ("stages", result["by_stage"], stage_label)):
        line = kit.text()
        for index, (key, counts) in enumerate(table.items()):
            if index:
                line.append(" · ", style="dim")
            line.append(f"{name(key)} ")
            changed = counts["before"] != counts["after"]
            line.append(f"{counts['before']}→{counts['after']}", style="bold" if changed else "")
        grid.add_row(kit.text(f"{label}:", "dim"), line)
    kit.print(grid)
    # Sources in the order they are first cited (sections in order, each in
    # its own order), then by date and title; doubts in each section's order.
    cited: dict[str, tuple[tuple, dict]] = {}
    doubts: list[str] = []
    # The label column fits the widest "  kind (count)" of every section.
    width = max(
        (len(f"  {kind_word(kind)} ({count})") for sec in SECTION_ORDER for kind, count in result[sec].kinds.items()),
        default=0,
    )
    for number, section in enumerate(SECTION_ORDER):
        items = result[section]  # by kind (analysis.diff, grouped): one kind's texts held at a time
        name, detail = SECTION_TITLE[section]
        if not items:
            continue  # the counts above say so
        kit.print()
        title = kit.text(f"{name} ({len(items)})", "bold underline")
        title.append("  " + detail.format(a=a, b=b), style="dim")
        kit.print(title)
        grid = kit.grid(2, label_width=width)
        doubted: list[tuple[int, str]] = []
        for kind, group in itertools.groupby(items, key=lambda item: item["kind"]):
            by_from: dict[str, list[Text]] = {}
            for item in group:
                by_from.setdefault(item["from"]["name"], []).append(_item_text(kit, item, section))
                order = item["order"]
                for k, entry in enumerate(item["provenance"] + item["amounts"] + item["history"]):
                    first = (number, order, k)
                    seen = cited.get(entry["source"]["id"])
                    if seen is None or first < seen[0]:
                        cited[entry["source"]["id"]] = (first, entry["source"])
                if not item["certain"]:
                    doubted.append((order, f"  {pair(item)} ({kind_word(kind)}): {'; '.join(item['doubts'])}"))
            grid.add_row(kit.text(f"  {kind_word(kind)} ({items.kinds[kind]})", "dim"), _grouped_line(kit, by_from))
        kit.print(grid)
        doubts.extend(line for _, line in sorted(doubted, key=lambda d: d[0]))
    if result["undated"]:
        kit.print()
        kit.print(heading(kit, f"Undated ({len(result['undated'])})", "no start, no history, no dated source"))
        for edge in result["undated"]:
            kit.print(f"  {kind_word(edge['kind'])}  {pair(edge)}  {vocab.status_words(edge)}")
    if doubts:
        kit.print()
        kit.print(kit.text("? the dates are coarser than the question:", "dim"))
        for line in doubts:
            kit.print(kit.text(line, "dim"))
    if cited:
        kit.print()
        ordered = [source for _, source in sorted(cited.values(), key=lambda c: c[0])]
        ordered.sort(key=lambda s: (s["date"] or "", s["title"]))
        kit.print(kit.text("Sources: " + "; ".join(fmt.source_label(s) for s in ordered), "dim"))


# ---- why -------------------------------------------------------------------------
