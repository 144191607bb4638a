"""The command line. Thin: parse options, ask aideps.graph, hand the result
to a renderer in aideps.render.

Output conventions (clig.dev): data on stdout, messages on stderr; `--json`
and `--csv` for machines (json and csv modules, never Rich); exit 0 ok, 1 not
found or invalid data, 2 usage error, 130 interrupted.
"""

import enum
import functools
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from aideps import __version__
from aideps.knowledge import vocab
from aideps.knowledge.problems import DataError


def _choices(name: str, values: tuple[str, ...]) -> type[enum.Enum]:
    return enum.Enum(name, [(v, v) for v in values], type=str, module=__name__)  # type: ignore[return-value]


Kind = _choices("Kind", vocab.DEPENDENCY_KINDS)
Status = _choices("Status", vocab.STATUSES)
EntityType = _choices("EntityType", vocab.ENTITY_TYPES)
Sort = _choices("Sort", ("date", "amount", "name"))


@dataclass
class State:
    data: Optional[Path] = None
    no_color: bool = False


def _state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


def _data_option(ctx: typer.Context) -> Optional[Path]:
    """--data given after the command wins over --data given before it."""
    node: Optional[typer.Context] = ctx
    while node is not None:
        value = node.params.get("data")
        if value:
            return Path(value)
        node = node.parent
    return None


def complete_name(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of entity names (the same answer as __main__'s fast path)."""
    try:
        from aideps.graph import store

        return store.graph(store.resolve_path(_data_option(ctx))).completions(incomplete)
    except Exception:  # a broken knowledge file must not break the shell
        return []


# ---- shared options, declared once -------------------------------------------

JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON document instead (shapes: docs/json.md).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV instead (one header row).")]
DataOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--data",
        metavar="PATH",
        help="Knowledge file to read (default: $AIDEPS_DATA, else the bundled one).",
        show_default=False,
    ),
]
NameArg = Annotated[
    str,
    typer.Argument(
        metavar="NAME",
        help="An entity's id, name or alias, in any case (aideps list shows them).",
        autocompletion=complete_name,
        show_default=False,
    ),
]
EntityOpt = Annotated[
    Optional[str],
    typer.Option(
        "--entity",
        "-e",
        metavar="NAME",
        help="Only relationships with this entity on either side.",
        autocompletion=complete_name,
        show_default=False,
    ),
]
StatusOpt = Annotated[
    Optional[list[Status]],  # type: ignore[valid-type]
    typer.Option(
        "--status",
        "-s",
        metavar="STATUS",
        help=f"Only relationships with this status; repeat for several. One of: {', '.join(vocab.STATUSES)}.",
        show_default=False,
    ),
]
SortOpt = Annotated[
    Sort,  # type: ignore[valid-type]
    typer.Option("--sort", metavar="ORDER", help="Order: name (who, then whom), date (oldest first) or amount (largest first)."),
]


def _check_date(value: Optional[str]) -> Optional[str]:
    if value is not None:
        from aideps.knowledge.dates import problem

        trouble = problem(value)
        if trouble:
            raise typer.BadParameter(trouble)
    return value


AsOfOpt = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        metavar="DATE",
        callback=_check_date,
        help="The ecosystem as it stood at the end of DATE (YYYY, YYYY-MM or YYYY-MM-DD): relationships begun "
        "or reported by then and not yet ended, with the status they had (docs/time.md).",
        show_default=False,
    ),
]


# ---- plumbing ------------------------------------------------------------------


def _silence_stdout() -> None:
    """After the reader of our stdout has gone: send whatever is still
    buffered to /dev/null, so the interpreter's last flush cannot complain."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not a real file
        pass


def guarded(command: Callable) -> Callable:
    """Turn what a user can cause into a message and an exit code, never a
    traceback: invalid data (1), a name that is not found (1), a closed pipe
    (quietly, 141 like a process killed by SIGPIPE)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from aideps.graph.core import LookupFailed

        try:
            return command(*args, **kwargs)
        except DataError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            raise typer.Exit(1) from None
        except LookupFailed as exc:
            print(exc, file=sys.stderr)
            raise typer.Exit(1) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(141) from None

    return wrapper


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # PYTHONIOENCODING=ascii and the like: degrade, never crash
        encoding = sys.stdout.encoding or "ascii"
        sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
    sys.stdout.flush()  # here, where a closed pipe can still be caught


