"""The typed models of the knowledge file: the one definition of its format.

`schema/entities.schema.json` is generated from these models
(`python -m aideps.knowledge.schema > schema/entities.schema.json`, kept in step by a
test). Checks that need more than one item (references, duplicate ids,
clashing aliases, quotes against source texts) live in
`aideps.knowledge.across_checks`, run by `aideps.knowledge.engine`.

Importing this module costs pydantic's import time, so only validation and
the building of the cached index import it; queries never do.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from aideps.knowledge import vocab
from aideps.knowledge.dates import DIGITS, SCHEMA_PATTERN


def hold_ctrl_c():
    """Hold Ctrl-C until the returned function is called, then act on it.

    pydantic builds each model's validator in Rust as the class is created;
    a KeyboardInterrupt raised there (the default SIGINT handler runs in the
    Python code it calls back) makes pydantic-core 2.7's Rust panic, a
    traceback instead of a quiet exit 130. So while the classes below are
    built, a Ctrl-C is noted, and delivered once they are."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGINT)
    if not callable(previous):  # ignored, or the default action: nothing to hold
        return lambda: None
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))

    def release() -> None:
        signal.signal(signal.SIGINT, previous)
        if caught:
            previous(signal.SIGINT, None)

    return release


_release_ctrl_c = hold_ctrl_c()

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
DATE_PATTERN = SCHEMA_PATTERN  # ASCII digits, year 0001 and after, months 01-12, days 01-31
CURRENCY_PATTERN = r"^[A-Z]{3}$"


EntityType = Literal[vocab.ENTITY_TYPES]  # type: ignore[valid-type]
Kind = Literal[vocab.KINDS]  # type: ignore[valid-type]
Qualifier = Literal[vocab.QUALIFIERS]  # type: ignore[valid-type]


def check_partial_date(value: str) -> str | None:
    """Return a plain-words problem with a partial date, or None when valid."""
    if not DIGITS.fullmatch(value):
        return f"'{value}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
    parts = [int(p) for p in value.split("-")]
    if parts[0] < 1:
        return f"'{value}' is not a date: there is no year 0"
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return f"'{value}' is not a date: month {parts[1]} does not exist"
    if len(parts) == 3:
        try:
            date(parts[0], parts[1], parts[2])
        except ValueError:
            return f"'{value}' is not a date: day {parts[2]} does not exist in {parts[0]}-{parts[1]:02d}"
    return None


def _coerce_date(value: Any) -> Any:
    # YAML reads an unquoted year as an int; a year is a fine partial date.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        problem = check_partial_date(value)
        if problem:
            raise ValueError(problem)
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_coerce_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DATE_PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "A date as precise as the source allows: YYYY, YYYY-MM or YYYY-MM-DD.",
        }
    ),
]
# A source's text is named by a bare file name, looked up only in the folder
# the user names (`aideps validate --sources-dir DIR`, else the knowledge
# file's folder): a downloaded knowledge file cannot make aideps read a file
# anywhere else on the machine.
TEXT_NAME_PATTERN = r"^(?!\.\.?$)(?![A-Za-z]:)[^/\\\x00]+$"


def check_text_name(value: str) -> str | None:
    """Return a plain-words problem with a source's `text` entry, or None when it is a bare file name."""
    if not value.strip():
        return "a text file name is empty"
    if "\x00" in value:
        return "a text file name contains a NUL character (\\0); write the plain file name"
    bare = re.sub(r"^[A-Za-z]:", "", re.split(r"[/\\]", value)[-1])
    if value in (".", "..") or bare in ("", ".", ".."):
        return f"'{value}' is not a file name; write the name of the file that holds the article's text"
    if bare != value:
        return (
            f"'{value}' is a path, not a bare file name; write just '{bare}' and say where the texts are "
            "with `aideps validate --sources-dir DIR` (default: the knowledge file's folder)"
        )
    return None


def _check_text_name(value: Any) -> Any:
    if isinstance(value, str):
        problem = check_text_name(value)
        if problem:
            raise ValueError(problem)
    return value


