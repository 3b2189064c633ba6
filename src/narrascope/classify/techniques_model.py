"""The statistical technique model: a token tagger finds persuasive spans, a span classifier names the technique,
a sentence classifier adds sentence-wide spans for techniques carried by a whole sentence.

Why this shape (variants and their scores: docs/benchmarks.md, "Persuasion techniques"):

* **Span identification** is a binary token tagger (logistic loss, SGD) over hashed lexical features of a
  +/-3-word window *plus* a bag of the words of the whole sentence. The window catches short loaded words and
  epithets; the sentence bag lets it mark whole clauses for sentence-level techniques (doubt, fear appeals).
  Spans grow from confident tokens over less confident neighbours (hysteresis thresholds, tuned). Since
  2026-11-29 it also reads word classes: k-means clusters (64 / 256 / 1,024) of the static MiniLM wordpiece
  vectors of the token and its two neighbours (``piece_clusters``, a lookup per WordPiece), so a loaded word it
  never saw in a span can borrow the weight of its cluster (held-out training articles: tagger SI F1 0.326 ->
  0.340; static window vectors in a separate folded linear model gave 0.338, both together 0.347).
* **Technique classification** is a one-vs-rest logistic model over hashed features of the span (words,
  bigrams, character n-grams, length, how often the span's words recur in the article — the cue for
  Repetition) and of its sentence context.
* **Sentence classification** (multi-label, one-vs-rest) recovers techniques the tagger misses because no
  few words carry them.
* **Span vectors**: a second technique classifier (multinomial logistic regression) reads the MiniLM vector
  of the span text (``narrascope.nlp.embeddings``); its probabilities are averaged with the lexical
  classifier's. Meaning transfers across topics where word features do not (held-out training spans: TC
  accuracy 0.565 -> 0.60). MiniLM costs ~2 ms CPU per short span, so at run time only the ``vector_top`` most
  probable tagger spans get vectors; gold-span classification (TC) embeds every span.
* **Sentence vectors** (opt-in "accurate" model only, trained with ``sentence_vectors=True``): a one-vs-rest
  logistic model on the MiniLM vector of *every* sentence, averaged with the lexical sentence classifier. It
  lifts paragraph and SI scores (dev paragraph micro-F1 0.239 -> 0.300, SI F1 0.274 -> 0.290) but costs
  ~7 ms per sentence, ~0.55 s per 800-word article against a 100 ms budget, so the default model has none.
* **Sentence wordpiece vectors** (the default model's stand-in for them): the same kind of classifier on the
  mean of *static* MiniLM vectors of the sentence's WordPieces (each piece run through MiniLM alone, once, at
  training time). A linear model of a mean is the mean of per-piece scores, so the model stores one score per
  WordPiece and technique (``PieceClassifier``) and costs ~5 ms per article, no transformer run. Embedding only
  the few most relevant sentences with the real MiniLM instead gained less for the same budget (held-out
  training articles, docs/benchmarks.md).

The first three are linear models over ``FeatureHasher`` features: no vocabulary to store, ~10 MB on disk, no
spaCy or torch needed; the MiniLM weights come from the shared embedder, not from this model file.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer, normalize

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
_SENT_END = {".", "!", "?"}
_WORDY = re.compile(r"\w")
_QUOTES = {'"', "“", "”", "«", "»"}
_TRIM = {".", ",", ":", ";", '"', "“", "”", "'", "‘", "’", "(", ")", "-", "—", "–"}
# What a reported technique span never starts or ends with: punctuation, brackets, conjunctions and prepositions
# ("… their counterparts for", "… stalemate” and that", "NATO Allies, ["), which the tagger's low extension
# threshold lets in. The span classifier still reads the untrimmed span (its training saw such spans); the
# output keeps to the words that carry the technique (held-out training articles, 2026-11-29: PTC SI F1 0.3386
# -> 0.3397, paragraph labels unchanged).
_EDGE = _TRIM | {"[", "]", "and", "or", "but", "for", "of", "to", "in", "on", "at", "by", "with", "from", "that",
                 "which", "as", "than", "into", "about"}
# What a reported span never ends with either, though it may start with one ("the sake of national unity"): a
# determiner or possessive left dangling where the tagger stopped ("… are opposed to a" before "ceasefire").
_TAIL = _EDGE | {"a", "an", "the", "this", "these", "those", "his", "her", "its", "their", "our", "my", "your"}
SI_FEATURES = 2**18
TC_FEATURES = 2**16
WINDOW = 3
CLUSTER_SIZES = (64, 256, 1024)  # k-means granularities of the static wordpiece vectors (tagger features)
CLUSTER_WINDOW = 1  # cluster features of the token and of its neighbours up to this distance


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


def token_features(tokens: Sequence[Token]) -> tuple[list[list[str]], list[list[tuple[str, float]]], list[int]]:
    """Input of the span tagger: local features per token, a bag of words per sentence, and each token's
    sentence row. The sentence bag is hashed once per sentence and added to its tokens' rows (see
    ``tagger_matrix``) instead of being repeated on every token."""
    counts = _content_counts(tokens)
    local: list[list[str]] = []
    bags: list[list[tuple[str, float]]] = []
    rows: list[int] = []
    for lo, hi in _sentence_ranges(tokens):
        sent = tokens[lo:hi]
        bag = {f"S={t.lower}" for t in sent if t.lower.isalpha()}
        weight = 1.0 / math.sqrt(max(len(bag), 1))
        bags.append([(f, weight) for f in bag] + [(f"slen={min(len(sent) // 5, 12)}", 1.0)])
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
            local.append(f)
            rows.append(len(bags) - 1)
    return local, bags, rows


_SI_LOCAL = FeatureHasher(SI_FEATURES, input_type="string", alternate_sign=False)
_SI_BAGS = FeatureHasher(SI_FEATURES, input_type="pair", alternate_sign=False)
_TC_HASHER = FeatureHasher(TC_FEATURES, input_type="pair", alternate_sign=False)
_SENT_HASHER = FeatureHasher(TC_FEATURES, input_type="string", alternate_sign=False)


def tagger_matrix(tokens: Sequence[Token], clusters: np.ndarray | None = None) -> sparse.csr_matrix:
    """One hashed feature row per token: its local features plus its sentence's bag of words, plus (with
    ``clusters``, see ``piece_clusters``) the wordpiece clusters of the token and its neighbours."""
    local, bags, rows = token_features(tokens)
    X = _SI_LOCAL.transform(local) + _SI_BAGS.transform(bags)[rows]
    if clusters is not None and tokens:
        X = X + cluster_features(tokens, clusters)
    return X.tocsr()


@cache
def piece_clusters() -> np.ndarray:
    """Cluster ids (one row per ``CLUSTER_SIZES`` entry, one column per WordPiece) of k-means over the static
    wordpiece vectors: word classes in the manner of Brown clusters, so the tagger generalises from "fanatic" to
    words it never saw in a technique span. They depend on MiniLM alone, not on any labelled data, so they ship
    beside its vocabulary (``models/minilm/piece_clusters.npy``, 180 kB, made by ``compute_piece_clusters``):
    training reads them instead of spending 1-3 min CPU on k-means, and every retraining gets the same classes."""
    with resources.as_file(resources.files("narrascope.models") / "minilm" / "piece_clusters.npy") as path:
        return np.load(path)


def compute_piece_clusters(seed: int = 0) -> np.ndarray:
    """The ``piece_clusters`` anew (needs ``wordpiece_table``; ~2-4 min CPU). Regenerate the shipped file with
    ``python -c "import numpy; from narrascope.classify.techniques_model import compute_piece_clusters as c;
    numpy.save('src/narrascope/models/minilm/piece_clusters.npy', c())"``."""
    from sklearn.cluster import MiniBatchKMeans

    table = wordpiece_table()
    return np.array(
        [MiniBatchKMeans(k, random_state=seed, n_init=3, batch_size=4096).fit_predict(table) for k in CLUSTER_SIZES],
        dtype=np.int16,
    )


