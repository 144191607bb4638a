"""The plain layout kit: what the text renderers draw, without Rich.

Importing Rich's console and laying out a profile with it costs more than
everything else `aideps show` does (some 60 ms of a 150 ms run). When the
output has no colours and no styles (not a terminal), the renderers only
need a few things of the kit (aideps.render.kit): text, word wrapping,
grids and left padding. `PlainKit` draws those itself, with Rich's own rules
(the wrapping of `rich._wrap`, the column widths of `rich.table` for a
grid), so the text is the one `RichKit` prints without colour.

Anything else -- a bordered table, a character that is not one cell wide, a
width too small for a grid, a terminal -- raises `Unsupported`, and the
caller draws with Rich (aideps.render.text.draw). tests/test_render_lite.py
checks that both give the same text, byte for byte, for every entity of the
bundled and the synthetic files at several widths, and every view.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, Callable

MIN_GRID_TEXT = 10  # narrower than this for a grid's text column: Rich decides
# Piped and no COLUMNS: every row on one line (grep-able, nothing folded),
# as wide as it needs. A terminal, or COLUMNS, sets the width.
PIPE_WIDTH = 1000

# Characters Rich counts as one cell wide (tests/test_render_lite.py checks
# each with rich.cells.cell_len): Latin, Greek and Cyrillic, general
# punctuation (dashes, curly quotes, the ellipsis), currency signs, arrows,
# comparison signs.
_ONE_CELL = re.compile(
    "^[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e\u20a0-\u20bf"
    "\u2190-\u21ff\u2264\u2265\u2500-\u25fc]*$"
)
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING = re.compile(r"[ ]+$", re.MULTILINE)


# A single text longer than this is drawn cut, with an ellipsis and a note:
# nobody reads megabytes in a terminal, and laying them out costs time and
# memory (Rich's wrapping and table measuring). --json and --csv keep it all.
TEXT_CAP = 10_000


def clip(text: str, cap: int = TEXT_CAP) -> str:
    """`text`, or its first `cap` characters, an ellipsis and how much is left out."""
    if len(text) <= cap:
        return text
    return f"{text[:cap]}… [{len(text) - cap:,} more characters: the whole text with --json or --csv]"


def clipped(value: Any, cap: int = TEXT_CAP) -> Any:
    """`value` (a result: dicts, lists, strings) with every string longer than
    `cap` clipped (`clip`); the same object when nothing is. Linear in its size."""
    if isinstance(value, str):
        return clip(value, cap)
    if isinstance(value, dict):
        out = None
        for key, item in value.items():
            new = clipped(item, cap)
            if new is not item:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out
    if isinstance(value, list):
        items = None
        for n, item in enumerate(value):
            new = clipped(item, cap)
            if new is not item:
                if items is None:
                    items = list(value)
                items[n] = new
        return value if items is None else items
    return value


class Unsupported(Exception):
    """Something this module does not draw exactly as Rich: use Rich."""


def _check(text: str) -> str:
    if not isinstance(text, str) or not _ONE_CELL.match(text.replace("\n", "")):
        raise Unsupported(text)
    return text


def divide_line(text: str, width: int) -> list[int]:
    """rich._wrap.divide_line (fold=False: a word is never split) for text of one-cell characters."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start = match.start()
        word = match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if start:
                breaks.append(start)
            offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def wrap(text: str, width: int) -> list[str]:
    """The lines of `text` (which may hold line breaks) wrapped at `width`, as
    Rich wraps a Text with overflow="ellipsis": a word wider than `width`
    keeps a line of its own, cut to `width` and ending in `…`."""
    if width < 1:
        raise Unsupported("width")
    lines: list[str] = []
    for line in text.split("\n"):
        offsets = divide_line(line, width)
        starts = [0, *offsets]
        ends = [*offsets, len(line)]
        for a, b in zip(starts, ends):
            piece = line[a:b]
            if len(piece) > width:  # Text.rstrip_end, then Text.truncate(overflow="ellipsis")
                stripped = piece.rstrip(" ")
                piece = piece[: max(width, len(stripped))]
                if len(piece) > width:
                    piece = piece[: width - 1] + "…"
            lines.append(piece)
    return lines


# ---- the kit ---------------------------------------------------------------------


