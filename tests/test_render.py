"""The terminal rendering of one analysis (``show``, ``analyze --format text``): what a reader sees."""

from __future__ import annotations

import io
import re

from rich.console import Console

from narrascope.model import (
    Analysis, Article, Claim, NarrativeLabel, Sourcing, SourcingProfile, Span, TechniqueSpan,
)
from narrascope.render import clipped, percentages, print_analysis


def shown(analysis: Analysis) -> str:
    console = Console(width=400, record=True, file=io.StringIO())
    print_analysis(analysis, console)
    return console.export_text()


def test_sourcing_line_shows_every_kind_and_adds_up_to_100():
    profile = SourcingProfile(n_claims=10, named=0.4, anonymous=0.1, group=0.2, unattributed=0.3, n_named_sources=3)
    line = next(line for line in shown(Analysis(article=Article(id="x", text="A claim."), sourcing=profile))
                .splitlines() if "Sourcing profile" in line)
    assert "named 40%, anonymous 10%, group 20%, unattributed 30%" in line
    thirds = percentages([1 / 3, 1 / 3, 1 / 3, 0.0])
    assert sum(thirds) == 100 and sorted(thirds) == [0, 33, 33, 34]


def test_a_long_hedged_claim_is_cut_at_a_word_with_an_ellipsis():
    text = "Officials may " + "possibly " * 25 + "agree that Russia would win."
    claim = Claim(id="c1", span=Span.of(text, 0, len(text)), sourcing=Sourcing(kind="unattributed"), hedged=True,
                  hedges=[Span.of(text, 10, 13)])
    out = shown(Analysis(article=Article(id="x", text=text), claims=[claim],
                         sourcing=SourcingProfile(n_claims=1, unattributed=1.0, hedged=1.0)))
    hedged = next(line for line in out.splitlines() if "hedged (may)" in line)
    assert re.search(r"possibly…\s*│$", hedged), hedged  # a whole word, then the ellipsis
    assert clipped("and that Russia would", 14) == "and that…" and clipped("short", 14) == "short"


def test_no_narrative_reads_as_none_not_as_a_strong_other():
    other = NarrativeLabel(label="Other", narrative="Other", confidence=0.74, explanation="No narrative of the …")
    out = shown(Analysis(article=Article(id="x", text="A claim."), narratives=[other]))
    assert "Narratives: none of the taxonomy (p=0.26 that the article pushes one)" in out
    assert "0.74" not in out and "why: No narrative" in out


def test_narratives_are_listed_by_confidence():
    labels = [NarrativeLabel(label=f"URW: N{i}: S", narrative=f"URW: N{i}", confidence=c) for i, c in enumerate((0.2, 0.3))]
    out = shown(Analysis(article=Article(id="x", text="A claim."), narratives=labels))
    assert out.index("0.30  URW: N1: S") < out.index("0.20  URW: N0: S")


def test_technique_spans_are_marked_where_they_start_and_end_and_crossing_ones_are_numbered():
    text = "They are traitors and cowards who will betray us all again."
    at = lambda words: Span.of(text, text.index(words), text.index(words) + len(words))  # noqa: E731
    techniques = [TechniqueSpan(span=at(w), technique=name, confidence=0.9) for w, name in (
        ("traitors and cowards", "Name_Calling"), ("cowards who will betray", "Loaded_Language"),
        ("betray", "Appeal_to_Fear"))]
    out = shown(Analysis(article=Article(id="x", text=text), techniques=techniques))
    assert ("They are ⟦¹traitors and ⟦²cowards¹⟧[Name_Calling 0.90] who will ⟦betray⟧[Appeal_to_Fear 0.90]²⟧"
            "[Loaded_Language 0.90] us all again.") in out


def test_an_article_in_another_language_shows_its_text_and_why_it_has_no_analysis():
    text = "Die Außenminister trafen sich am Dienstag in Genf. „Wir sind bereit“, sagte der Minister."
    german = Analysis(article=Article(id="x", text=text, language="de"), components=["clean", "language"])
    out = shown(german)
    assert "Article text (no English analysis: the article language is 'de'" in out
    assert "Die Außenminister trafen sich am Dienstag in Genf." in out
    # an English article shows its text with the technique marks, not a second time
    assert "Article text" not in shown(Analysis(article=Article(id="y", text="A claim.", language="en")))
