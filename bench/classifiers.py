"""Inference latency of the narrative and role classifiers on an ~800-word article (one core).

Usage: .venv/bin/python bench/classifiers.py [--article FILE] [--runs 30]

Without --article the text is synthetic (seed sentences are not shipped). spaCy parsing is excluded:
both classifiers read the parse the pipeline already made; the figure is what they add per article.
Reports wall-clock and CPU time (the CPU figure is the honest one on a shared machine).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from narrascope.classify.base import shipped_model_dir, split_sentences  # noqa: E402
from narrascope.classify.narratives import NarrativeModel  # noqa: E402
from narrascope.classify.roles import RolesComponent, clear_caches, parse  # noqa: E402

WORDS = (
    "the government said sanctions against Russia would continue while Ukraine asked NATO for weapons and "
    "officials in Kyiv warned of winter attacks on energy infrastructure as prices rose across Europe and "
    "analysts questioned whether the counteroffensive could succeed before aid from Washington ran out"
).split()
# 20 actors: a busy article's worth for the roles classifier.
ACTORS = ["Zelensky", "Putin", "NATO", "Ukraine", "Russia", "Biden", "the European Union", "Zaluzhny",
          "Stoltenberg", "Klitschko", "Kremlin", "Pentagon", "Scholz", "Macron", "Gerasimov", "Shoigu",
          "Erdogan", "Orban", "Blinken", "Kuleba"]


def synthetic_article(n_words: int = 800, seed: int = 0) -> str:
    rng = random.Random(seed)
    sentences, count = [], 0
    while count < n_words:
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 25))]
        words[rng.randrange(len(words))] = rng.choice(ACTORS)
        sentence = " ".join(words)
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        count += len(words)
    return " ".join(sentences)


def actor_mentions(text: str) -> list[tuple[None, str, list[tuple[int, int]]]]:
    out = []
    for name in ACTORS:
        spans, i = [], text.find(name)
        while i >= 0:
            spans.append((i, i + len(name)))
            i = text.find(name, i + 1)
        if spans:
            out.append((None, name, spans))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    text = args.article.read_text("utf-8") if args.article else synthetic_article()
    narr = NarrativeModel.load(shipped_model_dir("narratives"))
    roles = RolesComponent()  # as in the default pipeline
    sentences = split_sentences(text)
    entities = actor_mentions(text)
    sdoc = parse([text])[0]  # the pipeline's spaCy parse, which the roles model reads
    narr.label(text, sentences)  # warm-up
    roles.label(text, entities, sdoc)
    wall, cpu = {"narratives": [], "roles": []}, {"narratives": [], "roles": []}
    for _ in range(args.runs):
        for name, call in (("narratives", lambda: narr.label(text, sentences)),
                           ("roles", lambda: clear_caches() or roles.label(text, entities, sdoc))):
            w, c = time.perf_counter(), time.process_time()
            call()
            wall[name].append((time.perf_counter() - w) * 1000)
            cpu[name].append((time.process_time() - c) * 1000)
    result = {"words": len(text.split()), "entities": len(entities), "runs": args.runs}
    for name in wall:
        result[f"{name}_wall_ms_median"] = round(statistics.median(wall[name]), 1)
        result[f"{name}_cpu_ms_median"] = round(statistics.median(cpu[name]), 1)
    result["both_cpu_ms_median"] = round(result["narratives_cpu_ms_median"] + result["roles_cpu_ms_median"], 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
