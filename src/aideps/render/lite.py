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

import itertools
import os
import re
import sys

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import IO, Any, Callable, Iterable, Iterator

from aideps.graph.stream import Stream
from aideps.render.layout import (  # noqa: F401 (Rich's layout rules, also read as lite.X)
    FOLD_MIN,
    Unsupported,
    cell_lines,
    collapse,
    extent,
    ratio_reduce,
    divide_line,
    fold_id,
    fold_keys,
    fold_long,
    fold_words,
    folded_table,
    key_columns,
    wrap,
)
from aideps.render.spool import Rows, Spool

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


# A single text longer than this is drawn cut, with an ellipsis and a note:
# nobody reads megabytes in a terminal, and laying them out costs time and
# memory (Rich's wrapping and table measuring). --json and --csv keep it all.
TEXT_CAP = 10_000


def clip(text: str, cap: int = TEXT_CAP) -> str:
    """`text`, or its first `cap` characters, an ellipsis and how much is left out."""
    if len(text) <= cap:
        return text
    return f"{text[:cap]}… [{len(text) - cap:,} more characters: the whole text with --json or --csv]"


def clipped(value: Any, cap: int = TEXT_CAP, *, streams: bool = True) -> Any:
    """`value` (a result: dicts, lists, strings) with every string longer than
    `cap` clipped (`clip`); the same object when nothing is. Linear in its
    size; a short string or a number costs no call (a timeline holds tens of
    thousands of them). A Stream (aideps.graph.stream) becomes one whose items
    are clipped as they are read; without `streams`, it is left as it is
    (its texts known to be short)."""
    kind = type(value)
    if kind is str:
        return value if len(value) <= cap else clip(value, cap)
    if kind is dict:
        pairs, copy = value.items(), dict
    elif kind is list:
        pairs, copy = enumerate(value), list
    elif isinstance(value, Stream):  # a large answer's items, clipped as they are read
        return value.map(lambda item: clipped(item, cap)) if streams else value
    else:
        return value
    out = None
    for key, item in pairs:
        kind = type(item)
        if kind is str:
            if len(item) <= cap:
                continue
            new = clip(item, cap)
        elif kind is dict or kind is list or isinstance(item, Stream):
            new = clipped(item, cap, streams=streams)
            if new is item:
                continue
        else:
            continue
        if out is None:
            out = copy(value)
        out[key] = new
    return value if out is None else out


def _check(text: str) -> str:
    if type(text) is str and text.isascii() and text.replace("\n", "").isprintable():  # most texts, quickly
        return text
    if not isinstance(text, str) or not _ONE_CELL.match(text.replace("\n", "")):
        raise Unsupported(text)
    return text


# ---- the kit ---------------------------------------------------------------------


class Text:
    """Text for plain output: the text and nothing else (styles are dropped)."""

    # A cell's own overflow and no_wrap (as on rich.text.Text): none unless set.
    overflow: Any = None
    no_wrap: Any = None

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
        # (Not shrunk, nothing wraps, however narrow the column: Rich draws
        # the same. An empty column draws as nothing.)
        out = []
        for first, second in self.rows:
            left = first.plain.split("\n")
            right = second.lines(text) if text else [""]
            for n in range(max(len(left), len(right))):
                cell = left[n] if n < len(left) else ""
                more = right[n] if n < len(right) else ""
                out.append(f"{cell:<{label}}  {more}")
        return out


SAME = 24  # a cell's text this short is kept once per table (Table._same)


