"""How many annotated actor mentions does ``actors`` (+ ``coref``) find? Measured on SemEval-2025 Task 10.

The entity-framing annotations (subtask 1) mark the actors an article casts as protagonist,
antagonist or innocent — names mostly ("Zelensky", "NATO", "the West"), sometimes descriptions.
The ``roles`` classifier can only label what ``actors``/``coref`` found, so the coverage of those
mentions is the ceiling of its recall. Reported: the share of annotated mentions overlapped by one of
our mentions (any kind, then names only), against the bare spaCy NER as the baseline.

Layout expected (as in ``../shared/data/semeval2025-t10/EN/train``): ``raw-documents/*.txt`` and
``subtask-1-annotations.txt`` (tab-separated: article id, mention, start, end inclusive, roles...).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from ..pipeline import Doc, Pipeline

NER_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}


def read_mentions(directory: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Article id -> annotated mentions as end-exclusive ``(start, end, text)``, offsets repaired
    to the nearest exact occurrence (a few annotations are shifted by a character or two)."""
    path = directory / "subtask-1-annotations.txt"
    if not path.is_file():
        raise ValueError(f"{directory}: no subtask-1-annotations.txt (expected the SemEval-2025 T10 layout)")
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 4:
                out[row[0]].append((int(row[2]), int(row[3]) + 1, row[1]))
    return out


def _repair(text: str, start: int, end: int, mention: str) -> tuple[int, int]:
    if text[start:end] == mention:
        return start, end
    hits = [i for i in range(len(text)) if text.startswith(mention, i)]
    best = min(hits, key=lambda i: abs(i - start), default=start)
    return best, best + len(mention)


def evaluate(directory: Path, limit: int | None = None) -> dict:
    """Coverage of annotated actor mentions by our mentions and by bare spaCy NER."""
    directory = Path(directory)
    gold = read_mentions(directory)
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    pipe = Pipeline.from_config([{"name": n, "config": {}} for n in ("spacy", "actors", "coref")])
    counts = {"mentions": 0, "ours_any": 0, "ours_names": 0, "spacy_ner": 0}
    docs = []
    for art in ids:
        path = directory / "raw-documents" / art
        if path.is_file():
            docs.append((art, Doc.from_text(path.read_text("utf-8"))))
    for art, doc in zip([a for a, _ in docs], pipe.pipe(d for _, d in docs), strict=True):
        if doc.error:
            continue
        text = doc.text
        ours = [(m.start, m.end, m.kind) for e in doc.analysis.entities for m in e.mentions]
        ner = [(e.start_char, e.end_char) for e in doc.nlp.ents if e.label_ in NER_LABELS]
        for start, end, mention in gold[art]:
            start, end = _repair(text, start, end, mention)
            counts["mentions"] += 1
            counts["ours_any"] += any(s < end and start < e for s, e, _ in ours)
            counts["ours_names"] += any(s < end and start < e for s, e, k in ours if k == "name")
            counts["spacy_ner"] += any(s < end and start < e for s, e in ner)
    n = counts["mentions"] or 1
    return {
        "documents": len(docs), "mentions": counts["mentions"],
        "coverage_actors_coref": round(counts["ours_any"] / n, 4),
        "coverage_actors_names": round(counts["ours_names"] / n, 4),
        "coverage_spacy_ner": round(counts["spacy_ner"] / n, 4),
    }
