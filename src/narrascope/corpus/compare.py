"""Side-by-side comparison of articles (and outlets): how do different outlets tell the same story?

``compare(analyses)`` answers, for each article — and for each outlet when several articles share
one — which actors it quotes and how it casts them, what its claims rest on, which narratives and
techniques it uses that the others do not, and which speakers (and statements) the sides share.
The result is a pydantic model: ``Comparison.model_dump(mode="json")`` is what the API returns and
``corpus.render.print_comparison`` renders it in a terminal.

Works with whatever layers the pipeline produced: a missing layer just gives empty lists.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from ..classify.taxonomy import OTHER
from ..model import Analysis, Quote
from ..render import chain_text, counted
from .common import (
    ActorRef,
    SourcingShares,
    SourcingTally,
    actor_ref,
    count_role,
    entity_ref,
    n_words,
    outlet_of,
    speaker_of,
)

# Two quotes of the same speaker in two sides count as "the same statement" above this similarity.
SAME_STATEMENT = 80.0
N_SAMPLE_QUOTES = 3
# The content layers (``Analysis`` fields) with the default pipeline's component that fills each. All
# are English-only: the pipeline skips them on an article in another language.
CONTENT_LAYERS = {"entities": "actors", "quotes": "quotes", "claims": "claims", "narratives": "narratives",
                  "roles": "roles", "techniques": "techniques"}


def layer_ran(analysis: Analysis, layer: str) -> bool:
    """Whether the component of a content layer ran on the article: its name is in ``components``, or
    the layer holds something (a component registered under another name). Why: a layer that never
    ran found nothing, which is no finding — an article in another language has no quotes to count
    and no narratives to be "absent"."""
    return CONTENT_LAYERS[layer] in analysis.components or bool(getattr(analysis, layer))


class QuoteRef(BaseModel):
    """A quote located in its article (offsets into that article's clean text)."""

    article_id: str
    quote_id: str
    kind: Literal["direct", "indirect", "mixed"]
    text: str
    start: int
    end: int
    sourcing: str
    chain: str = ""
    cue: str | None = Field(None, description="The cue as the text has it ('said', 'denied'): an indirect quote's "
                                              "content alone reads as asserted even when it was denied.")


class ClaimRef(BaseModel):
    """A claim and what it rests on."""

    article_id: str
    claim_id: str
    text: str
    start: int
    end: int
    sourcing: str
    source: str | None = Field(None, description="The sourcing description or the quoted speaker.")
    hedged: bool = False


class ActorView(BaseModel):
    """One actor as one side presents it: how often mentioned and quoted, and in which roles."""

    key: str = Field(description="Cross-article key: the entity id, or 'name:<folded name>'.")
    name: str
    entity_id: str | None = None
    type: str | None = None
    anonymous: bool = False
    mentions: int = 0
    quotes: int = 0
    direct: int = 0
    indirect: int = 0
    mixed: int = 0
    roles: dict[str, int] = Field(default_factory=dict, description="Main role -> number of role labels.")
    fine_roles: dict[str, int] = Field(default_factory=dict)
    sample_quotes: list[QuoteRef] = Field(default_factory=list)


class SetDiff(BaseModel):
    narratives: list[str] = Field(default_factory=list)
    techniques: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list, description="Actor display names.")


class Side(BaseModel):
    """One column of the comparison: a single article, or every compared article of one outlet."""

    key: str = Field(description="Article id, or the outlet name for an outlet side.")
    kind: Literal["article", "outlet"]
    label: str
    outlet: str | None = Field(description="None for an article without an outlet.")
    article_ids: list[str]
    titles: list[str]
    date_from: str | None = None
    date_to: str | None = None
    n_words: int = 0
    n_quotes: int = 0
    n_quotes_no_speaker: int = Field(0, description="Quotes whose speaker is unknown or an unresolved pronoun.")
    layers: list[str] = Field(default_factory=list, description="Pipeline components that ran on every article.")
    actors: list[ActorView] = Field(default_factory=list)
    sourcing: SourcingShares = Field(default_factory=SourcingShares)
    claims: list[ClaimRef] = Field(default_factory=list)
    narratives: dict[str, float] = Field(default_factory=dict, description="Label -> highest confidence ('Other', "
                                                                           "no narrative of the taxonomy, is none).")
    techniques: dict[str, int] = Field(default_factory=dict, description="Technique -> number of spans.")
    only_here: SetDiff = Field(default_factory=SetDiff, description="Present here, absent from every other side.")
    missing_here: SetDiff = Field(default_factory=SetDiff, description="Present in another side, absent here. "
                                  "Sides where a layer did not run (not_run) take no part in its differences.")
    not_run: list[str] = Field(default_factory=list, description="Content layers (entities, quotes, claims, "
                               "narratives, roles, techniques) that ran on none of the side's articles, e.g. "
                               "the English-only ones on an article in another language.")


