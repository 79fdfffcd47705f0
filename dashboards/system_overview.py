"""System Overview: is the platform up, fast and correct, are hosts healthy, and the business headline numbers."""

from __future__ import annotations

from grafanalib.core import Dashboard

from dashboards.common import dashboard, instance_variable, job_variable
from dashboards.slo_row import BUDGET_REMAINING
from panels import gauge, prom, row, stat, timeseries
from panels.stat import up_mappings
from panels.thresholds import CRIT, OK, count_steps
from signals import jobs
from signals.slo import API_ERROR_RATIO, API_LATENCY_P95, RESOURCE_UTILISATION

UID = "anonymeme-system-overview"
# `$job` and its chained `$instance` narrow every panel whose series carry those labels: the API figures (only the
# API job records them), the health checks, the hosts. The hourly business records are platform sums, job-less.
SEL = 'job=~"$job", instance=~"$instance"'
API_SEL = 'job=~"$job"'  # the API records are per job (signals.recording), without instance
# Health a target's `up` does not show: the exporter answers (up = 1) while the database behind it is down, or a
# probe from outside fails. Each is 1 when healthy, 0 when not, like `up`.
COMPONENT_CHECKS: tuple[tuple[str, str], ...] = (
    ("PostgreSQL", "pg_up"),
    ("Redis", "redis_up"),
    ("Solana RPC", "solana_node_is_healthy"),
)
# Firing alerts that mean something is wrong (the Watchdog's severity "none" fires all the time, by design).
FIRING = 'ALERTS{alertstate="firing", severity=~"critical|warning"}'


def _labelled(metric: str, check: str) -> str:
    return f'label_replace({metric}{{{SEL}}}, "check", "{check}", "", "")'


def _all_components() -> str:
    """1 only when every scrape, every component check and every probe is healthy: `or` needs distinct label
    sets to keep both sides, so each source gets its own `check` label first."""
    sources = [
        ("up", "scrape"),
        *((metric, title) for title, metric in COMPONENT_CHECKS),
        ("probe_success", "probe"),
    ]
    return "min(" + " or ".join(_labelled(metric, check) for metric, check in sources) + ")"


def build() -> Dashboard:
    return dashboard(
        uid=UID,
        title="System Overview",
        tags=("overview",),
        description="Health of every service, the API's golden signals, host resources and business headlines.",
        variables=[job_variable(), instance_variable("up", job=True)],
        panels=[
            row(
                "Service health",
                [
                    stat(
                        "Platform",
                        prom(_all_components(), "platform", instant=True),
                        unit="none",
                        runbook="service-down",
                        mappings=up_mappings(),
                        graph=False,
                        color_background=True,
                        w=4,
                        h=6,
                        description="DOWN when anything below is down: a scrape target, PostgreSQL, Redis, the "
                        "Solana RPC node or an external probe.",
                    ),
                    stat(
                        "Service health",
                        [
                            prom(f"min by (job) (up{{{SEL}}})", "{{job}}", instant=True),
                            *(
                                prom(f"min({metric}{{{SEL}}})", title, instant=True)
                                for title, metric in COMPONENT_CHECKS
                            ),
                            prom(f"min by (instance) (probe_success{{{SEL}}})", "probe {{instance}}", instant=True),
                        ],
                        unit="none",
                        runbook="service-down",
                        mappings=up_mappings(),
                        graph=False,
                        color_background=True,
                        w=16,
                        h=6,
                        description="Per job: UP when every target answered its last scrape. PostgreSQL and "
                        "Redis: UP when the exporter reached the server (pg_up, redis_up); Solana RPC: UP when "
                        "getHealth answers ok; probes: UP when the endpoint answered from outside. A job can be UP "
                        "while its database is DOWN: that is why both are here.",
                    ),
                    stat(
                        "Firing alerts",
                        prom(f"count({FIRING}) or vector(0)"),
                        unit="short",
                        colours=count_steps(CRIT),
                        graph=False,
                        w=4,
                        h=6,
                        description="Warning and critical alerts firing right now in Prometheus (the Watchdog, "
                        "which always fires, is not counted): green only at 0.",
                    ),
                ],
            ),
            row(
                "API",
                [
                    stat(
                        "Request rate",
                        prom(f"sum(job:http_requests:rate5m{{{API_SEL}}})"),
                        unit="reqps",
                        description="API requests per second over the last 5 minutes (recording rule).",
                        w=6,
                    ),
                    stat(
                        "p95 latency",
                        prom(f"max(job:http_request_duration_seconds:p95_5m{{{API_SEL}}})"),
                        unit="s",
                        runbook="api-latency",
                        threshold=API_LATENCY_P95,
                        description="95th percentile API latency over 5 minutes.",
                        w=6,
                    ),
                    stat(
                        "Error rate",
                        prom(f"max(job:http_request_errors:ratio_rate5m{{{API_SEL}}})"),
                        unit="percentunit",
                        runbook="api-errors",
                        threshold=API_ERROR_RATIO,
                        decimals=2,
                        description="Share of API requests answered with 5xx; the alert thresholds colour it.",
                        w=6,
                    ),
                    stat(
                        "Error budget remaining",
                        prom(f"min({BUDGET_REMAINING}{{{API_SEL}}})"),
                        unit="percentunit",
                        runbook="slo-burn",
                        colours=[{"color": CRIT, "value": None}, {"color": OK, "value": 0}],
                        decimals=1,
                        description="Share of the API availability SLO's error budget not yet spent; red once "
                        "spent. The SLO row of the API dashboard has the burn rate per window.",
                        w=6,
                    ),
                    timeseries(
                        "API traffic and errors",
                        [
                            prom(f"sum(job:http_requests:rate5m{{{API_SEL}}})", "requests/s"),
                            prom(f"sum(job:http_request_errors:rate5m{{{API_SEL}}})", "5xx/s"),
                        ],
                        unit="reqps",
                        description="API request and 5xx rates over 5 minutes.",
                        w=12,
                    ),
                    timeseries(
                        "API error ratio",
                        prom(f"job:http_request_errors:ratio_rate5m{{{API_SEL}}}", "{{job}}"),
                        unit="percentunit",
                        runbook="api-errors",
                        threshold=API_ERROR_RATIO,
                        min_=0,
                        description="Share of 5xx responses; dashed lines are the alert thresholds.",
                        w=12,
                    ),
                ],
            ),
            row(
                "System resources",
                [
                    gauge(
                        "CPU",
                        prom(f"max(instance:node_cpu_utilisation:rate5m{{{SEL}}})"),
                        unit="percentunit",
                        runbook="high-cpu",
                        threshold=RESOURCE_UTILISATION,
                        description="Busiest host's CPU utilisation.",
                        w=8,
                    ),
                    gauge(
                        "Memory",
                        prom(f"max(instance:node_memory_utilisation:ratio{{{SEL}}})"),
                        unit="percentunit",
                        runbook="high-memory",
                        threshold=RESOURCE_UTILISATION,
                        description="Highest host memory utilisation.",
                        w=8,
                    ),
                    gauge(
                        "Disk",
                        prom(f"max(instance_mountpoint:node_filesystem_utilisation:ratio{{{SEL}}})"),
                        unit="percentunit",
                        runbook="disk-space",
                        threshold=RESOURCE_UTILISATION,
                        description="Fullest filesystem across hosts.",
                        w=8,
                    ),
                ],
            ),
            row(
                "Business",
                [
                    stat(
                        "Trading volume (last hour)",
                        prom("anonymeme:trading_volume_sol:increase1h"),
                        unit="short",
                        description="SOL traded on the platform over the last hour.",
                        w=6,
                    ),
                    stat(
                        "Active users (24h)",
                        prom(f'sum(anonymeme_active_users{{{SEL}, window="24h"}})'),
                        unit="short",
                        description="Distinct users active in the last 24 hours.",
                        w=6,
                    ),
                    stat(
                        "Tokens created (last hour)",
                        prom("anonymeme:tokens_created:increase1h"),
                        unit="short",
                        description="Meme tokens created over the last hour.",
                        w=6,
                    ),
                    stat(
                        "Revenue (last hour)",
                        prom("anonymeme:revenue_sol:increase1h"),
                        unit="short",
                        description="Platform revenue in SOL over the last hour.",
                        w=6,
                    ),
                ],
            ),
            row(
                "Monitoring itself",
                collapsed=True,
                panels=_self_monitoring(),
            ),
        ],
    )


