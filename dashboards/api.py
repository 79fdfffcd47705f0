"""API: per-endpoint throughput and latency, errors, rate limiting and authentication."""

from __future__ import annotations

from grafanalib.core import Dashboard

from dashboards.common import dashboard
from panels import bargauge, heatmap, prom, query_variable, row, stat, table, timeseries
from panels.groups import red
from signals.jobs import API
from signals.recording import errors_or_zero
from signals.slo import API_ERROR_RATIO, API_LATENCY_P95, FAILED_AUTH_RATE, RATE_LIMIT_HITS

UID = "anonymeme-api"
SEL = 'job=~"$job", handler=~"$handler"'
RATE = f"rate(http_requests_total{{{SEL}}}[$__rate_interval])"
ERRORS = errors_or_zero("rate", "$__rate_interval", "handler", SEL)  # 0, not "No data", when there are no 5xx


def build() -> Dashboard:
    return dashboard(
        uid=UID,
        title="API",
        tags=("api",),
        description="The platform API: traffic, errors and latency per endpoint, rate limiting and authentication.",
        variables=[
            query_variable(
                "job", "label_values(http_requests_total, job)", "Service", include_all=False, default=API.name
            ),
            query_variable("handler", 'label_values(http_requests_total{job=~"$job"}, handler)', "Endpoint"),
        ],
        panels=[
            row("Golden signals", red(SEL)),
            row(
                "Per endpoint",
                [
                    timeseries(
                        "Throughput by endpoint",
                        prom(f"sum by (handler) ({RATE})", "{{handler}}"),
                        unit="reqps",
                        legend_calcs=("mean", "max"),
                        description="Requests per second for each route template.",
                    ),
                    timeseries(
                        "p95 latency by endpoint",
                        prom(
                            "histogram_quantile(0.95, sum by (handler, le) "
                            f"(rate(http_request_duration_seconds_bucket{{{SEL}}}[$__rate_interval])))",
                            "{{handler}}",
                        ),
                        unit="s",
                        threshold=API_LATENCY_P95,
                        description="95th percentile latency per route; dashed lines are the latency target.",
                    ),
                    heatmap(
                        "Latency distribution",
                        prom(
                            f"sum by (le) (rate(http_request_duration_seconds_bucket{{{SEL}}}[$__rate_interval]))",
                            "{{le}}",
                            heatmap=True,
                        ),
                        unit="s",
                        description="How request latencies spread across histogram buckets.",
                    ),
                    table(
                        "Endpoints",
                        [
                            prom(f"sum by (handler) ({RATE})", instant=True, table=True),
                            prom(f"{ERRORS} / sum by (handler) ({RATE})", instant=True, table=True),
                            prom(
                                "histogram_quantile(0.95, sum by (handler, le) "
                                f"(rate(http_request_duration_seconds_bucket{{{SEL}}}[$__rate_interval])))",
                                instant=True,
                                table=True,
                            ),
                        ],
                        unit="short",
                        rename={"Value #A": "req/s", "Value #B": "error ratio", "Value #C": "p95 (s)"},
                        description="Each endpoint's request rate, error ratio and p95 latency right now.",
                    ),
                ],
            ),
            row(
                "Errors",
                [
                    timeseries(
                        "Errors by endpoint and status",
                        prom(
                            f'sum by (handler, status) (rate(http_requests_total{{{SEL}, status=~"4..|5.."}}'
                            "[$__rate_interval]))",
                            "{{handler}} {{status}}",
                        ),
                        unit="reqps",
                        stack=True,
                        description="4xx and 5xx responses per second, by route and status class.",
                    ),
                    bargauge(
                        "Error ratio by endpoint",
                        prom(f"{ERRORS} / sum by (handler) ({RATE})", "{{handler}}"),
                        unit="percentunit",
                        threshold=API_ERROR_RATIO,
                        max_=1,
                        description="Share of 5xx per route; colours follow the error-ratio alert thresholds.",
                    ),
                ],
            ),
            row(
                "Rate limiting",
                [
                    timeseries(
                        "Rate-limit hits",
                        prom(
                            'sum by (handler) (rate(anonymeme_rate_limit_hits_total{job=~"$job"}[$__rate_interval]))',
                            "{{handler}}",
                        ),
                        unit="reqps",
                        threshold=RATE_LIMIT_HITS,
                        description="Requests that reached a rate limit, per route; dashed lines: alert levels.",
                    ),
                    timeseries(
                        "Blocked requests",
                        prom(
                            'sum by (scope, reason) (rate(anonymeme_rate_limit_blocked_total{job=~"$job"}'
                            "[$__rate_interval]))",
                            "{{scope}} {{reason}}",
                        ),
                        unit="reqps",
                        description="Requests blocked outright, by scope and reason.",
                    ),
                ],
            ),
            row(
                "Authentication",
                [
                    timeseries(
                        "Authentication attempts",
                        prom(
                            'sum by (result) (rate(anonymeme_auth_attempts_total{job=~"$job"}[$__rate_interval]))',
                            "{{result}}",
                        ),
                        unit="ops",
                        stack=True,
                        w=8,
                        description="Login attempts per second, by result.",
                    ),
                    timeseries(
                        "Authentication failures",
                        prom(
                            'sum by (reason) (rate(anonymeme_auth_failures_total{job=~"$job"}[$__rate_interval]))',
                            "{{reason}}",
                        ),
                        unit="ops",
                        threshold=FAILED_AUTH_RATE,
                        stack=True,
                        w=8,
                        description="Failed authentications per second by reason, stacked: the top of the "
                        "stack is the total the alert watches; dashed lines: alert levels.",
                    ),
                    stat(
                        "Active sessions",
                        prom('sum(anonymeme_auth_active_sessions{job=~"$job"})'),
                        unit="short",
                        w=8,
                        h=8,
                        description="Sessions currently active.",
                    ),
                ],
            ),
        ],
    )
