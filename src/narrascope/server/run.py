"""Starting the web server: ``narrascope serve`` and a background server for tests and screenshots."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from ..store import Store
from .app import create_app


class CannotListen(Exception):
    """The address cannot be bound (a port in use, an address not of this machine): one line for the user."""


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, made here rather than by uvicorn, whose failure is a multi-line
    log and an exit of its own, after the caller has already announced the address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as err:
        reason = (err.strerror or str(err)).split(" (while attempting")[0]  # create_server adds the address again
        raise CannotListen(f"cannot listen on {host}:{port}: {reason}") from err


def serve(db: str | Store, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          story_index: Path | None = None, on_listening: Callable[[], None] | None = None) -> None:
    """Serve the UI and API until interrupted. Raises ``InsecureBind`` for a public host with no token and
    ``CannotListen`` when the address cannot be bound; ``on_listening`` runs once it is (the banner)."""
    app = create_app(db, token, host=host, story_index=story_index)
    sock = _listen(host, port)
    if on_listening is not None:
        on_listening()
    config = uvicorn.Config(app, host=host, port=port, log_level="info", server_header=False,
                            timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@contextmanager
def background_server(app: FastAPI, host: str = "127.0.0.1", port: int | None = None) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread (a real TCP server); yields its base URL, stops on exit."""
    port = port or free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="narrascope-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test server did not start on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
