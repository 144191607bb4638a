"""What the questions of aideps.analysis share: which stages bind, which
kinds are supplies, the parts of an entity, and orders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)

from aideps.graph.parts import parts_of
from aideps.graph.where import IN_FORCE_STAGES, NOT_STANDING, STANDING_STAGES, Where, where
from aideps.knowledge import vocab

if TYPE_CHECKING:  # pragma: no cover
    from aideps.graph.core import Graph

# Stages of a dependency that binds now; and of one that no longer (or never)
# binds (aideps.graph.where: a relationship with no stage stands).
IN_FORCE: tuple[str, ...] = IN_FORCE_STAGES
STANDING: tuple[str, ...] = STANDING_STAGES
__all__ = ["IN_FORCE", "NOT_STANDING", "STANDING", "SUPPLY_KINDS", "Where", "by_names", "dependency_filter"]

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


def dependency_filter(kinds: Iterable[str] | None, chosen_where: Where | None):
    """(kinds chosen, the filter applied, a test of a relationship) for the
    questions that follow dependencies (why, impact): dependency kinds only;
    by default, standing stages (a relationship with no stage, or whose stage
    as of a date is unrecorded, stands)."""
    chosen = tuple(kinds) if kinds else vocab.DEPENDENCY_KINDS
    wrong = [k for k in chosen if k not in vocab.DEPENDENCY_KINDS]
    if wrong:
        raise ValueError(f"{', '.join(wrong)} is not a dependency kind; paths follow dependencies only")
    keep = where(chosen_where, Where.standing())
    kinds_set = set(chosen)

    def ok(rel: Mapping) -> bool:
        return rel["kind"] in kinds_set and keep.ok(rel)

    return chosen, keep, ok
