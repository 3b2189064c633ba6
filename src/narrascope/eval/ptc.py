"""Evaluation on the SemEval-2020 Task 11 Propaganda Techniques Corpus (PTC), following the task's definitions.

* **SI** (span identification): precision and recall with partial credit for character overlap, as the official
  ``task-SI_scorer.py``. Overlapping spans are first merged (gold always; predictions too, as with its ``-m``
  flag). With predicted spans ``S`` and gold spans ``T``::

      P = sum_{s in S} sum_{t in T} |s & t| / |s|  /  |S|
      R = sum_{s in S} sum_{t in T} |s & t| / |t|  /  |T|

  summed over all articles before dividing; F1 = 2PR/(P+R), and 1.0 when both sides are empty.
* **TC** (technique classification): the gold spans are given and the model labels each one; micro-F1 over
  the span labels (equal to accuracy, since there is one prediction per gold label). When the same span carries
  k gold techniques the model answers its k best, and matching is order-free, as in the official scorer.
  The model speaks the SemEval-2023 inventory; its probabilities are summed into PTC's 14 classes through the
  ``ptc`` field of ``data/techniques.yaml`` (2023 names without a PTC counterpart are never answered).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ..classify.techniques_data import inventory, read_ptc, read_ptc_si

Interval = tuple[int, int]


def merge_overlapping(spans: Iterable[Interval]) -> list[Interval]:
    """Union of character intervals: overlapping (not merely touching) spans become one, as the scorer does."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def overlap_credit(pred: Sequence[Interval], gold: Sequence[Interval]) -> tuple[float, float]:
    """The SI numerators for one article: (sum |s&t|/|s|, sum |s&t|/|t|) over all pairs."""
    p_num = r_num = 0.0
    for ps, pe in pred:
        for gs, ge in gold:
            inter = min(pe, ge) - max(ps, gs)
            if inter > 0:
                p_num += inter / (pe - ps)
                r_num += inter / (ge - gs)
    return p_num, r_num


def prf(p_num: float, n_pred: int, r_num: float, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from the partial-credit sums, with the official scorer's conventions."""
    p = p_num / n_pred if n_pred else 0.0
    r = r_num / n_gold if n_gold else 0.0
    f1 = 1.0 if not n_pred and not n_gold else (2 * p * r / (p + r) if p > 0 and r > 0 else 0.0)
    return {"precision": p, "recall": r, "f1": f1}


def si_score(pred: dict[str, list[Interval]], gold: dict[str, list[Interval]]) -> dict[str, float]:
    """SI precision/recall/F1 over articles (``article id -> spans``); missing articles count as no spans."""
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for aid in set(pred) | set(gold):
        p_spans = merge_overlapping(pred.get(aid, []))
        g_spans = merge_overlapping(gold.get(aid, []))
        a, b = overlap_credit(p_spans, g_spans)
        p_num, r_num = p_num + a, r_num + b
        n_pred, n_gold = n_pred + len(p_spans), n_gold + len(g_spans)
    return prf(p_num, n_pred, r_num, n_gold)


def ptc_probabilities(probs: np.ndarray, classes: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Sum 2023-technique probabilities into PTC classes (columns in ``ptc_names`` order)."""
    ptc_of = {t.name: t.ptc for t in inventory()}
    ptc_names = sorted({p for p in ptc_of.values() if p})
    out = np.zeros((probs.shape[0], len(ptc_names)))
    for j, name in enumerate(classes):
        if ptc_of.get(name):
            out[:, ptc_names.index(ptc_of[name])] += probs[:, j]
    return out, ptc_names


def evaluate(directory: Path, split: str = "dev", model=None) -> dict[str, float]:
    """Score the technique model on a PTC split: ``{"si_f1", "si_precision", "si_recall", "tc_micro_f1", ...}``.

    ``model`` is a ``TechniqueModel``; by default the one shipped in ``narrascope/models/techniques``.
    """
    from ..classify.techniques import load_model

    model = model or load_model()
    directory = Path(directory)
    articles = read_ptc(directory, split)
    gold_si = read_ptc_si(directory, split)
    pred_si: dict[str, list[Interval]] = {}
    n_correct = n_gold = 0
    for art in articles:
        pred_si[art.id] = [(s, e) for s, e, _, _ in model.predict(art.text)]
        by_span: dict[Interval, list[str]] = defaultdict(list)
        for start, end, tech in art.spans:
            by_span[(start, end)].append(tech)
        if not by_span:
            continue
        spans = list(by_span)
        ptc_probs, ptc_names = ptc_probabilities(model.classify_spans(art.text, spans), model.classes)
        for row, span in zip(ptc_probs, spans, strict=True):
            wanted = by_span[span]
            best = [ptc_names[j] for j in np.argsort(-row)[: len(wanted)]]
            n_correct += sum((Counter(wanted) & Counter(best)).values())
            n_gold += len(wanted)
    si = si_score(pred_si, gold_si)
    return {
        "si_f1": si["f1"],
        "si_precision": si["precision"],
        "si_recall": si["recall"],
        "tc_micro_f1": n_correct / n_gold if n_gold else 1.0,
        "n_articles": len(articles),
        "n_tc_spans": n_gold,
    }
