"""The platform's own metrics: one definition each, used by dashboards, alerts, exporters and the linter.

A dashboard query may only use a metric from this catalogue, an exporter metric (`signals.exporters`) or a
recording rule (`signals.recording`). Names follow the Prometheus naming guide: base units, `_total` for counters,
and no label that identifies a person, carries a secret or is unbounded (see `FORBIDDEN_LABELS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MetricType(StrEnum):
    COUNTER = "counter"
    GAUGE = "gauge"
    HISTOGRAM = "histogram"
    SUMMARY = "summary"


class Source(StrEnum):
    """Who exports the metric; the Prometheus job that scrapes it is in `signals.jobs`."""

    API = "api"  # the platform's FastAPI backend (prometheus-fastapi-instrumentator + own counters)
    BUSINESS = "business"  # exporters/business: SQL over the platform's PostgreSQL
    SOLANA = "solana"  # exporters/solana: Solana JSON-RPC
    SECURITY = "security"  # the platform's security service (detectors, scanners)


@dataclass(frozen=True)
class Metric:
    """One metric family as scraped (counter names include `_total`; histograms name the family)."""

    name: str
    type: MetricType
    help: str
    unit: str  # a Grafana unit id, used by panels showing this metric
    source: Source
    labels: tuple[str, ...] = ()
    buckets: tuple[float, ...] = ()  # histograms only

    def series(self) -> tuple[str, ...]:
        """The sample names this family produces, as a query would use them."""
        if self.type is MetricType.HISTOGRAM:
            return (f"{self.name}_bucket", f"{self.name}_sum", f"{self.name}_count")
        if self.type is MetricType.SUMMARY:
            return (self.name, f"{self.name}_sum", f"{self.name}_count")
        return (self.name,)


# Labels that would identify people, carry secrets or grow without bound. Enforced by tests on this catalogue,
# by the linter on queries, and dropped at scrape time by Prometheus relabelling.
FORBIDDEN_LABELS: frozenset[str] = frozenset(
    {
        "user",
        "user_id",
        "userid",
        "email",
        "ip",
        "ip_address",
        "client_ip",
        "remote_addr",
        "wallet",
        "wallet_address",
        "address",
        "token",
        "api_key",
        "session",
        "session_id",
        "url",
        "path",
    }
)

# API latency buckets: finer than the instrumentator's default (0.1, 0.5, 1) so that p50/p95/p99 are meaningful.
LATENCY_BUCKETS: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RPC_LATENCY_BUCKETS: tuple[float, ...] = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_C, _G, _H = MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM

PLATFORM_METRICS: tuple[Metric, ...] = (
    # --- HTTP API (RED) --------------------------------------------------------------------------------------
    Metric(
        "http_requests_total",
        _C,
        "HTTP requests handled, by route template, method and status class.",
        "reqps",
        Source.API,
        ("handler", "method", "status"),
    ),
    Metric(
        "http_request_duration_seconds",
        _H,
        "HTTP request latency by route template and method.",
        "s",
        Source.API,
        ("handler", "method"),
        LATENCY_BUCKETS,
    ),
    Metric(
        "http_requests_inprogress",
        _G,
        "HTTP requests being served right now.",
        "short",
        Source.API,
        ("handler", "method"),
    ),
    # --- Authentication ----------------------------------------------------------------------------------
    Metric(
        "anonymeme_auth_attempts_total",
        _C,
        "Authentication attempts by method and result.",
        "short",
        Source.API,
        ("method", "result"),
    ),
    Metric("anonymeme_auth_failures_total", _C, "Failed authentications by reason.", "short", Source.API, ("reason",)),
    Metric("anonymeme_auth_active_sessions", _G, "Sessions currently active.", "short", Source.API),
    # --- Rate limiting -----------------------------------------------------------------------------------
    Metric(
        "anonymeme_rate_limit_hits_total",
        _C,
        "Requests that reached a rate limit, by route and scope.",
        "short",
        Source.API,
        ("handler", "scope"),
    ),
    Metric(
        "anonymeme_rate_limit_blocked_total",
        _C,
        "Requests blocked outright (ban lists, repeated abuse).",
        "short",
        Source.API,
        ("scope", "reason"),
    ),
    # --- Security ----------------------------------------------------------------------------------------
    Metric(
        "anonymeme_security_suspicious_activity_score",
        _G,
        "Current suspicious-activity score (0-100) per detector.",
        "none",
        Source.SECURITY,
        ("detector",),
    ),
    Metric(
        "anonymeme_security_events_total",
        _C,
        "Security events recorded, by type and severity.",
        "short",
        Source.SECURITY,
        ("type", "severity"),
    ),
    Metric(
        "anonymeme_vulnerability_findings",
        _G,
        "Open findings of the latest vulnerability scan.",
        "short",
        Source.SECURITY,
        ("scanner", "severity"),
    ),
    Metric(
        "anonymeme_vulnerability_scan_timestamp_seconds",
        _G,
        "When the latest vulnerability scan finished.",
        "dateTimeFromNow",
        Source.SECURITY,
        ("scanner",),
    ),
    # --- Business (exporters/business, SQL over PostgreSQL) ---------------------------------------------
    Metric(
        "anonymeme_trading_volume_sol_total", _C, "Traded volume in SOL, by side.", "short", Source.BUSINESS, ("side",)
    ),
    Metric(
        "anonymeme_trades_total",
        _C,
        "Trades executed, by side and status.",
        "short",
        Source.BUSINESS,
        ("side", "status"),
    ),
    Metric(
        "anonymeme_active_users",
        _G,
        "Distinct users active within the window (1h, 24h, 7d).",
        "short",
        Source.BUSINESS,
        ("window",),
    ),
    Metric("anonymeme_user_registrations_total", _C, "User registrations.", "short", Source.BUSINESS),
    Metric("anonymeme_tokens_created_total", _C, "Meme tokens created on the platform.", "short", Source.BUSINESS),
    Metric(
        "anonymeme_tokens_graduated_total",
        _C,
        "Tokens whose bonding curve completed (listed on a DEX).",
        "short",
        Source.BUSINESS,
    ),
    Metric(
        "anonymeme_token_market_cap_sol",
        _G,
        "Market cap in SOL across tokens, by statistic (total, max, median).",
        "short",
        Source.BUSINESS,
        ("stat",),
    ),
    Metric(
        "anonymeme_transactions_total",
        _C,
        "Platform on-chain transactions, by type and status.",
        "short",
        Source.BUSINESS,
        ("type", "status"),
    ),
    Metric(
        "anonymeme_transaction_fees_sol_total",
        _C,
        "Network fees paid by platform transactions, in SOL.",
        "short",
        Source.BUSINESS,
        ("type",),
    ),
    Metric(
        "anonymeme_revenue_sol_total",
        _C,
        "Platform revenue in SOL, by source (trading fee, listing...).",
        "short",
        Source.BUSINESS,
        ("source",),
    ),
    Metric(
        "anonymeme_collector_query_duration_seconds",
        _G,
        "Duration of the last run of each collector query.",
        "s",
        Source.BUSINESS,
        ("query",),
    ),
    Metric(
        "anonymeme_collector_query_success",
        _G,
        "1 when the last run of the query succeeded, else 0.",
        "bool",
        Source.BUSINESS,
        ("query",),
    ),
    # --- Solana (exporters/solana); names follow asymmetric-research/solana-exporter where they overlap ---
    Metric("solana_node_is_healthy", _G, "1 when getHealth answers ok, else 0.", "bool", Source.SOLANA),
    Metric(
        "solana_node_num_slots_behind",
        _G,
        "Slots the RPC node is behind the cluster tip (0 when healthy).",
        "short",
        Source.SOLANA,
    ),
    Metric("solana_node_slot_height", _G, "Current slot (getSlot).", "short", Source.SOLANA),
    Metric("solana_node_block_height", _G, "Current block height (getBlockHeight).", "short", Source.SOLANA),
    Metric("solana_node_epoch_number", _G, "Current epoch (getEpochInfo).", "short", Source.SOLANA),
    Metric("solana_node_epoch_first_slot", _G, "First slot of the current epoch.", "short", Source.SOLANA),
    Metric("solana_node_epoch_last_slot", _G, "Last slot of the current epoch.", "short", Source.SOLANA),
    Metric(
        "solana_node_transactions_total",
        _C,
        "Transactions processed by the cluster (getEpochInfo).",
        "short",
        Source.SOLANA,
    ),
    Metric(
        "solana_node_version",
        _G,
        "Constant 1, labelled with the node's version (getVersion).",
        "none",
        Source.SOLANA,
        ("version",),
    ),
    Metric(
        "solana_account_balance",
        _G,
        "Balance in SOL of each configured platform account, by its name.",
        "short",
        Source.SOLANA,
        ("account",),
    ),
    Metric(
        "solana_program_transactions_total",
        _C,
        "Transactions of the platform program seen by getSignaturesForAddress, by status.",
        "short",
        Source.SOLANA,
        ("status",),
    ),
    Metric(
        "solana_program_transaction_fees_sol_total",
        _C,
        "Fees paid by the program's transactions, in SOL.",
        "short",
        Source.SOLANA,
    ),
    Metric(
        "solana_rpc_requests_total",
        _C,
        "JSON-RPC requests sent by the exporter, by method and outcome.",
        "short",
        Source.SOLANA,
        ("method", "outcome"),
    ),
    Metric(
        "solana_rpc_request_duration_seconds",
        _H,
        "JSON-RPC request latency, by method.",
        "s",
        Source.SOLANA,
        ("method",),
        RPC_LATENCY_BUCKETS,
    ),
    Metric(
        "solana_exporter_up",
        _G,
        "1 when the exporter's last poll reached the RPC endpoint, else 0.",
        "bool",
        Source.SOLANA,
    ),
    Metric(
        "solana_exporter_poll_errors_total",
        _C,
        "Poll steps that failed on an unexpected answer or a bug (logged with a traceback), by step.",
        "short",
        Source.SOLANA,
        ("step",),
    ),
)

BY_NAME: dict[str, Metric] = {m.name: m for m in PLATFORM_METRICS}


def metric(name: str) -> Metric:
    """The catalogue entry for `name`; a KeyError names the metric, so a typo fails at build time."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"metric {name!r} is not in the platform catalogue (signals/catalogue.py)") from None


def series_names() -> frozenset[str]:
    """Every sample name the platform's own metrics produce (for the linter and the "shows data" test)."""
    return frozenset(s for m in PLATFORM_METRICS for s in m.series())
