"""HTML pages of the web UI. Each is one template (``templates/page.html``) plus the JSON of its view.

Why render in the browser from JSON: the same ``static/app.js`` then draws the server pages and the
offline report, and untrusted article text only ever reaches the page through ``textContent`` (the
JSON sits in a ``<script type="application/json">`` block, escaped by Jinja2's ``tojson``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__
from . import viewdata
from .service import (
    STORY_GONE,
    CompareRefused,
    DateQuery,
    actor_matches,
    actor_page,
    article_filter,
    compared_ids,
    list_articles,
)

router = APIRouter(include_in_schema=False)

env = Environment(loader=PackageLoader("narrascope.server", "templates"), autoescape=select_autoescape(default=True))

SERVER_NAV = [("home", "Articles", "/"), ("stories", "Stories", "/stories"), ("dashboard", "Dashboard", "/dashboard"),
              ("compare", "Compare", "/compare"), ("actors", "Actors", "/actors"), ("ingest", "Add articles", "/ingest"),
              ("api", "API", "/api/docs")]
PAGE_SIZE = 25
HOME_STORIES = 10  # the best-covered stories on the home page; /stories pages through the rest
STORIES_PAGE = 50
ACTORS_SHOWN = 1000  # a page of the actor list
ACTOR_ARTICLES = 50  # articles an actor page reads its quotes and neighbours from
MAX_COMPARED = 4  # articles of a story side by side: columns stop being readable beyond this


def render(view: str, title: str, data: Any, *, nav=None, inline: dict | None = None, generated: str | None = None) -> str:
    """The page shell around a view's JSON. ``inline`` = ``{"css", "js"}`` for the self-contained report."""
    return env.get_template("page.html").render(
        view=view, title=title, data=data, nav=SERVER_NAV if nav is None else nav, inline=inline,
        version=__version__, generated=generated,
    )


def render_error(status: int, message: str) -> str:
    return render("error", f"Error {status}", {"status": status, "message": message})


def _page(view: str, title: str, data: Any) -> HTMLResponse:
    return HTMLResponse(render(view, title, data))


def _store(request: Request):
    return request.app.state.store


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, q: str | None = None, outlet: str | None = None, since: DateQuery = None,
    until: DateQuery = None, actor: str | None = None, narrative: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    store = _store(request)
    filters = {"q": q, "outlet": outlet, "since": since and since.isoformat(), "until": until and until.isoformat(),
               "actor": actor, "narrative": narrative}
    filt = article_filter(store, outlet, since, until, q, actor, narrative)
    matched, more = actor_matches(store, actor) if actor else ([], False)
    stories = request.app.state.stories.stories()
    return _page("home", "Articles", {
        "filters": {k: v or "" for k, v in filters.items()}, "page": page,
        # Which actors the actor filter stands for (every one whose name contains the text), shown under it.
        "actor_matches": {"actors": [{"key": r.key, "name": r.name} for r in matched], "more": more},
        "listing": list_articles(store, filt, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE),
        "outlets": store.outlets(),
        "narratives": [r["label"] for r in store.label_counts("narrative") if viewdata.is_narrative(r["label"])],
        # Only the best-covered: the number of stories grows with the corpus (the Stories page has them all).
        "stories": stories[:HOME_STORIES], "n_stories": len(stories),
    })


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, page: Annotated[int, Query(ge=1)] = 1) -> HTMLResponse:
    """Every story covered by two or more articles, ``STORIES_PAGE`` at a time, most articles first."""
    found = request.app.state.stories.stories()
    offset = (page - 1) * STORIES_PAGE
    if offset and offset >= len(found):
        raise HTTPException(404, f"no page {page} of the stories: there are {len(found)}")
    return _page("stories", "Stories", {"page": page, "listing": {
        "total": len(found), "limit": STORIES_PAGE, "offset": offset, "items": found[offset:offset + STORIES_PAGE]}})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str) -> HTMLResponse:
    store = _store(request)
    full = store.resolve_id(article_id)
    analysis = store.get_analysis(full) if full else None
    if analysis is None:
        raise HTTPException(404, f"article {full} is stored but not analysed yet" if full else store.unresolved_id(article_id))
    return _page("article", analysis.article.title or "Article", viewdata.article_view(analysis))


