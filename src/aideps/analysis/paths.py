"""Paths: why one entity relies on another, through whom."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from aideps.analysis.common import Where, dependency_filter
from aideps.graph import groups as _groups
from aideps.graph import parts as wholes
from aideps.graph.core import Graph
from aideps.knowledge import vocab


# `--limit 0` (all paths) is refused when there are more than this many,
# unless `--all-paths` is given: nobody reads ten thousand paths.
ALL_PATHS_CAP = 10_000
# The overall budget of a search, whatever the options: edges looked at, and
# paths kept (with --all-paths). When it runs out the search stops and the
# result says so ("stopped").
BUDGET_STEPS = 2_000_000
BUDGET_PATHS = 100_000


class TooManyPaths(ValueError):
    """`--limit 0` found more than ALL_PATHS_CAP paths, without --all-paths."""


def _group(g: Graph, rels: list) -> list:
    return sorted(rels, key=lambda r: (vocab.KIND_ORDER.get(r["kind"], 99), r["id"]))


def why(
    g: Graph,
    source: str,
    target: str,
    *,
    depth: int = 4,
    kinds: Iterable[str] | None = None,
    where: Where | None = None,
    limit: int | None = 100,
    all_paths: bool = False,
    budget_steps: int = BUDGET_STEPS,
    budget_paths: int = BUDGET_PATHS,
    parts: bool = True,
) -> dict:
    """The `why` command's result: every dependency path from `source` to
    `target` (or to a part of it: Anthropic relies on CUDA, part of NVIDIA)
    of at most `depth` hops, no entity twice, shortest first; at most `limit`
    paths (None: all, refused with TooManyPaths above ALL_PATHS_CAP unless
    `all_paths`).

    The search is bounded: a path visits each entity at most once, so it has
    fewer hops than there are entities that can reach the target (whatever
    `depth` says); and it stops after `budget_steps` edges looked at or
    `budget_paths` paths, saying so in "stopped". With `parts`
    (aideps.graph.parts) a path may also leave from a part of `source`
    (LLaMA, part of Meta); without, neither."""
    chosen, keep, ok = dependency_filter(kinds, where)
    ends = wholes.family(g.store, target, parts)
    starts = [s for s in wholes.family(g.store, source, parts) if s == source or s not in ends]
    targets = set(ends)
    targets.difference_update(starts)
    # Distance from each entity to a target, against the arrows: prunes the search.
    distance: dict[str, int] = {t: 0 for t in targets}
    queue = deque(targets)
    while queue:
        node = queue.popleft()
        for rel in _groups.incoming(g.store, node):
            if ok(rel) and rel["from"] not in distance:
                distance[rel["from"]] = distance[node] + 1
                queue.append(rel["from"])
    # Every entity on a path can reach a target: no path is longer than that.
    reach = min(depth, max(len(distance) - 1, 0))
    if limit is None:
        cap = budget_paths if all_paths else ALL_PATHS_CAP + 1
    else:
        cap = min(limit, budget_paths)

    memo: dict[str, list[tuple[str, list]]] = {}

    if source not in distance:  # leaving from a part of it
        reached = [distance[s] for s in starts if s in distance]
        if reached:
            distance[source] = min(reached)
            reach = min(depth, max(len(distance) - 1, 0))

    def steps(node: str) -> list[tuple[str, list]]:
        if node not in memo:
            grouped: dict[str, list] = {}
            if node == source:
                outgoing = [s.rel for s in wholes.rolled(g.store, node, parts=parts, direction="out", groups="out")]
            else:
                outgoing = _groups.outgoing(g.store, node)
            for rel in outgoing:
                if ok(rel) and rel["to"] in distance and rel["to"] not in starts:
                    grouped.setdefault(rel["to"], []).append(rel)
            memo[node] = sorted(grouped.items(), key=lambda item: g.name(item[0]).casefold())
        return memo[node]

    found: list[list[tuple[str, str, list]]] = []
    count = {"steps": 0}
    stopped: str | None = None  # why the search stopped early, if it did

    def walk(node: str, trail: list, seen: set, length: int) -> bool:
        """Paths of exactly `length` more hops; False when a limit is reached."""
        nonlocal stopped
        for other, rels in steps(node):
            count["steps"] += 1
            if count["steps"] > budget_steps:
                stopped = "steps"
                return False
            if other in seen or distance[other] > length - 1:
                continue
            hop = (node, other, rels)
            if length == 1:
                if other in targets:
                    found.append(trail + [hop])
                    if len(found) >= cap:
                        if limit is None or limit > budget_paths:
                            stopped = "paths"  # else --limit was reached: "complete" says so
                        return False
                continue
            if other in targets:
                continue  # reached the target already: a longer path through it adds nothing
            seen.add(other)
            trail.append(hop)
            going = walk(other, trail, seen, length - 1)
            trail.pop()
            seen.discard(other)
            if not going:
                return False
        return True

    complete = True
    if source not in targets and source in distance:
        for length in range(1, reach + 1):
            if not walk(source, [], {source}, length):
                complete = False
                break
    if limit is None and not all_paths and len(found) > ALL_PATHS_CAP:
        raise TooManyPaths(
            f"more than {ALL_PATHS_CAP:,} paths: narrow with --kind / --depth, "
            "set a --limit, or pass --all-paths to list them all"
        )
    shortest_beyond = None
    if not found and source in distance and distance[source] > depth:
        shortest_beyond = distance[source]
    found.sort(key=lambda trail: (len(trail), trail[-1][1] != target, [g.name(h[1]).casefold() for h in trail]))
    # Hops and entity references are shared between paths: memory grows with
    # the graph, not with the number of paths times their length.
    refs: dict[str, dict] = {}
    hops: dict[tuple[str, str], dict] = {}

    def ref(eid: str) -> dict:
        if eid not in refs:
            refs[eid] = g.ref(eid)
        return refs[eid]

    def hop_of(a: str, b: str, rels: list) -> dict:
        if (a, b) not in hops:
            # A first hop may leave from a part of A (aideps.graph.parts): its `via`.
            hops[(a, b)] = {
                "from": ref(a),
                "to": ref(b),
                "relationships": [
                    g.edge(r, r["from"] if r["from"] != a and not r.get("group") else None) for r in _group(g, rels)
                ],
            }
        return hops[(a, b)]

    paths = []
    for trail in found:
        end = trail[-1][1]
        paths.append(
            {
                "length": len(trail),
                "entities": [ref(trail[0][0])] + [ref(h[1]) for h in trail],
                "hops": [hop_of(a, b, rels) for a, b, rels in trail],
                "ends_at_part": ref(end) if end != target else None,
            }
        )
    return {
        "from": g.ref(source),
        "to": g.ref(target),
        "depth": depth,
        "kinds": list(chosen),
        "filters": keep.doc(),
        "limit": limit,
        "complete": complete,
        "stopped": None if stopped is None else _stopped(stopped, len(paths), count["steps"], budget_steps, budget_paths),
        "paths": paths,
        "shortest_beyond_depth": shortest_beyond,
        "reverse_exists": bool(not paths and _reaches(g, target, set(starts), ok)),
        "exceptions": _exceptions(g, source, set(ends), ok) if not paths else [],
    }


def _exceptions(g: Graph, source: str, targets: set[str], ok) -> list[dict]:
    """The group dependencies toward the target `source` is excepted from
    ("except perhaps Apple"): [{"group", "relationship", "hedge", "words"}]."""
    found = []
    for item in _groups.excepted(g.store, source):
        rel = item["rel"]
        if ok(rel) and rel["to"] in targets:
            found.append(
                {
                    "group": g.ref(item["group"]),
                    "relationship": g.edge(rel),
                    "hedge": item["hedge"],
                    "words": _groups.except_words(g.name(source), item["hedge"]),
                }
            )
    return found


def _stopped(reason: str, paths: int, steps: int, budget_steps: int, budget_paths: int) -> dict:
    if reason == "steps":
        note = f"the search looked at {budget_steps:,} edges, its budget"
    else:
        note = f"{budget_paths:,} paths is the most a search keeps"
    return {"reason": reason, "paths": paths, "steps": min(steps, budget_steps), "note": note}


def _reaches(g: Graph, start: str, targets: set[str], ok) -> bool:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for rel in _groups.outgoing(g.store, node):
            if ok(rel) and rel["to"] not in seen:
                if rel["to"] in targets:
                    return True
                seen.add(rel["to"])
                queue.append(rel["to"])
    return False
