"""The JSON each view of the web UI (and the HTML report) is drawn from.

Why a separate module: the server pages, the REST API and the self-contained report show the same
things, so they are built once here, with no web framework involved. The browser code
(``static/app.js``) only lays these dicts out; all counting happens in Python, and the corpus
analytics (comparison, actor keys, outlets) come from ``narrascope.corpus``.

Corpus-wide counts come two ways with the same result: from a stream of ``Analysis`` objects (the
report, whose few articles are in memory) or from the store's rollup and index tables (the server,
whose corpus may hold millions of articles: ``dashboard_from_store``, ``actor_counts``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, get_args

from ..classify.taxonomy import OTHER
from ..corpus.actors import actor_profile
from ..corpus.common import (
    CLASSIFIED_LAYERS,
    UNDATED,
    SourcingTally,
    iso_week,
    n_words,
    outlet_of,
    speaker_of,
    within,
)
from ..corpus.compare import CONTENT_LAYERS, compare, layer_ran, quote_ref
from ..corpus.prevalence import TopActor, prevalence
from ..model import Analysis, RoleLabel
from ..store import Store

TOP_ACTORS = 15
# Articles one comparison may name: every one is loaded and rendered in a column, and ids come from the
# request (untrusted), so the number is capped rather than left to the caller.
MAX_COMPARE_IDS = 20
TOP_LABELS = 12


def is_narrative(label: str) -> bool:
    """Whether a narrative-layer label names a narrative: not ``Other``, the classifier's label for an
    article that pushes *none* of the taxonomy's narratives. Why: counted, listed or offered as a
    filter like a narrative, it read as the most common narrative of the corpus. A sub-narrative
    ``<narrative>: Other`` (the narrative without a confident sub-narrative) is a narrative."""
    return label != OTHER


def not_analysed(a: Analysis) -> dict[str, Any] | None:
    """The content layers that did not run on the article and why, ``{"reason", "layers"}``; None when
    all ran. The reason is ``language de`` for an article in another language (the pipeline skips its
    English-only components), else ``not in the pipeline``. Why: the pages showed such an article as
    analysed with nothing found (0 quotes, every narrative "absent here")."""
    layers = [layer for layer in CONTENT_LAYERS if not layer_ran(a, layer)]
    if not layers:
        return None
    language = a.article.language
    return {"reason": f"language {language}" if language not in (None, "en") else "not in the pipeline",
            "layers": layers}


def article_summary(a: Analysis) -> dict[str, Any]:
    """One row of an article list: metadata plus how much each layer found (None: the layer did not run)."""
    art = a.article

    def found(layer: str, n: int) -> int | None:
        return n if layer_ran(a, layer) else None

    return {
        "id": art.id, "title": art.title, "outlet": art.outlet, "published": art.published, "url": art.url,
        "n_words": n_words(art.text), "n_quotes": found("quotes", len(a.quotes)),
        "n_claims": found("claims", len(a.claims)),
        "narratives": [n.label for n in sorted(a.narratives, key=lambda n: -n.confidence) if is_narrative(n.label)]
        if layer_ran(a, "narratives") else None,
        "n_techniques": found("techniques", len(a.techniques)), "not_analysed": not_analysed(a),
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
    return {"analysis": a.model_dump(mode="json"), "speakers": speaker_keys(a), "not_analysed": not_analysed(a)}


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
                              "published": a.article.published, "date": q.date, "speaker": speaker.name if speaker else None,
                              "speaker_key": None if speaker is None or speaker.anonymous else speaker.key})
    profile.narratives = {label: n for label, n in profile.narratives.items() if is_narrative(label)}
    return profile.model_dump(mode="json") | {"quotes_about": about}


def dashboard_view(analyses: Iterable[Analysis]) -> dict[str, Any]:
    """Corpus overview for the charts, from ``corpus.prevalence``: narratives by outlet and by week,
    techniques by outlet, sourcing by outlet, most quoted actors (the report's dashboard). Articles
    without an outlet count everywhere, as ``without_outlet`` in the per-outlet figures (see ``_dashboard``)."""
    n_quotes = 0

    def counted() -> Iterable[Analysis]:
        nonlocal n_quotes
        for a in analyses:
            n_quotes += len(a.quotes)
            yield a

    prev = prevalence(counted())

    def articles(groups, layer: str) -> dict[str | None, dict[str, int]]:
        return {g.key: {label: stat.articles for label, stat in getattr(g, layer).items()} for g in groups}

    return _dashboard(
        n_articles=prev.overall.n_articles, n_quotes=n_quotes,
        outlets=[g.key for g in prev.by_outlet if g.key is not None],
        n_without_outlet=sum(g.n_articles for g in prev.by_outlet if g.key is None),
        n_classified={layer: c.articles for layer, c in prev.overall.classified.items()},
        classified_by_outlet={g.key: {layer: c.articles for layer, c in g.classified.items()} for g in prev.by_outlet},
        weeks=[g.key for g in prev.by_week], narratives=list(filter(is_narrative, prev.overall.narratives))[:TOP_LABELS],
        techniques=list(prev.overall.techniques)[:TOP_LABELS],
        narratives_by_outlet=articles(prev.by_outlet, "narratives"), narratives_by_week=articles(prev.by_week, "narratives"),
        techniques_by_outlet=articles(prev.by_outlet, "techniques"),
        sourcing_by_outlet={g.key: g.sourcing.model_dump() for g in prev.by_outlet},
        top_actors=[t.model_dump() for t in prev.top_speakers[:TOP_ACTORS]],
    )


def dashboard_from_store(store: Store) -> dict[str, Any]:
    """``dashboard_view`` of every stored analysis, from the store's rollup tables.

    Why: the streaming pass reads and validates every analysis (about 0.4-0.8 s per 1,000 articles),
    so the server's dashboard would slow down linearly as the corpus grows; the store keeps the same
    sums per outlet, week and speaker up to date on every write, so this costs a few small queries.
    """
    by_outlet = store.article_counts("outlet")
    named = [r for r in by_outlet if r["outlet"] is not None]
    outlets = [r["outlet"] for r in sorted(named, key=lambda r: (-r["n_articles"], r["outlet"]))]

    # What corpus.prevalence calls a narrative: each label as the analysis gives it (a narrative, or a
    # sub-narrative with its full label), not the narratives implied by sub-narratives. One label string
    # may be stored under both kinds (a classifier that does not split sub-narratives), so kinds add up.
    def table(kinds: tuple[str, ...], by: str, direct: bool) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for kind in kinds:
            for row in store.label_counts(kind, by, direct=direct):
                found[row[by]][row["label"]] += row["n_articles"]
        return found

    def top(kinds: tuple[str, ...], direct: bool) -> list[str]:
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for kind in kinds:
            for row in store.label_counts(kind, direct=direct):
                totals[row["label"]][0] += row["n_articles"]
                totals[row["label"]][1] += row["n"]
        return sorted(totals, key=lambda label: (-totals[label][0], -totals[label][1], label))

    classified_by_outlet: dict[str | None, dict[str, int]] = defaultdict(dict)
    for row in store.classified_counts("outlet"):
        classified_by_outlet[row["outlet"]][row["layer"]] = row["n_articles"]
    narrative_kinds = ("narrative", "subnarrative")
    sourcing: dict[str | None, SourcingTally] = defaultdict(SourcingTally)
    for row in store.sourcing_counts("outlet"):
        tally = sourcing[row["outlet"]]
        tally.counts[row["sourcing_kind"]] = tally.counts.get(row["sourcing_kind"], 0) + row["n"]
        tally.hedged += row["n_hedged"]
    return _dashboard(
        n_articles=sum(r["n_articles"] for r in by_outlet), n_quotes=sum(r["n_quotes"] for r in by_outlet),
        outlets=outlets, n_without_outlet=sum(r["n_articles"] for r in by_outlet if r["outlet"] is None), weeks=[r["week"] for r in store.article_counts("week")],
        n_classified={row["layer"]: row["n_articles"] for row in store.classified_counts()},
        classified_by_outlet=classified_by_outlet,
        narratives=list(filter(is_narrative, top(narrative_kinds, True)))[:TOP_LABELS],
        techniques=top(("technique",), False)[:TOP_LABELS],
        narratives_by_outlet=table(narrative_kinds, "outlet", True), narratives_by_week=table(narrative_kinds, "week", True),
        techniques_by_outlet=table(("technique",), "outlet", False),
        sourcing_by_outlet={outlet: sourcing[outlet].shares().model_dump() for outlet in [*outlets, None]},
        top_actors=[TopActor(key=r.key, name=r.name, entity_id=r.entity_id, quotes=r.n_quotes, direct=r.n_direct,
                             articles=r.n_articles, outlets=r.outlets).model_dump()
                    for r in store.top_speakers(TOP_ACTORS)],
    )


def _dashboard(
    *, n_articles: int, n_quotes: int, outlets: list[str], n_without_outlet: int, n_classified: dict[str, int],
    classified_by_outlet: dict[str | None, dict[str, int]], weeks: list[str], narratives: list[str],
    techniques: list[str], narratives_by_outlet: dict[str | None, dict[str, int]],
    narratives_by_week: dict[str, dict[str, int]], techniques_by_outlet: dict[str | None, dict[str, int]],
    sourcing_by_outlet: dict[str | None, dict], top_actors: list[dict],
) -> dict[str, Any]:
    """The dashboard's JSON from its counts (``{group: {label: articles}}``), whichever way they were made.

    ``outlets`` (the named ones) come most articles first; the per-outlet groups may also hold None,
    the articles without an outlet. Those are counted like an outlet, under ``without_outlet`` (None
    when there are none): a JSON object cannot have a null key, and naming them with a made-up outlet
    string would pass them off as one. ``weeks`` are those with articles, in any order: the charts
    get every week from the first to the last (gaps as zeros), then ``undated``. ``n_classified`` and
    ``classified_by_outlet`` give the articles each classifier layer processed, overall and per outlet:
    what the narrative and technique counts are counts of (other languages skip those classifiers).
    """
    def layers(counts: dict[str, int]) -> dict[str, int]:
        return {layer: counts.get(layer, 0) for layer in CLASSIFIED_LAYERS}

    week_axis = week_range(w for w in weeks if w != UNDATED) + ([UNDATED] if UNDATED in weeks else [])

    def articles(counts: dict[str | None, dict[str, int]], group: str | None, label: str) -> int:
        return counts.get(group, {}).get(label, 0)

    return {
        "n_articles": n_articles,
        "n_outlets": len(outlets),
        "n_classified": layers(n_classified),
        "classified_by_outlet": {o: layers(classified_by_outlet.get(o, {})) for o in outlets},
        "n_quotes": n_quotes,
        "outlets": outlets,
        "narratives": narratives,
        "narratives_by_outlet": {o: [articles(narratives_by_outlet, o, n) for n in narratives] for o in outlets},
        "weeks": week_axis,
        "narratives_by_week": {n: [articles(narratives_by_week, w, n) for w in week_axis] for n in narratives},
        "techniques": techniques,
        "techniques_by_outlet": {o: [articles(techniques_by_outlet, o, t) for t in techniques] for o in outlets},
        "sourcing_by_outlet": {o: sourcing_by_outlet[o] for o in outlets},
        "without_outlet": {
            "n_articles": n_without_outlet,
            "classified": layers(classified_by_outlet.get(None, {})),
            "narratives": [articles(narratives_by_outlet, None, n) for n in narratives],
            "techniques": [articles(techniques_by_outlet, None, t) for t in techniques],
            "sourcing": sourcing_by_outlet[None],
        } if n_without_outlet else None,
        "top_actors": top_actors,
    }


MAIN_ROLES = frozenset(get_args(RoleLabel.model_fields["main_role"].annotation))


def actor_counts(store: Store, key: str) -> dict[str, Any]:
    """The corpus-wide figures of an actor page from the store's index: articles, mentions and quotes
    (overall and per outlet, with the roles each outlet casts it in), dates, and the narratives of the
    articles it appears in. They override the figures ``actor_view`` made from one page of articles."""
    roles: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: {"roles": {}, "fine_roles": {}})
    for row in sorted(store.label_counts("role", "outlet", actor=key), key=lambda r: (-r["n"], r["label"])):
        roles[row["outlet"]]["roles" if row["label"] in MAIN_ROLES else "fine_roles"][row["label"]] = row["n"]
    outlets = store.actor_outlets(key)
    narratives: dict[str, int] = defaultdict(int)
    for kind in ("narrative", "subnarrative"):
        for row in store.label_counts(kind, direct=True, actor=key):
            if is_narrative(row["label"]):
                narratives[row["label"]] += row["n_articles"]
    return {
        "n_articles": sum(o.n_articles for o in outlets),
        "n_mentions": sum(o.n_mentions for o in outlets),
        "n_quotes": sum(o.n_quotes for o in outlets),
        "date_from": min((o.first_published for o in outlets if o.first_published), default=None),
        "date_to": max((o.last_published for o in outlets if o.last_published), default=None),
        "by_outlet": [{"outlet": o.outlet, "articles": o.n_articles, "mentions": o.n_mentions, "quotes": o.n_quotes,
                       **roles[o.outlet]} for o in outlets],
        "narratives": dict(sorted(narratives.items(), key=lambda item: (-item[1], item[0]))),
    }


def week_range(weeks: Iterable[str], cap: int = 156) -> list[str]:
    """Every ISO week from the first to the last given (so gaps show as zeros), at most ``cap`` weeks."""
    days = sorted(date.fromisocalendar(int(w[:4]), int(w[6:]), 1) for w in weeks)
    if not days:
        return []
    n = min((days[-1] - days[0]).days // 7 + 1, cap)
    return [iso_week((days[-1] - timedelta(weeks=n - 1 - i)).isoformat()) for i in range(n)]
