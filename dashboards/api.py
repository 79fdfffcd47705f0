"""API: per-endpoint throughput and latency, errors, rate limiting and authentication."""

from __future__ import annotations

from grafanalib.core import Dashboard

from dashboards.common import dashboard, instance_variable
from dashboards.slo_row import slo_row
from panels import bargauge, heatmap, prom, query_variable, row, stat, table, timeseries
from panels.groups import red
from signals.jobs import API
from signals.recording import errors_or_zero
from signals.slo import ALERT_RATE_WINDOW, API_ERROR_RATIO, API_LATENCY_P95, FAILED_AUTH_RATE, RATE_LIMIT_HITS

UID = "anonymeme-api"
TARGET = 'job=~"$job", instance=~"$instance"'  # the service's targets: every API metric carries both labels
SEL = TARGET + ', handler=~"$handler"'
RATE = f"rate(http_requests_total{{{SEL}}}[$__rate_interval])"
ERRORS = errors_or_zero("rate", "$__rate_interval", "handler", SEL)  # 0, not "No data", when there are no 5xx
# Panels that draw an alert's line read the alert's own window, so the line and the alert judge the same number.
ALERT_WINDOW = ALERT_RATE_WINDOW


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
            instance_variable("http_requests_total", job=True),
            query_variable("handler", f"label_values(http_requests_total{{{TARGET}}}, handler)", "Endpoint"),
        ],
        panels=[
            row("Golden signals", red(SEL)),
            slo_row('job=~"$job"'),
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
                        runbook="api-latency",
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
                        rename={"Value #A": "req/s", "Value #B": "error ratio", "Value #C": "p95"},
                        column_units={"req/s": "reqps", "error ratio": "percentunit", "p95": "s"},
                        description="Each endpoint's request rate, error ratio and p95 latency right now, each "
                        "column in its own unit.",
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
                        runbook="api-errors",
                        threshold=API_ERROR_RATIO,
                        max_=1,
                        description="Share of 5xx per route; colours follow the error-ratio alert thresholds.",
                    ),
                ],
            ),
            row(
                "Rate limiting",
                collapsed=True,
                panels=[
                    timeseries(
                        "Rate-limit hits",
                        prom(
                            f"sum by (handler) (rate(anonymeme_rate_limit_hits_total{{{TARGET}}}[{ALERT_WINDOW}]))",
                            "{{handler}}",
                        ),
                        unit="reqps",
                        runbook="security-incidents",
                        threshold=RATE_LIMIT_HITS,
                        description=f"Requests that reached a rate limit per route, over {ALERT_WINDOW} as the "
                        "alert reads it; dashed line: the warning level (no critical alert exists).",
                    ),
                    timeseries(
                        "Blocked requests",
                        prom(
                            f"sum by (scope, reason) (rate(anonymeme_rate_limit_blocked_total{{{TARGET}}}"
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
                collapsed=True,
                panels=[
                    timeseries(
                        "Authentication attempts",
                        prom(
                            f"sum by (result) (rate(anonymeme_auth_attempts_total{{{TARGET}}}[$__rate_interval]))",
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
                            f"sum by (reason) (rate(anonymeme_auth_failures_total{{{TARGET}}}[{ALERT_WINDOW}]))",
                            "{{reason}}",
                        ),
                        unit="ops",
                        runbook="security-incidents",
                        threshold=FAILED_AUTH_RATE,
                        stack=True,
                        w=8,
                        description=f"Failed authentications per second by reason over {ALERT_WINDOW}, stacked: "
                        "the top of the stack is the total the alert watches; dashed lines: alert levels.",
                    ),
                    stat(
                        "Active sessions",
                        prom(f"sum(anonymeme_auth_active_sessions{{{TARGET}}})"),
                        unit="short",
                        w=8,
                        h=8,
                        description="Sessions currently active.",
                    ),
                ],
            ),
        ],
    )
