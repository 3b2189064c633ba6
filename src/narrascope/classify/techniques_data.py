"""The technique inventory (``data/techniques.yaml``) and readers for the two annotated corpus layouts.

Why one module: training (``classify.techniques``) and the evaluators (``eval.techniques``, ``eval.ptc``)
must read articles, spans and paragraphs exactly the same way, or scores drift from what was trained.

Layouts (offsets are end-exclusive character offsets into the article file, title included):

* SemEval-2023 Task 3: ``DIR/<split>-articles-subtask-3/article<ID>.txt``,
  ``DIR/<split>-labels-subtask-3-spans/article<ID>-labels-subtask-3.txt`` (``id, technique, start, end``),
  ``DIR/<split>-labels-subtask-3.txt`` (``id, paragraph_no, tech1,tech2``).
* SemEval-2020 Task 11 (PTC): ``DIR/<split>/<split>-articles/article<ID>.txt``,
  ``DIR/<split>/<split>-labels-task-flc-tc/article<ID>.task-flc-tc.labels`` (``id, technique, start, end``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

_ARTICLE_ID = re.compile(r"article(\d+)")


@dataclass(frozen=True)
class Technique:
    """One entry of the SemEval-2023 T3 inventory."""

    name: str
    category: str
    english: bool
    ptc: str | None
    description: str
    patterns: tuple[str, ...] = ()


@cache
def inventory() -> tuple[Technique, ...]:
    """All 23 techniques in the official order."""
    data = yaml.safe_load(resources.files("narrascope.data").joinpath("techniques.yaml").read_text("utf-8"))
    return tuple(
        Technique(**{**entry, "description": entry["description"].strip(), "patterns": tuple(entry.get("patterns", ()))})
        for entry in data["techniques"]
    )


def technique_names(english_only: bool = False) -> list[str]:
    return [t.name for t in inventory() if t.english or not english_only]


def to_ptc(name: str) -> str | None:
    """The PTC (SemEval-2020 T11) label a 2023 technique falls under, or None."""
    return next((t.ptc for t in inventory() if t.name == name), None)


def from_ptc(ptc_name: str) -> str | None:
    """The 2023 name for a PTC label when exactly one 2023 technique maps to it (merged classes -> None)."""
    names = [t.name for t in inventory() if t.ptc == ptc_name]
    return names[0] if len(names) == 1 else None


@dataclass
class LabelledArticle:
    """An article file with its gold technique spans ``(start, end, technique)``."""

    id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def article_id(path: Path) -> str:
    found = _ARTICLE_ID.match(path.name)
    if not found:
        raise ValueError(f"{path}: expected a file named article<ID>...")
    return found.group(1)


def paragraphs(text: str) -> list[tuple[int, int, int]]:
    """Non-empty lines as ``(paragraph_no, start, end)``; numbering counts every line from 1 (title = 1),
    which is how the official ST3 ``.template`` files number paragraphs."""
    out, pos = [], 0
    for no, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            out.append((no, pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _read_span_file(path: Path, with_technique: bool = True) -> list[tuple[int, int, str]]:
    spans = []
    for line_no, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        cols = line.split("\t")
        try:
            if with_technique:
                spans.append((int(cols[2]), int(cols[3]), cols[1]))
            else:
                spans.append((int(cols[1]), int(cols[2]), "propaganda"))
        except (IndexError, ValueError) as err:
            raise ValueError(f"{path}:{line_no}: malformed label line {line!r}") from err
    return spans


def _read_articles(article_dir: Path, label_file_of) -> list[LabelledArticle]:
    if not article_dir.is_dir():
        raise FileNotFoundError(f"no article folder {article_dir}")
    out = []
    for path in sorted(article_dir.glob("article*.txt")):
        aid = article_id(path)
        labels = label_file_of(aid)
        spans = _read_span_file(labels) if labels is not None and labels.is_file() else []
        out.append(LabelledArticle(aid, path.read_text("utf-8"), spans))
    return out


def is_semeval2023(directory: Path) -> bool:
    return any(directory.glob("*-articles-subtask-3"))


def is_ptc(directory: Path) -> bool:
    return any(directory.glob("*/*-articles"))


def read_semeval2023(directory: Path, split: str) -> list[LabelledArticle]:
    """Articles of one split in the SemEval-2023 T3 layout with their span labels."""
    labels = directory / f"{split}-labels-subtask-3-spans"
    return _read_articles(
        directory / f"{split}-articles-subtask-3", lambda aid: labels / f"article{aid}-labels-subtask-3.txt"
    )


def read_semeval2023_paragraph_labels(directory: Path, split: str) -> dict[tuple[str, int], set[str]]:
    """Gold paragraph labels ``(article_id, paragraph_no) -> {techniques}`` of the official ST3 file."""
    path = directory / f"{split}-labels-subtask-3.txt"
    if not path.is_file():
        raise FileNotFoundError(f"no paragraph label file {path}")
    gold = {}
    for line in path.read_text("utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        gold[(cols[0], int(cols[1]))] = {t for t in (cols[2] if len(cols) > 2 else "").split(",") if t}
    return gold


def read_ptc(directory: Path, split: str) -> list[LabelledArticle]:
    """Articles of one split in the PTC layout with their technique (FLC/TC) labels, PTC names."""
    labels = directory / split / f"{split}-labels-task-flc-tc"
    return _read_articles(
        directory / split / f"{split}-articles", lambda aid: labels / f"article{aid}.task-flc-tc.labels"
    )


def read_ptc_si(directory: Path, split: str) -> dict[str, list[tuple[int, int]]]:
    """Gold SI spans per article id (technique-agnostic)."""
    folder = directory / split / f"{split}-labels-task-si"
    if not folder.is_dir():
        raise FileNotFoundError(f"no SI label folder {folder}")
    return {
        article_id(p): [(s, e) for s, e, _ in _read_span_file(p, with_technique=False)]
        for p in sorted(folder.glob("article*.labels"))
    }
