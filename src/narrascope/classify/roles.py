"""Entity framing: how an article casts each actor (SemEval-2025 Task 10 subtask 1).

The role is an article-level judgement about an entity, so the features of a mention come from every
occurrence of its name in the article (up to ``OCCURRENCES``), in labelled slots:

- words: the mention (``m:``), the words just left and right of it (``l:``/``r:``), its sentence
  (``s:``, with bigrams) and the words around the other occurrences (``a:``);
- syntax, from the spaCy parse (``y:``): each occurrence's dependency relation, the verb that governs
  it (through a preposition or a possessive), negation, the passive, its modifiers and appositions —
  "X shelled" and "X was shelled" must not look alike;
- cues (``cs:``/``cw:``): which fine roles' cue words (``data/role_cues.yaml``) occur in the sentence
  or near the occurrence; 686 training mentions are too few to learn such word families from scratch;
- tone (``vw:``/``vs:``): the evaluative words around each occurrence and the tone of its sentence,
  from the VADER valence lexicon (shipped inside the pinned ``vaderSentiment`` package; a negator
  just before a word flips it). How the article speaks *about the actor* carries over to articles
  that take another side than most training articles, where the side alone cannot;
- side: whether the name is on Russia's, Ukraine's, the West's or another side, crossed with the cues
  and with the article's most frequent words (``x:``), because the same words frame a side differently
  depending on the side the article takes;
- stance (``st:``, v4): the side the article leans to by the words it uses for the war ("full-scale
  invasion", "Kyiv" vs "special military operation", "Kiev regime"; ``stance`` in the cue file), alone
  and crossed with the actor's side. Top words carry the article's slant only through words seen in
  training; these word families name it directly, so an article that takes Ukraine's side casts Russia's
  side as the villain even when most training articles with the same topic words take Russia's.
  The stance tokens count twice (``STANCE_REPEAT``): with sublinear TF that gives them 1 + ln 2 times the
  weight of a single token, against the hundreds of word tokens of a row (5-fold CV, two split seeds:
  see the model card).

A multinomial logistic regression (class-balanced: Antagonist is 70% of the data and an unweighted
model answers nothing else) picks the main role from every feature but the sentence words (``s:``:
they help tell fine roles apart, but on 5-fold CV a main-role model without them is as accurate and
its errors cost fewer exact matches: EMR 0.256 vs 0.241, main-role accuracy 0.739 vs 0.740);
a multinomial regression over all the features scores the fine roles, and decoding is hierarchical:
the best fine role *of the chosen main role* always, its second when it clears a threshold tuned for
the official EMR on grouped out-of-fold predictions.

Optionally (``embeddings=True``) the in-context MiniLM vector of the mention is added. It costs
~11 ms per embedded sentence on one core and, on cross-validation, does not beat averaging the default
model over three mentions of the actor, so the pipeline leaves it off unless configured.

``predict_roles(text, mentions)`` takes GIVEN mention offsets (the ST1 input) and echoes them verbatim;
the pipeline component applies ``label_entities`` to the actors found upstream.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from ..model import RoleLabel, Span
from ..pipeline import Doc, registry
from . import semeval
from .base import load_model, save_model, shipped_model_dir, split_sentences
from .taxonomy import RoleTaxonomy

KIND = "roles"
VERSION = "4"
WINDOW = 6  # words either side of a mention
OCCURRENCES = 8  # occurrences of an actor's name that contribute features
PRIMARIES = 3  # mentions of an actor labelled in turn (their probabilities averaged)
CUE_CHARS = 80  # a cue this close to an occurrence (same sentence) also counts as "near" (cw:)
TOP_WORDS = 20  # the article's most frequent content words, crossed with the actor's side
STANCE_REPEAT = 2  # the article-stance tokens count this many times (see the module docstring)
TONE = 1.0  # a word is evaluative when its VADER valence (-4 .. 4) is at least this far from 0
MAIN_SKIPS = ("s:",)  # feature slots the main-role model leaves out (see the module docstring)
# Entity types the roles component considers (outlets only when named more than once).
ACTOR_TYPES = {"PERSON", "ORG", "NORP", "GOVERNMENT", "MILITARY"}
PLACE_TYPES = {"GPE", "LOC"}
# A place the knowledge file describes with one of these words is where the war happens, not a cast actor: of the
# 686 SemEval-2025 EN train framing mentions none is a town or region (countries and capitals standing for their
# governments are: "Russia", "Kiev", "Washington").
SETTING_WORDS = {"town", "village", "city", "region", "peninsula", "oblast"}
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}  # spaCy labels used when the actors component has not run
# Prepositions that make a place a mere location ("in Kherson"), not an actor.
_LOCATIVE = {"in", "at", "near", "around", "across", "from", "to", "into", "outside", "inside", "through", "of"}
_ACTING = {"nsubj", "nsubjpass", "dobj", "iobj", "poss", "agent", "appos", "attr", "dative"}
# A word among the three before an evaluative word flips its valence ("not support", "never honest",
# "didn't help": words are split on spaces and punctuation, so a contraction is one word).
_NEGATORS = {"not", "no", "never", "nor", "without", "hardly", "cannot"}
_NEGATED = ("n't", "n’t")
_WORD = re.compile(r"\w+(?:['’]\w+)?")
_CONTENT = re.compile(r"[a-z]{3,}")


@dataclass
class RolePrediction:
    """Role of one given mention; ``start``/``end`` are echoed exactly as given."""

    start: int
    end: int
    main_role: str
    fine_roles: list[str]
    confidence: float
    sentence: tuple[int, int]


class Actor(NamedTuple):
    """An actor to label: its name mentions (offsets) and, when known, its country (ISO code)."""

    entity_id: str | None
    name: str
    spans: list[tuple[int, int]]
    country: str | None = None


class Lexicon:
    """Cue words per fine role and side names, from ``data/role_cues.yaml`` (saved with each model, so
    a model computes its features with the cues it was trained on)."""

    def __init__(self, data: dict):
        self.data = data
        self.cues = {role: _pattern(words) for role, words in data["cues"].items()}
        self.sides = {side: _pattern(words) for side, words in data["sides"].items()}
        self.countries = {code: side for side, codes in data.get("countries", {}).items() for code in codes}
        # One pass over a text finds every cue; a hit counts for each role with an entry it starts with
        # ("killed" is a Victim cue and, through "kill", a Terrorist one).
        self.any_cue = _pattern({w for words in data["cues"].values() for w in words})
        self._roles_of: dict[str, list[str]] = {}
        self.stance = {side: _pattern(words) for side, words in data.get("stance", {}).items()}

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        if path is None:
            path = resources.files("narrascope.data").joinpath("role_cues.yaml")
        return cls(yaml.safe_load(Path(str(path)).read_text("utf-8")))

    def roles_of(self, hit: str) -> list[str]:
        """Fine roles (as feature slugs) whose cue entries the matched text starts with."""
        key = hit.lower()
        if key not in self._roles_of:
            self._roles_of[key] = [role.replace(" ", "_") for role, words in self.data["cues"].items()
                                   if any(key.startswith(w.rstrip("$").lower()) for w in words)]
        return self._roles_of[key]

    def stance_of(self, text: str) -> str:
        """The side an article leans to by its words for the war: "ukraine" or "russia" when that side's
        words outnumber the other's more than two to one, "none" when neither occurs, else "mixed"."""
        if set(self.stance) != {"ukraine", "russia"}:
            return "none"
        u, r = (len(self.stance[side].findall(text)) for side in ("ukraine", "russia"))
        if u == r == 0:
            return "none"
        return "ukraine" if u >= 2 * r + 1 else "russia" if r >= 2 * u + 1 else "mixed"

    def sides_of(self, name: str, country: str | None = None) -> list[str]:
        found = [side for side, pattern in self.sides.items() if pattern.search(name)]
        if country and country in self.countries and self.countries[country] not in found:
            found.append(self.countries[country])
        return found or ["other"]


