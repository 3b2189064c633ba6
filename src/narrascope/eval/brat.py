"""Read attribution relations from brat standoff files laid out like PolNeAR.

Layout: ``DIR/text/<article>.txt`` and ``DIR/attributions/<article>_<annotator>.ann`` (an article may be
annotated by several annotators; each ``.ann`` file is one annotation of it). In a ``.ann`` file,
``T`` lines are text-bound spans (``T3<TAB>Content 115 290;300 310<TAB>text``; offsets are end-exclusive
characters into the ``.txt``, ``;`` separates the fragments of a discontinuous span) and ``E`` lines tie
one attribution together (``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``). Trigger types
``Attribution`` and ``Attribution-no-source`` are read; ``Discuss``/``Discard`` flags are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

Fragments = tuple[tuple[int, int], ...]
ROLES = ("source", "cue", "content")
_ANN_LINE = re.compile(r"^[TERAMN#]\d*\t")


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: each role is a tuple of (start, end) fragments, empty when absent."""

    source: Fragments
    cue: Fragments
    content: Fragments


@dataclass
class AnnotatedArticle:
    """One ``.ann`` file with the text it annotates."""

    name: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)


class BratFormatError(ValueError):
    """A ``.ann`` file that does not follow the standoff format."""


def _fragments(offsets: str, where: str) -> Fragments:
    try:
        frags = tuple(tuple(int(x) for x in part.split()) for part in offsets.split(";"))
    except ValueError as err:
        raise BratFormatError(f"{where}: bad offsets {offsets!r}") from err
    if any(len(f) != 2 or f[0] > f[1] for f in frags):
        raise BratFormatError(f"{where}: bad offsets {offsets!r}")
    return tuple(sorted(frags))  # type: ignore[arg-type]


def parse_ann(content: str, where: str = "<ann>") -> list[GoldAttribution]:
    """Parse the attribution events of one brat ``.ann`` file."""
    spans: dict[str, tuple[str, Fragments]] = {}
    events: list[list[str]] = []
    for lineno, line in enumerate(content.splitlines(), 1):
        if not _ANN_LINE.match(line):
            continue  # blank, or the continuation of a span text that contains a line break
        cols = line.split("\t")
        here = f"{where}:{lineno}"
        if line.startswith("T"):
            if len(cols) < 2 or " " not in cols[1]:
                raise BratFormatError(f"{here}: expected 'T<n><TAB>Type start end<TAB>text'")
            kind, offsets = cols[1].split(" ", 1)
            spans[cols[0]] = (kind, _fragments(offsets, here))
        elif line.startswith("E"):
            if len(cols) < 2:
                raise BratFormatError(f"{here}: expected 'E<n><TAB>Type:T<n> Role:T<n> ...'")
            events.append(cols[1].split())
    out = []
    for args in events:
        roles: dict[str, Fragments] = {}
        for arg in args[1:]:
            role, _, ref = arg.partition(":")
            if role.lower() in ROLES and ref in spans:
                roles[role.lower()] = spans[ref][1]
        if args and args[0].split(":")[0].startswith("Attribution"):
            out.append(GoldAttribution(*(roles.get(r, ()) for r in ROLES)))
    return out


def read_split(split_dir: Path) -> list[AnnotatedArticle]:
    """Every ``attributions/*.ann`` of a split with its ``text/*.txt`` (matched by the name before ``_``)."""
    text_dir, ann_dir = split_dir / "text", split_dir / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"{split_dir} needs 'text/' and 'attributions/' folders (PolNeAR layout)")
    articles = []
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        txt = text_dir / f"{stem}.txt"
        if not txt.is_file():
            txt = text_dir / f"{ann.stem}.txt"
        if not txt.is_file():
            raise FileNotFoundError(f"no text file for {ann.name} in {text_dir}")
        with txt.open(encoding="utf-8", newline="") as fh:  # keep \r\n: offsets count every character
            text = fh.read()
        articles.append(AnnotatedArticle(ann.stem, text, parse_ann(ann.read_text("utf-8"), str(ann))))
    return articles
