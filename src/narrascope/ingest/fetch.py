"""Fetch a URL without letting article links reach inside the user's network (SSRF-safe).

Why this much care: Narrascope fetches URLs it is *given* — by a user, but also by an RSS feed or the
web API, i.e. by untrusted text. A link to ``http://169.254.169.254/`` (cloud metadata) or
``http://10.0.0.5/admin`` must not be fetched on a server. So every hop (the URL and each redirect
target) is resolved first, refused when any address is not public, and then fetched *from the
address we checked* (the host name is kept for the ``Host`` header and TLS), so a DNS answer that
changes between check and connect cannot slip a private address in. ``allow_private=True`` lifts the
address check for people analysing pages on their own intranet (and for tests on 127.0.0.1).

Responses are streamed and cut at ``max_bytes``; the content type is checked from the headers before
the body is read.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass

import httpx

from .. import __version__

USER_AGENT = f"Narrascope/{__version__} (news analysis for research; +httpx)"
MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(connect=5.0, read=15.0, write=10.0, pool=5.0)
DEADLINE_SECONDS = 60.0  # whole download, so a server dripping one byte per read cannot hold us forever

# Content types we can read, and the format they are read as.
HTML_TYPES = {"text/html": "html", "application/xhtml+xml": "html"}
FEED_TYPES = {
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
}
# Markdown and NDJSON are read from files (.md, .jsonl): the types servers give them (Python's http.server
# and GitHub Pages send .md as text/markdown) were refused as unsupported.
TEXT_TYPES = {"text/plain": "text", "text/markdown": "text", "text/x-markdown": "text", "application/json": "json",
              "application/x-ndjson": "json", "application/jsonl": "json"}
# Types that name no format: dataset hosts (S3, Zenodo, many static servers) serve .jsonl and .json as
# application/octet-stream. Their body is read (still capped, and refused later when it is binary) and
# its format is decided by the reader, from the URL's extension and then the content.
GENERIC_TYPES = {"application/octet-stream": "", "binary/octet-stream": ""}
READABLE_TYPES = HTML_TYPES | FEED_TYPES | TEXT_TYPES | GENERIC_TYPES


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class FetchError(Exception):
    """A URL could not be fetched; the message is one line a user can act on."""


@dataclass
class Fetched:
    url: str  # the final URL, after redirects
    content: bytes
    content_type: str  # media type without parameters, lower case ("" when the server sent none)
    charset: str | None  # from the Content-Type header, when given

    @property
    def kind(self) -> str:
        """'html', 'feed', 'text' or 'json' by the content type; '' when the server sent none or a
        generic one (``GENERIC_TYPES``): the format is then the reader's guess."""
        return READABLE_TYPES.get(self.content_type, "")