class Table:
    """kit.table: Rich's table as aideps.render.richkit.RichKit.table makes
    it (box SIMPLE_HEAD, no edge, no edge padding), laid out by Rich's rules
    (rich.table: each column as wide as its widest cell, its header or its
    `min_width`; a table too wide for the line shrinks its widest wrapping
    columns first, then all of them evenly; cells wrap at word boundaries;
    the title and caption wrap at the table's width).

    What it leaves to Rich (`Unsupported`): a column option it does not know,
    `expand`, a word too long for a folding column, a line that cannot wrap
    and ends in spaces (Rich releases differ there), a cell narrower than one
    character, and a screen too narrow for the columns at their narrowest
    (Rich prints each row as a record then: richkit._Table)."""

    _OPTIONS = {"style", "justify", "no_wrap", "overflow", "min_width", "max_width", "ratio"}
    BLOCK = 4096  # rows measured at once (`_extent`)

    def __init__(self, title: str | None, caption: str | None, expand: bool) -> None:
        if expand:
            raise Unsupported("expand")
        self.title = None if title is None else _check(title)
        self.caption = None if caption is None else _check(caption)
        self.columns: list[dict[str, Any]] = []
        # Each row: (its cells' texts, None or each cell's own (no_wrap, overflow)):
        # a table of a whole file's rows keeps them in a temporary file (Rows).
        self.rows = Rows()
        self._extents: dict[int, tuple[int, int]] = {}
        # One string for each short text that many cells hold (a date, a
        # status, a footnote mark): a whole file's table keeps one, not one per row.
        self._same: dict[str, str] = {}

    def add_column(self, header: str = "", **options: Any) -> None:
        if set(options) - self._OPTIONS or options.get("justify", "left") not in ("left", "right"):
            raise Unsupported("column options")
        if options.get("overflow", "ellipsis") not in ("ellipsis", "fold"):
            raise Unsupported("overflow")
        self.columns.append({"header": (_check(header), None, None), **options})

    def add_row(self, *cells: Any) -> None:
        if len(cells) != len(self.columns):
            raise Unsupported("row")
        self._extents.clear()
        if set(map(type, cells)) == {str}:  # plain texts (most rows): checked at once
            _check("".join(cells))
            same = self._same
            self.rows.append((tuple([same.setdefault(c, c) if len(c) <= SAME else c for c in cells]), None))
            return
        texts: list[str] = []
        plain: list[str] = []  # the cells given as strings: checked at once (a Text was when made)
        options: list[tuple[Any, Any]] | None = None
        for n, cell in enumerate(cells):
            if isinstance(cell, Text):
                overflow, no_wrap = cell.overflow, cell.no_wrap
                if overflow not in (None, "ellipsis", "fold"):
                    raise Unsupported("overflow")
                if overflow is not None or no_wrap is not None:
                    options = options or [(None, None)] * len(cells)
                    options[n] = (no_wrap, overflow)
                texts.append(cell.plain)
            elif cell is None:  # Rich draws None as an empty cell
                texts.append("")
            elif isinstance(cell, str):
                plain.append(cell)
                texts.append(cell)
            else:
                _check(cell)  # (refuses it)
        if plain:
            _check("".join(plain))
        same = self._same
        texts = [same.setdefault(t, t) if len(t) <= SAME else t for t in texts]
        self.rows.append((tuple(texts), None if options is None else tuple(options)))

    def keep_columns(self, keep: list[int]) -> None:
        """Only the columns `keep` (kit.Table.keep_columns); each row made again in place."""
        if keep == list(range(len(self.columns))):
            return
        self.columns = [self.columns[i] for i in keep]
        self._extents.clear()
        self.rows.keep_columns(keep)

    @staticmethod
    def _cells(row: tuple) -> list[tuple[str, Any, Any]]:
        """A row's cells as (text, its own no_wrap, its own overflow)."""
        texts, options = row
        if options is None:
            return [(text, None, None) for text in texts]
        return [(text, *option) for text, option in zip(texts, options)]

    # -- rich.table, for these columns ------------------------------------------------

    def _padding(self, n: int) -> int:
        return (0 if n == 0 else 1) + (0 if n == len(self.columns) - 1 else 1)

    def _measure_column(self, n: int, most: int) -> tuple[int, int]:
        """Table._measure_column: the (minimum, maximum) width of column `n`, padding included.

        Rich measures each cell (Measurement.get of its Padding) and takes the
        largest; every step of that is a clamp to `most`, so the largest
        longest word and longest line of the column (`_extent`, found once)
        give the same answer."""
        if most < 1:
            return 0, 0
        column, pad = self.columns[n], self._padding(n)
        if most - pad < 1:
            low = high = most
        else:
            word, line = self._extent(n)
            low, high = min(word + pad, most), min(line + pad, most)
        if column.get("min_width") is not None:
            least = max(0, column["min_width"] + pad)
            if pad < 2 and high < least + 2 - pad:
                # Rich before 14 counts two padding cells even at an edge
                # without padding: the releases differ on this column's width.
                raise Unsupported("min_width at an edge")
            low, high = max(low, least), max(high, least)
        if column.get("max_width") is not None:
            if pad < 2 and high > column["max_width"] + pad:
                raise Unsupported("max_width at an edge")  # as min_width above
            low, high = min(low, column["max_width"] + pad), min(high, column["max_width"] + pad)
        return low, high

    def _extent(self, n: int) -> tuple[int, int]:
        """The longest word and the longest line of column `n`'s cells, header
        included: the largest of each block of rows' (a whole file's column
        is not split into words all at once)."""
        if not self._extents:  # every column's at once: the rows are read once
            found = [extent([column["header"][0]]) for column in self.columns]
            for block in self.rows.chunks():
                for start in range(0, len(block), self.BLOCK):
                    part = block[start : start + self.BLOCK]
                    for k, (word, line) in enumerate(found):
                        more = extent([row[0][k] for row in part])
                        found[k] = (max(word, more[0]), max(line, more[1]))
            self._extents.update(enumerate(found))
        return self._extents[n]

    def _widths(self, most: int) -> list[int]:
        """Table._calculate_column_widths: each column's width, padding included."""
        widths = [high or 1 for _, high in (self._measure_column(n, most) for n in range(len(self.columns)))]
        if sum(widths) > most:
            wraps = [not column.get("no_wrap") for column in self.columns]
            widths = collapse(widths, wraps, most)
            if sum(widths) > most:
                widths = ratio_reduce(sum(widths) - most, [1] * len(widths), widths, widths)
            widths = [self._measure_column(n, width)[1] or 0 for n, width in enumerate(widths)]
        return widths

    def lines(self, width: int) -> "Iterable[str]":
        """richkit._Table: the table when it fits the line; else with its key
        columns folded, when that fits; else with its long ids and words
        folded, when that fits; else each row as a record."""
        if not self.columns:
            raise Unsupported("no columns")
        drawn = self._drawn(width)
        for fold in (self._folded, self._folded_long):
            if drawn is None:
                folded = fold(width)
                drawn = folded._drawn(width) if folded is not None else None
        return drawn if drawn is not None else self._records(width)

    def _drawn(self, width: int) -> "Iterator[str] | None":
        """The table's lines, as they are read, or None when Rich would not
        draw it on a line `width` wide (richkit._fits: the columns at their
        narrowest do not fit, or it would be cropped)."""
        count = len(self.columns)
        extra = count - 1  # one space between columns
        widths = self._widths(width - extra)
        table_width = sum(widths) + extra
        narrowest = sum(self._measure_column(n, sum(widths))[0] for n in range(count)) + extra
        if narrowest > width or table_width > width:
            return None
        out: list[str] = []
        if self.title:  # Rich leaves out an empty title or caption
            out.extend(wrap(self.title, table_width))
        out.extend(self._row([column["header"] for column in self.columns], widths, header=True))
        out.append("─" * table_width)
        last = count - 1
        inners = [width - (n > 0) - (n < last) for n, width in enumerate(widths)]
        if min(inners) < 1:
            raise Unsupported("narrow cell")
        right = [column.get("justify") == "right" for column in self.columns]
        line = "   ".join(f"{{:{'>' if r else '<'}{inner}}}" for r, inner in zip(right, inners)).format

        def body() -> "Iterator[str]":
            # The rows' lines as they are printed (PlainKit.print), not held
            # as one list beside the rows: a whole file's table.
            for row in self.rows:
                texts = row[0]
                if all(map(int.__le__, map(len, texts), inners)) and "\n" not in "".join(texts):
                    # Every cell on one line within its column (most rows): padded, not wrapped (as `_row`).
                    if any(right):
                        texts = [t.rstrip() if r else t for t, r in zip(texts, right)]
                    yield line(*texts)
                else:
                    yield from self._row(self._cells(row), widths)
            if self.caption:
                yield from wrap(self.caption, table_width)

        return itertools.chain(out, body())

    def _folded(self, width: int) -> "Table | None":
        """This table with the cells of its key columns folded (`fold_keys`),
        or None (no key column, or no room for one)."""
        keys = key_columns([(c.get("no_wrap", False), c.get("overflow", "ellipsis")) for c in self.columns])
        if not keys:
            return None
        headers = [column["header"][0] for column in self.columns]
        plain = [list(row[0]) for row in self.rows]
        return self._with(fold_keys(headers, plain, keys, width))

    def _folded_long(self, width: int) -> "Table | None":
        """This table with its long ids and words folded (`fold_long`), again
        at the widths its columns are drawn at while those are narrower (as
        richkit._Table._folded_long), or None (also when that squeezes a
        column of prose under LONG_WORD: `roomy`)."""
        columns = [(c.get("no_wrap", False), c.get("overflow", "ellipsis")) for c in self.columns]
        headers = [column["header"][0] for column in self.columns]
        last = len(self.columns) - 1

        def drawn(texts: list[list[str]]) -> tuple["Table", list[int]]:
            table = self._with(texts)
            return table, table._widths(width - last)

        return folded_table(headers, [list(row[0]) for row in self.rows], columns, width, drawn)

    def _with(self, folded: list[list[str]] | None) -> "Table | None":
        """This table with `folded` for its rows' texts (None: None)."""
        if folded is None:
            return None
        table = Table(self.title, self.caption, False)
        table.columns = self.columns
        for texts, row in zip(folded, self.rows):
            table.rows.append((tuple(texts), row[1]))
        return table

    def _records(self, width: int) -> list[str]:
        """richkit._Table._records: each row as `header  value` lines, the
        values wrapped to what the headers leave of the line."""
        label = max((len(column["header"][0]) for column in self.columns), default=0)
        room = width - label - 2
        out: list[str] = []
        if self.title:
            out.extend(wrap(self.title, width))
        heads = [column["header"][0].ljust(label) + "  " for column in self.columns]
        for number, row in enumerate(self.rows):
            if number or self.title:
                out.append("")
            for head, (text, no_wrap, overflow) in zip(heads, self._cells(row)):
                if not text or text.isspace():
                    continue
                if room < MIN_GRID_TEXT:
                    raise Unsupported("narrow records")
                if len(text) <= room and "\n" not in text:  # one line that fits (most cells)
                    out.append(head + text.rstrip(" "))
                    continue
                lines = [line.rstrip(" ") for line in text.split("\n")]
                if any(len(line) > room for line in lines):
                    text = fold_words(text, room)  # a word longer than the room (a URL) folds, as in a table
                    lines = cell_lines(text, room, "left", overflow or "ellipsis", bool(no_wrap))
                for k, line in enumerate(lines):
                    out.append((head if k == 0 else " " * len(head)) + line)
        if self.caption:
            out.append("")
            out.extend(wrap(self.caption, width))
        return out

    def _row(self, cells: list[tuple[str, Any, Any]], widths: list[int], header: bool = False) -> list[str]:
        last = len(widths) - 1
        if all(len(c[0]) <= w - (n > 0) - (n < last) and "\n" not in c[0] for n, (c, w) in enumerate(zip(cells, widths))):
            # Every cell on one line within its column (most rows): padded, not wrapped.
            parts = []
            for n, ((text, _, _), column, width) in enumerate(zip(cells, self.columns, widths)):
                inner = width - (n > 0) - (n < last)
                if inner < 1:
                    raise Unsupported("narrow cell")
                text = text.rstrip().rjust(inner) if column.get("justify") == "right" else text.ljust(inner)
                parts.append((" " if n else "") + text + (" " if n < last else ""))
            return [" ".join(parts)]
        rendered = []
        for n, ((text, no_wrap, overflow), column, width) in enumerate(zip(cells, self.columns, widths)):
            left, right = (0 if n == 0 else 1), (0 if n == len(widths) - 1 else 1)
            inner = width - left - right
            if inner < 1:
                raise Unsupported("narrow cell")
            lines = cell_lines(
                text,
                inner,
                column.get("justify", "left"),
                overflow or column.get("overflow", "ellipsis"),
                column.get("no_wrap", False) if no_wrap is None else no_wrap,
            )
            rendered.append([" " * left + line + " " * right for line in lines])
        height = max(map(len, rendered))
        for n, lines in enumerate(rendered):
            blank = [" " * widths[n]] * (height - len(lines))
            rendered[n] = blank + lines if header else lines + blank  # a header sits on the rule
        return [" ".join(parts) for parts in zip(*rendered)]


