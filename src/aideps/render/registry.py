"""Which function writes which view in which format.

`FORMATS[view][fmt]` is a writer: `writer(result, out, options)` returns the
text for `out` (an iterable of pieces, which aideps.render.emit writes), or
writes it there itself as it is made (CSV: the csv module pushes its rows).
A new format is one module with its functions, and one entry per view here.

A writer imports its renderer module when it first writes, not before: a
piped `aideps show` imports the profile's renderer and the plain kit, not
the reports, the CSV writers or Rich.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import IO, Any, Callable, Iterable, Iterator

    from aideps.render import Options

    Writer = Callable[[dict, IO[str], Options], Iterable[str]]


def function(module: str, name: str) -> Callable[..., Any]:
    """aideps.render.<module>.<name>."""
    return getattr(importlib.import_module(f"aideps.render.{module}"), name)


def json(result: dict, out: IO[str], options: "Options") -> Iterable[str]:
    from aideps.render import jsonout

    return jsonout.chunks(result)  # a large document is written as it is encoded


PIECE = 1 << 16  # CSV goes out in pieces of about this many characters


class _Pieces:
    """A stream that hands what is written to it on to `put` in pieces of
    about PIECE characters (the csv module writes a row at a time)."""

    def __init__(self, put: "Callable[[str], None]") -> None:
        self.put = put
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= PIECE:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.parts:
            text = "".join(self.parts)
            self.parts, self.size = [], 0
            self.put(text)


def csv(name: str) -> Writer:
    """The CSV of aideps.render.csvout.<name>, written to `out` in pieces as its
    rows are made (a whole file's hardware rows are not held as one text)."""

    def pieces(result: dict, out: IO[str], options: "Options") -> Iterable[str]:
        from aideps.render import write

        stream = _Pieces(lambda text: write(out, text))
        function("csvout", name)(result, stream, raw=options.csv_raw)
        stream.flush()
        return ()

    return pieces


def drawn(module: str, name: str, *, quotes: bool = False, takes: tuple[str, ...] = ()) -> Writer:
    """The text of a renderer that draws through a kit (aideps.render.table,
    aideps.render.report); `quotes`: it takes the quotes of the options;
    `takes`: the other options it takes (brief, long)."""

    def pieces(result: dict, out: IO[str], options: "Options") -> Iterable[str]:
        from aideps.render import text

        extra: dict[str, Any] = {"quotes": options.quotes} if quotes else {}
        extra.update((option, getattr(options, option)) for option in takes)
        renderer = function(module, name)
        framed = text.framed(renderer, result, longest=options.longest, **extra)
        return text.draw(framed, out, no_color=options.no_color)

    return pieces


def lines(module: str, name: str, *, guides: bool = False) -> Writer:
    """The text of a renderer of plain lines (aideps.render.tree, why);
    `guides`: it draws box-drawing guides, in ASCII when `out` cannot say them."""

    def pieces(result: dict, out: IO[str], options: "Options") -> Iterable[str]:
        from aideps.render import text

        extra = {"ascii": not text.encodable(text.BOX_DRAWING, out)} if guides else {}
        body = function(module, name)(result, **extra)
        return _blocks(text.framed_lines(body, result, out))

    return pieces


def _blocks(lines: Iterable[str], size: int = 2000) -> Iterator[str]:
    """Lines, each with its line break, in pieces of `size` lines: written
    as they are made (a hub's tree, built as it is read)."""
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(block) >= size:
            yield "".join(f"{line}\n" for line in block)
            block = []
    if block:
        yield "".join(f"{line}\n" for line in block)


FORMATS: dict[str, dict[str, Writer]] = {
    "profile": {"text": drawn("table", "profile", quotes=True, takes=("brief",)), "json": json, "csv": csv("profile")},
    "partnership": {"text": drawn("table", "partnership"), "json": json, "csv": csv("partnership")},
    "tree": {"text": lines("tree", "lines", guides=True), "json": json, "csv": csv("tree")},
    "entity_list": {"text": drawn("table", "entity_list", takes=("long",)), "json": json, "csv": csv("entity_list")},
    "search": {"text": drawn("table", "search"), "json": json, "csv": csv("search")},
    "sources": {"text": drawn("table", "sources"), "json": json, "csv": csv("sources")},
    "timeline": {"text": drawn("report_time", "timeline"), "json": json, "csv": csv("timeline")},
    "diff": {"text": drawn("report_time", "diff"), "json": json, "csv": csv("diff")},
    "why": {"text": lines("report", "why_lines"), "json": json, "csv": csv("why")},
    "impact": {"text": drawn("report", "impact"), "json": json, "csv": csv("impact")},
    "stats": {"text": drawn("report", "stats"), "json": json},
    "conflicts": {"text": drawn("report", "conflicts"), "json": json, "csv": csv("conflicts")},
}