class SharedActor(BaseModel):
    """An actor that several sides mention or quote."""

    key: str
    name: str
    entity_id: str | None = None
    sides: list[str] = Field(description="Keys of the sides that mention or quote the actor.")
    quoted_by: list[str] = Field(default_factory=list, description="Keys of the sides that quote the actor.")
    mentions: dict[str, int] = Field(default_factory=dict)
    quotes: dict[str, int] = Field(default_factory=dict)
    roles: dict[str, dict[str, int]] = Field(default_factory=dict, description="Side key -> main role counts.")
    framing_differs: bool = Field(False, description="Sides cast the actor in different dominant main roles.")


class SharedStatement(BaseModel):
    """The same speaker saying (nearly) the same thing in two sides."""

    speaker: str
    key: str
    similarity: float
    quotes: list[QuoteRef]


class Comparison(BaseModel):
    articles: list[Side]
    outlets: list[Side] = Field(
        default_factory=list, description="Per-outlet aggregates; only when several articles share an outlet."
    )
    shared_actors: list[SharedActor] = Field(default_factory=list, description="Across article sides.")
    shared_statements: list[SharedStatement] = Field(default_factory=list)
    common_narratives: list[str] = Field(default_factory=list, description="In every article the layer ran on "
                                                                           "(when it ran on two or more).")
    common_techniques: list[str] = Field(default_factory=list, description="In every article the layer ran on "
                                                                           "(when it ran on two or more).")
    date_from: str | None = None
    date_to: str | None = None
    layers: list[str] = Field(default_factory=list, description="Components that ran on every article.")


class CompareError(ValueError):
    """Raised for input that cannot be compared (e.g. nothing given)."""


# --- building one side -------------------------------------------------------------------------


def quote_ref(analysis: Analysis, quote: Quote) -> QuoteRef:
    return QuoteRef(
        article_id=analysis.article.id, quote_id=quote.id, kind=quote.kind, text=quote.content.text,
        start=quote.content.start, end=quote.content.end, sourcing=quote.sourcing.kind, chain=chain_text(quote),
        cue=quote.cue.text if quote.cue else None,
    )


