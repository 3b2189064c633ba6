"""The JSON each view of the web UI (and the HTML report) is drawn from.

Why a separate module: the server pages, the REST API and the self-contained report show the same
things, so they are built once here, from plain ``Analysis`` objects, with no web framework involved.
The browser code (``static/app.js``) only lays these dicts out; all counting happens in Python, and
the corpus analytics (comparison, actor keys, outlets) come from ``narrascope.corpus``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from ..corpus.actors import actor_profile
from ..corpus.common import UNDATED, iso_week, n_words, outlet_of, speaker_of, within
from ..corpus.compare import compare, quote_ref
from ..corpus.prevalence import prevalence
from ..model import Analysis

TOP_ACTORS = 15
TOP_LABELS = 12


def article_summary(a: Analysis) -> dict[str, Any]:
    """One row of an article list: metadata plus how much each layer found."""
    art = a.article
    return {
        "id": art.id, "title": art.title, "outlet": art.outlet, "published": art.published, "url": art.url,
        "n_words": n_words(art.text), "n_quotes": len(a.quotes), "n_claims": len(a.claims),
        "narratives": [n.label for n in sorted(a.narratives, key=lambda n: -n.confidence)],
        "n_techniques": len(a.techniques),
    }


def speaker_keys(a: Analysis) -> dict[str, dict[str, Any]]:
    """Quote id -> the cross-article actor key and name of its speaker (for colours and actor links)."""
    keys = {}
    for q in a.quotes:
        ref = speaker_of(a, q)
        if ref is not None:
            keys[q.id] = {"key": ref.key, "name": ref.name, "anonymous": ref.anonymous}
    return keys


def article_view(a: Analysis) -> dict[str, Any]:
    """The article page: the analysis exactly as published (schema JSON) plus actor keys for links."""
    return {"analysis": a.model_dump(mode="json"), "speakers": speaker_keys(a)}


def compare_view(analyses: list[Analysis]) -> dict[str, Any]:
    """Side-by-side comparison (``corpus.compare``) plus each article, for the highlighted texts."""
    return {
        "comparison": compare(analyses).model_dump(mode="json"),
        "articles": [article_view(a) for a in analyses],
    }


def stories_view(analyses: Iterable[Analysis]) -> list[dict[str, Any]]:
    """Stories covered by two or more articles (``corpus.stories``), for the home page and the report."""
    from ..corpus.stories import build_stories  # scikit-learn: seconds to import, only when listing stories

    return [s.model_dump(mode="json") for s in build_stories(analyses).stories(min_articles=2)]


def actor_view(analyses: Iterable[Analysis], key: str) -> dict[str, Any] | None:
    """The actor page: ``corpus.actors.actor_profile`` (framing by outlet, quotes by the actor,
    neighbours) plus every quote *about* the actor — quotes by others whose content mentions it."""
    analyses = list(analyses)
    profile = actor_profile(analyses, key)
    if profile is None:
        return None
    about = []
    for a in analyses:
        entity = a.entity(profile.entity_id)
        for q in a.quotes if entity else ():
            speaker = speaker_of(a, q)
            if (speaker is None or speaker.key != profile.key) and any(within(m, q.content) for m in entity.mentions):
                about.append({"quote": quote_ref(a, q).model_dump(), "outlet": outlet_of(a), "title": a.article.title,
                              "published": a.article.published, "speaker": speaker.name if speaker else None,
                              "speaker_key": None if speaker is None or speaker.anonymous else speaker.key})
    return profile.model_dump(mode="json") | {"quotes_about": about}


def dashboard_view(analyses: Iterable[Analysis]) -> dict[str, Any]:
    """Corpus overview for the charts, from ``corpus.prevalence``: narratives by outlet and by week,
    techniques by outlet, sourcing by outlet, most quoted actors."""
    n_quotes = 0

    def counted() -> Iterable[Analysis]:
        nonlocal n_quotes
        for a in analyses:
            n_quotes += len(a.quotes)
            yield a

    prev = prevalence(counted())
    top = list(prev.overall.narratives)[:TOP_LABELS]
    techniques = list(prev.overall.techniques)[:TOP_LABELS]
    by_week = {g.key: g for g in prev.by_week}
    weeks = week_range(w for w in by_week if w != UNDATED) + ([UNDATED] if UNDATED in by_week else [])

    def articles(group, layer: str, label: str) -> int:
        stat = getattr(group, layer).get(label) if group is not None else None
        return stat.articles if stat else 0

    return {
        "n_articles": prev.overall.n_articles,
        "n_outlets": len(prev.by_outlet),
        "n_quotes": n_quotes,
        "outlets": [g.key for g in prev.by_outlet],
        "narratives": top,
        "narratives_by_outlet": {g.key: [articles(g, "narratives", n) for n in top] for g in prev.by_outlet},
        "weeks": weeks,
        "narratives_by_week": {n: [articles(by_week.get(w), "narratives", n) for w in weeks] for n in top},
        "techniques": techniques,
        "techniques_by_outlet": {g.key: [articles(g, "techniques", t) for t in techniques] for g in prev.by_outlet},
        "sourcing_by_outlet": {g.key: g.sourcing.model_dump() for g in prev.by_outlet},
        "top_actors": [t.model_dump() for t in prev.top_speakers[:TOP_ACTORS]],
    }


def week_range(weeks: Iterable[str], cap: int = 156) -> list[str]:
    """Every ISO week from the first to the last given (so gaps show as zeros), at most ``cap`` weeks."""
    days = sorted(date.fromisocalendar(int(w[:4]), int(w[6:]), 1) for w in weeks)
    if not days:
        return []
    n = min((days[-1] - days[0]).days // 7 + 1, cap)
    return [iso_week((days[-1] - timedelta(weeks=n - 1 - i)).isoformat()) for i in range(n)]