@cache
def _word_tokenizer():
    """MiniLM's WordPiece tokenizer without the embedder's truncation, so that it takes a whole article in one call
    (~2 ms CPU; the embedder's padded batch of the article's words took ~5 ms)."""
    from tokenizers import BertWordPieceTokenizer

    return BertWordPieceTokenizer(str(resources.files("narrascope.models") / "minilm" / "vocab.txt"), lowercase=True)


@cache
def _cluster_columns(sizes: tuple[int, ...]) -> list[list[np.ndarray]]:
    """Hashed column of each feature "c{offset}={granularity}:{cluster}" ([offset][granularity][cluster])."""
    names = [
        [[f"c{d}={g}:{c}" for c in range(k)] for g, k in enumerate(sizes)]
        for d in range(-CLUSTER_WINDOW, CLUSTER_WINDOW + 1)
    ]
    flat = [name for per_d in names for per_k in per_d for name in per_k]
    columns = _SI_LOCAL.transform([[name] for name in flat]).indices
    out, i = [], 0
    for per_d in names:
        out.append([])
        for per_k in per_d:
            out[-1].append(columns[i : i + len(per_k)])
            i += len(per_k)
    return out


def cluster_features(tokens: Sequence[Token], clusters: np.ndarray) -> sparse.csr_matrix:
    """Tagger rows of the cluster features: for each token and each neighbour within ``CLUSTER_WINDOW`` (same
    sentence), the clusters of the neighbour's WordPieces, each weighted 1/pieces. Built as index arithmetic on
    precomputed hashed columns: the same matrix as hashing the feature names (tested), without building ~13,000
    strings per article."""
    # WordPieces never cross a token boundary (both split at spaces and punctuation), so the pieces of the
    # whole text, assigned by offset, are each token's pieces
    text = "".join(" " * (t.start - (tokens[i - 1].end if i else 0)) + t.text for i, t in enumerate(tokens))
    encoded = _word_tokenizer().encode(text, add_special_tokens=False)
    piece_ids = np.array(encoded.ids, dtype=np.int64)
    owner = np.searchsorted([t.start for t in tokens], [s for s, _ in encoded.offsets], side="right") - 1
    weight = 1.0 / np.bincount(owner, minlength=len(tokens))[owner]
    sentence = np.array([t.sentence for t in tokens])
    columns = _cluster_columns(tuple(int(ids.max()) + 1 for ids in clusters))
    rows, cols, vals = [], [], []
    for di, d in enumerate(range(-CLUSTER_WINDOW, CLUSTER_WINDOW + 1)):
        row = owner - d  # the token that sees this piece at offset d
        ok = (row >= 0) & (row < len(tokens))
        ok[ok] &= sentence[row[ok]] == sentence[owner[ok]]
        for k, ids in enumerate(clusters):
            rows.append(row[ok])
            cols.append(columns[di][k][ids[piece_ids[ok]]])
            vals.append(weight[ok])
    return sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(len(tokens), SI_FEATURES)
    )


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


