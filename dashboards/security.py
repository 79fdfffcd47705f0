"""Security: failed authentications, rate limiting, suspicious activity and vulnerability scans."""

from __future__ import annotations

from grafanalib.core import Dashboard

from dashboards.common import dashboard
from panels import bargauge, gauge, prom, row, stat, table, timeseries
from signals.slo import FAILED_AUTH_RATE, RATE_LIMIT_HITS, SUSPICIOUS_ACTIVITY_SCORE

UID = "anonymeme-security"


def build() -> Dashboard:
    return dashboard(
        uid=UID,
        title="Security",
        tags=("security",),
        description="Authentication failures, rate limiting, suspicious-activity detectors and vulnerability scans.",
        panels=[
            row(
                "Authentication",
                [
                    stat(
                        "Failed authentications",
                        prom("sum(rate(anonymeme_auth_failures_total[$__rate_interval]))"),
                        unit="ops",
                        threshold=FAILED_AUTH_RATE,
                        w=6,
                        h=8,
                        description="Failed authentications per second; colours follow the failed-auth alerts.",
                    ),
                    timeseries(
                        "Failures by reason",
                        prom("sum by (reason) (rate(anonymeme_auth_failures_total[$__rate_interval]))", "{{reason}}"),
                        unit="ops",
                        threshold=FAILED_AUTH_RATE,
                        stack=True,
                        w=9,
                        description="Failed authentications per second, by reason.",
                    ),
                    timeseries(
                        "Attempts by result",
                        prom("sum by (result) (rate(anonymeme_auth_attempts_total[$__rate_interval]))", "{{result}}"),
                        unit="ops",
                        w=9,
                        description="Authentication attempts per second, by result.",
                    ),
                ],
            ),
            row(
                "Rate limiting",
                [
                    timeseries(
                        "Rate-limit hits by scope",
                        prom("sum by (scope) (rate(anonymeme_rate_limit_hits_total[$__rate_interval]))", "{{scope}}"),
                        unit="reqps",
                        threshold=RATE_LIMIT_HITS,
                        description="Requests that reached a rate limit, by scope; dashed lines: alert levels.",
                    ),
                    timeseries(
                        "Blocked by reason",
                        prom(
                            "sum by (reason) (rate(anonymeme_rate_limit_blocked_total[$__rate_interval]))", "{{reason}}"
                        ),
                        unit="reqps",
                        stack=True,
                        description="Requests blocked outright, by reason.",
                    ),
                ],
            ),
            row(
                "Suspicious activity",
                [
                    gauge(
                        "Highest score",
                        prom("max(anonymeme_security_suspicious_activity_score)"),
                        unit="none",
                        threshold=SUSPICIOUS_ACTIVITY_SCORE,
                        max_=100,
                        w=6,
                        h=8,
                        description="The highest current suspicious-activity score (0-100) across detectors.",
                    ),
                    timeseries(
                        "Score by detector",
                        prom("max by (detector) (anonymeme_security_suspicious_activity_score)", "{{detector}}"),
                        unit="none",
                        threshold=SUSPICIOUS_ACTIVITY_SCORE,
                        min_=0,
                        max_=100,
                        w=9,
                        description="Suspicious-activity score per detector; dashed lines: alert levels.",
                    ),
                    timeseries(
                        "Security events",
                        prom(
                            "sum by (type, severity) (rate(anonymeme_security_events_total[$__rate_interval]))",
                            "{{type}} {{severity}}",
                        ),
                        unit="ops",
                        stack=True,
                        w=9,
                        description="Security events recorded per second.",
                    ),
                ],
            ),
            row(
                "Vulnerability scans",
                [
                    bargauge(
                        "Open findings by severity",
                        prom("sum by (severity) (anonymeme_vulnerability_findings)", "{{severity}}"),
                        unit="short",
                        w=8,
                        description="Open findings of the latest scans, by severity.",
                    ),
                    table(
                        "Findings by scanner",
                        prom("sum by (scanner, severity) (anonymeme_vulnerability_findings)", instant=True, table=True),
                        unit="short",
                        rename={"Value": "findings"},
                        w=8,
                        description="Open findings per scanner and severity.",
                    ),
                    stat(
                        "Last scan",
                        prom("max(anonymeme_vulnerability_scan_timestamp_seconds) * 1000"),
                        unit="dateTimeFromNow",
                        graph=False,
                        w=8,
                        h=8,
                        description="When the most recent vulnerability scan finished.",
                    ),
                ],
            ),
        ],
    )
