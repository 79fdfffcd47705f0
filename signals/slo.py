"""Thresholds and SLOs as data: each number is written here once.

A panel's threshold colours and the alert that watches the same signal both read these values, so changing a
number here changes the dashboard, the alert rule and (where relevant) the recording rules together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from signals.durations import check as check_durations
from signals.durations import duration


def _check_number(owner: str, name: str, value: object) -> None:
    """A real, finite number: a string compares by accident or not at all, NaN never fires, inf always does."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{owner}.{name} is {value!r} ({type(value).__name__}), not a number")
    if not math.isfinite(value):
        raise ValueError(f"{owner}.{name} is {value!r}, not a finite number")


SEVERITIES: tuple[str, ...] = ("warning", "critical")


def _check_severities(alerts: object) -> None:
    """A non-empty tuple of distinct severities from `SEVERITIES`: a typo would silently drop a panel colour."""
    if not isinstance(alerts, tuple) or not alerts:
        raise ValueError(f"Threshold.alerts is {alerts!r}, not a non-empty tuple of severities {SEVERITIES}")
    unknown = [a for a in alerts if a not in SEVERITIES]
    if unknown:
        raise ValueError(f"Threshold.alerts names {unknown!r}, not one of the severities {SEVERITIES}")
    if len(set(alerts)) != len(alerts):
        raise ValueError(f"Threshold.alerts is {alerts!r}: a severity is named twice")


@dataclass(frozen=True)
class Threshold:
    """A two-level threshold. `rising=True`: worse as the value grows (error ratio); False: worse as it falls.

    It refuses, where it is written, everything a panel or an alert could not use faithfully, naming the field:
    a value that is not a finite number, levels in the wrong order for the direction, hold times that are not
    Prometheus durations, `alerts` that are not a non-empty tuple of distinct known severities.

    `alerts` names the severities at which an alert fires (issue #15): a panel colours only those levels, so a
    red zone on a chart always means a page and an orange one a warning that exists.
    """

    warning: float
    critical: float
    rising: bool = True
    warning_for: str = "10m"
    critical_for: str = "5m"
    alerts: tuple[str, ...] = ("warning", "critical")

    def __post_init__(self) -> None:
        _check_number("Threshold", "warning", self.warning)
        _check_number("Threshold", "critical", self.critical)
        if not isinstance(self.rising, bool):
            raise ValueError(f"Threshold.rising is {self.rising!r}, not True or False")
        check_durations("Threshold", warning_for=self.warning_for, critical_for=self.critical_for)
        _check_severities(self.alerts)
        ordered = self.warning < self.critical if self.rising else self.warning > self.critical
        if not ordered:
            direction = "rising: warning below critical" if self.rising else "falling: warning above critical"
            raise ValueError(
                f"Threshold.warning={self.warning} must be less severe than critical={self.critical} ({direction})"
            )


@dataclass(frozen=True)
class BurnWindow:
    """One multi-window, multi-burn-rate alert condition (Google SRE workbook; sloth and kubernetes-mixin)."""

    long: str
    short: str
    factor: float
    severity: str
    for_: str

    def __post_init__(self) -> None:
        check_durations("BurnWindow", long=self.long, short=self.short, for_=self.for_)
        _check_number("BurnWindow", "factor", self.factor)


@dataclass(frozen=True)
class SLO:
    name: str
    objective: float  # e.g. 0.999 availability
    period_days: int
    windows: tuple[BurnWindow, ...]

    def __post_init__(self) -> None:
        _check_number("SLO", "objective", self.objective)
        if not 0 < self.objective < 1:
            raise ValueError(f"SLO.objective is {self.objective!r}, not a ratio between 0 and 1 (e.g. 0.999)")

    @property
    def error_budget(self) -> float:
        return round(1 - self.objective, 10)