def span_vectors(span_texts: Sequence[str]) -> np.ndarray:
    """MiniLM input of the vector classifier: the vector of each span's text. (The span's vector inside its
    sentence, alone or concatenated to this one, scored the same on held-out training spans and costs a whole
    sentence per span.)"""
    from ..nlp.embeddings import embedder

    return embedder().embed(list(span_texts))


def wordpiece_ids(texts: Sequence[str]) -> list[np.ndarray]:
    """MiniLM WordPiece ids of each text, without [CLS]/[SEP]/padding (truncated at the embedder's length)."""
    from ..nlp.embeddings import embedder

    return [
        np.array(e.ids, dtype=np.int64)[(np.array(e.attention_mask) == 1) & (np.array(e.special_tokens_mask) == 0)]
        for e in embedder().tokenizer.encode_batch(list(texts))
    ]


@cache
def wordpiece_table() -> np.ndarray:
    """A static embedding of every WordPiece: MiniLM's mean-pooled, L2-normalised vector of ``[CLS] piece [SEP]``.
    Training-time only (~25 s CPU for the 30,522 pieces); a trained model keeps only scores derived from it."""
    from ..nlp.embeddings import DIM, embedder

    session, tokenizer = embedder().session, embedder().tokenizer
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    n = tokenizer.get_vocab_size()
    table = np.zeros((n, DIM), dtype=np.float32)
    for first in range(0, n, 512):
        pieces = np.arange(first, min(n, first + 512))
        ids = np.column_stack([np.full_like(pieces, cls), pieces, np.full_like(pieces, sep)])
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        table[first : first + len(pieces)] = session.run(None, feeds)[0].mean(axis=1)
    return table / np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-9)


