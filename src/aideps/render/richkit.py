"""The layout kit on Rich: colour in a terminal, tables with borders.

Rich is imported here, inside the functions, and nowhere else in
aideps.render: `--json`, `--csv`, `tree` and piped profiles never pay for
it. Lines and columns wrap at word boundaries and never split a word (one
too long for its column ends in `…`); piped, lines are as wide as they need; the width is the terminal's (or COLUMNS). Colour goes when the
output is not a terminal, when NO_COLOR is set, or with `no_color`.
"""

from __future__ import annotations

import functools
import os
import re
from typing import IO, TYPE_CHECKING, Any, Callable

from aideps.render import layout
from aideps.render.lite import PIPE_WIDTH

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console
    from rich.text import Text


def console(out: IO[str] | None = None, *, no_color: bool = False) -> "Console":
    """A console for `out` (default stdout). Rich itself drops colour when
    `out` is not a terminal and when NO_COLOR is set; `no_color` drops it always."""
    import sys

    from rich.console import Console

    stream = sys.stdout if out is None else out
    width = None
    if not os.environ.get("COLUMNS") and not (hasattr(stream, "isatty") and stream.isatty()):
        width = PIPE_WIDTH
    return Console(
        file=out,
        width=width,
        no_color=True if no_color else None,
        highlight=False,
        markup=False,
        emoji=False,
    )


_ESCAPES_AT_END = re.compile(r"(?:\x1b\[[0-9;]*m)*\Z")


