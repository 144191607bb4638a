"""What each command does, written once and without Typer.

Both ways in call these functions with plain values (strings, ints, bools,
lists of strings): the Typer app (cli/typer_app.py) after Click has parsed
and checked the command line, and the fast path (cli/fast.py) for a plain
command line. A function asks aideps.graph / aideps.analysis for a result and
hands it to aideps.render; it returns the exit code. A usage mistake that only
the command can see (`--json` with `--csv`, A and B the same entity) raises
`Usage` before anything is printed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from aideps.cli import layered, output


class Usage(Exception):
    """A usage error (exit 2), worded for Click's `Invalid value for HINT: MESSAGE`."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass
class Call:
    """What every command is given besides its own options."""

    data: list[Path] = field(default_factory=list)  # --data, each time given (layered in order)
    no_color: bool = False
    lenient: bool = False  # --lenient or AIDEPS_LENIENT=1: answer despite problems that are not structural
    csv_raw: bool = False  # --csv-raw: CSV cells exactly, formulas not neutralised
    out: TextIO = field(default_factory=lambda: output.Out(sys.stdout))


def _fmt(as_json: bool, as_csv: bool = False) -> str:
    if as_json and as_csv:
        raise Usage("choose one of --json and --csv", "'--json' / '--csv'")
    return "json" if as_json else "csv" if as_csv else "text"


def _graph(call: Call, as_of: str | None = None):
    """The graph of the knowledge file (from its compiled index), as of a date when asked."""
    from aideps.graph import store

    paths = store.resolve_paths(call.data)  # several: layered
    target = paths[0] if len(paths) == 1 else paths
    graph = store.graph(target, lenient=True) if call.lenient else store.graph(target)
    layered.warn(graph.store)
    if as_of is None:
        return graph
    from aideps.graph import asof

    return asof.at(graph, as_of)


def _dated(result: dict, graph, *, always: bool = False) -> dict:
    """Say in the result which date it is as of (when it is; `always`: null otherwise)."""
    summary = graph.as_of_summary()
    if summary is not None or always:
        result["as_of"] = summary
    return result


def _emit(call: Call, view: str, result: dict, fmt: str, **options: Any) -> None:
    from aideps.render import Options, emit

    emit(view, result, fmt, call.out, Options(no_color=call.no_color, csv_raw=call.csv_raw, **options))
    call.out.flush()


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
    result = _dated(graph.profile(graph.resolve(name), parts=not no_parts, kinds=kind or None), graph)
    _emit(call, "profile", result, fmt, quotes=quotes, brief=brief)
    return 0


def _where(stage, health, certainty, status):
    """The filter of --stage, --health and --certainty, with --status (format 1's
    words, through vocab.FORMAT1_STATUS) added; None when nothing is chosen."""
    from aideps.graph.where import Where, combine, from_status

    chosen = Where.of(stage or None, health or None, certainty or None)
    if status:
        chosen = combine(chosen, from_status(status))
    return chosen or None


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
    result = _dated(graph.partnership(kind, who, _where(stage, health, certainty, status), sort, parts=not no_parts), graph)
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
) -> int:
    fmt = _fmt(as_json, as_csv)
    graph = _graph(call, as_of)
    result = graph.tree(graph.resolve(name), reverse=reverse, depth=depth, kinds=kind,
                        where=_where(stage, health, certainty, status), parts=not no_parts)
    _emit(call, "tree", _dated(result, graph), fmt)
    return 0


def entity_list(call: Call, type_: list[str], as_json: bool, as_csv: bool, long: bool = False) -> int:
    fmt = _fmt(as_json, as_csv)
    _emit(call, "entity_list", _graph(call).entity_list(type_), fmt, long=long)
    return 0


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
    _emit(call, "timeline", analysis.timeline(graph, graph.resolve(name) if name else None), fmt)
    return 0


