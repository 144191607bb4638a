"""The layout kit the text renderers draw through, and what they share.

A renderer (aideps.render.table, aideps.render.report) never imports Rich:
it is handed a `Kit` and builds its output with it -- styled text, grids,
tables, indented blocks, blank lines -- then prints each piece through
`kit.print`. Two kits exist:

- `aideps.render.richkit.RichKit`, on a Rich console: colour in a
  terminal, Rich's tables with their borders;
- `aideps.render.lite.PlainKit`, for plain output (pipes): the same text,
  byte for byte, without importing Rich. What it does not draw exactly as
  Rich (a bordered table, a character two cells wide, a grid too narrow)
  raises `lite.Unsupported`, and the caller draws with Rich, without
  colour (aideps.render.text.draw).

Nothing here imports Rich.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Iterable, Protocol
else:  # the protocols below are what a kit offers, written down; nothing checks them at run time
    Protocol = object

from aideps.knowledge import vocab
from aideps.render import fmt

STATUS_STYLE: dict[str, str] = {
    "active": "green",
    "strained": "yellow",
    "announced": "cyan",
    "in_talks": "cyan",
    "proposed": "cyan",
    "developing": "blue",
    "planned": "blue",
    "speculative": "magenta",
    "rejected": "red",
    "ended": "dim",
}

# Table column options: short cells keep their width; names and long texts wrap first.
SHORT = {"no_wrap": True}
# A status ("active, strained", "no stage given") folds between its words when the line is short.
STATUS: dict = {}


class Text(Protocol):
    """Styled text: rich.text.Text's few methods the renderers use."""

    plain: str

    def append(self, text: str, style: str | None = None) -> Any: ...

    def append_text(self, text: "Text") -> Any: ...

    def stylize(self, style: str, start: int = 0, end: int | None = None) -> None: ...

    def rstrip(self) -> None: ...


class Rows(Protocol):
    """A table or a grid: rows of cells (str or Text)."""

    def add_column(self, header: str = "", **options: Any) -> None: ...

    def add_row(self, *cells: Any) -> None: ...


class Table(Rows, Protocol):
    """A kit's table: rows, and columns that can be left out once filled."""

    def keep_columns(self, keep: list[int]) -> None:
        """Only the columns `keep` (indices, in order), their cells with them."""


class Kit(Protocol):
    def text(self, text: str = "", style: str = "") -> Text:
        """Text in one style; append more, each in its own."""

    def grid(self, columns: int = 2, *, label_width: int | None = None) -> Rows:
        """Aligned columns without borders, two spaces apart. The last column
        takes what is left and folds; the others keep their width, the first
        at least `label_width` (so that grids of several sections line up)."""

    def table(self, title: str | None = None, caption: str | None = None, expand: bool = False) -> Table:
        """A table with a header row (aideps' table style). Add its columns
        with add_column(header, **options): style, justify, no_wrap, ratio,
        min_width, max_width (Rich's column options); they wrap at words. A
        key column (no_wrap=True, overflow="fold": an id) stays on one line
        unless the screen is too narrow for the table so; then it is folded
        after its hyphens. Too narrow even then: one record per row."""

    def indent(self, renderable: Any, indent: int = 2) -> Any:
        """`renderable` (text, a grid) shifted right by `indent` spaces."""

    def print(self, renderable: Any = None, style: str | None = None) -> None:
        """Print text (str or Text), a table, a grid or an indented block; nothing: a blank line."""


def status_style(edge: dict) -> str:
    """The colour of a relationship's stage, health and certainty: a hedged
    claim in magenta, a strained one in yellow, else its stage's."""
    if (edge.get("certainty") or "stated") != "stated":
        return STATUS_STYLE["speculative"]
    if edge.get("health") == "strained":
        return STATUS_STYLE["strained"]
    return STATUS_STYLE.get(edge.get("stage") or "", "")


def status_text(kit: Kit, edge: dict) -> Text:
    """A relationship's stage, health and certainty in words
    (vocab.status_words: "active, strained", "speculation"), in its colour."""
    return kit.text(vocab.status_words(edge), status_style(edge))


def standing_words(edge: dict) -> str:
    """vocab.status_words, but nothing for a plain "active" (what most are)."""
    words = vocab.status_words(edge)
    return "" if words == "active" else words


def attributed(item: dict) -> str:
    """' — per Reuters, reported' after a quote, or '' for the author stating it."""
    words = item.get("attribution")
    return f" — {words}" if words else ""


def filled(table: Table, columns: list[tuple[str, dict]], rows: Iterable[list]) -> None:
    """Add the columns, then the rows, then leave out the columns that are
    blank in every row: a column of blanks (no amounts anywhere, say) only
    takes room. The rows go into the table as they come (a generator's as
    it makes them; a list's are taken, the list emptied as they go), so that
    a whole file's hundreds of thousands are held once, as the table keeps
    them, not also as the renderer made them."""
    for header, options in columns:
        table.add_column(header, **options)
    blank = set(range(len(columns)))
    for n, row in enumerate(rows):
        if blank:
            blank.difference_update([i for i in blank if str(row[i])])
        table.add_row(*row)
        if isinstance(rows, list):
            rows[n] = None  # type: ignore[call-overload]
    if isinstance(rows, list):
        rows.clear()
    if blank:
        table.keep_columns([i for i in range(len(columns)) if i not in blank])


def edge_sources(edge: dict) -> list[dict]:
    """Each source the relationship cites, once, in order of citation."""
    seen: dict[str, dict] = {}
    for item in edge["provenance"] + edge["amounts"] + edge["history"]:
        if item.get("source") is None:
            continue
        seen.setdefault(item["source"]["id"], item["source"])
    return list(seen.values())


class Footnotes:
    """Sources as numbered notes: a narrow column of [1], [2] in the table,
    their titles once, below it."""

    def __init__(self) -> None:
        self.sources: dict[str, dict] = {}
        self._numbers: dict[str, int] = {}  # id -> its number (a list's index() was quadratic)

    def number(self, source: dict) -> int:
        """The number of one source's note (the next one when it is new)."""
        number = self._numbers.get(source["id"])
        if number is None:
            self.sources[source["id"]] = source
            number = self._numbers[source["id"]] = len(self._numbers) + 1
        return number

    def mark(self, source: dict) -> str:
        """The note mark of one source: '[2]'."""
        return f"[{self.number(source)}]"

    def cell(self, edge: dict) -> str:
        """The note marks of every source of a relationship, in number order:
        '[1] [2]' (sources are numbered in the order they are first cited)."""
        return " ".join(f"[{n}]" for n in sorted(self.number(source) for source in edge_sources(edge)))

    def print(self, kit: Kit) -> None:
        if not self.sources:
            return
        kit.print()
        for number, source in enumerate(self.sources.values(), 1):
            line = kit.text(f"[{number}] ", "dim")
            line.append(fmt.source_label(source, with_id=False))
            line.append(f"  ({source['id']})", style="dim")
            kit.print(line)
