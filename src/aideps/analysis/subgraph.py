"""The part of the graph an export draws (selection)."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Mapping

from aideps.graph.core import Graph
from aideps.graph.parts import family
from aideps.graph.stream import Stream
from aideps.graph.where import Where
from aideps.knowledge import vocab


def selection(
    g: Graph,
    center: str | None = None,
    *,
    depth: int | None = None,
    kinds: Iterable[str] | None = None,
    where: Where | None = None,
    parts: bool = True,
) -> dict:
    """The entities and relationships an export draws: relationships of the
    given kinds (default: all, rivalry too) that `where` keeps; around `center`,
    the entities within `depth` hops of it either way (default 1) and the
    relationships among them. Without a centre and filters, every entity,
    even one with no relationship. With `parts`, the centre's parts count as
    the centre (aideps.graph.parts): their neighbours are one hop away.

    {"center", "depth", "kinds", "filters", "nodes" (ids), "relationships"};
    without a centre, "relationships" is a Stream read as it is written, and
    "entities" one of the nodes' records, in the same order."""
    chosen = tuple(kinds) if kinds else vocab.KINDS
    wrong = [k for k in chosen if k not in vocab.KINDS]
    if wrong:
        raise ValueError(f"unknown kind {', '.join(wrong)}")
    kinds_set = set(chosen)
    keep = where or Where()

    def ok(rel: Mapping) -> bool:
        return rel["kind"] in kinds_set and keep.ok(rel)

    if center is None:
        return _whole(g, chosen, kinds, keep)
    rels = [r for r in g.store.relationships if ok(r)]
    if center is not None:
        limit = 1 if depth is None else depth
        near = dict.fromkeys(family(g.store, center, parts), 0)
        queue = deque(near)
        while queue:
            node = queue.popleft()
            if near[node] >= limit:
                continue
            for rel in itertools.chain(g.store.outgoing(node), g.store.incoming(node)):
                if not ok(rel):
                    continue
                other = rel["to"] if rel["from"] == node else rel["from"]
                if other not in near:
                    near[other] = near[node] + 1
                    queue.append(other)
        rels = [r for r in rels if r["from"] in near and r["to"] in near]
        touched = {e for r in rels for e in (r["from"], r["to"])}
        # A part is drawn for what it brings: a part with no relationship here is left out.
        nodes = [n for n in near if near[n] or n == center or n in touched]
    present = set(nodes)  # membership in a set: linear in nodes + edges, not their product
    for rel in rels:  # an edge to an entity the file lacks still gets a node
        for end in (rel["from"], rel["to"]):
            if end not in present:
                present.add(end)
                nodes.append(end)
    rels.sort(key=lambda r: (vocab.KIND_ORDER.get(r["kind"], 99), r["from"], r["to"], r["id"]))
    return {
        "center": g.ref(center) if center else None,
        "depth": (1 if depth is None else depth) if center else None,
        "kinds": list(chosen),
        "filters": keep.doc(),
        "nodes": nodes,
        "relationships": rels,
    }


def _whole(g: Graph, chosen: tuple[str, ...], kinds: Iterable[str] | None, keep: Where) -> dict:
    """The selection without a centre, streamed: `relationships` is read from
    the store as it is written (in the store's export order), so a file of a
    million relationships is exported in the memory of one; `nodes` holds ids
    only. Every entity, or with filters those at the end of a relationship
    kept (in file order); then any end the file lacks, which gets a node.
    `entities` streams what each node shows: of the whole file, the entities'
    lines (aideps.knowledge.listing.line, read without decoding records),
    else their records; an end the file lacks is its id alone."""
    wanted = list(chosen) if kinds else None
    if keep:
        ends = ((r["from"], r["to"]) for r in g.store.relationships if (wanted is None or r["kind"] in chosen) and keep.ok(r))
    else:
        ends = ((head[1], head[2]) for head in g.store.heads(wanted))
    every = not (kinds or keep)
    found: dict[str, None] = dict.fromkeys(g.store.entities) if every else {}
    known = len(found)
    for pair in ends:
        found.update(zip(pair, (None, None)))
    nodes = list(found)

    def records() -> Iterator[dict]:
        if every:  # one pass over the file's entities' lines (what a node shows), none of them kept
            yield from g.store.listing()
        for eid in nodes[known:] if every else nodes:
            yield g.store.entity(eid) or {"id": eid}

    return {
        "center": None,
        "depth": None,
        "kinds": list(chosen),
        "filters": keep.doc(),
        "nodes": nodes,
        "relationships": Stream(lambda: (r for r in g.store.ordered(wanted) if keep.ok(r))),
        "entities": Stream(records),
    }
