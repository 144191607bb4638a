"""What the questions of aideps.analysis share: which statuses bind, which
kinds are supplies, the parts of an entity, and orders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from aideps.graph.life import UNKNOWN
from aideps.graph.parts import parts_of
from aideps.knowledge import vocab

if TYPE_CHECKING:  # pragma: no cover
    from aideps.graph.core import Graph

# Statuses of a dependency that binds now; and of one that no longer (or never) binds.
IN_FORCE: tuple[str, ...] = ("active", "strained")
NOT_STANDING: tuple[str, ...] = ("ended", "rejected")
STANDING: tuple[str, ...] = tuple(s for s in vocab.STATUSES if s not in NOT_STANDING)

# Kinds where one provider means a single point of failure; the others are
# one's own effort (in_house), a deal not yet made (negotiation) or no
# dependency at all (rivalry).
SUPPLY_KINDS: tuple[str, ...] = tuple(k for k in vocab.DEPENDENCY_KINDS if k not in ("in_house", "negotiation"))


def descendants(g: "Graph", eid: str) -> list[str]:
    """The parts of an entity, and their parts (GitHub Copilot is part of GitHub,
    part of Microsoft): aideps.graph.parts.parts_of, the one rule."""
    return parts_of(g.store, eid)


def by_names(g: "Graph", rel: Mapping) -> tuple:
    """Sort key of a relationship: the names at its ends, then its kind."""
    return (g.name(rel["from"]).casefold(), g.name(rel["to"]).casefold(), vocab.KIND_ORDER.get(rel["kind"], 99))


def dependency_filter(kinds: Iterable[str] | None, statuses: Iterable[str] | None):
    """(kinds chosen, statuses wanted, a test of a relationship) for the
    questions that follow dependencies (why, impact): dependency kinds only;
    by default, standing statuses (and, as of a date, an unrecorded one)."""
    chosen = tuple(kinds) if kinds else vocab.DEPENDENCY_KINDS
    wrong = [k for k in chosen if k not in vocab.DEPENDENCY_KINDS]
    if wrong:
        raise ValueError(f"{', '.join(wrong)} is not a dependency kind; paths follow dependencies only")
    wanted = tuple(statuses) if statuses else STANDING
    kinds_set, statuses_set = set(chosen), set(wanted)
    if not statuses:
        statuses_set.add(UNKNOWN)  # as of a date: it stood then, its status unrecorded

    def ok(rel: Mapping) -> bool:
        return rel["kind"] in kinds_set and rel["status"] in statuses_set

    return chosen, wanted, ok
