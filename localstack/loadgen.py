"""A load generator that serves the platform catalogue's metrics with realistic labels and moving values.

Why: the native stack has no Anonymeme backend, security service or Solana node, yet every dashboard panel
must be proven against a real Prometheus. This process plays those scrape targets, one HTTP port per job of
`signals.jobs` (so `up{job=...}` and `job` labels are real), from the catalogue itself: a metric added to
`signals.catalogue` is served without touching this file. The business metrics come from the REAL collector:
with `--database-url-env` this process writes platform activity into PostgreSQL for it to count
(`localstack.business_load`); the Solana metrics come from the REAL exporter polling the local JSON-RPC
this process answers with `--solana-rpc-port` (`localstack.solana_rpc`). `--port business=PORT` and
`--port solana=PORT` still imitate them where neither runs.

It also serves an IMITATION of cAdvisor's series (`signals.exporters.CADVISOR`) on the cadvisor job's port:
cAdvisor needs Docker, which this stack does not have. Those series are made up in cAdvisor's names and labels
(`id`, `name`, `image`), nothing more. The API port answers `/health` for the blackbox probe.
"""

from __future__ import annotations

import os
import random
import ssl
import sys
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import product

import click
import psycopg
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.exposition import generate_latest

from localstack.process import LOOPBACK
from signals import exporters
from signals.catalogue import PLATFORM_METRICS, Metric, MetricType, Source

# Label values per label name, as the platform produces them (route templates, grouped status classes...).
LABEL_VALUES: dict[str, tuple[str, ...]] = {
    "handler": ("/api/v1/tokens", "/api/v1/trades", "/api/v1/auth/login", "/health"),
    "method": ("GET", "POST"),
    "status": ("2xx", "4xx", "5xx"),
    "result": ("success", "failure"),
    "reason": ("bad_signature", "expired_nonce", "rate_limited"),
    "scope": ("ip", "wallet"),
    "detector": ("wash_trading", "bot_pattern", "sybil"),
    "type": ("buy", "sell", "create_token"),
    "severity": ("low", "high", "critical"),
    "scanner": ("trivy", "bandit"),
    "side": ("buy", "sell"),
    "window": ("1h", "24h", "7d"),
    "stat": ("total", "max", "median"),
    "source": ("trading_fee", "listing_fee"),
    "query": ("trades", "users", "tokens", "transactions", "revenue"),
    "version": ("2.1.16",),
    "account": ("treasury", "fee_payer"),
    "outcome": ("ok", "error"),
}
# Where a label means something else for one metric.
METRIC_LABEL_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("anonymeme_trades_total", "status"): ("success", "failed"),
    ("anonymeme_transactions_total", "status"): ("success", "failed"),
    ("solana_program_transactions_total", "status"): ("success", "failed"),
    ("anonymeme_security_events_total", "type"): ("failed_login", "suspicious_trade", "blocked_ip"),
    ("solana_rpc_requests_total", "method"): ("getHealth", "getSlot", "getEpochInfo", "getBalance"),
    ("solana_rpc_request_duration_seconds", "method"): ("getHealth", "getSlot", "getEpochInfo", "getBalance"),
}
# Gauges with a meaning: (low, high) of a plausible value; others wander between 0 and 100.
GAUGE_RANGES: dict[str, tuple[float, float]] = {
    "anonymeme_security_suspicious_activity_score": (5, 40),
    "solana_node_is_healthy": (1, 1),
    "solana_exporter_up": (1, 1),
    "anonymeme_collector_query_success": (1, 1),
    "solana_node_version": (1, 1),
    "solana_node_num_slots_behind": (0, 20),
    "solana_node_slot_height": (2.9e8, 2.9e8 + 1e4),
    "solana_node_block_height": (2.7e8, 2.7e8 + 1e4),
    "solana_node_epoch_number": (690, 690),
    "solana_node_epoch_first_slot": (2.9e8 - 2e5, 2.9e8 - 2e5),
    "solana_node_epoch_last_slot": (2.9e8 + 2.32e5, 2.9e8 + 2.32e5),
    "solana_account_balance": (10, 500),
    "anonymeme_collector_query_duration_seconds": (0.002, 0.2),
    "anonymeme_token_market_cap_sol": (100, 50000),
}
# Counter increments per tick (requests per tick for the API; SOL for volumes).
COUNTER_STEPS: dict[str, tuple[float, float]] = {
    "http_requests_total": (5, 40),
    "anonymeme_trading_volume_sol_total": (1, 20),
    "anonymeme_transaction_fees_sol_total": (0.0001, 0.001),
    "anonymeme_revenue_sol_total": (0.01, 0.2),
    "solana_program_transaction_fees_sol_total": (0.0001, 0.001),
    "solana_node_transactions_total": (1000, 3000),
}
CADVISOR_CONTAINERS = ("backend", "frontend", "postgres", "redis", "prometheus", "grafana")
API_JOBS = {
    Source.API: "api",
    Source.BUSINESS: "business",
    Source.SOLANA: "solana",
    Source.SECURITY: "security",
}


