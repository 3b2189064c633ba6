"""Evaluation on SemEval-2023 Task 3 (subtask 3, English) data.

* **Paragraph level** (the official ST3 metric): every non-empty line of an article is a paragraph with a set of
  techniques; micro- and macro-F1 over (paragraph, technique) decisions, computed like the official scorer
  (scikit-learn ``f1_score`` on binarised labels over the 23-name inventory, ``zero_division=1`` — so a technique
  that is neither in the gold nor predicted counts as F1 = 1 in the macro average). Our paragraph labels are
  derived from predicted spans: a paragraph gets every technique of a span that overlaps it.
* **span_f1** (ours; spans were not scored in the 2023 competition): the SemEval-2020 FLC partial-overlap F1 —
  the SI formula of ``eval.ptc`` applied per technique, so a predicted span earns credit only from gold spans
  of the same technique (same-technique overlaps merged first), sums pooled over techniques and articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

from ..classify.techniques_data import (
    paragraphs,
    read_semeval2023,
    read_semeval2023_paragraph_labels,
    technique_names,
)
from .ptc import merge_overlapping, overlap_credit, prf

Labelled = tuple[int, int, str]


def paragraph_f1(
    gold: Mapping[object, set[str]], pred: Mapping[object, set[str]], classes: list[str] | None = None
) -> dict[str, float]:
    """Official ST3 micro/macro F1. Keys are paragraphs; a paragraph missing from ``pred`` predicts nothing."""
    classes = classes or technique_names()
    keys = list(gold)
    mlb = MultiLabelBinarizer(classes=classes)
    y_true = mlb.fit_transform([sorted(gold[k] & set(classes)) for k in keys])
    y_pred = mlb.transform([sorted(pred.get(k, set()) & set(classes)) for k in keys])
    return {
        "micro_f1": float(f1_score(y_true, y_pred, average="micro", zero_division=1)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=1)),
    }


def span_score(pred: Mapping[str, Iterable[Labelled]], gold: Mapping[str, Iterable[Labelled]]) -> dict[str, float]:
    """Technique-matched partial-overlap precision/recall/F1 over articles (``article id -> spans``)."""
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for aid in set(pred) | set(gold):
        p_by, g_by = _by_technique(pred.get(aid, ())), _by_technique(gold.get(aid, ()))
        for tech in set(p_by) | set(g_by):
            p_spans, g_spans = merge_overlapping(p_by.get(tech, [])), merge_overlapping(g_by.get(tech, []))
            a, b = overlap_credit(p_spans, g_spans)
            p_num, r_num = p_num + a, r_num + b
            n_pred, n_gold = n_pred + len(p_spans), n_gold + len(g_spans)
    return prf(p_num, n_pred, r_num, n_gold)


def _by_technique(spans: Iterable[Labelled]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for start, end, tech in spans:
        out[tech].append((start, end))
    return out


def paragraph_labels(text: str, spans: Iterable[Labelled]) -> dict[int, set[str]]:
    """Techniques per paragraph number, from the spans that overlap each paragraph."""
    spans = list(spans)
    return {
        no: {tech for s, e, tech in spans if s < end and e > start} for no, start, end in paragraphs(text)
    }


def evaluate(directory: Path, split: str = "dev", model=None) -> dict[str, float]:
    """Score the technique model on a SemEval-2023 T3 split.

    Returns ``{"paragraph_micro_f1", "paragraph_macro_f1", "span_f1", "span_precision", "span_recall",
    "n_paragraphs", "n_articles"}``. ``model`` defaults to the shipped one.
    """
    from ..classify.techniques import load_model

    model = model or load_model()
    directory = Path(directory)
    articles = read_semeval2023(directory, split)
    gold_paragraphs = read_semeval2023_paragraph_labels(directory, split)
    pred_paragraphs: dict[tuple[str, int], set[str]] = {}
    pred_spans: dict[str, list[Labelled]] = {}
    for art in articles:
        spans = [(s, e, tech) for s, e, tech, _ in model.predict(art.text)]
        pred_spans[art.id] = spans
        for no, techs in paragraph_labels(art.text, spans).items():
            pred_paragraphs[(art.id, no)] = techs
    para = paragraph_f1(gold_paragraphs, pred_paragraphs)
    span = span_score(pred_spans, {a.id: a.spans for a in articles})
    return {
        "paragraph_micro_f1": para["micro_f1"],
        "paragraph_macro_f1": para["macro_f1"],
        "span_f1": span["f1"],
        "span_precision": span["precision"],
        "span_recall": span["recall"],
        "n_paragraphs": len(gold_paragraphs),
        "n_articles": len(articles),
    }
