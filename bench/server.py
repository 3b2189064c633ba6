"""How fast the web views and the report are on a corpus of N analysed articles.

    .venv/bin/python bench/server.py [--n 1000] [--report 50]

Builds a throwaway store of N synthetic analyses (the invented test articles, each copy made unique
by a trailing line and spread over 8 outlets and 26 weeks), serves it with uvicorn on 127.0.0.1 and
times each view over real HTTP (median wall and process CPU milliseconds of 5 requests; the first
home visit, which clusters the stories once, separately, and again after a restart from the story
index the first server saved, as ``serve --story-index`` does) and the size of the home page, then times
``build_report`` on the first ``--report`` articles. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from corpus_fixtures import article_a, article_b, article_c, article_d, article_e  # noqa: E402

from narrascope.model import Analysis, Article  # noqa: E402
from narrascope.report import build_report  # noqa: E402
from narrascope.server.app import create_app  # noqa: E402
from narrascope.server.run import background_server  # noqa: E402
from narrascope.store import open_store  # noqa: E402

OUTLETS = [f"Outlet {c}" for c in "ABCDEFGH"]


def synthetic(n: int) -> list[Analysis]:
    bases = [make() for make in (article_a, article_b, article_c, article_d, article_e)]
    out = []
    for i in range(n):
        base = bases[i % len(bases)]
        text = f"{base.article.text}\n\nCopy {i}."
        article = base.article.model_copy(update={
            "id": Article.make_id(text), "text": text, "outlet": OUTLETS[i % len(OUTLETS)],
            "published": (date(2023, 6, 5) + timedelta(days=i % 182)).isoformat(),
        })
        out.append(base.model_copy(update={"article": article}))
    return out


def median_ms(client: httpx.Client, path: str, repeat: int = 5) -> dict[str, float]:
    """Median wall and CPU milliseconds of ``repeat`` requests. The server runs in this process, so the
    process CPU time is the server's plus the client's (small): the steadier figure on a busy machine."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(path).raise_for_status()
        wall.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
    return {"wall": round(statistics.median(wall), 1), "cpu": round(statistics.median(cpu), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--report", type=int, default=50)
    args = parser.parse_args()
    analyses = synthetic(args.n)
    result: dict[str, object] = {"articles": args.n}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        start, start_cpu = time.perf_counter(), time.process_time()
        for a in analyses:
            store.save_analysis(a)
        result["store_fill_s"] = round(time.perf_counter() - start, 2)
        result["store_fill_cpu_ms_per_article"] = round(1000 * (time.process_time() - start_cpu) / args.n, 2)
        a, b = analyses[0].article.id, analyses[1].article.id
        last_page = max(1, -(-sum(1 for x in analyses if x.entity("olena-marchenko")) // 50))  # 50 a page
        views = {
            "home": "/", "api_articles_page": "/api/v1/articles?limit=50&offset=100", "article": f"/articles/{a}",
            "api_analysis": f"/api/v1/articles/{a}", "compare": f"/compare?ids={a},{b}", "dashboard": "/dashboard",
            "actor_page": "/actors/olena-marchenko", "actor_page_last": f"/actors/olena-marchenko?page={last_page}",
            "api_actors": "/api/v1/actors", "api_actors_search": "/api/v1/actors?q=marchenko",
            "actors_page": "/actors",
            "api_quotes_by_speaker": "/api/v1/quotes?speaker=olena-marchenko",
        }
        index_path = Path(tmp) / "stories.json"  # ``serve --story-index``: written after the first look
        app = create_app(store, story_index=index_path)
        with background_server(app) as url, httpx.Client(base_url=url, timeout=3600) as client:
            result["home_first_visit_ms"] = median_ms(client, "/", repeat=1)["wall"]  # clusters every story once
            result["home_bytes"] = len(client.get("/").content)
            stories = app.state.stories.stories()
            if stories:  # the best-covered story, compared from the home page's "Compare" link
                views["compare_story"] = f"/compare?story={stories[0]['id']}"
            if client.get("/stories").status_code == 200:  # the Stories page (since 46bfe48)
                views["stories_page"] = "/stories"
            result["median_ms"] = {name: median_ms(client, path) for name, path in views.items()}
        # A restart with the index the first server saved: its first visit reads the file, not every analysis.
        with background_server(create_app(store, story_index=index_path)) as url, \
                httpx.Client(base_url=url, timeout=3600) as client:
            result["home_first_visit_saved_index_ms"] = median_ms(client, "/", repeat=1)["wall"]
        store.close()
    start = time.perf_counter()
    html = build_report(analyses[: args.report])
    result[f"report_{args.report}_articles_s"] = round(time.perf_counter() - start, 2)
    result["report_bytes"] = len(html.encode())
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
