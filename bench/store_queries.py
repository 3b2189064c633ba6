"""Speed of the store's indexed corpus queries against answering the same question by reading every
analysis (what the corpus views did before the index tables), on SQLite or any ``--db`` URL.

    .venv/bin/python bench/store_queries.py --events 1000 [--pad-kb 3] [--save-only]
        [--db postgresql+psycopg://user@host/empty_db]

The analyses are the synthetic ones of ``bench/corpus_bench.py`` (invented events reported by several
invented outlets, with actors, quotes, narratives and techniques), saved with ``save_analysis`` —
whose time includes writing the index rows. Each query is timed by wall clock and process CPU time
(on PostgreSQL the server's CPU is not in the CPU column: compare wall times there): the indexed ones
as the median of 5 calls, the full scans once.

The text searches (``ArticleFilter.search``: a name few articles hold, a word most hold, a name with a
2-letter word) read the trigram index from schema v11; run the script on an older commit
(``PYTHONPATH=<its checkout>/src``) for the LIKE scan they replaced.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus_bench import generate  # same folder: the corpus engineer's synthetic analyses

from narrascope.corpus.common import iso_week, outlet_of, speaker_of
from narrascope.model import Analysis
from narrascope.store import ArticleFilter, Store, open_store


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[Any, float, float]:
    """The value, and the median wall and CPU seconds of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
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


def by_index(store: Store, actor: str, part: str, name: str) -> dict[str, Callable[[], Any]]:
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
            "outlet names": store.outlets}


def padded(analysis: Analysis, kb: float, rng: random.Random) -> Analysis:
    """The analysis with about ``kb`` kB of random letter words appended to its text (its spans, all
    before, stay valid): the synthetic texts are ~0.4 kB, news articles several kB, and the length is what
    indexing and scanning a text cost. Random letters make neither the searched name nor word."""
    words = []
    while sum(len(w) + 1 for w in words) < kb * 1000:
        words.append("".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))))
    text = f"{analysis.article.text} {' '.join(words)}."
    return analysis.model_copy(update={"article": analysis.article.model_copy(update={"text": text})})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--db", help="an EMPTY database URL (default: a temporary SQLite file)")
    parser.add_argument("--pad-kb", type=float, default=0, help="kB of invented words appended to each text")
    parser.add_argument("--save-only", action="store_true", help="time the saves (SQLite: and the file size) only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, open_store(args.db or Path(tmp) / "bench.db") as store:
        rng = random.Random(7)
        analyses = [padded(a, args.pad_kb, rng) if args.pad_kb else a for _, a in generate(args.events)]
        _, wall, cpu = timed(lambda: [store.save_analysis(a) for a in analyses])
        print(f"{store.engine.dialect.name}: {len(analyses)} analyses saved in {wall:.1f} s wall, {cpu:.1f} s CPU "
              f"({len(analyses) / wall:.0f} per s, {1000 * cpu / len(analyses):.2f} CPU ms each, index rows included)")
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as conn:  # the write-ahead log into the file, to measure it
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            print(f"file size {Path(store.engine.url.database).stat().st_size / 1e6:.1f} MB")
        if args.save_only:
            return
        top = store.list_actors(limit=1)[0]
        actor, part = top.key, top.name[:4].casefold()  # part of a name, as typed in the actor filter
        name = analyses[-1].quotes[0].speaker_name  # an invented person: the few articles of one event
        print(f"searched: {name!r} in {store.count_articles(ArticleFilter(search=name))} articles, {COMMON!r} in "
              f"{store.count_articles(ArticleFilter(search=COMMON))}, both {name!r} and {SHORT!r} in "
              f"{store.count_articles(ArticleFilter(search=f'{name} {SHORT}'))}")
        print("\n| question | indexed: wall ms | CPU ms | full scan: wall ms | CPU ms | speed-up (wall) |")
        print("|---|---:|---:|---:|---:|---:|")
        scans = by_scan(store, actor, part, name)
        for question, query in by_index(store, actor, part, name).items():
            _, i_wall, i_cpu = timed(query, repeat=5)  # milliseconds: the median of 5 calls
            _, s_wall, s_cpu = timed(scans[question])
            print(f"| {question} | {1000 * i_wall:.0f} | {1000 * i_cpu:.0f} | {1000 * s_wall:.0f} | "
                  f"{1000 * s_cpu:.0f} | {s_wall / i_wall:.0f}x |")


if __name__ == "__main__":
    main()
