"""The typed data model every stage shares, and its versioned JSON form.

All offsets are character offsets into ``Document.text`` (the body the analysis ran on), so any
output can be traced back to its span. Field names listed in the README's JSON contract are
stable: add fields freely, never rename those.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

ActorKind = Literal["state", "organisation", "person", "role", "region", "group"]
StanceLabel = Literal["negative", "neutral", "positive"]


class _Model(BaseModel):
    """Strict base: unknown fields are errors, so a typo in stored JSON is caught on load."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(_Model):
    """A piece of the document text; ``text == document.text[start:end]``."""

    text: str
    start: int
    end: int


class Document(_Model):
    id: str
    text: str
    title: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    language: str = "en"
    path: str | None = Field(default=None, description="Where the document was read from, if a file.")


class Sentence(_Model):
    index: int
    start: int
    end: int
    text: str
    claim_score: float | None = Field(default=None, description="Check-worthiness (0-1), set by the claims stage.")
    claim_veto: str | None = Field(
        default=None,
        description="Why a sentence scored at or above the claim threshold is still not a claim "
        "(the opinion guard's cue, e.g. 'opinion:framing:position as').",
    )


class ActorMention(_Model):
    text: str
    start: int
    end: int
    sentence: int
    code: str = Field(description="CAMEO-style actor code: ISO3 country + optional sector, or IGO+org.")
    kind: ActorKind
    name: str | None = Field(default=None, description="Canonical name of the resolved entity.")
    country: str | None = None
    sector: str | None = None
    method: str = Field(default="dictionary", description="How the mention was resolved (for audit).")
    confidence: float = 1.0
    coref: bool = Field(default=False, description="True when resolved through coreference.")


class Actor(_Model):
    code: str
    name: str
    kind: ActorKind
    mentions: int
    salience: float


class EventActor(_Model):
    code: str
    text: str
    start: int
    end: int


class Cameo(_Model):
    code: str
    root: str
    name: str


class Plover(_Model):
    type: str | None = Field(description="One of the 16 PLOVER types; null for CAMEO roots 01/02.")
    mode: str | None = None
    context: str | None = None


class Event(_Model):
    sentence: int
    source: EventActor | None
    target: EventActor | None
    cameo: Cameo
    goldstein: float
    quad_class: int
    plover: Plover
    negated: bool = False
    modality: str | None = Field(default=None, description="e.g. future, hypothetical, proposal, offer.")
    attributed_to: EventActor | None = None
    date: str | None = Field(default=None, description="ISO date, or YYYY-MM when only the month is known.")
    location: Span | None = None
    trigger: Span
    rule: str = Field(description="Id of the lexicon entry that fired.")
    confidence: float


class Evidence(_Model):
    sentence: int
    start: int
    end: int
    text: str
    cues: list[str] = Field(default_factory=list)
    score: float | None = None


class Stance(_Model):
    actor: str
    score: float
    label: StanceLabel
    evidence: list[Evidence] = Field(default_factory=list)


class Claim(_Model):
    sentence: int
    start: int
    end: int
    text: str
    score: float
    type: str
    actors: list[str] = Field(default_factory=list)
    numbers: list[Span] = Field(default_factory=list)
    dates: list[Span] = Field(default_factory=list)
    cues: list[str] = Field(default_factory=list, description="Type cue and strongest model features (audit).")


class Theme(_Model):
    theme: str
    label: str | None = None
    score: float
    evidence: list[Evidence] = Field(default_factory=list)


class Quote(_Model):
    text: str
    start: int
    end: int
    sentence: int
    kind: Literal["direct", "reported"]
    speaker: Span | None = None
    speaker_code: str | None = None
    cue: str | None = None


class Tone(_Model):
    """GDELT-compatible tone: positive minus negative word percentage, and polarity."""

    tone: float
    positive: float
    negative: float
    polarity: float
    activity: float | None = None
    self_group: float | None = None
    word_count: int


class Analysis(_Model):
    schema_version: str = SCHEMA_VERSION
    document: Document
    sentences: list[Sentence] = Field(default_factory=list)
    mentions: list[ActorMention] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    stance: list[Stance] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    tone: Tone | None = None
    stages: list[str] = Field(default_factory=list, description="Stages that ran, in order.")

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(indent=indent)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: str | bytes) -> Analysis:
        return cls.model_validate_json(data)

    def span_text(self, start: int, end: int) -> str:
        return self.document.text[start:end]


def json_schema() -> dict[str, Any]:
    schema = Analysis.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"communique Analysis v{SCHEMA_VERSION}"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
