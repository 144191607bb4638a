"""The closed vocabularies of the knowledge file: entity types, relationship
kinds and statuses.

Kept free of heavy imports: the query path reads these without loading
pydantic. `aideps.model` builds its Literal types from the same tuples, so
this module and the published JSON Schema can never disagree.
"""

from __future__ import annotations

# Entity types, in the order `aideps list` groups them.
ENTITY_TYPES: tuple[str, ...] = (
    "company",
    "lab",
    "cloud",
    "chip",
    "model",
    "product",
    "platform",
    "software",
    "initiative",
    "person",
    "group",
    "event",
    "paper",
    "dataset",
    "application",
    "organization",
    "unknown",
)

ENTITY_TYPE_HELP: dict[str, str] = {
    "company": "a company, big or small",
    "lab": "an AI lab or startup whose product is models",
    "cloud": "a cloud platform that rents compute",
    "chip": "a chip or chip family",
    "model": "an AI model or model family",
    "product": "a product or device sold or given to users",
    "platform": "an operating system or developer platform",
    "software": "a software stack or library",
    "initiative": "an in-house effort or programme that is not yet a named product",
    "person": "a named person",
    "group": "a set of companies, people or teams the articles speak of together",
    "event": "a dated event",
    "paper": "a research paper",
    "dataset": "a dataset (a corpus, benchmark or collection of data)",
    "application": "an application built on models (an app, service or API for users)",
    "organization": "an organization a catalogue names as a maker, without saying what kind (company, lab, university)",
    "unknown": "a placeholder for a name a source refers to but does not describe",
}

# Relationship kinds. The essay's three partnership kinds come first.
PARTNERSHIP_KINDS: tuple[str, ...] = ("research", "distribution", "hardware")

KINDS: tuple[str, ...] = PARTNERSHIP_KINDS + (
    "investment",
    "cloud",
    "technology",
    "talent",
    "in_house",
    "negotiation",
    "built_on",
    "rivalry",
)

KIND_HELP: dict[str, str] = {
    "research": "relies on the other for research, models or innovation",
    "distribution": "relies on the other to reach users, developers or customers",
    "hardware": "relies on the other for chips or hardware",
    "investment": "relies on the other for money (investment, funding, credits)",
    "cloud": "relies on the other for cloud computing or compute capacity",
    "technology": "relies on the other's product, model or software",
    "talent": "hired people or a team from the other",
    "in_house": "builds its own (chips, search, models) to replace a supplier",
    "negotiation": "is negotiating or seeking a deal with the other",
    "built_on": (
        "was made with the other (trained on it, fine-tuned from it, or uses it), as a catalogue's "
        "dependency list says without saying which"
    ),
    "rivalry": "competes with or is in tension with the other (not a dependency)",
}

# Each kind's and status's place in the orders above (sorting, grouping).
KIND_ORDER: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}

# Kinds that mean "from relies on to". Rivalry is a relation, not a
# dependency: trees, paths and impact never follow it.
DEPENDENCY_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "rivalry")

# Format 1's one status field, kept for `aideps migrate` (format 2 splits it
# into stage, health and certainty: see FORMAT1_STATUS).
STATUSES: tuple[str, ...] = (
    "active",
    "strained",
    "announced",
    "in_talks",
    "proposed",
    "developing",
    "planned",
    "speculative",
    "rejected",
    "ended",
)

STATUS_ORDER: dict[str, int] = {status: i for i, status in enumerate(STATUSES)}

STATUS_HELP: dict[str, str] = {
    "active": "in force",
    "strained": "in force but under visible tension",
    "announced": "announced, not yet in force",
    "in_talks": "being discussed or negotiated",
    "proposed": "offered by one side, not accepted",
    "developing": "being built (in-house efforts)",
    "planned": "intended for the future",
    "speculative": "only wondered about or predicted by the author",
    "rejected": "asked for and refused",
    "ended": "no longer in force",
}

# Format 2 splits format 1's status into three fields.
# Stage: where the relationship is in its life, as the newest source says.
STAGES: tuple[str, ...] = (
    "active",
    "announced",
    "in_talks",
    "proposed",
    "developing",
    "planned",
    "rejected",
    "ended",
)
STAGE_ORDER: dict[str, int] = {stage: i for i, stage in enumerate(STAGES)}
STAGE_HELP: dict[str, str] = {
    "active": "in force",
    "announced": "announced, not yet in force",
    "in_talks": "being discussed or negotiated",
    "proposed": "offered or suggested by one side, not accepted",
    "developing": "being built (in-house efforts)",
    "planned": "intended for the future",
    "rejected": "asked for and refused",
    "ended": "no longer in force",
}

