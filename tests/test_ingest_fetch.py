"""Fetching URLs and feeds from a real local HTTP server, and the SSRF refusals (no external network)."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from narrascope.ingest import fetch as fetch_module
from narrascope.ingest.fetch import FetchError, fetch, refused_reason
from narrascope.ingest.sources import IngestError, iter_raw
from narrascope.pipeline import Doc, Raw

PAGE = (Path(__file__).parent / "fixtures" / "ingest" / "page.html").read_bytes()
JSONL = (b'{"text": "Ferries resume on Friday, the harbour authority said.", "source": "Coast News"}\n'
         b'{"text": "Grain barges left the river port at dawn.", "title": "Barges leave"}\n')


def _feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{base}{path}</link><author>desk@example.com (Desk)</author>"
        f"<pubDate>Tue, 20 Feb 2024 07:15:00 GMT</pubDate></item>"
        for i, path in enumerate(["/article.html", "/missing"], 1)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Post</title>'
            f"<link>{base}</link><description>News</description>{items}</channel></rss>").encode()


def _atom(base: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Post</title>'
            f'<id>{base}/</id><updated>2024-02-20T07:15:00Z</updated><entry><title>Depot strike</title>'
            f'<link href="{base}/article.html"/><id>{base}/1</id><updated>2024-02-20T07:15:00Z</updated>'
            f"<author><name>Ivan Petrenko</name></author></entry></feed>").encode()


STORY = "Kyiv’s Dam Strike Floods Three Villages\n\nOfficials said on Tuesday that the water reached three villages.\n"
PROSE = "Officials said on Tuesday that the water reached three villages downstream of the dam overnight.\n"


def _text_feed(base: str) -> bytes:
    """Plain-text pages behind a feed whose item titles are worded otherwise than the pages' headlines."""
    items = "".join(f"<item><title>{title}</title><link>{base}{path}</link></item>" for title, path in [
        ("Kyiv's Dam Strike Floods Three Villages | Harbour Post", "/story.txt"), ("Water reaches villages", "/prose.txt")])
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Post</title>{items}</channel></rss>'.encode()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/stalls":  # accepts the connection, then never answers (the client gives up first)
            time.sleep(1)
            return
        routes = {
            "/article.html": (200, "text/html; charset=utf-8", PAGE),
            "/plain": (200, "text/plain; charset=cp1252", "Kyiv’s “line” holds, officials said.".encode("cp1252")),
            "/feed.xml": (200, "application/rss+xml", _feed(base)),
            "/feed-as-html": (200, "text/html", _feed(base)),
            "/report.pdf": (200, "application/pdf", b"%PDF-1.7"),
            "/big": (200, "text/html", b"<p>" + b"x" * 50_000 + b"</p>"),
            "/atom.xml": (200, "application/atom+xml", _atom(base)),
            "/text-feed.xml": (200, "application/rss+xml", _text_feed(base)),
            "/news/relative.xml": (200, "application/rss+xml", _text_feed("").replace(b"/prose.txt", b"../prose.txt")),
            "/story.txt": (200, "text/plain; charset=utf-8", STORY.encode()),
            "/prose.txt": (200, "text/plain; charset=utf-8", PROSE.encode()),
            "/big-unannounced": (200, "text/html", b"<p>" + b"x" * 50_000 + b"</p>"),
            "/ua": (200, "text/plain", self.headers["User-Agent"].encode()),
            "/redirect": (302, "text/html", b""),
            "/redirect-private": (302, "text/html", b""),
            "/redirect-file": (302, "text/html", b""),
            # Generic types, as dataset hosts serve JSON(L): the extension, then the content, decides.
            "/data.jsonl": (200, "application/octet-stream", JSONL),
            "/data.json": (200, "binary/octet-stream", b"[" + JSONL.replace(b"}\n{", b"}, {").rstrip() + b"]"),
            "/raw/data.jsonl": (200, "text/plain; charset=utf-8", JSONL),  # GitHub's raw files
            "/notes.md": (200, "text/markdown", STORY.encode()),  # Python's http.server, GitHub Pages
            "/stream": (200, "application/x-ndjson", JSONL),
            "/download?id=7": (200, "application/octet-stream", PAGE),
            "/blob": (200, "application/octet-stream", b"%PDF-1.7 ..."),
        }
        status, ctype, body = routes.get(self.path, (404, "text/html", b"<p>not found</p>"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if self.path != "/big-unannounced":  # that one streams until the connection closes
            self.send_header("Content-Length", str(len(body)))
        location = {"/redirect": f"{base}/article.html", "/redirect-private": "http://10.1.2.3/secret",
                    "/redirect-file": "file:///etc/passwd"}.get(self.path)
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def read(*sources: str, **options) -> list[Raw | IngestError]:
    return list(iter_raw(list(sources), **options))


def test_fetch_html_page(server):
    (raw,) = read(f"{server}/article.html", allow_private=True)
    assert raw.format == "html" and raw.meta["url"] == f"{server}/article.html"
    assert raw.meta["content_type"] == "text/html" and raw.meta["encoding"] == "utf-8"


def test_declared_charset_is_used(server):
    (raw,) = read(f"{server}/plain", allow_private=True)
    assert raw.format == "text" and raw.content.startswith("Kyiv’s “line”") and raw.meta["encoding"] == "cp1252"


def test_redirect_is_followed(server):
    assert fetch(f"{server}/redirect", allow_private=True).url == f"{server}/article.html"


def test_feed_items_are_fetched_and_bad_items_reported(server):
    for url in (f"{server}/feed.xml", f"{server}/feed-as-html"):
        page, missing = read(url, allow_private=True)
        assert isinstance(page, Raw) and page.meta["title"] == "Item 1" and page.meta["outlet"] == "Harbour Post"
        assert page.meta["feed"] == url and page.meta["published"].startswith("Tue, 20 Feb 2024")
        assert page.meta["author"] == "Desk"
        assert isinstance(missing, IngestError) and "HTTP 404" in missing.message


def test_a_plain_text_page_from_a_feed_keeps_its_own_headline_once(server):
    """The feed's title of the item was prepended to a page that starts with its own headline in other
    words, so the headline stood twice at the top of the text; it is the fallback for a page without one."""
    from narrascope.ingest.clean import Clean

    story, prose = (Clean()(Doc(raw=raw)).analysis.article for raw in read(f"{server}/text-feed.xml", allow_private=True))
    assert story.title == "Kyiv’s Dam Strike Floods Three Villages" and story.text == STORY.strip()
    assert story.outlet == "Harbour Post"
    assert prose.title == "Water reaches villages" and prose.text == "Water reaches villages\n\n" + PROSE.strip()


def test_relative_links_of_a_feed_are_read_against_its_url(server):
    """'/story.txt' and '../prose.txt' in a feed at /news/relative.xml were refused as "a relative URL"."""
    pages = read(f"{server}/news/relative.xml", allow_private=True)
    assert [p.meta["url"] for p in pages] == [f"{server}/story.txt", f"{server}/prose.txt"]


def test_markdown_and_ndjson_content_types_are_read(server):
    """Formats read from files (.md, .jsonl) are read under the types servers give them; they were refused."""
    (notes,) = read(f"{server}/notes.md", allow_private=True)
    assert isinstance(notes, Raw) and notes.format == "text" and notes.content == STORY
    assert [r.content for r in read(f"{server}/stream", allow_private=True)] == [
        "Ferries resume on Friday, the harbour authority said.", "Grain barges left the river port at dawn."]


def test_http_error_content_type_and_size_cap(server):
    assert "HTTP 404 Not Found" in read(f"{server}/nothing", allow_private=True)[0].message
    assert "unsupported content type 'application/pdf'" in read(f"{server}/report.pdf", allow_private=True)[0].message
    assert "too large" in read(f"{server}/big", allow_private=True, max_bytes=10_000)[0].message
    assert "too large" in read(f"{server}/big-unannounced", allow_private=True, max_bytes=10_000)[0].message


def test_generic_content_types_are_read_by_extension_then_content(server):
    for path in ("/data.jsonl", "/data.json", "/raw/data.jsonl"):
        records = read(f"{server}{path}", allow_private=True)
        assert [r.content for r in records] == ["Ferries resume on Friday, the harbour authority said.",
                                                "Grain barges left the river port at dawn."], path
        assert records[0].meta["outlet"] == "Coast News", path
    (page,) = read(f"{server}/download?id=7", allow_private=True)  # no extension: the content says HTML
    assert isinstance(page, Raw) and page.format == "html"
    (blob,) = read(f"{server}/blob", allow_private=True)  # read, then refused as binary
    assert isinstance(blob, IngestError) and "binary" in blob.message


def test_atom_feed_and_user_agent(server):
    (page,) = read(f"{server}/atom.xml", allow_private=True)
    assert page.format == "html" and page.meta["author"] == "Ivan Petrenko" and page.meta["title"] == "Depot strike"
    assert fetch(f"{server}/ua", allow_private=True).content.startswith(b"Narrascope/")


def test_loopback_is_refused_without_allow_private(server):
    (error,) = read(f"{server}/article.html")
    assert isinstance(error, IngestError) and "127.0.0.1 is a loopback address" in error.message
    assert error.message.startswith("refused:") and "--allow-private" in error.message


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.7/admin", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://localhost/", "resolves to .*loopback"),
        ("http://0.0.0.0/", "is an unspecified address"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[2002:a00:1::]/", "private"),  # 6to4 wrapping of 10.0.0.1
        ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),  # NAT64 wrapping of 169.254.169.254
        ("http://[fd00::1]/", "private"),
    ],
)
def test_private_addresses_are_refused_before_connecting(url, reason):
    with pytest.raises(FetchError, match=reason):
        fetch(url)


