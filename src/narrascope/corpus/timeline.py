"""A corpus timeline: dated statements (quotes) and dated events (sentences), in date order.

Statements are quotes whose date the quote layer resolved (``Quote.date``), or whose ``date_span``
this module can resolve. Events are sentences that carry a date expression ("on Nov. 28", "last
month"), resolved against the article's publication date (see ``dates.py``). Every entry points
back to its article, outlet and character offsets so it can be checked in the text.

Streaming: entries are collected per article and sorted once; filters (``since``, ``until``,
``actor``) are applied while reading, so a narrow timeline of a huge corpus stays small.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from ..model import Analysis, Span
from .common import outlet_of, parse_date, speaker_of, within
from .dates import FoundDate, Precision, find_dates

# Rough sentence units for articles the spaCy step did not split (blank-line or end-of-sentence breaks).
_SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+[\"”’']?|$)", re.MULTILINE)


class TimelineEntry(BaseModel):
    date: str = Field(description="ISO date of the statement or event: YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY.")
    precision: Precision
    day: str = Field(description="First day of that period (YYYY-MM-DD), for sorting and plotting.")
    kind: Literal["statement", "event"]
    text: str = Field(description="The quote content (statement) or the sentence (event).")
    start: int
    end: int
    date_text: str | None = Field(None, description="The date expression as written, when there is one.")
    date_start: int | None = None
    date_end: int | None = None
    speaker: str | None = None
    speaker_key: str | None = None
    sourcing: str | None = Field(None, description="What it rests on (from the quote or the claim).")
    quote_id: str | None = None
    claim_id: str | None = None
    actors: list[str] = Field(default_factory=list, description="Keys of actors mentioned in the text.")
    article_id: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None


class Timeline(BaseModel):
    entries: list[TimelineEntry]
    n_articles: int = 0
    date_from: str | None = None
    date_to: str | None = None


def _sentences(a: Analysis) -> list[Span]:
    if a.sentences:
        return a.sentences
    text = a.article.text
    return [Span.of(text, m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _actors_in(a: Analysis, span: Span) -> list[str]:
    return sorted({e.id for e in a.entities for m in e.mentions if within(m, span)})


def article_entries(a: Analysis) -> Iterator[TimelineEntry]:
    """The dated statements and events of one article."""
    base = parse_date(a.article.published)
    meta = {"article_id": a.article.id, "outlet": outlet_of(a), "title": a.article.title,
            "published": a.article.published}
    used_date_spans: set[tuple[int, int]] = set()
    for q in a.quotes:
        found = _quote_date(q.date, q.date_span, base)
        if found is None:
            continue
        iso, precision, day = found
        ref = speaker_of(a, q)
        if q.date_span is not None:
            used_date_spans.add((q.date_span.start, q.date_span.end))
        yield TimelineEntry(
            date=iso, precision=precision, day=day, kind="statement", text=q.content.text, start=q.content.start,
            end=q.content.end, date_text=q.date_span.text if q.date_span else None,
            date_start=q.date_span.start if q.date_span else None, date_end=q.date_span.end if q.date_span else None,
            speaker=ref.name if ref else None, speaker_key=ref.key if ref else None, sourcing=q.sourcing.kind,
            quote_id=q.id, actors=_actors_in(a, q.content), **meta,
        )
    for sentence in _sentences(a):
        claim = next((c for c in a.claims if c.span.start < sentence.end and sentence.start < c.span.end), None)
        hedges = [h.start for h in claim.hedges] if claim else []
        for found in find_dates(sentence.text, base, offset=sentence.start):
            if any(s < found.end and found.start < e for s, e in used_date_spans):
                continue  # already on the timeline as the date of a statement
            if any(h < found.start for h in hedges):
                continue  # the date of a hypothesis or a forecast ("which it might have to do if … today")
            yield TimelineEntry(
                date=found.iso, precision=found.precision, day=found.date.isoformat(), kind="event",
                text=sentence.text, start=sentence.start, end=sentence.end, date_text=found.text,
                date_start=found.start, date_end=found.end,
                sourcing=claim.sourcing.kind if claim else None, claim_id=claim.id if claim else None,
                actors=_actors_in(a, sentence), **meta,
            )


def _quote_date(value: str | None, span: Span | None, base: date | None) -> tuple[str, Precision, str] | None:
    """(iso, precision, first day) from the quote layer's absolute date, else from its date span."""
    if value:
        precision: Precision = {7: "month", 4: "year"}.get(len(value), "day")
        day = parse_date(value + {"month": "-01", "year": "-01-01"}.get(precision, ""))
        if day is not None:
            return value, precision, day.isoformat()
    if span is not None:
        found: FoundDate | None = next(find_dates(span.text, base), None)
        if found is not None:
            return found.iso, found.precision, found.date.isoformat()
    return None


def timeline(
    analyses: Iterable[Analysis],
    *,
    since: str | None = None,
    until: str | None = None,
    actor: str | None = None,
    kinds: Iterable[str] = ("statement", "event"),
) -> Timeline:
    """Every dated statement and event, sorted by date then outlet and position.

    ``since``/``until`` are inclusive ISO dates (``until`` may be a prefix: ``2023-11``); ``actor``
    keeps entries whose speaker or a mentioned actor has that key (an entity id, or
    ``name:<folded name>``).
    """
    wanted = set(kinds)
    entries: list[TimelineEntry] = []
    n_articles = 0
    for a in analyses:
        n_articles += 1
        for entry in article_entries(a):
            if entry.kind not in wanted:
                continue
            if (since and entry.day < since) or (until and entry.day[: len(until)] > until):
                continue
            if actor and actor != entry.speaker_key and actor not in entry.actors:
                continue
            entries.append(entry)
    entries.sort(key=lambda e: (e.day, e.published or "", e.outlet or "", e.article_id, e.start))
    return Timeline(entries=entries, n_articles=n_articles, date_from=entries[0].day if entries else None,
                    date_to=entries[-1].day if entries else None)
