"""Batch work shared by the CLI, the web server and the distributed engine: ingest and analyse.

Why a module of its own: "read sources -> run the pipeline -> store -> report" is the same loop
whichever front end drives it. Each input yields exactly one ``Outcome`` (stored, unchanged, analysed
or error), so a caller can report every input of a batch, and every article reported as stored has
been committed to the store first (crash-safe: a rerun skips what is already up to date).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from .ingest.sources import IngestError, iter_raw
from .model import Analysis
from .pipeline import Doc, Pipeline, Raw
from .store import ArticleRow, Store

INGEST_UNTIL = "language"  # the last step of the ingest stage in the default pipeline


@dataclass
class Outcome:
    source: str
    status: Literal["stored", "duplicate", "analysed", "unchanged", "error"]
    article_id: str | None = None
    title: str | None = None
    message: str | None = None
    analysis: Analysis | None = None

    @property
    def ok(self) -> bool:
        return self.status != "error"

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k != "analysis" and v is not None}


def _error(source: str | None, message: str) -> Outcome:
    return Outcome(source=source or "?", status="error", message=message)


def _docs(raws: Iterable[Raw | IngestError], errors: list[Outcome]) -> Iterator[Doc]:
    """Turn raw inputs into Docs, parking read errors so they are reported in input order."""
    for raw in raws:
        if isinstance(raw, IngestError):
            errors.append(_error(raw.source, raw.message))
        else:
            yield Doc(raw=raw)


def _source(doc: Doc) -> str:
    return (doc.raw.source if doc.raw else None) or (doc.analysis.article.source if doc.analysis else "?") or "?"


def ingest(
    sources: list[str], store: Store, pipeline: Pipeline, *, batch_size: int = 16, **read_options
) -> Iterator[Outcome]:
    """Read, clean and store articles without analysing them."""
    errors: list[Outcome] = []
    for doc in pipeline.pipe(_docs(iter_raw(sources, **read_options), errors), batch_size, until=INGEST_UNTIL):
        yield from _drain(errors)
        if doc.error or doc.analysis is None:
            yield _error(_source(doc), doc.error or "nothing to ingest")
            continue
        article = doc.analysis.article
        new = store.add_article(article)
        yield Outcome(_source(doc), "stored" if new else "duplicate", article.id, article.title)
    yield from _drain(errors)


def analyze(
    sources: list[str],
    pipeline: Pipeline,
    store: Store | None = None,
    *,
    force: bool = False,
    batch_size: int = 16,
    **read_options,
) -> Iterator[Outcome]:
    """Read, clean, analyse and (when a store is given) save articles.

    An article whose stored analysis was made by this same pipeline version is not analysed again
    unless ``force``: that is what makes an interrupted batch resumable.
    """
    yield from analyze_raws(iter_raw(sources, **read_options), pipeline, store, force=force, batch_size=batch_size)


def analyze_raws(
    raws: Iterable[Raw | IngestError],
    pipeline: Pipeline,
    store: Store | None = None,
    *,
    force: bool = False,
    batch_size: int = 16,
    up_to_date: Container[str] | None = None,
) -> Iterator[Outcome]:
    """``analyze`` over inputs already read (the distributed engine reads on the driver, analyses here)."""
    errors: list[Outcome] = []
    cleaned = pipeline.pipe(_docs(raws, errors), batch_size, until=INGEST_UNTIL)
    yield from analyze_docs(cleaned, pipeline, store, force=force, batch_size=batch_size, errors=errors,
                            up_to_date=up_to_date)


def analyze_docs(
    docs: Iterable[Doc],
    pipeline: Pipeline,
    store: Store | None = None,
    *,
    force: bool = False,
    batch_size: int = 16,
    errors: list[Outcome] | None = None,
    up_to_date: Container[str] | None = None,
) -> Iterator[Outcome]:
    """Analyse already-cleaned Docs (the ingest stage has run), skipping up-to-date stored ones.

    ``up_to_date``: ids to report as unchanged, for callers without the store (a distributed worker);
    by default an article is up to date when the store holds an analysis by this pipeline version.
    """
    errors = [] if errors is None else errors
    pending: list[Doc] = []

    def flush() -> Iterator[Outcome]:
        # The batch's analyses are saved together (``save_analyses``), before any of them is reported.
        done = [_error(_source(doc), doc.error or "analysis failed") if doc.error or doc.analysis is None else
                Outcome(_source(doc), "analysed", doc.analysis.article.id, doc.analysis.article.title,
                        analysis=doc.analysis)
                for doc in pipeline.pipe(pending, batch_size, after=INGEST_UNTIL)]
        if store is not None:
            store.save_analyses(o.analysis for o in done if o.analysis is not None)
        yield from done
        pending.clear()

    for doc in docs:
        yield from _drain(errors)
        if doc.error or doc.analysis is None:
            yield _error(_source(doc), doc.error or "nothing to analyse")
            continue
        article = doc.analysis.article
        if not force and _up_to_date(article.id, pipeline, store, up_to_date):
            yield Outcome(_source(doc), "unchanged", article.id, article.title,
                          analysis=store.get_analysis(article.id) if store is not None else None)
            continue
        pending.append(doc)
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()
    yield from _drain(errors)


def _up_to_date(article_id: str, pipeline: Pipeline, store: Store | None, ids: Container[str] | None) -> bool:
    if ids is not None:
        return article_id in ids
    return store is not None and store.analysed_version(article_id) == pipeline.version


def reanalyze_stored(
    store: Store, pipeline: Pipeline, ids: list[str] | None = None, *, force: bool = False, batch_size: int = 16
) -> Iterator[Outcome]:
    """Run the analysis stage again over stored articles (e.g. after upgrading Narrascope)."""
    ids = ids if ids is not None else [row.id for row in iter_rows(store)]
    docs = (Doc.from_article(article) for i in ids if (article := store.get_article(i)) is not None)
    yield from analyze_docs(docs, pipeline, store, force=force, batch_size=batch_size)


def iter_rows(store: Store) -> Iterator[ArticleRow]:
    """Every stored article's listing row, a page at a time (in id order)."""
    yield from store.iter_article_rows()


def _drain(errors: list[Outcome]) -> Iterator[Outcome]:
    while errors:
        yield errors.pop(0)