def _pattern(words: Iterable[str]) -> re.Pattern:
    """Word beginnings, or whole words when they end in ``$``, as one case-insensitive regex."""
    parts = [re.escape(w[:-1]) + r"\b" if w.endswith("$") else re.escape(w) for w in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")", re.IGNORECASE)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()


@lru_cache(maxsize=1)
def valences() -> dict[str, float]:
    """Word valence (-4 .. 4) from the VADER lexicon, read from the installed ``vaderSentiment`` package
    (pinned, so a model's tone features stay those it was trained with; nothing is downloaded)."""
    path = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    out = {}
    for line in path.read_text("utf-8").splitlines():
        word, score, *_ = line.split("\t")
        if word.replace("-", "").replace("'", "").isalpha():  # words, not emoticons
            out[word.lower()] = float(score)
    return out


def _split(s: str) -> list[str]:
    """Analyzer for the pre-tokenised feature strings (module level so the model pickles)."""
    return s.split(" ")


def parse(texts: Sequence[str]) -> list[Any]:
    """spaCy parses of ``texts`` with the pipeline's own model (training and the ST1 setting, where
    no pipeline ran). Parses are cached per process so that cross-validation folds parse once."""
    from ..nlp.spacy_component import parse_texts

    missing = [t for t in dict.fromkeys(texts) if t not in _PARSES]
    for text, sdoc in zip(missing, parse_texts(missing), strict=True):  # as the spacy step parses
        if len(_PARSES) >= 500:
            _PARSES.pop(next(iter(_PARSES)))
        _PARSES[text] = sdoc
    return [_PARSES[t] for t in texts]