# Health: how the relationship is going, where a source says so.
HEALTHS: tuple[str, ...] = ("good", "strained")
HEALTH_HELP: dict[str, str] = {
    "good": "the source praises it (\"best bromance\", \"a huge success\")",
    "strained": "under visible tension or strain",
}

# Certainty of a relationship, and the hedge of each claim: how firmly the
# source says it, strongest first.
CERTAINTIES: tuple[str, ...] = ("stated", "reported", "seems", "speculation")
CERTAINTY_ORDER: dict[str, int] = {c: i for i, c in enumerate(CERTAINTIES)}
CERTAINTY_HELP: dict[str, str] = {
    "stated": "said as fact",
    "reported": "said to be, per reports (\"is said to be\", \"reports of\")",
    "seems": "hedged (\"seems\", \"apparently\", \"seemingly\", \"perhaps\")",
    "speculation": "wondered about, asked or predicted (\"I mean, they must, right?\")",
}

# Whose claim a quote is.
CLAIMANTS: tuple[str, ...] = ("author", "reader", "cited", "party")
CLAIMANT_HELP: dict[str, str] = {
    "author": "the article's author (the default)",
    "reader": "a reader's comment printed with the article (name the comment)",
    "cited": "a report, headline or study the author cites (say which in `who`)",
    "party": "a named party: a company, its staff or an executive (say who in `who`)",
}

# The state of a contract term.
TERM_STATES: tuple[str, ...] = ("in_force", "relaxed", "ended")

# What an entity's own dated events are.
EVENT_KINDS: tuple[str, ...] = ("founded", "announced", "released", "launched", "ousted", "returned", "other")

# What a figure measures, whether it happened, over what period.
METRICS: tuple[str, ...] = (
    "investment",
    "funding_round",
    "total_raised",
    "spend",
    "capex",
    "loss",
    "deal_value",
    "valuation",
    "revenue",
)
BASES: tuple[str, ...] = ("actual", "projected")
PERIODS: tuple[str, ...] = ("annual", "cumulative", "by_date")

# Format 1's status, said in format 2's fields: (stage, health, certainty).
# `aideps migrate` applies this; format 2 reads each back unambiguously, so
# the migration loses nothing.
FORMAT1_STATUS: dict[str, tuple[str | None, str | None, str]] = {
    "active": ("active", None, "stated"),
    "strained": ("active", "strained", "stated"),
    "announced": ("announced", None, "stated"),
    "in_talks": ("in_talks", None, "stated"),
    "proposed": ("proposed", None, "stated"),
    "developing": ("developing", None, "stated"),
    "planned": ("planned", None, "stated"),
    "speculative": (None, None, "speculation"),
    "rejected": ("rejected", None, "stated"),
    "ended": ("ended", None, "stated"),
}

FORMAT = 2  # the format this aideps reads and writes

# Qualifiers of a figure, as the article words it.
QUALIFIERS: tuple[str, ...] = ("exact", "about", "nearly", "at_least", "over", "up_to")

QUALIFIER_PREFIX: dict[str, str] = {
    "exact": "",
    "about": "~",
    "nearly": "nearly ",
    "at_least": "≥",
    "over": ">",
    "up_to": "≤",
}


# Sort orders: the position of each type, kind and status in the tuples above
# (what lists, trees and reports sort by; unknown values go last, as 99).
TYPE_ORDER: dict[str, int] = {etype: index for index, etype in enumerate(ENTITY_TYPES)}


def kind_label(kind: str) -> str:
    return kind.replace("_", "-")


def status_label(status: str) -> str:
    return status.replace("_", " ")


CERTAINTY_ADVERB: dict[str, str] = {"reported": "reportedly", "seems": "seemingly", "speculation": "maybe"}


def status_words(rel: dict) -> str:
    """A format-2 relationship's stage, health and certainty in a few words,
    as every view shows them: "active", "active, strained",
    "announced, strained", "seemingly active", "reportedly in talks",
    "maybe active", and "speculation" for a speculation with no stage.

    The stage says where it is; a health and a certainty other than
    "stated" are added, so a hedged claim never reads as a fact.
    """
    stage = rel.get("stage")
    words = [status_label(stage)] if stage else []
    health = rel.get("health")
    if health == "strained":
        words.append("strained")
    elif health == "good":
        words.append("going well")
    certainty = rel.get("certainty") or "stated"
    if not words:
        # No stage given (imported catalogues say none): the certainty alone, if any.
        return {"stated": "no stage given", "speculation": "speculation"}.get(certainty, certainty)
    text = ", ".join(words)
    adverb = CERTAINTY_ADVERB.get(certainty)
    return f"{adverb} {text}" if adverb else text