TextName = Annotated[
    str,
    BeforeValidator(_check_text_name),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": TEXT_NAME_PATTERN,
            "description": "A bare file name (no folder), found in the folder given to `aideps validate --sources-dir`, else next to the knowledge file.",
        }
    ),
]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="A lowercase id: letters, digits and single hyphens.")]
Quote = Annotated[str, Field(min_length=1, description="The supporting sentence, verbatim from the source.")]
Number = Annotated[
    Union[int, float],
    Field(ge=0),
    WithJsonSchema({"type": "number", "minimum": 0}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=False)


Stage = Literal[vocab.STAGES]  # type: ignore[valid-type]
Health = Literal[vocab.HEALTHS]  # type: ignore[valid-type]
Certainty = Literal[vocab.CERTAINTIES]  # type: ignore[valid-type]
Claimant = Literal[vocab.CLAIMANTS]  # type: ignore[valid-type]
TermState = Literal[vocab.TERM_STATES]  # type: ignore[valid-type]
EventKind = Literal[vocab.EVENT_KINDS]  # type: ignore[valid-type]
Metric = Literal[vocab.METRICS]  # type: ignore[valid-type]
Basis = Literal[vocab.BASES]  # type: ignore[valid-type]
Period = Literal[vocab.PERIODS]  # type: ignore[valid-type]


# A claim either quotes its source's prose or, where the source is a
# structured record with no prose (a catalogue card), names the field of the
# record it comes from: exactly one of `quote` and `field` (the schema says
# at least one; `aideps validate` says exactly one).
_QUOTE_OR_FIELD = {"anyOf": [{"required": ["quote"]}, {"required": ["field"]}]}


class Claim(_Strict):
    """Whose claim a quote is, and how firmly it is said. Every quoted item
    (provenance, figure, fact, history entry, event, membership, role) is one.
    It quotes its source (`quote`) or, for a structured record with no prose,
    names the record's field it comes from (`field`): exactly one of the two."""

    model_config = ConfigDict(json_schema_extra=_QUOTE_OR_FIELD)

    source: Slug = Field(description="The id of a source in `sources`.")
    quote: Quote | None = None
    field: Annotated[str, Field(pattern=KEY_PATTERN)] | None = Field(
        None,
        description=(
            "Instead of `quote`, where the source is a structured record with no prose: the record's field "
            "the claim comes from (dependencies, created_date, license)."
        ),
    )
    by: Claimant = Field(
        "author",
        description=(
            "Whose claim it is: author (default), reader (a reader's comment: name it in `comment`), "
            "cited (a report the author cites: say which in `who`) or party (a named party: say who in `who`)."
        ),
    )
    who: str | None = Field(None, min_length=1, description="For cited or party: the report or the party.")
    comment: Slug | None = Field(None, description="For by: reader, the id of the comment in the source's `comments`.")
    hedge: Certainty = Field(
        "stated",
        description="How firmly the quote says it: stated (default), reported, seems or speculation.",
    )

    @model_validator(mode="after")
    def _quote_or_field(self) -> "Claim":
        if (self.quote is None) == (self.field is None):
            raise ValueError(
                "give exactly one of `quote` (the sentence, verbatim) and `field` (the record's field, "
                "where the source has no prose)"
            )
        return self


class Provenance(Claim):
    """Where a claim comes from: a source, the sentence that supports it, whose claim it is."""

    note: str | None = None


class Comment(_Strict):
    """A reader's comment printed with a source: quotes from it are the reader's, not the author's."""

    id: Slug
    author: str | None = Field(None, description="Who wrote it, where the text says.")
    opens: str = Field(
        min_length=1,
        description="The comment's first words, verbatim: every quote after them in the text belongs to the comment.",
    )


class Source(_Strict):
    """An article the knowledge file is drawn from. The file ships quotes, never whole articles."""

    id: Slug
    title: str = Field(min_length=1)
    date: PartialDate | None = Field(
        None, description="When it was published. Required, except for a record known only by its `url` (a catalogue card)."
    )
    date_note: str | None = Field(None, description="How the date was inferred, when the text does not print it.")
    author: str | None = Field(None, description="The author, where the text names or signs one.")
    author_note: str | None = None
    publisher: str | None = Field(None, description="The publication, where the text names it.")
    url: str | None = Field(None, min_length=1, description="Where the article was published, where known.")
    text: list[TextName] = Field(
        default_factory=list,
        description=(
            "Bare file names (no folder) of the files holding the article's text, looked up in the folder "
            "given to `aideps validate --sources-dir DIR` (else the knowledge file's folder); used to check quotes."
        ),
    )
    comments: list[Comment] = Field(default_factory=list, description="Readers' comments printed with the text.")
    note: str | None = None
    override: bool = Field(
        False,
        exclude=True,
        description="Layering (`--data A --data B`): this entry deliberately replaces the one with the same id in an earlier file.",
    )

    @model_validator(mode="after")
    def _dated_or_url(self) -> "Source":
        if self.date is None and self.url is None:
            raise ValueError("a source needs a `date` (or, for an undated record, its `url`)")
        return self


def _required_currency(schema: dict[str, Any]) -> None:
    schema.pop("anyOf", None)
    schema.pop("default", None)
    schema.update({"type": "string", "pattern": CURRENCY_PATTERN})


class Amount(Claim):
    """A figure as one source states it. Two sources that disagree give two amounts."""

    # Currency is optional in the model only so that `aideps validate` can say
    # "amount ... has no currency; add `currency: USD`" in its own words;
    # the published schema requires it, so editors flag it as you type.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"required": ["amount", "currency", "source"], **_QUOTE_OR_FIELD},
    )

    amount: Number = Field(description="A plain number in the currency's units: 13000000000, not 13B.")
    currency: Annotated[str, Field(pattern=CURRENCY_PATTERN)] | None = Field(
        None,
        description="ISO 4217 code, e.g. USD. Required.",
        json_schema_extra=_required_currency,
    )
    qualifier: Qualifier = Field(
        "exact", description="The bound, as the source words it: exact, about, nearly, at_least, over, up_to."
    )
    metric: Metric | None = Field(
        None,
        description="What it measures: investment, funding_round, total_raised, spend, capex, loss, deal_value, valuation, revenue.",
    )
    basis: Basis = Field("actual", description="actual (default) or projected.")
    period: Period | None = Field(None, description="annual, cumulative, or by_date (by the date in `as_of`).")
    as_of: PartialDate | None = Field(None, description="The year or date the figure is for, or by.")
    note: str | None = None


