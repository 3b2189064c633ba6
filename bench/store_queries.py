"""Speed of the store's indexed corpus queries against answering the same question by reading every
analysis (what the corpus views did before the index tables), on SQLite or any ``--db`` URL.

    .venv/bin/python bench/store_queries.py --events 1000 [--pad-kb 3] [--save-only]
        [--db postgresql+psycopg://user@host/empty_db]
    .venv/bin/python bench/store_queries.py --sizes 20000,100000,500000 --batch 100 --db /tmp/big.db

``--sizes`` grows one store and times the queries each time it holds that many analyses (generated and
saved a chunk at a time, so memory does not grow with the corpus); ``--batch N`` saves with
``save_analyses`` N per transaction (default 1: ``save_analysis`` one by one); the full scans run only
up to ``--scan-up-to`` analyses (they take minutes beyond). The paging rows are ``list_articles`` at
offsets (the web app's pages); the peak RSS is the process's, generation included. ``--reuse`` times the
queries on an existing SQLite file (``--db``) without saving: opening it with newer code runs its
migrations first (timed), so before and after can be measured on the same file. Rows a store version
lacks (``iter_article_rows`` before schema v12) are left out.

The analyses are the synthetic ones of ``bench/corpus_bench.py`` (invented events reported by several
invented outlets, with actors, quotes, narratives and techniques), saved with ``save_analysis`` or
``save_analyses`` — whose time includes writing the index rows. Each query is timed by wall clock and process CPU time
(on PostgreSQL the server's CPU is not in the CPU column: compare wall times there): the indexed ones
as the median of 5 calls, the full scans once.

The text searches (``ArticleFilter.search``: a name few articles hold, a word most hold, a name with a
2-letter word) read the trigram index from schema v11; run the script on an older commit
(``PYTHONPATH=<its checkout>/src``) for the LIKE scan they replaced.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from corpus_bench import generate  # same folder: the corpus engineer's synthetic analyses

from narrascope.corpus.common import iso_week, outlet_of, speaker_of
from narrascope.model import Analysis
from narrascope.store import ArticleFilter, Store, open_store


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[Any, float, float]:
    """The value, and the median wall and CPU seconds of ``repeat`` calls (fewer once they have taken
    5 s: a query that slow on a large store needs no fifth run to show it)."""
    walls, cpus = [], []
    for _ in range(repeat):
        if sum(walls) > 5:
            break
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return value, statistics.median(walls), statistics.median(cpus)


# A word of most synthetic texts (bench/corpus_bench.py's filler), and a 2-letter one (no trigram).
COMMON, SHORT = "Moscow", "ko"


def by_scan(store: Store, actor: str, part: str, name: str) -> dict[str, Callable[[], Any]]:
    """The same answers computed from every stored analysis."""
    def holding(*words: str) -> list[str]:
        return [a.article.id for a in store.iter_analyses()
                if all(w.lower() in f"{a.article.title}\n{a.article.text}".lower() for w in words)]
    def actors():
        return Counter(e.id for a in store.iter_analyses() for e in a.entities).most_common(50)

    def matching():
        return Counter(e.id for a in store.iter_analyses() for e in a.entities
                       if part in e.id or part in e.name.casefold()).most_common(50)

    def quotes():
        return [q for a in store.iter_analyses() for q in a.quotes if q.speaker_entity == actor][:100]

    def weeks():
        return Counter((iso_week(a.article.published), n.label) for a in store.iter_analyses() for n in a.narratives)

    def articles():
        return [a.article.id for a in store.iter_analyses() if a.entity(actor)][:100]

    def per_outlet():
        return Counter(outlet_of(a) for a in store.iter_analyses())

    def speakers():
        return Counter(ref.key for a in store.iter_analyses() for q in a.quotes
                       if (ref := speaker_of(a, q)) is not None).most_common(25)

    def actor_outlets():
        return Counter(outlet_of(a) for a in store.iter_analyses() if a.entity(actor))

    def techniques():
        return Counter((outlet_of(a), t.technique) for a in store.iter_analyses() for t in a.techniques)

    def outlets():
        return sorted({a.article.outlet for a in store.iter_analyses() if a.article.outlet}, key=str.casefold)

    return {"top 50 actors": actors, "top 50 actors matching a name": matching, "quotes of one actor": quotes,
            "search: a rare name, first 100": lambda: holding(name)[:100],
            "search: a rare name, count": lambda: len(holding(name)),
            "search: a common word, count": lambda: len(holding(COMMON)),
            "search: a rare name and a 2-letter word, count": lambda: len(holding(name, SHORT)),
            "narratives by week": weeks, "articles mentioning one actor": articles, "articles and words per outlet": per_outlet,
            "top 25 speakers": speakers, "one actor per outlet": actor_outlets,
            "techniques by outlet": techniques, "outlet names": outlets}


def by_index(store: Store, actor: str, part: str, name: str, n: int, last: Analysis) -> dict[str, Callable[[], Any]]:
    article_id, outlet, version = last.article.id, last.article.outlet, last.pipeline_version

    def count(search: str) -> int:
        return store.count_articles(ArticleFilter(search=search))

    return {"top 50 actors": lambda: store.list_actors(limit=50),
            "top 50 actors matching a name": lambda: store.list_actors(part, limit=50),
            "quotes of one actor": lambda: store.list_quotes(speaker_entity=actor),
            "narratives by week": lambda: store.label_counts("narrative", by="week"),
            "articles mentioning one actor": lambda: store.list_articles(ArticleFilter(actor=actor)),
            # the article search (the home page's search box): a trigram index from schema v11
            "search: a rare name, first 100": lambda: store.list_articles(ArticleFilter(search=name)),
            "search: a rare name, count": lambda: count(name),
            "search: a common word, count": lambda: count(COMMON),
            "search: a rare name and a 2-letter word, count": lambda: count(f"{name} {SHORT}"),
            # rollups (schema v5-v6): the dashboard's sums
            "articles and words per outlet": lambda: store.article_counts("outlet"),
            "top 25 speakers": lambda: store.top_speakers(25),
            "techniques by outlet": lambda: store.label_counts("technique", by="outlet"),
            # index rows of one actor (the actor page's counts), the outlet index (the home page's menu)
            "one actor per outlet": lambda: store.actor_outlets(actor),
            "outlet names": store.outlets,
            # the article list (home page, `narrascope list`, runner.iter_rows) and its paging
            "count_articles()": store.count_articles,
            "articles, first page of 100": lambda: store.list_articles(),
            "articles, page at offset 10,000": lambda: store.list_articles(offset=10_000),
            "articles, last page (offset n-100)": lambda: store.list_articles(offset=max(0, n - 100)),
            "articles of one outlet, first page": lambda: store.list_articles(ArticleFilter(outlet=outlet)),
            "articles of one outlet, count": lambda: store.count_articles(ArticleFilter(outlet=outlet)),
            "an id from its first 8 characters (resolve_id)": lambda: store.resolve_id(article_id[:8]),
            "one analysis (get_analysis)": lambda: store.get_analysis(article_id),
            # the API's quote list without a speaker (GET /api/v1/quotes), all and by sourcing kind
            "quotes, first page of 100 (list_quotes)": lambda: store.list_quotes(),
            "named-source quotes, first page of 100": lambda: store.list_quotes(sourcing_kind="named"),
            # the home page's narrative menu (every narrative label, direct or through a sub-narrative)
            "narratives overall (label_counts)": lambda: store.label_counts("narrative"),
            "the resume check, every article up to date (ids_analysed_with)": lambda: store.ids_analysed_with(version),
            **({"every listing row (iter_article_rows, pages of 1,000)": lambda: sum(1 for _ in store.iter_article_rows())}
               if hasattr(store, "iter_article_rows") else {})}


def padded(analysis: Analysis, kb: float, rng: random.Random) -> Analysis:
    """The analysis with about ``kb`` kB of random letter words appended to its text (its spans, all
    before, stay valid): the synthetic texts are ~0.4 kB, news articles several kB, and the length is what
    indexing and scanning a text cost. Random letters make neither the searched name nor word."""
    words = []
    while sum(len(w) + 1 for w in words) < kb * 1000:
        words.append("".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))))
    text = f"{analysis.article.text} {' '.join(words)}."
    return analysis.model_copy(update={"article": analysis.article.model_copy(update={"text": text})})


def analyses_of(args: argparse.Namespace) -> Iterator[Analysis]:
    """The synthetic analyses, generated one at a time (padded with ``--pad-kb``)."""
    rng = random.Random(7)
    events = args.events if not args.sizes else 10**9  # --sizes: as many as the sizes need
    for _, a in generate(events):
        yield padded(a, args.pad_kb, rng) if args.pad_kb else a


def save(store: Store, chunk: list[Analysis], batch: int) -> None:
    if batch > 1:
        store.save_analyses(chunk, batch_size=batch)
    else:
        for a in chunk:
            store.save_analysis(a)


def measure(store: Store, n: int, last: Analysis, scan: bool) -> None:
    """Print the table of query times for the store as it is (``n`` analyses; ``last`` the newest)."""
    top = store.list_actors(limit=1)[0]
    actor, part = top.key, top.name[:4].casefold()  # part of a name, as typed in the actor filter
    name = last.quotes[0].speaker_name  # an invented person: the few articles of one event
    print(f"searched: {name!r} in {store.count_articles(ArticleFilter(search=name))} articles, {COMMON!r} in "
          f"{store.count_articles(ArticleFilter(search=COMMON))}, both {name!r} and {SHORT!r} in "
          f"{store.count_articles(ArticleFilter(search=f'{name} {SHORT}'))}")
    print("\n| question | indexed: wall ms | CPU ms | full scan: wall ms | CPU ms | speed-up (wall) |")
    print("|---|---:|---:|---:|---:|---:|")
    scans = by_scan(store, actor, part, name) if scan else {}
    for question, query in by_index(store, actor, part, name, n, last).items():
        _, i_wall, i_cpu = timed(query, repeat=5)  # milliseconds: the median of 5 calls
        if question in scans:
            _, s_wall, s_cpu = timed(scans[question])
            print(f"| {question} | {1000 * i_wall:.0f} | {1000 * i_cpu:.0f} | {1000 * s_wall:.0f} | "
                  f"{1000 * s_cpu:.0f} | {s_wall / i_wall:.0f}x |", flush=True)
        else:
            print(f"| {question} | {1000 * i_wall:.0f} | {1000 * i_cpu:.0f} | | | |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--sizes", help="comma-separated numbers of analyses to time the queries at (one store grown)")
    parser.add_argument("--batch", type=int, default=1, help="analyses per transaction (save_analyses); 1: one by one")
    parser.add_argument("--scan-up-to", type=int, default=25_000, help="no full scans beyond this many analyses")
    parser.add_argument("--db", help="an EMPTY database URL or a new SQLite path (default: a temporary SQLite file)")
    parser.add_argument("--pad-kb", type=float, default=0, help="kB of invented words appended to each text")
    parser.add_argument("--save-only", action="store_true", help="time the saves (SQLite: and the file size) only")
    parser.add_argument("--reuse", action="store_true",
                        help="time the queries on the SQLite file --db as it is, saving nothing (e.g. after a "
                             "migration: opening it runs them, timed)")
    args = parser.parse_args()
    if args.reuse:
        wall, cpu = time.perf_counter(), time.process_time()
        with open_store(args.db) as store:
            print(f"opened (pending migrations run) in {time.perf_counter() - wall:.1f} s wall, "
                  f"{time.process_time() - cpu:.1f} s CPU")
            with store.engine.connect() as conn:  # the last article saved: the newest SQLite rowid
                newest = conn.exec_driver_sql("SELECT id FROM articles ORDER BY rowid DESC LIMIT 1").scalar()
            n = store.count_articles()
            print(f"\n## {n} analyses, reused ({time.strftime('%H:%M:%S', time.gmtime())} UTC, load "
                  f"{' '.join(open('/proc/loadavg').read().split()[:3])})")
            measure(store, n, store.get_analysis(newest), scan=False)
        return
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else [None]
    with tempfile.TemporaryDirectory() as tmp, open_store(args.db or Path(tmp) / "bench.db") as store:
        stream, n, last = analyses_of(args), 0, None
        for size in sizes:
            wall = cpu = 0.0
            start = n
            while (size is None or n < size) and (chunk := list(islice(stream, min(5000, (size or 10**9) - n)))):
                _, w, c = timed(lambda: save(store, chunk, args.batch))
                wall, cpu, n, last = wall + w, cpu + c, n + len(chunk), chunk[-1]
            saved = n - start
            print(f"\n## {n} analyses ({time.strftime('%H:%M:%S', time.gmtime())} UTC, load "
                  f"{' '.join(open('/proc/loadavg').read().split()[:3])})")
            print(f"{store.engine.dialect.name}: {saved} analyses saved in {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"({saved / wall:.0f} per s, {1000 * cpu / saved:.2f} CPU ms each, index rows included; "
                  f"batch {args.batch})", flush=True)
            if store.engine.dialect.name == "sqlite":
                with store.engine.connect() as conn:  # the write-ahead log into the file, to measure it
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                print(f"file size {Path(store.engine.url.database).stat().st_size / 1e6:.1f} MB")
            if not args.save_only:
                measure(store, n, last, scan=n <= args.scan_up_to)
            print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
