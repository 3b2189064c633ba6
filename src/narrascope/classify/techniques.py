"""Persuasion techniques on text spans: the ``techniques`` component, model loading and training.

The component fills ``analysis.techniques`` (one ``TechniqueSpan`` per span and technique, SemEval-2023 Task 3
names) and ``analysis.technique_profile`` (occurrences per technique per 1,000 words). Spans come from two
sources merged together:

* the statistical model shipped in ``narrascope/models/techniques/`` (see ``techniques_model`` and its
  MODEL_CARD.md), trained by ``train_techniques`` / ``narrascope train techniques``;
* a small rule layer: the ``patterns`` of ``data/techniques.yaml``, for clear-cut wordings the model may miss.
  A rule match is added unless the model already marked an overlapping span with the same technique.

The evaluators (``narrascope.eval.techniques``, ``narrascope.eval.ptc``) score exactly this merged output.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import joblib
import numpy as np

from ..model import Span, TechniqueSpan
from ..pipeline import Doc, registry
from .techniques_data import (
    LabelledArticle,
    from_ptc,
    inventory,
    is_ptc,
    is_semeval2023,
    read_ptc,
    read_semeval2023,
)
from .techniques_model import TechniqueModel, fit

MODEL_FILE = "model.joblib"
RULE_CONFIDENCE = 0.9
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")

Labelled = tuple[int, int, str, float]


class TechniqueDetector:
    """The statistical model plus the pattern rules of ``data/techniques.yaml``."""

    def __init__(self, model: TechniqueModel, rules: bool = True):
        self.model = model
        self.rules = (
            [(re.compile(p, re.IGNORECASE), t.name) for t in inventory() for p in t.patterns] if rules else []
        )

    @property
    def classes(self) -> list[str]:
        return self.model.classes

    def classify_spans(self, text: str, spans: Iterable[tuple[int, int]]) -> np.ndarray:
        return self.model.classify_spans(text, spans)

    def predict(self, text: str) -> list[Labelled]:
        """``(start, end, technique, confidence)`` sorted by position."""
        found = self.model.predict(text)
        for pattern, tech in self.rules:
            for m in pattern.finditer(text):
                if not any(t == tech and s < m.end() and e > m.start() for s, e, t, _ in found):
                    found.append((m.start(), m.end(), tech, RULE_CONFIDENCE))
        return sorted(found)


@cache
def _load(path: str, rules: bool) -> TechniqueDetector:
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(
            f"no technique model at {file}: train one with `narrascope train techniques DIR... --out DIR`"
        )
    return TechniqueDetector(joblib.load(file), rules=rules)


def default_model_dir() -> Path:
    return Path(str(resources.files("narrascope.models").joinpath("techniques")))


def load_model(path: Path | str | None = None, rules: bool = True) -> TechniqueDetector:
    """The detector over the model in ``path`` (a directory or the .joblib file); default: the shipped one."""
    path = Path(path) if path is not None else default_model_dir()
    if path.is_dir():
        path = path / MODEL_FILE
    return _load(str(path.resolve()), rules)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def technique_profile(text: str, spans: Sequence[Labelled]) -> dict[str, float]:
    """Occurrences of each technique per 1,000 words of ``text``."""
    words = word_count(text)
    if not words:
        return {}
    counts = Counter(tech for _, _, tech, _ in spans)
    return {tech: round(n * 1000 / words, 2) for tech, n in sorted(counts.items())}


class TechniquesComponent:
    """Pipeline component: fills ``analysis.techniques`` and ``analysis.technique_profile``."""

    english_only = True

    def __init__(self, model: str | None = None, rules: bool = True):
        self.detector = load_model(model, rules=rules)
        digest = hashlib.sha256(json.dumps(self.detector.model.meta, sort_keys=True, default=str).encode())
        self.version = f"{digest.hexdigest()[:8]}{'+rules' if rules else ''}"

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        spans = self.detector.predict(text)
        doc.analysis.techniques = [
            TechniqueSpan(span=Span.of(text, s, e), technique=tech, confidence=conf) for s, e, tech, conf in spans
        ]
        doc.analysis.technique_profile = technique_profile(text, spans)
        return doc


@registry.components.register("techniques")
def make_techniques(model: str | None = None, rules: bool = True) -> TechniquesComponent:
    """``model``: a directory or .joblib file (default: shipped model); ``rules``: merge the yaml patterns."""
    return TechniquesComponent(model=model, rules=rules)


def _training_articles(dirs: Sequence[Path]) -> tuple[list[LabelledArticle], list[LabelledArticle], set[str]]:
    """Train splits of every given corpus, as (SI-style docs, technique-labelled docs in 2023 names, dev ids).

    Articles whose id is in the dev split of ANY given corpus are dropped: SemEval-2023 T3 English train re-uses
    the PTC dev articles, and evaluation numbers must come from a model that never saw the evaluated text.
    """
    si_docs, tc_docs, dev_ids = [], [], set()
    for directory in dirs:
        directory = Path(directory)
        if is_semeval2023(directory):
            train = read_semeval2023(directory, "train")
            dev_ids |= {p.stem[len("article"):] for p in directory.glob("dev-articles-subtask-3/article*.txt")}
            si_docs += train
            tc_docs += train
        elif is_ptc(directory):
            train = read_ptc(directory, "train")
            dev_ids |= {p.stem[len("article"):] for p in directory.glob("dev/dev-articles/article*.txt")}
            si_docs += train
            tc_docs += [
                LabelledArticle(a.id, a.text, [(s, e, from_ptc(t)) for s, e, t in a.spans if from_ptc(t)])
                for a in train
            ]
        else:
            raise ValueError(f"{directory}: neither a SemEval-2023 T3 folder nor a PTC folder")
    keep = [a for a in si_docs if a.id not in dev_ids], [a for a in tc_docs if a.id not in dev_ids]
    return keep[0], keep[1], dev_ids


def _tune_threshold(si_docs: list[LabelledArticle], tc_docs: list[LabelledArticle], seed: int) -> dict[str, float]:
    """Pick the tagger threshold that maximises SI F1 on 20% of the training articles (by id)."""
    from ..eval.ptc import si_score

    ids = sorted({a.id for a in si_docs})
    random.Random(seed).shuffle(ids)
    held = set(ids[: max(1, len(ids) // 5)])
    model = fit(
        [(a.text, [(s, e) for s, e, _ in a.spans]) for a in si_docs if a.id not in held],
        [(a.text, a.spans) for a in tc_docs if a.id not in held],
        seed=seed,
    )
    gold = {a.id: [(s, e) for s, e, _ in a.spans] for a in si_docs if a.id in held}
    texts = {a.id: a.text for a in si_docs if a.id in held}
    best = {}
    for threshold in np.arange(0.15, 0.65, 0.05):
        model.threshold = float(threshold)
        pred = {aid: [(s, e) for s, e, _ in model.find_spans(texts[aid])] for aid in texts}
        f1 = si_score(pred, gold)["f1"]
        if f1 > best.get("si_f1", -1):
            best = {"threshold": round(float(threshold), 2), "si_f1": f1}
    return best


def train_techniques(dirs: list[Path], out: Path, seed: int = 0) -> dict:
    """Train the technique model on the train splits of SemEval-2023 T3 (EN) and/or PTC folders.

    Writes ``out/model.joblib`` and ``out/training.json``; returns the training summary.
    """
    si_docs, tc_docs, dev_ids = _training_articles(dirs)
    if not tc_docs or not any(a.spans for a in tc_docs):
        raise ValueError("no labelled training articles found in " + ", ".join(map(str, dirs)))
    tuned = _tune_threshold(si_docs, tc_docs, seed)
    model = fit(
        [(a.text, [(s, e) for s, e, _ in a.spans]) for a in si_docs],
        [(a.text, a.spans) for a in tc_docs],
        threshold=tuned["threshold"],
        seed=seed,
    )
    summary = {
        "sources": [str(d) for d in dirs],
        "n_articles": len({a.id for a in si_docs}),
        "n_excluded_dev_articles": len(dev_ids),
        "threshold": tuned["threshold"],
        "held_out_si_f1": round(tuned["si_f1"], 4),
        "seed": seed,
        **model.meta,
    }
    model.meta = summary
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out / MODEL_FILE, compress=3)
    (out / "training.json").write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    _load.cache_clear()
    return summary
