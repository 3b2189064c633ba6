"""Narrative classification scored with the official SemEval-2025 Task 10 subtask-2 metric.

Official definition (the organisers' scorer): for each document, one-hot encode the gold and the
predicted labels over the official class list (labels outside it are dropped), take the binary F1 of
that document (0 when both are empty), and average over documents — "F1-samples". Fine = sub-narrative
labels (incl. ``<narrative>: Other`` and ``Other``), coarse = narrative labels (incl. ``Other``).
Unlike the reference script, documents are paired by id, not by file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold

from ..classify import semeval
from ..classify.narratives import NarrativeModel
from ..classify.taxonomy import NarrativeTaxonomy


def f1_samples(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], classes: set[str]) -> float:
    """Mean per-document F1 (the official ST2 F1-samples)."""
    return float(np.mean(per_document_f1(gold, pred, classes))) if gold else 0.0


def per_document_f1(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], classes: set[str]) -> list[float]:
    scores = []
    for g, p in zip(gold, pred, strict=True):
        g, p = set(g) & classes, set(p) & classes
        tp = len(g & p)
        scores.append(2 * tp / (len(g) + len(p)) if tp else 0.0)
    return scores


def score(docs: Sequence[semeval.Document], preds: dict, taxonomy: NarrativeTaxonomy) -> dict:
    """Fine and coarse F1-samples of ``preds`` (doc id -> Prediction) against the gold of ``docs``."""
    missing = [d.id for d in docs if d.id not in preds]
    if missing:
        raise ValueError(f"no prediction for {len(missing)} documents, e.g. {missing[0]}")
    out = {}
    for level in ("fine", "coarse"):
        gold = [d.subnarratives if level == "fine" else d.narratives for d in docs]
        out[f"f1_samples_{level}"] = f1_samples(gold, [preds[d.id].labels(level) for d in docs], taxonomy.scored(level))
    out["n_docs"] = len(docs)
    return out


def evaluate(path: str | Path, model: str | Path | None = None) -> dict:
    """Score a trained model (default: the shipped one) on a SemEval-2025 Task 10 layout folder."""
    from ..classify.base import shipped_model_dir

    nm = NarrativeModel.load(model or shipped_model_dir("narratives"))
    docs = [d for d in semeval.read_dir(path).values() if d.has_narratives]
    if not docs:
        raise ValueError(f"{path}: no documents with subtask-2 annotations")
    preds = dict(zip([d.id for d in docs], nm.predict([d.text for d in docs]), strict=True))
    return score(docs, preds, nm.taxonomy)


def cross_validate(dirs: Iterable[str | Path], folds: int = 5, seed: int = 0,
                   taxonomy: str | Path | None = None, **params) -> dict:
    """k-fold CV through the same ``NarrativeModel.fit`` / ``predict`` path the shipped model uses.

    Returns the mean and standard deviation over folds of each metric.
    """
    tax = NarrativeTaxonomy.load(taxonomy)
    docs = [d for d in semeval.read_dirs(list(dirs)).values() if d.has_narratives]
    per_fold = []
    for tr, te in KFold(folds, shuffle=True, random_state=seed).split(docs):
        model = NarrativeModel(tax, **params).fit([docs[i] for i in tr], seed=seed)
        test = [docs[i] for i in te]
        preds = dict(zip([d.id for d in test], model.predict([d.text for d in test]), strict=True))
        per_fold.append(score(test, preds, tax))
    return summarize(per_fold, ["f1_samples_fine", "f1_samples_coarse"]) | {"n_docs": len(docs)}


def summarize(per_fold: list[dict], metrics: list[str]) -> dict:
    """Flat mean and standard deviation over folds of each metric (what the CLI prints)."""
    out: dict = {"folds": len(per_fold)}
    for m in metrics:
        vals = np.array([f[m] for f in per_fold])
        out[f"{m}_mean"] = round(float(vals.mean()), 4)
        out[f"{m}_std"] = round(float(vals.std()), 4)
    return out