def wordpiece_means(texts: Sequence[str]) -> np.ndarray:
    """Input of the wordpiece sentence classifier at training time: the mean static vector of each text's pieces
    (not re-normalised, so that the classifier folds into per-piece scores)."""
    table = wordpiece_table()
    empty = np.zeros(table.shape[1], dtype=np.float32)
    return np.array([table[ids].mean(axis=0) if len(ids) else empty for ids in wordpiece_ids(texts)])


@dataclass
class PieceClassifier:
    """A one-vs-rest logistic model over ``wordpiece_means`` folded into one score per WordPiece and class:
    w . mean(v_i) + b = mean(w . v_i) + b, so prediction is a lookup, not an embedding."""

    scores: np.ndarray  # (vocabulary, classes)
    bias: np.ndarray  # (classes,)

    @classmethod
    def fold(cls, model: OneVsRestClassifier, table: np.ndarray) -> PieceClassifier:
        # a class constant in the training labels gets sklearn's weightless _ConstantPredictor: a saturated bias
        weights = [
            (e.coef_[0], e.intercept_[0])
            if hasattr(e, "coef_")
            else (np.zeros(table.shape[1]), 30.0 if e.y_[0] else -30.0)
            for e in model.estimators_
        ]
        coef = np.array([w for w, _ in weights])
        return cls((table @ coef.T).astype(np.float32), np.array([b for _, b in weights], dtype=np.float32))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        empty = np.zeros_like(self.bias)
        means = [self.scores[ids].mean(axis=0) if len(ids) else empty for ids in wordpiece_ids(texts)]
        return expit(np.array(means) + self.bias)


def ovr_probabilities(model: OneVsRestClassifier, X: sparse.csr_matrix) -> np.ndarray:
    """``model.predict_proba(X)`` of a one-vs-rest set of linear models, as one product per class: sklearn's own
    call validates the input once per class, ~4 ms of an article's budget for ~1 ms of arithmetic."""
    if not all(hasattr(e, "coef_") for e in model.estimators_):  # a class constant in training (tiny data)
        return model.predict_proba(X)
    return expit(np.column_stack([X @ e.coef_[0] + e.intercept_[0] for e in model.estimators_]))


def sentence_matrix(tokens: Sequence[Token]) -> tuple[sparse.csr_matrix, list[tuple[int, int]]]:
    """Input of the sentence classifier (words, bigrams, punctuation cues; one row per sentence) and each
    sentence's character extent."""
    feats, extents = [], []
    for lo, hi in _sentence_ranges(tokens):
        words = [t.lower for t in tokens[lo:hi]]
        feats.append(
            [f"w={w}" for w in words] + [f"b={a}|{b}" for a, b in zip(words, words[1:])]
            + [f"len={min(hi - lo, 60) // 6}", f"q={any(t.quoted for t in tokens[lo:hi])}"]
        )
        extents.append((tokens[lo].start, tokens[hi - 1].end))
    if not feats:
        return sparse.csr_matrix((0, TC_FEATURES)), []
    return normalize(_SENT_HASHER.transform(feats)), extents


# Decoding parameters; ``train_techniques`` tunes them on held-out training articles.
DEFAULT_DECODING = {
    "high": 0.5, "low": 0.3, "min_confidence": 0.0, "second_label_min": 1.01, "sentence_min": 1.01,
    "vector_weight": 0.5, "vector_top": 4, "sentence_vector_weight": 0.5, "sentence_trim": 0.0,
}  # fmt: skip

Candidate = tuple[int, int, float, np.ndarray]  # start, end, span probability, technique probabilities


