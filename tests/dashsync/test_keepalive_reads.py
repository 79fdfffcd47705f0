"""Reads go over the standard library's keep-alive connections (connection.KeepAliveReads), writes through
grafana-client: the two must carry the same credentials and headers, and the reads must survive what servers
do to keep-alive connections (close them when idle, compress, redirect)."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from dashsync.connection import Grafana, GrafanaError, Settings, proxy_applies

from .hostile import running

TOKEN = "glsa_keepalive_test_token_00000000"  # a throwaway, for these local servers only


class Recorder(ThreadingHTTPServer):
    """Answers `{"path": ...}` as JSON; keeps every request's method, path and headers, and counts connections."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        self.connections = 0
        self.lock = threading.Lock()


def _handler(answer: Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]], idle: float | None):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Grafana's Go server speaks it
        timeout = idle  # the server closes a connection idle this long

        def setup(self) -> None:
            super().setup()
            with self.server.lock:  # type: ignore[attr-defined]
                self.server.connections += 1  # type: ignore[attr-defined]

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            with self.server.lock:  # type: ignore[attr-defined]
                self.server.seen.append((self.command, self.path, dict(self.headers)))  # type: ignore[attr-defined]
            status, headers, body = answer(self)
            self.send_response(status)
            for key, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _serve

        def log_message(self, *args: object) -> None:
            return

    return Handler


def _echo(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    return 200, {}, json.dumps({"path": handler.path}).encode()


@contextmanager
def serving(
    answer: Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]] = _echo, idle: float | None = None
) -> Iterator[tuple[str, Recorder]]:
    server = Recorder(_handler(answer, idle))
    with running(server) as url:
        yield url, server


SENT_BY_BOTH = ("Authorization", "User-Agent", "X-Grafana-Org-Id")


@pytest.mark.parametrize(
    "credentials",
    [{"token": TOKEN}, {"user": "admin", "password": "pä ss:wörd"}],
    ids=["token", "basic-auth"],
)
def test_reads_carry_the_credentials_and_headers_grafana_client_sends_with_writes(credentials: dict[str, Any]) -> None:
    with serving() as (url, server):
        grafana = Grafana(Settings(url=url, org_id=3, **credentials))
        assert grafana.request("GET", "/search", params={"type": "dash-db", "tag": ["a", "b"], "query": None}) == {
            "path": "/api/search?type=dash-db&tag=a&tag=b"
        }
        grafana.request("POST", "/dashboards/db", json={"dashboard": {}}, repeatable=False)  # grafana-client
    (read_method, _, read), (write_method, _, write) = server.seen
    assert (read_method, write_method) == ("GET", "POST")
    assert {k: read.get(k) for k in SENT_BY_BOTH} == {k: write.get(k) for k in SENT_BY_BOTH}
    assert read["X-Grafana-Org-Id"] == "3" and read["User-Agent"] == "dashsync"
    if "token" in credentials:
        assert read["Authorization"] == f"Bearer {TOKEN}"


def test_a_connection_the_server_closed_while_idle_is_replaced_without_a_failed_attempt() -> None:
    with serving(idle=0.3) as (url, server):
        grafana = Grafana(Settings(url=url, token=TOKEN, retries=1))  # one attempt: a stale socket would fail it
        assert grafana.request("GET", "/health") == {"path": "/api/health"}
        time.sleep(0.8)  # longer than the server keeps an idle connection
        assert grafana.request("GET", "/health") == {"path": "/api/health"}
        assert grafana.request("GET", "/health") == {"path": "/api/health"}  # this one reuses the second connection
    assert server.connections == 2
    assert grafana.traffic.requests == 3 and grafana.traffic.retries == 0


def test_a_compressed_answer_is_read_as_json() -> None:
    def gzipped(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        assert "gzip" in handler.headers.get("Accept-Encoding", "")
        return 200, {"Content-Encoding": "gzip"}, gzip.compress(json.dumps({"uid": "compressed"}).encode())

    with serving(gzipped) as (url, _):
        assert Grafana(Settings(url=url, token=TOKEN)).request("GET", "/dashboards/uid/compressed") == {
            "uid": "compressed"
        }


def test_a_redirected_read_is_followed() -> None:
    def moved(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if handler.path.startswith("/grafana/"):
            return _echo(handler)
        return 301, {"Location": f"/grafana{handler.path}"}, b""

    with serving(moved) as (url, server):
        assert Grafana(Settings(url=url, token=TOKEN)).request("GET", "/health") == {"path": "/grafana/api/health"}
    assert [path for _, path, _ in server.seen] == ["/api/health", "/api/health", "/grafana/api/health"]


def test_a_failed_read_is_one_line_with_the_status_and_grafanas_message() -> None:
    def forbidden(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 403, {}, json.dumps({"message": "You'll need additional permissions"}).encode()

    with serving(forbidden) as (url, _):
        with pytest.raises(GrafanaError) as caught:
            Grafana(Settings(url=url, token=TOKEN)).request("GET", "/folders")
    assert str(caught.value) == "permission denied for GET /api/folders: You'll need additional permissions"
    assert TOKEN not in str(caught.value)


def test_a_proxy_in_the_environment_applies_as_niquests_would_apply_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    assert not proxy_applies("https", "grafana.example")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    assert proxy_applies("https", "grafana.example")
    assert not proxy_applies("http", "grafana.example")
    monkeypatch.setenv("NO_PROXY", "example")
    assert not proxy_applies("https", "grafana.example")
