"""Which function writes which view in which format.

`FORMATS[view][fmt]` is a writer: `writer(result, out, options)` returns the
text for `out` (an iterable of pieces, which aideps.render.emit writes).
A new format is one module with its functions, and one entry per view here.
"""

from __future__ import annotations

import io
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable

from aideps.render import csvout, jsonout, report, table, text, tree

if TYPE_CHECKING:  # pragma: no cover
    from aideps.render import Options

Writer = Callable[[dict, IO[str], "Options"], Iterable[str]]


def json(result: dict, out: IO[str], options: "Options") -> Iterable[str]:
    return jsonout.chunks(result)  # a large document is written as it is encoded


def csv(writer: Callable[[dict, IO[str]], None]) -> Writer:
    """The CSV of `writer` (aideps.render.csvout)."""

    def pieces(result: dict, out: IO[str], options: "Options") -> Iterable[str]:
        buffer = io.StringIO()
        writer(result, buffer)
        return [buffer.getvalue()]

    return pieces


def drawn(renderer: Callable[..., None], *, quotes: bool = False) -> Writer:
    """The text of a renderer that draws through a kit (table, report);
    `quotes`: it takes the quotes of the options."""

    def pieces(result: dict, out: IO[str], options: "Options") -> Iterable[str]:
        extra: dict[str, Any] = {"quotes": options.quotes} if quotes else {}
        return [text.draw(text.framed(renderer, result, **extra), out, no_color=options.no_color)]

    return pieces


def tree_text(result: dict, out: IO[str], options: "Options") -> Iterable[str]:
    ascii = not text.encodable(text.BOX_DRAWING, out)
    return ["".join(f"{line}\n" for line in text.framed_lines(tree.lines(result, ascii=ascii), result))]


def why_text(result: dict, out: IO[str], options: "Options") -> Iterable[str]:
    return ["".join(f"{line}\n" for line in text.framed_lines(report.why_lines(result), result))]


FORMATS: dict[str, dict[str, Writer]] = {
    "profile": {"text": drawn(table.profile, quotes=True), "json": json, "csv": csv(csvout.profile)},
    "partnership": {"text": drawn(table.partnership), "json": json, "csv": csv(csvout.partnership)},
    "tree": {"text": tree_text, "json": json, "csv": csv(csvout.tree)},
    "entity_list": {"text": drawn(table.entity_list), "json": json, "csv": csv(csvout.entity_list)},
    "search": {"text": drawn(table.search), "json": json, "csv": csv(csvout.search)},
    "sources": {"text": drawn(table.sources), "json": json, "csv": csv(csvout.sources)},
    "timeline": {"text": drawn(report.timeline), "json": json, "csv": csv(csvout.timeline)},
    "diff": {"text": drawn(report.diff), "json": json, "csv": csv(csvout.diff)},
    "why": {"text": why_text, "json": json, "csv": csv(csvout.why)},
    "impact": {"text": drawn(report.impact), "json": json, "csv": csv(csvout.impact)},
    "stats": {"text": drawn(report.stats), "json": json},
    "conflicts": {"text": drawn(report.conflicts), "json": json, "csv": csv(csvout.conflicts)},
}
