"""Evaluate quote attribution on PolNeAR-layout data (brat standoff, see ``eval.brat``).

Each ``.ann`` file is one gold annotation of its article (doubly annotated articles count twice, each
against the same predictions). Spans are compared per role (source, cue, content):

* **Normalisation.** Every span (gold and predicted) is trimmed of surrounding whitespace and of the
  punctuation ``, . ; : ! ?`` and quotation marks at its ends; a fragment that is nothing but such
  punctuation (PolNeAR's cue ":" in "Trump: …") keeps its whitespace-trimmed extent instead of
  vanishing, so that attribution can still be matched. A discontinuous gold span is the set of its
  (normalised) fragments; predicted spans are single fragments, except the content of a quote split
  around its cue ("“A,” she said, “B.”"), which has both pieces.
* **Exact match**: a predicted and a gold span of the same role are equal after normalisation (same
  fragment set).
* **Overlap match** (the lenient criterion of BBC Citron's and PARC evaluations): a predicted and a gold
  span of the same role share at least one character.
* **Counting.** Within one file the spans of a role are de-duplicated (one source can serve several
  attributions). Predicted and gold spans are matched one-to-one, greedily by largest character overlap
  (exact: by equality); precision = matched / predicted, recall = matched / gold, F1 their harmonic mean,
  micro-averaged over all files.
* **attribution_f1**: a predicted attribution matches a gold one when its cue, content and source all
  overlap-match those of the gold one (a missing source matches a gold attribution without source);
  matched one-to-one, micro-averaged.

``n_gold`` is the number of gold attributions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..nlp.spacy_component import parse
from .brat import ROLES, Fragments, GoldAttribution, read_split

_STRIP = " \t\r\n,.;:!?“”\"«»‘’'"


def normalise(text: str, frags: Fragments) -> Fragments:
    """Trim whitespace, end punctuation and quotation marks from each fragment; a fragment of punctuation
    only keeps its whitespace-trimmed extent (a colon cue is a cue); whitespace-only fragments are dropped."""
    out = []
    for start, end in frags:
        s, e = _trim(text, start, end, _STRIP)
        if s == e:
            s, e = _trim(text, start, end, " \t\r\n")
        if s < e:
            out.append((s, e))
    return tuple(out)


def _trim(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _overlap(a: Fragments, b: Fragments) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _match(pred: list[Fragments], gold: list[Fragments], exact: bool) -> int:
    """Number of one-to-one matches, greedy by largest overlap."""
    if exact:
        remaining = list(gold)
        hits = 0
        for p in pred:
            if p in remaining:
                remaining.remove(p)
                hits += 1
        return hits
    pairs = sorted(
        ((_overlap(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold) if _overlap(p, g) > 0),
        reverse=True,
    )
    used_p, used_g = set(), set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def _attribution_matches(pred: list[GoldAttribution], gold: list[GoldAttribution]) -> int:
    def ok(p: GoldAttribution, g: GoldAttribution) -> bool:
        src = (not p.source and not g.source) or _overlap(p.source, g.source) > 0
        return src and _overlap(p.cue, g.cue) > 0 and _overlap(p.content, g.content) > 0

    used: set[int] = set()
    hits = 0
    for p in pred:
        j = next((j for j, g in enumerate(gold) if j not in used and ok(p, g)), None)
        if j is not None:
            used.add(j)
            hits += 1
    return hits


def _f1(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pairs: Iterable[tuple[str, list[GoldAttribution], list[GoldAttribution]]]) -> dict[str, float | int]:
    """Scores for (text, predicted, gold) triples; see the module docstring for the definitions."""
    counts = {f"{role}_{mode}": [0, 0, 0] for role in ROLES for mode in ("exact", "overlap")}
    att = [0, 0, 0]
    for text, pred, gold in pairs:
        pred = [GoldAttribution(*(normalise(text, getattr(a, r)) for r in ROLES)) for a in pred]
        gold = [GoldAttribution(*(normalise(text, getattr(a, r)) for r in ROLES)) for a in gold]
        for role in ROLES:
            p = sorted({getattr(a, role) for a in pred if getattr(a, role)})
            g = sorted({getattr(a, role) for a in gold if getattr(a, role)})
            for mode in ("exact", "overlap"):
                c = counts[f"{role}_{mode}"]
                c[0] += _match(p, g, mode == "exact")
                c[1] += len(p)
                c[2] += len(g)
        att[0] += _attribution_matches(pred, gold)
        att[1] += len(pred)
        att[2] += len(gold)
    result: dict[str, float | int] = {}
    for key, (tp, n_pred, n_gold) in counts.items():
        p, r, f = _f1(tp, n_pred, n_gold)
        role, mode = key.split("_")
        result[f"{role}_f1_{mode}"] = round(f, 4)
        result[f"{role}_p_{mode}"] = round(p, 4)
        result[f"{role}_r_{mode}"] = round(r, 4)
    p, r, f = _f1(*att)
    result.update(attribution_f1=round(f, 4), attribution_p=round(p, 4), attribution_r=round(r, 4))
    result["n_gold"] = att[2]
    result["n_pred"] = att[1]
    return result


def predict_text(text: str) -> list[GoldAttribution]:
    """Run spaCy and the quote finder over one raw text; return attributions as fragment tuples."""
    from ..extract.quotes import extract

    return [
        GoldAttribution(
            source=(f.source,) if f.source else (),
            cue=(f.cue,),
            content=tuple(sorted(p for p in (f.content, f.split) if p is not None)),  # a split quote: 2 pieces
        )
        for f in extract(parse(text))
    ]


def evaluate(
    split_dir: Path, predict: Callable[[str], list[GoldAttribution]] = predict_text, progress=None
) -> dict[str, float | int]:
    """Score the quote finder on ``split_dir`` (``text/`` + ``attributions/``); returns the metric dict."""
    articles = read_split(Path(split_dir))
    cache: dict[str, list[GoldAttribution]] = {}
    items = progress(articles) if progress else articles

    def triples():
        for art in items:
            if art.text not in cache:
                cache[art.text] = predict(art.text)
            yield art.text, cache[art.text], art.attributions

    return score(triples())
