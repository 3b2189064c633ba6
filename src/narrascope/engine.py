"""Distributed analysis on a Dask cluster: the same ingest/analyse loop as ``runner``, on N workers.

Why this split of work: reading inputs (files, URLs, the store) and writing the store happen on the
driver, in one process — the store has a single writer, so SQLite needs no locking across processes
and everything reported as stored has been committed, exactly as with the local runner. The workers do
the CPU work: each builds the pipeline once (models loaded once per worker process, then reused for
every chunk) and runs ``runner.analyze_raws`` / ``runner.analyze_docs`` over a chunk of inputs, so
there is still one ingest/analyse loop in the code base.

Chunks are submitted in input order with a bounded window (twice the number of workers) and their
results are saved and reported in that same order: the output is identical to a single-process run,
memory stays bounded on large inputs, and an interrupted batch resumes like the local one — the
driver tells the workers which article ids already have an analysis by this pipeline version.

``scheduler`` connects to an existing cluster (``dask scheduler`` / ``dask worker`` on other machines);
without it a ``LocalCluster`` of worker processes on loopback is started and stopped around the run.
Custom components must be importable on the workers (an installed package, not ``__main__``).
"""

from __future__ import annotations

import functools
import json
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import islice
from typing import Any

from . import runner
from .ingest.sources import IngestError, iter_raw
from .model import Article
from .pipeline import Doc, Pipeline, Raw, default_config
from .runner import Outcome
from .store import Store

log = logging.getLogger(__name__)

class StoredId(str):
    """The id of an article in the driver's store, loaded there only if it needs analysing."""


Item = Raw | IngestError | Article
# Inputs per task: the runner's batch size, so spaCy batches as in a single process (measured: chunks
# of 8 cost ~30% more worker CPU than 16); the per-task overhead (a few ms) is then negligible.
CHUNK_SIZE = 16


class EngineError(RuntimeError):
    """The cluster could not be reached or the workers could not build the pipeline."""


# --- on the workers --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _worker_pipeline(config_json: str) -> Pipeline:
    """The pipeline of this worker process, built on first use and kept for every later chunk."""
    return Pipeline.from_config(json.loads(config_json))


def _pipeline_version(config_json: str) -> str:
    return _worker_pipeline(config_json).version


def _analyse_chunk(config_json: str, items: list[Item], up_to_date: set[str], force: bool,
                   batch_size: int) -> list[Outcome]:
    """Analyse one chunk on a worker; analyses come back inside the outcomes for the driver to store."""
    pipeline = _worker_pipeline(config_json)
    options = {"force": force, "batch_size": batch_size, "up_to_date": up_to_date}
    if items and isinstance(items[0], Article):
        return list(runner.analyze_docs((Doc.from_article(a) for a in items), pipeline, **options))
    return list(runner.analyze_raws(items, pipeline, **options))


# --- on the driver ---------------------------------------------------------------------------------


@contextmanager
def dask_client(workers: int, scheduler: str | None = None) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    if not log.isEnabledFor(logging.INFO):  # Dask's own INFO chatter only with --verbose
        logging.getLogger("distributed").setLevel(logging.ERROR)
    with ExitStack() as stack:
        try:
            if scheduler:
                client = stack.enter_context(Client(scheduler, timeout="30s"))
            else:
                cluster = stack.enter_context(LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR))
                client = stack.enter_context(Client(cluster))
        except OSError as err:  # connection refused, timeout: no traceback for the user
            raise EngineError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {err}") from err
        yield client


def analyze(sources: list[str], store: Store | None, config: list[dict[str, Any]] | None = None,
            read_options: dict[str, Any] | None = None, **options: Any) -> Iterator[Outcome]:
    """``runner.analyze`` on a Dask cluster: inputs are read here, analysed on the workers, stored here.

    ``read_options`` go to ``iter_raw`` (``glob``, ``max_bytes``, ...); ``options`` are those of ``run``.
    """
    yield from run(iter_raw(sources, **(read_options or {})), store, config, **options)


def reanalyze_stored(store: Store, config: list[dict[str, Any]] | None = None, **options: Any) -> Iterator[Outcome]:
    """``runner.reanalyze_stored`` on a Dask cluster; ``options`` are those of ``run``.

    The ids go to ``run``, which loads and ships only the articles that need analysing: on a rerun
    over a large store most articles are up to date and must not cross the network.
    """
    yield from run((StoredId(row.id) for row in runner.iter_rows(store)), store, config, **options)