def diff(call: Call, earlier: str, later: str, entity: str | None, as_json: bool, as_csv: bool) -> int:
    fmt = _fmt(as_json, as_csv)
    from aideps import analysis

    graph = _graph(call)
    who = graph.resolve(entity) if entity else None
    try:
        result = analysis.diff(graph, earlier, later, entity=who)
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
    result = analysis.stats(graph, where=_where(stage, health, certainty, status), top=top, parts=not no_parts)
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
    from aideps.knowledge.scan import check_path  # a large file is checked streaming, in bounded memory
    from aideps.knowledge.text import escaped
    from aideps.render import fmt, jsonout

    paths = [file] if file else store.resolve_paths(call.data)
    if len(paths) > 1:
        return layered.validate(call, paths, sources_dir, no_quotes, as_json)
    path = paths[0]
    report = check_path(path, sources_dir=sources_dir, check_quotes=not no_quotes)
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


def migrate(call: Call, file: Path, output: Path | None, check: bool, force: bool) -> int:
    from aideps.knowledge import migrate as migration
    from aideps.knowledge.files import read_bytes
    from aideps.knowledge.problems import DataError
    from aideps.knowledge.text import escaped
    from aideps.knowledge.validate import check_bytes
    from aideps.render import export as exports
    from aideps.render import fmt

    def say(message: str) -> None:
        call.out.flush()
        print(message, file=sys.stderr)

    path, shown = Path(file), escaped(str(file))
    try:
        content = read_bytes(path)
        text = content.decode("utf-8")
    except DataError as exc:
        call.out.write_lines(str(p) for p in exc.problems)
        say(f"cannot migrate {shown}")
        return 1
    except UnicodeDecodeError as exc:
        say(f"{shown}: not UTF-8 text (byte {exc.start + 1}); cannot migrate it")
        return 1
    try:
        result = migration.migrate(text)
    except migration.Unreadable as exc:
        call.out.write_lines(str(p).replace("-:", f"{shown}:", 1) for p in exc.problems)
        say(f"{shown} is not a knowledge file aideps can read as YAML (see above); fix it, then migrate")
        return 1
    except migration.FlowStyle as exc:
        say(
            f"{shown}:{exc.line}: `status` or `parent` here is not written one key per line (flow style "
            "`{...}` or a value on the next line); `aideps migrate` edits only block style: write it as "
            "`status: WORD` on its own line, then migrate (docs/format.md says what each status becomes)"
        )
        return 1
    if result.already:
        say(f"{shown} is already in format 2; nothing to do")
        return 0
    if check:
        say(f"{shown} is in format 1 and needs migrating (it would be {result.summary()}); run `aideps migrate {shown}`")
        return 1
    target = Path(output) if output is not None and str(output) != "-" else path
    report = check_bytes(result.text, str(target), base_dir=path.parent, check_quotes=False, keep_data=False)
    if not report.ok:
        call.out.write_lines(str(p) for p in report.errors)
        say(
            f"{shown} does not validate once migrated: {fmt.plural(len(report.errors), 'error')} (above, at lines "
            f"of the migrated text); fix them in {shown} and migrate again. Nothing was written."
        )
        return 1
    body = result.text.encode("utf-8")
    try:
        if target == path:
            if not force and path.is_symlink():
                raise exports.OutputError(f"'{shown}' is a symbolic link; to replace the link by a file, add --force")
            if not force and not os.access(path, os.W_OK):
                raise exports.OutputError(f"'{shown}' is read-only; to replace it anyway, add --force")
            backup = migration.keep_backup(path, content)
            try:
                exports.write_atomically(target, body, force=force)
            except BaseException:
                os.unlink(backup)
                raise
            where = f"; backup at {escaped(str(backup))}"
        else:
            exports.write_atomically(target, body, protected=(path,), force=force)
            where = f"; wrote {escaped(str(target))} ({shown} unchanged)"
    except exports.OutputError as exc:
        say(str(exc))
        return 1
    except OSError as exc:
        say(f"cannot keep a backup of {shown}: {exc.strerror or exc}; nothing was written")
        return 1
    say(f"{shown}: {result.summary()}{where}")
    return 0


