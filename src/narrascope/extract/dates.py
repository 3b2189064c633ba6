"""Resolve the date expressions of news text ("Dec. 1", "on 20 November", "last month", "Monday") to ISO dates.

Statements are dated relative to the article's publication date, so resolution needs an *anchor*:

* A day and month without a year ("Dec. 1", "20 November", "1st November") takes the anchor's year, or the
  year before when that would put the day more than a week after publication (news reports the past).
* "last month" / "this month" resolve to month granularity ``YYYY-MM``; "last year" / "this year" to ``YYYY``;
  "last week" / "this week" to the ISO week ``YYYY-Www``; "yesterday" / "today" to a day.
* A month named alone ("in November", "mid-March") is the latest such month up to publication (``YYYY-MM``).
* A weekday ("Monday") is the latest such day on or before publication; "last Monday" the latest one
  *before* it (an article of a Friday means the week before by "last Friday", not that day).
* A count back ("two weeks ago", "three days ago", "a month ago") resolves at the granularity of its unit;
  "the day before yesterday" is two days back.
* A range ("Nov. 28-29") resolves to its first day.
* Without an anchor (``published`` is None) only expressions that carry their own year resolve
  ("December 1, 2023", "2023-12-01", "November 2023", "in 2022"); everything else returns None.
  ``resolve_with_year`` is the best effort for such articles: a day and month take a year the article
  itself writes elsewhere (``years_in``), and the caller marks the result as *inferred*. A year is never
  invented: with none in the text the date stays unresolved.

The output is always an ISO 8601 string (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``YYYY-Www``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_PATTERNS = [
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month_num>\d\d)-(?P<day>\d\d)"),
    re.compile(_MONTH + r"\s+" + _DAY + r"(?:\s*[-–]\s*\d{1,2})?" + _YEAR, re.I),
    re.compile(_DAY + r"(?:\s*[-–]\s*\d{1,2})?\s+(?:of\s+)?" + _MONTH + _YEAR, re.I),
]
_MONTH_YEAR = re.compile(_MONTH + r",?\s+(?P<year>(?:19|20)\d\d)", re.I)
_YEAR_ONLY = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")
# A month named alone, spelt out and capitalised ("in November", "mid-March"; "may" is a verb)
_MONTH_ONLY = re.compile(r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November"
                         r"|December)\b")
_RELATIVE = re.compile(r"\b(?P<which>last|this|past|previous)\s+(?P<unit>month|year|week)\b", re.I)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_AGO = re.compile(r"\b(?P<n>\d{1,2}|" + "|".join(_NUMBERS) + r")\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)


def parse_anchor(published: str | date | None) -> date | None:
    """The publication date as a ``date`` (None when absent or not ISO)."""
    if published is None or isinstance(published, date):
        return published
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _month_day(month: int, day: int, year: int | None, anchor: date | None) -> str | None:
    if year is None:
        if anchor is None:
            return None
        year = anchor.year
        try:
            if date(year, month, day) > anchor + timedelta(days=7):
                year -= 1
        except ValueError:
            return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def resolve(expr: str, published: str | date | None = None) -> str | None:
    """The ISO date an expression refers to, relative to ``published``; None when it cannot be resolved."""
    anchor = parse_anchor(published)
    text = " ".join(expr.split())
    for pattern in _PATTERNS:
        m = pattern.search(text)
        if m:
            groups = m.groupdict()
            month = int(groups["month_num"]) if groups.get("month_num") else MONTHS[groups["month"].lower()]
            year = int(groups["year"]) if groups.get("year") else None
            return _month_day(month, int(groups["day"]), year, anchor)
    if m := _MONTH_YEAR.search(text):
        return f"{int(m['year']):04d}-{MONTHS[m['month'].lower()]:02d}"
    lower = text.lower()
    if anchor is not None:
        if m := _RELATIVE.search(lower):
            return _relative(m["which"], m["unit"], anchor)
        if (m := _MONTH_ONLY.search(text)) and not _YEAR_ONLY.search(text):
            month = MONTHS[m["month"].lower()]
            return f"{anchor.year - (month > anchor.month):04d}-{month:02d}"
        if m := _AGO.search(lower):
            return _ago(_NUMBERS.get(m["n"]) or int(m["n"]), m["unit"], anchor)
        if re.search(r"\bday before yesterday\b", lower):
            return (anchor - timedelta(days=2)).isoformat()
        if re.search(r"\byesterday\b", lower):
            return (anchor - timedelta(days=1)).isoformat()
        if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", lower):
            return anchor.isoformat()
        for i, name in enumerate(WEEKDAYS):
            if m := re.search(rf"\b(?:(last|past|previous)\s+)?{name}\b", lower):
                back = (anchor.weekday() - i) % 7 or (7 if m[1] else 0)
                return (anchor - timedelta(days=back)).isoformat()
    if m := _YEAR_ONLY.search(text):
        return m["year"]
    return None


def years_in(text: str) -> list[tuple[int, int]]:
    """(character offset, year) of every explicit year the text writes ("in 2022", "November 2023").

    Only four-digit numbers 1900-2099 that stand alone and are not amounts ("2000 troops" is not a year:
    a year is followed by punctuation, the end, or a word that is not a plural noun-like count word).
    """
    out = []
    for m in _YEAR_ONLY.finditer(text):
        after = text[m.end() : m.end() + 20]
        if re.match(r"\s+[a-z]+s\b", after) and not re.match(r"\s+(?:was|has|is|elections?|as)\b", after):
            continue  # "2000 troops", "1500 soldiers": a count
        if text[max(0, m.start() - 1) : m.start()] in ("$", "€", "£", "#") or text[m.end() : m.end() + 1] in ("%",):
            continue
        out.append((m.start(), int(m["year"])))
    return out


def resolve_with_year(expr: str, published: str | date | None, years: list[tuple[int, int]], at: int
                      ) -> tuple[str | None, bool]:
    """(ISO date, inferred): ``resolve`` first; when that fails for want of an anchor and the expression
    is a day and month without a year ("Dec. 2"), the year the article writes nearest to offset ``at``
    (``years`` from ``years_in``) is used and the result is flagged inferred."""
    resolved = resolve(expr, published)
    if resolved is not None or parse_anchor(published) is not None or not years:
        return resolved, False
    text = " ".join(expr.split())
    for pattern in _PATTERNS[1:]:
        if m := pattern.search(text):
            year = min(years, key=lambda y: abs(y[0] - at))[1]
            return _month_day(MONTHS[m["month"].lower()], int(m["day"]), year, None), True
    return None, False


def _ago(n: int, unit: str, anchor: date) -> str:
    """"two weeks ago" and the like, at the precision of the unit (a week is an ISO week)."""
    if unit == "year":
        return str(anchor.year - n)
    if unit == "month":
        months = anchor.year * 12 + anchor.month - 1 - n
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    day = anchor - timedelta(days=n * (7 if unit == "week" else 1))
    return day.isoformat() if unit == "day" else _iso_week(day)


def _iso_week(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def _relative(which: str, unit: str, anchor: date) -> str:
    """"last month", "this week" and the like: "last"/"past"/"previous" is one unit back."""
    if which.lower() != "this":
        return _ago(1, unit, anchor)
    if unit == "year":
        return str(anchor.year)
    return f"{anchor.year:04d}-{anchor.month:02d}" if unit == "month" else _iso_week(anchor)
