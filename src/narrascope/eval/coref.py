"""Measure the rule-based coreference (``coref``) on hand-annotated fixtures.

A fixture is a JSON file ``{"text": ..., "gold": [{"mention", "nth", "entity", "kind"}, ...]}``:
every third-person pronoun and definite role description of the text, with the entity id it refers
to (``null`` when it refers to no actor, or the text leaves it ambiguous). ``nth`` is the 1-based
occurrence of ``mention`` as a whole word, so fixtures stay readable without character offsets.

Scores are mention-level, per kind (pronoun, nominal) and overall:

* precision: system links (pronoun/nominal mentions with an entity) that overlap a gold mention with
  the same entity, over all system links — a link to a mention the gold leaves unlinked is wrong;
* recall: gold mentions with an entity that the system linked to that entity, over all of them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..pipeline import Doc, Pipeline

KINDS = ("pronoun", "nominal")


def locate(text: str, mention: str, nth: int) -> tuple[int, int]:
    """Character offsets of the ``nth`` whole-word occurrence of ``mention`` in ``text``."""
    hits = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(mention)}(?!\w)", text)]
    if not 1 <= nth <= len(hits):
        raise ValueError(f"{mention!r} occurs {len(hits)} times, not {nth}")
    return hits[nth - 1]


def load_fixture(path: Path) -> tuple[str, list[dict]]:
    """Text and gold links (with ``start``/``end`` added) of one fixture file."""
    try:
        data = json.loads(path.read_text("utf-8"))
        text = data["text"]
        gold = []
        for g in data["gold"]:
            start, end = locate(text, g["mention"], g.get("nth", 1))
            gold.append({**g, "start": start, "end": end})
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{path}: bad coreference fixture: {err}") from err
    return text, gold


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def score(pairs: list[tuple[list[dict], list[dict]]]) -> dict:
    """Precision/recall per kind over (gold, system) lists of ``{start, end, entity, kind}``."""
    counts = {k: {"sys": 0, "correct_sys": 0, "gold": 0, "found": 0} for k in (*KINDS, "all")}
    for gold, system in pairs:
        for s in system:
            ok = any(g["entity"] == s["entity"] and g["start"] < s["end"] and s["start"] < g["end"] for g in gold)
            for k in (s["kind"], "all"):
                counts[k]["sys"] += 1
                counts[k]["correct_sys"] += ok
        for g in gold:
            if g["entity"] is None:
                continue
            ok = any(g["entity"] == s["entity"] and g["start"] < s["end"] and s["start"] < g["end"] for s in system)
            for k in (g["kind"], "all"):
                counts[k]["gold"] += 1
                counts[k]["found"] += ok
    result: dict = {}
    for k, c in counts.items():
        p, r = _ratio(c["correct_sys"], c["sys"]), _ratio(c["found"], c["gold"])
        result[f"{k}_precision"] = p
        result[f"{k}_recall"] = r
        result[f"{k}_f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
        result[f"{k}_gold"] = c["gold"]
        result[f"{k}_system"] = c["sys"]
    return result


def system_links(doc: Doc) -> list[dict]:
    """The pronoun and nominal mentions ``coref`` linked, as scoring records."""
    return [
        {"start": m.start, "end": m.end, "entity": m.entity_id, "kind": m.kind}
        for e in doc.analysis.entities for m in e.mentions if m.kind in KINDS and m.entity_id
    ]


def evaluate(directory: Path) -> dict:
    """Run spacy+actors+coref over every ``*.json`` fixture in ``directory`` and score it."""
    files = sorted(Path(directory).glob("*.json"))
    if not files:
        raise ValueError(f"{directory}: no *.json coreference fixtures")
    pipe = Pipeline.from_config([{"name": n, "config": {}} for n in ("spacy", "actors", "coref")])
    pairs = []
    for path in files:
        text, gold = load_fixture(path)
        doc = pipe(Doc.from_text(text))
        if doc.error:
            raise ValueError(f"{path}: {doc.error}")
        pairs.append((gold, system_links(doc)))
    return {"documents": len(files), **score(pairs)}
