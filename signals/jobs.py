"""Prometheus scrape jobs: the one place that names them.

Dashboards select on these job names (template variable defaults, `up{job=...}` panels), the alert rules guard on
them, and `alerting` renders `prometheus.yml` from them. Targets are compose service names and ports; the native
local stack rewrites them to 127.0.0.1 and free ports.
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
