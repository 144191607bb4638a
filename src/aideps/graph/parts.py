"""Parts: the one rule for how a whole takes in its parts' relationships.

An entity with X among its `parents` is a part of X (Azure, GitHub and Bing are parts
of Microsoft; GitHub Copilot is a part of GitHub, so of Microsoft too). Every
command that speaks of an entity's relationships (show, tree, why, impact,
research / distribution / hardware with --entity, stats, export NAME) asks
this module which relationships are the entity's: its own, and those of its
parts, each tagged with the part it goes through (`via`). `--no-parts` turns
the roll-up off everywhere: `rolled(..., parts=False)` is the entity's own.
"""

from __future__ import annotations

from collections import deque
from collections import namedtuple

TYPE_CHECKING = False

if TYPE_CHECKING:  # pragma: no cover
    from aideps.graph.protocol import Store


def parts_of(store: "Store", eid: str) -> list[str]:
    """The parts of an entity, and their parts, breadth first (no entity twice,
    never the entity itself, even when the file loops)."""
    found: list[str] = []
    seen = {eid}
    queue = deque(store.children(eid))
    while queue:
        child = queue.popleft()
        if child in seen:
            continue
        seen.add(child)
        found.append(child)
        queue.extend(store.children(child))
    return found


def family(store: "Store", eid: str, parts: bool = True) -> list[str]:
    """The entity, then its parts (only the entity with parts=False)."""
    return [eid, *parts_of(store, eid)] if parts else [eid]


def parents_of(store: "Store", eid: str) -> list[str]:
    """The entity's parents, in the order the file lists them."""
    return list(store.parents(eid))


def whole_of(store: "Store", eid: str) -> str:
    """The outermost whole an entity is part of, following its first parent
    at each step (itself when it is part of nothing)."""
    seen = {eid}
    node = eid
    parents = parents_of(store, node)
    while parents and parents[0] not in seen:
        node = parents[0]
        seen.add(node)
        parents = parents_of(store, node)
    return node


def wholes_of(store: "Store", eid: str) -> list[str]:
    """Every whole an entity is part of, through every parent, nearest first
    (never the entity itself, even when the file loops)."""
    found: list[str] = []
    seen = {eid}
    queue = deque(parents_of(store, eid))
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        found.append(node)
        queue.extend(parents_of(store, node))
    return found


def is_part_of(store: "Store", eid: str, wholes) -> bool:
    """Whether `eid` is a part (at any depth, through any parent) of one of `wholes`."""
    return any(node in wholes for node in wholes_of(store, eid))


class Sided(namedtuple("Sided", "rel direction via")):
    """One relationship of a whole (`rel`, a dict): `direction` "out" (the
    whole, or a part of it, relies on the other end) or "in"; `via` the part
    it goes through (None when it is the whole's own)."""

    __slots__ = ()


def rolled(
    store: "Store", eid: str, *, parts: bool = True, direction: str | None = None, groups: str = ""
) -> list[Sided]:
    """The relationships of `eid` and (with `parts`) of its parts, each once:
    outgoing ones (its `from` in the family) then incoming ones, each in file
    order per member. A relationship between two members of the family is
    listed once, as outgoing. `direction` ("out" or "in") keeps one side.
    `groups` ("out", "in" or "both"): on those sides, the relationships
    members inherit from their groups too (aideps.graph.groups; a copy with
    its `group`)."""
    from aideps.graph import groups as _groups

    members = family(store, eid, parts)
    inside = set(members)
    found: list[Sided] = []
    seen: set[tuple] = set()

    def key(rel: dict) -> tuple:
        return (rel["id"], rel["from"], rel.get("group"))

    if direction in (None, "out"):
        for member in members:
            rels = store.outgoing(member)
            if groups in ("out", "both") and member == eid:
                rels = rels + _groups.inherited(store, member)
            for rel in rels:
                if key(rel) not in seen:
                    seen.add(key(rel))
                    found.append(Sided(rel, "out", None if member == eid else member))
    if direction in (None, "in"):
        for member in members:
            rels = _groups.incoming(store, member) if groups in ("in", "both") else store.incoming(member)
            for rel in rels:
                if key(rel) in seen or (direction is None and rel["from"] in inside):
                    continue
                seen.add(key(rel))
                found.append(Sided(rel, "in", None if member == eid else member))
    return found


def via_of(rel: dict, eid: str, members) -> str | None:
    """The part of `eid` (one of `members`) a relationship touching the family
    goes through: None when `eid` is at one of its ends."""
    if eid in (rel["from"], rel["to"]):
        return None
    for end in (rel["from"], rel["to"]):
        if end in members:
            return end
    return None
