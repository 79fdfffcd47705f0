"""Servers that are not a healthy Grafana, on 127.0.0.1 free ports, for the bad-input tests: one that never
answers, one that serves a web page, one that always answers 429, and a plain-HTTP port for an https:// URL."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        listener.close()


@contextmanager
def answering(
    status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    """Every request gets the same answer; the URL and the server (its `hits` counts requests) are yielded."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.server.hits += 1  # type: ignore[attr-defined]
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.hits = 0  # type: ignore[attr-defined]
    with running(server) as url:
        yield url, server


@contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[str]:
    """`server` serving on its own thread for the block, its loopback URL given; shut down and closed after."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