def _edge_trimmed(tokens: Sequence[Token], starts: list[int], start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without its leading ``_EDGE`` and trailing ``_TAIL`` tokens, or None when nothing else is
    left (a lone "of" carries no technique); ``starts``: the tokens' start offsets, for bisection."""
    lo, hi = bisect_left(starts, start), bisect_left(starts, end) - 1
    while lo <= hi and tokens[lo].text.lower() in _EDGE:
        lo += 1
    while hi >= lo and tokens[hi].text.lower() in _TAIL:
        hi -= 1
    return (tokens[lo].start, tokens[hi].end) if lo <= hi else None


class Candidates(NamedTuple):
    spans: list[Candidate]  # from the tagger (trimmed of ``_EDGE`` words), probabilities from the span classifier
    sentences: list[Candidate]  # every sentence, technique probabilities from the sentence classifier
    words: list[np.ndarray]  # per sentence: (start, end, tagger probability, may end a span) rows of the tokens a
    # span may start on (not in ``_EDGE``); the last column is 0 for ``_TAIL`` words


def tagger_extent(start: int, end: int, words: np.ndarray, ratio: float) -> tuple[int, int]:
    """The part of a sentence ``[start, end)`` a sentence-level span covers: from its first to its last word whose
    tagger probability reaches ``ratio`` x the sentence's highest (``ratio`` 0: the whole sentence). Gold spans
    are mostly a few words (PTC: median 24 characters), so a whole sentence earns little SI precision."""
    if ratio <= 0 or not len(words):
        return start, end
    kept = words[words[:, 2] >= ratio * words[:, 2].max()]
    ends = kept[kept[:, 3] > 0]
    return int(kept[0, 0]), int((ends if len(ends) else kept)[-1, 1])


class TechniqueModel:
    """Span tagger + span classifier + sentence classifier; ``predict(text)`` gives
    ``(start, end, technique, confidence)``.

    Decoding (``self.decoding``): a span grows from tokens with probability >= ``high`` over neighbours
    >= ``low`` (hysteresis: precise seeds, fuller extent), within one sentence. Its confidence for a technique
    is span probability x technique probability; pairs below ``min_confidence`` are dropped. The runner-up
    technique is kept too when its probability reaches ``second_label_min``. Then a sentence span is added
    for a technique whose sentence-classifier probability reaches ``sentence_min`` when no span of that
    technique overlaps the sentence yet: this recovers sentence-level techniques (doubt, fear appeals,
    false dilemmas) whose cue is spread over the sentence rather than in a few words. The span is the part of
    the sentence the tagger rates highest (``tagger_extent`` with ratio ``sentence_trim``; 0: the whole
    sentence), so the paragraph label stays and span precision rises.

    Technique probabilities of a span are ``vector_weight`` x vector classifier + the rest x lexical classifier
    for the ``vector_top`` tagger spans of highest probability (the MiniLM budget), lexical alone for the others.
    With a ``sentence_vector_classifier`` (the accurate model), a sentence's probabilities are likewise
    ``sentence_vector_weight`` x its MiniLM-vector classifier + the rest x the lexical sentence classifier;
    without one, the ``sentence_piece_classifier`` (static wordpiece vectors) takes that place when present.
    """

    # Class defaults: models pickled before these existed unpickle without the attributes.
    sentence_vector_classifier: OneVsRestClassifier | None = None
    sentence_piece_classifier: PieceClassifier | None = None
    piece_clusters: np.ndarray | None = None  # the tagger's wordpiece clusters (``piece_clusters``)

    def __init__(
        self,
        tagger: SGDClassifier,
        classifier: SGDClassifier,
        vector_classifier: LogisticRegression,
        sentence_classifier: OneVsRestClassifier,
        decoding: dict,
        meta: dict,
        sentence_vector_classifier: OneVsRestClassifier | None = None,
        sentence_piece_classifier: PieceClassifier | None = None,
        piece_clusters: np.ndarray | None = None,
    ):
        self.tagger = tagger
        self.classifier = classifier
        self.vector_classifier = vector_classifier
        self.sentence_classifier = sentence_classifier
        self.sentence_vector_classifier = sentence_vector_classifier
        self.sentence_piece_classifier = sentence_piece_classifier
        self.piece_clusters = piece_clusters
        self.decoding = {**DEFAULT_DECODING, **decoding}
        self.meta = meta

    def __setstate__(self, state: dict) -> None:
        # a model pickled before a decoding parameter existed decodes with its default
        self.__dict__.update(state)
        self.decoding = {**DEFAULT_DECODING, **self.decoding}

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.classifier.classes_]

    def token_probabilities(self, tokens: Sequence[Token]) -> np.ndarray:
        if not tokens:
            return np.zeros(0)
        return self.tagger.predict_proba(tagger_matrix(tokens, self.piece_clusters))[:, 1]

    def find_spans(self, tokens: Sequence[Token], probs: np.ndarray) -> list[tuple[int, int, float]]:
        """Persuasive spans ``(start, end, mean token probability)``, trimmed of edge punctuation."""
        high, low = self.decoding["high"], self.decoding["low"]
        spans, i, floor = [], 0, 0
        while i < len(tokens):
            if probs[i] < high:
                i += 1
                continue
            lo = hi = i
            sentence = tokens[i].sentence
            while lo - 1 >= floor and probs[lo - 1] >= low and tokens[lo - 1].sentence == sentence:
                lo -= 1
            while hi + 1 < len(tokens) and probs[hi + 1] >= low and tokens[hi + 1].sentence == sentence:
                hi += 1
            i = floor = hi + 1
            while lo <= hi and tokens[lo].text in _TRIM:
                lo += 1
            while hi >= lo and tokens[hi].text in _TRIM:
                hi -= 1
            if lo <= hi:
                spans.append((tokens[lo].start, tokens[hi].end, float(probs[lo : hi + 1].mean())))
        return spans

    def classify_spans(
        self,
        text: str,
        spans: Iterable[tuple[int, int]],
        tokens: Sequence[Token] | None = None,
        vectors: Sequence[bool] | None = None,
    ) -> np.ndarray:
        """Technique probabilities (columns = ``self.classes``) for given spans: the lexical and vector
        classifiers averaged for the spans flagged in ``vectors`` (default: all), lexical alone for the rest."""
        spans = list(spans)
        if not spans:
            return np.zeros((0, len(self.classes)))
        tokens = tokenize(text) if tokens is None else tokens
        counts = _content_counts(tokens)
        X = _TC_HASHER.transform(span_features(text, tokens, s, e, counts) for s, e in spans)
        probs = self.classifier.predict_proba(normalize(X))
        chosen = np.flatnonzero(vectors) if vectors is not None else np.arange(len(spans))
        if len(chosen):
            weight = self.decoding["vector_weight"]
            V = span_vectors([text[spans[i][0] : spans[i][1]] for i in chosen])
            probs[chosen] = weight * self.vector_classifier.predict_proba(V) + (1 - weight) * probs[chosen]
        return probs

    def candidates(self, text: str, tokens: Sequence[Token] | None = None, probs: np.ndarray | None = None) -> Candidates:
        """Everything the decoder chooses from: tagger spans and sentences, with technique probabilities."""
        tokens = tokenize(text) if tokens is None else tokens
        probs = self.token_probabilities(tokens) if probs is None else probs
        found = self.find_spans(tokens, probs)
        top = set(np.argsort([-p for _, _, p in found], kind="stable")[: self.decoding["vector_top"]])
        rows = self.classify_spans(text, [(s, e) for s, e, _ in found], tokens, [i in top for i in range(len(found))])
        X, extents = sentence_matrix(tokens)
        sent_rows = ovr_probabilities(self.sentence_classifier, X) if extents else np.zeros((0, len(self.classes)))
        if extents and (self.sentence_vector_classifier is not None or self.sentence_piece_classifier is not None):
            weight = self.decoding["sentence_vector_weight"]
            sentences = [text[s:e] for s, e in extents]
            if self.sentence_vector_classifier is not None:
                vector_rows = self.sentence_vector_classifier.predict_proba(span_vectors(sentences))
            else:
                vector_rows = self.sentence_piece_classifier.predict_proba(sentences)
            sent_rows = weight * vector_rows + (1 - weight) * sent_rows
        # a "sentence" of bare punctuation carries no technique, whatever the bias terms say
        wordy = [i for i, (s, e) in enumerate(extents) if _WORDY.search(text, s, e)]
        ranges = _sentence_ranges(tokens)
        starts = [t.start for t in tokens]
        return Candidates(
            [(*kept, p, row) for (s, e, p), row in zip(found, rows, strict=True)
             if (kept := _edge_trimmed(tokens, starts, s, e)) is not None],
            [(*extents[i], 1.0, sent_rows[i]) for i in wordy],
            [
                np.array([(t.start, t.end, probs[k], t.text.lower() not in _TAIL) for k in range(*ranges[i])
                          if (t := tokens[k]).text.lower() not in _EDGE])
                .reshape(-1, 4)
                for i in wordy
            ],
        )

    def decode(self, candidates: Candidates) -> list[tuple[int, int, str, float]]:
        d, classes = self.decoding, self.classes
        out = []
        for start, end, p_span, row in candidates.spans:
            for rank, j in enumerate(np.argsort(-row)[:2]):
                confidence = p_span * float(row[j])
                if (rank == 0 or row[j] >= d["second_label_min"]) and confidence >= d["min_confidence"]:
                    out.append((start, end, classes[j], round(confidence, 4)))
        for (start, end, _, row), words in zip(candidates.sentences, candidates.words, strict=True):
            for j in np.flatnonzero(row >= d["sentence_min"]):
                tech = classes[j]
                if not any(t == tech and s < end and e > start for s, e, t, _ in out):
                    out.append((*tagger_extent(start, end, words, d["sentence_trim"]), tech, round(float(row[j]), 4)))
        return sorted(out)

    def predict(self, text: str) -> list[tuple[int, int, str, float]]:
        """Labelled spans ``(start, end, technique, confidence)``."""
        return self.decode(self.candidates(text))