def _self_monitoring() -> list:
    """The watchers watched: what the self-monitoring alerts page on, one panel each (their links open these)."""
    # each panel is about one job, and still follows `$job`/`$instance` like every overview panel (two matchers on
    # one label are both applied: choosing another job empties these panels, as it should)
    prometheus = f'{SEL}, job="{jobs.PROMETHEUS.name}"'
    alertmanager = f'{SEL}, job="{jobs.ALERTMANAGER.name}"'
    return [
        timeseries(
            "Rule evaluation failures",
            prom(
                f"sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total{{{prometheus}}}"
                "[$__rate_interval]))",
                "{{rule_group}}",
            ),
            unit="ops",
            runbook="monitoring",
            w=6,
            description="Rule groups Prometheus fails to evaluate: their recordings and alerts stop.",
        ),
        timeseries(
            "Notifications dropped or failed",
            [
                prom(
                    f"sum(rate(prometheus_notifications_dropped_total{{{prometheus}}}[$__rate_interval]))",
                    "dropped by Prometheus",
                ),
                prom(
                    f"sum by (integration) (rate(alertmanager_notifications_failed_total{{{alertmanager}}}"
                    "[$__rate_interval]))",
                    "failed {{integration}}",
                ),
            ],
            unit="ops",
            runbook="monitoring",
            w=6,
            description="Alerts that never reached Alertmanager, and notifications Alertmanager could not deliver.",
        ),
        timeseries(
            "Config reloads",
            [
                prom(f"prometheus_config_last_reload_successful{{{prometheus}}}", "Prometheus {{instance}}"),
                prom(f"alertmanager_config_last_reload_successful{{{alertmanager}}}", "Alertmanager {{instance}}"),
            ],
            unit="none",
            runbook="monitoring",
            w=6,
            description="1 when the last configuration reload worked; 0 means the running config is an old one.",
        ),
        timeseries(
            "Alertmanager cluster members",
            prom(f"alertmanager_cluster_members{{{alertmanager}}}", "{{instance}}"),
            unit="none",
            runbook="monitoring",
            w=6,
            description="Peers each Alertmanager sees; fewer than are running means a split cluster.",
        ),
    ]
