"""Article-level narratives and sub-narratives (SemEval-2025 Task 10 subtask 2, plus ST3-style explanations).

Model: TF-IDF (word and character n-grams) with logistic regressions — one for the *domain*
(URW / CC / a user's own, or ``Other``: no narrative at all), one per narrative, one per
sub-narrative (each learnt against its own domain's articles and the ``Other`` ones only) — and
*hierarchical decoding*, as the strongest SemEval systems did:

1. domain: the article pushes some narrative when ``1 - P(Other)`` clears the gate threshold
   (else it is ``Other``); its domain is the likeliest one. A dedicated gate is better at
   "no narrative" than the narratives' own probabilities (out-of-fold ROC AUC 0.84 vs 0.82 on EN train).
2. narratives of that domain: the likeliest one always (the gate said there is one), the others when
   they clear the narrative threshold. A narrative's score is the best of its own probability and its
   sub-narratives' (a confident sub-narrative is evidence for its parent).
3. sub-narratives of that domain that clear their threshold; each implies its narrative, and a
   narrative with none gets ``"<narrative>: Other"`` — so the coarse labels are exactly the parents
   of the fine ones.

The three thresholds are tuned on out-of-fold predictions for the official metric (samples-F1 on
fine labels, ties by coarse), so CV figures and the shipped model come from the same code path.

Evidence: the sentences whose own TF-IDF vector scores highest under the label's linear model. The
explanation of the dominant narrative is templated from that evidence (extractive, <= 80 words).

Output (``analysis.narratives``): one label per sub-narrative, sorted by confidence, highest first; a
label's confidence is its own probability (a ``<narrative>: Other`` label's is its narrative's score).
The first label is the dominant one and alone carries the explanation, which also says why the labels
are reported at all: the probability that the article pushes a narrative of the taxonomy against the
gate threshold, the label's probability against the threshold it cleared (or that it is the likeliest
narrative, which is kept below its threshold). An article pushing none gets the single label ``Other``
whose confidence is the probability of *no* narrative, and whose explanation names the likeliest
narrative with its probability, so a reader sees what almost matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from ..model import NarrativeLabel, Span
from ..pipeline import Doc, registry
from . import semeval
from .base import doc_sentences, load_model, save_model, shipped_model_dir, split_sentences, text_features
from .taxonomy import OTHER, NarrativeTaxonomy

KIND = "narratives"
VERSION = "2"
MIN_POSITIVES = 2  # a label seen fewer times in training is never predicted (but its narrative can be)
EXPLANATION_WORDS = 80
# Threshold grids (gate, narrative, sub-narrative); sub-narrative probabilities of rare labels stay low.
_GRIDS = (np.round(np.arange(0.40, 0.91, 0.05), 2), np.round(np.arange(0.20, 0.81, 0.05), 2),
          np.round(np.arange(0.05, 0.31, 0.05), 2))


@dataclass
class Prediction:
    """Decoded labels of one document with their probabilities (before evidence is attached)."""

    narratives: dict[str, float]
    subnarratives: dict[str, float]
    domain: str | None

    def labels(self, level: str) -> list[str]:
        """The document's label set in the official output format (``Other`` when empty)."""
        chosen = self.narratives if level == "coarse" else self.subnarratives
        return list(chosen) or [OTHER]