@router.get("/compare", response_class=HTMLResponse)
def compare(
    request: Request, ids: Annotated[list[str], Query()] = [], story: str | None = None,  # noqa: B006
) -> HTMLResponse:
    """Compare the given articles, or ``MAX_COMPARED`` articles of a story (the home page's "Compare"
    links name the story, so the page listing stories stays small however many articles each holds);
    with neither given, the two most recent analysed ones."""
    store = _store(request)
    shown = None
    if story:
        found = request.app.state.stories.story(story)
        if found is None:
            raise HTTPException(404, STORY_GONE.format(story=story))
        members = story_members(found["articles"], MAX_COMPARED)
        wanted = [m["article_id"] for m in members]
        shown = {key: found[key] for key in ("id", "title", "n_articles", "outlets")}
    elif any(i.strip() for value in ids for i in value.split(",")):
        try:
            wanted = compared_ids(store, ids)  # refused as the API refuses it, with a message on the page
        except CompareRefused as err:
            raise HTTPException(err.status, str(err)) from err
    else:
        wanted = []
    if not wanted:
        wanted = [r.id for r in store.list_articles(limit=50) if r.analysed][:2]
    analyses = list(store.iter_analyses(wanted))
    order = {i: n for n, i in enumerate(wanted)}
    analyses.sort(key=lambda a: order[a.article.id])
    data = viewdata.compare_view(analyses) if len(analyses) >= 2 else {"comparison": None, "articles": []}
    if shown is not None:
        data["story"] = shown | {"n_shown": len(analyses)}
    return _page("compare", "Compare", data)


def story_members(articles: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """At most ``limit`` of a story's articles (given oldest first), in that order: the first of each
    outlet before a second of any, since a story is compared to see how outlets differ."""
    firsts, rest, seen = [], [], set()
    for n, art in enumerate(articles):
        (rest if art["outlet"] in seen else firsts).append(n)
        seen.add(art["outlet"])
    return [articles[n] for n in sorted((firsts + rest)[:limit])]


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    return _page("dashboard", "Dashboard", viewdata.dashboard_from_store(_store(request)))


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request, page: Annotated[int, Query(ge=1)] = 1) -> HTMLResponse:
    """Every actor, ``ACTORS_SHOWN`` a page, most widely mentioned first."""
    offset = (page - 1) * ACTORS_SHOWN
    rows = _store(request).list_actors(limit=ACTORS_SHOWN + 1, offset=offset)
    if offset and not rows:
        raise HTTPException(404, f"no page {page} of the actors: they fit on fewer pages ({ACTORS_SHOWN:,} a page); "
                                 "the list starts at /actors")
    return _page("actors", "Actors", {"actors": [vars(r) for r in rows[:ACTORS_SHOWN]], "page": page,
                                      "has_more": len(rows) > ACTORS_SHOWN})


@router.get("/actors/{key:path}", response_class=HTMLResponse)
def actor(request: Request, key: str, page: Annotated[int, Query(ge=1)] = 1) -> HTMLResponse:
    view = actor_page(_store(request), key, offset=(page - 1) * ACTOR_ARTICLES, limit=ACTOR_ARTICLES)
    if view is None:
        raise HTTPException(404, f"no actor {key!r} in the corpus" + (f" (page {page})" if page > 1 else ""))
    return _page("actor", view["name"], view)


@router.get("/ingest", response_class=HTMLResponse)
def ingest(request: Request) -> HTMLResponse:
    return _page("ingest", "Add articles", {"token_required": bool(request.app.state.token)})


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, from the app's OpenAPI document (served locally, unlike Swagger UI)."""
    return _page("api", "API", {"openapi": request.app.openapi(), "token_required": bool(request.app.state.token)})
