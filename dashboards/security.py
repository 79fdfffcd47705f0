"""Security: failed authentications, rate limiting, suspicious activity and vulnerability scans."""

from __future__ import annotations

from grafanalib.core import Dashboard

from dashboards.common import dashboard
from panels import bargauge, gauge, prom, query_variable, row, stat, table, timeseries
from signals.slo import ALERT_RATE_WINDOW, FAILED_AUTH_RATE, RATE_LIMIT_HITS, SUSPICIOUS_ACTIVITY_SCORE

UID = "anonymeme-security"
# Panels coloured or lined by an alert read the alert's own window (the alert expressions use rate(...[5m])).
WINDOW = ALERT_RATE_WINDOW
DETECTOR = 'detector=~"$detector"'
SCANNER = 'scanner=~"$scanner"'


def build() -> Dashboard:
    return dashboard(
        uid=UID,
        title="Security",
        tags=("security",),
        description="Authentication failures, rate limiting, suspicious-activity detectors and vulnerability scans.",
        variables=[
            query_variable("reason", "label_values(anonymeme_auth_failures_total, reason)", "Failure reason"),
            query_variable(
                "detector", "label_values(anonymeme_security_suspicious_activity_score, detector)", "Detector"
            ),
            query_variable("scanner", "label_values(anonymeme_vulnerability_findings, scanner)", "Scanner"),
        ],
        panels=[
            row(
                "Authentication",
                [
                    stat(
                        "Failed authentications",
                        prom(f"sum(rate(anonymeme_auth_failures_total[{WINDOW}]))"),
                        unit="ops",
                        runbook="security-incidents",
                        threshold=FAILED_AUTH_RATE,
                        w=6,
                        h=8,
                        description=f"Failed authentications per second over {WINDOW}, every reason: the number "
                        "the failed-authentication alerts judge, coloured by their levels.",
                    ),
                    timeseries(
                        "Failures by reason",
                        prom(
                            f'sum by (reason) (rate(anonymeme_auth_failures_total{{reason=~"$reason"}}[{WINDOW}]))',
                            "{{reason}}",
                        ),
                        unit="ops",
                        runbook="security-incidents",
                        threshold=FAILED_AUTH_RATE,
                        stack=True,
                        w=9,
                        description=f"Failed authentications per second over {WINDOW}, by reason, stacked: with "
                        "every reason selected the top of the stack is what the alerts judge; dashed lines: their "
                        "levels.",
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
                        "Rate-limit hits by endpoint",
                        prom(f"sum by (handler) (rate(anonymeme_rate_limit_hits_total[{WINDOW}]))", "{{handler}}"),
                        unit="reqps",
                        runbook="security-incidents",
                        threshold=RATE_LIMIT_HITS,
                        w=8,
                        description=f"Requests that reached a rate limit per route over {WINDOW}, as the "
                        "rate-limit alert groups and reads them; dashed line: its warning level (no critical "
                        "alert exists).",
                    ),
                    timeseries(
                        "Rate-limit hits by scope",
                        prom("sum by (scope) (rate(anonymeme_rate_limit_hits_total[$__rate_interval]))", "{{scope}}"),
                        unit="reqps",
                        w=8,
                        description="Requests that reached a rate limit, by scope (no alert watches a scope).",
                    ),
                    timeseries(
                        "Blocked by reason",
                        prom(
                            "sum by (reason) (rate(anonymeme_rate_limit_blocked_total[$__rate_interval]))", "{{reason}}"
                        ),
                        unit="reqps",
                        stack=True,
                        w=8,
                        description="Requests blocked outright, by reason.",
                    ),
                ],
            ),
            row(
                "Suspicious activity",
                [
                    gauge(
                        "Highest score",
                        prom(f"max(anonymeme_security_suspicious_activity_score{{{DETECTOR}}})"),
                        unit="none",
                        runbook="security-incidents",
                        threshold=SUSPICIOUS_ACTIVITY_SCORE,
                        max_=100,
                        w=6,
                        h=8,
                        description="The highest current suspicious-activity score (0-100) of the selected "
                        "detectors; colours follow the alert, which watches each detector.",
                    ),
                    timeseries(
                        "Score by detector",
                        prom(
                            f"max by (detector) (anonymeme_security_suspicious_activity_score{{{DETECTOR}}})",
                            "{{detector}}",
                        ),
                        unit="none",
                        runbook="security-incidents",
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
                collapsed=True,
                panels=[
                    bargauge(
                        "Open findings by severity",
                        prom(f"sum by (severity) (anonymeme_vulnerability_findings{{{SCANNER}}})", "{{severity}}"),
                        unit="short",
                        w=8,
                        description="Open findings of the latest scans, by severity.",
                    ),
                    table(
                        "Findings by scanner",
                        prom(
                            f"sum by (scanner, severity) (anonymeme_vulnerability_findings{{{SCANNER}}})",
                            instant=True,
                            table=True,
                        ),
                        unit="short",
                        rename={"Value": "findings"},
                        w=8,
                        description="Open findings per scanner and severity.",
                    ),
                    stat(
                        "Last scan",
                        prom(f"max(anonymeme_vulnerability_scan_timestamp_seconds{{{SCANNER}}}) * 1000"),
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
