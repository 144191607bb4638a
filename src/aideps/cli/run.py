"""What each command does, written once and without Typer.

Both ways in call these functions with plain values (strings, ints, bools,
lists of strings): the Typer app (cli/typer_app.py) after Click has parsed
and checked the command line, and the fast path (cli/fast.py) for a plain
command line. A function asks aideps.graph / aideps.analysis for a result and
hands it to aideps.render; it returns the exit code. A usage mistake that only
the command can see (`--json` with `--csv`, A and B the same entity) raises
`Usage` before anything is printed. migrate, export and import are in
aideps.cli.run_export; what every command shares is in aideps.cli.call.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from os import PathLike as Path
    from typing import Any

from aideps.cli import output
from aideps.cli.call import Call, Usage  # noqa: F401  (run.Call, run.Usage)
from aideps.cli.call import chosen_format as _fmt
from aideps.cli.call import dated as _dated
from aideps.cli.call import emit_view as _emit
from aideps.cli.call import graph_of as _graph
from aideps.cli.call import where_of as _where


# ---- the commands ------------------------------------------------------------------


def show(
    call: Call,
    name: str,
    quotes: bool,
    as_of: str | None,
    as_json: bool,
    as_csv: bool,
    brief: bool = False,
    kind: list[str] | None = None,
    no_parts: bool = False,
) -> int:
    fmt = _fmt(as_json, as_csv)
    graph = _graph(call, as_of)
    streamed = fmt in ("json", "csv")  # written as read; the text's layout needs them all
    result = _dated(graph.profile(graph.resolve(name), parts=not no_parts, kinds=kind or None, stream=streamed), graph)
    _emit(call, "profile", result, fmt, quotes=quotes, brief=brief)
    return 0


def partnership(
    call: Call,
    kind: str,
    entity: str | None,
    stage: list[str],
    health: list[str],
    certainty: list[str],
    status: list[str],
    sort: str,
    as_of: str | None,
    as_json: bool,
    as_csv: bool,
    no_parts: bool = False,
) -> int:
    fmt = _fmt(as_json, as_csv)
    graph = _graph(call, as_of)
    who = graph.resolve(entity) if entity else None
    where = _where(stage, health, certainty, status)
    result = _dated(
        # (text and CSV name each relationship's sources, never its quotes: a whole file's are hundreds of thousands)
        graph.partnership(kind, who, where, sort, parts=not no_parts, stream=who is None, claims=True if fmt == "json" else "sources"),
        graph,
    )
    _emit(call, "partnership", result, fmt)
    return 0


def tree(
    call: Call,
    name: str,
    reverse: bool,
    depth: int | None,
    kind: list[str],
    stage: list[str],
    health: list[str],
    certainty: list[str],
    status: list[str],
    as_of: str | None,
    as_json: bool,
    as_csv: bool,
    no_parts: bool = False,
    where: list[str] | None = None,
) -> int:
    fmt = _fmt(as_json, as_csv)
    conditions = _conditions(where)
    graph = _graph(call, as_of)
    result = graph.tree(graph.resolve(name), reverse=reverse, depth=depth, kinds=kind,
                        where=_where(stage, health, certainty, status), parts=not no_parts, entities=conditions,
                        claims=fmt == "json",  # (text and CSV show no quotes: a hub's tree has tens of thousands of lines)
                        # written as it is built, depth first; but a text as of a date ends with the
                        # doubts of every relationship it drew (render.when.footer), read again
                        stream=not (as_of and fmt == "text"))
    _emit(call, "tree", _dated(result, graph), fmt)
    return 0


def entity_list(call: Call, type_: list[str], as_json: bool, as_csv: bool, long: bool = False, where: list[str] | None = None) -> int:
    fmt = _fmt(as_json, as_csv)
    conditions = _conditions(where)
    _emit(call, "entity_list", _graph(call).entity_list(type_, conditions), fmt, long=long)
    return 0


def _conditions(where: list[str] | None) -> tuple:
    """--where, read (aideps.graph.conditions), or a usage error that says how to write one."""
    if not where:
        return ()
    from aideps.graph import conditions

    try:
        return conditions.parse_all(where)
    except conditions.ConditionError as exc:
        raise Usage(str(exc), "'--where'") from None


def search(call: Call, text: list[str], as_json: bool, as_csv: bool, limit: int = 100) -> int:
    fmt = _fmt(as_json, as_csv)
    result = _graph(call).search(" ".join(text), limit=limit or None)
    if fmt == "text":  # the query is echoed: escape sequences in it are shown, not obeyed
        from aideps.knowledge.text import escaped

        result = {**result, "query": escaped(result["query"])}
    _emit(call, "search", result, fmt)
    left = result["total"] - len(result["matches"])
    if left and fmt == "csv":  # the CSV stays rows only; the text says it below its table, JSON in `total`
        print(f"aideps: {left:,} more {'match' if left == 1 else 'matches'} not shown ({result['total']:,} in all); "
              "use --limit N, or --limit 0 for all", file=sys.stderr)
    return 0 if result["total"] else 1


def sources(call: Call, as_json: bool, as_csv: bool) -> int:
    fmt = _fmt(as_json, as_csv)
    _emit(call, "sources", _graph(call).source_list(), fmt)
    return 0


def timeline(call: Call, name: str | None, as_json: bool, as_csv: bool) -> int:
    fmt = _fmt(as_json, as_csv)
    from aideps import analysis

    graph = _graph(call)
    who = graph.resolve(name) if name else None
    # Streamed (the text reads it once too); text and CSV name each relationship's sources, not its quotes.
    _emit(call, "timeline", analysis.timeline(graph, who, stream=True, claims=True if fmt == "json" else "sources"), fmt)
    return 0


def diff(call: Call, earlier: str, later: str, entity: str | None, as_json: bool, as_csv: bool) -> int:
    fmt = _fmt(as_json, as_csv)
    from aideps import analysis

    graph = _graph(call)
    who = graph.resolve(entity) if entity else None
    try:
        # Streamed: read again as it is written (the text a kind at a time).
        result = analysis.diff(graph, earlier, later, entity=who, stream=True, grouped=fmt == "text")
    except ValueError as exc:
        raise Usage(str(exc), "'FROM' / 'TO'") from None
    _emit(call, "diff", result, fmt)
    return 0


def why(
    call: Call,
    source: str,
    target: str,
    depth: int,
    kind: list[str],
    stage: list[str],
    health: list[str],
    certainty: list[str],
    status: list[str],
    limit: int,
    as_of: str | None,
    as_json: bool,
    as_csv: bool,
    no_parts: bool = False,
    all_paths: bool = False,
) -> int:
    fmt = _fmt(as_json, as_csv)
    from aideps import analysis
    from aideps.analysis.paths import TooManyPaths

    graph = _graph(call, as_of)
    a, b = graph.resolve(source), graph.resolve(target)
    if a == b:
        raise Usage(f"A and B are the same entity ({graph.name(a)})", "'A' / 'B'")
    try:
        result = analysis.why(
            graph,
            a,
            b,
            depth=depth,
            kinds=kind,
            where=_where(stage, health, certainty, status),
            limit=limit or None,
            all_paths=all_paths,
            parts=not no_parts,
        )
    except TooManyPaths as error:
        raise Usage(str(error), "'--limit'") from None
    _emit(call, "why", _dated(result, graph, always=True), fmt)
    return 0 if result["paths"] else 1


def impact(
    call: Call,
    name: str,
    depth: int | None,
    kind: list[str],
    stage: list[str],
    health: list[str],
    certainty: list[str],
    status: list[str],
    as_of: str | None,
    as_json: bool,
    as_csv: bool,
    no_parts: bool = False,
) -> int:
    fmt = _fmt(as_json, as_csv)
    from aideps import analysis

    graph = _graph(call, as_of)
    result = analysis.impact(
        graph, graph.resolve(name), depth=depth, kinds=kind, where=_where(stage, health, certainty, status), parts=not no_parts
    )
    _emit(call, "impact", _dated(result, graph, always=True), fmt)
    return 0


def stats(
    call: Call,
    stage: list[str],
    health: list[str],
    certainty: list[str],
    status: list[str],
    top: int,
    as_of: str | None,
    as_json: bool,
    no_parts: bool = False,
) -> int:
    fmt = _fmt(as_json)
    from aideps import analysis

    graph = _graph(call, as_of)
    chosen = _where(stage, health, certainty, status)
    # Streamed (the text reads it once too); the text shows each relationship's status, not its claims.
    result = analysis.stats(graph, where=chosen, top=top, parts=not no_parts, stream=True, claims=fmt == "json")
    _emit(call, "stats", _dated(result, graph, always=True), fmt)
    return 0


def conflicts(call: Call, name: str | None, as_json: bool, as_csv: bool) -> int:
    fmt = _fmt(as_json, as_csv)
    from aideps import analysis

    graph = _graph(call)
    _emit(call, "conflicts", analysis.conflicts(graph, graph.resolve(name) if name else None), fmt)
    return 0


def validate(call: Call, file: Path | None, sources_dir: Path | None, no_quotes: bool, as_json: bool) -> int:
    from aideps.graph import store
    from aideps.knowledge.text import escaped
    from aideps.render import fmt, jsonout

    paths = [file] if file else store.resolve_paths(call.data)
    if len(paths) > 1:
        from aideps.cli import layered

        return layered.validate(call, paths, sources_dir, no_quotes, as_json)
    path = paths[0]
    ticket = None
    if no_quotes:  # the verdict depends on the file alone: kept in the cache (aideps.index.verdicts)
        from aideps.index.verdicts import Ticket

        ticket = Ticket(os.fspath(path), str(path), ("validate", "no-quotes"))
    report = ticket.read() if ticket is not None else None
    if report is None:
        from aideps.knowledge.scan import check_path  # a large file is checked streaming, in bounded memory

        report = check_path(path, sources_dir=sources_dir, check_quotes=not no_quotes)
        if ticket is not None:
            ticket.write(report)
    counts = report.counts
    if as_json:
        call.out.write(
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
        call.out.write_lines(str(p) for p in report.problems)
        notes = f", {fmt.plural(len(report.notes), 'note')}" if report.notes else ""
        if report.ok and counts["entities"] is not None:
            if not report.quotes_checked:
                quotes = "quotes not checked"
            elif report.sources_missing:
                # Say how to check them: the texts are rarely next to a downloaded file.
                where = f" in {escaped(str(sources_dir))}" if sources_dir else "; pass --sources-dir DIR"
                quotes = (
                    f"quotes checked against {len(report.sources_checked)} of {counts['sources']} sources, "
                    f"not against {len(report.sources_missing)}: "
                    if report.sources_checked
                    else "quotes not checked: "
                ) + f"source texts not found{where}"
            else:
                quotes = f"quotes checked against {len(report.sources_checked)} of {counts['sources']} sources"
            call.out.flush()
            print(
                f"{escaped(str(path))}: ok, {fmt.plural(counts['entities'], 'entity', 'entities')}, "
                f"{fmt.plural(counts['relationships'], 'relationship')}{notes}; {quotes}",
                file=sys.stderr,
            )
        else:
            call.out.flush()
            print(f"{fmt.plural(len(report.errors), 'error')}{notes} in {escaped(str(path))}", file=sys.stderr)
    call.out.flush()
    return 0 if report.ok else 1


def _not_text(value: Any) -> bool:
    """A word of the command line that was not UTF-8 (Python keeps its bytes as surrogates)."""
    if isinstance(value, list):
        return any(_not_text(v) for v in value)
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_text(command, values: dict) -> None:
    """Words that are not UTF-8 text: a name cannot be any entity's (exit 1,
    as any unknown name), other text is a usage error. Paths may be any bytes."""
    from aideps.cli import spec
    from aideps.knowledge.text import escaped

    for item in (*command.args, *spec.options_of(command)):
        value = values.get(item.dest)
        if item.type in ("path", "dir") or not _not_text(value):
            continue
        words = value if isinstance(value, list) else [value]
        shown = " ".join(escaped(w) for w in words)
        if item.type == "name":
            from aideps.graph.core import LookupFailed

            raise LookupFailed(shown, f"no entity '{shown}': it is not UTF-8 text (is the terminal's encoding UTF-8?)")
        hint = f"'{item.metavar}'" if isinstance(item, spec.Arg) else f"'{item.flags[0]}'"
        raise Usage(f"'{shown}' is not UTF-8 text", hint)


def run_command(command, values: dict) -> int:
    """Run a command of aideps.cli.spec with parsed values (its arguments,
    its options, and the global `data` and `no_color`); the exit code. Raises
    Usage for a usage error the command itself finds."""
    values = dict(values)
    no_pager = bool(values.pop("no_pager", False))
    with output.paged(sys.stdout, enabled=not no_pager) as out:
        data = values.pop("data", None) or []
        call = Call(
            data=[os.fspath(d) for d in ([data] if isinstance(data, (str, os.PathLike)) else data)],
            no_color=bool(values.pop("no_color", False)),
            lenient=bool(values.pop("lenient", False)) or os.environ.get("AIDEPS_LENIENT", "") not in ("", "0"),
            out=out,
        )
        if values.pop("csv_raw", False):
            call.csv_raw = True
            if command.run != "export":  # export: only with --format csv
                values["as_csv"] = True
        function = globals().get(command.run)
        if function is None:  # migrate, export, import: imported only for themselves (they need pathlib, files)
            from aideps.cli import run_export

            function = getattr(run_export, command.run)

        def checked() -> int:
            _check_text(command, values)
            return function(call, **command.fixed, **values)

        return output.guarded(checked)


CACHE_ACTIONS = ("info", "clean")


def cache(call: Call, action: str, as_json: bool) -> int:
    from aideps.index import cache as store
    from aideps.render import fmt, jsonout

    if action not in CACHE_ACTIONS:
        raise Usage(f"{action!r} is not one of {', '.join(CACHE_ACTIONS)}", "'ACTION'")
    where = store.cache_dir()
    if action == "clean":
        if as_json:
            raise Usage("--json goes with info", "'--json'")
        removed = store.clean(where)
        call.out.write_lines([f"Removed {fmt.plural(removed, 'file')} from {where}."])
        return 0
    info = store.survey(where)
    if as_json:
        call.out.write(jsonout.dumps(info))
        return 0
    stale = info["stale_stamps"] + info["stale_indexes"] + info["leftovers"]
    call.out.write_lines(
        [
            f"Cache: {where}{'' if info['exists'] else ' (not created yet)'}",
            f"{fmt.plural(info['indexes'], 'index', 'indexes')}, {info['bytes']:,} bytes "
            f"(kept to at most {info['max_indexes']} and {info['max_bytes']:,} bytes); "
            f"{fmt.plural(info['stamps'], 'stamp')}; {fmt.plural(info['verdicts'], 'verdict')} of validate --no-quotes",
            f"Stale: {info['stale_stamps']} stamps of files gone, {info['stale_indexes']} indexes no file uses, "
            f"{info['leftovers']} leftover temporary files"
            + (" (removed at the next build, or by 'aideps cache clean')" if stale else ""),
        ]
    )
    return 0
