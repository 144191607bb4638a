"""Text output for people: drawn through a layout kit, or plain lines.

`drawn(renderer)` is the text of a renderer that draws through a kit
(aideps.render.kit): plain text without Rich when the output is not a
terminal (aideps.render.lite), else Rich (aideps.render.richkit), the same
text either way. `lines(render)` is the text of a renderer of plain lines
(tree, why), in ASCII when the output cannot encode box-drawing characters.
Both frame an as-of result (one with a truthy "as_of"): the date and what
it leaves out above, the doubts below.
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import IO, Any, Callable, Iterable, Iterator

from aideps.render import lite, when

# Texts of the data at most TEXT_CAP / SHORT long: an item of a result, a few
# of them put together (a name in a phrase), is none too long to draw whole.
SHORT = 8

# Characters of a tree and of a why path that an ASCII terminal cannot print.
BOX_DRAWING = "├─│└·…"


def draw(draw: Callable[[Any], None], out: IO[str], *, no_color: bool = False) -> "Iterable[str]":
    """What `draw(kit)` prints, for `out`, in pieces: without Rich when `out`
    gets plain text and the plain kit draws it exactly, else with Rich."""
    width = lite.plain_width(out)
    if width is not None:
        try:
            return lite.pieces(draw, width)
        except lite.Unsupported:
            pass
    from aideps.render import richkit

    return [richkit.render(draw, out, no_color=no_color)]


def framed(renderer: Callable[..., None], result: dict, *, longest: int | None = None, **options: Any) -> Callable[[Any], None]:
    """`renderer(result, kit, **options)`, with the as-of date above and its
    doubts below. An enormous text is drawn cut (lite.TEXT_CAP); when every
    text of the data it is drawn from is known to be far shorter (`longest`,
    Store.longest_text), the result's streams (a whole file's items, read as
    they are written) are not walked for one."""

    result = lite.clipped(result, streams=longest is None or longest > lite.TEXT_CAP // SHORT)

    def frame(kit: Any) -> None:
        if result.get("as_of"):
            kit.print(kit.text(when.heading(result["as_of"]), "dim"))
        renderer(result, kit, **options)
        footer = when.footer(result) if result.get("as_of") else []
        if footer:
            kit.print()
            for line in footer:
                kit.print(kit.text(line, "dim"))

    return frame


def framed_lines(body: Iterable[str], result: dict, out: IO[str] | None = None) -> Iterator[str]:
    """Lines, with the as-of date above and its doubts below; on a terminal
    (`out`), each wrapped at word boundaries to its width (`fit`)."""
    width = terminal_width(out) if out is not None else None
    if width is not None:
        yield from fit(framed_lines(body, result), width)
        return
    if not result.get("as_of"):
        yield from body
        return
    yield when.heading(result["as_of"])
    yield from body
    footer = when.footer(result)
    if footer:
        yield ""
        yield from footer


def terminal_width(out: Any) -> int | None:
    """The width of the terminal `out` writes to (COLUMNS when set, as Rich
    reads it); None when `out` is not a terminal: piped lines are never wrapped."""
    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    import shutil

    return shutil.get_terminal_size().columns


# A tree line's guides ("│   ├── "), or a numbered line's number ("12. ").
_GUIDES = re.compile(r"^((?:[│|] {3}| {4})*)(├── |└── |\|-- |`-- )?")
_NUMBER = re.compile(r"^ *\d+\. ")
_CONTINUED = {"├── ": "│   ", "└── ": "    ", "|-- ": "|   ", "`-- ": "    "}


def _hanging(line: str, following: str) -> str:
    """What a continuation of `line` starts with: a tree line's guides carried
    down (and its own guide when `following`, its first child, is deeper); a
    numbered line's indentation after the number; else two spaces more."""
    match = _GUIDES.match(line)
    guides, branch = match.group(1), match.group(2)
    if branch:
        below = guides + _CONTINUED[branch]
        guide = "|   " if branch in ("|-- ", "`-- ") else "│   "
        after = _GUIDES.match(following)
        child = after.group(2) is not None and len(after.group(1)) == len(below)
        return below + (guide if child else "    ")
    number = _NUMBER.match(line)
    if number:
        return " " * len(number.group(0))
    return " " * (len(line) - len(line.lstrip(" ")) + 2)


def fit(lines: Iterable[str], width: int) -> Iterator[str]:
    """`lines` wrapped at word boundaries to `width` columns, each continuation
    indented (`_hanging`); a word longer than a line ends in `…`, never split."""
    listed = list(lines)
    if width < 10:  # no room to wrap into
        yield from listed
        return
    for index, line in enumerate(listed):
        if len(line) <= width:
            yield line
            continue
        following = listed[index + 1] if index + 1 < len(listed) else ""
        hanging = _hanging(line, following)
        if len(hanging) > width // 2:
            hanging = hanging[: width // 2]
        first = True
        rest = line
        while rest:
            lead = "" if first else hanging
            room = width - len(lead)
            if len(rest) <= room:
                yield lead + rest
                break
            start = len(rest) - len(rest.lstrip(" ")) if first else 0
            cut = rest.rfind(" ", start, room + 1)
            # The word that crosses the edge, and whether a line of its own would hold it.
            begin = cut + 1 if cut >= start else start
            end = rest.find(" ", begin)
            end = len(rest) if end < 0 else end
            fits_below = end - begin <= width - len(hanging)
            if cut >= start and (fits_below or cut == room):
                yield lead + rest[:cut].rstrip(" ")
                rest = rest[cut:].lstrip(" ")
            else:  # too long for any line: cut it short here, with …
                yield lead + rest[: room - 1] + "…"
                rest = rest[end:].lstrip(" ")
            first = False


def encodable(text: str, out: IO[str]) -> bool:
    """Whether `out` can write `text` (its encoding; UTF-8 when it has none)."""
    try:
        text.encode(getattr(out, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