class NarrativeModel:
    """Vectorizer + domain (or Other), narrative and sub-narrative classifiers + three tuned thresholds."""

    def __init__(self, taxonomy: NarrativeTaxonomy, C: float = 8.0, max_word: int = 6000, max_char: int = 6000):
        self.taxonomy = taxonomy
        self.C = C
        self.max_word = max_word
        self.max_char = max_char
        self.thresholds = (0.5, 0.3, 0.15)  # gate, narrative, sub-narrative

    # --- training ------------------------------------------------------------------------------
    def fit(self, docs: Sequence[semeval.Document], tune_folds: int = 3, seed: int = 0) -> NarrativeModel:
        """Fit on labelled documents; thresholds come from ``tune_folds``-fold out-of-fold predictions."""
        docs = [d for d in docs if d.has_narratives]
        if len(docs) < 4:
            raise ValueError(f"need at least 4 documents with narrative annotations, got {len(docs)}")
        for d in docs:
            self.taxonomy.check(d.narratives + d.subnarratives)
        if tune_folds > 1 and len(docs) >= 2 * tune_folds:
            oof: list[tuple[dict, semeval.Document]] = []
            for tr, te in KFold(tune_folds, shuffle=True, random_state=seed).split(docs):
                inner = NarrativeModel(self.taxonomy, self.C, self.max_word, self.max_char)._fit([docs[i] for i in tr])
                probs = inner.probabilities([docs[i].text for i in te])
                oof += zip(probs, [docs[i] for i in te], strict=True)
            self.thresholds = self._tune(oof)
        return self._fit(docs)

    def _fit(self, docs: Sequence[semeval.Document]) -> NarrativeModel:
        self.features = text_features(self.max_word, self.max_char)
        X = self.features.fit_transform([d.text for d in docs])
        # Domain or Other; documents whose labels span two domains teach neither.
        doc_domains = [OTHER if d.subnarratives == [OTHER] else self._domain(d) for d in docs]
        known = [i for i, dom in enumerate(doc_domains) if dom]
        self.domains = sorted({doc_domains[i] for i in known})
        self.domain_clf = None
        if len(self.domains) > 1:
            self.domain_clf = LogisticRegression(C=self.C, max_iter=2000).fit(X[known], [doc_domains[i] for i in known])
        fine_sets = [set(d.subnarratives) for d in docs]
        coarse_sets = [set(d.narratives) for d in docs]
        # A label's classifier learns against the other articles of its domain and the `Other` ones,
        # not against the other domain's: decoding compares labels of the chosen domain only, so words
        # that merely separate URW from CC would be wasted weight; `Other` articles stay negatives so
        # that the topic alone does not make a label (docs/benchmarks.md, narratives v2.1).
        doc_label_domains = [{self.taxonomy.domain_of.get(x, OTHER) for x in s} for s in coarse_sets]
        self.labels: list[str] = []
        rows = []
        for label in [*self.taxonomy.narratives, *self.taxonomy.parent]:
            if label.endswith(": " + OTHER):
                continue  # decoded, not learnt: "<narrative>: Other" = narrative without confident sub-narrative
            sets = fine_sets if label in self.taxonomy.parent else coarse_sets
            y = np.array([label in s for s in sets])
            if y.sum() < MIN_POSITIVES:
                continue
            rows_of = np.array([bool(doms & {self.taxonomy.domain_of[label], OTHER}) for doms in doc_label_domains])
            if y[rows_of].all():  # no negative inside the domain: learn against every article instead
                rows_of[:] = True
            clf = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", dual=True)
            clf.fit(X[rows_of], y[rows_of])
            rows.append((clf.coef_[0], clf.intercept_[0]))
            self.labels.append(label)
        self.coef = np.array([r[0] for r in rows], dtype=np.float32).reshape(len(rows), X.shape[1])
        self.intercept = np.array([r[1] for r in rows], dtype=np.float32)
        return self

    def _domain(self, doc: semeval.Document) -> str | None:
        doms = {self.taxonomy.domain_of.get(x) for x in doc.narratives + doc.subnarratives} - {None}
        return doms.pop() if len(doms) == 1 else None

    def _tune(self, oof: list[tuple[dict, semeval.Document]]) -> tuple[float, float, float]:
        """The (gate, narrative, sub-narrative) thresholds maximising fine samples-F1, then coarse."""
        from ..eval.narratives import f1_samples

        best, best_score = self.thresholds, (-1.0, -1.0)
        for t in product(*_GRIDS):
            preds = [self.decode(p, t) for p, _ in oof]
            score = tuple(
                f1_samples([d.subnarratives if lvl == "fine" else d.narratives for _, d in oof],
                           [p.labels(lvl) for p in preds], self.taxonomy.scored(lvl))
                for lvl in ("fine", "coarse")
            )
            if score > best_score:
                best, best_score = tuple(float(x) for x in t), score
        return best

    # --- prediction ----------------------------------------------------------------------------
    def probabilities(self, texts: Sequence[str]) -> list[dict[str, Any]]:
        X = self.features.transform(texts)
        scores = X @ self.coef.T + self.intercept
        probs = 1.0 / (1.0 + np.exp(-np.asarray(scores)))
        if self.domain_clf is not None:
            dom = self.domain_clf.predict_proba(X)
            domains = [dict(zip(self.domain_clf.classes_, row, strict=True)) for row in dom]
        else:  # one class only (a single domain, without Other documents)
            domains = [{d: 1.0 for d in self.domains}] * len(texts)
        return [{"labels": dict(zip(self.labels, row, strict=True)), "domains": d} for row, d in zip(probs, domains, strict=True)]

    def decode(self, probs: dict[str, Any], thresholds: tuple[float, float, float] | None = None) -> Prediction:
        """Hierarchical decoding (module docstring): gate and domain, narratives, sub-narratives."""
        t_gate, t_narr, t_fine = thresholds or self.thresholds
        candidates = {k: v for k, v in probs["domains"].items() if k != OTHER}
        domain = max(candidates, key=candidates.get) if candidates else None
        p = probs["labels"]
        in_domain = {k: v for k, v in p.items() if domain is None or self.taxonomy.domain_of.get(k) == domain}
        scores = {k: v for k, v in in_domain.items() if k in self.taxonomy.narratives}
        for sub, v in in_domain.items():
            if sub in self.taxonomy.parent:
                parent = self.taxonomy.parent[sub]
                scores[parent] = max(scores.get(parent, 0.0), v)
        if not scores or 1.0 - probs["domains"].get(OTHER, 0.0) < t_gate:
            return Prediction({}, {}, domain)
        top = max(scores, key=scores.get)
        narrs = {k: v for k, v in scores.items() if v >= t_narr or k == top}
        subs = {k: v for k, v in in_domain.items() if k in self.taxonomy.parent and v >= t_fine}
        for sub in subs:
            narrs.setdefault(self.taxonomy.parent[sub], scores[self.taxonomy.parent[sub]])
        for narr, v in narrs.items():
            if not any(self.taxonomy.parent[s] == narr for s in subs):
                subs[f"{narr}: {OTHER}"] = v
        order = lambda d: dict(sorted(d.items(), key=lambda kv: -kv[1]))  # noqa: E731
        return Prediction(order(narrs), order(subs), domain)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.decode(p) for p in self.probabilities(texts)]

    def label(self, text: str, sentences: list[tuple[int, int]] | None = None, max_evidence: int = 2) -> list[NarrativeLabel]:
        """Predict one document: one NarrativeLabel per sub-narrative (incl. ``<narrative>: Other``)
        with evidence sentences; the first (dominant) one carries the explanation.

        A document with no confident narrative gets a single ``Other`` label whose evidence and
        explanation point at the closest narrative, so a reader can see what almost matched and why.
        """
        if not text.strip():
            return []
        probs = self.probabilities([text])[0]
        pred = self.decode(probs)
        sentences = sentences if sentences is not None else split_sentences(text)
        sent_scores = self._sentence_scores(text, sentences)
        if not pred.narratives:
            return [self._other(text, probs, pred.domain, sentences, sent_scores, max_evidence)]
        out = []
        for sub, conf in pred.subnarratives.items():
            narrative = self.taxonomy.parent[sub]
            out.append(
                NarrativeLabel(
                    label=sub,
                    narrative=narrative,
                    subnarrative=sub[len(narrative) + 2 :],
                    domain=self.taxonomy.domain_of.get(sub),
                    confidence=round(float(conf), 4),
                    evidence=self._evidence(text, sentences, sent_scores, [sub, narrative], max_evidence),
                )
            )
        # Highest confidence first (ties: the stronger narrative, then by name for a stable order), and the
        # explanation on that first label: a reader takes the top line for the dominant narrative.
        out.sort(key=lambda lab: (-lab.confidence, -pred.narratives[lab.narrative], lab.label))
        top = out[0]
        top.explanation = explain(top, self.taxonomy, self._decision(top, pred, probs))
        return out

    def _decision(self, label: NarrativeLabel, pred: Prediction, probs: dict[str, Any]) -> str:
        """Why the labels are reported, in numbers: label probabilities of this model are low (0.2 is
        common), which reads as "unlikely" unless the thresholds they cleared are given with them."""
        t_gate, t_narr, t_fine = self.thresholds
        gate = f"p={1.0 - probs['domains'].get(OTHER, 0.0):.2f} that it pushes a narrative, threshold {t_gate:.2f}"
        if label.subnarrative != OTHER:
            return f"Reported with {gate}; this sub-narrative p={label.confidence:.2f}, threshold {t_fine:.2f}."
        p = pred.narratives[label.narrative]
        why = f"threshold {t_narr:.2f}" if p >= t_narr else f"below the {t_narr:.2f} threshold but the likeliest"
        return f"Reported with {gate}; this narrative p={p:.2f}, {why}."

    def _other(self, text, probs, domain, sentences, sent_scores, max_evidence) -> NarrativeLabel:
        narr_p = {k: v for k, v in probs["labels"].items() if k in self.taxonomy.narratives}
        p_other = round(float(probs["domains"].get(OTHER, 0.0)), 4)  # the stored confidence: readers recompute
        # 1 - p from it ("p=0.46 that it pushes one" in the UI), and the explanation must say the same number
        if not narr_p:
            return NarrativeLabel(label=OTHER, narrative=OTHER, domain=domain, confidence=p_other)
        closest = max(narr_p, key=narr_p.get)
        evidence = self._evidence(text, sentences, sent_scores, [closest], max_evidence)
        label = NarrativeLabel(
            label=OTHER, narrative=OTHER, domain=domain, confidence=p_other, evidence=evidence,
        )
        name = closest.split(": ", 1)[-1]
        head = (f"No narrative of the taxonomy: p={1 - p_other:.2f} that the article pushes one, below the "
                f"{self.thresholds[0]:.2f} threshold. The likeliest is '{name}' (p={narr_p[closest]:.2f}).")
        label.explanation = _with_quotes(head.split(), evidence)
        return label

    def _sentence_scores(self, text: str, sentences: list[tuple[int, int]]) -> dict[str, np.ndarray]:
        """Score each sentence under each label's word-n-gram weights (character n-grams are left
        out: they are slow on many short texts and less readable as evidence)."""
        if not sentences:
            return {}
        word = self.features.transformer_list[0][1]
        S = word.transform([text[a:b] for a, b in sentences])
        scores = np.asarray(S @ self.coef[:, : S.shape[1]].T)
        return {label: scores[:, i] for i, label in enumerate(self.labels)}

    @staticmethod
    def _evidence(text, sentences, scores, labels, k) -> list[Span]:
        """Top-k sentences by the most specific label that has a model, in text order."""
        col = next((scores[lab] for lab in labels if lab in scores), None)
        if col is None or not len(sentences):
            return []
        top = [i for i in np.argsort(-col)[:k] if col[i] > 0] or [int(np.argmax(col))]
        return [Span.of(text, *sentences[i]) for i in sorted(top)]

    # --- persistence ---------------------------------------------------------------------------
    def save(self, out: Path) -> Path:
        return save_model({"kind": KIND, "version": VERSION, "taxonomy": self.taxonomy.to_dicts(),
                           "state": {k: v for k, v in self.__dict__.items() if k != "taxonomy"}}, out)

    @classmethod
    def load(cls, path: str | Path) -> NarrativeModel:
        obj = load_model(path, KIND, VERSION)
        model = cls.__new__(cls)
        model.__dict__.update(obj["state"])
        model.taxonomy = NarrativeTaxonomy.from_dicts(obj["taxonomy"])
        return model


