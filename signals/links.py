"""Where a page sends the person it wakes: the five dashboards, and the panel each alert is about.

Written once here, so an alert's `dashboard_url`, the runbook that names the panel and the panel itself agree.
A panel is named by its title, never by its id: the dashboards renumber panels as they grow, so the build
(`generate`) resolves each title to its id in the compiled dashboard and refuses a title that is missing or
ambiguous there. The link is Grafana's panel view with the alert's labels as the dashboard's variables:
`<base>/d/<uid>/<slug>?viewPanel=<id>&var-<name>=<label value>`.

Grafana behaviour relied on (grafana/grafana):
- `/d/<uid>/<slug>` opens a dashboard by uid; the slug is cosmetic (`pkg/api/dashboard.go` looks the dashboard
  up by uid and the frontend redirects to the canonical slug). The slug is `pkg/infra/slugify`'s, which for the
  ASCII letters, digits, spaces and hyphens our titles are limited to is: lower case, a space becomes `-`.
- `viewPanel=<id>` opens one panel full-page; the scenes dashboard (Grafana 11+) still accepts the bare id and
  maps it to its `panel-<id>` key (`public/app/features/dashboard-scene/scene/DashboardSceneUrlSync.ts`,
  `updateFromUrl`, tested as "Should set viewPanelKey when url has viewPanel" with `viewPanel: '2'`).
- `var-<name>=<value>` sets a template variable from the URL (Grafana docs, "Variables > URL").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# Where people open dashboards from a page or a message.
DASHBOARD_BASE_URL = "https://grafana.anonymeme.io"
_TITLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]*")


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str

    def __post_init__(self) -> None:
        if not _TITLE.fullmatch(self.title):
            raise ValueError(f"dashboard {self.uid}: title {self.title!r} needs Grafana's full slug algorithm")

    @property
    def slug(self) -> str:
        """Grafana's slug of the title (pkg/infra/slugify) for the characters `_TITLE` allows."""
        return self.title.strip().lower().replace(" ", "-")


OVERVIEW = Dashboard("anonymeme-system-overview", "System Overview")
API = Dashboard("anonymeme-api", "API")
INFRASTRUCTURE = Dashboard("anonymeme-infrastructure", "Infrastructure")
BUSINESS = Dashboard("anonymeme-business", "Business")
SECURITY = Dashboard("anonymeme-security", "Security")
DASHBOARDS: tuple[Dashboard, ...] = (OVERVIEW, API, INFRASTRUCTURE, BUSINESS, SECURITY)


@dataclass(frozen=True)
class PanelRef:
    """The panel an alert is about, by title; `variables` are (dashboard variable, alert label it takes)."""

    dashboard: Dashboard
    title: str
    variables: tuple[tuple[str, str], ...] = ()

    def url(self, panel_id: int | None) -> str:
        """The link as a Go template over the alert's `$labels` (each value URL-encoded by `urlquery`).

        `panel_id` None: the dashboard only (a render without compiled dashboards)."""
        params = [] if panel_id is None else [f"viewPanel={panel_id}"]
        params += [f"var-{var}={{{{ $labels.{label} | urlquery }}}}" for var, label in self.variables]
        query = f"?{'&'.join(params)}" if params else ""
        return f"{DASHBOARD_BASE_URL}/d/{self.dashboard.uid}/{self.dashboard.slug}{query}"


def _vars(*names: str) -> tuple[tuple[str, str], ...]:
    """`name` (a variable fed by the alert label of the same name) or `variable=label`."""
    return tuple((n.split("=", 1)[0], n.split("=", 1)[-1]) for n in names)


def _overview(title: str, *variables: str) -> PanelRef:
    return PanelRef(OVERVIEW, title, _vars(*variables))


def _api(title: str) -> PanelRef:
    return PanelRef(API, title, _vars("job"))


def _hosts(title: str) -> PanelRef:
    return PanelRef(INFRASTRUCTURE, title, _vars("job", "instance"))


def _infra(title: str, *variables: str) -> PanelRef:
    return PanelRef(INFRASTRUCTURE, title, _vars(*variables))


def _business(title: str, *variables: str) -> PanelRef:
    return PanelRef(BUSINESS, title, _vars(*variables))


def _security(title: str, *variables: str) -> PanelRef:
    return PanelRef(SECURITY, title, _vars(*variables))