def test_redirect_to_a_private_address_is_refused(server, monkeypatch):
    # Treat only the test server's loopback address as public, so the first hop passes the check.
    real = refused_reason
    monkeypatch.setattr(fetch_module, "refused_reason", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
    with pytest.raises(FetchError, match="after a redirect to 'http://10.1.2.3/secret': refused: 10.1.2.3 is a private"):
        fetch(f"{server}/redirect-private")
    with pytest.raises(FetchError, match="only http and https"):
        fetch(f"{server}/redirect-file")


def test_unreachable_url_gives_a_clear_error():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert "cannot connect" in read(f"http://127.0.0.1:{port}/", allow_private=True)[0].message
    assert "cannot resolve host 'news.invalid'" in read("http://news.invalid/story")[0].message


def test_a_server_that_accepts_but_does_not_answer_is_a_read_timeout(server):
    with pytest.raises(FetchError, match="^timed out waiting for the response$"):
        fetch(f"{server}/stalls", allow_private=True, timeout=httpx.Timeout(5.0, read=0.5))


def test_invalid_url():
    assert "no host" in read("http:///nohost")[0].message


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a test certificate")
def test_https_is_pinned_to_the_checked_address_and_still_verified(tmp_path):
    """The request goes to the resolved IP, yet TLS is verified against the host name (SNI)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    httpd.socket = server_ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    trust = ssl.create_default_context(cafile=str(cert))
    try:
        page = fetch(f"https://localhost:{httpd.server_port}/article.html", allow_private=True, verify=trust)
        assert page.url.startswith("https://localhost:") and page.content == PAGE
        with pytest.raises(FetchError, match="certificate"):  # the certificate names localhost, not the IP
            fetch(f"https://127.0.0.1:{httpd.server_port}/article.html", allow_private=True, verify=trust)
    finally:
        httpd.shutdown()
        httpd.server_close()
