"""Prometheus scrape jobs: the one place that names them.

Dashboards select on these job names (template variable defaults, `up{job=...}` panels), the alert rules guard on
them, and `alerting` renders `prometheus.yml` from them. Targets are compose service names and ports; the native
local stack rewrites them to 127.0.0.1 and free ports.

A job with a `profile` (its service runs only when that optional compose profile is on: tracing, logging) is
found by a DNS A lookup of the service name instead of a static target: while the profile is off the name does
not resolve, so the job has no target, no `up` series and nothing to alert on (alerting.prometheus_config cites
the Prometheus source this rests on). Grafana (always on) and the `exporters`/`collectors` jobs, which every
deployment runs, stay static: an absent one of those is an outage and stays loud.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    service: str  # compose service that serves the metrics
    port: int
    team: str  # who is paged when the target is down: devops, security, business
    scrape_interval: str = "15s"
    metrics_path: str = "/metrics"
    exporter: bool = False  # a third-party exporter (its targets-down alert is a warning, not a page)
    profile: str | None = None  # the optional compose profile that runs the service: discovered by DNS, not static

    @property
    def target(self) -> str:
        return f"{self.service}:{self.port}"


PROMETHEUS = Job("prometheus", "prometheus", 9090, "devops")
ALERTMANAGER = Job("alertmanager", "alertmanager", 9093, "devops")
NODE = Job("node", "node-exporter", 9100, "devops", exporter=True)
CADVISOR = Job("cadvisor", "cadvisor", 8080, "devops", exporter=True)
POSTGRES = Job("postgres", "postgres-exporter", 9187, "devops", exporter=True)
REDIS = Job("redis", "redis-exporter", 9121, "devops", exporter=True)
BLACKBOX_EXPORTER = Job("blackbox-exporter", "blackbox-exporter", 9115, "devops", exporter=True)
API = Job("api", "backend", 8000, "devops")
# Trading figures come from the business collector; "5s for trading metrics" is this job's interval.
BUSINESS = Job("business", "business-collector", 9300, "business", scrape_interval="5s")
SOLANA = Job("solana", "solana-exporter", 9301, "devops")
SECURITY = Job("security", "security-monitor", 9302, "security")
# Grafana serves its own metrics on its HTTP port, on by default: `[metrics] enabled` is read with
# `MustBool(true)` (grafana pkg/setting/setting.go) and `HTTPServer.metricsEndpoint` (pkg/api/http_server.go)
# answers GET /metrics, with basic auth only when basic_auth_username/password are set (they are not here).
GRAFANA = Job("grafana", "grafana", 3000, "devops")
# Jaeger all-in-one exposes Prometheus metrics at /metrics on its admin port, 14269 for all-in-one
# (jaegertracing.io/docs/1.55/monitoring, "Each Jaeger component exposes the metrics scraping endpoint on the
# admin port"); compose's health check already probes that port.
JAEGER = Job("jaeger", "jaeger", 14269, "devops", profile="tracing")
# Elasticsearch and Logstash have no Prometheus endpoint of their own: an exporter each, in the logging profile.
# prometheus-community/elasticsearch_exporter listens on :9114 (main.go, webflag.AddFlags default);
# kuskoman/logstash-exporter v1 on PORT, default 9198 (config/server_config.go), reading LOGSTASH_URL.
ELASTICSEARCH = Job("elasticsearch", "elasticsearch-exporter", 9114, "devops", exporter=True, profile="logging")
LOGSTASH = Job("logstash", "logstash-exporter", 9198, "devops", exporter=True, profile="logging")

SCRAPE_JOBS: tuple[Job, ...] = (
    PROMETHEUS,
    ALERTMANAGER,
    NODE,
    CADVISOR,
    POSTGRES,
    REDIS,
    BLACKBOX_EXPORTER,
    API,
    BUSINESS,
    SOLANA,
    SECURITY,
    GRAFANA,
    JAEGER,
    ELASTICSEARCH,
    LOGSTASH,
)

# Blackbox probing: a job of its own whose targets are the URLs probed, relabelled through the exporter.
BLACKBOX_JOB = "blackbox"
BLACKBOX_MODULE = "http_2xx"
PROBE_TARGETS: tuple[str, ...] = (
    "http://backend:8000/health",
    "http://frontend:3000/",
    "https://anonymeme.io/",
)

# Probe targets that check a scrape job's own service: while that job is down, its failing probe is the same
# outage and is inhibited (the public URLs are not: they are what users see, whatever the cause).
PROBED_JOBS: dict[str, Job] = {"http://backend:8000/health": API}


def job(name: str) -> Job:
    for j in SCRAPE_JOBS:
        if j.name == name:
            return j
    raise KeyError(f"no scrape job named {name!r} (signals/jobs.py)")


@dataclass(frozen=True)
class KeySeries:
    """A series a job must publish while it is up, and why: its absence means an alert or panel is blind.

    `up` stays 1 when an exporter answers but one of its sources fails (the business collector drops a family
    whose query failed), so the absent-data alerts watch these instead.
    """

    job: Job
    metric: str  # a name of signals.catalogue (tests/signals check it)
    why: str


KEY_SERIES: tuple[KeySeries, ...] = (
    KeySeries(API, "http_requests_total", "every API panel, the error-ratio and error-budget alerts"),
    KeySeries(BUSINESS, "anonymeme_transactions_total", "TransactionSuccessRatioLow and the business dashboard"),
    KeySeries(SOLANA, "solana_node_is_healthy", "SolanaRpcUnhealthy and the Solana row"),
    KeySeries(SECURITY, "anonymeme_security_suspicious_activity_score", "SuspiciousActivityScoreHigh"),
)
