"""REST API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``, browsable at ``/api/docs``).

Reads are open; writes (ingest, re-analysis, delete) need the bearer token when the server has one.
Analyses are returned exactly as published (``Analysis.model_dump(mode="json")``); lists are paged
with ``limit``/``offset`` and carry the ``total``.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..model import Analysis, Sourcing
from ..store import Store
from ..store.base import LabelKind
from . import viewdata
from .service import (
    STORY_GONE,
    Analyzer,
    CompareRefused,
    DateQuery,
    IngestFailed,
    Published,
    actor_page,
    article_filter,
    compared_ids,
    list_articles,
)

router = APIRouter(prefix="/api/v1")

Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
SourcingKind = Sourcing.model_fields["kind"].annotation  # named, anonymous, group or unattributed
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_analyzer(request: Request) -> Analyzer:
    return request.app.state.analyzer


def require_token(request: Request) -> None:
    """Write endpoints: when the server has a token, the request must carry it as a bearer token."""
    token = request.app.state.token
    if not token:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a valid bearer token is required for this endpoint",
                            headers={"WWW-Authenticate": "Bearer"})


StoreDep = Annotated[Store, Depends(get_store)]
AnalyzerDep = Annotated[Analyzer, Depends(get_analyzer)]
Write = [Depends(require_token)]


class ArticleMeta(BaseModel):
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=255)
    published: Published = Field(None, description="ISO date, YYYY-MM-DD.")
    url: str | None = Field(None, max_length=2000)
    author: str | None = Field(None, max_length=500)


class TextIn(ArticleMeta):
    text: str = Field(min_length=1, description="The article text (plain text, or HTML with format='html').")
    format: str = Field("text", pattern="^(text|html)$")


class UrlIn(BaseModel):
    url: str = Field(min_length=8, max_length=2000, description="http(s) URL; private addresses are refused.")


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class Slice(BaseModel):
    """A page of a list whose total would cost a full scan: ``has_more`` instead of ``total``."""

    limit: int
    offset: int
    has_more: bool
    items: list[dict[str, Any]]


async def _ingest(call, *args, **kwargs) -> Analysis:
    try:
        return await run_in_threadpool(call, *args, **kwargs)
    except IngestFailed as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from err


def _analysis(store: Store, article_id: str) -> Analysis:
    full = store.resolve_id(article_id)
    analysis = store.get_analysis(full) if full else None
    if analysis is None:
        if full and store.get_article(full):
            raise HTTPException(status.HTTP_409_CONFLICT, f"article {full} is stored but not analysed yet")
        raise HTTPException(status.HTTP_404_NOT_FOUND, store.unresolved_id(article_id))
    return analysis


def _slice(rows: list, limit: int, offset: int) -> dict[str, Any]:
    """A page from ``limit + 1`` fetched rows: the extra row only tells whether there is more."""
    return {"limit": limit, "offset": offset, "has_more": len(rows) > limit, "items": rows[:limit]}


def _ids(store: Store, ids: list[str]) -> list[str] | None:
    """The full ids of ``ids=a&ids=b`` or ``ids=a,b`` (unique prefixes, as every endpoint takes them), None when
    none is given; an id that names no article is a 404 that says so. Unresolved, a prefix or a mistyped id
    filtered to nothing: an empty download or quote list, answered 200."""
    given = [i.strip() for value in ids for i in value.split(",") if i.strip()]
    full = [store.resolve_id(i) for i in given]
    if missing := next((i for i, f in zip(given, full, strict=True) if f is None), None):
        raise HTTPException(status.HTTP_404_NOT_FOUND, store.unresolved_id(missing))
    return [f for f in full if f] or None


@router.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    from .. import __version__

    return {"status": "ok", "version": __version__}


# --- ingest -------------------------------------------------------------------------------------


@router.post("/articles", status_code=201, response_model=Analysis, dependencies=Write, tags=["ingest"])
async def ingest_text(body: TextIn, analyzer: AnalyzerDep) -> Analysis:
    """Analyse and store an article given as text (or HTML). Returns its analysis."""
    return await _ingest(analyzer.analyze_text, body.text, body.format, **body.model_dump(exclude={"text", "format"}))


@router.post("/articles/url", status_code=201, response_model=Analysis, dependencies=Write, tags=["ingest"])
async def ingest_url(body: UrlIn, analyzer: AnalyzerDep) -> Analysis:
    """Fetch a public http(s) URL, analyse and store it. Loopback and private addresses are refused."""
    return await _ingest(analyzer.analyze_url, body.url)


@router.post("/articles/upload", status_code=201, response_model=Analysis, dependencies=Write, tags=["ingest"])
async def ingest_upload(
    analyzer: AnalyzerDep,
    file: Annotated[UploadFile, File(description="A .txt, .md or .html file (UTF-8).")],
    title: Annotated[str | None, Form()] = None,
    outlet: Annotated[str | None, Form()] = None,
    published: Annotated[Published, Form(description="ISO date, YYYY-MM-DD.")] = None,
) -> Analysis:
    """Analyse and store an uploaded file."""
    data = await file.read()
    return await _ingest(analyzer.analyze_upload, file.filename or "", data, title=title, outlet=outlet,
                         published=published)


@router.post("/articles/{article_id}/analyze", response_model=Analysis, dependencies=Write, tags=["ingest"])
async def reanalyze(article_id: str, store: StoreDep, analyzer: AnalyzerDep) -> Analysis:
    """Run the pipeline again on a stored article (e.g. after upgrading Narrascope)."""
    full = store.resolve_id(article_id)
    if not full:
        raise HTTPException(status.HTTP_404_NOT_FOUND, store.unresolved_id(article_id))
    return await _ingest(analyzer.reanalyze, full)


@router.delete("/articles/{article_id}", status_code=204, dependencies=Write, tags=["articles"])
def delete(article_id: str, store: StoreDep) -> Response:
    full = store.resolve_id(article_id)
    if not full or not store.delete_article(full):
        raise HTTPException(status.HTTP_404_NOT_FOUND, store.unresolved_id(article_id))
    return Response(status_code=204)


# --- queries ------------------------------------------------------------------------------------


@router.get("/articles", response_model=Page, tags=["articles"])
def articles(
    store: StoreDep, limit: Limit = 50, offset: Offset = 0,
    outlet: str | None = None, since: DateQuery = None, until: DateQuery = None,
    q: Annotated[str | None, Query(description="Text search in title and body.")] = None,
    actor: Annotated[str | None, Query(description=(
        "Actor key, or (part of) an actor's name: an exact name picks that actor, else every actor whose name "
        "contains it (the 50 in most articles)."))] = None,
    narrative: Annotated[str | None, Query(description="Narrative or sub-narrative label.")] = None,
) -> dict[str, Any]:
    """Stored articles, newest first, with what each analysis layer found."""
    filt = article_filter(store, outlet, since, until, q, actor, narrative)
    return list_articles(store, filt, limit=limit, offset=offset)


@router.get("/articles/{article_id}", response_model=Analysis, tags=["articles"])
def article_analysis(article_id: str, store: StoreDep) -> Analysis:
    """The analysis of one article (a unique id prefix is enough), as in the published JSON Schema."""
    return _analysis(store, article_id)


@router.get("/actors", response_model=Slice, tags=["corpus"])
def actors(store: StoreDep, limit: Limit = 100, offset: Offset = 0,
           q: Annotated[str | None, Query(description="Part of the name or key.")] = None) -> dict[str, Any]:
    """Actors, most widely mentioned first, with mention and quote counts: the resolved entities, and the
    speakers known only by name (``entity_id`` null, ``key`` ``name:...``, no mentions; ``n_articles``:
    the articles quoting them). ``key`` is what ``/actors/{key}`` takes."""
    rows = store.list_actors(q or None, limit=limit + 1, offset=offset)
    return _slice([vars(r) for r in rows], limit, offset)


@router.get("/actors/{key:path}", tags=["corpus"])
def actor(key: str, store: StoreDep, offset: Offset = 0,
          limit: Annotated[int, Query(ge=1, le=500, description="Articles to read quotes from.")] = 50) -> dict[str, Any]:
    """One actor: how each outlet frames it and its counts over the whole corpus; quotes by and about
    it and its neighbours from ``limit`` articles where it appears, newest first after ``offset``
    (``page.has_more`` says whether older ones remain)."""
    view = actor_page(store, key, offset=offset, limit=limit)
    if view is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no actor {key!r}")
    return view


@router.get("/stories", response_model=Page, tags=["corpus"])
def stories(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Stories covered by two or more articles (clustered by the server as articles arrive), most
    articles first, then most outlets, then most recent; without their article lists."""
    found = request.app.state.stories.stories()
    return {"total": len(found), "limit": limit, "offset": offset, "items": found[offset:offset + limit]}