@dataclass
class Features:
    """One training article, featurised once and reused by the tuning fit and the final fit."""

    article_id: str
    tagger_X: sparse.csr_matrix | None  # None when the article only carries technique labels
    tagger_y: np.ndarray | None
    span_X: sparse.csr_matrix | None
    span_V: np.ndarray | None  # MiniLM vectors of the labelled spans (``span_vectors``)
    span_labels: list[str]
    sentence_X: sparse.csr_matrix
    sentence_labels: list[set[str]]
    sentence_V: np.ndarray | None = None  # MiniLM vectors of the sentences, for the accurate model only
    sentence_P: np.ndarray | None = None  # ``wordpiece_means`` of the sentences, for the default model


def featurize(
    article_id: str,
    text: str,
    si_spans: Sequence[tuple[int, int]] | None,
    tc_spans: Sequence[tuple[int, int, str]],
    vectors: dict[str, np.ndarray] | None = None,
    sentence_vectors: bool = False,
    sentence_pieces: bool = False,
    clusters: np.ndarray | None = None,
) -> Features:
    """Tagger rows (token in any gold span or not), span-classifier rows and vectors (one per labelled span)
    and sentence rows (labelled with the techniques of the spans overlapping the sentence). ``vectors``: span
    vectors by span text (whitespace-normalised, which MiniLM does not see), shared across articles and filled
    in as computed: the two corpora annotate the same articles, and short spans recur. ``sentence_vectors``:
    also embed every sentence (input of the accurate model's sentence-vector classifier); ``sentence_pieces``:
    the sentences' ``wordpiece_means`` (input of the default model's wordpiece sentence classifier);
    ``clusters``: the ``piece_clusters`` the tagger rows get features of."""
    tokens = tokenize(text)
    tagger_X = tagger_y = span_X = span_V = None
    if si_spans is not None and tokens:
        tagger_X = tagger_matrix(tokens, clusters)
        tagger_y = np.array([any(t.start < e and t.end > s for s, e in si_spans) for t in tokens], dtype=int)
    if tc_spans:
        counts = _content_counts(tokens)
        span_X = normalize(_TC_HASHER.transform(span_features(text, tokens, s, e, counts) for s, e, _ in tc_spans))
        vectors = {} if vectors is None else vectors
        keys = [" ".join(text[s:e].split()) for s, e, _ in tc_spans]
        missing = sorted(set(keys) - set(vectors))
        vectors.update(zip(missing, span_vectors(missing)))
        span_V = np.array([vectors[k] for k in keys])
    sentence_X, extents = sentence_matrix(tokens)
    sentence_labels = [{t for s, e, t in tc_spans if s < hi and e > lo} for lo, hi in extents]
    sentences = [text[s:e] for s, e in extents]
    return Features(
        article_id, tagger_X, tagger_y, span_X, span_V, [t for _, _, t in tc_spans], sentence_X, sentence_labels,
        span_vectors(sentences) if sentence_vectors else None,
        wordpiece_means(sentences) if sentence_pieces and sentences else None,
    )


