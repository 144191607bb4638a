"""People's output of impact, stats and conflicts (drawn through the layout
kit, aideps.render.kit), and of why (plain lines, like tree); timeline and
diff are in aideps.render.report_time.

The same conventions as render/table.py: columns fold rather than cut, one
row per line when piped, colour by status, money as people read it ($13B),
sources as numbered notes.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Iterable, Iterator

from aideps.knowledge import vocab
from aideps.render import fmt
from aideps.render.kit import SHORT, STATUS, Kit, filled, status_style, status_text
from aideps.render.report_time import diff, timeline  # noqa: F401  (report.diff, report.timeline)
from aideps.render.report_time import heading as _heading
from aideps.render.report_time import kind_word as _kind
from aideps.render.report_time import pair as _pair
from aideps.render.report_time import stage_label as _stage_label


def _hop_label(hop: dict) -> str:
    parts = []
    for edge in hop["relationships"]:
        words = [_kind(edge["kind"]), vocab.status_words(edge)]
        figures = fmt.amounts(edge["amounts"])
        if figures:
            words.append(figures)
        if edge.get("via"):
            words.append(fmt.via_words(edge))
        parts.append(" · ".join(words))
    return "; ".join(parts)


def why_lines(result: dict) -> Iterator[str]:
    """Plain lines: each path, then each hop with its kinds and statuses."""
    a, b = result["from"]["name"], result["to"]["name"]
    paths = result["paths"]
    stopped = result.get("stopped")
    if stopped:
        yield (
            f"stopped after {fmt.plural(stopped['paths'], 'path')}: {stopped['note']}; "
            "narrow with --kind / --depth"
        )
    if not paths and stopped:
        return
    if not paths:
        kinds = result["kinds"]
        only = "" if set(kinds) == set(vocab.DEPENDENCY_KINDS) else " for " + " or ".join(vocab.kind_label(k) for k in kinds)
        yield f"{a} does not rely on {b}{only} through dependencies of up to {fmt.plural(result['depth'], 'hop')}."
        if result["shortest_beyond_depth"]:
            yield f"A longer path exists ({result['shortest_beyond_depth']} hops): try --depth {result['shortest_beyond_depth']}."
        for exception in result.get("exceptions") or []:
            yield (
                f"{exception['group']['name']} relies on {exception['relationship']['to']['name']} "
                f"({_kind(exception['relationship']['kind'])}), {exception['words']}."
            )
        if result["reverse_exists"]:
            yield f"{b} relies on {a}, though: try 'aideps why {result['to']['id']} {result['from']['id']}'."
        return
    more = "" if result["complete"] or stopped else f" (the first {len(paths)}; raise --limit for more)"
    yield f"{a} relies on {b} through {fmt.plural(len(paths), 'path')} of up to {fmt.plural(result['depth'], 'hop')}, shortest first{more}"
    width = len(str(len(paths)))
    for number, path in enumerate(paths, 1):
        yield ""
        names = " → ".join(e["name"] for e in path["entities"])
        part = f"  ({path['ends_at_part']['name']} is part of {b})" if path["ends_at_part"] else ""
        yield f"{number:>{width}}. {names}{part}"
        pad = " " * (width + 2)
        hop_width = max(len(f"{h['from']['name']} → {h['to']['name']}") for h in path["hops"])
        for hop in path["hops"]:
            pair = f"{hop['from']['name']} → {hop['to']['name']}"
            yield f"{pad}{pair:<{hop_width}}  {_hop_label(hop)}"


# ---- impact ----------------------------------------------------------------------

_DEPTH_WORDS = {1: "directly", 2: "through one other", 3: "through two others"}


def _depth_words(depth: int) -> str:
    return _DEPTH_WORDS.get(depth, f"through {depth - 1} others")


def impact(result: dict, kit: Kit) -> None:
    target = result["target"]["name"]
    total, direct = result["total"], result["direct"]
    title = kit.text(f"If {target} stumbles: ", "bold")
    if total:
        title.append(
            f"{fmt.plural(total, 'entity', 'entities')} rely on it, {direct} directly and {total - direct} through others",
            style="bold",
        )
    else:
        title.append("nothing relies on it", style="bold")
    kit.print(title)
    notes = []
    part_ids = {p["id"] for p in result["parts"]}
    used = list(
        dict.fromkeys(e["to"]["name"] for x in result["exposed"] if x["depth"] == 1 for e in x["via"] if e["to"]["id"] in part_ids)
    )
    if used:
        notes.append("counting what relies on its parts: " + ", ".join(used))
    notes.append("stages: " + _filter_words(result["filters"]))
    if result["depth"] is not None:
        notes.append(f"up to {result['depth']} hops" + (" (more beyond)" if result["truncated"] else ""))
    kit.print(kit.text("; ".join(notes), "dim"))
    by_entity = {(e["entity"]["id"], e["depth"]): e for e in result["exposed"]}

    def odd(ref: dict, group: dict) -> dict:
        """The relationship's status words, other than "active", of one entity of a group."""
        via = [e for e in by_entity[(ref["id"], group["depth"])]["via"] if e["kind"] == group["kind"]]
        return {vocab.status_words(e): e for e in via if vocab.status_words(e) != "active"}

    # A status every entity of a group shares (a catalogue's "no stage given")
    # is said once, beside the group's count, not after each name.
    shared: dict[int, dict] = {}
    labels: dict[int, str] = {}
    for n, group in enumerate(result["groups"]):
        each = [odd(ref, group) for ref in group["entities"]]
        if len(each) > 1 and each[0] and all(list(o) == list(each[0]) for o in each):
            shared[n] = each[0]
            labels[n] = f"  {_kind(group['kind'])} ({group['count']}, all {', '.join(each[0])})"
        else:
            labels[n] = f"  {_kind(group['kind'])} ({group['count']})"
    width = max((len(label) for label in labels.values()), default=0)
    for depth in sorted({g["depth"] for g in result["groups"]}):
        kit.print()
        count = result["by_depth"][str(depth)]
        kit.print(kit.text(f"Depth {depth}: {_depth_words(depth)} ({count})", "bold underline"))
        grid = kit.grid(2, label_width=width)
        for n, group in enumerate(result["groups"]):
            if group["depth"] != depth:
                continue
            line = kit.text()
            for index, ref in enumerate(group["entities"]):
                if index:
                    line.append(" · ", style="dim")
                exposed = by_entity[(ref["id"], depth)]
                line.append(ref["name"], style="bold")
                via = [e for e in exposed["via"] if e["kind"] == group["kind"]]
                targets = list(dict.fromkeys(e["to"]["name"] for e in via))
                if depth > 1 or any(e["to"]["id"] != result["target"]["id"] for e in via):
                    chain = [p["name"] for p in exposed["path"][1:-1]] if depth > 2 else []
                    line.append(" via " + ", ".join(targets), style="")
                    if chain[1:]:
                        line.append(" → " + " → ".join(chain[1:]), style="dim")
                groups = list(dict.fromkeys(e["via"]["name"] for e in via if e.get("group") and e.get("via")))
                if groups:
                    line.append(" via " + ", ".join(groups), style="dim")
                words_of = {} if n in shared else odd(ref, group)
                if words_of:
                    line.append(" (")
                    for j, (words, e) in enumerate(words_of.items()):
                        if j:
                            line.append(", ")
                        line.append(words, style=status_style(e))
                    line.append(")")
            grid.add_row(kit.text(labels[n], "dim"), line)
        kit.print(grid)
    if result["hedges"]:
        kit.print()
        kit.print(
            kit.text(
                f"Hedging: {fmt.plural(len(result['hedges']), 'in-house effort')} "
                f"{'aims' if len(result['hedges']) == 1 else 'aim'} to replace {target}",
                style="bold underline",
            )
        )
        line = kit.text()
        for index, edge in enumerate(result["hedges"]):
            if index:
                line.append(" · ", style="dim")
            line.append(edge["from"]["name"], style="bold")
            line.append(f" → {edge['to']['name']}")
            if vocab.status_words(edge) != "active":
                line.append(" (")
                line.append(vocab.status_words(edge), style=status_style(edge))
                line.append(")")
        kit.print(kit.indent(line))


