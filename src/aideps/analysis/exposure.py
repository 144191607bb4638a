"""Exposure: who relies on an entity, directly or through others (impact)."""

from __future__ import annotations

from collections.abc import Iterable

from aideps.analysis.common import Where, by_names, dependency_filter
from aideps.graph import groups as _groups
from aideps.graph import parts as wholes
from aideps.graph.core import Graph
from aideps.knowledge import vocab


def impact(
    g: Graph,
    target: str,
    *,
    depth: int | None = None,
    kinds: Iterable[str] | None = None,
    where: Where | None = None,
    parts: bool = True,
) -> dict:
    """The `impact` command's result: every entity that relies on `target`
    (or on a part of it) directly or through others, each at its shortest
    distance, with the relationships that expose it and one shortest chain;
    grouped by depth and by the kind of its own dependency; and the in-house
    efforts that aim to replace `target` (with `parts`, counting its parts:
    aideps.graph.parts)."""
    chosen, keep, ok = dependency_filter(kinds, where)
    roots = wholes.family(g.store, target, parts)
    own_parts = set(roots[1:])
    level: dict[str, int] = {r: 0 for r in roots}
    toward: dict[str, str] = {}  # a next hop on a shortest chain
    frontier = list(roots)
    exposed: list[dict] = []
    current = 0
    while frontier and (depth is None or current < depth):
        current += 1
        reached: dict[str, list] = {}
        for node in frontier:
            for rel in _groups.incoming(g.store, node):
                other = rel["from"]
                if ok(rel) and (other not in level or level[other] == current):
                    reached.setdefault(other, []).append(rel)
        for other in reached:
            level[other] = current
        for other, rels in sorted(reached.items(), key=lambda item: g.name(item[0]).casefold()):
            rels.sort(key=lambda r: (vocab.KIND_ORDER.get(r["kind"], 99), g.name(r["to"]).casefold()))
            toward[other] = rels[0]["to"]
            chain = [other]
            while chain[-1] in toward:
                chain.append(toward[chain[-1]])
            exposed.append(
                {
                    "entity": g.ref(other),
                    "depth": current,
                    "kinds": list(dict.fromkeys(r["kind"] for r in rels)),
                    "through": [g.ref(e) for e in dict.fromkeys(r["to"] for r in rels)],
                    "via": [g.edge(r, r["to"] if r["to"] in own_parts and not r.get("group") else None) for r in rels],
                    "path": [g.ref(e) for e in chain],
                }
            )
        frontier = sorted(reached)
    truncated = bool(frontier) and depth is not None and any(
        ok(rel) and rel["from"] not in level for node in frontier for rel in _groups.incoming(g.store, node)
    )
    groups: list[dict] = []
    for d in sorted({e["depth"] for e in exposed}):
        for kind in chosen:
            members = [e["entity"] for e in exposed if e["depth"] == d and kind in e["kinds"]]
            if members:
                groups.append({"depth": d, "kind": kind, "count": len(members), "entities": members})
    by_depth = {str(d): sum(1 for e in exposed if e["depth"] == d) for d in sorted({e["depth"] for e in exposed})}
    hedges = [
        g.edge(rel)
        for rel in sorted(
            (r for r in g.store.of_kinds(["in_house"]) if set(r.get("replaces") or []) & set(roots)),
            key=lambda r: by_names(g, r),
        )
    ]
    return {
        "target": g.ref(target),
        "parts": [g.ref(p) for p in roots[1:]],
        "depth": depth,
        "kinds": list(chosen),
        "filters": keep.doc(),
        "total": len(exposed),
        "direct": by_depth.get("1", 0),
        "by_depth": by_depth,
        "truncated": truncated,
        "exposed": exposed,
        "groups": groups,
        "hedges": hedges,
    }
