"""System Overview: is the platform up, fast and correct, are hosts healthy, and the business headline numbers."""

from __future__ import annotations

from grafanalib.core import Dashboard

from dashboards.common import dashboard, job_variable
from panels import gauge, prom, row, stat, timeseries
from panels.stat import up_mappings
from signals.jobs import API
from signals.slo import API_ERROR_RATIO, API_LATENCY_P95, RESOURCE_UTILISATION

UID = "anonymeme-system-overview"
API_SEL = f'job="{API.name}"'


def build() -> Dashboard:
    return dashboard(
        uid=UID,
        title="System Overview",
        tags=("overview",),
        description="Health of every service, the API's golden signals, host resources and business headlines.",
        variables=[job_variable()],
        panels=[
            row(
                "Service health",
                [
                    stat(
                        "Service health",
                        prom('min by (job) (up{job=~"$job"})', "{{job}}", instant=True),
                        unit="none",
                        mappings=up_mappings(),
                        graph=False,
                        color_background=True,
                        w=24,
                        h=4,
                        description="1 (UP) when every target of the job answered its last scrape; 0 (DOWN) when "
                        "any target of the job is down.",
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
                        threshold=API_LATENCY_P95,
                        description="95th percentile API latency over 5 minutes.",
                        w=6,
                    ),
                    stat(
                        "Error rate",
                        prom(f"max(job:http_request_errors:ratio_rate5m{{{API_SEL}}})"),
                        unit="percentunit",
                        threshold=API_ERROR_RATIO,
                        decimals=2,
                        description="Share of API requests answered with 5xx; the alert thresholds colour it.",
                        w=6,
                    ),
                    stat(
                        "Firing alerts",
                        prom('sum(ALERTS{alertstate="firing"}) or vector(0)'),
                        unit="short",
                        threshold=None,
                        graph=False,
                        description="Alerts firing right now in Prometheus.",
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
                        prom("max(instance:node_cpu_utilisation:rate5m)"),
                        unit="percentunit",
                        threshold=RESOURCE_UTILISATION,
                        description="Busiest host's CPU utilisation.",
                        w=8,
                    ),
                    gauge(
                        "Memory",
                        prom("max(instance:node_memory_utilisation:ratio)"),
                        unit="percentunit",
                        threshold=RESOURCE_UTILISATION,
                        description="Highest host memory utilisation.",
                        w=8,
                    ),
                    gauge(
                        "Disk",
                        prom("max(instance_mountpoint:node_filesystem_utilisation:ratio)"),
                        unit="percentunit",
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
                        prom('sum(anonymeme_active_users{window="24h"})'),
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
        ],
    )
