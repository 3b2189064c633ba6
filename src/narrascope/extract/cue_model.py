"""A small learned cue detector: which verbs of a parsed text introduce an attribution.

Why: a fixed lexicon both misses cues (PolNeAR annotates hundreds of verbs, from "said" to "likened"
and "decided against") and over-fires on belief verbs that only sometimes attribute ("think", "know",
"see"). A logistic regression over parse features of each verb (lemma, dependency label, its
children's labels, whether it has a clausal complement, a subject, a nearby quotation, lexicon membership)
decides instead; speakers and content are still read off the parse by ``extract.quotes``.

Trained on PolNeAR ``train`` by ``train()``; the model is a joblib file under
``narrascope/models/quotes/`` with its MODEL_CARD.md. Without the file the finder falls back to the
lexicon alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import joblib
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

MODEL_DIR = Path(str(resources.files("narrascope.models"))) / "quotes"
MODEL_FILE = "cue_model.joblib"


def is_candidate(tok: Token) -> bool:
    """Tokens the model scores: verbs, and adjectives predicated of someone ("is *eager* to", "was *critical*
    of", "remain *hopeful*"); phrasal cues like "according to" are handled by the lexicon."""
    return tok.pos_ == "VERB" or (
        tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "oprd") and tok.head.pos_ in ("AUX", "VERB")
    )


def features(tok: Token, in_quote: bool, near_quote: tuple[bool, bool], lexicon_kind: str) -> dict[str, float]:
    """Sparse features of one candidate verb."""
    lemma = tok.lemma_.lower()
    children = list(tok.children)
    kids = {c.dep_ for c in children}
    f: dict[str, float] = {
        f"pos={tok.pos_}": 1.0,
        f"lemma={lemma}": 1.0,
        f"tag={tok.tag_}": 1.0,
        f"dep={tok.dep_}": 1.0,
        f"lemma|dep={lemma}|{tok.dep_}": 1.0,
        f"head={tok.head.lemma_.lower()}": 1.0,
        f"head_dep={tok.head.dep_}": 1.0,
        f"lex={lexicon_kind}": 1.0,
        "in_quote": float(in_quote),
        "quote_before": float(near_quote[0]),
        "quote_after": float(near_quote[1]),
    }
    for k in kids:
        f[f"kid={k}"] = 1.0
        f[f"lemma|kid={lemma}|{k}"] = 1.0
        f[f"lex|kid={lexicon_kind}|{k}"] = 1.0
    for c in children:
        if c.dep_ in ("prep", "agent", "prt"):
            f[f"{c.dep_}={c.lower_}"] = 1.0
            f[f"lemma|{c.dep_}={lemma}|{c.lower_}"] = 1.0
        elif c.dep_ == "dobj":
            obj = c.lemma_.lower()
            f[f"dobj={obj}"] = 1.0
            # who or what is acted on: "support Clinton" (a stance) vs "support the economy"
            f[f"lemma|dobj_type={lemma}|{c.ent_type_ or c.pos_}"] = 1.0
            # light verbs carry attitude in their object ("make the case that", "have no idea who", "take
            # a look at"), often with the preposition that introduces the content
            f[f"lemma|dobj={lemma}|{obj}"] = 1.0
            for g in c.children:
                if g.dep_ in ("prep", "acl", "relcl"):
                    f[f"dobj|{g.dep_}={obj}|{g.lower_ if g.dep_ == 'prep' else g.pos_}"] = 1.0
            if c.tag_ in ("WDT", "WP") or c.lower_ == "that":  # "which she has promoted"
                f["rel_object"] = 1.0
        elif c.dep_ == "xcomp":
            f[f"lemma|xcomp={lemma}|{c.lemma_.lower()}"] = 1.0
        elif c.dep_ == "aux":
            f[f"aux={c.lemma_.lower()}"] = 1.0
        if c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            f["ccomp_that"] = 1.0
        if c.dep_ == "prep":  # "referring to Trump": who or what the preposition introduces
            for g in c.children:
                if g.dep_ == "pobj":
                    f[f"prep_pobj={c.lower_}|{g.ent_type_ or g.pos_}"] = 1.0
    subj = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None:
        f[f"subj={subj.pos_}|{subj.ent_type_ or '-'}"] = 1.0
        f[f"subj_lower={subj.lower_}"] = 1.0 if subj.pos_ == "PRON" else 0.0
        if subj.pos_ == "NOUN":  # "the poll shows", "the campaign said", "the storm slammed"
            f[f"subj_lemma={subj.lemma_.lower()}"] = 1.0
    if tok.dep_ == "relcl" and subj is not None and subj.lower_ in ("who", "that", "which"):
        # "voters who support Trump", "a group that opposes the bill": the noun the clause describes acts
        ante = tok.head
        f[f"lemma|relcl_ante={lemma}|{ante.ent_type_ or ante.pos_}"] = 1.0
        f[f"relcl_ante={ante.lemma_.lower()}"] = 1.0
    # whether a verb attributes depends on who does it ("Trump slammed" vs "the storm slammed")
    f[f"lemma|subj={lemma}|{(subj.ent_type_ or subj.pos_) if subj is not None else 'none'}"] = 1.0
    f[f"lemma|tag={lemma}|{tok.tag_}"] = 1.0
    f[f"head|dep={tok.head.lemma_.lower()}|{tok.dep_}"] = 1.0
    f[f"head_head={tok.head.head.lemma_.lower()}"] = 1.0
    for offset in (-2, -1, 1, 2):
        j = tok.i + offset
        if 0 <= j < len(tok.doc):
            f[f"w{offset}={tok.doc[j].lower_}"] = 1.0
    return f


