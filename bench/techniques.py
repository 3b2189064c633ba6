"""Speed of the persuasion-technique detector on 800-word articles (one core).

Usage: .venv/bin/python bench/techniques.py [--repeat 50] [--model DIR]

Builds 800-word articles from the bundled ``examples/*.txt`` (repeating their text as needed), then times
``TechniqueDetector.predict`` (statistical model + pattern rules, i.e. what the ``techniques`` component runs
apart from building the pydantic objects). Reports wall-clock and CPU milliseconds per article (median and
95th percentile; CPU time is the figure to trust on a shared, loaded machine), the model file size and the
peak resident memory, as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

from narrascope.classify.techniques import MODEL_FILE, default_model_dir, load_model

ROOT = Path(__file__).resolve().parents[1]
WORDS = 800


def articles(n: int) -> list[str]:
    """``n`` distinct 800-word texts cut from the example articles, paragraphs kept."""
    words = " ".join(p.read_text("utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))).split(" ")
    out = []
    for i in range(n):
        start = (i * 97) % max(len(words) - 1, 1)
        out.append(" ".join((words[start:] + words * (WORDS // max(len(words), 1) + 1))[:WORDS]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    detector = load_model(args.model)
    texts = articles(args.repeat)
    detector.predict(texts[0])  # warm up
    wall, cpu = [], []
    for text in texts:
        w0, c0 = time.perf_counter(), time.process_time()
        detector.predict(text)
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    model_dir = args.model or default_model_dir()
    print(
        json.dumps(
            {
                "articles": len(texts),
                "words_per_article": WORDS,
                "wall_ms_median": round(statistics.median(wall), 1),
                "wall_ms_p95": round(statistics.quantiles(wall, n=20)[-1], 1),
                "cpu_ms_median": round(statistics.median(cpu), 1),
                "cpu_ms_p95": round(statistics.quantiles(cpu, n=20)[-1], 1),
                "model_mb": round((Path(model_dir) / MODEL_FILE).stat().st_size / 1e6, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
