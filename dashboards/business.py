"""Business: trading, users, tokens, transactions, revenue, and the health of the Solana chain beneath them."""

from __future__ import annotations

from grafanalib.core import Dashboard

from dashboards.common import dashboard
from panels import bargauge, prom, query_variable, row, stat, timeseries
from panels.stat import up_mappings
from signals.slo import SOLANA_SLOTS_BEHIND, TRANSACTION_SUCCESS_RATIO

UID = "anonymeme-business"


def _per_hour(metric: str, by: str = "") -> str:
    grouping = f" by ({by})" if by else ""
    return f"sum{grouping} (rate({metric}[$__rate_interval])) * 3600"


def build() -> Dashboard:
    return dashboard(
        uid=UID,
        title="Business",
        tags=("business",),
        time_from="now-24h",
        refresh="1m",
        description="Trading volume, users, tokens, transactions and revenue, and Solana chain health.",
        variables=[
            query_variable("type", "label_values(anonymeme_transactions_total, type)", "Transaction type"),
            query_variable("account", "label_values(solana_account_balance, account)", "Account"),
            query_variable("method", "label_values(solana_rpc_requests_total, method)", "RPC method"),
        ],
        panels=[
            row(
                "Trading",
                [
                    stat(
                        "Volume (last hour)",
                        prom("anonymeme:trading_volume_sol:increase1h"),
                        unit="short",
                        w=6,
                        description="SOL traded over the last hour (recording rule).",
                    ),
                    stat(
                        "Trades (last hour)",
                        prom("anonymeme:trades:increase1h"),
                        unit="short",
                        w=6,
                        description="Trades executed over the last hour.",
                    ),
                    timeseries(
                        "Volume trend",
                        prom(_per_hour("anonymeme_trading_volume_sol_total", "side"), "{{side}}"),
                        unit="short",
                        stack=True,
                        w=12,
                        description="Traded SOL per hour, by side.",
                    ),
                    timeseries(
                        "Trades by status",
                        prom(_per_hour("anonymeme_trades_total", "status"), "{{status}}"),
                        unit="short",
                        w=24,
                        description="Trades per hour by status.",
                    ),
                ],
            ),
            row(
                "Users",
                [
                    stat(
                        "Active users (24h)",
                        prom('sum(anonymeme_active_users{window="24h"})'),
                        unit="short",
                        w=6,
                        description="Distinct users active in the last 24 hours.",
                    ),
                    stat(
                        "Registrations (last hour)",
                        prom("anonymeme:user_registrations:increase1h"),
                        unit="short",
                        w=6,
                        description="New user registrations over the last hour.",
                    ),
                    timeseries(
                        "Active users",
                        prom("sum by (window) (anonymeme_active_users)", "{{window}}"),
                        unit="short",
                        w=12,
                        description="Distinct active users per window (1h, 24h, 7d).",
                    ),
                ],
            ),
            row(
                "Tokens",
                collapsed=True,
                panels=[
                    timeseries(
                        "Tokens created and graduated",
                        [
                            prom(_per_hour("anonymeme_tokens_created_total"), "created"),
                            prom(_per_hour("anonymeme_tokens_graduated_total"), "graduated"),
                        ],
                        unit="short",
                        w=12,
                        description="Tokens created, and tokens whose bonding curve completed, per hour.",
                    ),
                    timeseries(
                        "Market cap: largest and median token",
                        prom('max by (stat) (anonymeme_token_market_cap_sol{stat=~"max|median"})', "{{stat}}"),
                        unit="short",
                        w=6,
                        description="Market cap in SOL of the largest token and of the median one: two "
                        "statistics side by side, never added together.",
                    ),
                    timeseries(
                        "Market cap: all tokens",
                        prom('max(anonymeme_token_market_cap_sol{stat="total"})', "total"),
                        unit="short",
                        w=6,
                        description="Total market cap in SOL of every token (the collector's total; max, not "
                        "sum, so a second collector replica does not double it).",
                    ),
                ],
            ),
            row(
                "Transactions",
                [
                    stat(
                        "Success ratio (1h)",
                        prom("anonymeme:transaction_success:ratio_rate1h"),
                        unit="percentunit",
                        runbook="business-transactions",
                        threshold=TRANSACTION_SUCCESS_RATIO,
                        decimals=2,
                        w=6,
                        description="Share of platform transactions that succeeded over the last hour.",
                    ),
                    timeseries(
                        "Transactions by type and status",
                        prom(
                            _per_hour('anonymeme_transactions_total{type=~"$type"}', "type, status"),
                            "{{type}} {{status}}",
                        ),
                        unit="short",
                        w=9,
                        description="Platform transactions per hour.",
                    ),
                    timeseries(
                        "Fees",
                        prom(_per_hour('anonymeme_transaction_fees_sol_total{type=~"$type"}', "type"), "{{type}}"),
                        unit="short",
                        w=9,
                        description="Network fees paid, SOL per hour.",
                    ),
                ],
            ),
            row(
                "Revenue",
                collapsed=True,
                panels=[
                    stat(
                        "Revenue (last hour)",
                        prom("anonymeme:revenue_sol:increase1h"),
                        unit="short",
                        w=6,
                        description="Revenue in SOL over the last hour.",
                    ),
                    timeseries(
                        "Revenue by source",
                        prom(_per_hour("anonymeme_revenue_sol_total", "source"), "{{source}}"),
                        unit="short",
                        stack=True,
                        w=18,
                        description="Revenue in SOL per hour by source.",
                    ),
                ],
            ),
            row(
                "Solana chain",
                [
                    stat(
                        "RPC node health",
                        prom("min(solana_node_is_healthy)"),
                        unit="none",
                        runbook="solana-rpc",
                        mappings=up_mappings(),
                        graph=False,
                        color_background=True,
                        w=6,
                        description="1 (UP) when the RPC node answers getHealth with ok.",
                    ),
                    stat(
                        "Slots behind",
                        prom("max(solana_node_num_slots_behind)"),
                        unit="short",
                        runbook="solana-rpc",
                        threshold=SOLANA_SLOTS_BEHIND,
                        w=6,
                        description="How far the RPC node lags the cluster tip; colours follow the alert.",
                    ),
                    stat(
                        "Slot",
                        prom("max(solana_node_slot_height)"),
                        unit="locale",
                        graph=False,
                        w=6,
                        description="Current slot.",
                    ),
                    stat(
                        "Epoch progress",
                        prom(
                            "max((solana_node_slot_height - solana_node_epoch_first_slot) / "
                            "(solana_node_epoch_last_slot - solana_node_epoch_first_slot))"
                        ),
                        unit="percentunit",
                        graph=False,
                        w=6,
                        description="How far through the current epoch.",
                    ),
                    timeseries(
                        "RPC requests",
                        prom(
                            'sum by (method, outcome) (rate(solana_rpc_requests_total{method=~"$method"}'
                            "[$__rate_interval]))",
                            "{{method}} {{outcome}}",
                        ),
                        unit="reqps",
                        w=8,
                        description="JSON-RPC requests sent by the exporter, by outcome.",
                    ),
                    timeseries(
                        "RPC latency p95",
                        prom(
                            "histogram_quantile(0.95, sum by (method, le) "
                            '(rate(solana_rpc_request_duration_seconds_bucket{method=~"$method"}'
                            "[$__rate_interval])))",
                            "{{method}}",
                        ),
                        unit="s",
                        w=8,
                        description="95th percentile JSON-RPC latency per method.",
                    ),
                    bargauge(
                        "Account balances",
                        prom('sum by (account) (solana_account_balance{account=~"$account"})', "{{account}}"),
                        unit="short",
                        w=8,
                        description="SOL balance of each configured platform account.",
                    ),
                ],
            ),
            row(
                "Collectors",
                [
                    stat(
                        "Collector queries",
                        prom("min by (query) (anonymeme_collector_query_success)", "{{query}}", instant=True),
                        unit="none",
                        runbook="monitoring",
                        mappings=up_mappings(),
                        graph=False,
                        color_background=True,
                        w=12,
                        h=6,
                        description="Each SQL query of the business collector: UP when its last run succeeded. A "
                        "failing query publishes no samples for its family while the collector's `up` stays 1, so "
                        "the panels and alerts built on that family go blind: this says which.",
                    ),
                    timeseries(
                        "Solana exporter poll errors",
                        prom(
                            "sum by (step) (increase(solana_exporter_poll_errors_total[$__rate_interval]))", "{{step}}"
                        ),
                        unit="short",
                        runbook="monitoring",
                        bars=True,
                        w=12,
                        h=6,
                        description="Poll steps of the Solana exporter that failed on an unexpected answer or a "
                        "bug, per interval and step (each one is logged with its traceback).",
                    ),
                ],
            ),
        ],
    )