def _encodable(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _check_formats(as_json: bool, as_csv: bool = False) -> None:
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv", param_hint="'--json' / '--csv'")


def _graph(ctx: typer.Context, data: Optional[Path]):
    """The graph of the knowledge file, answered from its compiled index (aideps.index)."""
    from aideps.graph import store

    return store.graph(store.resolve_path(data or _state(ctx).data))


def _emit(
    ctx: typer.Context,
    result: dict,
    *,
    as_json: bool,
    as_csv: bool = False,
    table: Optional[Callable] = None,
    csv: Optional[Callable] = None,
    text: Optional[Callable[[dict], str]] = None,
) -> None:
    """Print a result as JSON, CSV, plain text or a Rich table, in that order
    of preference."""
    if as_json:
        from aideps.render import jsonout

        for chunk in jsonout.chunks(result):  # a large document is written as it is encoded
            _write(chunk)
    elif as_csv and csv is not None:
        buffer = io.StringIO()
        csv(result, buffer)
        _write(buffer.getvalue())
    elif text is not None:
        _write(text(result))
    elif table is not None:
        from aideps.render import text as texts

        _write(texts.draw(lambda kit: table(result, kit), sys.stdout, no_color=_state(ctx).no_color))


def _values(items: Optional[list]) -> list[str]:
    return [item.value for item in items or []]


# ---- the app -------------------------------------------------------------------

app = typer.Typer(
    name="aideps",
    help="Who depends on whom in AI, for what, since when, and says who.\n\n"
    "Every relationship reads 'FROM relies on TO for KIND' and carries the "
    "sentence of the article it comes from.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"aideps {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: DataOpt = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour (also: NO_COLOR=1, or stdout not a terminal).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    ctx.obj = State(data=data, no_color=no_color)


@app.command()
@guarded
def show(
    ctx: typer.Context,
    name: NameArg,
    quotes: Annotated[bool, typer.Option("--quotes", "-q", help="Print each source's sentence, verbatim.")] = False,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """What NAME is, its facts, and every relationship it has, with sources."""
    _check_formats(as_json, as_csv)
    from aideps.render import csvout, table

    graph = _at(_graph(ctx, data), as_of)
    result = _dated(graph.profile(graph.resolve(name)), graph)
    _emit(
        ctx,
        result,
        as_json=as_json,
        as_csv=as_csv,
        table=_framed(functools.partial(table.profile, quotes=quotes), result),
        csv=csvout.profile,
    )


def _partnership(kind: str) -> Callable:
    def command(
        ctx: typer.Context,
        entity: EntityOpt = None,
        status: StatusOpt = None,
        sort: SortOpt = Sort.name,  # type: ignore[attr-defined]
        as_of: AsOfOpt = None,
        as_json: JsonOpt = False,
        as_csv: CsvOpt = False,
        data: DataOpt = None,
    ) -> None:
        _check_formats(as_json, as_csv)
        from aideps.render import csvout, table

        graph = _at(_graph(ctx, data), as_of)
        who = graph.resolve(entity) if entity else None
        result = _dated(graph.partnership(kind, who, _values(status), sort.value), graph)
        _emit(
            ctx, result, as_json=as_json, as_csv=as_csv, table=_framed(table.partnership, result), csv=csvout.partnership
        )

    return command


_PARTNERSHIP_HELP = {
    "research": "Who relies on whom for research, models or innovation.",
    "distribution": "Who relies on whom to reach users, developers or customers.",
    "hardware": "Who relies on whom for chips; then the in-house chips meant to replace a supplier.",
}
for _kind in vocab.PARTNERSHIP_KINDS:
    app.command(_kind, help=_PARTNERSHIP_HELP[_kind])(guarded(_partnership(_kind)))


@app.command()
@guarded
def tree(
    ctx: typer.Context,
    name: NameArg,
    reverse: Annotated[
        bool, typer.Option("--reverse", "-r", help="Who relies on NAME, instead of what NAME relies on.")
    ] = False,
    depth: Annotated[
        Optional[int], typer.Option("--depth", "-d", min=0, help="Show at most this many levels.", show_default=False)
    ] = None,
    kind: Annotated[
        Optional[list[Kind]],  # type: ignore[valid-type]
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            help=f"Follow only this kind; repeat for several. One of: {', '.join(vocab.DEPENDENCY_KINDS)}.",
            show_default=False,
        ),
    ] = None,
    status: StatusOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """The tree of what NAME relies on (rivalry is not followed).

    (*) marks an entity whose subtree is already shown above; (cycle) one that
    leads back to an entity above it; … a subtree cut by --depth.
    """
    _check_formats(as_json, as_csv)
    from aideps.render import csvout
    from aideps.render import tree as trees

    graph = _at(_graph(ctx, data), as_of)
    result = graph.tree(
        graph.resolve(name), reverse=reverse, depth=depth, kinds=_values(kind), statuses=_values(status)
    )
    _dated(result, graph)
    _emit(
        ctx,
        result,
        as_json=as_json,
        as_csv=as_csv,
        csv=csvout.tree,
        text=_framed_text(
            lambda r: "".join(f"{line}\n" for line in trees.lines(r, ascii=not _encodable("├─│└·…"))), result
        ),
    )


@app.command("list")
@guarded
def list_(
    ctx: typer.Context,
    type_: Annotated[
        Optional[list[EntityType]],  # type: ignore[valid-type]
        typer.Option(
            "--type",
            "-t",
            metavar="TYPE",
            help=f"Only entities of this type; repeat for several. One of: {', '.join(vocab.ENTITY_TYPES)}.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """Every entity: id, name, type, how many relationships, description."""
    _check_formats(as_json, as_csv)
    from aideps.render import csvout, table

    result = _graph(ctx, data).entity_list(_values(type_))
    _emit(ctx, result, as_json=as_json, as_csv=as_csv, table=table.entity_list, csv=csvout.entity_list)


@app.command()
@guarded
def search(
    ctx: typer.Context,
    text: Annotated[list[str], typer.Argument(metavar="TEXT...", help="Words that must all occur (any case).")],
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """Find TEXT in names, aliases, descriptions, summaries, facts and quotes."""
    _check_formats(as_json, as_csv)
    from aideps.render import csvout, table

    result = _graph(ctx, data).search(" ".join(text))
    _emit(ctx, result, as_json=as_json, as_csv=as_csv, table=table.search, csv=csvout.search)
    if not result["matches"]:
        raise typer.Exit(1)


@app.command()
@guarded
def sources(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """The articles the knowledge comes from, and how much each supports."""
    _check_formats(as_json, as_csv)
    from aideps.render import csvout, table

    result = _graph(ctx, data).source_list()
    _emit(ctx, result, as_json=as_json, as_csv=as_csv, table=table.sources, csv=csvout.sources)


@app.command()
@guarded
def validate(
    ctx: typer.Context,
    file: Annotated[
        Optional[Path],
        typer.Argument(help="Knowledge file to check (default: --data, $AIDEPS_DATA, else the bundled one).", show_default=False),
    ] = None,
    sources_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--sources-dir",
            metavar="DIR",
            envvar="AIDEPS_SOURCES_DIR",
            exists=True,
            file_okay=False,
            help="The folder that holds the sources' texts, to check quotes (default: the knowledge file's folder).",
            show_default=False,
        ),
    ] = None,
    no_quotes: Annotated[bool, typer.Option("--no-quotes", help="Do not check quotes against the sources' texts.")] = False,
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Check a knowledge file: each problem as file:line:column: message.

    Exit 0 when there are no errors (notes are fine), 1 otherwise.
    """
    from aideps.graph import store
    from aideps.render import fmt, jsonout
    from aideps.knowledge.scan import check_path  # a large file is checked streaming, in bounded memory

    path = file or store.resolve_path(data or _state(ctx).data)
    report = check_path(path, sources_dir=sources_dir, check_quotes=not no_quotes)
    counts = report.counts
    if as_json:
        _write(
            jsonout.dumps(
                {
                    "file": str(path),
                    "ok": report.ok,
                    "errors": len(report.errors),
                    "notes": len(report.notes),
                    "problems": [p.to_json() for p in report.problems],
                    "counts": counts,
                    "quotes": {
                        "checked": report.quotes_checked,
                        "quotes": report.quote_count,
                        "sources_checked": list(report.sources_checked),
                        "sources_skipped": dict(report.sources_skipped),
                    },
                }
            )
        )
    else:
        _write("".join(f"{p}\n" for p in report.problems))
        notes = f", {fmt.plural(len(report.notes), 'note')}" if report.notes else ""
        if report.ok and counts["entities"] is not None:
            if not report.quotes_checked:
                quotes = "quotes not checked"
            elif report.sources_missing:
                # Say how to check them: the texts are rarely next to a downloaded file.
                where = f" in {sources_dir}" if sources_dir else "; pass --sources-dir DIR"
                quotes = (
                    f"quotes checked against {len(report.sources_checked)} of {counts['sources']} sources, "
                    f"not against {len(report.sources_missing)}: "
                    if report.sources_checked
                    else "quotes not checked: "
                ) + f"source texts not found{where}"
            else:
                quotes = f"quotes checked against {len(report.sources_checked)} of {counts['sources']} sources"
            print(
                f"{path}: ok, {fmt.plural(counts['entities'], 'entity', 'entities')}, "
                f"{fmt.plural(counts['relationships'], 'relationship')}{notes}; {quotes}",
                file=sys.stderr,
            )
        else:
            print(f"{fmt.plural(len(report.errors), 'error')}{notes} in {path}", file=sys.stderr)
    if not report.ok:
        raise typer.Exit(1)


# ---- time, paths, exposure, disagreements, pictures -------------------------------
# Queries live in aideps.analysis; they read the graph through its store
# (aideps.graph.protocol) only, so --as-of is a view of the graph
# (aideps.graph.asof.at) that every query runs on unchanged.


def _at(graph, as_of: Optional[str]):
    """The graph as it stood at the end of AS_OF (a view), or the graph itself."""
    if as_of is None:
        return graph
    from aideps.graph import asof

    return asof.at(graph, as_of)


def _dated(result: dict, graph) -> dict:
    """Say in the result which date it is as of (only when it is)."""
    summary = graph.as_of_summary()
    if summary is not None:
        result["as_of"] = summary
    return result


def _framed(draw: Callable, result: dict) -> Callable:
    """A table drawn with the as-of date above it and its doubts below."""
    if not result.get("as_of"):
        return draw

    def framed(res: dict, kit) -> None:
        from aideps.render import text

        text.framed(draw, res)(kit)

    return framed


def _framed_text(text: Callable[[dict], str], result: dict) -> Callable[[dict], str]:
    if not result.get("as_of"):
        return text

    def framed(res: dict) -> str:
        from aideps.render import when

        lines = when.footer(res)
        return when.heading(res["as_of"]) + "\n" + text(res) + "".join(f"{line}\n" for line in [""] * bool(lines) + lines)

    return framed


def _usage(exc: ValueError, hint: Optional[str] = None) -> typer.BadParameter:
    return typer.BadParameter(str(exc), param_hint=hint)


def _check_date_argument(value: str) -> str:
    return _check_date(value) or value


OptionalNameArg = Annotated[
    Optional[str],
    typer.Argument(
        metavar="[NAME]",
        help="Only this entity (id, name or alias, any case).",
        autocompletion=complete_name,
        show_default=False,
    ),
]
DependencyKindsOpt = Annotated[
    Optional[list[Kind]],  # type: ignore[valid-type]
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help=f"Follow only this kind; repeat for several. One of: {', '.join(vocab.DEPENDENCY_KINDS)}.",
        show_default=False,
    ),
]
StandingStatusOpt = Annotated[
    Optional[list[Status]],  # type: ignore[valid-type]
    typer.Option(
        "--status",
        "-s",
        metavar="STATUS",
        help="Follow only relationships with this status; repeat for several "
        "(default: all but ended and rejected).",
        show_default=False,
    ),
]


@app.command()
@guarded
def timeline(
    ctx: typer.Context,
    name: OptionalNameArg = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """Dated events in order, with sources; then the undated relationships.

    Events: a relationship began, changed status, ended, or (with neither start
    nor history) was first reported; and dated events of the file.
    """
    _check_formats(as_json, as_csv)
    from aideps import analysis
    from aideps.render import csvout, report

    graph = _graph(ctx, data)
    result = analysis.timeline(graph, graph.resolve(name) if name else None)
    _emit(ctx, result, as_json=as_json, as_csv=as_csv, table=report.timeline, csv=csvout.timeline)


@app.command()
@guarded
def diff(
    ctx: typer.Context,
    earlier: Annotated[
        str,
        typer.Argument(metavar="FROM", help="The earlier date: YYYY, YYYY-MM or YYYY-MM-DD.", callback=_check_date_argument),
    ],
    later: Annotated[
        str,
        typer.Argument(metavar="TO", help="The later date, in the same forms.", callback=_check_date_argument),
    ],
    entity: EntityOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """What began, was first reported, changed status or ended between FROM and TO.

    Compares the ecosystem at the end of FROM with the ecosystem at the end of
    TO (dates: YYYY, YYYY-MM or YYYY-MM-DD; see docs/time.md).
    """
    _check_formats(as_json, as_csv)
    from aideps import analysis
    from aideps.render import csvout, report

    graph = _graph(ctx, data)
    who = graph.resolve(entity) if entity else None
    try:
        result = analysis.diff(graph, earlier, later, entity=who)
    except ValueError as exc:
        raise _usage(exc, "'FROM' / 'TO'") from None
    _emit(ctx, result, as_json=as_json, as_csv=as_csv, table=report.diff, csv=csvout.diff)


@app.command()
@guarded
def why(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(metavar="A", help="The entity that relies (id, name or alias).", autocompletion=complete_name),
    ],
    target: Annotated[
        str,
        typer.Argument(metavar="B", help="The entity relied on.", autocompletion=complete_name),
    ],
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, help="Paths of at most this many hops.")] = 4,
    kind: DependencyKindsOpt = None,
    status: StandingStatusOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="Print at most this many paths, shortest first; 0 for all.")
    ] = 100,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """Every dependency path from A to B, shortest first, each hop with kind and status.

    Paths may end at a part of B (Anthropic relies on CUDA, part of NVIDIA).
    Exit 1 when there is none.
    """
    _check_formats(as_json, as_csv)
    from aideps import analysis
    from aideps.render import csvout, report

    graph = _at(_graph(ctx, data), as_of)
    a, b = graph.resolve(source), graph.resolve(target)
    if a == b:
        raise typer.BadParameter(f"A and B are the same entity ({graph.name(a)})", param_hint="'A' / 'B'")
    result = _dated(
        analysis.why(
            graph, a, b, depth=depth, kinds=_values(kind), statuses=_values(status) or None, limit=limit or None
        ),
        graph,
    )
    result.setdefault("as_of", None)
    _emit(
        ctx,
        result,
        as_json=as_json,
        as_csv=as_csv,
        csv=csvout.why,
        text=_framed_text(lambda r: "".join(f"{line}\n" for line in report.why_lines(r)), result),
    )
    if not result["paths"]:
        raise typer.Exit(1)


@app.command()
@guarded
def impact(
    ctx: typer.Context,
    name: NameArg,
    depth: Annotated[
        Optional[int], typer.Option("--depth", "-d", min=1, help="Look at most this many hops away.", show_default=False)
    ] = None,
    kind: DependencyKindsOpt = None,
    status: StandingStatusOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """Who is exposed if NAME stumbles: all that relies on it, directly or not.

    Grouped by depth and kind, with counts; relying on a part of NAME counts.
    """
    _check_formats(as_json, as_csv)
    from aideps import analysis
    from aideps.render import csvout, report

    graph = _at(_graph(ctx, data), as_of)
    result = _dated(
        analysis.impact(
            graph, graph.resolve(name), depth=depth, kinds=_values(kind), statuses=_values(status) or None
        ),
        graph,
    )
    result.setdefault("as_of", None)
    _emit(ctx, result, as_json=as_json, as_csv=as_csv, table=_framed(report.impact, result), csv=csvout.impact)


@app.command()
@guarded
def stats(
    ctx: typer.Context,
    status: Annotated[
        Optional[list[Status]],  # type: ignore[valid-type]
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",
            help="Count relationships with this status; repeat for several (default: active and strained).",
            show_default=False,
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Most relied-on providers to list per kind.")] = 3,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Concentration: most relied-on providers, single points of failure, hedges."""
    from aideps import analysis
    from aideps.render import report

    graph = _at(_graph(ctx, data), as_of)
    result = _dated(analysis.stats(graph, statuses=_values(status) or None, top=top), graph)
    result.setdefault("as_of", None)
    _emit(ctx, result, as_json=as_json, table=_framed(report.stats, result))


@app.command()
@guarded
def conflicts(
    ctx: typer.Context,
    name: OptionalNameArg = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    data: DataOpt = None,
) -> None:
    """Claims that disagree across sources, side by side with each source.

    Two figures for one investment, or two values of one fact, each with its
    source, date and sentence.
    """
    _check_formats(as_json, as_csv)
    from aideps import analysis
    from aideps.render import csvout, report

    graph = _graph(ctx, data)
    result = analysis.conflicts(graph, graph.resolve(name) if name else None)
    _emit(ctx, result, as_json=as_json, as_csv=as_csv, table=report.conflicts, csv=csvout.conflicts)


ExportFormat = _choices("ExportFormat", ("dot", "mermaid", "graphml", "json", "csv", "svg", "png"))
AnyKind = _choices("AnyKind", vocab.KINDS)


@app.command()
@guarded
def export(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[NAME]",
            help="Only NAME's neighbourhood: the entities within --depth hops of it.",
            autocompletion=complete_name,
            show_default=False,
        ),
    ] = None,
    form: Annotated[
        Optional[ExportFormat],  # type: ignore[valid-type]
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="dot, mermaid, graphml, json, csv, svg or png (default: from --output's extension, else dot).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.", show_default=False),
    ] = None,
    depth: Annotated[
        Optional[int], typer.Option("--depth", "-d", min=0, help="With NAME: hops around it (default 1).", show_default=False)
    ] = None,
    kind: Annotated[
        Optional[list[AnyKind]],  # type: ignore[valid-type]
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            help=f"Only this kind; repeat for several. One of: {', '.join(vocab.KINDS)}.",
            show_default=False,
        ),
    ] = None,
    status: StatusOpt = None,
    dependencies: Annotated[
        bool, typer.Option("--dependencies", help="Dependencies only: no rivalry, no entity without a relationship.")
    ] = False,
    labels: Annotated[
        Optional[bool],
        typer.Option(
            "--labels/--no-labels",
            help="Label DOT edges with kind and status (default: when there are at most 40 edges).",
            show_default=False,
        ),
    ] = None,
    title: Annotated[Optional[str], typer.Option("--title", metavar="TEXT", help="A title on the picture.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Same as --format csv.")] = False,
    data: DataOpt = None,
) -> None:
    """The graph as DOT, Mermaid, GraphML, JSON or CSV, or drawn as SVG/PNG by Graphviz.

    Edges are coloured by kind and drawn by status. Without --output, text
    goes to stdout; an SVG or PNG goes to stdout only when it is not a
    terminal.
    """
    _check_formats(as_json, as_csv)
    from aideps import analysis
    from aideps.render import export as exports

    chosen = form.value if form is not None else None
    for flag, implied in ((as_json, "json"), (as_csv, "csv")):
        if flag:
            if chosen not in (None, implied):
                raise typer.BadParameter(f"--{implied} and --format {chosen} disagree", param_hint="'--format'")
            chosen = implied
    if chosen is None and output is not None:
        chosen = exports.EXTENSIONS.get(output.suffix.lower())
    chosen = chosen or "dot"
    if chosen in exports.IMAGE_FORMATS and output is None and sys.stdout.isatty():
        raise typer.BadParameter(
            f"{chosen} is an image: write it to a file with -o FILE (or redirect stdout)", param_hint="'--format'"
        )
    if depth is not None and name is None:
        raise typer.BadParameter("--depth needs a NAME to count hops from", param_hint="'--depth'")

    graph = _at(_graph(ctx, data), as_of)
    center = graph.resolve(name) if name else None
    kinds = _values(kind)
    if dependencies:
        kinds = [k for k in (kinds or vocab.KINDS) if k in vocab.DEPENDENCY_KINDS]
    selection = analysis.selection(graph, center, depth=depth, kinds=kinds, statuses=_values(status))
    document = exports.document(graph, selection, as_of=_dated({}, graph).get("as_of"))
    if chosen in ("dot", *exports.IMAGE_FORMATS):
        show_labels = labels if labels is not None else len(document["edges"]) <= 40
        body = exports.dot(document, title=title, labels=show_labels).encode("utf-8")
    else:
        body = exports.text(document, chosen).encode("utf-8")
    try:
        if chosen in exports.IMAGE_FORMATS:
            body = exports.render_image(body.decode("utf-8"), chosen)
        if output is None:
            if chosen in exports.IMAGE_FORMATS:
                sys.stdout.flush()
                sys.stdout.buffer.write(body)
                sys.stdout.buffer.flush()
            else:
                _write(body.decode("utf-8"))
            return
        written = exports.write_atomically(output, body)
    except (exports.GraphvizError, exports.OutputError) as exc:
        print(exc, file=sys.stderr)
        raise typer.Exit(1) from None
    from aideps.render import fmt

    print(
        f"wrote {written} ({chosen}: {fmt.plural(len(document['nodes']), 'entity', 'entities')}, "
        f"{fmt.plural(len(document['edges']), 'relationship')})",
        file=sys.stderr,
    )
