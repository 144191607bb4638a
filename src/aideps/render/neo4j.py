"""`aideps export --format neo4j -o DIR`: the graph as the two CSV files
`neo4j-admin database import` reads, in the folder DIR:

    DIR/nodes.csv          id:ID,:LABEL,name,type,description,aliases,parents:string[],sources:string[]
    DIR/relationships.csv  :START_ID,:END_ID,:TYPE,id,kind,stage,health,certainty,summary,
                           start:date,start_text,end:date,end_text,reported:date,reported_text,
                           amount,amount_values:double[],replaces:string[],sources:string[]

imported with (docs/design.md, "When one file is not enough")

    neo4j-admin database import full aideps --nodes=DIR/nodes.csv \\
        --relationships=DIR/relationships.csv --multiline-fields=true

Every entity is a node labelled `Entity` and its type (`Entity;Lab`); every
relationship has its kind as its type (`HARDWARE`, `IN_HOUSE`), from the
entity that relies to the one relied on. Arrays use Neo4j's default array
delimiter `;` and hold only ids (slugs, which never contain one) and
numbers; aliases, free text, are one text cell joined by "; " as in
`aideps list --csv`. A partial date is written as the file has it: Neo4j
reads `2024` and `2024-11` as their first day, so `*_text` keeps the
precision. An empty cell is no property (a relationship without a health
has none). Quotes, amounts' sources and the history stay in aideps: the
`id` and `sources` of each row lead back to them.

Streaming: rows are written as the store yields them, so memory does not
grow with the graph, except for the ids of the nodes written (to give an
endpoint the file lacks a node of its own, once). Both files are written
to temporary files beside the targets and renamed over them at the end:
a failure leaves the folder as it was. Cells go through the one CSV writer
(aideps.render.csvout), neutralised against formula injection unless `raw`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from aideps.knowledge.text import escaped
from aideps.render import csvout, fmt
from aideps.render.export import OutputError, replace_mode

NODES = "nodes.csv"
RELATIONSHIPS = "relationships.csv"
ARRAY = ";"  # neo4j-admin's default --array-delimiter

NODE_HEADER = [
    "id:ID", ":LABEL", "name", "type", "description", "aliases", "parents:string[]", "sources:string[]",
]
RELATIONSHIP_HEADER = [
    ":START_ID", ":END_ID", ":TYPE", "id", "kind", "stage", "health", "certainty", "summary",
    "start:date", "start_text", "end:date", "end_text", "reported:date", "reported_text",
    "amount", "amount_values:double[]", "replaces:string[]", "sources:string[]",
]


def import_command(folder: str | os.PathLike[str], database: str = "aideps") -> str:
    """The neo4j-admin command line that imports what `write` put in `folder`
    (into a new database; Neo4j 5's syntax, the database name first)."""
    base = Path(folder)
    return (
        f"neo4j-admin database import full {database} --nodes={base / NODES} "
        f"--relationships={base / RELATIONSHIPS} --multiline-fields=true"
    )


def label(etype: str | None) -> str:
    """The node labels of an entity type: 'Entity;Lab' (Entity alone when it has none)."""
    if not etype:
        return "Entity"
    return "Entity" + ARRAY + "".join(part.capitalize() for part in str(etype).split("_"))


def relationship_type(kind: str) -> str:
    """A kind as a Neo4j relationship type: 'in_house' -> 'IN_HOUSE'."""
    return str(kind).upper()


def _ids(values: Iterable[str]) -> str | None:
    unique = list(dict.fromkeys(v for v in values if v))
    return ARRAY.join(unique) if unique else None


def _claim_sources(*groups: Iterable[Mapping] | None) -> str | None:
    return _ids(item.get("source") for group in groups for item in group or ())


def node_row(entity: Mapping) -> list:
    """An entity's row under NODE_HEADER (format 2's `parents`, or format 1's `parent`)."""
    parents = entity.get("parents")
    if parents is None:
        parents = [entity["parent"]] if entity.get("parent") else []
    return [
        entity["id"],
        label(entity.get("type")),
        entity.get("name", entity["id"]),
        entity.get("type"),
        entity.get("description"),
        "; ".join(entity.get("aliases") or ()) or None,
        _ids(parents),
        _claim_sources(entity.get("provenance"), entity.get("facts"), entity.get("events")),
    ]


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def relationship_row(rel: Mapping) -> list:
    """A relationship's row under RELATIONSHIP_HEADER; stage, health,
    certainty and the dates may each be missing (an empty cell)."""
    amounts = rel.get("amounts") or []
    return [
        rel["from"],
        rel["to"],
        relationship_type(rel["kind"]),
        rel["id"],
        rel["kind"],
        rel.get("stage"),
        rel.get("health"),
        rel.get("certainty"),
        rel.get("summary"),
        rel.get("start"), rel.get("start"),
        rel.get("end"), rel.get("end"),
        rel.get("reported"), rel.get("reported"),
        fmt.amounts(amounts) or None,
        ARRAY.join(_number(a["amount"]) for a in amounts) or None,
        _ids(rel.get("replaces") or ()),
        _claim_sources(rel.get("provenance"), amounts, rel.get("history"), rel.get("terms")),
    ]


@dataclass
class Written:
    """What `write` wrote: the two files and how many rows each holds."""

    nodes: Path
    relationships: Path
    node_count: int
    relationship_count: int


def write(
    folder: str | os.PathLike[str],
    entities: Iterable[Mapping],
    relationships: Iterable[Mapping],
    *,
    entity: Callable[[str], Mapping | None] = lambda eid: None,
    raw: bool = False,
    protected: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> Written:
    """Write nodes.csv and relationships.csv into `folder` (made if missing;
    its parent must exist): a node for every entity of `entities`, then a
    relationship for every one of `relationships`; an endpoint that is no
    entity written so far gets its node then, from `entity(id)` (or its id
    alone). Each file is checked before a byte is written (never one of the
    `protected` files; a read-only file or a link only with `force`), then
    written beside its target and renamed over it once both are complete.
    OutputError says what went wrong."""
    base = Path(folder)
    shown = escaped(str(base))
    if base.exists() and not base.is_dir():
        raise OutputError(
            f"'{shown}' is a file: --format neo4j writes a folder ({NODES} and {RELATIONSHIPS}); name a folder"
        )
    protected = tuple(protected)
    if not base.exists():
        parent = base.parent if str(base.parent) else Path(".")
        if not parent.is_dir():
            raise OutputError(f"cannot write '{shown}': the directory '{escaped(str(parent))}' does not exist")
        try:
            base.mkdir()
        except OSError as exc:
            raise OutputError(f"cannot make the folder '{shown}': {exc.strerror or exc}") from None
    targets = (base / NODES, base / RELATIONSHIPS)
    modes = []
    for target in targets:
        if target.is_dir():
            raise OutputError(f"'{escaped(str(target))}' is a directory; remove it or name another folder")
        mode = replace_mode(target, protected=protected, force=force)
        if mode is None:
            raise OutputError(f"'{escaped(str(target))}' is not a regular file; name another folder")
        modes.append(mode)
    temporaries: list[str] = []
    try:
        with ExitStack() as files:
            streams = []
            for target in targets:
                try:
                    handle, temporary = tempfile.mkstemp(dir=base, prefix=f".{target.name}.", suffix=".tmp")
                except OSError as exc:
                    raise OutputError(f"cannot write in '{shown}': {exc.strerror or exc}") from None
                temporaries.append(temporary)
                streams.append(files.enter_context(os.fdopen(handle, "w", encoding="utf-8", newline="")))
            node_stream, rel_stream = streams
            put_node = csvout.writer(NODE_HEADER, node_stream, raw=raw)
            put_rel = csvout.writer(RELATIONSHIP_HEADER, rel_stream, raw=raw)
            seen: set[str] = set()
            for item in entities:
                if item["id"] not in seen:
                    seen.add(item["id"])
                    put_node(node_row(item))
            count = 0
            for rel in relationships:
                for end in (rel["from"], rel["to"]):
                    if end not in seen:
                        seen.add(end)
                        put_node(node_row(entity(end) or {"id": end}))
                put_rel(relationship_row(rel))
                count += 1
            for stream in (node_stream, rel_stream):
                stream.flush()
                os.fsync(stream.fileno())
        for temporary, mode in zip(temporaries, modes):
            os.chmod(temporary, mode)
        for temporary, target in zip(temporaries, targets):
            os.replace(temporary, target)
        temporaries.clear()
    except OSError as exc:
        raise OutputError(f"cannot write into '{shown}': {exc.strerror or exc}") from None
    finally:
        for temporary in temporaries:
            try:
                os.unlink(temporary)
            except OSError:
                pass
    return Written(targets[0], targets[1], len(seen), count)
