"""Paths: why one entity relies on another, through whom."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from aideps.analysis.common import dependency_filter
from aideps.graph import parts as wholes
from aideps.graph.core import Graph
from aideps.knowledge import vocab


def _hop(g: Graph, a: str, b: str, rels: list) -> dict:
    rels = sorted(rels, key=lambda r: (vocab.KIND_ORDER.get(r["kind"], 99), r["id"]))
    # A first hop may leave from a part of A (aideps.graph.parts): its `via`.
    return {"from": g.ref(a), "to": g.ref(b), "relationships": [g.edge(r, r["from"] if r["from"] != a else None) for r in rels]}


def why(
    g: Graph,
    source: str,
    target: str,
    *,
    depth: int = 4,
    kinds: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    limit: int | None = 100,
    parts: bool = True,
) -> dict:
    """The `why` command's result: every dependency path from `source` to
    `target` (or to a part of it: Anthropic relies on CUDA, part of NVIDIA)
    of at most `depth` hops, no entity twice, shortest first; at most `limit`
    paths (None: all). With `parts` (aideps.graph.parts) a path may also
    leave from a part of `source` (LLaMA, part of Meta); without, neither."""
    chosen, wanted, ok = dependency_filter(kinds, statuses)
    ends = wholes.family(g.store, target, parts)
    starts = [s for s in wholes.family(g.store, source, parts) if s == source or s not in ends]
    targets = set(ends)
    targets.difference_update(starts)
    # Distance from each entity to a target, against the arrows: prunes the search.
    distance: dict[str, int] = {t: 0 for t in targets}
    queue = deque(targets)
    while queue:
        node = queue.popleft()
        for rel in g.store.incoming(node):
            if ok(rel) and rel["from"] not in distance:
                distance[rel["from"]] = distance[node] + 1
                queue.append(rel["from"])

    if source not in distance:  # leaving from a part of it
        reached = [distance[s] for s in starts if s in distance]
        if reached:
            distance[source] = min(reached)

    def steps(node: str) -> list[tuple[str, list]]:
        grouped: dict[str, list] = {}
        if node == source:
            outgoing = [s.rel for s in wholes.rolled(g.store, node, parts=parts, direction="out")]
        else:
            outgoing = g.store.outgoing(node)
        for rel in outgoing:
            if ok(rel) and rel["to"] not in starts:
                grouped.setdefault(rel["to"], []).append(rel)
        return sorted(grouped.items(), key=lambda item: g.name(item[0]).casefold())

    found: list[list[tuple[str, str, list]]] = []
    complete = True

    def walk(node: str, trail: list, seen: set, length: int) -> bool:
        """Paths of exactly `length` more hops; False when the limit is reached."""
        for other, rels in steps(node):
            if other in seen or distance.get(other, length + 1) > length - 1:
                continue
            hop = (node, other, rels)
            if length == 1:
                if other in targets:
                    found.append(trail + [hop])
                    if limit is not None and len(found) >= limit:
                        return False
                continue
            if other in targets:
                continue  # reached the target already: a longer path through it adds nothing
            if not walk(other, trail + [hop], seen | {other}, length - 1):
                return False
        return True

    if source not in targets and source in distance:
        for length in range(1, depth + 1):
            if not walk(source, [], {source}, length):
                complete = False
                break
    shortest_beyond = None
    if not found and source in distance and distance[source] > depth:
        shortest_beyond = distance[source]
    found.sort(key=lambda trail: (len(trail), trail[-1][1] != target, [g.name(h[1]).casefold() for h in trail]))
    paths = []
    for trail in found:
        end = trail[-1][1]
        paths.append(
            {
                "length": len(trail),
                "entities": [g.ref(trail[0][0])] + [g.ref(h[1]) for h in trail],
                "hops": [_hop(g, a, b, rels) for a, b, rels in trail],
                "ends_at_part": g.ref(end) if end != target else None,
            }
        )
    return {
        "from": g.ref(source),
        "to": g.ref(target),
        "depth": depth,
        "kinds": list(chosen),
        "statuses": sorted(wanted, key=vocab.STATUS_ORDER.get),
        "limit": limit,
        "complete": complete,
        "paths": paths,
        "shortest_beyond_depth": shortest_beyond,
        "reverse_exists": bool(not paths and _reaches(g, target, set(starts), ok)),
    }


def _reaches(g: Graph, start: str, targets: set[str], ok) -> bool:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for rel in g.store.outgoing(node):
            if ok(rel) and rel["to"] not in seen:
                if rel["to"] in targets:
                    return True
                seen.add(rel["to"])
                queue.append(rel["to"])
    return False