def explain(label: NarrativeLabel, taxonomy: NarrativeTaxonomy, decision: str = "") -> str:
    """A SemEval ST3-style explanation (<= 80 words) built from the label and its evidence, after the
    ``decision`` sentence that says with which probabilities the label was reported."""
    name = label.narrative.split(": ", 1)[-1]
    what = label.subnarrative if label.subnarrative and label.subnarrative != OTHER else None
    head = f"The article advances the narrative '{name}'" + (f" ({what})" if what else "") + "."
    desc = taxonomy.descriptions.get(label.label) or taxonomy.descriptions.get(label.narrative, "")
    return _with_quotes(f"{head} {desc} {decision}".split(), label.evidence)


def _with_quotes(words: list[str], evidence: list[Span]) -> str:
    """Append the evidence sentences as quotes, cut so the whole stays within 80 words."""
    words = list(words)
    for i, span in enumerate(evidence):
        room = EXPLANATION_WORDS - len(words) - (2 if i == 0 else 0)
        if room < 5:
            break
        qwords = span.text.split()
        quote = " ".join(qwords[:room]) + ("…" if len(qwords) > room else "")
        # a sentence that quotes someone keeps its own double marks inside single ones ("…in the West.”’, not ”")
        opening, closing = ("‘", "’") if re.search("[“”\"]", quote) else ("“", "”")
        words += (["It", "says:"] if i == 0 else []) + f"{opening}{quote}{closing}".split()
    return " ".join(words[:EXPLANATION_WORDS])