def _quote_context(sdoc: SpacyDoc, quotes: list[tuple[int, int]], toks: list[Token]
                   ) -> tuple[set[int], list[tuple[bool, bool]]]:
    """(indices of the tokens inside a quotation, (quote ends right before, quote starts right after) for each
    candidate of ``toks``). Only the candidates are visited: a pass over every token costs more than the rest."""
    inside: set[int] = set()
    for a, b in quotes:
        span = sdoc.char_span(a, b, alignment_mode="expand")
        if span is not None:
            inside.update(range(span.start, span.end))
    starts = [q[0] for q in quotes]
    ends = [q[1] for q in quotes]
    near = []
    for tok in toks:
        lo, hi = tok.idx, tok.idx + len(tok.text)
        near.append((any(lo - 40 <= e <= lo for e in ends), any(hi <= s <= hi + 40 for s in starts)))
    return inside, near


def doc_features(sdoc: SpacyDoc, quotes: list[tuple[int, int]], lexicon_kind: Callable[[str], str]):
    """(candidate tokens, their feature dicts) for one parsed text."""
    toks = [t for t in sdoc if is_candidate(t)]
    inside, near = _quote_context(sdoc, quotes, toks)
    return toks, [features(t, t.i in inside, n, lexicon_kind(t.lemma_.lower())) for t, n in zip(toks, near, strict=True)]