class Fact(Claim):
    """A dated fact about an entity (founded, headquarters, employees, total raised, ...)."""

    key: Annotated[str, Field(pattern=KEY_PATTERN)]
    value: Union[int, float, str]
    currency: Annotated[str, Field(pattern=CURRENCY_PATTERN)] | None = None
    unit: str | None = None
    qualifier: Qualifier = "exact"
    metric: Metric | None = Field(None, description="For a money figure: what it measures (see Amount).")
    basis: Basis = "actual"
    period: Period | None = None
    as_of: PartialDate | None = None
    note: str | None = None


class Event(Claim):
    """A dated event of an entity's own: founded, announced, released, launched, ousted, returned."""

    kind: EventKind
    date: PartialDate
    date_note: str | None = Field(None, description="How the date was inferred, when the text does not print it.")
    summary: str | None = Field(None, min_length=1, description="One line, where the kind alone does not say it.")


class Member(Claim):
    """A member of a group, as far as the text names it."""

    id: Slug
    note: str | None = None


class Role(Claim):
    """A person's role at an entity: CEO of OpenAI, former CEO of Inflection."""

    role: str = Field(min_length=1, description="The title, as the text gives it: CEO.")
    of: Slug = Field(description="The entity the role is at.")
    start: PartialDate | None = None
    end: PartialDate | None = None
    former: bool = Field(False, description="The text calls it former (with or without an end date).")
    note: str | None = None


class ConsistencyNote(_Strict):
    """The editors' note where an entity's figures do not add up (listed by `aideps conflicts`)."""

    summary: str = Field(min_length=1, description="What does not add up, in one or two sentences.")
    involves: list[str] = Field(
        min_length=1,
        description="The figures concerned: `fact:KEY` for a fact of this entity, or a relationship id.",
    )


class Entity(_Strict):
    """A company, lab, cloud, chip, model, product, person, group or event the articles name."""

    id: Slug
    name: str = Field(min_length=1)
    type: EntityType
    aliases: list[str] = Field(default_factory=list, description="Other names a user would type.")
    description: str | None = Field(None, min_length=1, description="One line, where the source gives one.")
    parents: list[Slug] = Field(
        default_factory=list, description="The entities this one belongs to or is made by (GitHub under Microsoft)."
    )
    members: list[Member] = Field(default_factory=list, description="For a group: its members the text names.")
    roles: list[Role] = Field(default_factory=list, description="For a person: roles at other entities.")
    events: list[Event] = Field(default_factory=list, description="Dated events of its own, oldest first.")
    facts: list[Fact] = Field(default_factory=list)
    consistency: list[ConsistencyNote] = Field(
        default_factory=list, description="Notes where this entity's figures do not add up."
    )
    provenance: list[Provenance] = Field(min_length=1, description="Where the articles name it.")
    override: bool = Field(
        False,
        exclude=True,
        description="Layering (`--data A --data B`): this entry deliberately replaces the one with the same id in an earlier file.",
    )

    @field_validator("aliases")
    @classmethod
    def _aliases_not_blank(cls, aliases: list[str]) -> list[str]:
        for alias in aliases:
            if not alias.strip():
                raise ValueError("an alias is blank")
        return aliases


