"""exporters.runtime.PeriodicService: the one start/run/stop loop both exporters run on."""

from __future__ import annotations

import json
import threading
import urllib.request

from prometheus_client import CollectorRegistry

from exporters.business.config import from_env as business_env
from exporters.business.queries import DEFAULT_QUERIES_FILE, load_queries
from exporters.business.service import BusinessService
from exporters.runtime import PeriodicService
from exporters.solana.config import from_env as solana_env
from exporters.solana.service import SolanaExporter


def test_the_loop_survives_a_failing_iteration_serves_health_and_stops():
    runs: list[int] = []
    enough = threading.Event()

    def iteration() -> None:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("a bug in the first iteration")
        if len(runs) >= 3:
            enough.set()

    service = PeriodicService(
        name="test",
        registry=CollectorRegistry(),
        health=lambda: (True, {"runs": len(runs)}),
        address="127.0.0.1",
        port=0,
        interval=0.01,
        iteration=iteration,
        join_timeout=5,
    ).start()
    try:
        assert enough.wait(5), "the loop stopped after the failing iteration"
        with urllib.request.urlopen(f"http://127.0.0.1:{service.server.port}/health", timeout=5) as response:
            assert json.loads(response.read())["status"] == "ok"
    finally:
        service.request_stop()
        service.wait()  # returns at once once a stop was requested (the signal handler's path)
        service.stop()
    assert not service._loop.is_alive()
    count = len(runs)
    threading.Event().wait(0.05)
    assert len(runs) == count  # nothing runs after stop


def test_both_exporters_run_on_the_shared_loop(rpc, business_db):
    solana = SolanaExporter(solana_env({"SOLANA_RPC_URL": rpc.url, "LISTEN_ADDRESS": "127.0.0.1", "LISTEN_PORT": "0"}))
    business = BusinessService(
        business_env({"DATABASE_URL": business_db, "LISTEN_ADDRESS": "127.0.0.1", "LISTEN_PORT": "0"}),
        load_queries(DEFAULT_QUERIES_FILE),
    )
    for service, counter in ((solana, lambda: solana.poller.polls), (business, lambda: business.collector.refreshes)):
        assert isinstance(service, PeriodicService)
        service.start()
        try:
            for _ in range(100):
                if counter() >= 1:
                    break
                threading.Event().wait(0.05)
            assert counter() >= 1
        finally:
            service.stop()
        assert not service._loop.is_alive()
