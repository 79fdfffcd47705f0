"""The exporter's metric families, named, typed and described by `signals.catalogue` (the single source).

Chain state is rendered at scrape time from the last poll's immutable snapshot, so a failed call makes its
gauges disappear instead of repeating a stale value; counters accumulate across polls.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from signals.catalogue import metric

LAMPORTS_PER_SOL = 1_000_000_000

# The client library would add a `<counter>_created` gauge per counter in the text format: series the catalogue
# (and so the dashboards and the linter) does not know. Any process that builds these metrics is the exporter.
disable_created_metrics()
PROGRAM_STATUSES = ("success", "failed")
# The steps of one poll, in order; a step that raises is counted under its name and the poll goes on.
POLL_STEPS = ("health", "slot", "block_height", "epoch", "version", "balances", "program_transactions", "program_fees")


def _help(name: str) -> str:
    return metric(name).help


@dataclass(frozen=True)
class EpochInfo:
    epoch: int
    first_slot: int
    last_slot: int
    transaction_count: int | None


@dataclass(frozen=True)
class NodeSnapshot:
    """What the last poll learned; None means "that call failed", and the gauge is then not exposed."""

    up: bool = False
    healthy: bool = False
    slots_behind: int | None = None
    slot: int | None = None
    block_height: int | None = None
    epoch: EpochInfo | None = None
    version: str | None = None
    balances_sol: tuple[tuple[str, float], ...] = ()


class RpcMetrics:
    def __init__(self, registry: CollectorRegistry):
        requests_ = metric("solana_rpc_requests_total")
        duration = metric("solana_rpc_request_duration_seconds")
        self.requests = Counter(requests_.name, requests_.help, list(requests_.labels), registry=registry)
        self.duration = Histogram(
            duration.name, duration.help, list(duration.labels), buckets=duration.buckets, registry=registry
        )

    def observe(self, method: str, outcome: str, seconds: float) -> None:
        self.requests.labels(method=method, outcome=outcome).inc()
        self.duration.labels(method=method).observe(seconds)


class ProgramMetrics:
    def __init__(self, registry: CollectorRegistry):
        txs = metric("solana_program_transactions_total")
        fees = metric("solana_program_transaction_fees_sol_total")
        self.transactions = Counter(txs.name, txs.help, list(txs.labels), registry=registry)
        self.fees_sol = Counter(fees.name, fees.help, registry=registry)
        for status in PROGRAM_STATUSES:  # both series exist from the start, so rate() sees the first failure
            self.transactions.labels(status=status)


class PollMetrics:
    def __init__(self, registry: CollectorRegistry):
        errors = metric("solana_exporter_poll_errors_total")
        self.errors = Counter(errors.name, errors.help, list(errors.labels), registry=registry)
        for step in POLL_STEPS:  # every series exists from the start, so increase() sees the first error
            self.errors.labels(step=step)


class SnapshotCollector(Collector):
    """Renders the current `NodeSnapshot` (replaced atomically by the poller) at scrape time."""

    def __init__(self) -> None:
        self.snapshot = NodeSnapshot()

    def collect(self) -> Iterator[Metric]:
        s = self.snapshot
        yield _gauge("solana_exporter_up", 1 if s.up else 0)
        yield _gauge("solana_node_is_healthy", 1 if s.healthy else 0)
        yield _gauge("solana_node_num_slots_behind", s.slots_behind)
        yield _gauge("solana_node_slot_height", s.slot)
        yield _gauge("solana_node_block_height", s.block_height)
        e = s.epoch
        yield _gauge("solana_node_epoch_number", e.epoch if e else None)
        yield _gauge("solana_node_epoch_first_slot", e.first_slot if e else None)
        yield _gauge("solana_node_epoch_last_slot", e.last_slot if e else None)
        txs = CounterMetricFamily("solana_node_transactions", _help("solana_node_transactions_total"))
        if e is not None and e.transaction_count is not None:
            txs.add_metric([], e.transaction_count)
        yield txs
        version = GaugeMetricFamily("solana_node_version", _help("solana_node_version"), labels=["version"])
        if s.version is not None:
            version.add_metric([s.version], 1)
        yield version
        balance = GaugeMetricFamily("solana_account_balance", _help("solana_account_balance"), labels=["account"])
        for name, sol in s.balances_sol:
            balance.add_metric([name], sol)
        yield balance


def _gauge(name: str, value: float | None) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, _help(name))
    if value is not None:
        family.add_metric([], value)
    return family