def _filter_words(filters: dict) -> str:
    """A query's filter ({"stage", "health", "certainty"}) in words."""
    stages = set(filters.get("stage") or [])
    standing = {s for s in vocab.STAGES if s not in ("ended", "rejected")} | {"none"}
    parts = []
    if stages == standing:
        parts.append("all but ended and rejected")
    elif stages:
        parts.append(" or ".join("no stage" if s == "none" else vocab.status_label(s) for s in filters["stage"]))
    for key in ("health", "certainty"):
        if filters.get(key):
            parts.append(f"{key} " + " or ".join(filters[key]))
    return "; ".join(parts) or "any"


# ---- stats -----------------------------------------------------------------------


def stats(result: dict, kit: Kit) -> None:
    counts = result["counts"]
    statuses = result.get("filter_words") or _filter_words(result["filters"])
    kit.print(
        _heading(
            kit,
            "Concentration",
            f"counting the {counts['counted']} of {counts['dependencies']} dependencies that are {statuses} "
            "(in-house efforts and negotiations apart)",
        )
    )
    kit.print()
    table = kit.table("Most relied-on providers, per kind")
    for header, options in (
        ("kind", SHORT),
        ("dependents", {"justify": "right", **SHORT}),
        ("providers", {"justify": "right", **SHORT}),
        ("most relied on", {"ratio": 1}),
    ):
        table.add_column(header, overflow="fold", **options)
    for row in result["providers"]:
        cell = kit.text()
        shared = [top for top in row["top"] if top["count"] > 1]
        for index, top in enumerate(shared):
            if index:
                cell.append(" · ", style="dim")
            cell.append(top["entity"]["name"], style="bold")
            cell.append(f" {top['count']} of {row['dependents']}")
            cell.append(f" ({fmt.some_names([d['name'] for d in top['dependents']])})", style="dim")
            if top.get("via"):  # counting what relies on its parts (aideps.graph.parts)
                cell.append(" via " + fmt.some_names([p["name"] for p in top["via"]]) + " too", style="dim")
        if not shared:
            cell.append("none relied on by more than one", style="dim")
        table.add_row(_kind(row["kind"]), str(row["dependents"]), str(row["providers"]), cell)
    kit.print(table)

    kit.print()
    single = result["single_points"]
    own = result.get("single_points_own", 0)
    if single:
        caption = (
            f"Not counted: {fmt.plural(own, 'sole provider')} that {'is' if own == 1 else 'are'} part of the "
            "same company as its dependent." if own else None
        )
        table = kit.table("Single points of failure: one provider for a kind", caption=caption)
        columns = [
            ("who", {"style": "bold"}),
            ("kind", SHORT),
            ("relies only on", {"style": "bold"}),
            ("status", STATUS),
            ("hedge: building its own", {}),
        ]
        filled(table, columns, _single_rows(kit, single))  # made as the table takes them
        kit.print(table)
    else:
        kit.print("No single points of failure.", style="dim")

    kit.print()
    efforts = result["in_house"]
    if efforts:
        table = kit.table(
            "In-house efforts that aim to replace a supplier",
            caption="others: how many others rely on that supplier (counted as above)",
        )
        columns = [
            ("company", {"style": "bold"}),
            ("effort", {"style": "bold"}),
            ("status", STATUS),
            ("replaces", {}),
            ("still relies on it for", {}),
            ("others", {"justify": "right", **SHORT}),
        ]
        rows = []
        for edge in efforts:
            for index, replaced in enumerate(edge["replacing"]):
                still = ", ".join(
                    f"{_kind(x['kind'])} ({vocab.status_words(x)})" for x in replaced["relied_on_by_builder"]
                )
                rows.append(
                    [
                        edge["from"]["name"] if index == 0 else "",
                        edge["to"]["name"] if index == 0 else "",
                        status_text(kit, edge) if index == 0 else "",
                        replaced["entity"]["name"],
                        still or fmt.MISSING,
                        str(replaced["dependents"]),
                    ]
                )
        filled(table, columns, rows)
        kit.print(table)
    else:
        kit.print("No in-house effort names a supplier it replaces.", style="dim")