_PARSES: dict[str, Any] = {}
# In-context vectors by (sentence, start, end), so cross-validation folds embed each mention once.
_VECTORS: dict[tuple[str, int, int], np.ndarray] = {}


def clear_caches() -> None:
    """Forget cached parses and vectors (a benchmark timing one article repeatedly must pay for them)."""
    _PARSES.clear()
    _VECTORS.clear()


class _Context:
    """Words, sentences and the parse of one text, indexed once for all its mentions."""

    def __init__(self, text: str, sdoc: Any, lexicon: Lexicon):
        self.text = text
        self.sdoc = sdoc
        self.lexicon = lexicon
        self.words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
        self.starts = np.array([w[0] for w in self.words], dtype=np.int64)
        self.sentences = split_sentences(text) or [(0, len(text))]
        self.sent_starts = np.array([s[0] for s in self.sentences], dtype=np.int64)
        counts = Counter(w for w in _CONTENT.findall(text.lower()) if w not in ENGLISH_STOP_WORDS)
        self.top_words = [w for w, _ in counts.most_common(TOP_WORDS)]
        self.stance = lexicon.stance_of(text)
        self.cue_hits = [(m.start(), m.end(), lexicon.roles_of(m.group())) for m in lexicon.any_cue.finditer(text)]
        self.cue_starts = np.array([h[0] for h in self.cue_hits], dtype=np.int64)
        lexicon_valence = valences()
        self.valence = np.array([lexicon_valence.get(w[2], 0.0) for w in self.words], dtype=np.float32)
        for i in np.flatnonzero(self.valence):
            if any(w[2] in _NEGATORS or w[2].endswith(_NEGATED) for w in self.words[max(i - 3, 0) : i]):
                self.valence[i] = -self.valence[i]

    def sentence_of(self, start: int) -> tuple[int, int]:
        i = max(int(np.searchsorted(self.sent_starts, start, side="right")) - 1, 0)
        return self.sentences[i]

    def _range(self, a: int, b: int) -> list[str]:
        lo, hi = np.searchsorted(self.starts, a), np.searchsorted(self.starts, b)
        return [w[2] for w in self.words[lo:hi]]

    def occurrences(self, start: int, end: int) -> list[tuple[int, int]]:
        """The given mention first, then the other occurrences of the same string."""
        name = self.text[start:end]
        others = [(h.start(), h.end()) for h in re.finditer(re.escape(name), self.text) if h.start() != start]
        return [(start, end), *others][:OCCURRENCES]

    def features(self, spans: Sequence[tuple[int, int]], sides: list[str]) -> str:
        """Feature tokens of an actor given its occurrences (the first is the one labelled)."""
        start, end = spans[0]
        lo, hi = int(np.searchsorted(self.starts, start)), int(np.searchsorted(self.starts, end))
        sent = self._range(*self.sentence_of(start))
        toks = [f"m:{w}" for w in self._range(start, end)]
        toks += [f"l:{w[2]}" for w in self.words[max(lo - WINDOW, 0) : lo]]
        toks += [f"r:{w[2]}" for w in self.words[hi : hi + WINDOW]]
        toks += [f"s:{w}" for w in sent] + [f"s:{a}_{b}" for a, b in zip(sent, sent[1:])]
        cues = []
        for a, b in spans:
            if (a, b) != (start, end):
                i = int(np.searchsorted(self.starts, a))
                toks += [f"a:{w[2]}" for w in self.words[max(i - WINDOW, 0) : i + WINDOW + 1]]
            toks += [f"y:{f}" for f in self._syntax(a, b)]
            toks += self._tone(a, b)
            cues += self._cues(a, b)
        toks += [f"side:{s}" for s in sides] + cues + [f"{s}|{c}" for s in sides for c in cues]
        toks += [f"x:{s}|{w}" for s in sides for w in self.top_words]
        toks += [f"st:{self.stance}", *(f"st:{self.stance}|{s}" for s in sides)] * STANCE_REPEAT
        return " ".join(toks) or "m:"

    def _tone(self, start: int, end: int) -> list[str]:
        """Evaluative words within ``WINDOW`` words of an occurrence, inside its sentence (``vw:neg``,
        ``vw:pos``, one per word), and the tone of the whole sentence (``vs:neg|flat|pos``)."""
        a, b = (int(i) for i in np.searchsorted(self.starts, self.sentence_of(start)))
        lo, hi = int(np.searchsorted(self.starts, start)), int(np.searchsorted(self.starts, end))
        near = [*self.valence[max(lo - WINDOW, a) : lo], *self.valence[hi : min(hi + WINDOW, b)]]
        out = [f"vw:{'neg' if v < 0 else 'pos'}" for v in near if abs(v) >= TONE]
        tone = float(self.valence[a:b].sum())
        return [*out, "vs:neg" if tone <= -2 * TONE else "vs:pos" if tone >= 2 * TONE else "vs:flat"]

    def _cues(self, start: int, end: int) -> list[str]:
        """Roles whose cue words occur in the occurrence's sentence (``cs:``) or near it (``cw:``)."""
        a, b = self.sentence_of(start)
        lo, hi = max(a, start - CUE_CHARS), min(b, end + CUE_CHARS)
        in_sentence, near = set(), set()
        first, last = np.searchsorted(self.cue_starts, a), np.searchsorted(self.cue_starts, b)
        for s, e, roles in self.cue_hits[first:last]:
            if e > b:
                continue
            in_sentence.update(roles)
            if (lo <= s and e <= start) or (end <= s and e <= hi):
                near.update(roles)
        return [f"cs:{r}" for r in sorted(in_sentence)] + [f"cw:{r}" for r in sorted(near)]

    def _syntax(self, start: int, end: int) -> list[str]:
        """How the parse attaches one occurrence: relation, governing verb, modifiers, passive."""
        span = self.sdoc.char_span(start, end, alignment_mode="expand") if self.sdoc is not None else None
        if span is None or len(span) == 0:
            return []
        root, inside = span.root, range(span.start, span.end)
        head, rel = root.head, root.dep_
        out = [f"dep:{rel}", f"ent:{root.ent_type_ or 'none'}"]
        if rel == "pobj" and head.dep_ in ("prep", "agent"):
            out.append(f"prep:{head.lower_}")
            rel, head = f"pobj_{head.lower_}", head.head
        if rel in ("poss", "compound", "amod"):
            out.append(f"of:{head.lemma_.lower()}")
            rel, head = f"{rel}>{head.dep_}", head.head
        if head.pos_ in ("VERB", "AUX"):
            verb = head.lemma_.lower()
            out += [f"v:{verb}", f"vd:{rel}|{verb}"]
            out += [f"vneg:{verb}" for c in head.children if c.dep_ == "neg"]
            out += [f"vo:{c.lemma_.lower()}" for c in head.children
                    if c.dep_ in ("dobj", "attr", "acomp", "xcomp", "ccomp", "oprd") and c.i not in inside]
        else:
            out.append(f"h:{head.lemma_.lower()}")
        for child in root.children:
            if child.dep_ in ("amod", "appos", "compound", "acl", "relcl", "nmod") and child.i not in inside:
                out.append(f"mod:{child.lemma_.lower()}")
                out += [f"mod:{c.lemma_.lower()}" for c in child.children if c.dep_ in ("amod", "compound")]
        if rel.startswith("nsubjpass") or rel == "pobj_by":
            out.append("passive")
        return [*out, f"rel:{rel}"]

    def acts(self, start: int, end: int) -> bool:
        """Whether an occurrence is a participant (subject, object, possessor...): not a mere location
        ("in Kherson"), nor a fragment the parser leaves as a root (a byline, a caption, "cf. SAS 45/23")."""
        span = self.sdoc.char_span(start, end, alignment_mode="expand") if self.sdoc is not None else None
        if span is None or len(span) == 0:
            return True
        root = span.root
        while root.dep_ == "conj" and root.head is not root:  # "around Avdiivka, Robotyne and ..."
            root = root.head
        if root.dep_ == "pobj":
            return root.head.lower_ not in _LOCATIVE
        return root.dep_ in _ACTING

    def vectors(self, spans: Sequence[tuple[int, int]], n: int) -> np.ndarray:
        """Mean in-context MiniLM vector of the first ``n`` occurrences (each within its sentence)."""
        from ..nlp.embeddings import embedder

        items = []
        for a, b in spans[:n]:
            s, e = self.sentence_of(a)
            items.append((self.text[s:e], a - s, min(b, e) - s))
        missing = [item for item in dict.fromkeys(items) if item not in _VECTORS]
        if missing:
            if len(_VECTORS) > 5000:
                _VECTORS.clear()
            _VECTORS.update(zip(missing, embedder().embed_spans(missing), strict=True))
        return np.mean([_VECTORS[item] for item in items], axis=0)


