"""Cost of the ``quotes`` component relative to the spaCy parse it reads (it never parses again).

Usage: .venv/bin/python bench/quotes_overhead.py [--repeat N]
Texts: the seed articles when ../shared/seeds exists, else the invented PolNeAR fixture texts.
Prints one JSON object: seconds for spaCy and for quotes, quotes found, and the overhead in percent.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from narrascope.pipeline import Doc, Pipeline

ROOT = Path(__file__).resolve().parents[1]


def texts() -> list[str]:
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    paths = seeds or sorted((ROOT / "tests/fixtures/polnear_mini/text").glob("*.txt"))
    return [p.read_text("utf-8") for p in paths]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    docs_text = texts() * args.repeat
    spacy_step = Pipeline.from_config(only=["spacy"])
    quotes_step = Pipeline.from_config(only=["quotes"])
    list(spacy_step.pipe([Doc.from_text(t) for t in docs_text[:2]]))  # warm up: load the model
    list(quotes_step.pipe(spacy_step.pipe([Doc.from_text(docs_text[0])])))

    docs = [Doc.from_text(t) for t in docs_text]
    t0 = time.process_time()
    docs = list(spacy_step.pipe(docs))
    t_spacy = time.process_time() - t0
    t0 = time.process_time()
    docs = list(quotes_step.pipe(docs))
    t_quotes = time.process_time() - t0
    print(json.dumps({
        "docs": len(docs),
        "chars": sum(len(t) for t in docs_text),
        "spacy_cpu_s": round(t_spacy, 3),
        "quotes_cpu_s": round(t_quotes, 3),
        "quotes_found": sum(len(d.analysis.quotes) for d in docs),
        "overhead_pct": round(100 * t_quotes / t_spacy, 1),
    }))


if __name__ == "__main__":
    main()