@router.get("/stories/{story_id}", tags=["corpus"])
def story(request: Request, story_id: str) -> dict[str, Any]:
    """One story with its articles (oldest first). An id from an earlier clustering gives the story
    that now holds the article the id names."""
    found = request.app.state.stories.story(story_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, STORY_GONE.format(story=story_id))
    return found


@router.get("/quotes", response_model=Slice, tags=["corpus"])
def quotes(
    store: StoreDep, limit: Limit = 100, offset: Offset = 0,
    speaker: Annotated[str | None, Query(description="Entity id of the speaker.")] = None,
    article: Annotated[list[str], Query(description="Only these article ids (unique prefixes are enough).")] = [],  # noqa: B006
    sourcing: Annotated[SourcingKind | None, Query(description="named, anonymous, group or unattributed.")] = None,
) -> dict[str, Any]:
    """Quotes with speaker, sourcing, venue and date (offsets into their article's text)."""
    rows = store.list_quotes(speaker, _ids(store, article), sourcing, limit=limit + 1, offset=offset)
    return _slice([vars(r) for r in rows], limit, offset)


@router.get("/labels", tags=["corpus"])
def labels(
    store: StoreDep,
    kind: Annotated[LabelKind, Query(description="Which labels.")] = "narrative",
    by: Annotated[Literal["outlet", "week"] | None, Query(description="Group by outlet or ISO week.")] = None,
) -> list[dict[str, Any]]:
    """How many articles carry each narrative, role or technique label, overall or per outlet/week."""
    return store.label_counts(kind, by)