def _lines(renderable: Any, width: int) -> "Iterable[str]":
    if isinstance(renderable, str):
        renderable = Text(renderable)
    if not isinstance(renderable, (Text, Indented, Grid, Table)):
        raise Unsupported(type(renderable).__name__)
    return renderable.lines(width)


class PlainKit:
    """The kit (aideps.render.kit.Kit) for plain text: lines `width` wide at most."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.out = Spool()

    def text(self, text: str = "", style: str = "") -> Text:
        return Text(text)

    def grid(self, columns: int = 2, *, label_width: int | None = None) -> Grid:
        return Grid(columns, label_width)

    def table(self, title: str | None = None, caption: str | None = None, expand: bool = False) -> Table:
        return Table(title, caption, expand)

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
    encoding = getattr(stream, "encoding", None) or "utf-8"
    if not encoding.lower().startswith("utf"):
        return None  # Rich draws tables in ASCII then (its box substitution)
    columns = env.get("COLUMNS")
    if columns:
        # aideps.render.richkit.console: COLUMNS, when it is a number (Rich's rule), else Rich's default.
        return int(columns) if columns.isdigit() else None
    return PIPE_WIDTH


def render(draw: Callable[[PlainKit], None], width: int) -> str:
    """What `draw(kit)` prints, as aideps.render.richkit.render returns it
    for plain output. Raises Unsupported when it needs Rich."""
    return "".join(pieces(draw, width))


def pieces(draw: Callable[[PlainKit], None], width: int) -> "Iterator[str]":
    """`render`'s text in pieces of some thousand lines, each line let go once
    written: a whole file's table is not held twice, as lines and as one
    text. Drawn before this returns: Unsupported is raised here, never once
    the text is being written."""
    kit = PlainKit(width)
    draw(kit)
    return kit.out.pieces()
