"""The one data model of Narrascope.

Every extractor reads and writes these types; the store persists them; the JSON output is
``Analysis.model_dump_json()`` and its JSON Schema (``narrascope schema``) is generated from them.

Offsets: every ``Span`` is ``[start, end)`` into ``Article.text`` (the *clean* text), and ``Span.text``
always equals ``article.text[start:end]`` — ``Analysis.check_spans`` enforces that. The raw input is
kept in ``Article.raw`` so a user can always get back to what was ingested.

Bump ``SCHEMA_VERSION`` (semver) whenever the JSON shape changes: minor for added optional fields,
major for anything that breaks a reader.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.3.0"


class _Model(BaseModel):
    # Reject unknown fields so a typo in a component shows up as an error, not silently lost data.
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A stretch of the clean text: end-exclusive character offsets plus the text they cover."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """Build a span from the clean text so ``text`` can never disagree with the offsets."""
        return cls(start=start, end=end, text=text[start:end])


class Article(_Model):
    """One ingested article. ``id`` is a content hash of the clean text, so re-ingesting is idempotent."""

    id: str
    text: str = Field(description="Clean text; every Span offset refers to it.")
    title: str | None = None
    url: str | None = None
    source: str | None = Field(None, description="Where it was read from: a path, URL or 'stdin'.")
    outlet: str | None = Field(None, description="Site or publication name.")
    author: str | None = None
    published: str | None = Field(None, description="Publication date, ISO 8601 (YYYY-MM-DD).")
    language: str | None = Field(None, description="ISO 639-1 code of the detected language.")
    language_confidence: float | None = None
    raw: str | None = Field(None, description="The input as read (decoded), before cleaning.")
    raw_format: Literal["text", "html", "json"] = "text"
    removed: list[str] = Field(
        default_factory=list, description="Page furniture removed by cleaning (share widgets, bios...)."
    )
    warnings: list[str] = Field(default_factory=list)

    @staticmethod
    def make_id(text: str) -> str:
        """Stable id: the first 16 hex digits of the SHA-256 of the clean text."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Mention(Span):
    """A mention of an actor: a name, a nominal ("the General") or a pronoun ("he")."""

    kind: Literal["name", "nominal", "pronoun"] = "name"
    entity_id: str | None = Field(None, description="Id of the canonical Entity, when resolved.")
    ner_label: str | None = Field(None, description="spaCy NER label, e.g. PERSON, ORG, GPE.")
    confidence: float = 1.0


class Entity(_Model):
    """A canonical actor within an article (ids are stable across articles: slug of the name)."""

    id: str
    name: str = Field(description="Canonical name, e.g. 'Valerii Zaluzhnyi'.")
    type: str = Field(description="PERSON, ORG, GPE, NORP, OUTLET, MILITARY, ...")
    aliases: list[str] = Field(default_factory=list)
    country: str | None = None
    role: str | None = Field(None, description="Office or function, e.g. 'Mayor of Kyiv'.")
    in_knowledge_base: bool = False
    mentions: list[Mention] = Field(default_factory=list)


class Sourcing(_Model):
    """Who a statement ultimately rests on."""

    kind: Literal["named", "anonymous", "group", "unattributed"]
    description: str | None = Field(None, description="e.g. 'two American sources with direct knowledge'.")


class ChainLink(_Model):
    """One hop of a provenance chain: origin -> relay(s) -> outlet."""

    role: Literal["origin", "relay", "outlet"]
    name: str
    entity_id: str | None = None
    span: Span | None = None
    anonymous: bool = False


class Quote(_Model):
    """A reported statement: who said it (speaker), the cue ("said"), what (content), where and when."""

    id: str
    content: Span
    kind: Literal["direct", "indirect", "mixed"]
    speaker: Span | None = None
    speaker_name: str | None = Field(None, description="Canonical name of the speaker, or the group text.")
    speaker_entity: str | None = Field(None, description="Entity id of the speaker, when resolved.")
    cue: Span | None = None
    cue_lemma: str | None = None
    venue: Span | None = None
    venue_name: str | None = None
    date: str | None = Field(None, description="Absolute ISO date of the statement, when stated.")
    date_span: Span | None = None
    date_inferred: bool = Field(
        False, description="True when the year of `date` is not stated with it nor known from the publication "
        "date, but taken from a year the article writes elsewhere (a best guess).")
    sourcing: Sourcing
    chain: list[ChainLink] = Field(default_factory=list)
    parent_id: str | None = Field(None, description="Quote this one is reported inside of (relay).")
    confidence: float = 1.0


