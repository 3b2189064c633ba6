"""Entity framing scored with the official SemEval-2025 Task 10 subtask-1 definitions.

Gold mentions and their offsets are the input; the model labels each. Official metric: Exact Match
Ratio — a mention counts only if its *set* of predicted fine roles equals the gold set (main role
ignored). Also reported: micro-F1 over fine roles (each mention a multi-label row) and main-role
accuracy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sklearn.model_selection import GroupKFold

from ..classify import semeval
from ..classify.roles import RoleModel
from ..classify.taxonomy import RoleTaxonomy
from .narratives import summarize


def score(gold: Sequence[tuple[str, Iterable[str]]], pred: Sequence[tuple[str, Iterable[str]]]) -> dict:
    """``gold``/``pred``: aligned (main_role, fine_roles) per mention."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions must cover the same mentions")
    n = len(gold)
    if n == 0:
        return {"emr": 0.0, "micro_f1": 0.0, "main_role_accuracy": 0.0, "n": 0}
    tp = fp = fn = exact = main_ok = 0
    for (gm, gf), (pm, pf) in zip(gold, pred, strict=True):
        gf, pf = set(gf), set(pf)
        exact += gf == pf
        main_ok += gm == pm
        tp += len(gf & pf)
        fp += len(pf - gf)
        fn += len(gf - pf)
    micro = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"emr": exact / n, "micro_f1": micro, "main_role_accuracy": main_ok / n, "n": n}


def predict_docs(model: RoleModel, docs: Iterable[semeval.Document]) -> tuple[list, list]:
    """Gold and predicted (main, fine roles) for every gold mention, via ``predict_roles``."""
    gold, pred = [], []
    for d in docs:
        if not d.mentions:
            continue
        for m, p in zip(d.mentions, model.predict_roles(d.text, [(m.start, m.end) for m in d.mentions]), strict=True):
            gold.append((m.main_role, m.fine_roles))
            pred.append((p.main_role, p.fine_roles))
    return gold, pred


def evaluate(path: str | Path, model: str | Path | None = None) -> dict:
    """Score a trained model (default: the shipped one) on a SemEval-2025 Task 10 layout folder."""
    from ..classify.base import shipped_model_dir

    rm = RoleModel.load(model or shipped_model_dir("roles"))
    docs = semeval.read_dir(path).values()
    if not any(d.mentions for d in docs):
        raise ValueError(f"{path}: no subtask-1 annotations")
    return score(*predict_docs(rm, docs))


def cross_validate(dirs: Iterable[str | Path], folds: int = 5, taxonomy: str | Path | None = None,
                   seed: int | None = None, **params) -> dict:
    """k-fold CV grouped by document (mentions of one article never straddle folds). ``params`` go to
    ``RoleModel`` (e.g. ``embeddings=True``); each article is parsed once for all folds. ``seed``: None
    keeps the CLI's unshuffled folds; an integer shuffles the articles into other folds, to check that a
    gain smaller than a fold's spread is not an artefact of one split."""
    tax = RoleTaxonomy.load(taxonomy)
    docs = [d for d in semeval.read_dirs(list(dirs)).values() if d.mentions]
    per_fold = []
    splitter = GroupKFold(folds) if seed is None else GroupKFold(folds, shuffle=True, random_state=seed)
    for tr, te in splitter.split(docs, groups=[d.id for d in docs]):
        model = RoleModel(tax, **params).fit([docs[i] for i in tr])
        per_fold.append(score(*predict_docs(model, [docs[i] for i in te])))
    return summarize(per_fold, ["emr", "micro_f1", "main_role_accuracy"]) | {"n": sum(len(d.mentions) for d in docs)}