def export(
    call: Call,
    name: str | None,
    form: str | None,
    output: Path | None,
    depth: int | None,
    kind: list[str],
    stage: list[str],
    health: list[str],
    certainty: list[str],
    status: list[str],
    dependencies: bool,
    labels: bool | None,
    title: str | None,
    as_of: str | None,
    as_json: bool,
    as_csv: bool,
    force: bool = False,
    no_parts: bool = False,
) -> int:
    _fmt(as_json, as_csv)
    from aideps import analysis
    from aideps.graph import store
    from aideps.knowledge import vocab
    from aideps.render import export as exports

    if output is not None and str(output) == "-":
        output = None  # `-o -`: stdout
    if output is not None:
        try:
            exports.refuse_protected(Path(output), tuple(store.resolve_paths(call.data)))
        except exports.OutputError as exc:
            print(exc, file=sys.stderr)
            return 1

    chosen = form
    for flag, implied in ((as_json, "json"), (as_csv, "csv")):
        if flag:
            if chosen not in (None, implied):
                raise Usage(f"--{implied} and --format {chosen} disagree", "'--format'")
            chosen = implied
    try:
        chosen = exports.format_for(output, chosen)
    except exports.FormatError as exc:
        raise Usage(str(exc), "'--output'") from None
    if chosen in exports.FOLDER_FORMATS and output is None:
        raise Usage(f"{chosen} writes two CSV files: name a folder for them with -o DIR", "'--format'")
    if chosen in exports.IMAGE_FORMATS and output is None and sys.stdout.isatty():
        raise Usage(f"{chosen} is an image: write it to a file with -o FILE (or redirect stdout)", "'--format'")
    if depth is not None and name is None:
        raise Usage("--depth needs a NAME to count hops from", "'--depth'")

    graph = _graph(call, as_of)
    center = graph.resolve(name) if name else None
    if dependencies:
        kind = [k for k in (kind or vocab.KINDS) if k in vocab.DEPENDENCY_KINDS]
    where = _where(stage, health, certainty, status)
    if chosen in exports.FOLDER_FORMATS:
        filtered = bool(kind or stage or health or certainty or status)
        return _neo4j(call, graph, Path(output), force, center, filtered, depth=depth, kinds=kind, where=where, parts=not no_parts)
    selection = analysis.selection(graph, center, depth=depth, kinds=kind, where=where, parts=not no_parts)
    document = exports.document(graph, selection, as_of=graph.as_of_summary())
    if chosen in ("dot", *exports.IMAGE_FORMATS):
        show_labels = labels if labels is not None else len(document["edges"]) <= 40
        body = exports.dot(document, title=title, labels=show_labels).encode("utf-8")
    else:
        body = exports.text(document, chosen, raw=call.csv_raw).encode("utf-8")
    try:
        if chosen in exports.IMAGE_FORMATS:
            body = exports.render_image(body.decode("utf-8"), chosen)
        if output is None:
            if chosen in exports.IMAGE_FORMATS:
                call.out.write_bytes(body)
            else:
                call.out.write(body.decode("utf-8"))
                call.out.flush()
            return 0
        written = exports.write_atomically(Path(output), body, protected=tuple(store.resolve_paths(call.data)), force=force)
    except (exports.GraphvizError, exports.OutputError) as exc:
        print(exc, file=sys.stderr)
        return 1
    from aideps.render import fmt

    from aideps.knowledge.text import escaped

    print(
        f"wrote {escaped(str(written))} ({chosen}: {fmt.plural(len(document['nodes']), 'entity', 'entities')}, "
        f"{fmt.plural(len(document['edges']), 'relationship')})",
        file=sys.stderr,
    )
    return 0


