"""The commands that read or write whole files: migrate (format 1 to 2 in
place), export (a picture or data file of the graph, or neo4j's CSV folder)
and import (a knowledge file from another catalogue). Typer-free, like
aideps.cli.run, which dispatches to them.
"""

from __future__ import annotations

import os
import sys

from aideps.cli.call import Call, Usage, chosen_format, graph_of, where_of

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path


def migrate(call: Call, file: Path, output: Path | None, check: bool, force: bool) -> int:
    from aideps.knowledge import migrate as migration
    from aideps.knowledge.files import read_bytes
    from aideps.knowledge.problems import DataError
    from aideps.knowledge.text import escaped
    from aideps.knowledge.validate import check_bytes
    from aideps.render import export as exports
    from aideps.render import fmt
    from pathlib import Path

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
    to_stdout = output is not None and str(output) == "-"
    target = Path(output) if output is not None and not to_stdout else path
    report = check_bytes(result.text, str(target), base_dir=path.parent, check_quotes=False, keep_data=False)
    if not report.ok:
        call.out.write_lines(str(p) for p in report.errors)
        say(
            f"{shown} does not validate once migrated: {fmt.plural(len(report.errors), 'error')} (above, at lines "
            f"of the migrated text); fix them in {shown} and migrate again. Nothing was written."
        )
        return 1
    if to_stdout:  # -o -: the migrated text to stdout, the file left as it is
        call.out.write(result.text)
        say(f"{shown}: {result.summary()}; written to stdout ({shown} unchanged)")
        return 0
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
    chosen_format(as_json, as_csv)
    from aideps import analysis
    from aideps.graph import store
    from aideps.knowledge import vocab
    from aideps.render import export as exports

    if output is not None and str(output) == "-":
        output = None  # `-o -`: stdout
    if output is not None:
        from pathlib import Path  # (only to write a file: pathlib costs a run to stdout ~13 ms)

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

    graph = graph_of(call, as_of)
    center = graph.resolve(name) if name else None
    if dependencies:
        kind = [k for k in (kind or vocab.KINDS) if k in vocab.DEPENDENCY_KINDS]
    where = where_of(stage, health, certainty, status)
    if chosen in exports.FOLDER_FORMATS:
        filtered = bool(kind or stage or health or certainty or status)
        return neo4j_folder(call, graph, Path(output), force, center, filtered, depth=depth, kinds=kind, where=where, parts=not no_parts)
    selection = analysis.selection(graph, center, depth=depth, kinds=kind, where=where, parts=not no_parts)
    document = exports.document(graph, selection, as_of=graph.as_of_summary())
    if chosen in ("dot", "mermaid", *exports.IMAGE_FORMATS):
        document = exports.held(document)  # a drawing lays out the whole at once
    try:
        if chosen in ("dot", *exports.IMAGE_FORMATS):
            show_labels = labels if labels is not None else len(document["edges"]) <= 40
            text = exports.dot(document, title=title, labels=show_labels)
            texts = iter((text,))
        else:  # JSON, CSV and GraphML written as the document is read
            texts = exports.chunks(document, chosen, raw=call.csv_raw)
        if chosen in exports.IMAGE_FORMATS:
            image = exports.render_image(next(texts), chosen)
            if output is None:
                call.out.write_bytes(image)
                return 0
            pieces = iter((image,))
        elif output is None:
            for piece in texts:
                call.out.write(piece)
            call.out.flush()
            return 0
        else:
            pieces = (piece.encode("utf-8") for piece in texts)
        written = exports.write_atomically(Path(output), pieces, protected=tuple(store.resolve_paths(call.data)), force=force)
    except (exports.GraphvizError, exports.OutputError) as exc:
        print(exc, file=sys.stderr)
        return 1
    from aideps.render import fmt

    from aideps.knowledge.text import escaped

    print(
        f"wrote {escaped(str(written))} ({chosen}: "
        f"{fmt.plural(len(selection['nodes']), 'entity', 'entities')}, "
        f"{fmt.plural(exports.count(document['edges']), 'relationship')})",
        file=sys.stderr,
    )
    _say_spread(chosen, document)
    return 0


def _say_spread(chosen: str, document: dict) -> None:
    """On stderr: a drawing too big for dot's layout is spread out, and how to draw less."""
    from aideps.render import picture

    if chosen in ("dot", "svg", "png", "pdf") and picture.is_spread(len(document["nodes"])):
        print(
            f"more than {picture.SPREAD_OVER} entities: spread out by Graphviz's sfdp at full size, parts joined "
            "to their company by grey lines; for one neighbourhood, `aideps export NAME --depth 2 -o FILE`",
            file=sys.stderr,
        )


def neo4j_folder(call: Call, graph, folder: Path, force: bool, center: str | None, filtered: bool, **choice) -> int:
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
        entities = picked.get("entities") or (graph.store.entity(eid) or {"id": eid} for eid in picked["nodes"])
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


IMPORT_SOURCES = ("ecosystem-graphs",)


def import_catalogue(call: Call, source: str, folder: Path, output: Path | None, force: bool, report: Path | None) -> int:
    """`aideps import ecosystem-graphs DIR`: the knowledge file to -o FILE (else stdout), the report to stderr or --report."""
    import json
    from collections import Counter

    from pathlib import Path

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
        return write_failed(exc)
    if report is None:
        print("\n".join(console.wrapped(mess.lines(summary))), file=sys.stderr)
    if output is not None:
        from aideps.knowledge.text import escaped

        print(f"wrote {escaped(str(output))}", file=sys.stderr)
    return 0


def write_failed(exc: OSError) -> int:
    print(f"cannot write {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
    return 1
