"""A self-contained HTML report: article views, comparison, dashboard and actor pages in one file.

Why one file: a researcher mails it, attaches it to a fact-check, or opens it years later, with no
server and no network. It is the web UI itself — the same template, ``app.js`` and ``app.css``,
inlined — with every view's JSON embedded and a hash router (``#/article/<id>``) instead of URLs.
The views are built exactly as the server builds them, from a throwaway store holding just these
articles, so the report and the web app never disagree.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .corpus.compare import compare
from .model import Analysis
from .server import viewdata
from .server.pages import MAX_COMPARED, render
from .server.service import actor_page, list_articles
from .store import ArticleFilter, Store, open_store

MAX_ACTOR_PAGES = 300
MAX_STORY_VIEWS = 20
REPORT_NAV = [("home", "Articles", "#/"), ("compare", "Compare", "#/compare"), ("dashboard", "Dashboard", "#/dashboard"),
              ("actors", "Actors", "#/actors")]


class ReportError(ValueError):
    """The report cannot be built from what was given."""


def _static(name: str) -> str:
    return resources.files("narrascope.server").joinpath("static", name).read_text("utf-8")


def _inline(code: str, closing: str) -> Markup:
    """Code to put inside ``<script>``/``<style>``: it must not be able to close the element early."""
    lowered = code.lower()
    if f"</{closing}" in lowered or "<!--" in lowered:
        raise ReportError(f"static {closing} code contains a sequence that would end the inline element")
    return Markup(code)


def _comparisons(analyses: list[Analysis], stories: list[dict[str, Any]]) -> dict[str, Any]:
    """The compare views: ``""`` = the best-covered story when there are many articles, else the
    newest few; plus one per story covered by several articles (the "Compare" buttons)."""
    by_id = {a.article.id: a for a in analyses}

    def view(members: list[Analysis]) -> dict[str, Any]:
        # The articles themselves are in the report once; a comparison names them by id.
        return {"comparison": compare(members).model_dump(mode="json"), "ids": [a.article.id for a in members]}

    views = {}
    for story in stories[:MAX_STORY_VIEWS]:
        views[story["id"]] = view([by_id[s["article_id"]] for s in story["articles"][:MAX_COMPARED]])
    if stories and len(analyses) > MAX_COMPARED:
        views[""] = views[stories[0]["id"]]
    elif len(analyses) >= 2:
        newest = sorted(analyses, key=lambda a: a.article.published or "", reverse=True)
        views[""] = view(newest[:MAX_COMPARED])
    return views


def report_data(store: Store, analyses: list[Analysis], title: str) -> dict[str, Any]:
    """Every view's JSON, built with the server's own functions over ``store`` (holding ``analyses``)."""
    stories = viewdata.stories_view(analyses)
    actors = store.list_actors(limit=MAX_ACTOR_PAGES)
    return {
        "title": title,
        "home": {"filters": None, "listing": list_articles(store, ArticleFilter(), limit=len(analyses)),
                 "stories": stories},
        "articles": [viewdata.article_view(a) for a in analyses],
        "compares": _comparisons(analyses, stories),
        "dashboard": viewdata.dashboard_view(analyses),
        "actors_index": [vars(r) for r in actors],
        "actors": {r.key: actor_page(store, r.key) for r in actors},
    }


def build_report(analyses: list[Analysis], title: str = "Narrascope report") -> str:
    """The report as one HTML string (no external resource of any kind)."""
    unique = list({a.article.id: a for a in analyses}.values())
    if not unique:
        raise ReportError("nothing to report: no analysed article was given")
    with tempfile.TemporaryDirectory(prefix="narrascope-report-") as tmp:
        store = open_store(Path(tmp) / "report.db")
        try:
            store.save_analyses(unique)
            data = report_data(store, unique, title)
        finally:
            store.close()
    inline = {"css": _inline(_static("app.css"), "style"), "js": _inline(_static("app.js"), "script")}
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return render("home", title, data, nav=REPORT_NAV, inline=inline, generated=generated)


def write_report(analyses: list[Analysis], out: str | Path, title: str = "Narrascope report") -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(analyses, title), "utf-8")
    return out