class RoleModel:
    """Slot-word/syntax/cue TF-IDF (+ optional MiniLM) -> main-role and fine-role regressions."""

    def __init__(self, taxonomy: RoleTaxonomy, C: float = 4.0, embeddings: bool = False,
                 lexicon: Lexicon | None = None, balanced: bool = True, embedded_occurrences: int = 1):
        self.taxonomy = taxonomy
        self.C = C
        self.embeddings = embeddings
        self.balanced = balanced
        self.embedded_occurrences = embedded_occurrences  # each costs a MiniLM pass over a sentence
        self.lexicon = lexicon or default_lexicon()
        self.second_threshold = 1.0

    def fit(self, docs: Sequence[semeval.Document], tune_folds: int = 3) -> RoleModel:
        rows = [(d, m) for d in docs for m in d.mentions]
        if len(rows) < 6:
            raise ValueError(f"need at least 6 annotated mentions (subtask-1), got {len(rows)}")
        for _, m in rows:
            self._check(m)
        if len({m.main_role for _, m in rows}) < 2:
            raise ValueError("the training mentions need at least two different main roles")
        feats = self._mention_features(rows)
        mentions = [m for _, m in rows]
        groups = [d.id for d, _ in rows]
        if tune_folds > 1 and len(set(groups)) >= tune_folds:
            oof = []
            for tr, te in GroupKFold(tune_folds).split(mentions, groups=groups):
                inner = self._new()._fit(_take(feats, tr), [mentions[i] for i in tr])
                oof += zip(inner._probabilities(_take(feats, te)), [mentions[i] for i in te], strict=True)
            self.second_threshold = self._tune(oof)
        return self._fit(feats, mentions)

    def _new(self) -> RoleModel:
        return RoleModel(self.taxonomy, self.C, self.embeddings, self.lexicon, self.balanced,
                         self.embedded_occurrences)

    def _check(self, m: semeval.Mention) -> None:
        if m.main_role not in self.taxonomy.fine_by_main:
            raise ValueError(f"unknown main role {m.main_role!r} for mention {m.text!r}")
        bad = [f for f in m.fine_roles if self.taxonomy.main_of.get(f) != m.main_role]
        if bad or not m.fine_roles:
            raise ValueError(f"fine roles {m.fine_roles} of {m.text!r} do not belong to {m.main_role}")

    def _mention_features(self, rows: Sequence[tuple[semeval.Document, semeval.Mention]]):
        """Features of gold mentions: (token strings, dense vectors or None)."""
        texts = list({d.id: d.text for d, _ in rows}.items())
        parses = dict(zip((i for i, _ in texts), parse([t for _, t in texts]), strict=True))
        contexts = {i: _Context(t, parses[i], self.lexicon) for i, t in texts}
        tokens, dense = [], []
        for d, m in rows:
            ctx = contexts[d.id]
            spans = ctx.occurrences(m.start, m.end)
            tokens.append(ctx.features(spans, self.lexicon.sides_of(m.text)))
            if self.embeddings:
                dense.append(ctx.vectors(spans, self.embedded_occurrences))
        return tokens, (np.array(dense, dtype=np.float32) if self.embeddings else None)

    def _matrix(self, feats, fit: bool = False):
        tokens, dense = feats
        if fit:
            self.vectorizer = TfidfVectorizer(analyzer=_split, sublinear_tf=True, min_df=2, dtype=np.float32)
            X = self.vectorizer.fit_transform(tokens)
        else:
            X = self.vectorizer.transform(tokens)
        return sp.hstack([X, sp.csr_matrix(dense)]).tocsr() if dense is not None else X

    def _fit(self, feats, mentions: list[semeval.Mention]) -> RoleModel:
        X = self._matrix(feats, fit=True)
        mains = [m.main_role for m in mentions]
        weights = "balanced" if self.balanced else None
        names = self.vectorizer.get_feature_names_out()
        self.main_columns = np.array([i for i, n in enumerate(names) if not n.startswith(MAIN_SKIPS)]
                                     + list(range(len(names), X.shape[1])))  # dense vectors, if any
        self.main_clf = LogisticRegression(C=self.C, max_iter=3000, class_weight=weights).fit(
            X[:, self.main_columns], mains)
        # One row per (mention, fine role): a softmax over fine roles, so their scores are comparable
        # when decoding picks the best fine role of the chosen main role.
        rows = [i for i, m in enumerate(mentions) for _ in m.fine_roles]
        fines = [f for m in mentions for f in m.fine_roles]
        if len(set(fines)) > 1:
            self.fine_clf = LogisticRegression(C=self.C, max_iter=3000).fit(X[rows], fines)
            self.fine_labels = [str(c) for c in self.fine_clf.classes_]
        else:
            self.fine_clf, self.fine_labels = None, fines[:1]
        return self

    def _probabilities(self, feats) -> list[tuple[dict[str, float], dict[str, float]]]:
        X = self._matrix(feats)
        main = self.main_clf.predict_proba(X[:, self.main_columns])
        fine = self.fine_clf.predict_proba(X) if self.fine_clf is not None else np.ones((X.shape[0], 1))
        return [
            (dict(zip(map(str, self.main_clf.classes_), m, strict=True)), dict(zip(self.fine_labels, f, strict=True)))
            for m, f in zip(main, fine, strict=True)
        ]

    def decode(self, main_p: dict[str, float], fine_p: dict[str, float], threshold: float | None = None):
        """Main role = argmax; fine roles = that role's best fine role, plus its second if confident
        (its share of the main role's fine-role probability mass is at least ``threshold``)."""
        threshold = self.second_threshold if threshold is None else threshold
        main = max(main_p, key=main_p.get)
        allowed = sorted(((fine_p.get(f, 0.0), f) for f in self.taxonomy.fine_by_main[main]), reverse=True)
        mass = sum(p for p, _ in allowed) or 1.0
        fines = [allowed[0][1]] + [f for p, f in allowed[1:2] if p / mass >= threshold]
        return main, fines, float(main_p[main])

    def _tune(self, oof) -> float:
        best, best_emr = 1.0, -1.0
        for t in np.arange(0.2, 1.01, 0.05):
            emr = np.mean([set(self.decode(mp, fp, t)[1]) == set(m.fine_roles) for (mp, fp), m in oof])
            if emr > best_emr + 1e-9:
                best, best_emr = float(t), emr
        return best

    def _context(self, text: str, sdoc: Any = None) -> _Context:
        from spacy.tokens import Doc as SpacyDoc

        return _Context(text, sdoc if isinstance(sdoc, SpacyDoc) else parse([text])[0], self.lexicon)

    def predict_roles(
        self, text: str, mentions: Sequence[tuple[int, int]], sdoc: Any = None, primaries: int = PRIMARIES
    ) -> list[RolePrediction]:
        """Roles of GIVEN mentions (end-exclusive offsets), in the order given, offsets echoed.

        As for actors in the pipeline, a mention's probabilities are averaged over ``primaries`` views:
        the mention itself, then the next occurrences of the same string, each labelled in turn with
        the others as context (v2 CV: EMR 0.235 vs 0.219 with the mention alone). ``sdoc`` is the spaCy
        parse of ``text`` when the caller has one (else it is parsed here)."""
        if not mentions:
            return []
        for start, end in mentions:
            if not (0 <= start < end <= len(text)):
                raise ValueError(f"mention offsets {start}:{end} are outside the text (length {len(text)})")
        ctx = self._context(text, sdoc)
        occurrences = [ctx.occurrences(s, e) for s, e in mentions]
        views = [[[p, *(o for o in occ if o != p)] for p in occ[:primaries]] for occ in occurrences]
        rows = [v for mine in views for v in mine]
        sides = [self.lexicon.sides_of(text[s:e]) for (s, e), mine in zip(mentions, views, strict=True) for _ in mine]
        probs = iter(self._probabilities(self._rows(ctx, rows, sides)))
        out = []
        for (start, end), mine in zip(mentions, views, strict=True):
            got = [next(probs) for _ in mine]
            mp = {k: float(np.mean([p[0][k] for p in got])) for k in got[0][0]}
            fp = {k: float(np.mean([p[1][k] for p in got])) for k in got[0][1]}
            main, fines, conf = self.decode(mp, fp)
            out.append(RolePrediction(start, end, main, fines, round(conf, 4), ctx.sentence_of(start)))
        return out

    def _rows(self, ctx: _Context, occurrences: list[list[tuple[int, int]]], sides: list[list[str]]):
        tokens = [ctx.features(spans, s) for spans, s in zip(occurrences, sides, strict=True)]
        if not self.embeddings:
            return tokens, None
        return tokens, np.array([ctx.vectors(spans, self.embedded_occurrences) for spans in occurrences], np.float32)

    def label_entities(
        self, text: str, actors: Sequence[tuple], sdoc: Any = None, primaries: int = PRIMARIES,
        ctx: _Context | None = None,
    ) -> list[RoleLabel]:
        """One RoleLabel per actor ``(entity_id, name, name-mention offsets[, country])``, in one batch.

        The features of an actor pool all its name mentions (up to ``OCCURRENCES``). Each of its first
        ``primaries`` mentions that take part in a clause is labelled in turn (the others as its
        context) and the probabilities are averaged: one sentence is a noisy view of how the article
        casts an actor. Actors that never take part in a clause (only "in Kherson", only a byline or a
        caption) get no role. Evidence: the sentences where the chosen fine role's cue words occur,
        else the labelled mention's sentence. ``ctx``: the text's indexed context when the caller
        already built one with the same lexicon.
        """
        ctx = ctx if ctx is not None and ctx.lexicon.data == self.lexicon.data else self._context(text, sdoc)
        views = []
        for actor in (Actor(*a) for a in actors if a[2]):
            spans = sorted(actor.spans)
            acting = [s for s in spans if ctx.acts(*s)][:primaries]
            if acting:
                views.append((actor, [[p, *(s for s in spans if s != p)][:OCCURRENCES] for p in acting]))
        if not views:
            return []
        rows = [spans for _, actor_views in views for spans in actor_views]
        sides = [self.lexicon.sides_of(a.name, a.country) for a, actor_views in views for _ in actor_views]
        probs = iter(self._probabilities(self._rows(ctx, rows, sides)))
        out = []
        for actor, actor_views in views:
            mine = [next(probs) for _ in actor_views]
            main_p = {k: float(np.mean([p[0][k] for p in mine])) for k in mine[0][0]}
            fine_p = {k: float(np.mean([p[1][k] for p in mine])) for k in mine[0][1]}
            actor = actor._replace(spans=actor_views[0])
            main, fines, conf = self.decode(main_p, fine_p)
            out.append(
                RoleLabel(
                    mention=Span.of(text, *actor.spans[0]),
                    entity_id=actor.entity_id,
                    entity_name=actor.name,
                    main_role=main,
                    fine_roles=fines,
                    confidence=round(conf, 4),
                    evidence=[Span.of(text, *s) for s in self._evidence(ctx, actor.spans, fines[0])],
                )
            )
        return out

    def _evidence(self, ctx: _Context, spans: list[tuple[int, int]], fine: str) -> list[tuple[int, int]]:
        """Up to two sentences of the actor where cue words of its fine role occur, else its first."""
        pattern = self.lexicon.cues.get(fine)
        sentences = list(dict.fromkeys(ctx.sentence_of(a) for a, _ in spans))
        telling = [s for s in sentences if pattern is not None and pattern.search(ctx.text[s[0] : s[1]])]
        return sorted(telling[:2] or sentences[:1])

    def save(self, out: Path) -> Path:
        state = {k: v for k, v in self.__dict__.items() if k not in ("taxonomy", "lexicon")}
        return save_model({"kind": KIND, "version": VERSION, "taxonomy": self.taxonomy.data.model_dump(),
                           "lexicon": self.lexicon.data, "state": state}, out)

    @classmethod
    def load(cls, path: str | Path) -> RoleModel:
        from .taxonomy import RoleFile

        obj = load_model(path, KIND, VERSION)
        model = cls.__new__(cls)
        model.__dict__.update(obj["state"])
        model.taxonomy = RoleTaxonomy(RoleFile.model_validate(obj["taxonomy"]))
        model.lexicon = Lexicon(obj["lexicon"])
        return model


