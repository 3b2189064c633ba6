"""Persuasion techniques on text spans: the ``techniques`` component, model loading and training.

The component fills ``analysis.techniques`` (one ``TechniqueSpan`` per span and technique, SemEval-2023 Task 3
names) and ``analysis.technique_profile`` (occurrences per technique per 1,000 words). Spans come from two
sources merged together:

* the statistical model shipped in ``narrascope/models/techniques/`` (see ``techniques_model`` and its
  MODEL_CARD.md; its sentence classifier is helped by static MiniLM wordpiece vectors, a lookup), trained by
  ``train_techniques`` / ``narrascope train techniques``; or, with the component
  option ``sentence_vectors: true``, the opt-in "accurate" model in ``models/techniques/accurate/`` that also
  embeds every sentence with MiniLM (better paragraph and SI scores, ~9x slower: ~0.55 s per 800-word
  article; trained with ``--sentence-vectors``);
* a small rule layer: the ``patterns`` of ``data/techniques.yaml``, for clear-cut wordings the model may miss.
  A rule match is added unless the model already marked an overlapping span with the same technique.

The evaluators (``narrascope.eval.techniques``, ``narrascope.eval.ptc``) score exactly this merged output.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import joblib
import numpy as np
from rich.progress import track
from scipy import sparse

from ..model import Span, TechniqueSpan
from ..pipeline import Doc, registry
from .techniques_data import (
    LabelledArticle,
    article_id,
    from_ptc,
    inventory,
    is_ptc,
    is_semeval2023,
    read_ptc,
    read_semeval2023,
)
from .techniques_model import Features, TechniqueModel, featurize, fit, piece_clusters, tokenize

MODEL_FILE = "model.joblib"
ACCURATE_DIR = "accurate"  # sub-directory of the shipped model directory holding the accurate model
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
        lowered = text.lower()
        return sorted(
            (*_balanced(text, s, e), tech, conf) for s, e, tech, conf in found
            if tech != "Repetition" or lowered.count(" ".join(text[s:e].lower().split())) >= 2
        )  # a "repetition" said once ("independently") is none


_PAIRS = (("“", "”"), ("«", "»"))
_REACH = 150  # how far a span may grow to take in its quotation's other mark, within the paragraph


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to its quotation's other mark when it holds one without the other ('war was “in a
    stalemate' -> 'war was “in a stalemate”'), if that mark is near and in the same paragraph; else unchanged."""
    piece = text[start:end]
    for opening, closing in (*_PAIRS, ('"', '"')):
        if opening == closing:  # a straight quote opens before a word and closes after one
            if piece.count(opening) % 2 == 0:
                continue
            mark = start + piece.rfind(opening)
            if text[mark + 1 : mark + 2].strip() and not text[mark - 1 : mark].strip():
                after = text.find(opening, end, end + _REACH)
                if after != -1 and "\n" not in text[end:after]:
                    return start, after + 1
            else:
                before = text.rfind(opening, max(0, start - _REACH), start)
                if before != -1 and "\n" not in text[before:start]:
                    return before, end
        elif piece.count(opening) > piece.count(closing):
            after = text.find(closing, end, end + _REACH)
            if after != -1 and "\n" not in text[end:after]:
                return start, after + 1
        elif piece.count(closing) > piece.count(opening):
            before = text.rfind(opening, max(0, start - _REACH), start)
            if before != -1 and "\n" not in text[before:start]:
                return before, end
    return start, end


@cache
def _load(path: str, rules: bool) -> TechniqueDetector:
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(
            f"no technique model at {file}: train one with `narrascope train techniques DIR... --out DIR`"
        )
    return TechniqueDetector(joblib.load(file), rules=rules)


def default_model_dir(sentence_vectors: bool = False) -> Path:
    """The shipped model directory; ``sentence_vectors``: the accurate model's."""
    base = Path(str(resources.files("narrascope.models").joinpath("techniques")))
    return base / ACCURATE_DIR if sentence_vectors else base


def load_model(
    path: Path | str | None = None, rules: bool = True, sentence_vectors: bool = False
) -> TechniqueDetector:
    """The detector over the model in ``path`` (a directory or the .joblib file); default: the shipped one, or
    with ``sentence_vectors`` the shipped accurate one."""
    path = Path(path) if path is not None else default_model_dir(sentence_vectors)
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

    def __init__(self, model: str | None = None, rules: bool = True, sentence_vectors: bool = False):
        self.detector = load_model(model, rules=rules, sentence_vectors=sentence_vectors)
        if sentence_vectors and self.detector.model.sentence_vector_classifier is None:
            raise ValueError(
                f"techniques: sentence_vectors is on but the model at {model or default_model_dir(True)} has no "
                "sentence-vector classifier; "
                "train one with `narrascope train techniques DIR... --sentence-vectors --out DIR`"
            )
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
def make_techniques(
    model: str | None = None, rules: bool = True, sentence_vectors: bool = False
) -> TechniquesComponent:
    """``model``: a directory or .joblib file (default: shipped model); ``rules``: merge the yaml patterns;
    ``sentence_vectors``: the accurate mode (default model: ``models/techniques/accurate``), MiniLM on every
    sentence — off by default because it costs ~7 ms per sentence, over the 100 ms per-article budget."""
    return TechniquesComponent(model=model, rules=rules, sentence_vectors=sentence_vectors)