def _single_rows(kit: Kit, single: Iterable[dict]) -> Iterator[list]:
    """The rows of stats' single points of failure."""
    for item in single:
        statuses = {vocab.status_words(e): e for e in item["relationships"]}
        hedge = kit.text()
        for index, edge in enumerate(item["hedges"]):
            if index:
                hedge.append("; ")
            hedge.append(edge["to"]["name"])
            hedge.append(f" ({vocab.status_words(edge)})", style=status_style(edge))
        yield [
            item["entity"]["name"],
            _kind(item["kind"]),
            item["provider"]["name"],
            status_text(kit, next(iter(statuses.values()))) if len(statuses) == 1 else ", ".join(statuses),
            hedge if item["hedges"] else "",
        ]


# ---- conflicts --------------------------------------------------------------------


def conflicts(result: dict, kit: Kit, *, quotes: bool = True) -> None:
    items = result["conflicts"]
    whose = f" involving {result['entity']['name']}" if result["entity"] else ""
    notes = result.get("consistency") or []
    if notes:
        kit.print(_heading(kit, f"Figures that do not add up{whose} ({len(notes)})"))
        for note in notes:
            kit.print()
            label = kit.text(note["entity"]["name"], "bold")
            label.append("  consistency note", style="dim")
            kit.print(label)
            kit.print(kit.indent(kit.text(note["summary"])))
            involved = [i["key"].replace("_", " ") if i["type"] == "fact" else (
                f"{_pair(i['relationship'])} ({_kind(i['relationship']['kind'])})" if i.get("relationship") else i["ref"]
            ) for i in note["involves"]]
            kit.print(kit.indent(kit.text("involves: " + "; ".join(involved), "dim")))
        kit.print()
    if not items:
        kit.print(f"No claims{whose} disagree across sources.", style="dim")
        return
    kit.print(_heading(kit, f"Claims that disagree across sources{whose} ({len(items)})"))
    for item in items:
        kit.print()
        if item["relationship"]:
            edge = item["relationship"]
            label = kit.text(_pair(edge), "bold")
            label.append(f"  {_kind(edge['kind'])} · amount", style="dim")
        else:
            label = kit.text(item["entity"]["name"], "bold")
            label.append(f"  {fmt.fact_key(item['key'])}", style="dim")
        kit.print(label)
        grid = kit.grid(2)
        for claim in item["claims"]:
            said = kit.text("  ")
            said.append(fmt.claim_text(claim), style="bold")
            if claim.get("metric"):
                said.append(f" {claim['metric'].replace('_', ' ')}")
            if fmt.figure_note(claim):
                said.append(f" {fmt.figure_note(claim)}")
            where = kit.text(f"per {fmt.source_label(claim['source'], short=True)}")
            if claim.get("attribution"):
                where.append(f" — {claim['attribution']}")
            if quotes:
                where.append(f"\n“{claim['quote']}”", style="italic")
            grid.add_row(said, where)
        kit.print(grid)