def _take(feats, idx) -> tuple[list[str], np.ndarray | None]:
    tokens, dense = feats
    return [tokens[i] for i in idx], (dense[idx] if dense is not None else None)


def train_roles(dirs: Iterable[str | Path], out: str | Path | None = None, taxonomy: str | Path | None = None,
                embeddings: bool = False) -> dict:
    """Train on SemEval-2025 Task 10 layout folders (subtask-1 annotations) and write the model."""
    docs = list(semeval.read_dirs(list(dirs)).values())
    model = RoleModel(RoleTaxonomy.load(taxonomy), embeddings=embeddings).fit(docs)
    out = Path(out) if out else shipped_model_dir(KIND) / ("minilm" if embeddings else "")
    path = model.save(out)
    return {
        "model": str(out),
        "n_mentions": sum(len(d.mentions) for d in docs),
        "n_fine_roles": len(model.fine_labels),
        "embeddings": embeddings,
        "second_role_threshold": model.second_threshold,
        "size_kb": round(path.stat().st_size / 1024),
    }


def _actors(doc: Doc) -> list[Actor]:
    """Actors from the actors component (name mentions), else spaCy PERSON/ORG/GPE/NORP entities.

    Outlets and platforms are sources, not cast actors, unless the article names them more than once (a pronoun
    resolved to one does not count); towns and regions are settings (``SETTING_WORDS`` in their knowledge-file role
    or their name: "Belgorod Region"); someone named once, as the
    relay of another's words ("reporter Daniel Brooks was told by two officials that …"), is a conduit, not a cast
    actor; every actor also needs a mention where it takes part in a clause (checked in ``label_entities``)."""
    if doc.analysis.entities:
        relays = {(link.span.start, link.span.end) for q in doc.analysis.quotes for link in q.chain
                  if link.role == "relay" and link.span is not None}
        out = []
        for e in doc.analysis.entities:
            names = [m for m in e.mentions if m.kind == "name"]
            if e.type not in ACTOR_TYPES | PLACE_TYPES and not (e.type == "OUTLET" and len(names) > 1):
                continue
            if len(e.mentions) == 1 and any(a <= e.mentions[0].start < b for a, b in relays):
                continue
            if e.type in PLACE_TYPES and set(f"{e.role or ''} {e.name}".lower().replace(",", " ").split()) & SETTING_WORDS:
                continue
            spans = [(m.start, m.end) for m in e.mentions if m.kind == "name"] or [(m.start, m.end) for m in e.mentions]
            out.append(Actor(e.id, e.name, sorted(spans), e.country))
        return out
    if doc.nlp is None:
        return []
    groups: dict[str, list[tuple[int, int]]] = {}
    names: dict[str, str] = {}
    for ent in doc.nlp.ents:
        if ent.label_ in ACTOR_LABELS and ent.text.strip():
            key = " ".join(ent.text.split()).casefold()
            names.setdefault(key, ent.text)
            groups.setdefault(key, []).append((ent.start_char, ent.end_char))
    return [Actor(None, names[k], v) for k, v in groups.items()]


