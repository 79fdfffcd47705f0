"""The HTTP edge both exporters share: /metrics from a registry, /health as JSON, bound to one address.

Why not `prometheus_client.start_http_server`: it serves only metrics, and a container healthcheck needs an
endpoint that says whether the exporter's own loop is alive, without forcing a full scrape.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from wsgiref.simple_server import make_server

from prometheus_client import CollectorRegistry, make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer, _SilentHandler

HealthCheck = Callable[[], tuple[bool, dict]]


def make_app(registry: CollectorRegistry, health: HealthCheck):
    """A WSGI app: /metrics (Prometheus text), /health (200 or 503 with a JSON body), / (a pointer)."""
    metrics_app = make_wsgi_app(registry)

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/metrics":
            return metrics_app(environ, start_response)
        if path in ("/health", "/healthz"):
            healthy, details = health()
            body = json.dumps({"status": "ok" if healthy else "unhealthy", **details}, sort_keys=True).encode()
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if path == "/":
            body = b"metrics at /metrics, health at /health\n"
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        body = b"not found\n"
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    return app


@dataclass
class RunningServer:
    server: ThreadingWSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return self.server.server_port

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(registry: CollectorRegistry, health: HealthCheck, address: str, port: int) -> RunningServer:
    """Start serving in a daemon thread; port 0 picks a free one (see `RunningServer.port`)."""
    server = make_server(address, port, make_app(registry, health), ThreadingWSGIServer, handler_class=_SilentHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="http", daemon=True)
    thread.start()
    return RunningServer(server, thread)