class Retraction(_Model):
    """The text's report that a claim was later taken back, corrected or denied: a fact-checker must not check
    the original figure as if it still stood."""

    kind: Literal["retracted", "corrected", "denied"] = Field(
        description="retracted: taken back by its source (retracted, withdrawn, walked back); corrected: replaced "
        "by another figure or wording; denied: rejected, mostly by another party.")
    span: Span = Field(description="The words reporting it, e.g. 'The ministry later corrected the figure to 14'.")


class Claim(_Model):
    """A sentence asserting something checkable, with what it rests on and whether it is hedged."""

    id: str
    span: Span
    sourcing: Sourcing
    quote_id: str | None = None
    entity_id: str | None = None
    hedged: bool = False
    hedges: list[Span] = Field(default_factory=list)
    retraction: Retraction | None = Field(
        None, description="Set when the text says the claim was later retracted, corrected or denied (schema 1.3.0).")
    confidence: float = 1.0


class SourcingProfile(_Model):
    """Shares of an article's claims by what they rest on."""

    n_claims: int = 0
    named: float = 0.0
    anonymous: float = 0.0
    unattributed: float = 0.0
    group: float = Field(0.0, description="Share resting on a category of people ('experts', 'officials').")
    hedged: float = 0.0
    n_named_sources: int = 0


class NarrativeLabel(_Model):
    """An article-level narrative (or sub-narrative) with its supporting evidence."""

    label: str = Field(description="Official label string, e.g. 'URW: Praise of Russia: ...'.")
    narrative: str
    subnarrative: str | None = None
    domain: str | None = Field(None, description="Taxonomy domain, e.g. 'URW' or 'CC'.")
    confidence: float
    evidence: list[Span] = Field(default_factory=list)
    explanation: str | None = None


class RoleLabel(_Model):
    """How the article casts one actor mention: main role and fine roles (SemEval-2025 T10 ST1)."""

    mention: Span
    entity_id: str | None = None
    entity_name: str | None = None
    main_role: Literal["Protagonist", "Antagonist", "Innocent"]
    fine_roles: list[str]
    confidence: float
    evidence: list[Span] = Field(default_factory=list)


class TechniqueSpan(_Model):
    """A persuasion technique used on a stretch of text."""

    span: Span
    technique: str
    confidence: float


class Analysis(_Model):
    """Everything Narrascope knows about one article. This is the versioned JSON output."""

    schema_version: str = SCHEMA_VERSION
    pipeline_version: str = ""
    components: list[str] = Field(default_factory=list)
    article: Article
    sentences: list[Span] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    sourcing: SourcingProfile | None = None
    narratives: list[NarrativeLabel] = Field(default_factory=list)
    roles: list[RoleLabel] = Field(default_factory=list)
    techniques: list[TechniqueSpan] = Field(default_factory=list)
    technique_profile: dict[str, float] = Field(
        default_factory=dict, description="Technique -> occurrences per 1,000 words."
    )
    warnings: list[str] = Field(default_factory=list)

    def iter_spans(self):
        """Yield every Span in the analysis (used to check offsets and by exporters)."""

        def walk(obj):
            if isinstance(obj, Span):
                yield obj
            if isinstance(obj, BaseModel):
                for name in type(obj).model_fields:
                    if name == "article":
                        continue
                    yield from walk(getattr(obj, name))
            elif isinstance(obj, list | tuple):
                for item in obj:
                    yield from walk(item)

        yield from walk(self)

    def check_spans(self) -> list[str]:
        """Return a message for each Span whose text is not ``article.text[start:end]``."""
        text = self.article.text
        return [
            f"span {s.start}:{s.end} says {s.text!r} but the text there is {text[s.start:s.end]!r}"
            for s in self.iter_spans()
            if s.end > len(text) or s.start > s.end or text[s.start : s.end] != s.text
        ]

    def entity(self, entity_id: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)


def json_schema() -> dict:
    """The published JSON Schema of the analysis output."""
    schema = Analysis.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://narrascope.invalid/schema/analysis-{SCHEMA_VERSION}.json"
    schema["title"] = "Narrascope analysis"
    return schema
