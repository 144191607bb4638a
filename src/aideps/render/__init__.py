"""Renderers: each takes a finished result from aideps.graph and writes it.

Only `table` imports Rich, and only inside its functions.

TEMPORARY SHIM (cli branch): `emit` over today's renderers; the render
branch's registry replaces it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, TextIO


@dataclass
class Options:
    no_color: bool = False
    quotes: bool = False


def _encodable(out: Any, text: str) -> bool:
    try:
        text.encode(getattr(out, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _table(view: str, options: Options) -> Callable | None:
    from aideps.render import report, table

    return {
        "profile": functools.partial(table.profile, quotes=options.quotes),
        "partnership": table.partnership,
        "entity_list": table.entity_list,
        "search": table.search,
        "sources": table.sources,
        "timeline": report.timeline,
        "diff": report.diff,
        "impact": report.impact,
        "stats": report.stats,
        "conflicts": report.conflicts,
    }.get(view)


def _csv(view: str) -> Callable | None:
    from aideps.render import csvout, reportcsv

    return {
        "profile": csvout.profile,
        "partnership": csvout.partnership,
        "tree": csvout.tree,
        "entity_list": csvout.entity_list,
        "search": csvout.search,
        "sources": csvout.sources,
        "timeline": reportcsv.timeline,
        "diff": reportcsv.diff,
        "why": reportcsv.why,
        "impact": reportcsv.impact,
        "conflicts": reportcsv.conflicts,
    }.get(view)


FRAMED = {"profile", "partnership", "tree", "why", "impact", "stats"}


def formats(view: str) -> tuple[str, ...]:
    return ("text", "json") + (("csv",) if _csv(view) else ())


def emit(view: str, result: dict, fmt: str, out: TextIO, options: Options = Options()) -> None:
    if fmt == "json":
        from aideps.render import jsonout

        for chunk in jsonout.chunks(result):
            out.write(chunk)
        return
    if fmt == "csv":
        import io

        buffer = io.StringIO()
        _csv(view)(result, buffer)
        out.write(buffer.getvalue())
        return
    from aideps.render import when

    framed = view in FRAMED and result.get("as_of")
    if view in ("tree", "why"):
        from aideps.render import report
        from aideps.render import tree as trees

        lines = trees.lines(result, ascii=not _encodable(out, "├─│└·…")) if view == "tree" else report.why_lines(result)
        text = "".join(f"{line}\n" for line in lines)
        if framed:
            footer = when.footer(result)
            text = when.heading(result["as_of"]) + "\n" + text + "".join(f"{line}\n" for line in [""] * bool(footer) + footer)
        out.write(text)
        return
    draw = _table(view, options)
    if framed:
        inner = draw

        def draw(res: dict, console) -> None:  # noqa: F811
            from rich.text import Text

            console.print(Text(when.heading(res["as_of"]), style="dim"))
            inner(res, console)
            lines = when.footer(res)
            if lines:
                console.print()
                for line in lines:
                    console.print(Text(line, style="dim"))

    from aideps.render import lite

    width = lite.plain_width()
    if width is not None:
        try:
            out.write(lite.render(lambda console: draw(result, console), width))
            return
        except lite.Unsupported:
            pass
    from aideps.render import table as tables

    out.write(tables.render(lambda console: draw(result, console), no_color=options.no_color))
