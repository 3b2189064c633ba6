"""Where the corpus views get their analyses: stored ids, sources analysed on the fly, or the store.

Kept apart from the views so every view takes a plain iterable of ``Analysis`` (easy to test, easy
for the web server to feed) and only this module knows about stores and the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path

from ..model import Analysis
from ..store import ArticleFilter, Store
from .common import story_order


class CorpusInputError(ValueError):
    """An input the user named cannot be used; ``not_found`` tells a missing id from other problems."""

    def __init__(self, message: str, not_found: bool = False):
        super().__init__(message)
        self.not_found = not_found


def is_source(item: str) -> bool:
    """True for something to read (a file, directory, URL or '-'), False for a stored article id."""
    return item == "-" or "://" in item or Path(item).exists()


def gather(
    items: list[str],
    open_store: Callable[[], Store],
    make_pipeline: Callable[[], object],
    on_error: Callable[[str], None] | None = None,
) -> list[Analysis]:
    """Analyses for a mix of stored article ids (unique prefixes) and sources, in the order given.

    Sources are analysed now and not saved (``runner.analyze(..., store=None)``); the store and the
    pipeline are only opened when needed, so comparing two files never creates a database.
    An input that cannot be analysed ("folder/empty.txt: empty file", named by itself, not by the folder or
    JSONL file holding it) goes to ``on_error`` and is left out, so one bad file in a folder does not lose the
    others; without ``on_error`` it is a ``CorpusInputError``. A missing stored id always is.
    """
    sources = [i for i in items if is_source(i)]
    ids = [i for i in items if not is_source(i)]
    found: dict[str, list[Analysis]] = {}
    if ids:
        with open_store() as store:
            for prefix in ids:
                found[prefix] = [stored_analysis(store, prefix)]
    if sources:
        from .. import runner

        pipeline = make_pipeline()
        for source in sources:
            outcomes = list(runner.analyze([source], pipeline, store=None))
            for error in (f"{o.source}: {o.message or 'failed'}" for o in outcomes if not o.ok):
                if on_error is None:
                    raise CorpusInputError(error)
                on_error(error)
            found[source] = [o.analysis for o in outcomes if o.analysis is not None]
    return [a for item in items for a in found[item]]


def stored_analysis(store: Store, prefix: str) -> Analysis:
    """The analysis of the stored article whose id starts with ``prefix``. Every command that takes an article
    id (``show``, ``compare``, ``report``, ``export --article``) says "not found" in these words
    (``CorpusInputError``, ``not_found``): no such article, an ambiguous prefix naming a few of the ids it could
    be (``Store.unresolved_id``), or an article stored but not analysed."""
    full = store.resolve_id(prefix)
    if full is None:
        hint = "" if store.ids_with_prefix(prefix, 1) else " (see 'narrascope list')"
        raise CorpusInputError(store.unresolved_id(prefix) + hint, not_found=True)
    analysis = store.get_analysis(full)
    if analysis is None:
        raise CorpusInputError(f"article {full} is stored but not analysed: run 'narrascope analyze --stored'",
                               not_found=True)
    return analysis


def iter_chronological(store: Store, filt: ArticleFilter | None = None, chunk: int = 200) -> Iterator[Analysis]:
    """Stream the stored analyses in story order (``common.story_order``: oldest first, undated last),
    holding ``chunk`` analyses at a time.

    Story clustering is incremental, so feeding it in publication order makes each article meet the
    stories that came before it, as it would in a live feed. Only ids and dates are listed up front.
    """
    filt = filt or ArticleFilter()
    rows = sorted(story_order(r.published, r.id) for r in store.iter_article_rows(filt, page=5000) if r.analysed)
    for i in range(0, len(rows), chunk):
        batch = sorted(store.iter_analyses([article_id for *_, article_id in rows[i:i + chunk]]),
                       key=lambda a: story_order(a.article.published, a.article.id))
        yield from batch


def iter_store(store: Store, filt: ArticleFilter | None = None, page: int = 1000) -> Iterator[Analysis]:
    """Stream the stored analyses, optionally only the articles matching ``filt`` (paged, low memory)."""
    if filt is None or filt == ArticleFilter():
        yield from store.iter_analyses()
        return
    rows = store.iter_article_rows(filt, page=page)
    while chunk := list(islice(rows, page)):
        yield from store.iter_analyses([r.id for r in chunk if r.analysed])
