"""The building blocks of the command line's one declaration
(aideps.cli.spec): what an option, an argument and a command are, and the
options several commands share (`--json`, `--data`, `--stage`, `--where`,
...), declared once. Nothing here imports Typer, Rich or the data.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # (typing costs every run ~9 ms of start-up; annotations are strings here)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

from aideps.knowledge import vocab

SORTS = ("date", "amount", "name")
EXPORT_FORMATS = ("dot", "mermaid", "graphml", "json", "csv", "svg", "png", "pdf", "neo4j")


# Named tuples (collections), not dataclasses or typing.NamedTuple: this
# module is on the path of every run, and dataclasses imports inspect (and
# ast, dis, tokenize): some 15 ms; typing some 9 ms.
class Opt(namedtuple(
    "Opt", "dest flags help kind type choices metavar default min envvar negative hidden",
    defaults=("value", "text", (), None, None, None, None, None, False),
)):
    """An option. `dest` (str): the keyword it is passed as; `flags`
    (tuple[str, ...]); `help`. `kind`: "flag" (a switch), "value" (one value)
    or "multi" (repeatable, a list). `type`: how a value is read and checked:
    "text", "int", "path", "dir", "date", "name" (an entity: completed from the
    data) or "choice" (one of `choices`). `metavar`, `default`, `min` (an
    int's least), `envvar`; `negative`: "--no-labels" for a
    --labels/--no-labels pair; `hidden`: accepted, but left out of help (a
    compatibility alias)."""

    __slots__ = ()

    @property
    def takes_value(self) -> bool:
        return self.kind != "flag"

    def with_help(self, help: str, **changes: Any) -> "Opt":
        return self._replace(help=help, **changes)


class Arg(namedtuple("Arg", "dest metavar help type required variadic", defaults=("text", True, False))):
    """A positional argument: `dest`, `metavar`, `help`, `type` (as Opt's),
    `required`; `variadic`: one or more words."""

    __slots__ = ()


class Command(namedtuple("Command", "name run summary details args options examples fixed", defaults=("", (), (), (), {}))):
    """A command: `name`; `run`, the function in aideps.cli.run that answers it
    (migrate, export, import: from aideps.cli.run_export); `summary`,
    `details`; `args` (Arg, ...), `options` (Opt, ...), `examples`; `fixed`
    (never changed: shared by all): keyword arguments always passed to run
    (research: kind=...)."""

    __slots__ = ()

    @property
    def help(self) -> str:
        text = self.summary + (f"\n\n{self.details}" if self.details else "")
        if self.examples:
            text += "\n\nExamples:\n\n" + "\n\n".join(f"  $ {example}" for example in self.examples)
        return text


# ---- shared options, declared once ------------------------------------------------

JSON = Opt("as_json", ("--json",), "Print a JSON document instead (shapes: docs/json.md).", kind="flag", default=False)
CSV = Opt(
    "as_csv",
    ("--csv",),
    "Print CSV instead (one header row); a cell that a spreadsheet would run as a formula "
    "(starts with =, +, -, @, tab or CR, and is not a number) gets a leading '.",
    kind="flag",
    default=False,
)
CSV_RAW = Opt(
    "csv_raw",
    ("--csv-raw",),
    "Print CSV with every cell exactly as it is, formulas not neutralised (implies --csv).",
    kind="flag",
    default=False,
)
DATA = Opt(
    "data", ("--data",), "Knowledge file to read (default: $AIDEPS_DATA, a path list, else the bundled one); repeat to "
    "layer files, later ones adding to earlier ones ('bundled' names the bundled file).", kind="multi", type="path", metavar="PATH",
)
LENIENT = Opt(
    "lenient", ("--lenient",), "Answer even when the file has problems that are not structural (unknown ids, quotes...), "
    "warning on stderr; unresolved names show as '? ID' (also: AIDEPS_LENIENT=1).", kind="flag", default=False,
)
NO_COLOR = Opt("no_color", ("--no-color",), "No colour (also: NO_COLOR=1, or stdout not a terminal).", kind="flag", default=False)
AS_OF = Opt(
    "as_of",
    ("--as-of",),
    "The ecosystem as it stood at the end of DATE (YYYY, YYYY-MM or YYYY-MM-DD): relationships begun "
    "or reported by then and not yet ended, with the status they had (docs/time.md).",
    type="date",
    metavar="DATE",
)
ENTITY = Opt(
    "entity", ("--entity", "-e"), "Only relationships with this entity on either side.", type="name", metavar="NAME"
)
STAGE = Opt(
    "stage",
    ("--stage", "-s"),
    f"Only relationships at this stage; repeat for several. One of: {', '.join(vocab.STAGES)}, none (no stage given).",
    kind="multi",
    type="choice",
    choices=(*vocab.STAGES, "none"),
    metavar="STAGE",
)
HEALTH = Opt(
    "health",
    ("--health",),
    f"Only relationships with this health; repeat for several. One of: {', '.join(vocab.HEALTHS)}.",
    kind="multi",
    type="choice",
    choices=vocab.HEALTHS,
    metavar="HEALTH",
)
CERTAINTY = Opt(
    "certainty",
    ("--certainty",),
    f"Only relationships said this firmly; repeat for several. One of: {', '.join(vocab.CERTAINTIES)}.",
    kind="multi",
    type="choice",
    choices=vocab.CERTAINTIES,
    metavar="CERTAINTY",
)
# Format 1's one status, kept working: each word maps through vocab.FORMAT1_STATUS.
STATUS = Opt(
    "status",
    ("--status",),
    "Format 1's status words (compatibility): strained is --health strained, speculative is --certainty speculation.",
    kind="multi",
    type="choice",
    choices=vocab.STATUSES,
    metavar="STATUS",
    hidden=True,
)
FILTERS = (STAGE, HEALTH, CERTAINTY, STATUS)
STANDING_FILTERS = (
    STAGE.with_help("Follow only relationships at this stage; repeat for several (default: all but ended and rejected)."),
    HEALTH,
    CERTAINTY,
    STATUS,
)
KIND = Opt(
    "kind",
    ("--kind", "-k"),
    f"Follow only this kind; repeat for several. One of: {', '.join(vocab.DEPENDENCY_KINDS)}.",
    kind="multi",
    type="choice",
    choices=vocab.DEPENDENCY_KINDS,
    metavar="KIND",
)
ANY_KIND = KIND.with_help(f"Only this kind; repeat for several. One of: {', '.join(vocab.KINDS)}.", choices=vocab.KINDS)
DEPTH = Opt("depth", ("--depth", "-d"), "Show at most this many levels.", type="int", min=0)
SORT = Opt(
    "sort",
    ("--sort",),
    "Order: name (who, then whom), date (oldest first) or amount (largest first).",
    type="choice",
    choices=SORTS,
    metavar="ORDER",
    default="name",
)
NO_PARTS = Opt(
    "no_parts",
    ("--no-parts",),
    "Only NAME's own relationships, not those of its parts (Azure, GitHub, Bing for Microsoft).",
    kind="flag",
    default=False,
)
NO_PAGER = Opt(
    "no_pager",
    ("--no-pager",),
    "Do not page: print to the terminal even when taller than the screen (pager: $AIDEPS_PAGER, else $PAGER, else less -R).",
    kind="flag",
    default=False,
)
WHERE = Opt(
    "where",
    ("--where", "-w"),
    "Only entities meeting KEY=VALUE (a fact: license, access, size...; or id, name, type, parent); also !=, ~ (contains), "
    ">, >=, <, <= for numbers (size>=7B). Repeat: all must hold.",
    kind="multi",
    metavar="KEY=VALUE",
)
VERSION = Opt("version", ("--version", "-V"), "Print the version and exit.", kind="flag", default=False)

#: Accepted before the command and after it (after it wins).
GLOBAL: tuple[Opt, ...] = (DATA, LENIENT, NO_COLOR, NO_PAGER)

NAME = Arg("name", "NAME", "An entity's id, name or alias, in any case (aideps list shows them).", type="name")
OPTIONAL_NAME = Arg("name", "[NAME]", "Only this entity (id, name or alias, any case).", type="name", required=False)

TABLE = (JSON, CSV, CSV_RAW)
