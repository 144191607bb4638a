"""Groups: the one rule for how a group's members take in its dependencies.

A group ("Big Tech") lists its `members` as far as the text names them. A
member inherits the group's dependency relationships (outgoing, never
rivalry), except where the relationship lists the member in `exceptions`
("everyone, aside from perhaps Apple"). Only the members the file lists:
nothing is inferred.

An inherited relationship is the group's relationship seen from the member:
a copy whose `from` is the member and whose `group` is the group's id
(aideps.graph.core.Graph.edge shows it "via <group>"). `outgoing` and
`incoming` give a store's relationships with these copies added; `tree`,
`why`, `impact` and `stats` read through them.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)

from aideps.knowledge import vocab

if TYPE_CHECKING:  # pragma: no cover
    from aideps.graph.protocol import Store

EXCEPT_WORDS = {"stated": "except", "reported": "reportedly except", "seems": "except perhaps", "speculation": "possibly except"}


def members_of(store: "Store", gid: str) -> list[str]:
    """The members a group lists, in file order."""
    entity = store.entity(gid) or {}
    return list(dict.fromkeys(m["id"] for m in entity.get("members") or []))


def exception_of(rel: dict, eid: str) -> dict | None:
    """The relationship's exception for `eid` ({"id", "hedge"}), or None."""
    for item in rel.get("exceptions") or []:
        if item.get("id") == eid:
            return {"id": eid, "hedge": item.get("hedge") or "stated"}
    return None


def except_words(name: str, hedge: str) -> str:
    """"except perhaps Apple" for an exception hedged "seems"."""
    return f"{EXCEPT_WORDS.get(hedge, 'except')} {name}"


def inherits(rel: dict) -> bool:
    return rel["kind"] in vocab.DEPENDENCY_KINDS and not rel.get("group")


def as_member(rel: dict, member: str) -> dict:
    """The group's relationship `rel` seen from one of its members."""
    return {**rel, "from": member, "group": rel["from"]}


def inherited(store: "Store", eid: str) -> list[dict]:
    """The dependencies `eid` inherits from the groups that list it (file order
    of the groups, then of their relationships), its exceptions left out."""
    found: list[dict] = []
    for gid in store.groups_of(eid):
        if gid == eid:
            continue
        for rel in store.outgoing(gid):
            if inherits(rel) and exception_of(rel, eid) is None:
                found.append(as_member(rel, eid))
    return found


def excepted(store: "Store", eid: str) -> list[dict]:
    """The group dependencies `eid` is excepted from: [{"rel", "group", "hedge"}]."""
    found: list[dict] = []
    for gid in store.groups_of(eid):
        for rel in store.outgoing(gid):
            exception = exception_of(rel, eid)
            if inherits(rel) and exception is not None:
                found.append({"rel": rel, "group": gid, "hedge": exception["hedge"]})
    return found


def outgoing(store: "Store", eid: str) -> list[dict]:
    """The relationships of `eid` as `from`, then those it inherits."""
    own = store.outgoing(eid)
    extra = inherited(store, eid)
    return own + extra if extra else own


def incoming(store: "Store", eid: str) -> list[dict]:
    """The relationships with `eid` as `to`, and, after each one from a group,
    that group's members' inherited copies (those not excepted)."""
    return with_members(store, store.incoming(eid))


# Relationships beyond which with_members reads the types of their ends at once.
MANY = 64


def with_members(store: "Store", rels) -> list[dict]:
    """`rels`, each relationship from a group followed by its members'
    inherited copies (those not excepted)."""
    found: list[dict] = []
    if isinstance(rels, list) and len(rels) > MANY:  # (a hub's: which of their ends are groups, asked at once)
        store.prefetch_names(rel["from"] for rel in rels if inherits(rel))
    for rel in rels:
        found.append(rel)
        if not inherits(rel):
            continue
        ref = store.name_type(rel["from"])
        if ref is None or ref[1] != "group":
            continue
        for member in members_of(store, rel["from"]):
            if member != rel["from"] and exception_of(rel, member) is None:
                found.append(as_member(rel, member))
    return found