class TermChange(Claim):
    """The state a contract term took on at a date."""

    date: PartialDate
    state: TermState
    note: str | None = None


class Term(_Strict):
    """A contract term (exclusive; the AGI clause), with its own state and dates."""

    name: Slug
    summary: str = Field(min_length=1)
    state: TermState = Field("in_force", description="As of the newest source: in_force, relaxed or ended.")
    start: PartialDate | None = None
    reported: PartialDate | None = None
    history: list[TermChange] = Field(default_factory=list, description="Changes of state, oldest first.")
    provenance: list[Provenance] = Field(default_factory=list)


class StatusChange(Claim):
    """A dated change of a relationship's stage, health or certainty."""

    date: PartialDate
    stage: Stage | None = None
    health: Health | None = None
    certainty: Certainty | None = None
    note: str | None = None


class Exclusion(_Strict):
    """A member of the `from` group the relationship does not hold for, as the text hedges it."""

    id: Slug
    hedge: Certainty = Field("stated", description="How firmly the text excludes it (\"aside from perhaps Apple\": seems).")


class Relationship(_Strict):
    """`from` relies on `to` for `kind` (rivalry is the one kind that is not a dependency)."""

    id: Slug
    from_: Slug = Field(alias="from", description="The entity that relies on the other.")
    to: Slug = Field(description="The entity relied on.")
    kind: Kind
    stage: Stage | None = Field(None, description="Where it is, as of the newest source; leave out where the text does not say.")
    health: Health | None = Field(None, description="good or strained, where a source says so.")
    certainty: Certainty = Field(
        "stated", description="How firmly its sources say it: stated, reported, seems or speculation."
    )
    summary: str = Field(min_length=1, description="One line.")
    start: PartialDate | None = Field(None, description="When it began, only where the text dates a beginning.")
    end: PartialDate | None = None
    reported: PartialDate | None = Field(
        None, description="When it was first reported (a source's date), where the text dates no beginning."
    )
    reported_note: str | None = Field(None, description="How `reported` was inferred.")
    date_note: str | None = Field(None, description="How start or end were inferred.")
    amounts: list[Amount] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)
    replaces: list[Slug] = Field(
        default_factory=list,
        description="For in_house: the suppliers the effort aims to replace, only where the text names them.",
    )
    exceptions: list[Exclusion] = Field(
        default_factory=list, description="For a group's relationship: members it does not hold for."
    )
    history: list[StatusChange] = Field(
        default_factory=list, description="Dated changes of stage, health or certainty, oldest first."
    )
    provenance: list[Provenance] = Field(min_length=1)
    override: bool = Field(
        False,
        exclude=True,
        description="Layering (`--data A --data B`): this entry deliberately replaces the one with the same id in an earlier file.",
    )


class KnowledgeFile(_Strict):
    """data/entities.yaml: sources, entities and relationships, in format 2."""

    model_config = ConfigDict(extra="forbid", title="aideps knowledge file")

    format: Literal[2] = Field(description="The format of the file: 2. Convert a format-1 file with `aideps migrate FILE`.")
    sources: list[Source]
    entities: list[Entity]
    relationships: list[Relationship]


_release_ctrl_c()  # every model is built


def json_schema() -> dict[str, Any]:
    schema = KnowledgeFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return _same_on_every_pydantic(schema)


def _same_on_every_pydantic(node: Any) -> Any:
    """One schema whatever pydantic release made it.

    Before 2.8, pydantic wrote a one-value Literal as both `const` and a
    one-item `enum`; later releases write `const` alone. The `enum` says
    nothing the `const` does not, so it is dropped.
    """
    if isinstance(node, dict):
        if "const" in node and node.get("enum") == [node["const"]]:
            del node["enum"]
        for value in node.values():
            _same_on_every_pydantic(value)
    elif isinstance(node, list):
        for value in node:
            _same_on_every_pydantic(value)
    return node
