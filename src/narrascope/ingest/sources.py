"""Turn what a user points at — files, folders, stdin, URLs, RSS/Atom feeds — into ``Raw`` records.

Why errors are *yielded*: a researcher ingests hundreds of files or a feed of fifty links; one empty
file or a dead link must be reported (one clear line) while the rest of the batch goes on. So
``iter_raw`` yields either a ``Raw`` or an ``IngestError`` per input, in input order, and never raises
for bad input.

What is decided here: the format (``text``, ``html``, ``json``) by extension, content type or
sniffing; the text encoding (UTF-8 with or without BOM, UTF-16/32 with BOM, then charset detection
with a preference for cp1252, the usual non-UTF-8 web encoding); metadata carried by the source (JSON
fields, feed items). Cleaning and HTML extraction are pipeline components (``clean``,
``extract_html``), not done here.
"""

from __future__ import annotations

import codecs
import fnmatch
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import feedparser

from ..pipeline import Raw
from .fetch import Fetched, FetchError, fetch

DEFAULT_PATTERNS = ("*.txt", "*.html", "*.htm", "*.json", "*.jsonl", "*.md")
# File extensions whose format is known; other files are sniffed.
SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".xhtml": "html", ".json": "json", ".txt": "text", ".md": "text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_FIELDS = {"title": "title", "url": "url", "source": "outlet", "outlet": "outlet", "author": "author",
               "published": "published", "date": "published"}
_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls other than \t \n \f \r
# The charset a page or feed declares inside itself: <meta charset="windows-1251">, <meta http-equiv="Content-Type"
# content="text/html; charset=koi8-r">, <?xml version="1.0" encoding="windows-1251"?>. Looked for where browsers
# look (the start of the document).
_INLINE_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
                             re.IGNORECASE)
_MAGIC = {b"%PDF-": "a PDF", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
          b"PK\x03\x04": "a ZIP archive (or Office document)", b"\x1f\x8b": "gzip-compressed"}


