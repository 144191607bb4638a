"""The `tree` command's result: what an entity relies on, or what relies on
it, hop by hop (Graph.tree)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from aideps.graph import parts as _parts
from aideps.graph.stream import SizedStream
from aideps.graph.where import Where, where as _where
from aideps.knowledge import vocab

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
# The graph is aideps.graph.core.Graph, which imports this module: naming it
# here, even for type checking only, would be an import cycle.
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any as Graph

_KIND_ORDER = vocab.KIND_ORDER
# Children whose reads are made at once (Store.prefetch, Store.having), as a
# node's children are built: a hub's tens of thousands, a few queries each
# batch rather than a few each.
PRIMED = 256


def tree(
    g: "Graph",
    root: str,
    *,
    reverse: bool = False,
    depth: int | None = None,
    kinds: Iterable[str] | None = None,
    where: Where | None = None,
    parts: bool = True,
    entities: Sequence = (),
    claims: bool = True,
    stream: bool = False,
) -> dict:
    """The `tree` command's result: what `root` relies on (or, reversed,
    what relies on it), following dependency kinds only (optionally only
    `kinds`, only relationships `where` keeps, and only to entities that
    meet every condition of `entities`: aideps.graph.conditions). A member of a group
    takes in the group's dependencies (aideps.graph.groups): "via <group>".

    Each node is {"entity", "via", "marker", "truncated", "children"}:
    `via` lists the relationships from the parent node to this one;
    `marker` is "repeated" for an entity whose subtree was already shown
    (not expanded again, like cargo tree's `(*)`), "cycle" for one that is
    its own ancestor (never expanded), else None; `truncated` says the
    depth limit hid its children. Without `claims`, the relationships are
    viewed as a drawing shows them (Graph.edge): a text or CSV tree.

    With `stream`, an expanded node's children are a SizedStream (its
    length known, aideps.graph.stream) built as it is read, depth first, and
    read once: a hub's tree of some hundred thousand nodes is written as it
    is built, never held. Read in order (each child's subtree before the
    next child), it gives what the lists give: the same markers.
    """
    chosen = tuple(kinds) if kinds else vocab.DEPENDENCY_KINDS
    not_dependencies = [k for k in chosen if k not in vocab.DEPENDENCY_KINDS]
    if not_dependencies:
        raise ValueError(f"{', '.join(not_dependencies)} is not a dependency kind; trees follow dependencies only")
    allowed = set(chosen)
    keep = _where(where)
    by_date = g.sort_key("date")

    def followed(eid: str) -> Iterator[tuple[dict, str | None]]:
        """(relationship, the part of `eid` it goes through) for each one the tree follows from `eid`."""
        members = set(_parts.family(g.store, eid, parts))
        for item in _parts.rolled(
            g.store, eid, parts=parts, direction="in" if reverse else "out", groups="both"
        ):
            rel = item.rel
            other = rel["from"] if reverse else rel["to"]
            if item.via is not None and other in members:
                continue  # between parts of the whole: not something it relies on
            if rel["kind"] in allowed and keep.ok(rel) and (not entities or meets(other)):
                yield rel, item.via

    def neighbours(eid: str) -> list[tuple[str, list[tuple[dict, str | None]]]]:
        """(other entity, [(relationship, the part of `eid` it goes through)])."""
        edges = list(followed(eid))
        groups: dict[str, list[tuple[dict, str | None]]] = {}
        for rel, via in sorted(edges, key=lambda e: (_KIND_ORDER.get(e[0]["kind"], 99), by_date(e[0]))):
            groups.setdefault(rel["from"] if reverse else rel["to"], []).append((rel, via))
        g.store.prefetch_names(groups)  # each is named (sorted by name, then drawn): a few queries for all
        return sorted(
            groups.items(),
            key=lambda item: (_KIND_ORDER.get(item[1][0][0]["kind"], 99), g.name(item[0]).casefold()),
        )

    met: dict[str, bool] = {}

    def meets(eid: str) -> bool:
        if eid not in met:
            entity = g.store.entities.get(eid)
            met[eid] = entity is not None and all(c.holds(entity) for c in entities)
        return met[eid]

    expanded: set[str] = set()
    below_of: dict[str, bool] = {}  # whether the tree follows anything from an entity (asked once each)
    side = "to" if reverse else "from"

    asked: set[str] = set()  # (once each: an entity a level below many others)
    incoming, outgoing = g.store.incoming, g.store.outgoing

    def prime_leaves(ids: list[str]) -> None:
        """Read the names and parents of entities drawn but not expanded, and
        whether they have anything below, for all of them at once."""
        ask = [eid for eid in dict.fromkeys(ids) if eid not in asked]
        if not ask:
            return
        asked.update(ask)
        g.store.prefetch(ask)
        if not entities:  # (entity conditions are asked one by one)
            for eid in g.store.having(ask, side, allowed, keep):
                below_of[eid] = True  # what below_by_heads finds first: a relationship of its own

    def has_below(eid: str) -> bool:
        found = below_of.get(eid)
        if found is None:
            found = below_by_heads(g, eid, reverse, parts, allowed, keep, meets if entities else None)
            if found is None:
                found = next(followed(eid), None) is not None
            below_of[eid] = found
        return found

    def build(eid: str, via: list[tuple[dict, str | None]], ancestors: tuple[str, ...], level: int) -> dict:
        node = {
            "entity": g.ref(eid),
            "via": [g.edge(rel, part, claims=claims) for rel, part in via],
            "marker": None,
            "truncated": False,
            "children": [],
        }
        # Back to an entity above it, or to a part of one above its parent
        # (a whole's own part under it is not a cycle: Microsoft builds its chips).
        if eid in ancestors or parts and _parts.is_part_of(g.store, eid, ancestors[:-1]):
            node["marker"] = "cycle"
            return node
        if eid in expanded or depth is not None and level >= depth:
            # Not expanded here: whether it has anything below is enough (not its sorted neighbours).
            if has_below(eid):
                if eid in expanded:
                    node["marker"] = "repeated"
                else:
                    node["truncated"] = True
            return node
        nexts = neighbours(eid)
        if not nexts:
            return node
        expanded.add(eid)
        below = ancestors + (eid,)
        leaves = depth is not None and level + 1 >= depth  # asked only whether they have anything below

        def prime(ids: list[str]) -> None:
            """Read what building these children reads, for all of them at
            once: their names and parents, and whether they have anything
            below; to be expanded, their relationships, and when their own
            children are the last level, those children's reads too (a hub's
            dependents have a handful each: primed a handful at a time, they
            would cost a few queries each)."""
            if leaves:
                prime_leaves(ids)
                return
            g.store.prefetch(ids, side)
            if parts:  # (a tree follows the relationships of an entity's parts too)
                g.store.prefetch([part for other in ids for part in g.store.children(other)], side)
            if depth is not None and level + 2 >= depth:
                ends = incoming if reverse else outgoing
                far = "from" if reverse else "to"
                prime_leaves([rel[far] for other in ids for rel in ends(other)])

        def children() -> Iterator[dict]:
            nexts.reverse()
            ahead = 0  # children primed, not yet built
            while nexts:  # each let go once built (a hub's tens of thousands, with their relationships)
                if not ahead:
                    coming = [other for other, _ in nexts[-PRIMED:]]
                    prime(coming)
                    ahead = len(coming)
                ahead -= 1
                other, rels = nexts.pop()
                yield build(other, rels, below, level + 1)

        node["children"] = _Once(children, len(nexts)) if stream else list(children())
        return node

    return {
        "root": g.ref(root),
        "reverse": reverse,
        "depth": depth,
        "kinds": list(chosen),
        "filters": {**keep.doc(), "where": [str(c) for c in entities]},
        "parts": parts,
        "tree": build(root, [], (), 0),
    }


class _Once(SizedStream):
    """A streamed node's children: built as they are read, so read once
    (building them again would find them expanded)."""

    def __iter__(self) -> Iterator[dict]:
        if self._make is None:
            raise RuntimeError("a streamed tree's children are read once")
        make, self._make = self._make, None
        self.count = 0
        for item in make():
            self.count += 1
            yield item


def below_by_heads(g: "Graph", eid: str, reverse: bool, parts: bool, allowed: set, keep: Where, meets) -> bool | None:
    """Whether a tree follows anything from `eid` (`followed` in `tree`
    yields something), told from the relationships' heads (Store.heads_of),
    none of them read: a hub's tree has tens of thousands of leaves to ask
    this of. None when it takes reading them to tell (the dependencies of a
    group, which its members inherit). `meets`: the entity conditions, or None."""
    members = _parts.family(g.store, eid, parts)
    inside = set(members)
    side, far = ("to", 1) if reverse else ("from", 2)
    undecided = not reverse and bool(g.store.groups_of(eid))  # it inherits its groups' dependencies
    for member in members:
        for head in g.store.heads_of(member, side):
            if head[3] not in allowed or not keep.ok_head(head):
                continue  # nor is any copy a group's member inherits (same kind and status)
            other = head[far]
            if (member != eid and other in inside) or (meets is not None and not meets(other)):
                # Not followed; but from a group, its members (the other ends of their copies) might be.
                undecided = undecided or reverse
                continue
            return True
    return None if undecided else False
