"""The ``extract_html`` component: main text and metadata out of a web page.

Why trafilatura: it is the best-maintained open-source main-content extractor (boilerplate removal,
JSON-LD/OpenGraph/meta-tag metadata, dates through htmldate), so navigation, comments and footers are
gone before our own ``clean`` step sees the text. Paragraphs come back one per line; we separate them
with a blank line, the paragraph convention of plain-text inputs.

The page itself is kept in ``raw.meta["html"]`` so ``Article.raw`` holds what was actually read.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

import trafilatura
from trafilatura.settings import use_config

from ..pipeline import Doc, registry

log = logging.getLogger(__name__)
# trafilatura logs a page without main text as a cryptic warning ("discarding data: None") on top of
# the one-line error we report for that input.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
_DOCUMENT = re.compile(r"<(?:html|body)\b", re.IGNORECASE)
# trafilatura's settings with a minimum extracted size of one character: its fallback extractors never run
# (see _unbroken).
_STRICT = use_config()
_STRICT.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")

# Page metadata fields -> Raw.meta keys. Values already in meta (from a JSON record or a feed item)
# are only filled in when missing, except that the page's own metadata wins over a feed's.
_FIELDS = {"title": "title", "author": "author", "sitename": "outlet", "date": "published", "url": "url"}


class HtmlExtractor:
    """Replace an HTML ``Raw``'s content by its main text and fill title/author/outlet/date/url."""

    version = "1"

    def __call__(self, doc: Doc) -> Doc:
        raw = doc.raw
        if raw is None or raw.format != "html" or "html" in raw.meta:
            return doc
        html = raw.content
        # trafilatura finds nothing in a bare fragment ("<div>...</div>", e.g. pasted into the API).
        page = html if _DOCUMENT.search(html[:5000]) else f"<html><body>{html}</body></html>"
        try:
            result = trafilatura.bare_extraction(
                page, url=raw.meta.get("url"), with_metadata=True, include_comments=False, include_tables=False
            )
        except Exception as err:  # noqa: BLE001 - lxml/trafilatura errors on hostile markup vary
            log.debug("trafilatura failed", exc_info=True)
            raise ValueError(f"could not parse the HTML: {err}") from err
        text = result.text if result is not None else None
        if not text or not text.strip():
            raise ValueError("no article text found in the HTML")
        text = _unbroken(page, text)
        meta = result.as_dict()
        from_feed = "feed" in raw.meta
        for field, key in _FIELDS.items():
            value = meta.get(field)
            if isinstance(value, str) and value.strip() and (from_feed or not raw.meta.get(key)):
                raw.meta[key] = value.strip()
        raw.meta["html"] = html
        raw.content = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
        return doc


# A line of extracted text that continues the line before it: it starts with a lower-case letter or with
# punctuation that closes a sentence or clause ("Officials said the" / "bridge" / "was closed on" / ".").
_CONTINUES = re.compile(r"\n\s*[a-z.,;:!?)]")
_WORDS = re.compile(r"\w+")


def _unbroken(page: str, text: str) -> str:
    """``text``, or the same words in whole paragraphs. On a short page (under trafilatura's 250 extracted
    characters) trafilatura's fallback cut every inline element (a link, bold, italics) into a paragraph of its
    own, and "Officials said the <a>bridge</a> was closed" became three paragraphs: sentences, quotes and claims
    broke at them. Its main extractor alone, without the fallback, keeps the paragraphs whole; it is taken when it
    loses no word (it leaves out text outside any paragraph element, which the fallback keeps)."""
    if not _CONTINUES.search(text):
        return text
    strict = trafilatura.bare_extraction(page, with_metadata=False, include_comments=False, include_tables=False,
                                         config=_STRICT)
    whole = strict.text if strict is not None else None
    if whole and Counter(_WORDS.findall(text)) <= Counter(_WORDS.findall(whole)):
        return whole
    return text


@registry.components.register("extract_html")
def make_extract_html() -> HtmlExtractor:
    """Factory for the ``extract_html`` pipeline step (no options)."""
    return HtmlExtractor()
