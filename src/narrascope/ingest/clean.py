"""The ``clean`` component: from a decoded input to the ``Article`` whose text every offset refers to.

Why a separate, conservative step: articles copied or scraped from the web arrive with page furniture
("Print Friendly, PDF & Email", "11 min read", share buttons, photo captions, the author's bio) that
would otherwise become "claims" and "quotes". What counts as furniture is data
(``data/furniture.yaml``), and everything removed is listed in ``Article.removed`` so nothing
disappears silently. The byline block (author, date) is read into metadata and removed too.

What it does *not* do: rewrite the article. Words, punctuation and typographic quotes are kept as
they are; only whitespace is normalised (runs of spaces collapsed, at most one blank line between
paragraphs). The headline stays as the first paragraph of the text (as in the SemEval corpora the
classifiers learn from) and is also put in ``Article.title``; a title known only from metadata (HTML,
JSON) is prepended the same way, so every format yields the same shape of text.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from ..model import Analysis, Article
from ..pipeline import Doc, registry

_DATE_WORDS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENGLISH_DATES = (  # common English date forms: the fast path of parse_date, and what a date line is
    re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_DATE_WORDS}),?\s+(?P<y>\d{{4}})", re.IGNORECASE),
    re.compile(rf"(?P<m>{_DATE_WORDS})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.IGNORECASE),
    re.compile(r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})"),  # day first, as outside the US
)
# What may surround the date on a byline date line: "Wednesday, Nov 29, 2023, 10:42 CET".
_WEEKDAY = re.compile(r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+", re.IGNORECASE)
_TIME = re.compile(r"[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?$", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Languages dateparser tries for non-ISO dates; naming them avoids its (seconds-long) auto-detection.
DATE_LANGUAGES = ["en", "de", "fr", "es", "it", "pl", "uk", "ru"]
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*|de|del|van|von|der|al|bin|ibn|la|le")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))  # zero-width spaces, BOM, soft hyphen
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass
class Furniture:
    """The compiled patterns of ``data/furniture.yaml``."""

    lines: list[re.Pattern]
    glued: re.Pattern
    read_time: re.Pattern
    captions: list[re.Pattern]
    rank_caption: re.Pattern
    bios: list[re.Pattern]
    byline: re.Pattern
    date_prefix: re.Pattern

    @classmethod
    def from_yaml(cls, text: str) -> Furniture:
        data = yaml.safe_load(text)

        def rx(p: str) -> re.Pattern:
            return re.compile(p, re.IGNORECASE)

        ranks = "|".join(f"(?:{r})" for r in data["ranks"])
        return cls(
            lines=[rx(f"(?:{p})") for p in data["lines"]],
            glued=rx("|".join(f"(?:{p})" for p in data["glued"])),
            read_time=rx(data["read_time"]),
            captions=[rx(p) for p in data["captions"]],
            rank_caption=rx(rf"(?:{ranks})\s+\S.*"),
            bios=[rx(p) for p in data["bios"]],
            byline=rx(data["byline"]),
            date_prefix=rx(data["date_prefix"]),
        )

    def is_line_furniture(self, line: str) -> bool:
        return any(p.fullmatch(line) for p in self.lines)

    def is_caption(self, line: str) -> bool:
        return len(line.split()) <= 40 and any(p.search(line) for p in self.captions)

    def is_rank_caption(self, line: str) -> bool:
        """'Gen Valery Zaluzhny': an office or rank followed only by a name."""
        match = self.rank_caption.fullmatch(line)
        return bool(match) and looks_like_name(line)

    def is_bio(self, block: str) -> bool:
        return len(block.split()) <= 80 and any(p.search(block) for p in self.bios)


@cache
def furniture() -> Furniture:
    text = resources.files("narrascope.data").joinpath("furniture.yaml").read_text("utf-8")
    return Furniture.from_yaml(text)


def looks_like_name(line: str) -> bool:
    """Two to six capitalised words and nothing else: a byline name or a caption, not a sentence. Short
    lower-case particles may stand between them (Ursula von der Leyen), but not alone: "By the end" was a
    byline by "the end"."""
    tokens = line.split()
    if not 2 <= len(tokens) <= 6 or len(line) > 60 or line.rstrip().endswith((":", ",", ";", "?", "!")):
        return False
    return all(_NAME_TOKEN.fullmatch(t) and (t[0].isupper() or t.islower() and len(t) <= 3) for t in tokens) and any(
        t[0].isupper() for t in tokens)


@lru_cache(maxsize=4096)
def parse_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date string in any common form, or None."""
    if not value or not (value := value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()  # RSS dates
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in _ENGLISH_DATES:  # common English forms without dateparser's ~10 ms per call
        if match := pattern.search(value):
            month = match["m"]
            number = int(month) if month.isdigit() else _MONTHS.index(month[:3].lower()) + 1
            try:
                return dt.date(int(match["y"]), number, int(match["d"])).isoformat()
            except ValueError:
                return None
    import dateparser  # slow import: only for dates in other languages and forms

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"]}
    parsed = dateparser.parse(value, languages=DATE_LANGUAGES, settings=settings)
    return parsed.date().isoformat() if parsed else None


def date_line(line: str) -> str | None:
    """The ISO date when ``line`` is only a (possibly labelled) date, else None: prose never reaches
    the date parser."""
    body = furniture().date_prefix.sub("", line, count=1).strip()
    body = _TIME.sub("", _WEEKDAY.sub("", body, count=1)).strip()
    if _ISO_DATE.fullmatch(body) or any(p.fullmatch(body) for p in _ENGLISH_DATES):
        return parse_date(body)
    return None


# A place and a date alone on a header line: "Brussels, 12 July 2024", "Kyiv, Dec. 2, 2023".
_PLACE_DATE = re.compile(r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,2},\s*(?P<date>[^,].+)")

# A wire dateline that names its agency, at the start of a line: "MOSCOW, November 14. /TASS/.", "WASHINGTON
# (Reuters) -", "ISTANBUL, July 18 (Harbor News) -" (the place in capitals, an optional date, the agency in brackets
# or slashes).
_WIRE_DATELINE = re.compile(r"(?m)^[A-Z][A-Z.'’ -]*[A-Z](?:,[ ][^\n()/]{1,30}?)?[ .]*"
                            r"(?:\((?P<paren>[A-Za-z][^()\n]{1,40})\)[ ]*[-–—]|/(?P<slash>[A-Z][^/\n]{1,30})/)")

# A dateline that carries a full date at the start of a line: "KYIV, March 3, 2024 —", "MOSCOW, November 14, 2023.
# /TASS/.", "GENEVA, 2 July 2025 (Harbor News) -". Without a year ("KYIV, March 11 -") it cannot date the article.
_DATED_DATELINE = re.compile(r"(?m)^[A-Z][A-Z.'’ -]*[A-Z](?:,[ ][A-Z][a-z]+)?,[ ](?P<date>[^\n()/–—]{5,30}?\d{4})"
                             r"[ .]*(?:\(|/|[-–—][ ])")


# One capitalised word after "By": a wire agency or a one-word byline ("By Reuters", "By AFP", "By Kovalenko"),
# which stayed in the text as a paragraph; not a day or a month ("By Monday", "By March").
_ONE_NAME = re.compile(rf"(?!(?i:{_DATE_WORDS}|(?:mon|tues|wednes|thurs|fri|satur|sun)day)$)[A-Z][\w'’.-]+")


@dataclass
class Cleaned:
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    removed: list[str] = field(default_factory=list)
    outlet: str | None = None  # a wire agency named in the dateline: "MOSCOW, November 14. /TASS/.", "(Reuters) -"


def _normalise(text: str) -> list[list[str]]:
    """Blocks (paragraphs) of trimmed lines, with spaces collapsed and invisible characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _unglue(line: str, f: Furniture) -> list[str]:
    """Split furniture glued to text ('...EmailGen Valery', '11 min readNov 29') into separate lines."""
    parts: list[str] = []
    rest = line
    while match := f.glued.search(rest):
        parts += [rest[: match.start()].strip(), match.group(0)]
        rest = rest[match.end():]
    parts.append(rest.strip())
    if (match := f.read_time.match(parts[-1])) and match.end() < len(parts[-1]):
        parts[-1:] = [match.group(0), parts[-1][match.end():].strip()]
    return [p for p in parts if p]


class Cleaner:
    """Strip furniture, read the headline and byline, normalise whitespace (see module docstring)."""

    def __init__(self, patterns: Furniture | None = None):
        self.f = patterns or furniture()

    def __call__(self, text: str, meta: dict[str, Any] | None = None) -> Cleaned:
        meta = meta or {}
        removed: list[str] = []
        blocks = _normalise(text)
        # Text glued after furniture on the very last line ("...& EmailGen Valery Zaluzhny") is the start
        # of whatever followed the article on the page: a stray caption or headline, dropped below.
        last = _unglue(blocks[-1][-1], self.f) if blocks else []
        stray = last[-1] if len(last) > 1 and self.f.is_line_furniture(last[-2]) else None
        blocks = [[p for line in block for p in _unglue(line, self.f)] for block in blocks]
        blocks = [self._drop_furniture(b, removed) for b in blocks]
        blocks = [b for b in blocks if b]
        # A feed item's title is the feed's wording of the page's headline ("Kyiv's" for the page's "Kyiv’s",
        # a " | Outlet" suffix): a plain-text page's own headline wins, as an HTML page's metadata does
        # (extract_html), else both stood at the top of the text. The feed's title is the fallback.
        feed_title = meta.get("title") if "feed" in meta and "html" not in meta else None
        out = Cleaned(text="", author=meta.get("author"), published=parse_date(meta.get("published")),
                      title=None if feed_title else meta.get("title"), removed=removed)
        blocks = self._header(blocks, out)
        blocks = self._tail(blocks, out)
        if stray and len(blocks) > 1 and blocks[-1] == [stray] and len(stray.split()) <= 8:
            out.removed.append(blocks.pop()[0])
        out.title = out.title or feed_title
        if out.title:
            out.title = " ".join(out.title.split())
            if not blocks or _headline_key(blocks[0][0]) != _headline_key(out.title):
                blocks.insert(0, [out.title])
        out.text = "\n\n".join("\n".join(b) for b in blocks)
        if wire := _WIRE_DATELINE.search(out.text[:600]):
            out.outlet = " ".join((wire["paren"] or wire["slash"]).split())
        if out.published is None and (dated := _DATED_DATELINE.search(out.text[:600])):
            out.published = date_line(dated["date"])  # the page gave no date; the wire's dateline says when it was filed
        out.removed = _reading_order(out.removed, _SPACES.sub(" ", text))
        if not out.text.strip() or (out.title and out.text == out.title):
            raise ValueError("no article text left after cleaning (the input was empty or only page furniture)")
        return out

    def _drop_furniture(self, block: list[str], removed: list[str]) -> list[str]:
        """The block without its furniture lines. A link-list heading ("Read more:", "Related stories:") takes
        the headline-like lines under it in its block with it: its links were kept as the article's text."""
        kept = []
        listing = False
        for line in block:
            if self.f.is_line_furniture(line) or self.f.is_caption(line) or (listing and _is_link_line(line)):
                removed.append(line)
                listing = listing or (line.endswith(":") and self.f.is_line_furniture(line))
            else:
                kept.append(line)
                listing = False
        return kept

    def _header(self, blocks: list[list[str]], out: Cleaned) -> list[list[str]]:
        """Read the caption / headline / byline at the top: the short blocks before the first long one."""
        head: list[list[str]] = []
        i = 0
        while i < len(blocks) and i < 8 and len(" ".join(blocks[i]).split()) < 30:
            head.append(blocks[i])
            i += 1
        body = blocks[i:]
        kept: list[list[str]] = []
        for n, block in enumerate(head):
            lines = []
            for j, line in enumerate(block):
                nxt = block[j + 1] if j + 1 < len(block) else None
                if self._byline(line, nxt, out):
                    out.removed.append(line)
                elif n == 0 and j == 0 and len(head) > 1 and self.f.is_rank_caption(line) and len(block) == 1:
                    out.removed.append(line)  # a photo caption above the headline
                else:
                    lines.append(line)
            if lines:
                kept.append(lines)
        if out.title is None and kept and (body or len(kept) > 1) and _is_headline(kept[0]):
            out.title = kept[0][0]
        return kept + body

    def _byline(self, line: str, nxt: str | None, out: Cleaned) -> bool:
        """Whether ``line`` is part of a byline; records the author or date it carries."""
        if iso := date_line(line):
            out.published = out.published or iso
            return True
        if (match := self.f.byline.match(line)) and all(
            looks_like_name(name) or _ONE_NAME.fullmatch(name)
            for name in re.split(r",\s*|\s+and\s+|\s*&\s*", match["author"])
        ):
            out.author = out.author or match["author"]
            if rest := match["rest"]:  # "3 February 2024", or after an outlet: "Global Review, Feb 3, 2024"
                parts = re.split(r"\s*[,|–—]\s*", rest)
                out.published = out.published or next(
                    (iso for k in range(len(parts)) if (iso := date_line(", ".join(parts[k:])))), None)
            return True
        if (placed := _PLACE_DATE.fullmatch(line)) and (iso := date_line(placed["date"])):
            out.published = out.published or iso  # "Brussels, 12 July 2024": where and when it was filed
            return True
        # A bare name directly above a date or reading-time line: "Paul Mason" / "11 min read...".
        if nxt is not None and looks_like_name(line) and (date_line(nxt) or self.f.read_time.match(nxt)):
            out.author = out.author or line
            return True
        return bool(out.author) and line.casefold() == out.author.casefold()

    def _tail(self, blocks: list[list[str]], out: Cleaned) -> list[list[str]]:
        """Drop the author's sign-off, bio and stray captions at the very end."""
        author = (out.author or "").casefold()
        while len(blocks) > 1:
            block = blocks[-1]
            joined = " ".join(block)
            first = block[0]
            if (author and first.casefold() == author) or self.f.is_bio(joined) or (
                len(block) == 1 and self.f.is_rank_caption(first)
            ):
                if author and first.casefold() == author and len(block) > 1:
                    out.removed.append(first)  # "Paul Mason" + bio lines in one block
                    block = block[1:]
                    if not self.f.is_bio(" ".join(block)):
                        blocks[-1] = block
                        break
                out.removed.append("\n".join(block))
                blocks.pop()
            else:
                break
        return blocks


def _reading_order(removed: list[str], text: str) -> list[str]:
    """Removed pieces sorted by where they stood; a piece found twice ("Paul Mason" in the byline and
    the sign-off) takes its next occurrence each time, as pieces are collected top-down per kind."""
    last: dict[str, int] = {}
    keyed = []
    for item in removed:
        first = item.split("\n", 1)[0]
        last[first] = text.find(first, last.get(first, -1) + 1)
        keyed.append((last[first] if last[first] >= 0 else len(text), item))
    return [item for _, item in sorted(keyed, key=lambda pair: pair[0])]


_TYPOGRAPHY = str.maketrans(dict.fromkeys("‘’‚‛′", "'") | dict.fromkeys("“”„‟″", '"') | dict.fromkeys("–—‐‑", "-"))


def _headline_key(line: str) -> str:
    """A headline as compared with a title from metadata: case, typographic quotes and dashes, spacing
    and a closing full stop aside ("Kyiv's …" from a JSON field is the text's "Kyiv’s …")."""
    return " ".join(line.translate(_TYPOGRAPHY).casefold().split()).removesuffix(".")


def _is_link_line(line: str) -> bool:
    """A line of a link list: a headline, short and without a sentence's closing punctuation."""
    return len(line.split()) <= 20 and not line.rstrip("\"'”’)").endswith((".", "!", "?", ":", ";"))


def _is_headline(block: list[str]) -> bool:
    """One short line that does not read like a lede: headlines rarely end with a full stop, and those
    that do (some corpora add one) are short; a one-sentence first paragraph is usually longer."""
    line = block[0]
    words = len(line.split())
    return len(block) == 1 and words <= (14 if line.rstrip("\"'”’").endswith(".") else 30)


class Clean:
    """Pipeline step: ``doc.raw`` -> ``doc.analysis`` with a clean ``Article``."""

    version = "1"

    def __init__(self) -> None:
        self.cleaner = Cleaner()

    def __call__(self, doc: Doc) -> Doc:
        raw = doc.raw
        if raw is None:
            if doc.analysis is None:
                raise ValueError("nothing to clean: the document has neither raw input nor an article")
            return doc  # already-clean article (re-analysis): nothing to do
        meta = raw.meta
        cleaned = self.cleaner(raw.content, meta)
        fallback = meta.get("defaults", {})  # what the user gave for inputs that carry none (``iter_raw``)
        article = Article(
            id=Article.make_id(cleaned.text),
            text=cleaned.text,
            title=cleaned.title,
            url=meta.get("url"),
            source=raw.source,
            outlet=meta.get("outlet") or cleaned.outlet or fallback.get("outlet"),
            author=cleaned.author or fallback.get("author"),
            published=cleaned.published or parse_date(fallback.get("published")),
            raw=meta.get("raw") or meta.get("html") or raw.content,  # a JSON record, a page, or the text
            raw_format=raw.format,
            removed=cleaned.removed,
        )
        if meta.get("encoding") and meta["encoding"] not in ("utf-8", "ascii"):
            article.warnings.append(f"decoded as {meta['encoding']}")
        if meta.get("published") and not parse_date(meta["published"]):
            article.warnings.append(f"publication date {meta['published']!r} not understood; ignored")
        doc.analysis = Analysis(article=article)
        return doc


@registry.components.register("clean")
def make_clean() -> Clean:
    """Factory for the ``clean`` pipeline step (patterns come from ``data/furniture.yaml``)."""
    return Clean()
