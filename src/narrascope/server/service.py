"""What the web server does besides HTTP: run the pipeline on submitted articles and read the store.

Why a class of its own: the pipeline (spaCy and the models) takes seconds to load and is not safe to
run from several threads at once, so one ``Analyzer`` loads it on first use and runs one document at
a time behind a lock, from the threadpool the API hands CPU work to. Tests pass a small pipeline in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import AfterValidator, BeforeValidator

from .. import runner
from ..corpus.common import story_order
from ..corpus.inputs import iter_store
from ..ingest.sources import decode, text_format
from ..model import Analysis
from ..pipeline import Doc, Pipeline, Raw
from ..store import ActorRow, ArticleFilter, Store
from . import viewdata

log = logging.getLogger(__name__)

MAX_ARTICLE_BYTES = 5_000_000
UPLOAD_FORMATS = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html"}
ARTICLE_FIELDS = ("title", "outlet", "published", "url", "author")
MIN_ID_PREFIX = 8  # a story id read as an article id prefix: shorter ones would match articles by chance
# A story id no story has (``StoryCache.story``), for the API and the pages alike.
STORY_GONE = ("no story with id {story!r}: a story id names the article that started the story, and no stored "
              "article has that id (it was deleted, or the link is mistyped); the stories are clustered anew "
              "when the server starts, so pick the story again on the Stories page (/stories)")


class IngestFailed(ValueError):
    """The submitted article could not be read or analysed; the message says why, in one line."""


def _blank_is_none(value: object) -> object:
    """An empty form field (``since=``, as the home page's filter form sends it) means no filter."""
    return None if value == "" else value


# A date filter of the API and the pages: a malformed one is a 422 naming the parameter (as the CLI's
# --since/--until refuse it), not a filter that silently matches nothing.
DateQuery = Annotated[date | None, BeforeValidator(_blank_is_none), Query(description="YYYY-MM-DD.")]


def _calendar_date(value: str | None) -> str | None:
    """A publication date checked as a day of the calendar, as the CLI's --published is: a pattern let
    '2023-02-30', '2023-99-99' and '2023-11-01; anything' be stored as the article's date."""
    return None if value is None else date.fromisoformat(value).isoformat()


# The publication date given with an article to ingest (JSON field or upload form field; a blank one is none).
Published = Annotated[str | None, BeforeValidator(_blank_is_none), AfterValidator(_calendar_date)]


class CompareRefused(ValueError):
    """The ids given to compare make no comparison; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def compared_ids(store: Store, ids: Iterable[str]) -> list[str]:
    """The distinct full ids of the analysed articles to compare, in the order given (``ids=a,b`` and
    ``ids=a&ids=b`` alike). Why shared: the API and the Compare page must refuse the same requests with
    the same messages — an unknown id named, a prefix and its full id counted once."""
    given = [i.strip() for value in ids for i in value.split(",") if i.strip()]
    if len(given) > viewdata.MAX_COMPARE_IDS:
        raise CompareRefused(422, f"compare at most {viewdata.MAX_COMPARE_IDS} articles at once")
    wanted: list[str] = []
    for prefix in given:
        full = store.resolve_id(prefix)
        if full is None:
            raise CompareRefused(404, store.unresolved_id(prefix))
        if store.analysed_version(full) is None:
            raise CompareRefused(409, f"article {full} is stored but not analysed yet")
        if full not in wanted:
            wanted.append(full)
    if len(wanted) < 2:
        same = f": {', '.join(repr(i) for i in given)} all name article {wanted[0]}" if len(given) > 1 else ""
        raise CompareRefused(422, f"give at least two different article ids to compare{same}")
    return wanted


class Analyzer:
    """Runs the (lazily built) pipeline on submitted articles and saves the analyses."""

    def __init__(self, store: Store, pipeline: Pipeline | Callable[[], Pipeline] | None = None):
        self.store = store
        self._pipeline = pipeline
        self._lock = threading.Lock()

    @property
    def pipeline(self) -> Pipeline:
        with self._lock:
            if self._pipeline is None:
                self._pipeline = Pipeline.from_config()
            elif not isinstance(self._pipeline, Pipeline):
                self._pipeline = self._pipeline()
            return self._pipeline

    def _run(self, outcomes: Callable[[Pipeline], Iterable[runner.Outcome]]) -> Analysis:
        """Run ``outcomes(pipeline)`` (one article through ``runner``) under the lock; its analysis."""
        pipeline = self.pipeline
        with self._lock:
            results = list(outcomes(pipeline))
        failed = [o for o in results if not o.ok]
        if failed or not results:
            raise IngestFailed(failed[0].message if failed else "nothing could be read from the input")
        analysis = results[0].analysis
        if analysis is None:  # "unchanged": the stored analysis is up to date
            analysis = self.store.get_analysis(results[0].article_id)
        return analysis

    def analyze_raw(self, raw: Raw, meta: dict[str, str | None]) -> Analysis:
        """Clean and analyse one submitted text or file; explicit metadata wins over what cleaning found."""

        def cleaned(pipeline: Pipeline) -> Iterator[Doc]:
            for doc in pipeline.pipe([Doc(raw=raw)], until=runner.INGEST_UNTIL):
                if doc.analysis is not None:
                    for name in ARTICLE_FIELDS:
                        if meta.get(name):
                            setattr(doc.analysis.article, name, meta[name])
                yield doc

        return self._run(lambda pipeline: runner.analyze_docs(cleaned(pipeline), pipeline, self.store, force=True))

    def analyze_text(self, text: str, fmt: Literal["text", "html"] = "text", **meta: str | None) -> Analysis:
        if not text.strip():
            raise IngestFailed("the article text is empty")
        # Page source pasted as text kept its tags in the clean text; a .txt file holding it is read as HTML.
        return self.analyze_raw(Raw(content=text, format=text_format(text) if fmt == "text" else fmt, source="api"), meta)

    def analyze_upload(self, filename: str, data: bytes, **meta: str | None) -> Analysis:
        """A .txt/.md/.html upload, decoded like a file on disk (BOM, UTF-8, else charset detection)."""
        suffix = PurePath(filename or "").suffix.lower()
        if suffix not in UPLOAD_FORMATS:
            raise IngestFailed(f"cannot read {filename!r}: upload a {', '.join(sorted(UPLOAD_FORMATS))} file")
        if not data.strip():  # as 'narrascope ingest' says it; cleaning said "no article text left after cleaning"
            raise IngestFailed(f"{filename!r}: empty file")
        try:
            content, _encoding = decode(data)
        except ValueError as err:
            raise IngestFailed(f"{filename!r}: {err}") from err
        source = f"upload:{PurePath(filename).name}"
        kind = UPLOAD_FORMATS[suffix]
        return self.analyze_raw(Raw(content=content, format=text_format(content) if kind == "text" else kind,
                                    source=source), meta)

    def analyze_url(self, url: str) -> Analysis:
        """Fetch and analyse a URL. Private and loopback addresses are always refused (SSRF)."""
        if not url.lower().startswith(("http://", "https://")):
            raise IngestFailed("only http:// and https:// URLs can be fetched")
        return self._run(lambda pipeline: runner.analyze([url], pipeline, self.store, allow_private=False,
                                                         max_bytes=MAX_ARTICLE_BYTES))

    def reanalyze(self, article_id: str) -> Analysis:
        return self._run(lambda pipeline: runner.reanalyze_stored(self.store, pipeline, [article_id], force=True))


# Actors a part of a name in the actor filter stands for, at most: those in most articles.
ACTOR_MATCHES = 50


def actor_matches(store: Store, text: str) -> tuple[list[ActorRow], bool]:
    """The actors the actor filter's ``text`` stands for, and whether more matched than that: an exact key
    or name wins over a longer name containing it ("Kovalenko" is not "Kovalenko's deputy"), else every
    actor whose key or name contains it (the ``ACTOR_MATCHES`` in most articles). Why every one: "Marchenko"
    must not quietly mean only the Marchenko in most articles."""
    found = store.list_actors(text, limit=ACTOR_MATCHES + 1)
    wanted = text.casefold()
    exact = [r for r in found if wanted in (r.key.casefold(), r.name.casefold())]
    return (exact, False) if exact else (found[:ACTOR_MATCHES], len(found) > ACTOR_MATCHES)


def article_filter(store: Store, outlet: str | None = None, since: date | None = None, until: date | None = None,
                   q: str | None = None, actor: str | None = None, narrative: str | None = None) -> ArticleFilter:
    """The store filter for the list parameters; ``actor`` may be an actor key or (part of) a name: the
    articles of every actor it stands for (``actor_matches``), or of the text taken as a key when none."""
    if actor:
        actor = tuple(r.key for r in actor_matches(store, actor)[0]) or actor
    return ArticleFilter(outlet=outlet or None, since=since.isoformat() if since else None,
                         until=until.isoformat() if until else None, search=q or None,
                         actor=actor or None, narrative=narrative or None)


def list_articles(store: Store, filt: ArticleFilter, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """One page of stored articles (newest first) with the total and what each layer found."""
    rows = store.list_articles(filt, limit=limit, offset=offset)
    analysed = {a.article.id: a for a in store.iter_analyses([r.id for r in rows if r.analysed])}
    items = []
    for r in rows:
        item = vars(r).copy()
        if r.id in analysed:
            summary = viewdata.article_summary(analysed[r.id])
            item.update({k: summary[k] for k in ("n_quotes", "n_claims", "narratives", "n_techniques", "not_analysed")})
        items.append(item)
    return {"total": store.count_articles(filt), "limit": limit, "offset": offset, "items": items}


def actor_page(store: Store, key: str, *, offset: int = 0, limit: int | None = None) -> dict[str, Any] | None:
    """The actor page: corpus-wide counts from the store's index, and the quotes, neighbours and names
    read from the ``limit`` most recent articles where the actor appears, after ``offset`` (every one
    when ``limit`` is None, as in the report). None when the actor appears nowhere (or not that far).

    Why paged: a much-quoted actor appears in a growing share of a growing corpus, so reading all its
    analyses would make the page slower every week; a page of articles costs the same at any size.
    ``page`` says which articles were read: ``{"offset", "limit", "n_read", "has_more"}``.
    """
    filt = ArticleFilter(actor=key)
    if limit is None:
        analyses, has_more = list(iter_store(store, filt)), False
    else:
        rows = store.list_articles(filt, limit=limit + 1, offset=offset)
        has_more = len(rows) > limit
        analyses = list(store.iter_analyses([r.id for r in rows[:limit] if r.analysed]))
    view = viewdata.actor_view(analyses, key)
    if view is None:
        return None
    page = {"offset": offset, "limit": limit, "n_read": len(analyses), "has_more": has_more}
    return view | viewdata.actor_counts(store, key) | {"page": page}


class StoryCache:
    """Story clusters of the served store, kept in memory and updated incrementally.

    Why: clustering the whole corpus on every visit of the home page would cost a full read of the
    store each time. The ``StoryIndex`` takes one more article at any time, so each visit only adds
    the articles analysed since the last one (new ids, in publication order). Which ones those are is
    an indexed range of the store (``analysed_since``) from the time of the previous look, less
    ``LOOKBACK``: saves are stamped to the second when they write, and may commit a moment later
    (concurrent PostgreSQL writers) or on a machine whose clock differs a little. What the overlap
    reads again (ids and dates only) is skipped, being indexed already; once writes stop for a
    minute, a visit reads nothing. A re-analysed article keeps the story it was clustered into, as
    before.
    """

    LOOKBACK = timedelta(minutes=1)

    def __init__(self, store: Store, index_path: Path | None = None):
        """``index_path``: a story index saved by ``narrascope stories --index`` (or by an earlier
        server). Clustering a large corpus from scratch takes minutes (~140 s at 20,000 articles), so
        the server starts from that file, adds what was analysed since, and writes it back."""
        self.store = store
        self.index_path = index_path
        self._index = None
        self._looked: datetime | None = None  # when the last look at the store began
        self._stories: list[dict[str, Any]] = []  # the stories' JSON (no article lists) until one is added
        self._lock = threading.Lock()
        self._dirty = False  # the index took articles it has not written to index_path yet

    def warm(self) -> None:
        try:
            self.stories()
        except Exception:  # noqa: BLE001 - a visit will retry and report it
            log.debug("warming the story index failed", exc_info=True)

    def _since(self) -> str | None:
        return None if self._looked is None else (self._looked - self.LOOKBACK).isoformat(timespec="seconds")

    def stories(self) -> list[dict[str, Any]]:
        """The stories covered by two or more articles, most articles first (then most outlets, then
        most recent), without their article lists (``story`` has those: a story may hold thousands of
        articles). Pages show a slice: their number grows with the corpus."""
        with self._lock:
            self._top_up()
            return self._stories

    def story(self, story_id: str) -> dict[str, Any] | None:
        """One story with its articles, by id; None when no story has it.

        A story's id names the article that started it (``story-`` + the start of its id). Clustered
        anew (a restart without ``--story-index``, or another order of arrival), the article may sit
        in a story another article started, under another id: an id the index no longer has is then
        read as that article, and gives the story holding it now, so a link to a story stays valid as
        long as its article is stored."""
        from ..corpus.stories import STORY_ID_PREFIX

        with self._lock:
            self._top_up()
            found = self._index.story(story_id)
            prefix = story_id.removeprefix(STORY_ID_PREFIX)
            if found is None and story_id.startswith(STORY_ID_PREFIX) and len(prefix) >= MIN_ID_PREFIX:
                article_id = self.store.resolve_id(prefix)
                holder = self._index.story_of(article_id) if article_id else None
                found = self._index.story(holder) if holder else None
            return found.model_dump(mode="json") if found else None

    def _saved_index(self):
        """The index saved at ``index_path``, or None: no file yet, or one this server cannot use
        (unreadable, another format, built with embeddings). Such a file is logged and left as it is
        (it may be someone's index built with other settings); the stories are clustered afresh in
        memory only."""
        from ..corpus.stories import StoryIndex

        if self.index_path is None or not self.index_path.exists():
            return None
        try:
            return StoryIndex.load(self.index_path)
        except ValueError as err:
            log.warning("%s; clustering the stories afresh, without writing that file", err)
            self.index_path = None
            return None

    def save(self) -> None:
        """Write the index to ``index_path`` when it took articles since the last write: at start-up
        after the first look, and when the server stops (writing it on every visit would cost more
        than the visit). Never waits: a server stopped while it is still clustering (minutes on a
        large corpus) must stop at once, and that look writes the index itself when it ends."""
        if self.index_path is None or not self._lock.acquire(blocking=False):
            return
        try:
            self._write()
        finally:
            self._lock.release()

    def _write(self) -> None:
        if self._dirty and self._index is not None and self.index_path is not None:
            self._index.save(self.index_path)
            self._dirty = False

    def _top_up(self) -> None:
        """Add what was analysed since the last look (everything on the first); under the lock."""
        from ..corpus.stories import StoryIndex  # scikit-learn: seconds to import, so only when needed

        first = self._index is None
        if first:
            self._index = self._saved_index() or StoryIndex()
        looked = datetime.now(UTC)
        rows = self.store.analysed_since(self._since())
        new = sorted(story_order(r.published, r.id) for r in rows if r.id not in self._index)
        for i in range(0, len(new), 200):
            self._index.add_all(self.store.iter_analyses([article_id for *_, article_id in new[i:i + 200]]))
        self._looked = looked
        if new and self.index_path is not None:
            self._dirty = True
        if first:
            self._write()
        if new or first:
            self._stories = [s.model_dump(mode="json", exclude={"articles"})
                             for s in self._index.stories(min_articles=2)]
