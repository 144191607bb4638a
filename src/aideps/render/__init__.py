"""Output of every query command: `emit(view, result, fmt, out, options)`.

A view is what a command shows (profile, partnership, tree, ...), a result
the finished dict of aideps.graph / aideps.analysis, a format one of
`formats(view)` ("text", "json", "csv"). aideps.render.registry says which
function writes which; this module stays light (no Rich, no renderer is
imported until something is emitted), so that the quick path of
`aideps show` and `--json` never pay for Rich.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    import typing


class Options(namedtuple("Options", "no_color quotes csv_raw brief long longest", defaults=(False,) * 5 + (None,))):
    """How a result is written, all False by default: `no_color` (no colour
    even in a terminal; NO_COLOR does the same, through Rich); `quotes`
    (profile: each source's sentence, verbatim); `csv_raw` (CSV: cells
    exactly, not neutralised against formula injection); `brief` (profile:
    one screen, one line per kind); `long` (entity list: aliases and
    descriptions too); `longest` (None by default: unknown): at least the
    length of the longest text of the data the result is drawn from
    (Store.longest_text)."""

    __slots__ = ()


VIEWS: tuple[str, ...] = (
    "profile", "partnership", "tree", "entity_list", "search", "sources",
    "timeline", "diff", "why", "impact", "stats", "conflicts",
)


def formats(view: str) -> tuple[str, ...]:
    """The formats `view` can be written in, e.g. ("text", "json", "csv")."""
    from aideps.render.registry import FORMATS

    if view not in FORMATS:
        raise ValueError(f"unknown view: {view}")
    return tuple(FORMATS[view])


def emit(view: str, result: dict, fmt: str, out: typing.TextIO, options: Options = Options()) -> None:
    """Write `result` as `view` in `fmt` to `out`. Text: Rich with colour in a
    terminal (unless options.no_color or NO_COLOR), plain text otherwise;
    framed by its as-of date when the result has one. Written in pieces (a
    large JSON document as it is encoded); a character `out` cannot encode
    is replaced, never a crash."""
    from aideps.render.registry import FORMATS

    writers = FORMATS.get(view)
    if writers is None:
        raise ValueError(f"unknown view: {view}")
    if fmt not in writers:
        raise ValueError(f"no {fmt} output for {view}; one of: {', '.join(writers)}")
    for piece in writers[fmt](result, out, options):
        write(out, piece)


def write(out: typing.TextIO, text: str) -> None:
    """Write `text` to `out` and flush (where a closed pipe can still be
    caught); what its encoding cannot say is replaced (PYTHONIOENCODING=ascii)."""
    try:
        out.write(text)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "ascii"
        out.write(text.encode(encoding, "replace").decode(encoding))
    out.flush()
