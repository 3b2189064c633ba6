"""Speed of the ingest stage (read -> extract_html -> clean -> language) on the bundled examples.

Usage: .venv/bin/python bench/ingest_speed.py [--copies 100]

Copies every file of ``examples/`` N times into a temporary folder (each copy gets a distinct last
line so the articles are distinct), then times ``iter_raw`` plus the three ingest components per
format. Prints one JSON object: documents per second by format (wall clock, and per CPU second of
this process, which stays meaningful on a shared, busy machine) and the peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from narrascope.ingest.sources import IngestError, iter_raw
from narrascope.pipeline import Doc, Pipeline

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    pipeline = Pipeline.from_config(only=["extract_html", "clean", "language"])
    pipeline(Doc(raw=next(iter_raw([str(ROOT / "examples" / "03_opinion_hold-the-line.txt")]))))  # warm up
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        by_format: dict[str, list[Path]] = defaultdict(list)
        for src in sorted((ROOT / "examples").iterdir()):
            kind = {".html": "html", ".jsonl": "json"}.get(src.suffix, "text")
            for i in range(args.copies):
                path = Path(tmp) / f"{i:04d}_{src.name}"
                content = src.read_text("utf-8")
                if kind == "json":
                    content = content.replace('"text": "', f'"text": "Copy {i}. ')
                else:
                    content = content.replace("</article>", f"<p>Copy {i}.</p></article>") if kind == "html" \
                        else content + f"\n\nCopy {i}."
                path.write_text(content, "utf-8")
                by_format[kind].append(path)
        for kind, paths in by_format.items():
            start, cpu = time.perf_counter(), time.process_time()
            raws = [r for r in iter_raw([str(p) for p in paths]) if not isinstance(r, IngestError)]
            docs = list(pipeline.pipe(Doc(raw=r) for r in raws))
            seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
            assert all(d.error is None for d in docs), [d.error for d in docs if d.error][:3]
            results[f"{kind}_docs"] = len(docs)
            results[f"{kind}_docs_per_s"] = round(len(docs) / seconds, 1)
            results[f"{kind}_docs_per_cpu_s"] = round(len(docs) / cpu_seconds, 1)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
