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
)

from aideps.knowledge import vocab
from aideps.knowledge.dates import DIGITS, SCHEMA_PATTERN

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
DATE_PATTERN = SCHEMA_PATTERN  # ASCII digits, year 0001 and after, months 01-12, days 01-31
CURRENCY_PATTERN = r"^[A-Z]{3}$"


EntityType = Literal[vocab.ENTITY_TYPES]  # type: ignore[valid-type]
Kind = Literal[vocab.KINDS]  # type: ignore[valid-type]
Status = Literal[vocab.STATUSES]  # type: ignore[valid-type]
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


class Provenance(_Strict):
    """Where a claim comes from: a source and the sentence that supports it."""

    source: Slug = Field(description="The id of a source in `sources`.")
    quote: Quote


class Source(_Strict):
    """An article the knowledge file is drawn from. The file ships quotes, never whole articles."""

    id: Slug
    title: str = Field(min_length=1)
    date: PartialDate
    date_note: str | None = Field(None, description="How the date was inferred, when the text does not print it.")
    author: str | None = Field(None, description="The author, where the text names or signs one.")
    author_note: str | None = None
    text: list[TextName] = Field(
        default_factory=list,
        description=(
            "Bare file names (no folder) of the files holding the article's text, looked up in the folder "
            "given to `aideps validate --sources-dir DIR` (else the knowledge file's folder); used to check quotes."
        ),
    )
    note: str | None = None


def _required_currency(schema: dict[str, Any]) -> None:
    schema.pop("anyOf", None)
    schema.pop("default", None)
    schema.update({"type": "string", "pattern": CURRENCY_PATTERN})


class Amount(_Strict):
    """A figure as one source states it. Two sources that disagree give two amounts."""

    # Currency is optional in the model only so that `aideps validate` can say
    # "amount ... has no currency; add `currency: USD`" in its own words;
    # the published schema requires it, so editors flag it as you type.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"required": ["amount", "currency", "source", "quote"]},
    )

    amount: Number = Field(description="A plain number in the currency's units: 13000000000, not 13B.")
    currency: Annotated[str, Field(pattern=CURRENCY_PATTERN)] | None = Field(
        None,
        description="ISO 4217 code, e.g. USD. Required.",
        json_schema_extra=_required_currency,
    )
    qualifier: Qualifier = Field("exact", description="How the source words it: exact, about, nearly, at_least, over, up_to.")
    note: str | None = None
    source: Slug
    quote: Quote


class Fact(_Strict):
    """A dated fact about an entity (founded, headquarters, employees, total raised, ...)."""

    key: Annotated[str, Field(pattern=KEY_PATTERN)]
    value: Union[int, float, str]
    currency: Annotated[str, Field(pattern=CURRENCY_PATTERN)] | None = None
    unit: str | None = None
    qualifier: Qualifier = "exact"
    as_of: PartialDate | None = None
    note: str | None = None
    source: Slug
    quote: Quote


class Entity(_Strict):
    """A company, lab, cloud, chip, model, product, person, group or event the articles name."""

    id: Slug
    name: str = Field(min_length=1)
    type: EntityType
    aliases: list[str] = Field(default_factory=list, description="Other names a user would type.")
    description: str = Field(min_length=1, description="One line.")
    parent: Slug | None = Field(None, description="The entity this one belongs to (GitHub under Microsoft).")
    facts: list[Fact] = Field(default_factory=list)
    provenance: list[Provenance] = Field(min_length=1, description="Where the articles name it.")

    @field_validator("aliases")
    @classmethod
    def _aliases_not_blank(cls, aliases: list[str]) -> list[str]:
        for alias in aliases:
            if not alias.strip():
                raise ValueError("an alias is blank")
        return aliases


class Term(_Strict):
    """A contract term (exclusive; the AGI clause)."""

    name: Slug
    summary: str = Field(min_length=1)


class StatusChange(_Strict):
    """The status a relationship took on at a date."""

    date: PartialDate
    status: Status
    note: str | None = None
    source: Slug
    quote: Quote


class Relationship(_Strict):
    """`from` relies on `to` for `kind` (rivalry is the one kind that is not a dependency)."""

    id: Slug
    from_: Slug = Field(alias="from", description="The entity that relies on the other.")
    to: Slug = Field(description="The entity relied on.")
    kind: Kind
    status: Status = Field(description="The status as of the newest source.")
    summary: str = Field(min_length=1, description="One line.")
    start: PartialDate | None = None
    end: PartialDate | None = None
    date_note: str | None = Field(None, description="How dates were inferred.")
    amounts: list[Amount] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)
    replaces: list[Slug] = Field(
        default_factory=list, description="For in_house: the suppliers the effort aims to replace."
    )
    history: list[StatusChange] = Field(default_factory=list, description="Earlier statuses, oldest first.")
    provenance: list[Provenance] = Field(min_length=1)


class KnowledgeFile(_Strict):
    """data/entities.yaml: sources, entities and relationships."""

    model_config = ConfigDict(extra="forbid", title="aideps knowledge file")

    sources: list[Source]
    entities: list[Entity]
    relationships: list[Relationship]


def json_schema() -> dict[str, Any]:
    schema = KnowledgeFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
