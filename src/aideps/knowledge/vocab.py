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
    "rivalry": "competes with or is in tension with the other (not a dependency)",
}

# Each kind's and status's place in the orders above (sorting, grouping).
KIND_ORDER: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}

# Kinds that mean "from relies on to". Rivalry is a relation, not a
# dependency: trees, paths and impact never follow it.
DEPENDENCY_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "rivalry")

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
