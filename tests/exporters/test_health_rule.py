"""One /health rule for both exporters (exporters.runtime.Heartbeat): 503 once no loop iteration finished within
HEALTH_INTERVALS x interval plus the loop's worst-case iteration time, counted from the start until the first
iteration finishes. A stuck first iteration must turn unhealthy, not stay healthy forever."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from exporters.runtime import HEALTH_INTERVALS, Heartbeat


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_heartbeat_counts_from_the_start_then_from_the_last_iteration():
    clock = Clock()
    beat = Heartbeat(interval=10, iteration_allowance=5, clock=clock)
    assert beat.budget == HEALTH_INTERVALS * 10 + 5
    assert beat.healthy() and beat.age() is None and beat.iterations == 0
    clock.now += beat.budget
    assert beat.healthy()  # the budget itself is still fine
    clock.now += 0.001
    assert not beat.healthy()  # the first iteration never finished: stuck
    beat.beat()
    assert beat.healthy() and beat.age() == 0 and beat.iterations == 1
    clock.now += beat.budget + 1
    assert not beat.healthy() and beat.age() == beat.budget + 1


def status(base: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_business_collector_is_unhealthy_when_its_first_refresh_never_finishes(business_db, collector_service):
    collector, base = collector_service(
        business_db, REFRESH_INTERVAL_SECONDS="0.1", QUERY_TIMEOUT_SECONDS="0.01", CONNECT_TIMEOUT_SECONDS="1"
    )
    assert status(base)[0] == 200  # within its budget: starting, not stuck
    time.sleep(collector.heartbeat.budget + 0.1)
    code, body = status(base)
    assert code == 503 and body["status"] == "unhealthy" and body["refreshes"] == 0
    collector.refresh()
    assert status(base)[0] == 200


def test_solana_exporter_is_unhealthy_when_its_first_poll_never_finishes(exporter):
    poller, base = exporter(POLL_INTERVAL_SECONDS="0.1", RPC_TIMEOUT_SECONDS="0.05", RPC_RETRIES="0")
    assert status(base)[0] == 200
    time.sleep(poller.heartbeat.budget + 0.1)
    code, body = status(base)
    assert code == 503 and body["status"] == "unhealthy" and body["polls"] == 0
    poller.poll_once()
    assert status(base)[0] == 200