class Text:
    """Text for plain output: the text and nothing else (styles are dropped)."""

    def __init__(self, text: str = "", style: Any = "") -> None:
        self._parts = [_check(text)]

    # The pieces are joined when the text is read: appending many pieces to
    # one line (diff's groups) stays linear.
    @property
    def plain(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0]

    @plain.setter
    def plain(self, value: str) -> None:
        self._parts = [value]

    def append(self, text: Any, style: Any = None) -> "Text":
        self._parts.append(_check(text))
        return self

    def append_text(self, text: "Text") -> "Text":
        self._parts.append(text.plain)
        return self

    def stylize(self, style: Any, start: int = 0, end: int | None = None) -> None:
        pass

    def rstrip(self) -> None:
        self.plain = self.plain.rstrip()

    def lines(self, width: int) -> list[str]:
        return wrap(self.plain, width)

    def __len__(self) -> int:
        return len(self.plain)

    def __str__(self) -> str:
        return self.plain


class Indented:
    """A renderable shifted right (Rich's Padding with a left pad, not expanded)."""

    def __init__(self, renderable: Any, left: int) -> None:
        self.renderable = renderable
        self.left = left

    def lines(self, width: int) -> list[str]:
        inner = _lines(self.renderable, width - self.left)
        return [" " * self.left + line for line in inner]


class Grid:
    """kit.grid of two columns: rich.table.Table.grid(padding=(0, 2),
    pad_edge=False), the first column no_wrap (at least `label_width`), the
    second folding."""

    def __init__(self, columns: int, label_width: int | None) -> None:
        if columns != 2:
            raise Unsupported("columns")
        self.label_width = label_width or 0
        self.rows: list[list[Text]] = []

    def add_column(self, header: str = "", **options: Any) -> None:
        raise Unsupported("column")

    def add_row(self, *cells: Any) -> None:
        if len(cells) != 2:
            raise Unsupported("row")
        self.rows.append([cell if isinstance(cell, Text) else Text(cell) for cell in cells])

    def lines(self, width: int) -> list[str]:
        if not self.rows:
            return []
        label = max(len(line) for row in self.rows for line in row[0].plain.split("\n"))
        label = max(label, self.label_width)
        text = max(len(line) for row in self.rows for line in row[1].plain.split("\n"))
        # rich.table: the first column keeps its width (no_wrap) plus the two
        # spaces between the columns; the second shrinks to what is left.
        if label + 2 + text > width:
            text = width - label - 2
        if text < MIN_GRID_TEXT:
            raise Unsupported("narrow")
        out = []
        for first, second in self.rows:
            left = first.plain.split("\n")
            right = second.lines(text)
            for n in range(max(len(left), len(right))):
                cell = left[n] if n < len(left) else ""
                more = right[n] if n < len(right) else ""
                out.append(f"{cell:<{label}}  {more}")
        return out


def _lines(renderable: Any, width: int) -> list[str]:
    if isinstance(renderable, str):
        renderable = Text(renderable)
    if not isinstance(renderable, (Text, Indented, Grid)):
        raise Unsupported(type(renderable).__name__)
    return renderable.lines(width)


class PlainKit:
    """The kit (aideps.render.kit.Kit) for plain text: lines `width` wide at most."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.out: list[str] = []

    def text(self, text: str = "", style: str = "") -> Text:
        return Text(text)

    def grid(self, columns: int = 2, *, label_width: int | None = None) -> Grid:
        return Grid(columns, label_width)

    def table(self, title: str | None = None, caption: str | None = None, expand: bool = False) -> Any:
        raise Unsupported("table")

    def indent(self, renderable: Any, indent: int = 2) -> Indented:
        return Indented(renderable, indent)

    def print(self, renderable: Any = None, style: Any = None) -> None:
        if renderable is None:
            self.out.append("")
            return
        self.out.extend(_lines(renderable, self.width))


# ---- using it ---------------------------------------------------------------------


def plain_width(stream: Any = None) -> int | None:
    """The width Rich would use for `stream` (default stdout), when its output
    would be plain text (not a terminal, no forced colours); else None."""
    stream = sys.stdout if stream is None else stream
    env = os.environ
    if env.get("FORCE_COLOR") or env.get("TTY_COMPATIBLE") or env.get("TTY_INTERACTIVE") or env.get("JUPYTER_COLUMNS"):
        return None
    try:
        if stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    columns = env.get("COLUMNS")
    if columns:
        # aideps.render.richkit.console: COLUMNS, when it is a number (Rich's rule), else Rich's default.
        return int(columns) if columns.isdigit() else None
    return PIPE_WIDTH


def render(draw: Callable[[PlainKit], None], width: int) -> str:
    """What `draw(kit)` prints, as aideps.render.richkit.render returns it
    for plain output. Raises Unsupported when it needs Rich."""
    kit = PlainKit(width)
    draw(kit)
    return _TRAILING.sub("", "".join(f"{line}\n" for line in kit.out))
