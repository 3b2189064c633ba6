"""Screenshots of the main web views for the docs: ``docs/screenshots/{home,article,compare,dashboard,actor}.png``.

    .venv/bin/python scripts/screenshots.py [--db narrascope.db] [--out docs/screenshots]

Without ``--db`` it builds a throwaway store from the invented test articles plus, when
``../shared/seeds`` is present, the two seed articles analysed by the default pipeline (the seeds are
then the article and compare views). Uses the system Chromium (/usr/bin/chromium), like the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from corpus_fixtures import article_a, article_b, article_c, article_d, article_e  # noqa: E402
from ui_fixtures import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from narrascope import runner  # noqa: E402
from narrascope.pipeline import Pipeline  # noqa: E402
from narrascope.server.app import create_app  # noqa: E402
from narrascope.server.run import background_server  # noqa: E402
from narrascope.store import Store, open_store  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def demo_store(path: Path) -> tuple[Store, list[str]]:
    """A store with the invented corpus and, when available, the analysed seeds; returns the pair to show."""
    store = open_store(path)
    for make in (article_a, article_b, article_c, article_d, article_e):
        store.save_analysis(make())
    pair = [article_a().article.id, article_b().article.id]
    if SEEDS.is_dir():
        seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
        outcomes = [o for o in runner.analyze(seeds, Pipeline.from_config(), store) if o.ok]
        if len(outcomes) == 2:
            pair = [o.article_id for o in outcomes]
    return store, pair


def shoot(base_url: str, pair: list[str], actor: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    views = {
        "home": "/",
        "article": f"/articles/{pair[0]}",
        "compare": f"/compare?ids={pair[0]},{pair[1]}",
        "dashboard": "/dashboard",
        "actor": f"/actors/{actor}",
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
        page.on("pageerror", lambda err: sys.exit(f"script error on the page: {err}"))
        for name, path in views.items():
            page.goto(base_url + path)
            page.wait_for_load_state("networkidle")
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=name in ("compare", "dashboard"))
            written.append(target)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="Use this store instead of building a demo one.")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--ids", nargs=2, help="The two articles for the article and compare views.")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is absent: run scripts/install-browser.sh first")
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            store = open_store(args.db)
            pair = args.ids or [r.id for r in store.list_articles(limit=50) if r.analysed][:2]
        else:
            store, pair = demo_store(Path(tmp) / "demo.db")
        actors = store.list_actors(limit=50)
        actor = max(actors, key=lambda r: (r.n_quotes, r.n_articles)).key if actors else "none"
        with background_server(create_app(store)) as url:
            for path in shoot(url, args.ids or pair, actor, Path(args.out)):
                print(path)
        store.close()


if __name__ == "__main__":
    main()