class RolesComponent:
    """Fills ``analysis.roles``: one RoleLabel per actor that takes part in a clause, with evidence.

    With ``embed_actors: N`` the N most mentioned actors (the article's main actors) are labelled by
    the MiniLM variant (``models/roles/minilm``) from one embedded sentence each (~11 ms per actor on
    one core). Off by default: on cross-validation it is worse than the default model averaged over
    three mentions (v3: EMR 0.237 vs 0.255, main-role accuracy 0.698 vs 0.738; see the model card)."""

    english_only = True

    def __init__(self, model: str | None = None, embed_model: str | None = None, embed_actors: int = 0):
        self.model = RoleModel.load(model or shipped_model_dir(KIND))
        self.embed_actors = embed_actors
        embed_path = embed_model or shipped_model_dir(KIND) / "minilm"
        self.embed_model = RoleModel.load(embed_path) if embed_actors else None
        names = [Path(m).name if m else "shipped" for m in (model, embed_model)]
        self.version = f"{VERSION}-{names[0]}-{names[1]}x{embed_actors}"

    def __call__(self, doc: Doc) -> Doc:
        doc.analysis.roles = self.label(doc.text, _actors(doc), doc.nlp)
        return doc

    def label(self, text: str, actors: Sequence[tuple], sdoc: Any = None) -> list[RoleLabel]:
        """Roles of ``actors`` (see ``RoleModel.label_entities``), in the actors' order."""
        actors = [Actor(*a) for a in actors]
        ranked = sorted(range(len(actors)), key=lambda i: -len(actors[i].spans))
        main = set(ranked[: self.embed_actors]) if self.embed_model is not None else set()
        ctx = self.model._context(text, sdoc)  # indexed once for both models
        labels = self.model.label_entities(text, [a for i, a in enumerate(actors) if i not in main], ctx=ctx)
        if main:
            labels += self.embed_model.label_entities(text, [actors[i] for i in sorted(main)], primaries=1, ctx=ctx)
        order = {(a.entity_id, a.name): i for i, a in enumerate(actors)}
        return sorted(labels, key=lambda r: order.get((r.entity_id, r.entity_name), len(order)))


@registry.components.register("roles")
def make_roles(model: str | None = None, embed_model: str | None = None, embed_actors: int = 0) -> RolesComponent:
    return RolesComponent(model=model, embed_model=embed_model, embed_actors=embed_actors)