class CueModel:
    """A fitted vectorizer + logistic regression; ``scores(sdoc, quotes)`` maps token index -> P(cue)."""

    def __init__(self, vectorizer, classifier, threshold: float = 0.5):
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.threshold = threshold

    def scores(self, sdoc: SpacyDoc, quotes, lexicon_kind) -> dict[int, float]:
        """P(cue) of every candidate verb: the logistic regression's probability, computed straight from its
        weights (the same number as ``predict_proba``; a tenth of the cost of building a sparse matrix for
        a few hundred verbs)."""
        toks, feats = doc_features(sdoc, quotes, lexicon_kind)
        weight, bias = self._linear()
        out = {}
        for tok, feat in zip(toks, feats, strict=True):
            z = bias + sum(weight(k, 0.0) * v for k, v in feat.items())
            out[tok.i] = 1.0 / (1.0 + math.exp(-z))
        return out

    def _linear(self) -> tuple[Callable[[str, float], float], float]:
        """(feature name -> weight look-up, intercept), signed for the positive class."""
        if not hasattr(self, "_weights"):
            positive = list(self.classifier.classes_).index(True)
            sign = 1.0 if positive == 1 else -1.0
            coef = self.classifier.coef_[0].tolist()
            self._weights = ({k: sign * coef[j] for k, j in self.vectorizer.vocabulary_.items()}.get,
                             sign * float(self.classifier.intercept_[0]))
        return self._weights

    def save(self, directory: Path, meta: dict) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump({"vectorizer": self.vectorizer, "classifier": self.classifier, "threshold": self.threshold},
                    directory / MODEL_FILE, compress=3)
        # metrics.json also holds records written after training (CV runs, inter-annotator agreement) that
        # the model card cites: training replaces its own keys and keeps those.
        metrics = directory / "metrics.json"
        kept = json.loads(metrics.read_text("utf-8")) if metrics.is_file() else {}
        metrics.write_text(json.dumps({**kept, **meta}, indent=2) + "\n", "utf-8")


@lru_cache(maxsize=2)
def load(directory: str | None = None) -> CueModel | None:
    """The shipped model (None when absent: the finder then uses the lexicon only)."""
    path = Path(directory) if directory else MODEL_DIR
    if not (path / MODEL_FILE).is_file():
        return None
    data = joblib.load(path / MODEL_FILE)
    return CueModel(data["vectorizer"], data["classifier"], data["threshold"])


def train(
    docs_and_gold: Iterable[tuple[SpacyDoc, list[tuple[int, int]]]],
    quotes_of: Callable[[str], list[tuple[int, int]]],
    lexicon_kind: Callable[[str], str],
    c: float = 0.3,
    threshold: float = 0.4,
) -> CueModel:
    """Fit on (parsed text, gold cue character spans) pairs: a verb is positive when it lies in a gold cue.

    ``threshold`` 0.4 was chosen by 4-fold cross-validation of the whole finder on PolNeAR train (best
    source/cue/content overlap F1 among 0.35-0.5; see the model card)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    for sdoc, cue_spans in docs_and_gold:
        toks, feats = doc_features(sdoc, quotes_of(sdoc.text), lexicon_kind)
        for tok, feat in zip(toks, feats, strict=True):
            X.append(feat)
            y.append(any(a <= tok.idx < b for a, b in cue_spans))
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(X).tocsr()
    matrix.indices = matrix.indices.astype("int32")  # liblinear takes 32-bit sparse indices only
    matrix.indptr = matrix.indptr.astype("int32")
    classifier = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    classifier.fit(matrix, y)
    return CueModel(vectorizer, classifier, threshold)


def train_from_polnear(train_dirs: list[Path], out_dir: Path | None = None) -> dict:
    """Parse PolNeAR-layout folders with spaCy, fit the cue model, save it to ``out_dir`` (default: shipped)."""
    from ..eval.brat import read_split
    from ..nlp.spacy_component import parse_texts
    from .quotes import Finder, pair_quotes

    gold: dict[str, list[tuple[int, int]]] = {}
    for train_dir in train_dirs:
        for art in read_split(Path(train_dir)):  # doubly annotated: a verb is a cue if any annotator says so
            gold.setdefault(art.text, []).extend(f for a in art.attributions for f in a.cue)
    texts = sorted(gold)
    pairs = ((sdoc, gold[sdoc.text]) for sdoc in parse_texts(texts))  # parsed as the spacy step parses
    model = train(pairs, pair_quotes, Finder(model=False).lexicon_kind)
    meta = {
        "train_dirs": [Path(d).name for d in train_dirs],
        "n_articles": len(texts),
        "n_features": len(model.vectorizer.vocabulary_),
        "threshold": model.threshold,
    }
    model.save(Path(out_dir) if out_dir else MODEL_DIR, meta)
    return meta