def run(
    items: Iterable[Item],
    store: Store | None,
    config: list[dict[str, Any]] | None = None,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    force: bool = False,
    batch_size: int = CHUNK_SIZE,
) -> Iterator[Outcome]:
    """Analyse raw inputs or stored articles on the cluster, saving to ``store`` (if any) in input order.

    ``config``: pipeline steps (default: the default pipeline); ``workers``: size of the local cluster
    started when no ``scheduler`` address is given; ``batch_size``: inputs per task.
    """
    config_json = json.dumps(default_config() if config is None else config, sort_keys=True)
    with dask_client(workers, scheduler) as client:
        version = _warm_up(client, config_json)
        up_to_date = store.ids_analysed_with(version) if store is not None and not force else set()
        [up_to_date_everywhere] = client.scatter([up_to_date], broadcast=True)
        window = 2 * max(1, len(client.scheduler_info()["workers"]))
        pending: deque[tuple[list[Item], list[Outcome | None], Any]] = deque()
        items = iter(items)
        while chunk := list(islice(items, batch_size)):
            send, answered = _answer_stored(chunk, store, up_to_date)
            future = client.submit(_analyse_chunk, config_json, send, up_to_date_everywhere, force, batch_size,
                                   pure=False) if send else None
            pending.append((send, answered, future))
            if len(pending) >= window:
                yield from _collect(*pending.popleft(), store)
        while pending:
            yield from _collect(*pending.popleft(), store)


def _answer_stored(chunk: list[Item | StoredId], store: Store | None,
                   up_to_date: set[str]) -> tuple[list[Item], list[Outcome | None]]:
    """Split a chunk into the items for the workers and, in input order, the outcomes known here.

    A stored id that is up to date is answered on the driver (its analysis read from the store);
    other stored ids are loaded into Articles for the workers. ``None`` marks a worker's outcome.
    """
    send: list[Item] = []
    answered: list[Outcome | None] = []
    for item in chunk:
        if not isinstance(item, StoredId):
            send.append(item)
            answered.append(None)
        elif item in up_to_date and (analysis := store.get_analysis(item)) is not None:
            article = analysis.article
            answered.append(Outcome(article.source or item, "unchanged", item, article.title, analysis=analysis))
        elif (article := store.get_article(item)) is not None:  # deleted meanwhile: nothing to report
            send.append(article)
            answered.append(None)
    return send, answered


def _warm_up(client: Any, config_json: str) -> str:
    """Build the pipeline on every worker at once (models load in parallel) and return its version.

    Workers that disagree on the version run different Narrascope or model versions: their results
    would not be comparable, so that is an error rather than a mixed corpus.
    """
    workers = list(client.scheduler_info()["workers"]) or [None]
    futures = [client.submit(_pipeline_version, config_json, workers=[w] if w else None, pure=False)
               for w in workers]
    try:
        versions = set(client.gather(futures))
    except Exception as err:  # noqa: BLE001 - whatever the worker raised, say it in one line
        raise EngineError(f"the workers could not build the pipeline: {err}") from err
    if len(versions) != 1:
        raise EngineError(f"the workers run different pipeline versions: {', '.join(sorted(versions))}")
    return versions.pop()


def _collect(sent: list[Item], answered: list[Outcome | None], future: Any,
             store: Store | None) -> Iterator[Outcome]:
    """Wait for one chunk, store its analyses (the single writer), then report them in input order."""
    try:
        outcomes: list[Outcome] = future.result() if future is not None else []
    except Exception as err:  # noqa: BLE001 - a lost worker fails its chunk, not the batch
        log.debug("chunk failed", exc_info=True)
        outcomes = [Outcome(_item_source(item), "error", message=f"worker failed: {err}") for item in sent]
    from_workers = iter(outcomes)
    # The runner gives one outcome per input, so the worker's outcomes fill the gaps in order.
    merged = [known or next(from_workers, None) for known in answered]
    reported = [o for o in merged if o is not None] + list(from_workers)
    if store is not None:  # the chunk's analyses in one batch (``save_analyses``), before any is reported
        store.save_analyses(o.analysis for o in reported if o.status == "analysed" and o.analysis is not None)
    for outcome in reported:
        if store is not None and outcome.status == "unchanged" and outcome.article_id and not outcome.analysis:
            outcome.analysis = store.get_analysis(outcome.article_id)
        yield outcome


def _item_source(item: Item) -> str:
    if isinstance(item, Article):
        return item.source or item.id
    return item.source or "?"