# Alert name -> the panel it is about. Every alert the rules define must be here (the build refuses one that is
# not), and the link test proves the panel charts the alert's metric.
ALERT_PANELS: dict[str, PanelRef] = {
    "ServiceDown": _overview("Service health", "job"),
    "ServiceInstanceDown": _overview("Service health", "job", "instance"),
    "ExporterDown": _overview("Service health", "job", "instance"),
    "EndpointProbeFailed": _infra("Probe status", "probe=instance"),
    "EndpointHttpStatusError": _infra("Probe HTTP status", "probe=instance"),
    "EndpointProbeSlow": _infra("Probe duration", "probe=instance"),
    "ApiHighErrorRatio": _api("Error ratio"),
    "ApiHighLatencyP95": _api("Latency p50 / p95 / p99"),
    "ApiErrorBudgetBurn": _api("Burn rate per window"),
    "HostHighCpuUsage": _hosts("CPU utilisation"),
    "HostHighMemoryUsage": _hosts("Memory utilisation"),
    "HostHighDiskUsage": _hosts("Disk utilisation"),
    "HostDiskFillPredicted": _hosts("Disk utilisation"),
    "HostOomKillDetected": _hosts("Memory errors (OOM kills)"),
    "ContainerMemoryNearLimit": _infra("Container memory", "container=name"),
    "ContainerCpuThrottled": _infra("Container CPU throttling", "container=name"),
    "TlsCertificateExpiring": _infra("TLS certificate expiry", "probe=instance"),
    "PostgresDown": _overview("Service health", "job"),
    "RedisDown": _overview("Service health", "job"),
    "PostgresConnectionsHigh": _infra("Connections used"),
    "PostgresLongTransaction": _infra("Longest transaction", "datname"),
    "PostgresLocksHigh": _infra("Locks"),
    "PostgresDeadlocks": _infra("Deadlocks", "datname"),
    "RedisMemoryNearMaxmemory": _infra("Memory", "redis=instance"),
    "RedisRejectedConnections": _infra("Rejected connections", "redis=instance"),
    "FailedAuthenticationSpike": _security("Failed authentications"),
    "SuspiciousActivityScoreHigh": _security("Score by detector", "detector"),
    "RateLimitHitsElevated": _security("Rate-limit hits by endpoint"),
    "SolanaRpcUnhealthy": _business("RPC node health"),
    "SolanaNodeBehind": _business("Slots behind"),
    "SolanaSlotNotAdvancing": _business("Slot"),
    "SolanaRpcErrorRatioHigh": _business("RPC requests"),
    "SolanaFeePayerBalanceLow": _business("Account balances", "account"),
    "TransactionSuccessRatioLow": _business("Success ratio (1h)"),
    "NoTradesRecently": _business("Trades by status"),
    "Watchdog": _overview("Firing alerts"),
    "CriticalAlertUnresolved": _overview("Firing alerts"),
    "PrometheusRuleEvaluationFailures": _overview("Rule evaluation failures"),
    "PrometheusNotificationsDropped": _overview("Notifications dropped or failed"),
    "AlertmanagerNotificationsFailing": _overview("Notifications dropped or failed"),
    "PrometheusConfigReloadFailed": _overview("Config reloads"),
    "AlertmanagerConfigReloadFailed": _overview("Config reloads"),
    "AlertmanagerClusterMembersMismatch": _overview("Alertmanager cluster members"),
    "BusinessCollectorQueryFailing": _business("Collector queries"),
    "SolanaExporterPollErrors": _business("Solana exporter poll errors"),
}

# KeySeriesAbsent is one alert per key series (signals.jobs.KEY_SERIES): its panel is the one that goes blank.
KEY_SERIES_PANELS: dict[str, PanelRef] = {
    "http_requests_total": _api("Request rate"),
    "anonymeme_transactions_total": _business("Transactions by type and status"),
    "solana_node_is_healthy": _business("RPC node health"),
    "anonymeme_security_suspicious_activity_score": _security("Score by detector"),
}


def panel_for(alertname: str, labels: Mapping[str, str]) -> PanelRef:
    """The panel of an alert rule (its name, and its rule labels for the alerts that are one per series)."""
    if alertname == "KeySeriesAbsent":
        metric = labels.get("metric", "")
        if metric not in KEY_SERIES_PANELS:
            raise KeyError(f"key series {metric!r} has no panel in signals/links.py KEY_SERIES_PANELS")
        return KEY_SERIES_PANELS[metric]
    if alertname not in ALERT_PANELS:
        raise KeyError(f"alert {alertname} has no panel in signals/links.py ALERT_PANELS")
    return ALERT_PANELS[alertname]


def all_panels() -> tuple[PanelRef, ...]:
    """Every panel an alert links, once each (the build resolves these titles)."""
    return tuple(dict.fromkeys([*ALERT_PANELS.values(), *KEY_SERIES_PANELS.values()]))