@dataclass
class _Record:
    """One training article of one corpus: spans for the tagger and spans with 2023 technique names."""

    si: LabelledArticle
    tc: LabelledArticle
    corpus: str  # "semeval2023" or "ptc"


def _training_articles(dirs: Sequence[Path]) -> tuple[list[_Record], set[str], list[dict]]:
    """Train splits of every given corpus, the ids of their dev articles, and what was read from each folder
    (corpus, folder name, article count: no absolute paths, so the summary can be committed). A PTC span whose
    class merges several 2023 techniques keeps only its tagger role.

    Articles whose id is in the dev split of ANY given corpus are dropped: SemEval-2023 T3 English train re-uses
    the PTC dev articles, and evaluation numbers must come from a model that never saw the evaluated text.
    """
    records, dev_ids, sources = [], set(), []
    for directory in map(Path, dirs):
        if is_semeval2023(directory):
            dev_ids |= {article_id(p) for p in directory.glob("dev-articles-subtask-3/article*.txt")}
            read = [_Record(a, a, "semeval2023") for a in read_semeval2023(directory, "train")]
        elif is_ptc(directory):
            dev_ids |= {article_id(p) for p in directory.glob("dev/dev-articles/article*.txt")}
            read = [
                _Record(a, LabelledArticle(a.id, a.text, [(s, e, from_ptc(t)) for s, e, t in a.spans if from_ptc(t)]), "ptc")
                for a in read_ptc(directory, "train")
            ]
        else:
            raise ValueError(f"{directory}: neither a SemEval-2023 T3 folder nor a PTC folder")
        records += read
        sources.append({"corpus": read[0].corpus if read else "", "folder": directory.resolve().name, "split": "train"})
    records = [r for r in records if r.si.id not in dev_ids]
    for source in sources:
        source["n_articles"] = sum(r.corpus == source["corpus"] for r in records)
    return records, dev_ids, sources


