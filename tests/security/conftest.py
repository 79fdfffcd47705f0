"""Fixtures for the security tests: the real Debian Prometheus on 127.0.0.1, started and always stopped.

Nothing here is mocked: the relabelling, TLS and basic-auth claims of docs/security.md hold only if the real
server behaves that way.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from localstack.process import LOOPBACK, ManagedProcess, ServiceError, free_port, require_binary

STARTUP_TIMEOUT = 30.0


def binary(name: str) -> str:
    """The binary's path, or a test failure naming it and `make system-deps` (never a skip)."""
    try:
        return require_binary(name)
    except ServiceError as e:
        pytest.fail(str(e))


StartPrometheus = Callable[..., tuple[ManagedProcess, int]]


@pytest.fixture
def start_prometheus(tmp_path: Path) -> Iterator[StartPrometheus]:
    """Start `prometheus` with a config file on a free loopback port; every process started is stopped."""
    started: list[ManagedProcess] = []

    def start(
        config: Path, extra: Sequence[str] = (), ready: Callable[[int], bool] | None = None, port: int | None = None
    ):
        """`port`: one the caller already picked (from `free_port()`) because the config names it."""
        port = free_port() if port is None else port
        proc = ManagedProcess(
            "prometheus",
            [
                binary("prometheus"),
                f"--config.file={config}",
                f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                f"--web.listen-address={LOOPBACK}:{port}",
                *extra,
            ],
            tmp_path / "prometheus.log",
        )
        started.append(proc.start())
        if ready is None:
            proc.wait_for_http(f"http://{LOOPBACK}:{port}/-/ready", STARTUP_TIMEOUT)
        else:
            proc.wait_until(lambda: ready(port), f"ready on port {port}", STARTUP_TIMEOUT)
        return proc, port

    yield start
    for proc in reversed(started):
        proc.stop()


def query(port: int, promql: str) -> list[dict]:
    """The result vector of an instant query against the plain-HTTP Prometheus on `port`."""
    url = f"http://{LOOPBACK}:{port}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback URL we built)
        body = json.load(response)
    assert body["status"] == "success", body
    return body["data"]["result"]
