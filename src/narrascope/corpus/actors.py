"""Actors across the corpus: a searchable index, and one actor's profile (who quotes them, what they
say, how each outlet casts them, who they appear with).

Both are single streaming passes over analyses. An actor is named by its cross-article key (see
``common.py``): an entity id such as ``olena-marchenko``, or ``name:<folded name>`` for a speaker
the actor layer did not resolve; ``actor_profile`` also accepts a plain name.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from itertools import count
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from ..model import Analysis, Entity
from .common import ActorRef, actor_ref, count_role, entity_ref, name_key, outlet_of, speaker_of, within
from .compare import QuoteRef, quote_ref


T = TypeVar("T", "ActorQuote", "ArticleRef")


class _Newest(Generic[T]):
    """Keeps the ``n`` newest items seen (by ``when``), so a much-quoted actor costs bounded memory."""

    def __init__(self, n: int):
        self.n, self.heap, self.seen, self._tie = n, [], 0, count()

    def push(self, item: T) -> None:
        self.seen += 1
        entry = (item.when(), next(self._tie), item)
        if len(self.heap) < self.n:
            heapq.heappush(self.heap, entry)
        else:
            heapq.heappushpop(self.heap, entry)

    def items(self) -> list[T]:
        return [item for _, _, item in sorted(self.heap, reverse=True)]


class ActorSummary(BaseModel):
    key: str
    name: str
    entity_id: str | None = None
    type: str | None = None
    articles: int = 0
    mentions: int = 0
    quotes: int = 0
    outlets: int = Field(0, description="Distinct outlets that mention or quote the actor (articles without an "
                                        "outlet add none).")


class OutletFraming(BaseModel):
    """How one outlet presents the actor."""

    outlet: str | None = Field(description="None: the articles without an outlet, together.")
    articles: int = 0
    mentions: int = 0
    quotes: int = 0
    roles: dict[str, int] = Field(default_factory=dict, description="Main role -> role labels.")
    fine_roles: dict[str, int] = Field(default_factory=dict)


class ActorQuote(BaseModel):
    quote: QuoteRef
    outlet: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="When the article was published.")
    date: str | None = Field(None, description="When the quote was said (the quote layer's date: YYYY-MM-DD, "
                                               "YYYY-MM or YYYY), when it found one.")
    speaker: str | None = Field(None, description="Who said it (for quotes about the actor).")
    speaker_key: str | None = Field(None, description="Cross-article key of a named speaker.")

    def when(self) -> str:
        """The quote's own date, else its article's: a statement reported days later is as old as it is."""
        return self.date or self.published or ""


class Neighbour(BaseModel):
    key: str
    name: str
    weight: int


class ArticleRef(BaseModel):
    article_id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None

    def when(self) -> str:
        return self.published or ""


class ActorProfile(BaseModel):
    key: str
    name: str
    entity_id: str | None = None
    type: str | None = None
    office: str | None = Field(None, description="Role or function from the knowledge base, when known.")
    forms: list[str] = Field(default_factory=list, description="How the texts name the actor, most frequent first.")
    n_articles: int = 0
    n_mentions: int = 0
    n_quotes: int = 0
    date_from: str | None = None
    date_to: str | None = None
    by_outlet: list[OutletFraming] = Field(default_factory=list)
    quotes: list[ActorQuote] = Field(
        default_factory=list, description="By the actor; newest first (by the quote's date, else the article's), "
                                          "at most max_quotes."
    )
    quotes_about: list[ActorQuote] = Field(
        default_factory=list, description="By others (anonymous sources too) and mentioning the actor; newest first."
    )
    spoken_about_by: list[Neighbour] = Field(default_factory=list, description="Speakers who mention the actor.")
    speaks_about: list[Neighbour] = Field(default_factory=list, description="Actors the actor's quotes mention.")
    co_occurring: list[Neighbour] = Field(default_factory=list, description="Actors in the same sentences.")
    narratives: dict[str, int] = Field(default_factory=dict, description="Narratives of the articles it appears in.")
    articles: list[ArticleRef] = Field(default_factory=list, description="Newest first, at most max_articles.")


def actor_index(analyses: Iterable[Analysis], min_articles: int = 1, query: str | None = None) -> list[ActorSummary]:
    """Every actor (named speakers and entities) with counts, most present first.

    ``query`` keeps actors whose name contains it (case-insensitive).
    """
    found: dict[str, ActorSummary] = {}
    outlets: dict[str, set[str]] = {}  # actor key -> named outlets
    for a in analyses:
        outlet = outlet_of(a)
        here: set[str] = set()

        def touch(ref: ActorRef) -> ActorSummary:
            summary = found.setdefault(ref.key, ActorSummary(key=ref.key, name=ref.name, entity_id=ref.entity_id,
                                                             type=ref.type))
            if ref.key not in here:
                here.add(ref.key)
                summary.articles += 1
                if outlet is not None:
                    outlets.setdefault(ref.key, set()).add(outlet)
            return summary

        for e in a.entities:
            touch(entity_ref(e)).mentions += len(e.mentions)
        for q in a.quotes:
            ref = speaker_of(a, q)
            if ref is not None and not ref.anonymous:
                touch(ref).quotes += 1
    needle = (query or "").casefold()
    result = []
    for key, summary in found.items():
        summary.outlets = len(outlets.get(key, ()))
        if summary.articles >= min_articles and needle in summary.name.casefold():
            result.append(summary)
    return sorted(result, key=lambda s: (-s.articles, -s.quotes, -s.mentions, s.name))


def _matches(ref: ActorRef | None, wanted: set[str]) -> bool:
    return ref is not None and not ref.anonymous and (ref.key in wanted or name_key(ref.name) in wanted)


def _top(counter: Counter[str], names: dict[str, str], n: int) -> list[Neighbour]:
    return [Neighbour(key=k, name=names.get(k, k), weight=w) for k, w in counter.most_common(n)]


def actor_profile(
    analyses: Iterable[Analysis], actor: str, *, max_quotes: int = 200, max_articles: int = 200, top: int = 20
) -> ActorProfile | None:
    """One actor across the corpus; None when no article mentions or quotes it."""
    wanted = {actor, name_key(actor)}
    profile: ActorProfile | None = None
    forms: Counter[str] = Counter()
    framing: dict[str | None, OutletFraming] = {}
    quotes: _Newest[ActorQuote] = _Newest(max_quotes)
    quotes_about: _Newest[ActorQuote] = _Newest(max_quotes)
    articles: _Newest[ArticleRef] = _Newest(max_articles)
    names: dict[str, str] = {}
    about_by, about, beside, narratives = Counter(), Counter(), Counter(), Counter()
    for a in analyses:
        entity: Entity | None = next((e for e in a.entities if _matches(entity_ref(e), wanted)), None)
        own_quotes = [q for q in a.quotes if _matches(speaker_of(a, q), wanted)]
        if entity is None and not own_quotes:
            continue
        ref = entity_ref(entity) if entity else speaker_of(a, own_quotes[0])
        if profile is None:
            profile = ActorProfile(key=ref.key, name=ref.name, entity_id=ref.entity_id, type=ref.type)
        if entity is not None and profile.entity_id is None:
            profile.entity_id, profile.type = entity.id, entity.type
        if entity is not None and entity.role and not profile.office:
            profile.office = entity.role
        outlet = outlet_of(a)
        meta = {"outlet": outlet, "title": a.article.title, "published": a.article.published}
        if a.article.published:
            day = a.article.published[:10]
            profile.date_from = min(profile.date_from or day, day)
            profile.date_to = max(profile.date_to or day, day)
        articles.push(ArticleRef(article_id=a.article.id, **meta))
        view = framing.setdefault(outlet, OutletFraming(outlet=outlet))
        view.articles += 1
        mentions = entity.mentions if entity else []
        view.mentions += len(mentions)
        forms.update(m.text for m in mentions if m.kind != "pronoun")
        view.quotes += len(own_quotes)
        for q in own_quotes:
            quotes.push(ActorQuote(quote=quote_ref(a, q), date=q.date, **meta))
        own_ids = {q.id for q in own_quotes}
        for role in a.roles:
            if _matches(actor_ref(a, role.entity_id, role.entity_name or role.mention.text), wanted):
                count_role(view, role)
        for other in a.entities:
            names.setdefault(other.id, other.name)
        for q in a.quotes:
            speaker = speaker_of(a, q)
            if q.id in own_ids:
                about.update(e.id for e in a.entities if e is not entity for m in e.mentions if within(m, q.content))
            elif any(within(m, q.content) for m in mentions):
                named = speaker is not None and not speaker.anonymous
                quotes_about.push(ActorQuote(quote=quote_ref(a, q), date=q.date, speaker=speaker.name if speaker else None,
                                             speaker_key=speaker.key if named else None, **meta))
                if named:
                    names.setdefault(speaker.key, speaker.name)
                    about_by[speaker.key] += 1
        for sentence in a.sentences:
            if any(within(m, sentence) for m in mentions):
                beside.update({e.id for e in a.entities if e is not entity
                               for m in e.mentions if within(m, sentence)})
        narratives.update({n.label for n in a.narratives})
    if profile is None:
        return None
    profile.forms = [f for f, _ in forms.most_common(12)]
    profile.n_articles = articles.seen
    profile.n_mentions = sum(v.mentions for v in framing.values())
    profile.n_quotes = quotes.seen
    profile.by_outlet = sorted(framing.values(), key=lambda v: (v.outlet is None, -v.articles, v.outlet or ""))
    profile.quotes = quotes.items()
    profile.quotes_about = quotes_about.items()
    profile.articles = articles.items()
    profile.spoken_about_by = _top(about_by, names, top)
    profile.speaks_about = _top(about, names, top)
    profile.co_occurring = _top(beside, names, top)
    profile.narratives = dict(narratives.most_common())
    return profile
