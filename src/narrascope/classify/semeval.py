"""Reader for data laid out like SemEval-2025 Task 10 (``raw-documents/`` + annotation TSVs).

A directory holds ``raw-documents/<ID>.txt``, ``subtask-1-annotations.txt`` (entity roles) and
``subtask-2-annotations.txt`` (narratives). IDs in the annotation files carry the ``.txt`` suffix,
and subtask-1 offsets are *end-inclusive*. Users label their own data in this layout to train the
classifiers on it, so errors name the file and line instead of raising a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .taxonomy import OTHER


@dataclass
class Mention:
    """A gold ST1 mention. ``start``/``end`` are end-exclusive offsets into the document text,
    resolved to where the mention string really is; ``given`` keeps the file's offsets verbatim."""

    text: str
    start: int
    end: int
    main_role: str
    fine_roles: list[str]
    given: tuple[int, int]


@dataclass
class Document:
    id: str
    text: str
    narratives: list[str] = field(default_factory=list)
    subnarratives: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    has_narratives: bool = False


def read_dir(path: str | Path) -> dict[str, Document]:
    """All documents of one directory, with whatever annotations it has, keyed by document id."""
    path = Path(path)
    raw = path / "raw-documents"
    if not raw.is_dir():
        raise ValueError(f"{path} has no raw-documents/ folder (expected the SemEval-2025 Task 10 layout)")
    docs = {p.name: Document(p.name, p.read_text("utf-8")) for p in sorted(raw.glob("*.txt"))}
    for lineno, cols in _rows(path / "subtask-2-annotations.txt", 3):
        doc = _doc(docs, cols[0], path, lineno)
        doc.narratives = _labels(cols[1])
        doc.subnarratives = _labels(cols[2])
        doc.has_narratives = True
    for lineno, cols in _rows(path / "subtask-1-annotations.txt", 6):
        doc = _doc(docs, cols[0], path, lineno)
        try:
            start, end = int(cols[2]), int(cols[3])
        except ValueError:
            raise ValueError(f"{path}/subtask-1-annotations.txt:{lineno}: offsets must be integers") from None
        lo = locate(doc.text, cols[1], start)
        doc.mentions.append(
            Mention(cols[1], lo, lo + len(cols[1]), cols[4], [r.strip() for r in cols[5:] if r.strip()], (start, end))
        )
    return docs


def read_dirs(paths: list[str | Path]) -> dict[str, Document]:
    out: dict[str, Document] = {}
    for p in paths:
        out.update(read_dir(p))
    return out


def locate(text: str, mention: str, start: int) -> int:
    """Where ``mention`` really starts: the given offset if it matches, else the nearest occurrence.

    Some annotations were made on CRLF text or are shifted by a character or two; the nearest exact
    occurrence of the string is the annotated one in practice. Falls back to the given offset.
    """
    if text[start : start + len(mention)] == mention:
        return start
    hits, i = [], text.find(mention)
    while i >= 0:
        hits.append(i)
        i = text.find(mention, i + 1)
    return min(hits, key=lambda h: abs(h - start)) if hits else min(start, len(text))


def _labels(cell: str) -> list[str]:
    labels = [x.strip() for x in cell.split(";") if x.strip()]
    return labels or [OTHER]


def _rows(path: Path, min_cols: int):
    if not path.exists():
        return
    for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < min_cols:
            raise ValueError(f"{path}:{lineno}: expected at least {min_cols} tab-separated columns")
        yield lineno, cols


def _doc(docs: dict[str, Document], doc_id: str, path: Path, lineno: int) -> Document:
    if doc_id not in docs:
        raise ValueError(f"{path}:{lineno}: no raw-documents/{doc_id} for this annotation")
    return docs[doc_id]
