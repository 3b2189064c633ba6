"""Who is pushing what: narrative and technique prevalence by outlet and by ISO week, sourcing
profiles by outlet, and the most quoted actors.

One streaming pass: ``prevalence(analyses)`` keeps only counters per outlet, per week and per actor,
so it runs over a store of any size (``prevalence(store.iter_analyses())``). Shares are shares of
articles (how many of an outlet's articles carry the narrative); rates are per 1,000 words (how dense
a technique is), so a prolific outlet does not look more manipulative just because it writes more.
Both count only the articles the layer's classifier processed (``classified``): the pipeline skips the
English-only classifiers on an article in another language, which carries no label and is no evidence
that the outlet does not push the narrative.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, Field

from ..model import Analysis
from .common import (
    CLASSIFIED_LAYERS,
    SourcingShares,
    SourcingTally,
    iso_week,
    n_words,
    outlet_of,
    processed,
    speaker_of,
)

# The layer whose coverage is the denominator of each label table.
_DENOMINATOR = {"narratives": "narratives", "coarse_narratives": "narratives", "techniques": "techniques"}


class LabelStat(BaseModel):
    articles: int = Field(description="Articles carrying the label at least once.")
    share: float = Field(description="articles / the group's articles that the layer's classifier processed.")
    count: int = Field(description="Occurrences (technique spans, narrative labels).")
    per_1000_words: float = Field(description="count per 1,000 words of those processed articles.")


class Coverage(BaseModel):
    """What one classifier layer processed in a group: the denominators of its shares and rates."""

    articles: int = 0
    words: int = 0


class GroupStats(BaseModel):
    """Prevalence within one group of articles (an outlet, a week, or the whole corpus)."""

    key: str | None = Field(description="'all', the outlet (None: the articles without one) or the ISO week.")
    n_articles: int = 0
    n_words: int = 0
    classified: dict[str, Coverage] = Field(
        default_factory=dict, description="Per layer (narratives, techniques): the articles and words its "
                                          "classifier processed (English-only classifiers skip other languages).")
    narratives: dict[str, LabelStat] = Field(default_factory=dict, description="Full label (with sub-narrative).")
    coarse_narratives: dict[str, LabelStat] = Field(
        default_factory=dict, description="Official coarse label: 'DOMAIN: narrative', or 'Other'.")
    techniques: dict[str, LabelStat] = Field(default_factory=dict)
    roles: dict[str, int] = Field(default_factory=dict, description="Main role -> role labels.")
    sourcing: SourcingShares = Field(default_factory=SourcingShares)


class TopActor(BaseModel):
    key: str
    name: str
    entity_id: str | None = None
    quotes: int = 0
    direct: int = 0
    articles: int = 0
    outlets: dict[str, int] = Field(default_factory=dict, description="Outlet -> quotes of this actor there "
                                                                      "(quotes in articles without an outlet are "
                                                                      "in ``quotes`` only).")


class Prevalence(BaseModel):
    overall: GroupStats
    by_outlet: list[GroupStats] = Field(
        default_factory=list, description="Most articles first; the articles without an outlet (key None) last.")
    by_week: list[GroupStats] = Field(default_factory=list, description="ISO weeks in order; 'undated' last.")
    top_speakers: list[TopActor] = Field(default_factory=list, description="Most quoted named actors.")


class _Group:
    def __init__(self, key: str | None):
        self.key = key
        self.n_articles = self.n_words = 0
        self.classified = {layer: Coverage() for layer in CLASSIFIED_LAYERS}
        self.labels: dict[str, tuple[Counter[str], Counter[str]]] = {
            k: (Counter(), Counter()) for k in ("narratives", "coarse_narratives", "techniques")
        }
        self.roles: Counter[str] = Counter()
        self.sourcing = SourcingTally()

    def add(self, a: Analysis, words: int) -> None:
        self.n_articles += 1
        self.n_words += words
        for layer, coverage in self.classified.items():
            if processed(a, layer):
                coverage.articles += 1
                coverage.words += words
        found = {
            "narratives": [n.label for n in a.narratives],
            # ``narrative`` is already the official coarse label: 'DOMAIN: narrative', or 'Other' alone.
            "coarse_narratives": [n.narrative for n in a.narratives],
            "techniques": [t.technique for t in a.techniques],
        }
        for layer, labels in found.items():
            counts, articles = self.labels[layer]
            counts.update(labels)
            articles.update(set(labels))
        self.roles.update(r.main_role for r in a.roles)
        self.sourcing.add(a.claims)

    def stats(self) -> GroupStats:
        def table(layer: str) -> dict[str, LabelStat]:
            counts, articles = self.labels[layer]
            # A label implies its layer processed the article (``processed``), so the denominators are > 0.
            seen = self.classified[_DENOMINATOR[layer]]
            return {
                label: LabelStat(
                    articles=articles[label], share=round(articles[label] / seen.articles, 4), count=count,
                    per_1000_words=round(1000 * count / seen.words, 3) if seen.words else 0.0,
                )
                for label, count in sorted(counts.items(), key=lambda kv: (-articles[kv[0]], -kv[1], kv[0]))
            }

        return GroupStats(key=self.key, n_articles=self.n_articles, n_words=self.n_words,
                          classified={layer: c.model_copy() for layer, c in self.classified.items()},
                          roles=dict(self.roles.most_common()), sourcing=self.sourcing.shares(),
                          **{layer: table(layer) for layer in self.labels})


def prevalence(analyses: Iterable[Analysis], top: int = 25) -> Prevalence:
    """Prevalence tables over a stream of analyses (empty input gives empty tables)."""
    overall = _Group("all")
    outlets: dict[str | None, _Group] = {}
    weeks: dict[str, _Group] = {}
    speakers: dict[str, TopActor] = {}
    for a in analyses:
        words = n_words(a.article.text)
        outlet = outlet_of(a)
        week = iso_week(a.article.published)
        for group in (overall, outlets.setdefault(outlet, _Group(outlet)), weeks.setdefault(week, _Group(week))):
            group.add(a, words)
        quoted_here: set[str] = set()
        for quote in a.quotes:
            ref = speaker_of(a, quote)
            if ref is None or ref.anonymous:
                continue
            actor = speakers.setdefault(ref.key, TopActor(key=ref.key, name=ref.name, entity_id=ref.entity_id))
            actor.quotes += 1
            actor.direct += quote.kind == "direct"
            if outlet is not None:
                actor.outlets[outlet] = actor.outlets.get(outlet, 0) + 1
            if ref.key not in quoted_here:
                quoted_here.add(ref.key)
                actor.articles += 1
    by_outlet = sorted((g.stats() for g in outlets.values()), key=lambda s: (s.key is None, -s.n_articles, s.key or ""))
    # "undated" sorts after every "YYYY-Www" key because "u" > any digit.
    by_week = sorted((g.stats() for g in weeks.values()), key=lambda s: s.key)
    top_speakers = sorted(speakers.values(), key=lambda t: (-t.quotes, -t.articles, t.name))[:top]
    return Prevalence(overall=overall.stats(), by_outlet=by_outlet, by_week=by_week, top_speakers=top_speakers)
