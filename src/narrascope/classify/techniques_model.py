"""The statistical technique model: a token tagger finds persuasive spans, a span classifier names the technique.

Why this shape (measured against alternatives in docs/benchmarks.md, "Persuasion techniques"):

* **Span identification** is a binary token tagger (logistic regression, SGD) over hashed lexical features of a
  +/-3-word window *plus* a bag of the words of the whole sentence. The window catches short loaded words and
  epithets; the sentence bag lets it mark whole clauses for sentence-level techniques (doubt, fear appeals).
  Runs of tokens above a tuned probability threshold become spans.
* **Technique classification** is a multinomial logistic regression over hashed features of the span (words,
  bigrams, character n-grams, length, how often the span's words recur in the article — the cue for
  Repetition) and of its sentence context.

Both are linear models over ``FeatureHasher`` features: no vocabulary to store, a few MB on disk, and ~10-30 ms
per 800-word article on one core, with no spaCy or torch needed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.preprocessing import normalize

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
_SENT_END = {".", "!", "?"}
_QUOTES = {'"', "“", "”", "«", "»"}
_TRIM = {".", ",", ":", ";", '"', "“", "”", "'", "‘", "’", "(", ")", "-", "—", "–"}
SI_FEATURES = 2**18
TC_FEATURES = 2**16
WINDOW = 3


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    lower: str
    sentence: int
    quoted: bool


def tokenize(text: str) -> list[Token]:
    """Word/punctuation tokens with a sentence index (new line or sentence-final punctuation + capital) and
    whether the token sits inside quotation marks (tracked per line)."""
    tokens: list[Token] = []
    sentence, quoted, prev_end, prev_text = 0, False, 0, ""
    for m in _TOKEN.finditer(text):
        word = m.group()
        if tokens and ("\n" in text[prev_end : m.start()] or (prev_text in _SENT_END and word[:1].isupper())):
            sentence += 1
            if "\n" in text[prev_end : m.start()]:
                quoted = False
        if word in _QUOTES:
            quoted = word not in {"”", "»"} and not (word == '"' and quoted)
        tokens.append(Token(m.start(), m.end(), word, word.lower(), sentence, quoted))
        prev_end, prev_text = m.end(), word
    return tokens


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "XX"
    if word[:1].isupper():
        return "Xx"
    if word.isdigit():
        return "d"
    return "x" if word.isalpha() else "p"


def _content_counts(tokens: Sequence[Token]) -> Counter:
    return Counter(t.lower for t in tokens if t.lower.isalpha() and len(t.lower) > 3 and t.lower not in ENGLISH_STOP_WORDS)


def _sentence_ranges(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    ranges, start = [], 0
    for i in range(1, len(tokens) + 1):
        if i == len(tokens) or tokens[i].sentence != tokens[start].sentence:
            ranges.append((start, i))
            start = i
    return ranges


def token_features(tokens: Sequence[Token]) -> list[list[tuple[str, float]]]:
    """Hashed-feature input of the span tagger, one list of (name, value) pairs per token."""
    counts = _content_counts(tokens)
    rows: list[list[tuple[str, float]]] = []
    for lo, hi in _sentence_ranges(tokens):
        sent = tokens[lo:hi]
        bag = {f"S={t.lower}" for t in sent if t.lower.isalpha()}
        weight = 1.0 / math.sqrt(max(len(bag), 1))
        sent_feats = [(f, weight) for f in bag] + [(f"slen={min(len(sent) // 5, 12)}", 1.0)]
        for i, tok in enumerate(sent):
            f = [
                "bias", f"w={tok.lower}", f"shape={_shape(tok.text)}", f"suf={tok.lower[-3:]}",
                f"pos={min(i, 4)}", f"rpos={min(len(sent) - 1 - i, 4)}", f"q={tok.quoted}",
                f"rep={min(counts.get(tok.lower, 0), 4)}",
            ]
            for d in range(1, WINDOW + 1):
                f.append(f"w-{d}={sent[i - d].lower if i - d >= 0 else '<s>'}")
                f.append(f"w+{d}={sent[i + d].lower if i + d < len(sent) else '</s>'}")
            if i > 0:
                f.append(f"bi-={sent[i - 1].lower}|{tok.lower}")
            if i + 1 < len(sent):
                f.append(f"bi+={tok.lower}|{sent[i + 1].lower}")
            rows.append([(x, 1.0) for x in f] + sent_feats)
    return rows


def span_features(text: str, tokens: Sequence[Token], start: int, end: int, counts: Counter) -> list[tuple[str, float]]:
    """Hashed-feature input of the technique classifier for one span ``text[start:end]``."""
    inside = [t for t in tokens if t.start < end and t.end > start]
    sent_ids = {t.sentence for t in inside}
    context = [t for t in tokens if t.sentence in sent_ids and not (t.start < end and t.end > start)]
    words = [t.lower for t in inside]
    span_text = text[start:end].lower()
    feats: list[tuple[str, float]] = [("bias", 1.0)]
    feats += [(f"w={w}", 1.0) for w in set(words)]
    feats += [(f"b={a}|{b}", 1.0) for a, b in set(zip(words, words[1:]))]
    feats += [(f"c={t.lower}", 0.5) for t in context if t.lower.isalpha()]
    if words:
        feats += [(f"first={words[0]}", 1.0), (f"last={words[-1]}", 1.0)]
    grams = {span_text[i : i + n] for n in (3, 4, 5) for i in range(min(len(span_text), 120) - n + 1)}
    feats += [(f"g={g}", 0.3) for g in grams]
    content = [w for w in words if w in counts]
    feats += [
        (f"len={min(len(inside), 40) // 2}", 1.0),
        (f"nsent={min(len(sent_ids), 3)}", 1.0),
        (f"occ={min(text.lower().count(span_text), 5) if span_text else 0}", 1.0),
        (f"maxrep={min(max((counts[w] for w in content), default=0), 6)}", 1.0),
        (f"quoted={any(t.quoted for t in inside)}", 1.0),
        (f"excl={'!' in span_text}", 1.0),
        (f"ques={'?' in span_text}", 1.0),
        (f"caps={sum(t.text[:1].isupper() for t in inside) * 4 // max(len(inside), 1)}", 1.0),
    ]
    return feats


class TechniqueModel:
    """Span tagger + technique classifier; ``predict(text)`` gives ``(start, end, technique, confidence)``."""

    def __init__(self, tagger: SGDClassifier, classifier: LogisticRegression, threshold: float, meta: dict):
        self.tagger = tagger
        self.classifier = classifier
        self.threshold = threshold
        self.meta = meta
        self._si_hasher = FeatureHasher(SI_FEATURES, input_type="pair", alternate_sign=False)
        self._tc_hasher = FeatureHasher(TC_FEATURES, input_type="pair", alternate_sign=False)

    @property
    def classes(self) -> list[str]:
        return list(self.classifier.classes_)

    def token_probabilities(self, tokens: Sequence[Token]) -> np.ndarray:
        if not tokens:
            return np.zeros(0)
        return self.tagger.predict_proba(self._si_hasher.transform(token_features(tokens)))[:, 1]

    def find_spans(self, text: str, tokens: Sequence[Token] | None = None) -> list[tuple[int, int, float]]:
        """Persuasive spans ``(start, end, mean token probability)``: runs of tokens above the threshold within a
        sentence, trimmed of edge punctuation."""
        tokens = tokenize(text) if tokens is None else tokens
        probs = self.token_probabilities(tokens)
        spans, i = [], 0
        while i < len(tokens):
            if probs[i] < self.threshold:
                i += 1
                continue
            j = i
            while j + 1 < len(tokens) and probs[j + 1] >= self.threshold and tokens[j + 1].sentence == tokens[i].sentence:
                j += 1
            lo, hi = i, j
            while lo <= hi and tokens[lo].text in _TRIM:
                lo += 1
            while hi >= lo and tokens[hi].text in _TRIM:
                hi -= 1
            if lo <= hi:
                spans.append((tokens[lo].start, tokens[hi].end, float(probs[lo : hi + 1].mean())))
            i = j + 1
        return spans

    def classify_spans(self, text: str, spans: Iterable[tuple[int, int]], tokens: Sequence[Token] | None = None) -> np.ndarray:
        """Technique probabilities (columns = ``self.classes``) for given spans."""
        spans = list(spans)
        if not spans:
            return np.zeros((0, len(self.classes)))
        tokens = tokenize(text) if tokens is None else tokens
        counts = _content_counts(tokens)
        X = self._tc_hasher.transform(span_features(text, tokens, s, e, counts) for s, e in spans)
        return self.classifier.predict_proba(normalize(X))

    def predict(self, text: str) -> list[tuple[int, int, str, float]]:
        """Labelled spans. A span gets its best technique, plus the runner-up when that is nearly as likely
        (techniques often co-occur on one span, e.g. loaded language inside name-calling)."""
        tokens = tokenize(text)
        found = self.find_spans(text, tokens)
        probs = self.classify_spans(text, [(s, e) for s, e, _ in found], tokens)
        out = []
        for (start, end, p_span), row in zip(found, probs, strict=True):
            order = np.argsort(-row)
            for rank, j in enumerate(order[:2]):
                if rank == 0 or row[j] >= self.meta.get("second_label_min", 0.35):
                    out.append((start, end, self.classes[j], round(p_span * float(row[j]), 4)))
        return out


def fit(
    si_docs: Sequence[tuple[str, Sequence[tuple[int, int]]]],
    tc_docs: Sequence[tuple[str, Sequence[tuple[int, int, str]]]],
    threshold: float = 0.5,
    seed: int = 0,
) -> TechniqueModel:
    """Train both parts: the tagger on ``(text, spans)`` documents, the classifier on labelled spans."""
    si_hasher = FeatureHasher(SI_FEATURES, input_type="pair", alternate_sign=False)
    tc_hasher = FeatureHasher(TC_FEATURES, input_type="pair", alternate_sign=False)
    blocks, y = [], []
    for text, spans in si_docs:
        tokens = tokenize(text)
        if tokens:  # hashed per document: the feature lists of a whole corpus would take gigabytes
            blocks.append(si_hasher.transform(token_features(tokens)))
            y.extend(any(t.start < e and t.end > s for s, e in spans) for t in tokens)
    tagger = SGDClassifier(loss="log_loss", alpha=2e-6, max_iter=15, tol=None, random_state=seed)
    tagger.fit(sparse.vstack(blocks).tocsr(), np.array(y, dtype=int))

    feats, labels = [], []
    for text, spans in tc_docs:
        tokens = tokenize(text)
        counts = _content_counts(tokens)
        for s, e, tech in spans:
            feats.append(span_features(text, tokens, s, e, counts))
            labels.append(tech)
    classifier = LogisticRegression(C=10.0, max_iter=300, random_state=seed)
    classifier.fit(normalize(tc_hasher.transform(feats)), labels)
    # float32 halves the file; the probability difference is far below the decision thresholds.
    classifier.coef_ = classifier.coef_.astype(np.float32)
    tagger.coef_ = tagger.coef_.astype(np.float32)
    return TechniqueModel(tagger, classifier, threshold, {"n_tagger_tokens": len(y), "n_classifier_spans": len(labels)})
