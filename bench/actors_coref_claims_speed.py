"""Overhead of actors + coref (+ quotes when present) + claims on top of bare spaCy parsing.

Usage: OMP_NUM_THREADS=1 .venv/bin/python bench/actors_coref_claims_speed.py [--repeat N] [--rounds R]
Texts: the seed articles when ../shared/seeds exists, else the invented coreference fixtures.
Prints one JSON object: median CPU seconds (process time, so other processes on the machine count
for little) for spaCy and for each component over R interleaved rounds, and the overhead in percent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from narrascope.pipeline import Doc, Pipeline, get_factory

ROOT = Path(__file__).resolve().parents[1]


def texts() -> list[str]:
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    if seeds:
        return [p.read_text("utf-8") for p in seeds]
    return [json.loads(p.read_text("utf-8"))["text"] for p in sorted((ROOT / "tests/fixtures/coref").glob("*.json"))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; the median of each step is reported")
    args = parser.parse_args()
    docs_text = texts() * args.repeat
    components = {}
    for name in ("actors", "coref", "quotes", "claims"):
        try:
            components[name] = get_factory(name)()
        except (KeyError, ImportError):
            continue  # e.g. quotes not installed in this checkout
    spacy_step = Pipeline.from_config([{"name": "spacy", "config": {}}])
    list(spacy_step.pipe([Doc.from_text(t) for t in docs_text[:2]]))  # warm up: load the model
    for d in spacy_step.pipe([Doc.from_text(docs_text[0])]):  # warm up: compile matchers
        for c in components.values():
            c(d)
    rounds: dict[str, list[float]] = {name: [] for name in ("spacy", *components)}
    for _ in range(args.rounds):  # interleaved rounds: a busy spell of the machine hits every step alike
        docs = [Doc.from_text(t) for t in docs_text]
        t0 = time.process_time()
        docs = list(spacy_step.pipe(docs))
        rounds["spacy"].append(time.process_time() - t0)
        for name, component in components.items():
            t0 = time.process_time()
            for d in docs:
                component(d)
            rounds[name].append(time.process_time() - t0)
    timings = {name: statistics.median(values) for name, values in rounds.items()}
    extra = sum(v for k, v in timings.items() if k != "spacy")
    print(json.dumps({
        "documents": len(docs), "characters": sum(len(t) for t in docs_text), "rounds": args.rounds,
        "cpu_seconds_median": {k: round(v, 3) for k, v in timings.items()},
        "overhead_percent": round(100 * extra / timings["spacy"], 1),
        "overhead_percent_without_quotes": round(100 * (extra - timings.get("quotes", 0)) / timings["spacy"], 1),
    }))

if __name__ == "__main__":
    main()