def _tune_decoding(
    records: list[_Record], features: list[Features], seed: int, clusters: np.ndarray
) -> dict[str, float]:
    """Tune the decoding on 20% of the training articles (by id) with a model fitted on the other 80%:
    first ``vector_weight`` for technique accuracy on the held-out gold spans, then ``high`` for the tagger's SI
    F1 over all held-out annotations, then ``low``, ``min_confidence``, ``second_label_min``, ``sentence_min``
    and ``sentence_trim`` together for paragraph micro-F1 + macro-F1 on the held-out SemEval-2023 articles +
    SI F1 of the whole output on the held-out PTC articles. (Micro-F1 alone chose thresholds that drop the few
    correct rare-technique labels: held-out macro-F1 0.354 -> 0.326 for +0.015 micro; without the SI term the
    whole-sentence spans stay, SI precision ~0.23.)"""
    from ..eval.ptc import si_score
    from ..eval.techniques import paragraph_f1, paragraph_labels

    ids = sorted({r.si.id for r in records})
    random.Random(seed).shuffle(ids)
    held = set(ids[: max(1, len(ids) // 5)])
    model = fit([f for f in features if f.article_id not in held], seed=seed, clusters=clusters)
    spans = [f for f in features if f.article_id in held and f.span_X is not None]
    gold = np.array([label for f in spans for label in f.span_labels])
    lexical = model.classifier.predict_proba(sparse.vstack([f.span_X for f in spans]))
    vector = model.vector_classifier.predict_proba(np.vstack([f.span_V for f in spans]))
    best: dict[str, float] = {}
    for weight in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0):
        mixed = weight * vector + (1 - weight) * lexical
        accuracy = float((np.array(model.classes)[mixed.argmax(axis=1)] == gold).mean())
        if accuracy > best.get("held_out_tc_accuracy", -1):
            best = {"vector_weight": weight, "held_out_tc_accuracy": round(accuracy, 4)}
    model.decoding.update(vector_weight=best["vector_weight"])
    docs = [r for r in records if r.si.id in held]
    tokens = [tokenize(r.si.text) for r in docs]
    probs = [model.token_probabilities(t) for t in tokens]
    gold_si = {i: [(s, e) for s, e, _ in r.si.spans] for i, r in enumerate(docs)}
    best_si: dict[str, float] = {}
    for high in (0.3, 0.4, 0.5, 0.6, 0.7):
        for low in (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
            if low > high:
                continue
            model.decoding.update(high=high, low=low)
            pred = {i: [(s, e) for s, e, _ in model.find_spans(tokens[i], probs[i])] for i in range(len(docs))}
            f1 = si_score(pred, gold_si)["f1"]
            if f1 > best_si.get("held_out_si_f1", -1):
                best_si = {"high": high, "low": low, "held_out_si_f1": round(f1, 4)}
    para_docs = [i for i, r in enumerate(docs) if r.corpus == "semeval2023"]
    si_docs = [i for i, r in enumerate(docs) if r.corpus == "ptc"]
    gold_par = {(i, no): t for i in para_docs for no, t in paragraph_labels(docs[i].si.text, docs[i].si.spans).items()}
    best_par: dict[str, float] = {}
    for low in sorted({best_si["low"], 0.1, 0.2} - {x for x in (0.1, 0.2) if x > best_si["high"]}):
        model.decoding.update(high=best_si["high"], low=low)
        cands = {i: model.candidates(docs[i].si.text, tokens[i], probs[i]) for i in para_docs + si_docs}
        grid = itertools.product((0.05, 0.1, 0.2, 0.3), (0.35, 1.01), (0.15, 0.2, 0.25, 0.3), (0.0, 0.2, 0.35))
        for min_confidence, second, sentence_min, trim in grid:
            model.decoding.update(
                min_confidence=min_confidence, second_label_min=second, sentence_min=sentence_min, sentence_trim=trim
            )
            decoded = {i: model.decode(cands[i]) for i in cands}
            pred = {
                (i, no): t
                for i in para_docs
                for no, t in paragraph_labels(docs[i].si.text, [x[:3] for x in decoded[i]]).items()
            }
            f1 = paragraph_f1(gold_par, pred) if gold_par else {"micro_f1": 0.0, "macro_f1": 0.0}
            si = si_score({i: [x[:2] for x in decoded[i]] for i in si_docs}, {i: gold_si[i] for i in si_docs})
            objective = f1["micro_f1"] + f1["macro_f1"] + (si["f1"] if si_docs else 0.0)
            if objective > best_par.get("objective", -1):
                best_par = {
                    "low": low,
                    "min_confidence": min_confidence,
                    "second_label_min": second,
                    "sentence_min": sentence_min,
                    "sentence_trim": trim,
                    "held_out_paragraph_micro_f1": round(f1["micro_f1"], 4),
                    "held_out_paragraph_macro_f1": round(f1["macro_f1"], 4),
                    "held_out_ptc_si_f1": round(si["f1"], 4),
                    "held_out_ptc_si_precision": round(si["precision"], 4),
                    "objective": objective,
                }
    best_par.pop("objective")
    best_si["held_out_si_tagger_low"] = best_si.pop("low")  # ``low`` is re-tuned with the rest
    return {**best, **best_si, **best_par}


def train_techniques(
    dirs: list[Path], out: Path | None = None, seed: int = 0, sentence_vectors: bool = False
) -> dict:
    """Train the technique model on the train splits of SemEval-2023 T3 (EN) and/or PTC folders.

    Writes ``out/model.joblib`` and ``out/training.json`` (default ``out``: the shipped model directory, or its
    ``accurate/`` sub-directory with ``sentence_vectors``); returns the training summary. ``sentence_vectors``
    adds the sentence-vector classifier, fitted on the SemEval-2023 sentences only (the measured gain came
    from them; PTC's merged classes leave many of its sentences without their 2023 label); without it the
    model gets the wordpiece sentence classifier instead, fitted on the same sentences.
    """
    records, dev_ids, sources = _training_articles(dirs)
    if not any(r.tc.spans for r in records):
        raise ValueError("no labelled training articles found in " + ", ".join(map(str, dirs)))
    vectors: dict[str, np.ndarray] = {}  # by span text: each distinct span is embedded once
    clusters = piece_clusters()
    features = [
        featurize(
            r.si.id, r.si.text, [(s, e) for s, e, _ in r.si.spans], r.tc.spans, vectors,
            sentence_vectors=sentence_vectors and r.corpus == "semeval2023",
            sentence_pieces=not sentence_vectors and r.corpus == "semeval2023",
            clusters=clusters,
        )
        for r in track(records, description="featurising", transient=True)
    ]
    tuned = _tune_decoding(records, features, seed, clusters)
    decoding = {k: v for k, v in tuned.items() if not k.startswith("held_out")}
    model = fit(features, decoding=decoding, seed=seed, clusters=clusters)
    summary = {
        "sources": sources,
        "n_articles": len({r.si.id for r in records}),
        "n_excluded_dev_articles": len(dev_ids),
        **tuned,
        "seed": seed,
        "sentence_vectors": sentence_vectors,
        **model.meta,
    }
    model.meta = summary
    out = Path(out) if out is not None else default_model_dir(sentence_vectors)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out / MODEL_FILE, compress=3)
    (out / "training.json").write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    _load.cache_clear()
    return summary