class _SideBuilder:
    """Accumulates articles into one side; ``side()`` freezes it into the public model."""

    def __init__(self, key: str, kind: Literal["article", "outlet"], outlet: str | None):
        self.key, self.kind, self.outlet = key, kind, outlet
        self.analyses: list[Analysis] = []
        self.actors: dict[str, ActorView] = {}
        self.sourcing = SourcingTally()
        self.claims: list[ClaimRef] = []
        self.narratives: dict[str, float] = {}
        self.techniques: Counter[str] = Counter()
        self.n_quotes = self.n_quotes_no_speaker = 0

    def _actor(self, ref: ActorRef) -> ActorView:
        if ref.key not in self.actors:
            self.actors[ref.key] = ActorView(key=ref.key, name=ref.name, entity_id=ref.entity_id, type=ref.type,
                                             anonymous=ref.anonymous)
        return self.actors[ref.key]

    def add(self, a: Analysis) -> None:
        self.analyses.append(a)
        for entity in a.entities:
            self._actor(entity_ref(entity)).mentions += len(entity.mentions)
        quotes_by_id = {q.id: q for q in a.quotes}
        self.n_quotes += len(a.quotes)
        for quote in a.quotes:
            ref = speaker_of(a, quote)
            if ref is None:
                self.n_quotes_no_speaker += 1
                continue
            view = self._actor(ref)
            view.quotes += 1
            setattr(view, quote.kind, getattr(view, quote.kind) + 1)
            if len(view.sample_quotes) < N_SAMPLE_QUOTES:
                view.sample_quotes.append(quote_ref(a, quote))
        for role in a.roles:
            ref = actor_ref(a, role.entity_id, role.entity_name or role.mention.text)
            if ref is None:
                continue
            count_role(self._actor(ref), role)
        self.sourcing.add(a.claims)
        for claim in a.claims:
            quote = quotes_by_id.get(claim.quote_id or "")
            source = claim.sourcing.description or (quote.speaker_name if quote else None)
            self.claims.append(ClaimRef(
                article_id=a.article.id, claim_id=claim.id, text=claim.span.text, start=claim.span.start,
                end=claim.span.end, sourcing=claim.sourcing.kind, source=source, hedged=claim.hedged,
            ))
        for label in a.narratives:
            if label.label == OTHER:  # no narrative of the taxonomy: nothing to share or to miss
                continue
            self.narratives[label.label] = max(self.narratives.get(label.label, 0.0), label.confidence)
        self.techniques.update(t.technique for t in a.techniques)

    def side(self) -> Side:
        dates = sorted(a.article.published[:10] for a in self.analyses if a.article.published)
        titles = [a.article.title or "(untitled)" for a in self.analyses]
        actors = sorted(self.actors.values(), key=lambda v: (-v.quotes, -v.mentions, v.name.casefold()))
        label = titles[0] if self.kind == "article" else f"{self.outlet} ({counted(len(self.analyses), 'article')})"
        return Side(
            key=self.key, kind=self.kind, label=label, outlet=self.outlet,
            article_ids=[a.article.id for a in self.analyses], titles=titles,
            date_from=dates[0] if dates else None, date_to=dates[-1] if dates else None,
            n_words=sum(n_words(a.article.text) for a in self.analyses), n_quotes=self.n_quotes,
            n_quotes_no_speaker=self.n_quotes_no_speaker, layers=_common_layers(self.analyses),
            actors=actors, sourcing=self.sourcing.shares(), claims=self.claims,
            narratives=dict(sorted(self.narratives.items())), techniques=dict(self.techniques.most_common()),
            not_run=[layer for layer in CONTENT_LAYERS if not any(layer_ran(a, layer) for a in self.analyses)],
        )


def _common_layers(analyses: list[Analysis]) -> list[str]:
    if not analyses:
        return []
    common = set(analyses[0].components).intersection(*(a.components for a in analyses[1:]))
    return [c for c in analyses[0].components if c in common]


def _set_differences(sides: list[Side]) -> None:
    """Fill ``only_here`` / ``missing_here`` of each side against the union of the others. A layer that
    did not run on a side (``not_run``) takes no part: nothing is "absent" there, and nothing is "only
    here" for want of a side that could have had it."""
    def named_actors(side: Side) -> dict[str, str]:
        return {v.key: v.name for v in side.actors if not v.anonymous}

    def ran(side: Side, layer: str) -> bool:
        return not ({"entities", "quotes"} if layer == "actors" else {layer}) <= set(side.not_run)

    for i, side in enumerate(sides):
        others = sides[:i] + sides[i + 1:]
        if not others:
            continue
        only: dict[str, list[str]] = {"narratives": [], "techniques": [], "actors": []}
        missing: dict[str, list[str]] = {"narratives": [], "techniques": [], "actors": []}
        for layer in ("narratives", "techniques"):
            compared = [s for s in others if ran(s, layer)]
            theirs = set().union(*(getattr(s, layer) for s in compared))
            mine = set(getattr(side, layer))
            if compared and ran(side, layer):
                only[layer], missing[layer] = sorted(mine - theirs), sorted(theirs - mine)
        compared = [s for s in others if ran(s, "actors")]
        if compared and ran(side, "actors"):
            other_actors: dict[str, str] = {}
            for s in compared:
                other_actors.update(named_actors(s))
            mine = named_actors(side)
            only["actors"] = sorted(mine[k] for k in set(mine) - set(other_actors))
            missing["actors"] = sorted(other_actors[k] for k in set(other_actors) - set(mine))
        side.only_here, side.missing_here = SetDiff(**only), SetDiff(**missing)


def _in_every(sides: list[Side], layer: str) -> list[str]:
    """The labels of ``layer`` in every side where the layer ran, when it ran on two or more."""
    ran = [set(getattr(s, layer)) for s in sides if layer not in s.not_run]
    return sorted(set.intersection(*ran)) if len(ran) > 1 else []


