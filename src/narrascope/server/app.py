"""The Narrascope web app: ``create_app(db, token=None, ...)`` gives a FastAPI application.

Safe by default, because the server reads untrusted articles and may be reachable by others:

* it is meant to bind to 127.0.0.1; on any other address ``create_app`` refuses to start without a
  token, and write endpoints then need ``Authorization: Bearer <token>``;
* request bodies are capped (413 beyond ``max_body`` bytes), URL ingest never fetches private or
  loopback addresses (the ingest layer's SSRF rules);
* pages are rendered from JSON with DOM text APIs and sent with a strict Content-Security-Policy, so
  article text can never run as script; every error is the same JSON shape ``{"error": {...}}``.
"""

from __future__ import annotations

import ipaddress
import threading
import json
import logging
from collections.abc import Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..pipeline import Pipeline
from ..store import Store, open_store
from . import api, pages
from .service import Analyzer, StoryCache

log = logging.getLogger(__name__)

MAX_BODY = 5_000_000
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class InsecureBind(ValueError):
    """Raised when asked to serve on a non-loopback address without a token."""


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse a non-loopback address without a token: anyone on the network could write to the store."""
    if not is_loopback(host) and not token:
        raise InsecureBind(f"refusing to serve on {host} without a token: anyone on the network could write "
                           f"to the store; pass --token (or bind to 127.0.0.1)")


def error_body(status: int, message: str, detail: object = None) -> dict:
    """The one error shape of the API."""
    error = {"status": status, "message": message}
    if detail is not None:
        error["detail"] = detail
    return {"error": error}


class BodyLimit:
    """ASGI middleware: answer 413 to any request body over ``max_bytes`` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        seen = 0
        exceeded = replaced = False

        async def counting_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # The app may turn the aborted read into its own error (FastAPI answers 400): say 413 instead.
            nonlocal replaced
            if exceeded:
                if not replaced:
                    replaced = True
                    await self._too_large(send)
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            if not replaced:
                await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(error_body(413, f"request body larger than {self.max_bytes} bytes")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def create_app(
    db: str | Path | Store = "narrascope.db",
    token: str | None = None,
    *,
    host: str = "127.0.0.1",
    pipeline: Pipeline | Callable[[], Pipeline] | None = None,
    max_body: int = MAX_BODY,
    story_index: Path | None = None,
) -> FastAPI:
    """Build the app over a store (path, URL or ``Store``). ``pipeline`` defaults to the default one,
    built on the first analysis; ``host`` is where it will be served, to enforce the token rule;
    ``story_index``: a saved story index to start from and keep up to date (``StoryCache``)."""
    check_bind(host, token)
    store = db if isinstance(db, Store) else open_store(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Cluster the stories in the background so the first visit of the home page is quick.
        threading.Thread(target=app.state.stories.warm, name="narrascope-stories", daemon=True).start()
        yield
        app.state.stories.save()
        if not isinstance(db, Store):  # we opened it, we close it
            store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Narrascope API", version=__version__,
        description="Who says what, on whose word: quotes, sourcing, narratives, framing and persuasion "
                    "techniques in news articles. Analyses follow the published JSON Schema (`narrascope schema`).",
        # FastAPI's own docs pages load Swagger UI from a CDN: the app must work offline, so /api/docs
        # is our page (pages.api_docs), drawn from the same OpenAPI document.
        docs_url=None, redoc_url=None, openapi_url="/api/v1/openapi.json",
    )
    app.state.store = store
    app.state.token = token
    app.state.analyzer = Analyzer(store, pipeline)
    app.state.stories = StoryCache(store, story_index)
    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("narrascope.server").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _install_error_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    app.add_middleware(BodyLimit, max_bytes=max_body)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")

    def respond(request: Request, status: int, message: str, detail: object = None, headers=None):
        if wants_html(request):
            return HTMLResponse(pages.render_error(status, message), status_code=status, headers=headers)
        return JSONResponse(error_body(status, message, detail), status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return respond(request, exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        detail = [{"loc": list(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors()]
        return respond(request, 422, "invalid request", detail)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return respond(request, 500, f"internal error: {type(exc).__name__}")