@dataclass(frozen=True)
class IngestError:
    """One input that could not be read: where, and a one-line message saying why."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class _Bad(ValueError):
    """Internal: an input is unusable; becomes an ``IngestError`` for the current source."""


# --- decoding -------------------------------------------------------------------------------------


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text, returning ``(text, encoding)``. Raises ``_Bad`` for binary or garbage.

    Order: a BOM; the charset a server declared; strict UTF-8; the charset an HTML page or XML feed declares
    inside itself (a Cyrillic page in windows-1251 is mostly ASCII markup, so the next step read it as cp1252
    mojibake); then cp1252 for mostly-ASCII text (a Western text with a few accents or curly quotes: charset
    detection often mislabels short ones as cp1250 or even cp932), else charset detection (charset_normalizer)
    for e.g. Cyrillic cp1251.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding), encoding.removesuffix("-sig")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise _Bad(f"binary file ({what}), not text")
    if b"\x00" in data:
        raise _Bad("binary file (contains NUL bytes), not text")
    candidates = [declared] if declared else []
    candidates.append("utf-8")
    if inline := _inline_charset(data):
        candidates.append(inline)
    for encoding in map(_web_charset, candidates):
        try:
            return _strict(data, encoding), codecs.lookup(encoding).name
        except (_Bad, LookupError):
            continue
    try:
        # Cut off inside its last character (an interrupted download or copy), a text is still UTF-8:
        # read as cp1252 it would lose every accent and curly quote to mojibake.
        return _strict(data, "utf-8", final=False), "utf-8 (its last character cut off)"
    except _Bad:
        pass
    encoding = _detect(data)
    return _strict(data, encoding), encoding


def _web_charset(label: str) -> str:
    """A declared charset as browsers read it (WHATWG Encoding): "iso-8859-1", "latin1" and "us-ascii" mean
    windows-1252, which servers (Apache's default) and pages declare for it. Read as Latin-1, its curly quotes
    became invisible C1 control characters, and the quotations they open were not found."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return label
    return "cp1252" if name in ("iso8859-1", "ascii") else label


def _inline_charset(data: bytes) -> str | None:
    """The charset the document declares in its first 4 KB, if any; UTF-16/32 declared inside a document that
    reached here without a BOM cannot be (its markup reads as ASCII), as browsers also rule."""
    match = _INLINE_CHARSET.search(data[:4096])
    charset = (match[1] or match[2]).decode("ascii") if match else None
    return None if charset is None or charset.lower().startswith(("utf-16", "utf-32", "utf16", "utf32")) else charset


def _detect(data: bytes) -> str:
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if high <= 0.15 * len(data):
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    matches = list(charset_normalizer.from_bytes(data))
    if matches:
        best = matches[0]
        cp1252 = next((m for m in matches if m.encoding == "cp1252"), None)
        if cp1252 is not None and cp1252.chaos <= best.chaos + 0.01:
            return "cp1252"
        return best.encoding
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _strict(data: bytes, encoding: str, final: bool = True) -> str:
    """``data`` decoded; ``final=False`` drops an incomplete multi-byte sequence at the very end."""
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except UnicodeDecodeError as err:
        raise _Bad(f"unreadable encoding: not valid {encoding}") from err
    controls = len(_CONTROLS.findall(text))
    if controls > max(2, len(text) // 100):
        raise _Bad(f"unreadable encoding: decoding as {encoding} gives control characters (binary or garbled?)")
    return text


# --- formats --------------------------------------------------------------------------------------


def _sniff(text: str) -> str:
    """Guess 'feed', 'html', 'json' or 'text' from the start of the content."""
    head = text.lstrip()[:2000].lower()
    if head.startswith(("{", "[")):
        return "json"
    if head.startswith("<"):
        if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
            return "feed"
        if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head:
            return "html"
    return "text"


def text_format(text: str) -> str:
    """'html' for a text that is an HTML page or fragment (pasted page source, a .txt saved from a browser), else
    'text': how a .txt file is read, and so how the API and the web form read pasted and uploaded text."""
    return "html" if _sniff(text) == "html" else "text"


def _from_text(text: str, source: str, kind: str, meta: dict[str, Any], **options) -> Iterator[Raw | IngestError]:
    """Records from decoded content of a known (or sniffed) kind."""
    if not text.strip():
        raise _Bad("empty input (no text)")
    if kind == "text" and (sniffed := _sniff(text)) in ("html", "feed"):
        kind = sniffed
    if kind == "json":
        yield from _json_records(text, source, meta)
    elif kind == "feed":
        yield from _feed_items(text, source, meta.get("url"), **options)
    else:
        yield Raw(content=text, format="html" if kind == "html" else "text", source=source, meta=meta)


_JSON_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object"}


def _record(obj: Any, source: str, where: str, meta: dict[str, Any], raw: str) -> Raw:
    if not isinstance(obj, dict):
        raise _Bad(f"{where} is a JSON {type(obj).__name__}, expected an object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        # "has no 'text' field" was said of a record whose text is there but blank, or not a string.
        problem = ("has no 'text' field" if text is None else "has an empty 'text' field" if isinstance(text, str)
                   else f"has {_JSON_KINDS.get(type(text), 'a value')} for its 'text' field")
        raise _Bad(f"{where} {problem} (a non-empty string is required)")
    fields = {JSON_FIELDS[k]: value for k, v in obj.items() if k in JSON_FIELDS and (value := _field_text(v))}
    # Scraped datasets often carry the article's HTML in "text": let extract_html read it.
    kind = "html" if _sniff(text) == "html" else "json"
    return Raw(content=text, format=kind, source=source, meta={**meta, **fields, "raw": raw})


def _field_text(value: Any) -> str | None:
    """A metadata field of a JSON record as text: "author": ["A", "B"] is "A, B"; an object names itself by its
    "name" ("source": {"id": "bbc-news", "name": "BBC News"}, as news APIs give it; its Python repr was stored
    as the outlet), a list of objects each by theirs; nothing usable is None."""
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        return ", ".join(t for t in map(_field_text, value) if t) or None
    if value is None or isinstance(value, (dict, bool)):
        return None
    return str(value).strip() or None


def _json_records(text: str, source: str, meta: dict[str, Any]) -> Iterator[Raw | IngestError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        if text.lstrip().startswith("{") and "\n{" in text:  # several objects, one per line: JSONL
            yield from _jsonl_records(enumerate(text.splitlines(), 1), source, meta)
            return
        raise _Bad(f"malformed JSON: {err.msg} at line {err.lineno} column {err.colno}") from err
    if isinstance(data, dict):
        yield _record(data, source, "the JSON object", meta, text)
        return
    if not isinstance(data, list) or not data:
        raise _Bad("JSON must be an object or a non-empty list of objects, each with a 'text' field")
    for i, obj in enumerate(data, 1):
        where = f"{source}#{i}"
        try:
            yield _record(obj, where, f"record {i}", meta, json.dumps(obj, ensure_ascii=False))
        except _Bad as err:
            yield IngestError(where, str(err))


def _jsonl_records(
    lines: Iterable[tuple[int, str | _Bad]], source: str, meta: dict[str, Any]
) -> Iterator[Raw | IngestError]:
    """One record per non-blank line; a bad line is reported with its number and the rest go on."""
    found = False
    for lineno, line in lines:
        where = f"{source}:{lineno}"
        if isinstance(line, _Bad):
            yield IngestError(where, f"line {lineno}: {line}")
            continue
        if not line.strip():
            continue
        found = True
        try:
            obj = json.loads(line)
            yield _record(obj, where, f"line {lineno}", meta, line.strip())
        except json.JSONDecodeError as err:
            yield IngestError(where, f"malformed JSON on line {lineno}: {err.msg} at column {err.colno}")
        except _Bad as err:
            yield IngestError(where, str(err))
    if not found:
        raise _Bad("empty input (no JSON lines)")


def _jsonl_file_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, str | _Bad]]:
    """Lines of a JSONL file, read one at a time: a corpus may be far larger than ``max_bytes``, which
    then applies to each record instead. JSON text is UTF-8 (RFC 8259), with an optional BOM."""
    with path.open("rb") as handle:
        lineno = 0
        while data := handle.readline(max_bytes + 1):
            lineno += 1
            if len(data) > max_bytes:
                yield lineno, _Bad(f"record too large (more than {max_bytes:,} bytes)")
                while data and not data.endswith(b"\n"):  # skip the rest of the oversized line
                    data = handle.readline(max_bytes + 1)
                continue
            try:
                yield lineno, data.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError:
                yield lineno, _Bad("not valid UTF-8 (JSON must be UTF-8)")


def _feed_items(text: str, source: str, base: str | None, **options) -> Iterator[Raw | IngestError]:
    """Fetch every item's link of an RSS/Atom feed; the item's title/author/date fill gaps in the page's.
    A relative link ("/news/1.html") is read against ``base``, the URL the feed came from, as feed readers
    read it; it was refused as "a relative URL"."""
    feed = feedparser.parse(text)
    if not feed.entries:
        problem = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        raise _Bad(f"feed has no items{problem}")
    outlet = feed.feed.get("title")
    for i, entry in enumerate(feed.entries, 1):
        link = entry.get("link")
        if not link:
            yield IngestError(f"{source}#{i}", "feed item has no link")
            continue
        author = entry.get("author_detail", {}).get("name") or entry.get("author")  # not "desk@x (Desk)"
        meta = {"title": entry.get("title"), "author": author, "outlet": outlet, "feed": source,
                "published": entry.get("published") or entry.get("updated")}
        yield from _url(urljoin(base, link) if base else link, {k: v for k, v in meta.items() if v},
                        allow_feed=False, **options)


# --- inputs ---------------------------------------------------------------------------------------


def _url_kind(fetched: Fetched, sniffed: str) -> str:
    """The format of a fetched page: the server's type when it names one (feeds excepted: they are often
    served as text/html); else — no type, a generic one, or text/plain, which e.g. GitHub's raw files
    all get — the extension of the final URL's path as for a file (``.jsonl`` included), else the content."""
    if sniffed == "feed":
        return "feed"
    if fetched.kind not in ("", "text"):
        return fetched.kind
    suffix = PurePosixPath(urlsplit(fetched.url).path).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "json"  # the JSON reader takes one object per line too
    return SUFFIX_FORMATS.get(suffix) or sniffed


def _url(url: str, meta: dict[str, Any], *, allow_feed: bool = True, **options) -> Iterator[Raw | IngestError]:
    try:
        fetched = fetch(url, allow_private=options["allow_private"], max_bytes=options["max_bytes"])
        text, encoding = decode(fetched.content, fetched.charset)
        kind = _url_kind(fetched, _sniff(text))
        if kind == "feed" and not allow_feed:
            raise _Bad("a feed item links to another feed; not followed")
        page_meta = {**meta, "url": fetched.url, "content_type": fetched.content_type, "encoding": encoding}
        yield from _from_text(text, url, kind, page_meta, **options)
    except (FetchError, _Bad) as err:
        yield IngestError(url, str(err))


def _read_capped(handle: BinaryIO, max_bytes: int) -> bytes:
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _Bad(f"too large (more than {max_bytes:,} bytes; raise --max-bytes to allow it)")
    return data


def _file(path: Path, source: str, **options) -> Iterator[Raw | IngestError]:
    suffix = path.suffix.lower()
    max_bytes = options["max_bytes"]
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_records(_jsonl_file_lines(path, max_bytes), source, {"encoding": "utf-8"})
            return
        size = path.stat().st_size
        if size > max_bytes:
            raise _Bad(f"too large ({size:,} bytes; the limit is {max_bytes:,}, see --max-bytes)")
        with path.open("rb") as handle:
            data = _read_capped(handle, max_bytes)
    except OSError as err:
        yield IngestError(source, f"cannot read: {err.strerror or err}")
        return
    except _Bad as err:
        yield IngestError(source, str(err))
        return
    yield from _bytes(data, source, SUFFIX_FORMATS.get(suffix), **options)


def _bytes(data: bytes, source: str, kind: str | None, **options) -> Iterator[Raw | IngestError]:
    try:
        if not data.strip():
            raise _Bad("empty file" if source != "stdin" else "empty input on stdin")
        text, encoding = decode(data)
        yield from _from_text(text, source, kind or _sniff(text), {"encoding": encoding}, **options)
    except _Bad as err:
        yield IngestError(source, str(err))


def _directory(root: Path, glob: str | None, **options) -> Iterator[Raw | IngestError]:
    patterns = (glob,) if glob else DEFAULT_PATTERNS
    files = sorted(
        p for p in root.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and any(fnmatch.fnmatch(p.name.lower(), pat.lower()) for pat in patterns)
    )
    if not files:
        yield IngestError(str(root), f"no files matching {', '.join(patterns)} in this directory")
    for path in files:
        yield from _file(path, str(path), **options)


def iter_raw(
    sources: list[str],
    *,
    allow_private: bool = False,
    max_bytes: int = 5_000_000,
    glob: str | None = None,
    defaults: dict[str, str] | None = None,
) -> Iterator[Raw | IngestError]:
    """Yield one ``Raw`` per article (or an ``IngestError`` per bad input) from each source in order.

    ``defaults`` fills metadata a source does not carry (``published``, ``outlet``, ``author``...): an
    analyst often knows the date of a pasted text, and relative dates ("Dec. 2", "last month") can only
    be made absolute against it. Metadata found in the source wins, including what cleaning finds in the text
    itself (a byline's "Nov 29, 2023"), so the defaults travel apart, as ``meta["defaults"]``.

    A source is a file, a directory (read recursively: ``glob`` or the default text/HTML/JSON
    patterns; hidden files skipped), ``-`` for stdin, or an http(s) URL of a page or an RSS/Atom feed
    (each item's link is fetched). JSON files hold an object or a list of objects, JSONL one object
    per line, each with ``text`` and optionally ``title``, ``url``, ``source`` (the outlet),
    ``author``, ``published``.
    """
    for item in _iter_sources(sources, allow_private=allow_private, max_bytes=max_bytes, glob=glob):
        if isinstance(item, Raw) and (given := {k: v for k, v in (defaults or {}).items() if v}):
            item.meta["defaults"] = given
        yield item


def _iter_sources(sources: list[str], *, allow_private: bool, max_bytes: int, glob: str | None
                  ) -> Iterator[Raw | IngestError]:
    options = {"allow_private": allow_private, "max_bytes": max_bytes}
    for source in sources:
        if source == "-":
            try:
                data = _read_capped(sys.stdin.buffer, max_bytes)
            except _Bad as err:
                yield IngestError("stdin", str(err))
                continue
            yield from _bytes(data, "stdin", None, **options)
        elif source.lower().startswith(("http://", "https://")):
            yield from _url(source, {}, **options)
        elif "://" in source:
            yield IngestError(source, "unsupported URL scheme: only http and https URLs are fetched")
        else:
            path = Path(source).expanduser()
            if path.is_dir():
                yield from _directory(path, glob, **options)
            elif path.exists():
                yield from _file(path, source, **options)
            else:
                yield IngestError(source, "no such file or directory")