# --- training entry point --------------------------------------------------------------------------

def train_narratives(dirs: Iterable[str | Path], out: str | Path | None = None, taxonomy: str | Path | None = None) -> dict:
    """Train on SemEval-2025 Task 10 layout folders and write the model directory (default: shipped)."""
    tax = NarrativeTaxonomy.load(taxonomy)
    docs = list(semeval.read_dirs(list(dirs)).values())
    model = NarrativeModel(tax).fit(docs)
    out = Path(out) if out else shipped_model_dir(KIND)
    path = model.save(out)
    return {
        "model": str(out),
        "n_docs": sum(d.has_narratives for d in docs),
        "n_labels": len(model.labels),
        "threshold_gate": model.thresholds[0],
        "threshold_narrative": model.thresholds[1],
        "threshold_subnarrative": model.thresholds[2],
        "size_kb": round(path.stat().st_size / 1024),
    }


# --- pipeline component ----------------------------------------------------------------------------

class NarrativesComponent:
    """Fills ``analysis.narratives``: labels, confidences, evidence sentences, one explanation."""

    english_only = True

    def __init__(self, model: str | None = None, taxonomy: str | list[str] | None = None, max_evidence: int = 2):
        self.model = NarrativeModel.load(model or shipped_model_dir(KIND))
        if taxonomy is not None:
            # A user's taxonomy must cover what the model predicts; it then supplies the descriptions.
            user = NarrativeTaxonomy.load(taxonomy)
            user.check(self.model.labels)
            self.model.taxonomy = user
        self.max_evidence = max_evidence
        self.version = f"{VERSION}-{Path(model).name if model else 'shipped'}"

    def __call__(self, doc: Doc) -> Doc:
        doc.analysis.narratives = self.model.label(doc.text, doc_sentences(doc), self.max_evidence)
        return doc


@registry.components.register("narratives")
def make_narratives(model: str | None = None, taxonomy: str | list[str] | None = None, max_evidence: int = 2) -> NarrativesComponent:
    return NarrativesComponent(model=model, taxonomy=taxonomy, max_evidence=max_evidence)
