"""Plain output of the Rich renderers, without importing Rich.

Importing Rich's console and laying out a profile with it costs more than
everything else `aideps show` does (some 60 ms of a 150 ms run). When the
output has no colours and no styles (stdout is not a terminal), the table
renderers of `aideps.render.table` only need a few things from Rich: text
with spans, word wrapping, two-column grids and left padding. This module
draws those itself, with Rich's own rules (the wrapping of `rich._wrap`, the
column widths of `rich.table` for a grid), and lets `table.profile` and the
like run unchanged on stand-ins for `rich.text.Text`, `rich.table.Table` and
`rich.padding.Padding` (put in `sys.modules` for the call only; the
renderers import those names when they run).

Anything else -- another Rich feature, a character that is not one cell
wide, a width too small for a grid, a terminal -- raises `Unsupported`, and
the caller renders with Rich as before. tests/test_render_lite.py checks
that both give the same text, byte for byte, for every entity of the
bundled and the synthetic files at several widths.
"""

from __future__ import annotations

import os
import re
import sys
import types
from typing import Any, Callable

MIN_GRID_TEXT = 10  # narrower than this for a grid's text column: Rich decides

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


class Unsupported(Exception):
    """Something this module does not draw exactly as Rich: use Rich."""


def _check(text: str) -> str:
    if not isinstance(text, str) or not _ONE_CELL.match(text.replace("\n", "")):
        raise Unsupported(text)
    return text


def divide_line(text: str, width: int) -> list[int]:
    """rich._wrap.divide_line (fold=True) for text of one-cell characters."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start = match.start()
        word = match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for n, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if n == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def wrap(text: str, width: int) -> list[str]:
    """The lines of `text` (which may hold line breaks) wrapped at `width`, as Rich wraps a Text."""
    if width < 1:
        raise Unsupported("width")
    lines: list[str] = []
    for line in text.split("\n"):
        offsets = divide_line(line, width)
        starts = [0, *offsets]
        ends = [*offsets, len(line)]
        lines.extend(line[a:b] for a, b in zip(starts, ends))
    return lines


# ---- stand-ins for the Rich classes the table renderers use --------------------


class Text:
    """rich.text.Text, for plain output: the text and nothing else."""

    def __init__(self, text: str = "", style: Any = "", **options: Any) -> None:
        if options:
            raise Unsupported(options)
        self.plain = _check(text)

    def append(self, text: Any, style: Any = None) -> "Text":
        self.plain += _check(text)
        return self

    def rstrip(self) -> None:
        self.plain = self.plain.rstrip()

    def lines(self, width: int) -> list[str]:
        return wrap(self.plain, width)

    def __len__(self) -> int:
        return len(self.plain)

    def __str__(self) -> str:
        return self.plain


class Padding:
    """rich.padding.Padding with only a left padding, not expanded."""

    def __init__(self, renderable: Any, pad: Any = (0, 0, 0, 0), *, expand: bool = True, **options: Any) -> None:
        if options or expand or not (isinstance(pad, tuple) and len(pad) == 4 and pad[:3] == (0, 0, 0)):
            raise Unsupported(pad)
        self.renderable = renderable
        self.left = pad[3]

    def lines(self, width: int) -> list[str]:
        inner = _lines(self.renderable, width - self.left)
        return [" " * self.left + line for line in inner]


class Table:
    """rich.table.Table.grid(padding=(0, 2), pad_edge=False) of two columns,
    the first no_wrap, the second folding (aideps.render.table._grid)."""

    def __init__(self, *args: Any, **options: Any) -> None:
        raise Unsupported("Table")

    @classmethod
    def grid(cls, *, padding: Any = 0, pad_edge: bool = True, **options: Any) -> "Table":
        if options or padding != (0, 2) or pad_edge:
            raise Unsupported("grid")
        grid = cls.__new__(cls)
        grid.columns = []
        grid.rows = []
        return grid

    def add_column(self, *, overflow: str = "ellipsis", no_wrap: bool = False, **options: Any) -> None:
        if options or overflow != "fold":
            raise Unsupported("column")
        self.columns.append(no_wrap)

    def add_row(self, *cells: Any) -> None:
        if len(cells) != len(self.columns):
            raise Unsupported("row")
        self.rows.append([cell if isinstance(cell, Text) else Text(cell) for cell in cells])

    def lines(self, width: int) -> list[str]:
        if self.columns != [True, False]:
            raise Unsupported("columns")
        if not self.rows:
            return []
        label = max(len(line) for row in self.rows for line in row[0].plain.split("\n"))
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
    if not isinstance(renderable, (Text, Padding, Table)):
        raise Unsupported(type(renderable).__name__)
    return renderable.lines(width)


class Console:
    """What the table renderers print to: lines of plain text."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.out: list[str] = []

    def print(self, *objects: Any, style: Any = None, **options: Any) -> None:
        if options or len(objects) > 1:
            raise Unsupported("print")
        if not objects:
            self.out.append("")
            return
        self.out.extend(_lines(objects[0], self.width))


# ---- using them -------------------------------------------------------------------


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
        # aideps.render.table.console: COLUMNS, when it is a number (Rich's rule), else Rich's default.
        return int(columns) if columns.isdigit() else None
    from .table import PIPE_WIDTH

    return PIPE_WIDTH


def render(draw: Callable[[Any], None], width: int) -> str:
    """What `draw(console)` prints, as aideps.render.table.render returns it
    for plain output. Raises Unsupported when it needs Rich."""
    stand_ins = {
        "rich": types.ModuleType("rich"),
        "rich.text": types.ModuleType("rich.text"),
        "rich.table": types.ModuleType("rich.table"),
        "rich.padding": types.ModuleType("rich.padding"),
    }
    stand_ins["rich.text"].Text = Text  # type: ignore[attr-defined]
    stand_ins["rich.table"].Table = Table  # type: ignore[attr-defined]
    stand_ins["rich.padding"].Padding = Padding  # type: ignore[attr-defined]
    for name, module in stand_ins.items():
        if name != "rich":
            setattr(stand_ins["rich"], name.split(".")[1], module)
    console = Console(width)
    saved = {name: sys.modules.get(name) for name in stand_ins}  # Rich itself, if something loaded it
    sys.modules.update(stand_ins)
    try:
        draw(console)
    except Unsupported:
        raise
    except (AttributeError, TypeError, ImportError) as exc:  # a Rich feature the stand-ins lack
        raise Unsupported(repr(exc)) from None
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return _TRAILING.sub("", "".join(f"{line}\n" for line in console.out))