def refused_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address must not be fetched from (None when it is a public unicast address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address the packets may end up at: mapped, 6to4, NAT64.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        ip = embedded or ip
    # Most specific first: 169.254.x.x and 0.0.0.0 are also "private" to the ipaddress module.
    for flag in ("loopback", "link_local", "unspecified", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{flag}"):
            return f"{flag.replace('_', '-')} address"
    if not ip.is_global:
        return "non-public address"
    return None


def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """All addresses ``host`` resolves to (a literal IP resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(f"cannot resolve host {host!r}") from err
    # getaddrinfo may append a scope id ("fe80::1%eth0"); the address is what we check.
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


def _pinned_request(client: httpx.Client, url: httpx.URL, allow_private: bool) -> httpx.Request:
    """A GET for ``url`` sent to an address we checked, keeping the host name for Host and TLS."""
    if url.scheme not in ("http", "https"):
        raise FetchError(f"refused: {url.scheme or 'a relative'} URL, only http and https are fetched")
    if not url.host:
        raise FetchError("invalid URL: it has no host")
    host = url.raw_host.decode("ascii")  # IDNA-encoded ("xn--..."), as DNS and TLS want it
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = resolve(host, port)
    if not allow_private:
        for ip in addresses:
            if reason := refused_reason(ip):
                article = "an" if reason[0] in "aeiou" else "a"
                what = f"is {article} {reason}" if str(ip) == url.host else f"resolves to {ip}, {article} {reason}"
                # the web API never allows private addresses: the hint says where the switch is
                raise FetchError(f"refused: {url.host} {what} "
                                 "(only the command line's --allow-private fetches from your own network)")
    ip = addresses[0]
    headers = {"Host": url.netloc.decode("ascii")}
    extensions = {"sni_hostname": host} if url.scheme == "https" else {}
    return client.build_request("GET", url.copy_with(host=str(ip)), headers=headers, extensions=extensions)


def _media_type(response: httpx.Response) -> tuple[str, str | None]:
    value = response.headers.get("content-type", "")
    media = value.split(";", 1)[0].strip().lower()
    return media, response.charset_encoding


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = 5_000_000,
    accept: dict[str, str] | None = None,
    timeout: httpx.Timeout = TIMEOUT,
    verify: ssl.SSLContext | bool = True,
) -> Fetched:
    """GET ``url`` safely (see the module docstring). Raises ``FetchError`` with a one-line message.

    ``accept`` maps the content types allowed to a format name (default: HTML, feeds, plain text,
    JSON); anything else, e.g. a PDF or an image, is refused before its body is downloaded.
    ``verify`` is httpx's TLS setting: an ``ssl.SSLContext`` trusting e.g. a corporate CA.
    """
    accept = READABLE_TYPES if accept is None else accept
    try:
        current = httpx.URL(url)
    except httpx.InvalidURL as err:
        raise FetchError(f"invalid URL: {err}") from err
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml;q=0.9,*/*;q=0.5"}
    # trust_env=False: an HTTP proxy would resolve the host itself and defeat the address check.
    with httpx.Client(headers=headers, timeout=timeout, follow_redirects=False, trust_env=False,
                      verify=verify) as client:
        for hop in range(MAX_REDIRECTS + 1):
            try:
                response = _send(client, _pinned_request(client, current, allow_private))
                try:
                    if not response.is_redirect:
                        return _read(response, current, accept, max_bytes)
                    if not (location := response.headers.get("location")):
                        raise FetchError(f"HTTP {response.status_code} redirect without a Location header")
                    current = current.join(location)
                finally:
                    response.close()
            except FetchError as err:
                # The source URL is already named by the caller; name the hop only when it differs.
                raise FetchError(f"after a redirect to {str(current)!r}: {err}" if hop else str(err)) from err
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


def _send(client: httpx.Client, request: httpx.Request) -> httpx.Response:
    try:
        return client.send(request, stream=True)
    except httpx.ConnectTimeout as err:
        raise FetchError("timed out connecting") from err
    except httpx.TimeoutException as err:  # connected, but the server sent no response in time
        raise FetchError("timed out waiting for the response") from err
    except httpx.HTTPError as err:
        raise FetchError(f"cannot connect: {err or type(err).__name__}") from err


def _read(response: httpx.Response, url: httpx.URL, accept: dict[str, str], max_bytes: int) -> Fetched:
    """Check status, type and size, then read the body up to ``max_bytes``."""
    if response.status_code >= 400:
        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
    media, charset = _media_type(response)
    if media and media not in accept:
        wanted = ", ".join(sorted(accept))
        raise FetchError(f"unsupported content type {media!r} (expected one of: {wanted})")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"too large ({int(declared):,} bytes; the limit is {max_bytes:,}, see --max-bytes)")
    body = bytearray()
    started = time.monotonic()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(f"too large (more than {max_bytes:,} bytes; see --max-bytes)")
            if time.monotonic() - started > DEADLINE_SECONDS:
                raise FetchError(f"timed out reading the response (over {DEADLINE_SECONDS:.0f} s)")
    except httpx.TimeoutException as err:
        raise FetchError("timed out reading the response") from err
    except httpx.HTTPError as err:
        raise FetchError(f"connection broken while reading the response: {err}") from err
    return Fetched(url=str(url), content=bytes(body), content_type=media, charset=charset)