@router.get("/compare", tags=["corpus"])
def compare(store: StoreDep, ids: Annotated[list[str], Query(description="Two or more article ids.")]) -> dict:
    """Side-by-side comparison of articles: actors quoted and their framing, sourcing, set differences.
    A prefix and the full id of one article count once; an unknown id is a 404 that names it."""
    try:
        wanted = compared_ids(store, ids)
    except CompareRefused as err:
        raise HTTPException(err.status, str(err)) from err
    return viewdata.compare_view(list(store.iter_analyses(wanted)))["comparison"]


@router.get("/dashboard", tags=["corpus"])
def dashboard(store: StoreDep) -> dict[str, Any]:
    """Corpus overview: narratives by outlet and week, top quoted actors, sourcing by outlet."""
    return viewdata.dashboard_from_store(store)


@router.get("/export", tags=["corpus"])
def export(
    store: StoreDep,
    format: Annotated[Literal["jsonl", "csv", "parquet"], Query(description="jsonl: whole analyses.")] = "jsonl",
    table: Annotated[str, Query(description="For csv/parquet: articles, actors, quotes, claims or labels.")] = "quotes",
    ids: Annotated[list[str], Query(description="Only these article ids or unique prefixes (default: all).")] = [],  # noqa: B006
    raw: Annotated[bool, Query(description="CSV: keep cells verbatim. By default a cell a spreadsheet would "
                                           "run as a formula (=, +, -, @, tab, CR first) gets a leading '.")] = False,
) -> Response:
    """Download the corpus: JSON Lines of published-schema analyses, or one table as CSV/Parquet.
    CSV cells are neutralised against formula injection unless ``raw=true``."""
    wanted = _ids(store, ids)
    analyses = store.iter_analyses(wanted)
    if format == "jsonl":
        body = "".join(a.model_dump_json() + "\n" for a in analyses)
        return _download(body.encode(), _download_name("narrascope", wanted, format), "application/x-ndjson")
    from ..corpus.export import export_corpus

    with tempfile.TemporaryDirectory() as tmp:
        try:
            written = export_corpus(analyses, tmp, format, tables=[table], excel_safe=not raw)
        except ValueError as err:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from err
        data = Path(written[table]["path"]).read_bytes()
    media = "text/csv" if format == "csv" else "application/vnd.apache.parquet"
    return _download(data, _download_name(table, wanted, format), media)


def _download_name(stem: str, ids: list[str] | None, extension: str) -> str:
    """``quotes-1a2b3c4d.csv`` for one article's table (its id's first 8 characters), ``quotes-3-articles.csv``
    for a selection, ``quotes.csv`` for the whole corpus. Why: every article page's download was called
    ``quotes.csv``, so the second one saved overwrote or sat as ``quotes (1).csv`` beside the first, with
    nothing in the name to say whose quotes it held."""
    chosen = sorted(set(ids or ()))
    if len(chosen) == 1:
        return f"{stem}-{chosen[0][:8]}.{extension}"
    return f"{stem}-{len(chosen)}-articles.{extension}" if chosen else f"{stem}.{extension}"


def _download(data: bytes, filename: str, media_type: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