# --- Thresholds ---------------------------------------------------------------------------------------------
# API error ratio (5xx / all requests): above 10% is critical, above 5% a warning.
API_ERROR_RATIO = Threshold(warning=0.05, critical=0.10, warning_for="10m", critical_for="5m")
# The error-ratio alert only speaks when there is traffic to judge (requests per second over 5m).
API_MIN_TRAFFIC_RPS = 0.1
# p95 latency target of the API, seconds. Only the warning alerts (ApiHighLatencyP95): no red zone on panels.
API_LATENCY_P95 = Threshold(warning=0.5, critical=1.0, warning_for="10m", critical_for="10m", alerts=("warning",))

# CPU, memory, disk utilisation as ratios 0-1: warning at 70%, critical at 95%.
RESOURCE_UTILISATION = Threshold(warning=0.70, critical=0.95, warning_for="15m", critical_for="5m")

# Disk predicted full within N hours (predict_linear over 6h of history).
DISK_FULL_WITHIN_HOURS = Threshold(warning=24, critical=4, rising=False, warning_for="30m", critical_for="30m")
DISK_PREDICTION_WINDOW = duration("6h")

# Disk fill prediction counts only while the filesystem is already this empty (free ratio): a backup that fills an
# empty disk fast is not a page (node-mixin's NodeFilesystemSpaceFillingUp: 40% warning, 20% critical).
DISK_FILL_FREE_BELOW = Threshold(warning=0.40, critical=0.20, rising=False)

# TLS certificate expiry, days left. Read as the last probe result of the hour (a failed probe has no expiry
# series), and held for a while: an expiry days away is never urgent to the minute, and a flapping probe must
# not resolve and re-open the alert.
CERT_EXPIRY_DAYS = Threshold(warning=14, critical=3, rising=False, warning_for="1h", critical_for="15m")
CERT_EXPIRY_LOOKBACK = duration("1h")

# Security: failed authentications per second across the platform (5m rate), and the suspicious-activity score.
FAILED_AUTH_RATE = Threshold(warning=1.0, critical=5.0, warning_for="10m", critical_for="5m")
# The window of the rate the failed-authentication and rate-limit alerts read (`rate(...[5m])`); a panel drawing
# their line reads the same window, so line and alert judge one number (Grafana's `$__rate_interval` would not).
ALERT_RATE_WINDOW = duration("5m")
SUSPICIOUS_ACTIVITY_SCORE = Threshold(warning=50, critical=80, warning_for="5m", critical_for="2m")
# Rate-limit hits per second (5m rate): elevated is a warning only (RateLimitHitsElevated), so panels show no red.
RATE_LIMIT_HITS = Threshold(warning=5.0, critical=50.0, warning_for="15m", critical_for="5m", alerts=("warning",))

# Solana RPC node: slots behind the cluster tip.
SOLANA_SLOTS_BEHIND = Threshold(warning=50, critical=150, warning_for="5m", critical_for="2m")

# Business sanity: transaction success ratio (falling is bad).
TRANSACTION_SUCCESS_RATIO = Threshold(warning=0.98, critical=0.95, rising=False, warning_for="15m", critical_for="10m")
# The ratio is judged only over at least this many transactions in its hour: two failures out of three is noise.
TRANSACTION_MIN_PER_HOUR = 20

# Cache and database health thresholds shown on the Infrastructure dashboard (falling is bad for hit ratios).
CACHE_HIT_RATIO = Threshold(warning=0.90, critical=0.80, rising=False)
# Share of the connections clients may open (max_connections minus superuser_reserved_connections).
POSTGRES_CONNECTIONS_USED = Threshold(warning=0.80, critical=0.95)

# --- SLOs ---------------------------------------------------------------------------------------------------
API_AVAILABILITY = SLO(
    name="api-availability",
    objective=0.999,
    period_days=30,
    windows=(
        BurnWindow("1h", "5m", 14.4, "critical", "2m"),
        BurnWindow("6h", "30m", 6.0, "critical", "15m"),
        BurnWindow("1d", "2h", 3.0, "warning", "1h"),
        BurnWindow("3d", "6h", 1.0, "warning", "3h"),
    ),
)

# --- Target health (added for alerting) ---------------------------------------------------------------------
# How long a platform service's scrape target may fail before it pages, and an exporter's before it warns.
TARGET_DOWN_FOR = duration("1m")
EXPORTER_DOWN_FOR = duration("5m")
# A blackbox probe failing from outside (public endpoints, health checks) pages after this long.
PROBE_FAILED_FOR = duration("2m")

