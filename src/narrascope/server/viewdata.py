"""The JSON each view of the web UI (and the HTML report) is drawn from.

Why a separate module: the server pages, the REST API and the self-contained report show the same
things, so they are built once here, from plain ``Analysis`` objects, with no web framework involved.
The browser code (``static/app.js``) only lays these dicts out; all counting happens in Python, and
the corpus analytics (comparison, actor keys, outlets) come from ``narrascope.corpus``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from ..corpus.common import UNDATED, actor_ref, iso_week, n_words, outlet_of, speaker_of
from ..corpus.compare import compare
from ..corpus.prevalence import prevalence
from ..corpus.stories import StoryIndex
from ..model import Analysis, Quote
from ..render import chain_text

TOP_ACTORS = 15
TOP_LABELS = 12
STORIES_MAX = 2000


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


def stories_view(analyses: Iterable[Analysis], max_articles: int = STORIES_MAX) -> list[dict[str, Any]]:
    """Stories covered by two or more articles (``corpus.stories``), for the home page and the report.

    Clustering reads every analysis, so beyond ``max_articles`` the home page leaves it to
    ``narrascope stories`` (which keeps a persistent index) and shows none.
    """
    index = StoryIndex()
    for n, a in enumerate(analyses):
        if n >= max_articles:
            return []
        index.add(a)
    return [s.model_dump(mode="json") for s in index.stories(min_articles=2)]


def _quote_row(a: Analysis, q: Quote) -> dict[str, Any]:
    ref = speaker_of(a, q)
    return {
        "article_id": a.article.id, "title": a.article.title, "outlet": outlet_of(a),
        "published": a.article.published, "quote_id": q.id, "text": q.content.text, "kind": q.kind,
        "start": q.content.start, "end": q.content.end, "speaker": ref.name if ref else None,
        "speaker_key": ref.key if ref else None, "sourcing": q.sourcing.kind, "chain": chain_text(q),
        "venue": q.venue_name or (q.venue.text if q.venue else None), "date": q.date,
    }


def actor_view(analyses: Iterable[Analysis], key: str) -> dict[str, Any] | None:
    """Everything about one actor: quotes by it, quotes mentioning it, how each outlet casts it."""
    name, etype = None, None
    said, about = [], []
    framing: dict[str, dict[str, Counter]] = defaultdict(lambda: {"main": Counter(), "fine": Counter()})
    mentions: Counter[str] = Counter()
    for a in analyses:
        outlet = outlet_of(a)
        entity = a.entity(key)
        if entity is not None:
            name, etype = entity.name, entity.type
            mentions[outlet] += len(entity.mentions)
        spans = [(m.start, m.end) for m in entity.mentions] if entity else []
        for q in a.quotes:
            ref = speaker_of(a, q)
            if ref is not None and ref.key == key:
                name = name or ref.name
                said.append(_quote_row(a, q))
            elif any(q.content.start <= s and e <= q.content.end for s, e in spans):
                about.append(_quote_row(a, q))
        for r in a.roles:
            ref = actor_ref(a, r.entity_id, r.entity_name or r.mention.text)
            if ref is not None and ref.key == key:
                name = name or ref.name
                framing[outlet]["main"][r.main_role] += 1
                framing[outlet]["fine"].update(r.fine_roles)
    if name is None:
        return None
    return {
        "key": key, "name": name, "type": etype, "quotes_by": said, "quotes_about": about,
        "mentions_by_outlet": dict(mentions.most_common()),
        "framing_by_outlet": {o: {"main": dict(f["main"]), "fine": dict(f["fine"].most_common())}
                              for o, f in sorted(framing.items())},
    }


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