def label_sets(metric_name: str, labels: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every combination of the label values this metric gets (one empty tuple when it has no labels)."""
    values = [METRIC_LABEL_VALUES.get((metric_name, lb), LABEL_VALUES.get(lb, ("a", "b"))) for lb in labels]
    return list(product(*values))


class Family:
    """One catalogue metric in a registry, and how it moves each tick."""

    def __init__(self, metric: Metric, registry: CollectorRegistry, rng: random.Random) -> None:
        self.metric, self.rng = metric, rng
        labels = list(metric.labels)
        base = metric.name.removesuffix("_total")
        if metric.type is MetricType.COUNTER:
            self.child = Counter(base, metric.help, labels, registry=registry)
        elif metric.type is MetricType.HISTOGRAM:
            self.child = Histogram(metric.name, metric.help, labels, buckets=metric.buckets, registry=registry)
        else:
            self.child = Gauge(metric.name, metric.help, labels, registry=registry)
        self.sets = label_sets(metric.name, metric.labels)

    def _of(self, values: tuple[str, ...]):
        return self.child.labels(*values) if values else self.child

    def tick(self) -> None:
        m, rng = self.metric, self.rng
        for values in self.sets:
            target = self._of(values)
            if m.type is MetricType.COUNTER:
                low, high = COUNTER_STEPS.get(m.name, (0, 3))
                share = 0.03 if {"5xx", "failed", "failure"} & set(values) else 0.2 if "4xx" in values else 1.0
                step = rng.uniform(low, high) * share
                fractional = "_sol_" in m.name or m.name.endswith("_seconds_total")
                target.inc(step if fractional else int(step + rng.random()))
            elif m.type is MetricType.HISTOGRAM:
                for _ in range(rng.randint(3, 12)):
                    target.observe(rng.lognormvariate(-3.5, 1.0))
            elif m.unit == "dateTimeFromNow":
                target.set(time.time() - rng.uniform(600, 7200))
            else:
                low, high = GAUGE_RANGES.get(m.name, (0, 100))
                target.set(rng.uniform(low, high))


class CadvisorImitation:
    """cAdvisor-named series for a few containers: an imitation, since cAdvisor needs Docker (see module doc)."""

    def __init__(self, registry: CollectorRegistry, rng: random.Random) -> None:
        self.rng = rng
        self.families = []
        for name in sorted(exporters.CADVISOR):
            labels = [] if name.startswith("machine_") else ["id", "name", "image"]
            kind = Counter if name.endswith("_total") else Gauge
            self.families.append(
                (
                    name,
                    kind(
                        name.removesuffix("_total") if kind is Counter else name,
                        f"imitation of cAdvisor's {name}",
                        labels,
                        registry=registry,
                    ),
                )
            )

    def tick(self) -> None:
        for name, family in self.families:
            if name.startswith("machine_"):
                family.set(8 if "cores" in name else 16 * 2**30)
                continue
            for c in CADVISOR_CONTAINERS:
                child = family.labels(f"/docker/{c}", c, f"anonymeme/{c}:latest")
                if isinstance(family, Counter):
                    child.inc(self.rng.uniform(0.01, 2.0))
                elif "bytes" in name:
                    child.set(self.rng.uniform(50, 900) * 2**20)
                else:
                    child.set(self.rng.uniform(0, 100))


def registries(seed: int = 7) -> dict[str, tuple[CollectorRegistry, list]]:
    """Job name -> (its registry, the things that move each tick)."""
    rng = random.Random(seed)  # noqa: S311 (load, not cryptography)
    out: dict[str, tuple[CollectorRegistry, list]] = {}
    for source, job in API_JOBS.items():
        registry = CollectorRegistry()
        out[job] = (registry, [Family(m, registry, rng) for m in PLATFORM_METRICS if m.source is source])
    registry = CollectorRegistry()
    out["cadvisor"] = (registry, [CadvisorImitation(registry, rng)])
    return out


def _handler(registry: CollectorRegistry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path.startswith("/metrics"):
                body, ctype = generate_latest(registry), "text/plain; version=0.0.4; charset=utf-8"
            elif self.path in ("/health", "/healthz", "/"):
                body, ctype = b"ok\n", "text/plain"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def serve_tls_health(port: int, cert: str, key: str) -> None:
    """/health over HTTPS with the stack's certificate, for the blackbox probe's TLS metrics."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer((LOOPBACK, port), _handler(CollectorRegistry()))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, name="serve-tls", daemon=True).start()


def serve(ports: dict[str, int], tick_seconds: float = 0.5, database_url: str | None = None) -> None:
    """Serve each job on its port and move the values every `tick_seconds`, until killed; with
    `database_url`, also write platform activity there for the real business collector."""
    disable_created_metrics()
    regs = registries()
    unknown = set(ports) - set(regs)
    if unknown:
        raise click.UsageError(f"no load for jobs {sorted(unknown)}; known: {sorted(regs)}")
    movers: list = []
    if database_url:
        from localstack.business_load import BusinessLoad

        movers.append(BusinessLoad(database_url))
    for job, port in ports.items():
        registry, things = regs[job]
        movers += things
        server = ThreadingHTTPServer((LOOPBACK, port), _handler(registry))
        threading.Thread(target=server.serve_forever, name=f"serve-{job}", daemon=True).start()
    _tick(movers)
    while True:
        time.sleep(tick_seconds)
        _tick(movers)


def _tick(movers: Iterable) -> None:
    """Move every value; a database hiccup (PostgreSQL restarting, stopping) costs one tick, not the process."""
    for m in movers:
        try:
            m.tick()
        except psycopg.Error as e:
            print(
                f"loadgen: {type(m).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else e!r}",
                file=sys.stderr,
                flush=True,
            )


@click.command()
@click.option(
    "--port",
    "ports",
    multiple=True,
    required=True,
    metavar="JOB=PORT",
    help="Serve JOB's metrics on 127.0.0.1:PORT (jobs: api, business, solana, security, cadvisor).",
)
@click.option("--tick", default=0.5, show_default=True, help="Seconds between value changes.")
@click.option("--tls-port", type=int, default=None, help="Also serve /health over HTTPS on this port.")
@click.option("--cert", type=click.Path(exists=True, dir_okay=False), help="PEM certificate for --tls-port.")
@click.option("--key", type=click.Path(exists=True, dir_okay=False), help="PEM key for --tls-port.")
@click.option("--solana-rpc-port", type=int, default=None, help="Also answer Solana JSON-RPC on this port.")
@click.option(
    "--database-url-env",
    default=None,
    metavar="VAR",
    help="Environment variable holding the platform database URL to write business activity to.",
)
def main(
    ports: tuple[str, ...],
    tick: float,
    tls_port: int | None,
    cert: str | None,
    key: str | None,
    database_url_env: str | None,
    solana_rpc_port: int | None,
) -> None:
    """Serve the platform catalogue's metrics (and a cAdvisor imitation) with moving values, on loopback."""
    parsed: dict[str, int] = {}
    for item in ports:
        job, sep, port = item.partition("=")
        if not sep or not port.isdigit():
            raise click.UsageError(f"--port {item!r} is not JOB=PORT")
        parsed[job] = int(port)
    if tls_port is not None and not (cert and key):
        raise click.UsageError("--tls-port needs --cert and --key")
    try:
        if solana_rpc_port is not None:
            from localstack.solana_rpc import serve as serve_solana_rpc

            serve_solana_rpc(solana_rpc_port)
        if tls_port is not None:
            serve_tls_health(tls_port, cert, key)  # type: ignore[arg-type]
        serve(parsed, tick, os.environ.get(database_url_env) if database_url_env else None)
    except OSError as e:
        click.echo(f"loadgen: cannot listen: {e.strerror}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