# --- Monitoring the monitoring (added for issue 17) ---------------------------------------------------------
# Rule-evaluation and notification failures page after this long (an alert that cannot be evaluated or delivered
# is an outage of the alerting itself); a failed config reload warns after it (the old config keeps running).
SELF_MONITORING_FOR = duration("5m")
# A key series of a job that is up but publishes nothing (a collector whose query fails drops the series, so
# the alert built on it can never fire): warn after this long.
ABSENT_FOR = duration("10m")
# A collector query or a Solana poll step failing on every run for this long.
COLLECTOR_FAILING_FOR = duration("10m")
# A critical alert still firing after this long during business hours pages (the escalation path).
ESCALATE_AFTER = duration("30m")

# A gauge alert (memory, disk, connections, slots behind) stays firing this long after the value recovers, so a
# value hovering at the line pages once instead of resolving and re-paging every few minutes (Prometheus 2.42+).
GAUGE_KEEP_FIRING_FOR = duration("10m")

# --- Coverage from the anchors (node-mixin, kubernetes-mixin, postgres/redis mixins, awesome-prometheus-alerts) ----
# Containers: working set as a share of the memory limit (only where a limit is set), and the share of CFS periods
# throttled (kubernetes-mixin CPUThrottlingHigh: 25% for 15m).
CONTAINER_MEMORY_OF_LIMIT = Threshold(warning=0.80, critical=0.95, warning_for="5m", critical_for="2m")
CONTAINER_CPU_THROTTLED = Threshold(
    warning=0.25, critical=0.75, warning_for="15m", critical_for="15m", alerts=("warning",)
)
# Host OOM kills (node_vmstat_oom_kill) in this window warn.
OOM_KILL_WINDOW = duration("10m")
# Redis: used memory as a share of maxmemory (only where maxmemory is set); rejected connections in 5m warn.
REDIS_MEMORY_OF_MAX = Threshold(warning=0.80, critical=0.95, warning_for="5m", critical_for="2m")
REDIS_REJECTED_FOR = duration("2m")
# PostgreSQL: the oldest open transaction, seconds (idle-in-transaction included: it holds locks and blocks vacuum).
POSTGRES_LONGEST_TRANSACTION_SECONDS = Threshold(warning=300, critical=1800, warning_for="2m", critical_for="2m")
# Locks held as a share of the lock table (max_locks_per_transaction x max_connections; awesome: 20%).
POSTGRES_LOCKS_OF_TABLE = Threshold(warning=0.20, critical=0.50, warning_for="5m", critical_for="2m")
# Any deadlock in the window warns (each one aborts a transaction).
POSTGRES_DEADLOCK_WINDOW = duration("10m")
# Blackbox: total probe duration, seconds, averaged over 5m (awesome: 1s).
PROBE_DURATION_SECONDS = Threshold(warning=1.0, critical=3.0, warning_for="5m", critical_for="5m", alerts=("warning",))
# Solana: a slot height that has not moved in this window means the node is stuck, whatever getHealth says.
SOLANA_SLOT_STALL_WINDOW = duration("2m")
SOLANA_SLOT_STALL_FOR = duration("3m")
# Share of the exporter's JSON-RPC requests that did not succeed (5m).
SOLANA_RPC_ERROR_RATIO = Threshold(
    warning=0.10, critical=0.50, warning_for="10m", critical_for="5m", alerts=("warning",)
)
# The platform's fee payer, SOL: transactions fail once it cannot pay fees. `SOLANA_ACCOUNTS` must name it so.
FEE_PAYER_ACCOUNT = "fee_payer"
FEE_PAYER_BALANCE_SOL = Threshold(warning=5.0, critical=1.0, rising=False, warning_for="10m", critical_for="5m")
# No trade recorded by the business collector in this window, held for `NO_TRADES_FOR`.
NO_TRADES_WINDOW = duration("30m")
NO_TRADES_FOR = duration("5m")