def _neo4j(call: Call, graph, folder: Path, force: bool, center: str | None, filtered: bool, **choice) -> int:
    """export --format neo4j: the whole graph streamed from the store as it
    yields it; a neighbourhood or a filtered part through the export's selection."""
    from aideps import analysis
    from aideps.graph import store
    from aideps.knowledge.text import escaped
    from aideps.render import export as exports
    from aideps.render import fmt, neo4j

    if center is None and not filtered:
        entities, relationships = graph.store.entities.values(), graph.store.relationships
    else:
        picked = analysis.selection(graph, center, **choice)
        entities = (graph.store.entity(eid) or {"id": eid} for eid in picked["nodes"])
        relationships = picked["relationships"]
    try:
        written = neo4j.write(
            folder, entities, relationships, entity=graph.store.entity, raw=call.csv_raw,
            protected=tuple(store.resolve_paths(call.data)), force=force,
        )
    except exports.OutputError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"wrote {escaped(str(written.nodes))} ({fmt.plural(written.node_count, 'entity', 'entities')}) and "
        f"{escaped(str(written.relationships))} ({fmt.plural(written.relationship_count, 'relationship')}); "
        f"import them with: {escaped(neo4j.import_command(folder))}",
        file=sys.stderr,
    )
    return 0


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
            data=[Path(d) for d in ([data] if isinstance(data, (str, Path)) else data)],
            no_color=bool(values.pop("no_color", False)),
            lenient=bool(values.pop("lenient", False)) or os.environ.get("AIDEPS_LENIENT", "") not in ("", "0"),
            out=out,
        )
        if values.pop("csv_raw", False):
            call.csv_raw = True
            if command.run != "export":  # export: only with --format csv
                values["as_csv"] = True
        function = globals()[command.run]

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
            f"{fmt.plural(info['stamps'], 'stamp')}",
            f"Stale: {info['stale_stamps']} stamps of files gone, {info['stale_indexes']} indexes no file uses, "
            f"{info['leftovers']} leftover temporary files"
            + (" (removed at the next build, or by 'aideps cache clean')" if stale else ""),
        ]
    )
    return 0


IMPORT_SOURCES = ("ecosystem-graphs",)


def import_catalogue(call: Call, source: str, folder: Path, output: Path | None, force: bool, report: Path | None) -> int:
    """`aideps import ecosystem-graphs DIR`: the knowledge file to -o FILE (else stdout), the report to stderr or --report."""
    import json
    from collections import Counter

    from aideps.imports import console, ecosystem

    if source not in IMPORT_SOURCES:
        raise Usage(f"{source!r} is not one of {', '.join(IMPORT_SOURCES)}", "'SOURCE'")
    folder = Path(folder)
    files = ecosystem.asset_files(folder)
    if not files:
        print(f"no assets/*.yaml in {folder}: is it a checkout of Ecosystem Graphs?", file=sys.stderr)
        return 1
    if output is not None and str(output) == "-":
        output = None
    try:
        if output is not None:
            ecosystem.check_output(Path(output), folder, force=force)
        if report is not None:
            ecosystem.check_output(Path(report), folder, force=True)
    except ecosystem.ImportRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    with console.Progress(len(files)) as step:
        doc, mess, count = ecosystem.run(folder, on_file=step)
    mess.finish()
    summary = mess.to_json(
        files=count, entities=dict(Counter(e["type"] for e in doc["entities"])), relationships=len(doc["relationships"])
    )
    try:
        if output is None:
            call.out.write(ecosystem.dump(doc).decode("utf-8"))
            call.out.flush()
        else:
            ecosystem.write(Path(output), doc)
        if report is not None:
            from aideps.knowledge.atomic import replace_file

            replace_file(report, (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    except OSError as exc:
        return _write_failed(exc)
    if report is None:
        print("\n".join(console.wrapped(mess.lines(summary))), file=sys.stderr)
    if output is not None:
        from aideps.knowledge.text import escaped

        print(f"wrote {escaped(str(output))}", file=sys.stderr)
    return 0


def _write_failed(exc: OSError) -> int:
    print(f"cannot write {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
    return 1
