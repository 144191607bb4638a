"""The checks of format 2's claims and new fields within one item: whose
claim a quote is (`by`, `who`, `comment`), a relationship's certainty
against its claims' hedges, members only on groups, roles' and terms'
dates in order, history entries that say what changed, money figures with
a currency.

Each check gets a `Place` and `add(rank, position, message)`; references
to other items (comments of sources, member ids) are checked across items."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from aideps.knowledge import vocab
from aideps.knowledge.item_checks import date_tuple, sub_items
from aideps.knowledge.report import R_AMOUNTS, R_DATES, R_SCHEMA
from aideps.knowledge.words import Place

Add = Callable[..., None]

CLAIMS = {
    "entities": ("provenance", "facts", "events", "members", "roles"),
    "relationships": ("provenance", "amounts", "history"),
}


def claims(section: str, item: dict) -> Iterator[tuple[tuple, dict]]:
    """(path in the item, mapping) of each claim of an item, terms' included."""
    for name in CLAIMS.get(section, ()):
        for j, sub in sub_items(item, name):
            yield (name, j), sub
    if section == "relationships":
        for k, term in sub_items(item, "terms"):
            for name in ("provenance", "history"):
                for j, sub in sub_items(term, name):
                    yield ("terms", k, name, j), sub


def check_claims(place: Place, section: str, item: dict, add: Add) -> None:
    for rest, claim in claims(section, item):
        by = claim.get("by", "author")
        if not isinstance(by, str) or by not in vocab.CLAIMANTS:
            continue  # the model said so
        comment, who = claim.get("comment"), claim.get("who")
        if (by == "reader") == (comment is not None) and (by in ("cited", "party")) == bool(who) and (
            by not in ("author", "reader") or who is None
        ):
            continue  # (most claims: nothing to say, and no words made for it)
        where = place.words(rest)
        if by == "reader" and comment is None:
            add(R_SCHEMA, place.at(rest), f"{where} is a reader's (by: reader) but names no comment; add `comment: ID` of the source's comment")
        if by != "reader" and comment is not None:
            add(R_SCHEMA, place.key(rest + ("comment",)), f"{where} names a comment but is the {by}'s claim; write `by: reader`, or drop `comment`")
        if by in ("cited", "party") and not who:
            what = "the report cited" if by == "cited" else "the party"
            add(R_SCHEMA, place.at(rest), f"{where} is by: {by} but does not say who; add `who:` ({what})")
        if by in ("author", "reader") and who is not None:
            add(R_SCHEMA, place.key(rest + ("who",)), f"{where} says `who` but is the {by}'s claim; `who` is for by: cited or by: party")
    if section == "entities":
        _check_entity(place, item, add)
    elif section == "relationships":
        _check_relationship(place, item, add)


def _check_entity(place: Place, entity: dict, add: Add) -> None:
    if entity.get("members") and entity.get("type") in vocab.ENTITY_TYPES and entity.get("type") != "group":
        add(R_SCHEMA, place.key(("members",)), f"{place.words()} lists members but is a {entity['type']}; only a group has members")
    for j, role in sub_items(entity, "roles"):
        _in_order(place, ("roles", j), role.get("start"), role.get("end"), add)
    keys = {fact.get("key") for _, fact in sub_items(entity, "facts") if isinstance(fact.get("key"), str)}
    for j, note in sub_items(entity, "consistency"):
        involves = note.get("involves")
        for k, ref in enumerate(involves if isinstance(involves, list) else []):
            if isinstance(ref, str) and ref.startswith("fact:") and ref[5:] not in keys:
                add(
                    R_SCHEMA,
                    place.key(("consistency", j, "involves", k)),
                    f"'{ref}' in a consistency note of {place.words()}: it has no fact '{ref[5:]}'"
                    + (f"; its facts: {', '.join(sorted(str(x) for x in keys))}" if keys else ""),
                )
    for j, fact in sub_items(entity, "facts"):
        if fact.get("metric") in vocab.METRICS and fact.get("currency") is None:
            add(
                R_AMOUNTS,
                place.key(("facts", j, "metric")),
                f"{place.words(('facts', j))} measures {fact['metric']} (money) but has no currency; add `currency: USD` (or the source's)",
            )


def _in_order(place: Place, rest: tuple, start: Any, end: Any, add: Add) -> None:
    first, last = date_tuple(start), date_tuple(end)
    if first and last and last[: min(len(first), len(last))] < first[: min(len(first), len(last))]:
        add(R_DATES, place.key(rest + ("end",)), f"'end' {end} is before 'start' {start} in {place.words(rest)}")


def _check_relationship(place: Place, rel: dict, add: Add) -> None:
    for j, change in sub_items(rel, "history"):
        if all(change.get(k) is None for k in ("stage", "health", "certainty")):
            add(
                R_SCHEMA,
                place.at(("history", j)),
                f"{place.words(('history', j))} says no change; give at least one of `stage`, `health` or `certainty`",
            )
    for k, term in sub_items(rel, "terms"):
        previous = None
        for j, change in sub_items(term, "history"):
            when = date_tuple(change.get("date"))
            if when is None:
                continue
            if previous is not None and when[: min(len(when), len(previous[0]))] < previous[0][: min(len(when), len(previous[0]))]:
                add(
                    R_DATES,
                    place.key(("terms", k, "history", j, "date")),
                    f"the history of {place.words(('terms', k))} is out of date order: {change['date']} comes after "
                    f"{previous[1]}; list the entries oldest first",
                )
            previous = (when, change["date"])
    certainty = rel.get("certainty", "stated")
    provenance = [p for _, p in sub_items(rel, "provenance")]
    hedges = [p.get("hedge", "stated") for p in provenance if p.get("hedge", "stated") in vocab.CERTAINTY_ORDER]
    if not isinstance(certainty, str) or certainty not in vocab.CERTAINTY_ORDER or not hedges:
        return
    strongest = min(hedges, key=vocab.CERTAINTY_ORDER.__getitem__)

    def pos() -> tuple[int, int]:
        return place.key(("certainty",)) if "certainty" in rel else place.at(())

    if vocab.CERTAINTY_ORDER[certainty] < vocab.CERTAINTY_ORDER[strongest]:
        add(
            R_SCHEMA,
            pos(),
            f"{place.words()} is '{certainty}' but its strongest claim is hedged '{strongest}'; "
            f"write `certainty: {strongest}` (a relationship is no firmer than what its sources say)",
        )
    elif certainty == "stated" and provenance and all(p.get("by") == "reader" for p in provenance):
        add(
            R_SCHEMA,
            pos(),
            f"{place.words()} rests only on readers' comments, so it cannot be 'stated'; "
            "write the certainty the comments give (`certainty: seems` or weaker), or find the author's sentence",
        )