def _shared_actors(sides: list[Side]) -> list[SharedActor]:
    found: dict[str, SharedActor] = {}
    for side in sides:
        for view in side.actors:
            if view.anonymous:
                continue
            shared = found.setdefault(view.key, SharedActor(key=view.key, name=view.name,
                                                            entity_id=view.entity_id, sides=[]))
            shared.sides.append(side.key)
            shared.mentions[side.key] = view.mentions
            shared.quotes[side.key] = view.quotes
            if view.quotes:
                shared.quoted_by.append(side.key)
            if view.roles:
                shared.roles[side.key] = dict(view.roles)
    result = [s for s in found.values() if len(s.sides) > 1]
    for shared in result:
        dominant = {Counter(roles).most_common(1)[0][0] for roles in shared.roles.values()}
        shared.framing_differs = len(dominant) > 1
    return sorted(result, key=lambda s: (-len(s.quoted_by), -len(s.sides), -sum(s.mentions.values()), s.name))


_QUOTED = re.compile(r"[“\"«]([^”\"»]{10,})[”\"»]")


def _quoted_overlap(a: str, b: str) -> float:
    """How well the words two contents quote match, the shorter quotation inside the longer: a quotation cut
    differently ("The line is holding. Our brigades are tired, but …" and "that “our brigades are tired, but
    …”") is the same statement. 0 unless both quote at least five words."""
    pairs = [(x.lower(), y.lower()) for x in _QUOTED.findall(a) for y in _QUOTED.findall(b)
             if min(len(x.split()), len(y.split())) >= 5]
    return max((fuzz.partial_ratio(x, y) for x, y in pairs), default=0.0)


def _shared_statements(analyses: list[Analysis]) -> list[SharedStatement]:
    """Pairs of near-identical quotes by the same named speaker in two different articles."""
    by_speaker: dict[str, list[tuple[Analysis, Quote, ActorRef]]] = defaultdict(list)
    for a in analyses:
        for q in a.quotes:
            ref = speaker_of(a, q)
            if ref is not None and not ref.anonymous:
                by_speaker[ref.key].append((a, q, ref))
    result = []
    for items in by_speaker.values():
        for i, (a1, q1, ref) in enumerate(items):
            for a2, q2, _ in items[i + 1:]:
                if a1.article.id == a2.article.id:
                    continue
                score = max(fuzz.token_set_ratio(q1.content.text, q2.content.text),
                            _quoted_overlap(q1.content.text, q2.content.text))
                if score >= SAME_STATEMENT:
                    result.append(SharedStatement(speaker=ref.name, key=ref.key, similarity=round(score / 100, 3),
                                                  quotes=[quote_ref(a1, q1), quote_ref(a2, q2)]))
    return sorted(result, key=lambda s: -s.similarity)


def compare(analyses: list[Analysis]) -> Comparison:
    """Compare analysed articles side by side (see the module docstring for what is compared)."""
    if not analyses:
        raise CompareError("nothing to compare: give at least one analysed article")
    unique = list({a.article.id: a for a in analyses}.values())
    article_sides = []
    by_outlet: dict[str, _SideBuilder] = {}
    for a in unique:
        outlet = outlet_of(a)
        builder = _SideBuilder(a.article.id, "article", outlet)
        builder.add(a)
        article_sides.append(builder.side())
        if outlet is not None:  # articles without an outlet are not known to share one
            by_outlet.setdefault(outlet, _SideBuilder(outlet, "outlet", outlet)).add(a)
    shared = any(len(b.analyses) > 1 for b in by_outlet.values())
    outlet_sides = [b.side() for b in by_outlet.values()] if shared else []
    _set_differences(article_sides)
    _set_differences(outlet_sides)
    dates = sorted(d for s in article_sides for d in (s.date_from,) if d)
    return Comparison(
        articles=article_sides,
        outlets=outlet_sides,
        shared_actors=_shared_actors(article_sides),
        shared_statements=_shared_statements(unique),
        common_narratives=_in_every(article_sides, "narratives"),
        common_techniques=_in_every(article_sides, "techniques"),
        date_from=dates[0] if dates else None,
        date_to=dates[-1] if dates else None,
        layers=_common_layers(unique),
    )