def without_trailing_spaces(text: str) -> str:
    """Each line without the spaces Rich pads it with (before any colour
    codes that end it). Line by line, in time linear in the text: a regular
    expression over the whole text backtracked on every run of padding."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.endswith((" ", "m")):
            continue
        tail = _ESCAPES_AT_END.search(line)
        start = tail.start() if tail else len(line)
        lines[index] = line[:start].rstrip(" ") + line[start:]
    return "\n".join(lines)


def _fits(table: Any, console: Any, options: Any) -> bool:
    """Whether Rich draws `table` on the line without cropping it or cutting
    a column below its longest word."""
    if table.__rich_measure__(console, options).minimum > options.max_width:
        return False
    extra = table._extra_width
    widths = table._calculate_column_widths(console, options.update_width(options.max_width - extra))
    return sum(widths) + extra <= options.max_width


def render(draw: Callable[["RichKit"], None], out: IO[str] | None = None, *, no_color: bool = False) -> str:
    """What `draw(kit)` prints, as a string sized and coloured for `out`
    (default stdout), without the trailing spaces Rich pads cells with."""
    con = console(out, no_color=no_color)
    with con.capture() as captured:
        draw(RichKit(con))
    return without_trailing_spaces(captured.get())


class _Table:
    """A Rich table whose columns wrap at word boundaries: a word longer than
    its column ends in `…` (Rich's "fold" would split it). A key column
    (no_wrap, overflow "fold": a long id) stays on one line, unless the table
    does not fit the screen so: then its cells are folded to the room the
    other columns leave (layout.fold_keys, after hyphens). A word too long
    for any column (a URL, in a note) folds too, after its slashes, rather
    than turn every row into a record (layout.fold_long). On a screen too
    narrow for the columns even then, each row is printed as a record: one
    `header  value` line per cell, as wide as the screen."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make  # a new, empty rich.table.Table
        self.table = make()
        self.headers: list[str] = []
        self.options: list[dict[str, Any]] = []
        self.rows: list[tuple] = []

    def add_column(self, header: str = "", **options: Any) -> None:
        options.setdefault("overflow", "ellipsis")
        self.table.add_column(header, **options)
        self.headers.append(header)
        self.options.append(options)

    def add_row(self, *cells: Any) -> None:
        self.table.add_row(*cells)
        self.rows.append(cells)

    def keep_columns(self, keep: list[int]) -> None:
        """Only the columns `keep` (kit.Table.keep_columns): the table made again with them."""
        if keep == list(range(len(self.headers))):
            return
        headers, options, rows = self.headers, self.options, self.rows
        self.table, self.headers, self.options, self.rows = self.make(), [], [], []
        for i in keep:
            self.add_column(headers[i], **options[i])
        for row in rows:
            self.add_row(*(row[i] for i in keep))

    def __rich_console__(self, console: Any, options: Any) -> Any:
        if _fits(self.table, console, options):
            yield self.table
            return
        for fold in (self._folded, functools.partial(self._folded_long, console, options)):
            folded = fold(options.max_width)
            if folded is not None and _fits(folded, console, options):
                yield folded
                return
        yield from self._records(options.max_width)

    def _plain(self) -> list[list[str]]:
        """The rows' cells as plain text."""
        from rich.text import Text

        return [[cell.plain if isinstance(cell, Text) else "" if cell is None else str(cell) for cell in row] for row in self.rows]

    def _folded(self, width: int) -> Any:
        """The table with its key columns folded, or None (none, or no room)."""
        keys = layout.key_columns([(o.get("no_wrap", False), o["overflow"]) for o in self.options])
        if not keys:
            return None
        plain = self._plain()
        folded = layout.fold_keys(self.headers, plain, keys, width)
        return None if folded is None else self._with(plain, folded)

    def _folded_long(self, console: Any, options: Any, width: int) -> Any:
        """The table with its long ids and words folded (layout.fold_long),
        again at the widths its columns are drawn at while those are
        narrower, or None (also when that squeezes a column of prose under
        layout.LONG_WORD). A folded cell keeps its styles: only line breaks
        are put in."""
        columns = [(o.get("no_wrap", False), o["overflow"]) for o in self.options]
        plain = self._plain()

        def drawn(texts: list[list[str]]) -> tuple[Any, list[int]]:
            table = self._with(plain, texts)
            return table, table._calculate_column_widths(console, options.update_width(options.max_width - table._extra_width))

        return layout.folded_table(self.headers, plain, columns, width, drawn)

    def _with(self, plain: list[list[str]], folded: list[list[str]]) -> Any:
        """The table with the rows' texts `plain` folded as `folded`."""
        table = self.make()
        for header, options in zip(self.headers, self.options):
            table.add_column(header, **options)
        for row, was, texts in zip(self.rows, plain, folded):
            table.add_row(*(_broken(cell, before, after) for cell, before, after in zip(row, was, texts)))
        return table

    def _records(self, width: int) -> Any:
        from rich.table import Table
        from rich.text import Text

        if self.table.title:
            yield Text(str(self.table.title), style="bold")
        label = max((len(header) for header in self.headers), default=0)
        for number, row in enumerate(self.rows):
            if number or self.table.title:
                yield Text("")
            # The label is padded here, not by the grid: Rich versions differ
            # in how a column's min_width and padding add up.
            grid = Table.grid(padding=0, pad_edge=False)
            grid.add_column(no_wrap=True, style="dim")
            grid.add_column(overflow="ellipsis")
            for header, cell in zip(self.headers, row):
                text = str(cell.plain if isinstance(cell, Text) else cell) if cell is not None else ""
                if text.strip():
                    # a word longer than the room (a URL) folds, as in a table
                    grid.add_row(header.ljust(label) + "  ", _broken(cell, text, layout.fold_words(text, width - label - 2)))
            yield grid
        if self.table.caption:
            yield Text("")
            yield Text(str(self.table.caption), style="dim")


def _broken(cell: Any, before: str, after: str) -> Any:
    """`cell` (text `before`) as `after`, which is `before` with line breaks
    put in: a Text keeps its styles and options, a string is `after`."""
    from rich.text import Text

    if after == before:
        return cell
    if not isinstance(cell, Text):
        return after
    breaks: list[int] = []  # where `after` puts its line breaks in `before`
    for n, char in enumerate(after):
        if char == "\n" and before[n - len(breaks) : n - len(breaks) + 1] != "\n":
            breaks.append(n - len(breaks))
    return cell.blank_copy("\n").join(cell.divide(breaks))


class _LabelGrid:
    """A grid whose first column is at least `width` wide: its labels are
    padded here, not by a column's min_width (Rich versions differ in how
    min_width and padding add up)."""

    def __init__(self, grid: Any, width: int) -> None:
        self.grid = grid
        self.width = width

    def add_column(self, *args: Any, **options: Any) -> None:
        self.grid.add_column(*args, **options)

    def add_row(self, *cells: Any) -> None:
        from rich.text import Text

        if cells:
            first = cells[0]
            if isinstance(first, Text):
                first = first.copy()
                if first.cell_len < self.width:
                    first.pad_right(self.width - first.cell_len)
            elif isinstance(first, str):
                first = first.ljust(self.width)
            cells = (first, *cells[1:])
        self.grid.add_row(*cells)

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield self.grid

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        return self.grid.__rich_measure__(console, options)


class RichKit:
    """The kit (aideps.render.kit.Kit) on a Rich console."""

    def __init__(self, console: "Console") -> None:
        self.console = console

    def text(self, text: str = "", style: str = "") -> "Text":
        from rich.text import Text

        return Text(text, style=style)

    def grid(self, columns: int = 2, *, label_width: int | None = None) -> Any:
        from rich.table import Table

        grid = Table.grid(padding=(0, 2), pad_edge=False)
        for index in range(columns):
            if index == 0 and label_width is not None:
                grid.add_column(no_wrap=True)
            else:
                grid.add_column(overflow="ellipsis", no_wrap=index < columns - 1)
        return grid if label_width is None else _LabelGrid(grid, label_width)

    def table(self, title: str | None = None, caption: str | None = None, expand: bool = False) -> _Table:
        from rich import box
        from rich.table import Table

        return _Table(
            lambda: Table(
                title=title,
                expand=expand,
                show_edge=False,
                title_justify="left",
                title_style="bold",
                caption=caption,
                caption_justify="left",
                box=box.SIMPLE_HEAD,
                pad_edge=False,
                header_style="bold",
            )
        )

    def indent(self, renderable: Any, indent: int = 2) -> Any:
        from rich.padding import Padding

        return Padding(renderable, (0, 0, 0, indent), expand=False)

    def print(self, renderable: Any = None, style: str | None = None) -> None:
        # Lines wrap at word boundaries; a word wider than the line ends in
        # `…` rather than being split (the console's default is to fold it).
        if renderable is None:
            self.console.print()
        elif style is None:
            self.console.print(renderable, overflow="ellipsis")
        else:
            self.console.print(renderable, style=style, overflow="ellipsis")
