"""Thresholds and SLOs as data: each number is written here once.

A panel's threshold colours and the alert that watches the same signal both read these values, so changing a
number here changes the dashboard, the alert rule and (where relevant) the recording rules together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Threshold:
    """A two-level threshold. `rising=True`: worse as the value grows (error ratio); False: worse as it falls."""

    warning: float
    critical: float
    rising: bool = True
    warning_for: str = "10m"
    critical_for: str = "5m"

    def __post_init__(self) -> None:
        ordered = self.warning < self.critical if self.rising else self.warning > self.critical
        if not ordered:
            raise ValueError(f"threshold warning={self.warning} must be less severe than critical={self.critical}")


@dataclass(frozen=True)
class BurnWindow:
    """One multi-window, multi-burn-rate alert condition (Google SRE workbook; sloth and kubernetes-mixin)."""

    long: str
    short: str
    factor: float
    severity: str
    for_: str


@dataclass(frozen=True)
class SLO:
    name: str
    objective: float  # e.g. 0.999 availability
    period_days: int
    windows: tuple[BurnWindow, ...]

    @property
    def error_budget(self) -> float:
        return round(1 - self.objective, 10)


# --- Thresholds ---------------------------------------------------------------------------------------------
# API error ratio (5xx / all requests): above 10% is critical, above 5% a warning.
API_ERROR_RATIO = Threshold(warning=0.05, critical=0.10, warning_for="10m", critical_for="5m")
# The error-ratio alert only speaks when there is traffic to judge (requests per second over 5m).
API_MIN_TRAFFIC_RPS = 0.1
# p95 latency target of the API, seconds.
API_LATENCY_P95 = Threshold(warning=0.5, critical=1.0, warning_for="10m", critical_for="10m")

# CPU, memory, disk utilisation as ratios 0-1: warning at 70%, critical at 95%.
RESOURCE_UTILISATION = Threshold(warning=0.70, critical=0.95, warning_for="15m", critical_for="5m")

# Disk predicted full within N hours (predict_linear over 6h of history).
DISK_FULL_WITHIN_HOURS = Threshold(warning=24, critical=4, rising=False, warning_for="30m", critical_for="30m")
DISK_PREDICTION_WINDOW = "6h"

# TLS certificate expiry, days left.
CERT_EXPIRY_DAYS = Threshold(warning=14, critical=3, rising=False, warning_for="0m", critical_for="0m")

# Security: failed authentications per second across the platform (5m rate), and the suspicious-activity score.
FAILED_AUTH_RATE = Threshold(warning=1.0, critical=5.0, warning_for="10m", critical_for="5m")
SUSPICIOUS_ACTIVITY_SCORE = Threshold(warning=50, critical=80, warning_for="5m", critical_for="2m")
# Rate-limit hits per second (5m rate): elevated is a warning only.
RATE_LIMIT_HITS = Threshold(warning=5.0, critical=50.0, warning_for="15m", critical_for="5m")

# Solana RPC node: slots behind the cluster tip.
SOLANA_SLOTS_BEHIND = Threshold(warning=50, critical=150, warning_for="5m", critical_for="2m")

# Business sanity: transaction success ratio (falling is bad).
TRANSACTION_SUCCESS_RATIO = Threshold(warning=0.98, critical=0.95, rising=False, warning_for="15m",
                                      critical_for="10m")

# Cache and database health thresholds shown on the Infrastructure dashboard (falling is bad for hit ratios).
CACHE_HIT_RATIO = Threshold(warning=0.90, critical=0.80, rising=False)
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
TARGET_DOWN_FOR = "1m"
EXPORTER_DOWN_FOR = "5m"
# A blackbox probe failing from outside (public endpoints, health checks) pages after this long.
PROBE_FAILED_FOR = "2m"
