"""Entity framing: how an article casts each actor (SemEval-2025 Task 10 subtask 1).

Features of a mention are words in labelled slots: the mention itself (``m:``), the words just
left and right of it (``l:``/``r:``), its sentence (``s:``, with bigrams) and the surroundings of
the same name elsewhere in the article (``a:``) — the role is an article-level judgement about the
entity, so every occurrence contributes. A multinomial logistic regression picks the main role;
one-vs-rest regressions score the fine roles, decoding is constrained to the main role's fine roles
(the best one always, a second one when it clears a threshold tuned for the official EMR).

``predict_roles(text, mentions)`` takes GIVEN mention offsets (the ST1 input) and echoes them verbatim;
the pipeline component applies it to the actors found upstream.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from ..model import RoleLabel, Span
from ..pipeline import Doc, registry
from . import semeval
from .base import load_model, save_model, shipped_model_dir, split_sentences
from .taxonomy import RoleTaxonomy

KIND = "roles"
VERSION = "1"
WINDOW = 6  # words either side of a mention
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
MAX_MENTIONS_PER_ENTITY = 8
_WORD = re.compile(r"\w+(?:['’]\w+)?")


@dataclass
class RolePrediction:
    """Role of one given mention; ``start``/``end`` are echoed exactly as given."""

    start: int
    end: int
    main_role: str
    fine_roles: list[str]
    confidence: float
    sentence: tuple[int, int]


def _split(s: str) -> list[str]:
    """Analyzer for the pre-tokenised feature strings (module level so the model pickles)."""
    return s.split(" ")


class _Context:
    """Words and sentences of one text, indexed once for all its mentions."""

    def __init__(self, text: str):
        self.text = text
        self.words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
        self.starts = np.array([w[0] for w in self.words], dtype=np.int64)
        self.sentences = split_sentences(text) or [(0, len(text))]
        self.sent_starts = np.array([s[0] for s in self.sentences], dtype=np.int64)
        self._occurrences: dict[str, list[tuple[int, list[str]]]] = {}

    def sentence_of(self, start: int) -> tuple[int, int]:
        i = max(int(np.searchsorted(self.sent_starts, start, side="right")) - 1, 0)
        return self.sentences[i]

    def _range(self, a: int, b: int) -> list[str]:
        lo, hi = np.searchsorted(self.starts, a), np.searchsorted(self.starts, b)
        return [w[2] for w in self.words[lo:hi]]

    def _around(self, name: str) -> list[tuple[int, list[str]]]:
        """Each occurrence of ``name`` in the text with the words around it (cached per name)."""
        if name in self._occurrences:
            return self._occurrences[name]
        out = self._occurrences[name] = []
        for hit in re.finditer(re.escape(name), self.text) if name.strip() else ():
            i = int(np.searchsorted(self.starts, hit.start()))
            out.append((hit.start(), [w[2] for w in self.words[max(i - WINDOW, 0) : i + WINDOW + 1]]))
        return out

    def features(self, start: int, end: int) -> str:
        lo, hi = int(np.searchsorted(self.starts, start)), int(np.searchsorted(self.starts, end))
        left = [w[2] for w in self.words[max(lo - WINDOW, 0) : lo]]
        right = [w[2] for w in self.words[hi : hi + WINDOW]]
        sent = self._range(*self.sentence_of(start))
        name = self.text[start:end]
        around = [w for at, words in self._around(name) if at != start for w in words]
        toks = [f"m:{w}" for w in self._range(start, end)]
        toks += [f"l:{w}" for w in left] + [f"r:{w}" for w in right]
        toks += [f"s:{w}" for w in sent] + [f"s:{a}_{b}" for a, b in zip(sent, sent[1:])]
        toks += [f"a:{w}" for w in around]
        return " ".join(toks) or "m:"


class RoleModel:
    """Slot-word TF-IDF + main-role and fine-role logistic regressions + one tuned threshold."""

    def __init__(self, taxonomy: RoleTaxonomy, C: float = 4.0):
        self.taxonomy = taxonomy
        self.C = C
        self.second_threshold = 0.5

    def fit(self, docs: Sequence[semeval.Document], tune_folds: int = 3) -> RoleModel:
        rows = [(d, m) for d in docs for m in d.mentions]
        if len(rows) < 6:
            raise ValueError(f"need at least 6 annotated mentions (subtask-1), got {len(rows)}")
        for _, m in rows:
            self._check(m)
        feats = _mention_features(rows)
        groups = [d.id for d, _ in rows]
        n_groups = len(set(groups))
        if tune_folds > 1 and n_groups >= tune_folds:
            oof = []
            for tr, te in GroupKFold(tune_folds).split(feats, groups=groups):
                inner = RoleModel(self.taxonomy, self.C)._fit([feats[i] for i in tr], [rows[i][1] for i in tr])
                oof += zip(inner._probabilities([feats[i] for i in te]), [rows[i][1] for i in te], strict=True)
            self.second_threshold = self._tune(oof)
        return self._fit(feats, [m for _, m in rows])

    def _check(self, m: semeval.Mention) -> None:
        if m.main_role not in self.taxonomy.fine_by_main:
            raise ValueError(f"unknown main role {m.main_role!r} for mention {m.text!r}")
        bad = [f for f in m.fine_roles if self.taxonomy.main_of.get(f) != m.main_role]
        if bad or not m.fine_roles:
            raise ValueError(f"fine roles {m.fine_roles} of {m.text!r} do not belong to {m.main_role}")

    def _fit(self, feats: list[str], mentions: list[semeval.Mention]) -> RoleModel:
        self.vectorizer = TfidfVectorizer(analyzer=_split, sublinear_tf=True, min_df=2, dtype=np.float32)
        X = self.vectorizer.fit_transform(feats)
        mains = [m.main_role for m in mentions]
        self.main_clf = LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced").fit(X, mains)
        self.fine_labels, coefs, intercepts = [], [], []
        for role in self.taxonomy.fine_roles:
            y = np.array([role in m.fine_roles for m in mentions])
            if y.sum() >= 1 and not y.all():
                clf = LogisticRegression(C=self.C, solver="liblinear", dual=True).fit(X, y)
                self.fine_labels.append(role)
                coefs.append(clf.coef_[0])
                intercepts.append(clf.intercept_[0])
        self.fine_coef = np.array(coefs, dtype=np.float32)
        self.fine_intercept = np.array(intercepts, dtype=np.float32)
        return self

    def _probabilities(self, feats: list[str]) -> list[tuple[dict[str, float], dict[str, float]]]:
        X = self.vectorizer.transform(feats)
        main = self.main_clf.predict_proba(X)
        fine = 1.0 / (1.0 + np.exp(-(np.asarray(X @ self.fine_coef.T) + self.fine_intercept)))
        return [
            (dict(zip(self.main_clf.classes_, m, strict=True)), dict(zip(self.fine_labels, f, strict=True)))
            for m, f in zip(main, fine, strict=True)
        ]

    def decode(self, main_p: dict[str, float], fine_p: dict[str, float], threshold: float | None = None):
        """Main role = argmax; fine roles = that role's best fine role, plus a second if confident."""
        threshold = self.second_threshold if threshold is None else threshold
        main = max(main_p, key=main_p.get)
        allowed = sorted(
            ((fine_p.get(f, 0.0), f) for f in self.taxonomy.fine_by_main[main]), reverse=True
        )
        fines = [allowed[0][1]] + [f for p, f in allowed[1:2] if p >= threshold]
        return main, fines, float(main_p[main])

    def _tune(self, oof) -> float:
        best, best_emr = 1.0, -1.0
        for t in np.arange(0.2, 1.01, 0.05):
            emr = np.mean([set(self.decode(mp, fp, t)[1]) == set(m.fine_roles) for (mp, fp), m in oof])
            if emr > best_emr + 1e-9:
                best, best_emr = float(t), emr
        return best

    def predict_roles(self, text: str, mentions: Sequence[tuple[int, int]]) -> list[RolePrediction]:
        """Roles of GIVEN mentions (end-exclusive offsets), in the order given, offsets echoed."""
        if not mentions:
            return []
        for start, end in mentions:
            if not (0 <= start < end <= len(text)):
                raise ValueError(f"mention offsets {start}:{end} are outside the text (length {len(text)})")
        ctx = _Context(text)
        probs = self._probabilities([ctx.features(s, e) for s, e in mentions])
        out = []
        for (start, end), (mp, fp) in zip(mentions, probs, strict=True):
            main, fines, conf = self.decode(mp, fp)
            out.append(RolePrediction(start, end, main, fines, round(conf, 4), ctx.sentence_of(start)))
        return out

    def label_entities(self, text: str, entities: list[tuple[str | None, str, list[tuple[int, int]]]]) -> list[RoleLabel]:
        """One RoleLabel per entity ``(entity_id, name, name-mention offsets)``: the probabilities of
        its mentions are averaged (the role is a judgement about the article's entity, not a token).
        All mentions of all entities go through the classifiers in one batch."""
        ctx = _Context(text)
        entities = [(eid, name, spans[:MAX_MENTIONS_PER_ENTITY]) for eid, name, spans in entities if spans]
        flat = [span for _, _, spans in entities for span in spans]
        probs = self._probabilities([ctx.features(s, e) for s, e in flat]) if flat else []
        out, i = [], 0
        for entity_id, name, spans in entities:
            mine, i = probs[i : i + len(spans)], i + len(spans)
            main_p = {k: float(np.mean([p[0][k] for p in mine])) for k in mine[0][0]}
            fine_p = {k: float(np.mean([p[1][k] for p in mine])) for k in mine[0][1]}
            main, fines, conf = self.decode(main_p, fine_p)
            ranked = np.argsort([-p[0][main] for p in mine])
            sents = sorted({ctx.sentence_of(spans[j][0]) for j in ranked[:2]})
            out.append(
                RoleLabel(
                    mention=Span.of(text, *spans[ranked[0]]),
                    entity_id=entity_id,
                    entity_name=name,
                    main_role=main,
                    fine_roles=fines,
                    confidence=round(conf, 4),
                    evidence=[Span.of(text, *s) for s in sents],
                )
            )
        return out

    def save(self, out: Path) -> Path:
        return save_model({"kind": KIND, "version": VERSION, "taxonomy": self.taxonomy.data.model_dump(),
                           "state": {k: v for k, v in self.__dict__.items() if k != "taxonomy"}}, out)

    @classmethod
    def load(cls, path: str | Path) -> RoleModel:
        from .taxonomy import RoleFile

        obj = load_model(path, KIND)
        model = cls.__new__(cls)
        model.__dict__.update(obj["state"])
        model.taxonomy = RoleTaxonomy(RoleFile.model_validate(obj["taxonomy"]))
        return model


