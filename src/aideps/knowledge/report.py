"""What a check of a knowledge file found (`Report`), and the order its
problems are said in.

Problems are said by place (line, then column). Problems at the same place
keep the order of the kinds of check below (`R_...`: parse, field names,
models, duplicate ids, ... quotes), and within a kind the order they were
found in; a problem found twice is said once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aideps.knowledge.problems import Findings, Problem

SECTIONS = ("sources", "entities", "relationships")

(
    R_PARSE,
    R_KEYS,
    R_SCHEMA,
    R_IDS_SOURCES,
    R_IDS_ENTITIES,
    R_IDS_RELATIONSHIPS,
    R_NAMES,
    R_ENTITY_REFS,
    R_SOURCE_REFS,
    R_AMOUNTS,
    R_NUMBERS,
    R_DATES,
    R_PARENTS,
    R_CYCLES,
    R_QUOTES,
    R_TEXT,
) = range(16)
R_IDS = {"sources": R_IDS_SOURCES, "entities": R_IDS_ENTITIES, "relationships": R_IDS_RELATIONSHIPS}
# The kinds of problem that make a file unusable even for `--lenient` queries:
# it cannot be read, an item does not fit the format (it would be dropped), an
# id names two items, parents loop, a figure is no number, a text could change
# what a terminal shows. The others (references, names, amounts, dates,
# quotes) leave every item usable: a lenient query answers, warning.
STRUCTURAL = frozenset(
    {R_PARSE, R_KEYS, R_SCHEMA, R_IDS_SOURCES, R_IDS_ENTITIES, R_IDS_RELATIONSHIPS, R_PARENTS, R_NUMBERS, R_TEXT}
)


@dataclass
class Report(Findings):
    """Everything a check found in one knowledge file."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    # The validated data (the data contract of docs/design.md): given by
    # `aideps.knowledge.validate.check_bytes` when there are no errors.
    data: dict | None = None
    # Quotes: whether they were checked at all, how many were compared with a
    # source text, the sources whose text was read, and the sources skipped
    # (id -> why: no text listed, file not found, ...).
    quotes_checked: bool = False
    quote_count: int = 0
    sources_checked: list[str] = field(default_factory=list)
    sources_skipped: dict[str, str] = field(default_factory=dict)
    # Sources skipped because their text file is not in the folder looked in.
    sources_missing: list[str] = field(default_factory=list)
    # The number of items of each section (`check_path`: None for each when
    # the file has errors).
    counts: dict | None = None
    # The streaming check: the hex digest of the bytes read (given a hasher),
    # and whether the fast reader read the whole file.
    content_hash: str | None = None
    fast: bool = False
    # The errors of STRUCTURAL kinds (a lenient query refuses on these only).
    blocking: list[Problem] = field(default_factory=list)
    # For layering (aideps.knowledge.layers): each section's ids -> line, and
    # the ids whose entry says `override: true`.
    ids: dict | None = None
    overrides: dict | None = None


def ordered(parse_problems: list[Problem], ranked: list[tuple[int, Problem]]) -> list[Problem]:
    """The problems as said: the reader's, then the checks' (rank, problem)
    in the order found; once each; by place, ties in rank order."""
    emitted = [(R_PARSE, n, p) for n, p in enumerate(parse_problems)]
    emitted += [(rank, n, p) for n, (rank, p) in enumerate(ranked)]
    emitted.sort(key=lambda e: (e[0], e[1]))
    seen = set()
    unique = []
    for _, _, p in emitted:
        key = (p.line, p.column, p.message, p.severity)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return sorted(unique, key=lambda p: (p.line, p.column))
