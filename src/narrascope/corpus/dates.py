"""Find date expressions in English news text and resolve them against the article's date.

Why not a general date parser: news dates are a small closed set ("Nov. 28", "1st November",
"on Monday", "yesterday", "last month", "December 2023"), and the interesting part is resolving
the relative and year-less ones against the publication date, with a known precision. A regex over
that set is fast (whole corpora), deterministic and easy to audit.

Year-less dates take the year that puts them nearest the article date, counting the future double:
a report mostly looks back ("on 10 October" in a December article is last October) but still
allows an announced date a few weeks ahead.

A date after "since" is not found: "every month since February 2022", "has carried ... since August"
say when a span began, not when what the sentence reports happened, and a timeline that dated it
there would put a current claim years back.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Precision = Literal["day", "week", "month", "year"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = r"(?P<{0}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DAY = r"(?P<{0}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>(?:19|20)\d\d)"

_PATTERNS = [
    ("iso", rf"\b{_YEAR.format('y')}-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"),
    ("day_month", rf"\b{_DAY.format('d')}(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?{_MONTH.format('mn')}(?:,?\s+{_YEAR.format('y')})?\b"),
    ("month_day", rf"\b{_MONTH.format('mn')}\s+{_DAY.format('d')}(?:\s*[-–]\s*\d{{1,2}})?(?:,?\s+{_YEAR.format('y')})?\b(?!:)"),
    ("month_year", rf"\b(?:in\s+|early\s+|late\s+|mid-)?{_MONTH.format('mn')}\s+{_YEAR.format('y')}\b"),
    ("weekday", r"\b(?i:on|last|this|by|until)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    ("relative", r"\b(?P<rel>(?i:yesterday|today|last\s+(?:week|month|year)|earlier\s+this\s+(?:week|month|year)|this\s+(?:week|month|year)))\b"),
    ("in_month", r"\b(?:in|until|by)\s+(?:early\s+|late\s+|mid-)?(?P<mn>January|February|March|April|May|June|July|August|September|October|November|December)\b(?!\s+\d)"),
]
_DATE_RE = re.compile("|".join(f"(?P<_{kind}>{rx.replace('(?P<', f'(?P<{kind}_')})" for kind, rx in _PATTERNS))
# "since" right before a date: the start of a span, no date of the event (module docstring).
_SINCE_BEFORE = re.compile(r"\bsince\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    text: str
    date: date
    precision: Precision

    @property
    def iso(self) -> str:
        """``YYYY-MM-DD`` for days, ``YYYY-Www`` for weeks, ``YYYY-MM`` for months, ``YYYY`` for years."""
        year, week, _ = self.date.isocalendar()
        return {"day": self.date.isoformat(), "week": f"{year}-W{week:02d}", "month": self.date.isoformat()[:7],
                "year": str(self.date.year)}[self.precision]


def _nearest_year(month: int, day: int, base: date) -> date | None:
    """The (year, month, day) nearest to ``base``, future distances counted double."""
    best, best_cost = None, None
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        delta = (candidate - base).days
        cost = 2 * delta if delta > 0 else -delta
        if best_cost is None or cost < best_cost:
            best, best_cost = candidate, cost
    return best


def _month_start(d: date, months_back: int = 0) -> date:
    index = d.year * 12 + d.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _resolve(kind: str, g: dict[str, str | None], base: date | None) -> tuple[date, Precision] | None:
    def get(name: str) -> str | None:
        return g.get(f"{kind}_{name}")

    year = int(get("y")) if get("y") else None
    month = _MONTHS.get((get("mn") or "").lower().rstrip("."), None) if get("mn") else None
    if kind == "iso":
        return date(int(get("y")), int(get("m")), int(get("d"))), "day"
    if kind in ("day_month", "month_day"):
        day = int(get("d"))
        if year is not None:
            try:
                return date(year, month, day), "day"
            except ValueError:
                return None
        found = _nearest_year(month, day, base) if base else None
        return (found, "day") if found else None
    if kind == "month_year":
        return date(year, month, 1), "month"
    if base is None:
        return None
    if kind == "in_month":
        found = _nearest_year(month, 1, _month_start(base))
        return (found, "month") if found else None
    if kind == "weekday":
        back = (base.weekday() - _WEEKDAYS[get("wd").lower()]) % 7
        return base - timedelta(days=back), "day"
    rel = " ".join(get("rel").lower().split())
    if rel == "yesterday":
        return base - timedelta(days=1), "day"
    if rel == "today":
        return base, "day"
    unit = rel.rsplit(" ", 1)[1]
    past = rel.startswith("last")
    if unit == "week":
        return base - timedelta(days=base.weekday() + (7 if past else 0)), "week"
    if unit == "month":
        return _month_start(base, 1 if past else 0), "month"
    return date(base.year - (1 if past else 0), 1, 1), "year"


def find_dates(text: str, base: date | None = None, offset: int = 0) -> Iterator[FoundDate]:
    """Date expressions in ``text`` resolved against ``base`` (the article date); unresolvable ones
    (relative dates without a base) are skipped. ``offset`` is added to the returned positions."""
    for m in _DATE_RE.finditer(text):
        if _SINCE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        kind = m.lastgroup[1:] if m.lastgroup else ""
        try:
            resolved = _resolve(kind, m.groupdict(), base)
        except ValueError:
            resolved = None
        if resolved is not None:
            found, precision = resolved
            yield FoundDate(offset + m.start(), offset + m.end(), m.group(0), found, precision)
