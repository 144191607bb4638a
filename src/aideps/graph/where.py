"""Which relationships a query follows: a filter on stage, health and
certainty, the three fields of format 2 that format 1 kept in one status.

`Where(stages, healths, certainties)`: each None (any) or the values wanted;
a stage of NO_STAGE ("none") stands for a relationship whose text gives no
stage. `Where.standing()` is the default of the questions that follow
dependencies: every stage but ended and rejected (a relationship with no
stage stands). `from_status` reads format 1's words (`--status strained`)
through vocab.FORMAT1_STATUS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections import namedtuple

from aideps.knowledge import vocab

NO_STAGE = "none"  # a relationship whose text gives no stage
NOT_STANDING: tuple[str, ...] = ("ended", "rejected")
STANDING_STAGES: tuple[str, ...] = tuple(s for s in vocab.STAGES if s not in NOT_STANDING) + (NO_STAGE,)
# In force: active, or with no stage given (an imported catalogue states
# relationships without stages: they count, and the words say so), and not
# mere speculation (format 1's `speculative` was never in force).
IN_FORCE_STAGES: tuple[str, ...] = ("active", NO_STAGE)
IN_FORCE_CERTAINTIES: tuple[str, ...] = tuple(c for c in vocab.CERTAINTIES if c != "speculation")


def stage_rank(stage: str | None) -> int:
    """Sort position of a stage (vocab.STAGE_ORDER; no stage last)."""
    return vocab.STAGE_ORDER.get(stage, len(vocab.STAGES)) if stage else len(vocab.STAGES)


def _tuple(values: Iterable[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    found = tuple(dict.fromkeys(values))
    return found or None


# A named tuple: dataclasses costs every run some 15 ms of imports, typing ~9.
class Where(namedtuple("Where", "stages healths certainties default", defaults=(None, None, None, False))):
    """`stages`, `healths`, `certainties`: tuples of the values kept, or None
    for any; `default`: the query's default, not chosen by the user."""

    __slots__ = ()

    @classmethod
    def of(
        cls,
        stages: Iterable[str] | None = None,
        healths: Iterable[str] | None = None,
        certainties: Iterable[str] | None = None,
    ) -> "Where":
        return cls(_tuple(stages), _tuple(healths), _tuple(certainties))

    @classmethod
    def standing(cls) -> "Where":
        return cls(STANDING_STAGES, default=True)

    @classmethod
    def in_force(cls) -> "Where":
        return cls(IN_FORCE_STAGES, certainties=IN_FORCE_CERTAINTIES, default=True)

    def __bool__(self) -> bool:
        return bool(self.stages or self.healths or self.certainties)

    def ok(self, rel: Mapping) -> bool:
        if self.stages is not None and (rel.get("stage") or NO_STAGE) not in self.stages:
            return False
        if self.healths is not None and rel.get("health") not in self.healths:
            return False
        if self.certainties is not None and (rel.get("certainty") or "stated") not in self.certainties:
            return False
        return True

    def ok_head(self, head: tuple) -> bool:
        """`ok` of a relationship's head (Store.heads: position, from, to, kind, stage, health, certainty)."""
        if self.stages is not None and (head[4] or NO_STAGE) not in self.stages:
            return False
        if self.healths is not None and head[5] not in self.healths:
            return False
        if self.certainties is not None and (head[6] or "stated") not in self.certainties:
            return False
        return True

    def doc(self) -> dict:
        """What JSON says of the filter: {"stage", "health", "certainty"}, each a list ([]: any)."""
        return {
            "stage": sorted(self.stages or (), key=lambda s: stage_rank(None if s == NO_STAGE else s)),
            "health": sorted(self.healths or (), key=lambda h: vocab.HEALTHS.index(h) if h in vocab.HEALTHS else 99),
            "certainty": sorted(self.certainties or (), key=lambda c: vocab.CERTAINTY_ORDER.get(c, 99)),
        }

    def words(self) -> str:
        """The filter in a few words: "stage active or announced, health strained"."""
        if self.default and self.stages == STANDING_STAGES and not self.healths and not self.certainties:
            return "all but ended and rejected"
        if self.default and self.stages == IN_FORCE_STAGES and not self.healths and self.certainties == IN_FORCE_CERTAINTIES:
            return "active or have no stage given, and are not speculation"
        if self.stages and not self.healths and not self.certainties:
            return " or ".join("no stage" if v == NO_STAGE else vocab.status_label(v) for v in self.stages)
        parts = []
        for label, values in (("stage", self.stages), ("health", self.healths), ("certainty", self.certainties)):
            if values:
                shown = " or ".join("no stage" if v == NO_STAGE else vocab.status_label(v) for v in values)
                parts.append(f"{label} {shown}")
        return ", ".join(parts) or "any"


def heads_having(heads_of, ids: Iterable[str], side: str, kinds: Iterable[str], keep: Where) -> set[str]:
    """Store.having, from a store's `heads_of`: those of `ids` with a head on
    `side` of one of `kinds` that `keep` keeps."""
    kinds = set(kinds)
    return {eid for eid in dict.fromkeys(ids) if any(h[3] in kinds and keep.ok_head(h) for h in heads_of(eid, side))}


def where(value: "Where | None", default: "Where | None" = None) -> "Where":
    """`value` when it chooses something, else `default` (else any)."""
    if value:
        return value  # type: ignore[return-value]
    return default if default is not None else Where()


def from_status(words: Iterable[str]) -> Where:
    """Format 1's status words (`--status`), said in format 2's fields through
    vocab.FORMAT1_STATUS: strained is health strained, speculative is
    certainty speculation, the others are stages."""
    stages: list[str] = []
    healths: list[str] = []
    certainties: list[str] = []
    for word in words:
        stage, health, certainty = vocab.FORMAT1_STATUS[word]
        if health:
            healths.append(health)
        elif certainty != "stated":
            certainties.append(certainty)
        elif stage:
            stages.append(stage)
    return Where.of(stages or None, healths or None, certainties or None)


def combine(a: Where, b: Where) -> Where:
    """Both filters' choices (values of one field from both are either's)."""

    def join(x, y):
        if x is None:
            return y
        if y is None:
            return x
        return tuple(dict.fromkeys(x + y))

    return Where(join(a.stages, b.stages), join(a.healths, b.healths), join(a.certainties, b.certainties))