def _mention_features(rows: Iterable[tuple[semeval.Document, semeval.Mention]]) -> list[str]:
    contexts: dict[str, _Context] = {}
    out = []
    for doc, m in rows:
        ctx = contexts.setdefault(doc.id, _Context(doc.text))
        out.append(ctx.features(m.start, m.end))
    return out


def train_roles(dirs: Iterable[str | Path], out: str | Path | None = None, taxonomy: str | Path | None = None) -> dict:
    """Train on SemEval-2025 Task 10 layout folders (subtask-1 annotations) and write the model."""
    docs = list(semeval.read_dirs(list(dirs)).values())
    model = RoleModel(RoleTaxonomy.load(taxonomy)).fit(docs)
    out = Path(out) if out else shipped_model_dir(KIND)
    path = model.save(out)
    return {
        "model": str(out),
        "n_mentions": sum(len(d.mentions) for d in docs),
        "n_fine_roles": len(model.fine_labels),
        "second_role_threshold": model.second_threshold,
        "size_kb": round(path.stat().st_size / 1024),
    }


def _actors(doc: Doc) -> list[tuple[str | None, str, list[tuple[int, int]]]]:
    """Actors from the actors component (name mentions), else spaCy PERSON/ORG/GPE/NORP entities."""
    if doc.analysis.entities:
        out = []
        for e in doc.analysis.entities:
            spans = [(m.start, m.end) for m in e.mentions if m.kind == "name"] or [(m.start, m.end) for m in e.mentions]
            out.append((e.id, e.name, sorted(spans)))
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
    return [(None, names[k], v) for k, v in groups.items()]


class RolesComponent:
    """Fills ``analysis.roles``: one RoleLabel per actor, with evidence sentences."""

    english_only = True

    def __init__(self, model: str | None = None):
        self.model = RoleModel.load(model or shipped_model_dir(KIND))
        self.version = f"{VERSION}-{Path(model).name if model else 'shipped'}"

    def __call__(self, doc: Doc) -> Doc:
        doc.analysis.roles = self.model.label_entities(doc.text, _actors(doc))
        return doc


@registry.components.register("roles")
def make_roles(model: str | None = None) -> RolesComponent:
    return RolesComponent(model=model)