def _sgd(seed: int, alpha: float, epochs: int) -> SGDClassifier:
    # Logistic loss by SGD: seconds on this data, where L-BFGS or liblinear fits of the same model took minutes.
    return SGDClassifier(loss="log_loss", alpha=alpha, max_iter=epochs, tol=None, random_state=seed)


def fit(
    docs: Sequence[Features], decoding: dict | None = None, seed: int = 0, clusters: np.ndarray | None = None
) -> TechniqueModel:
    """Train the tagger, the span classifier and the sentence classifier on featurised articles; ``clusters``:
    the ``piece_clusters`` the articles were featurised with (kept in the model for the tagger's input)."""
    tagged = [d for d in docs if d.tagger_X is not None]
    labelled = [d for d in docs if d.span_X is not None]
    tagger = _sgd(seed, 2e-6, 15)
    tagger.fit(sparse.vstack([d.tagger_X for d in tagged]).tocsr(), np.concatenate([d.tagger_y for d in tagged]))
    labels = [label for d in labelled for label in d.span_labels]
    classifier = _sgd(seed, 1e-5, 20)  # one-vs-rest over the techniques
    classifier.fit(sparse.vstack([d.span_X for d in labelled]).tocsr(), labels)
    # Dense 384-d input, a few thousand rows: L-BFGS takes seconds here (unlike on the hashed features).
    vector_classifier = LogisticRegression(C=1.0, max_iter=300)
    vector_classifier.fit(np.vstack([d.span_V for d in labelled]), labels)
    binarizer = MultiLabelBinarizer(classes=list(classifier.classes_))
    sentence_y = binarizer.fit_transform([s for d in docs for s in d.sentence_labels])
    sentence_classifier = OneVsRestClassifier(_sgd(seed, 1e-5, 15))
    sentence_classifier.fit(sparse.vstack([d.sentence_X for d in docs]).tocsr(), sentence_y)
    embedded = [d for d in docs if d.sentence_V is not None]
    sentence_vector_classifier = None
    if embedded:  # the accurate model: only articles featurised with sentence vectors train it
        sentence_vector_classifier = OneVsRestClassifier(LogisticRegression(C=1.0, max_iter=300))
        sentence_vector_classifier.fit(
            np.vstack([d.sentence_V for d in embedded]),
            binarizer.transform([s for d in embedded for s in d.sentence_labels]),
        )
    pieced = [d for d in docs if d.sentence_P is not None]
    sentence_piece_classifier = None
    if pieced:  # the default model; C=16: the means of unit vectors are short (held-out choice, model card)
        piece_model = OneVsRestClassifier(LogisticRegression(C=16.0, max_iter=300))
        piece_model.fit(
            np.vstack([d.sentence_P for d in pieced]),
            binarizer.transform([s for d in pieced for s in d.sentence_labels]),
        )
        sentence_piece_classifier = PieceClassifier.fold(piece_model, wordpiece_table())
    extra = sentence_vector_classifier.estimators_ if sentence_vector_classifier is not None else []
    # float32 halves the file; the probability difference is far below the decision thresholds.
    for model in (tagger, classifier, vector_classifier, *sentence_classifier.estimators_, *extra):
        if hasattr(model, "coef_"):
            model.coef_ = model.coef_.astype(np.float32)
    meta = {
        "n_tagger_tokens": sum(d.tagger_X.shape[0] for d in tagged),
        "n_classifier_spans": len(labels),
        "n_sentences": int(sentence_y.shape[0]),
    }
    return TechniqueModel(
        tagger, classifier, vector_classifier, sentence_classifier, decoding or {}, meta, sentence_vector_classifier,
        sentence_piece_classifier, clusters,
    )
