"""The Solana exporter against a local JSON-RPC server in Solana's documented format, scraped over HTTP."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.exporters.conftest import FEES_WALLET, PROGRAM, TREASURY
from tests.exporters.fake_solana import Fault
from tests.exporters.scrape import scrape


def test_healthy_node_exposes_documented_values(rpc, exporter):
    poller, base = exporter()
    poller.poll_once()
    m = scrape(f"{base}/metrics")
    assert m.value("solana_exporter_up") == 1
    assert m.value("solana_node_is_healthy") == 1
    assert m.value("solana_node_num_slots_behind") == 0
    assert m.value("solana_node_slot_height") == 166598
    assert m.value("solana_node_block_height") == 166500
    assert m.value("solana_node_epoch_number") == 27
    assert m.value("solana_node_epoch_first_slot") == 166598 - 2790
    assert m.value("solana_node_epoch_last_slot") == 166598 - 2790 + 8192 - 1
    assert m.value("solana_node_transactions_total") == 22661093
    assert m.value("solana_node_version", version="2.1.16") == 1
    assert m.value("solana_account_balance", account="treasury") == 2.5
    assert m.value("solana_account_balance", account="fees") == 0.125
    for method in (
        "getHealth",
        "getSlot",
        "getBlockHeight",
        "getEpochInfo",
        "getVersion",
        "getSignaturesForAddress",
    ):
        assert m.value("solana_rpc_requests_total", method=method, outcome="success") == 1
        assert m.value("solana_rpc_request_duration_seconds_count", method=method) == 1
    assert m.value("solana_rpc_requests_total", method="getBalance", outcome="success") == 2
    # Addresses are never label values: only the configured names are.
    text = urllib.request.urlopen(f"{base}/metrics").read().decode()
    assert TREASURY not in text and FEES_WALLET not in text and PROGRAM not in text


def test_node_behind_reports_slots_behind_from_the_error(rpc, exporter):
    rpc.state.health, rpc.state.slots_behind = "behind", 42
    poller, base = exporter()
    poller.poll_once()
    m = scrape(f"{base}/metrics")
    assert m.value("solana_node_is_healthy") == 0
    assert m.value("solana_node_num_slots_behind") == 42
    assert m.value("solana_rpc_requests_total", method="getHealth", outcome="rpc_error") == 1
    assert m.value("solana_exporter_up") == 1  # the node answered, it is just behind
    assert m.value("solana_node_slot_height") == 166598
    assert len(rpc.calls("getHealth")) == 1  # a JSON-RPC error is an answer: never retried


def test_generic_unhealthy_node_has_no_slots_behind_value(rpc, exporter):
    rpc.state.health = "unhealthy"
    poller, base = exporter()
    poller.poll_once()
    m = scrape(f"{base}/metrics")
    assert m.value("solana_node_is_healthy") == 0
    assert not m.has("solana_node_num_slots_behind")


def test_timeouts_http_errors_and_rpc_errors_show_in_metrics(rpc, exporter):
    rpc.state.faults = {
        "getVersion": Fault(sleep=1.5),  # longer than RPC_TIMEOUT_SECONDS=0.5
        "getBlockHeight": Fault(http_status=503),
        "getSlot": Fault(rpc_error={"code": -32603, "message": "Internal error"}),
        "getEpochInfo": Fault(garbage=True),
    }
    poller, base = exporter()
    poller.poll_once()
    m = scrape(f"{base}/metrics")
    # RPC_RETRIES=1: each transport failure is tried twice, each try counted.
    assert m.value("solana_rpc_requests_total", method="getVersion", outcome="timeout") == 2
    assert m.value("solana_rpc_requests_total", method="getBlockHeight", outcome="http_error") == 2
    assert m.value("solana_rpc_requests_total", method="getSlot", outcome="rpc_error") == 1
    assert m.value("solana_rpc_requests_total", method="getEpochInfo", outcome="invalid_response") == 1
    assert m.value("solana_rpc_request_duration_seconds_count", method="getVersion") == 2
    assert m.value("solana_rpc_request_duration_seconds_sum", method="getVersion") >= 1.0
    # The failed calls' gauges are absent (no stale values); the rest is there.
    for missing in (
        "solana_node_slot_height",
        "solana_node_block_height",
        "solana_node_epoch_number",
        "solana_node_transactions_total",
    ):
        assert not m.has(missing)
    assert not [k for k in m.samples if k[0] == "solana_node_version"]
    assert m.value("solana_node_is_healthy") == 1
    assert m.value("solana_exporter_up") == 1
    assert m.value("solana_account_balance", account="treasury") == 2.5


def test_unreachable_endpoint_sets_up_to_zero_and_keeps_serving(rpc, exporter):
    rpc.stop()  # the port now refuses connections
    poller, base = exporter(RPC_RETRIES="2")
    poller.poll_once()
    m = scrape(f"{base}/metrics")
    assert m.value("solana_exporter_up") == 0
    assert m.value("solana_node_is_healthy") == 0
    assert m.value("solana_rpc_requests_total", method="getHealth", outcome="connection_error") == 3
    assert not m.has("solana_node_slot_height")
    with urllib.request.urlopen(f"{base}/health") as response:
        body = json.loads(response.read())
    assert response.status == 200 and body["polls"] == 1 and body["rpc_reachable"] is False


def test_program_transactions_counted_once_with_fees(rpc, exporter):
    rpc.state.add_transaction("sig-old-1", fee=5000)
    rpc.state.add_transaction("sig-old-2", fee=5000)
    poller, base = exporter(FEE_LOOKUPS_PER_POLL="2")
    poller.poll_once()  # the baseline: history before the exporter started is not counted
    m = scrape(f"{base}/metrics")
    assert m.value("solana_program_transactions_total", status="success") == 0
    assert m.value("solana_program_transactions_total", status="failed") == 0
    assert m.value("solana_program_transaction_fees_sol_total") == 0

    rpc.state.add_transaction("sig-new-1", fee=5000)
    rpc.state.add_transaction("sig-new-2", fee=12000, failed=True)
    rpc.state.add_transaction("sig-new-3", fee=7000)
    poller.poll_once()
    assert rpc.calls("getSignaturesForAddress")[-1][1]["until"] == "sig-old-2"
    m = scrape(f"{base}/metrics")
    assert m.value("solana_program_transactions_total", status="success") == 2
    assert m.value("solana_program_transactions_total", status="failed") == 1
    # FEE_LOOKUPS_PER_POLL=2: the two oldest fees now, the third at the next poll.
    assert [p[0] for p in rpc.calls("getTransaction")] == ["sig-new-1", "sig-new-2"]
    assert m.value("solana_program_transaction_fees_sol_total") == pytest.approx(17000 / 1e9, rel=1e-12)

    poller.poll_once()  # nothing new on chain: counts stay, the pending fee is fetched
    m = scrape(f"{base}/metrics")
    assert m.value("solana_program_transactions_total", status="success") == 2
    assert m.value("solana_program_transactions_total", status="failed") == 1
    assert m.value("solana_program_transaction_fees_sol_total") == pytest.approx(24000 / 1e9, rel=1e-12)
    assert len(rpc.calls("getTransaction")) == 3


def test_fee_lookup_retried_when_transaction_not_yet_available(rpc, exporter):
    poller, base = exporter()
    rpc.state.add_transaction("sig-base", fee=5000)
    poller.poll_once()
    rpc.state.add_transaction("sig-late", fee=9000)
    del rpc.state.fees["sig-late"]  # getTransaction answers null until it is finalized
    poller.poll_once()
    assert scrape(f"{base}/metrics").value("solana_program_transaction_fees_sol_total") == 0
    rpc.state.fees["sig-late"] = 9000
    poller.poll_once()
    assert scrape(f"{base}/metrics").value("solana_program_transaction_fees_sol_total") == pytest.approx(9e-6)
    assert scrape(f"{base}/metrics").value("solana_program_transactions_total", status="success") == 1


def test_requests_never_exceed_the_configured_rate(rpc, exporter):
    accounts = ",".join(f"acct{i}={TREASURY}" for i in range(15))
    poller, _ = exporter(RPC_MAX_RPS="20", SOLANA_ACCOUNTS=accounts)
    poller.poll_once()  # 5 node calls + 15 balances + 1 signatures = 21 requests
    times = [t for t, _, _ in rpc.requests]
    assert len(times) == 21
    # No window of one second may hold more than 20 requests: the 1st and the 21st are >= 1 s apart
    # (a few ms of slack for when the server thread records the arrival).
    for i in range(len(times) - 20):
        assert times[i + 20] - times[i] >= 0.98


def test_health_endpoint(exporter):
    poller, base = exporter()
    poller.poll_once()
    with urllib.request.urlopen(f"{base}/health") as response:
        body = json.loads(response.read())
    assert response.status == 200
    assert body == {
        "status": "ok",
        "polls": 1,
        "rpc_reachable": True,
        "last_poll_age_seconds": body["last_poll_age_seconds"],
    }


def test_null_meta_is_retried_and_never_aborts_the_poll(rpc, exporter):
    """getTransaction may answer with "meta": null; that signature waits for a later poll, the poll goes on."""
    poller, base = exporter()
    rpc.state.add_transaction("sig-base", fee=5000)
    poller.poll_once()
    rpc.state.add_transaction("sig-no-meta", fee=9000)
    rpc.state.add_transaction("sig-ok", fee=5000)
    rpc.state.null_meta.add("sig-no-meta")
    poller.poll_once()
    m = scrape(f"{base}/metrics")
    assert m.value("solana_program_transaction_fees_sol_total") == pytest.approx(5e-6)
    assert m.value("solana_program_transactions_total", status="success") == 2
    assert m.value("solana_exporter_up") == 1 and m.value("solana_node_slot_height") == 166598
    assert health_of(base)["polls"] == 2
    rpc.state.null_meta.clear()
    poller.poll_once()
    assert scrape(f"{base}/metrics").value("solana_program_transaction_fees_sol_total") == pytest.approx(14e-6)
    assert [p[0] for p in rpc.calls("getTransaction")] == ["sig-no-meta", "sig-ok", "sig-no-meta"]


def test_an_unexpected_answer_is_counted_and_the_poll_still_publishes(rpc, exporter):
    """A fee no float can hold (valid JSON) raises inside the fee step: counted, logged, the rest published."""
    poller, base = exporter()
    rpc.state.add_transaction("sig-base", fee=5000)
    poller.poll_once()
    m = scrape(f"{base}/metrics")
    assert m.value("solana_exporter_poll_errors_total", step="program_fees") == 0
    rpc.state.add_transaction("sig-huge", fee=10**400)
    rpc.state.balances[TREASURY] = 3_000_000_000
    poller.poll_once()
    m = scrape(f"{base}/metrics")
    assert m.value("solana_exporter_poll_errors_total", step="program_fees") == 1
    assert m.value("solana_account_balance", account="treasury") == 3.0  # this poll's snapshot is published
    assert m.value("solana_program_transactions_total", status="success") == 1
    assert health_of(base)["polls"] == 2
    rpc.state.fees["sig-huge"] = 7000  # the signature was kept for a retry, not lost
    poller.poll_once()
    m = scrape(f"{base}/metrics")
    assert m.value("solana_program_transaction_fees_sol_total") == pytest.approx(7e-6)
    assert m.value("solana_exporter_poll_errors_total", step="program_fees") == 1


def health_of(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/health") as response:
        return json.loads(response.read())
