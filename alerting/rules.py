"""Every alert of the platform, built from `signals` so each number is written once.

A signal watched at two levels becomes two `Alert`s with the same name (critical and warning); Alertmanager
inhibits the warning while the critical fires. Expressions read the recording rules of `signals.recording`
where one exists, so the alert and the dashboard panel read the same series.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from alerting.model import RULE_FILE_SEVERITIES, TEAMS, Alert, AlertGroup
from signals import jobs, slo
from signals.recording import slo_error_ratio_record

# Filesystems that are not disks (same selector as the filesystem recording rule in signals.recording).
DISK_FSTYPES = 'fstype!~"tmpfs|overlay|squashfs"'
DASHBOARD_HINT = "Dashboard: {uid}."


def num(value: float) -> str:
    """A threshold as PromQL and prose write it: `0.1`, `14.4`, `24` (never `24.0`)."""
    return format(value, ".10g")


def pct(ratio: float) -> str:
    return f"{num(round(ratio * 100, 6))}%"


def _two_levels(
    name: str,
    threshold: slo.Threshold,
    expr: Callable[[float], str],
    *,
    team: str,
    runbook: str,
    summary: str,
    description: Callable[[float, str], str],
    severities: Iterable[str] = ("critical", "warning"),
) -> tuple[Alert, ...]:
    """One alert per severity of `threshold`; `description(limit, for_)` names the limit that was crossed."""
    out = []
    for severity in severities:
        limit = threshold.critical if severity == "critical" else threshold.warning
        for_ = threshold.critical_for if severity == "critical" else threshold.warning_for
        out.append(
            Alert(
                name=name,
                expr=expr(limit),
                for_=for_,
                severity=severity,
                team=team,
                summary=summary,
                description=description(limit, for_),
                runbook=runbook,
                threshold=limit,
                rising=threshold.rising,
            )
        )
    return tuple(out)


def _regex(names: Iterable[str]) -> str:
    return "|".join(names)


# --- service down -------------------------------------------------------------------------------------------


def service_down() -> tuple[Alert, ...]:
    """Per team: a whole job down is one `ServiceDown`; one instance of a job still partly up is
    `ServiceInstanceDown` (the `unless` guard keeps the two from firing together)."""
    out: list[Alert] = []
    for team in TEAMS:
        names = [j.name for j in jobs.SCRAPE_JOBS if j.team == team and not j.exporter]
        if not names:
            continue
        sel = f'up{{job=~"{_regex(names)}"}}'
        out.append(
            Alert(
                name="ServiceDown",
                expr=f"sum by (job) ({sel}) == 0",
                for_=slo.TARGET_DOWN_FOR,
                severity="critical",
                team=team,
                summary="Service {{ $labels.job }} is down",
                description=(
                    f"Every target of job {{{{ $labels.job }}}} has failed its scrape for more than "
                    f"{slo.TARGET_DOWN_FOR}. Dashboard: anonymeme-system-overview."
                ),
                runbook="service-down",
            )
        )
        out.append(
            Alert(
                name="ServiceInstanceDown",
                expr=f"{sel} == 0 unless on (job) (sum by (job) ({sel}) == 0)",
                for_=slo.TARGET_DOWN_FOR,
                severity="critical",
                team=team,
                summary="Instance {{ $labels.instance }} of {{ $labels.job }} is down",
                description=(
                    f"Target {{{{ $labels.instance }}}} of job {{{{ $labels.job }}}} has failed its "
                    f"scrape for more than {slo.TARGET_DOWN_FOR} while other targets of the job are up. "
                    "Dashboard: anonymeme-system-overview."
                ),
                runbook="service-down",
            )
        )
    out.append(
        Alert(
            name="EndpointProbeFailed",
            expr=f'probe_success{{job="{jobs.BLACKBOX_JOB}"}} == 0',
            for_=slo.PROBE_FAILED_FOR,
            severity="critical",
            team="devops",
            summary="Probe of {{ $labels.instance }} is failing",
            description=(
                f"The blackbox probe ({jobs.BLACKBOX_MODULE}) of {{{{ $labels.instance }}}} has "
                f"failed for more than {slo.PROBE_FAILED_FOR}. Dashboard: anonymeme-system-overview."
            ),
            runbook="service-down",
        )
    )
    exporters = [j.name for j in jobs.SCRAPE_JOBS if j.exporter]
    out.append(
        Alert(
            name="ExporterDown",
            expr=f'up{{job=~"{_regex(exporters)}"}} == 0',
            for_=slo.EXPORTER_DOWN_FOR,
            severity="warning",
            team="devops",
            summary="Exporter {{ $labels.job }} on {{ $labels.instance }} is down",
            description=(
                f"Prometheus has not scraped exporter {{{{ $labels.job }}}} at "
                f"{{{{ $labels.instance }}}} for more than {slo.EXPORTER_DOWN_FOR}; its dashboard "
                "panels show no data. Dashboard: anonymeme-infrastructure."
            ),
            runbook="service-down",
        )
    )
    return tuple(out)


# --- API ----------------------------------------------------------------------------------------------------


def api() -> tuple[Alert, ...]:
    job = jobs.API.name
    errors = _two_levels(
        "ApiHighErrorRatio",
        slo.API_ERROR_RATIO,
        lambda t: (
            f'job:http_request_errors:ratio_rate5m{{job="{job}"}} > {num(t)} '
            f'and on (job) job:http_requests:rate5m{{job="{job}"}} > {num(slo.API_MIN_TRAFFIC_RPS)}'
        ),
        team="devops",
        runbook="api-errors",
        summary="API error ratio {{ $value | humanizePercentage }} on {{ $labels.job }}",
        description=lambda t, f: (
            "{{ $value | humanizePercentage }} of the requests to job {{ $labels.job }} answered 5xx over "
            f"the last 5m (limit {pct(t)} for {f}, with at least {num(slo.API_MIN_TRAFFIC_RPS)} req/s). "
            "Dashboard: anonymeme-api."
        ),
    )
    latency = _two_levels(
        "ApiHighLatencyP95",
        slo.API_LATENCY_P95,
        lambda t: f'job:http_request_duration_seconds:p95_5m{{job="{job}"}} > {num(t)}',
        team="devops",
        runbook="api-latency",
        severities=("warning",),
        summary='API p95 latency {{ printf "%.3f" $value }}s on {{ $labels.job }}',
        description=lambda t, f: (
            'The 95th percentile latency of job {{ $labels.job }} is {{ printf "%.3f" $value }}s over the '
            f"last 5m (target {num(t)}s, for {f}). Dashboard: anonymeme-api."
        ),
    )
    return errors + latency


def slo_burn() -> tuple[Alert, ...]:
    """Multi-window, multi-burn-rate alerts (SRE workbook): both windows must burn faster than the factor."""
    job, budget = jobs.API.name, slo.API_AVAILABILITY.error_budget

    def burn(window: str) -> str:
        return f'{slo_error_ratio_record(window)}{{job="{job}"}} / {num(budget)}'

    out = []
    for w in slo.API_AVAILABILITY.windows:
        out.append(
            Alert(
                name="ApiErrorBudgetBurn",
                expr=f"{burn(w.long)} > {num(w.factor)} and on (job) {burn(w.short)} > {num(w.factor)}",
                for_=w.for_,
                severity=w.severity,
                team="devops",
                runbook="slo-burn",
                summary=f'API error budget burning {{{{ printf "%.1f" $value }}}}x over {w.long}',
                description=(
                    f"Job {{{{ $labels.job }}}} burns its {pct(slo.API_AVAILABILITY.objective)} availability "
                    f'error budget {{{{ printf "%.1f" $value }}}} times faster than sustainable over {w.long} '
                    f"(and over {w.short}), limit {num(w.factor)}x. At this rate the "
                    f"{slo.API_AVAILABILITY.period_days}-day budget is gone early. Dashboard: anonymeme-api."
                ),
                threshold=w.factor,
                extra_labels=(("long_window", w.long), ("short_window", w.short)),
            )
        )
    return tuple(out)


# --- hosts --------------------------------------------------------------------------------------------------


def resources() -> tuple[Alert, ...]:
    t = slo.RESOURCE_UTILISATION
    cpu = _two_levels(
        "HostHighCpuUsage",
        t,
        lambda v: f"instance:node_cpu_utilisation:rate5m > {num(v)}",
        team="devops",
        runbook="high-cpu",
        summary="CPU usage {{ $value | humanizePercentage }} on {{ $labels.instance }}",
        description=lambda v, f: (
            "CPU of {{ $labels.instance }} is {{ $value | humanizePercentage }} busy over the last 5m "
            f"(limit {pct(v)} for {f}). Dashboard: anonymeme-infrastructure."
        ),
    )
    memory = _two_levels(
        "HostHighMemoryUsage",
        t,
        lambda v: f"instance:node_memory_utilisation:ratio > {num(v)}",
        team="devops",
        runbook="high-memory",
        summary="Memory usage {{ $value | humanizePercentage }} on {{ $labels.instance }}",
        description=lambda v, f: (
            "{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its memory "
            f"(limit {pct(v)} for {f}). Dashboard: anonymeme-infrastructure."
        ),
    )
    disk = _two_levels(
        "HostHighDiskUsage",
        t,
        lambda v: f"instance_mountpoint:node_filesystem_utilisation:ratio > {num(v)}",
        team="devops",
        runbook="disk-space",
        summary=("Disk {{ $labels.mountpoint }} {{ $value | humanizePercentage }} full on {{ $labels.instance }}"),
        description=lambda v, f: (
            "Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) of {{ $labels.instance }} is "
            f"{{{{ $value | humanizePercentage }}}} full (limit {pct(v)} for {f}). "
            "Dashboard: anonymeme-infrastructure."
        ),
    )
    window = slo.DISK_PREDICTION_WINDOW
    fill = _two_levels(
        "HostDiskFillPredicted",
        slo.DISK_FULL_WITHIN_HOURS,
        lambda h: (
            f"predict_linear(node_filesystem_avail_bytes{{{DISK_FSTYPES}}}[{window}], "
            f"{num(h)} * 3600) < 0"
            " and on (instance, device, mountpoint) node_filesystem_readonly == 0"
        ),
        team="devops",
        runbook="disk-space",
        summary="Disk {{ $labels.mountpoint }} on {{ $labels.instance }} is filling up",
        description=lambda h, f: (
            f"At the rate of the last {window}, filesystem {{{{ $labels.mountpoint }}}} "
            f"({{{{ $labels.device }}}}) of {{{{ $labels.instance }}}} will be full within {num(h)}h "
            f"(true for {f}). Dashboard: anonymeme-infrastructure."
        ),
    )
    return cpu + memory + disk + fill


def certificates() -> tuple[Alert, ...]:
    return _two_levels(
        "TlsCertificateExpiring",
        slo.CERT_EXPIRY_DAYS,
        lambda d: f'(probe_ssl_earliest_cert_expiry{{job="{jobs.BLACKBOX_JOB}"}} - time()) / 86400 < {num(d)}',
        team="devops",
        runbook="certificate-expiry",
        summary='TLS certificate of {{ $labels.instance }} expires in {{ printf "%.1f" $value }} days',
        description=lambda d, f: (
            'The certificate served by {{ $labels.instance }} expires in {{ printf "%.1f" $value }} days '
            f"(limit {num(d)} days). Dashboard: anonymeme-security."
        ),
    )


def databases() -> tuple[Alert, ...]:
    down = tuple(
        Alert(
            name=name,
            expr=f"{metric} == 0",
            for_=slo.TARGET_DOWN_FOR,
            severity="critical",
            team="devops",
            summary=f"{what} is unreachable from {{{{ $labels.instance }}}}",
            description=(
                f"{metric} has been 0 for more than {slo.TARGET_DOWN_FOR}: exporter "
                f"{{{{ $labels.instance }}}} cannot connect to {what}. "
                "Dashboard: anonymeme-infrastructure."
            ),
            runbook="database-issues",
        )
        for name, metric, what in (
            ("PostgresDown", "pg_up", "PostgreSQL"),
            ("RedisDown", "redis_up", "Redis"),
        )
    )
    connections = _two_levels(
        "PostgresConnectionsHigh",
        slo.POSTGRES_CONNECTIONS_USED,
        lambda v: (
            "sum by (job, instance) (pg_stat_activity_count) / on (job, instance) "
            f"max by (job, instance) (pg_settings_max_connections) > {num(v)}"
        ),
        team="devops",
        runbook="database-issues",
        summary="PostgreSQL uses {{ $value | humanizePercentage }} of its connections",
        description=lambda v, f: (
            "PostgreSQL behind {{ $labels.instance }} has {{ $value | humanizePercentage }} of "
            f"max_connections in use (limit {pct(v)} for {f}). Dashboard: anonymeme-infrastructure."
        ),
    )
    return down + connections


# --- security -----------------------------------------------------------------------------------------------


def security() -> tuple[Alert, ...]:
    failed = _two_levels(
        "FailedAuthenticationSpike",
        slo.FAILED_AUTH_RATE,
        lambda v: f"sum(rate(anonymeme_auth_failures_total[5m])) > {num(v)}",
        team="security",
        runbook="security-incidents",
        summary='{{ printf "%.2f" $value }} failed authentications per second',
        description=lambda v, f: (
            'Failed authentications run at {{ printf "%.2f" $value }}/s over the last 5m '
            f"(limit {num(v)}/s for {f}): credential stuffing or a broken client. "
            "Dashboard: anonymeme-security."
        ),
    )
    suspicious = _two_levels(
        "SuspiciousActivityScoreHigh",
        slo.SUSPICIOUS_ACTIVITY_SCORE,
        lambda v: f"max by (detector) (anonymeme_security_suspicious_activity_score) > {num(v)}",
        team="security",
        runbook="security-incidents",
        summary='Suspicious-activity score {{ printf "%.0f" $value }} from detector {{ $labels.detector }}',
        description=lambda v, f: (
            "Detector {{ $labels.detector }} reports a suspicious-activity score of "
            f'{{{{ printf "%.0f" $value }}}} (limit {num(v)} for {f}). Dashboard: anonymeme-security.'
        ),
    )
    rate_limit = _two_levels(
        "RateLimitHitsElevated",
        slo.RATE_LIMIT_HITS,
        lambda v: f"sum by (handler) (rate(anonymeme_rate_limit_hits_total[5m])) > {num(v)}",
        team="security",
        runbook="security-incidents",
        severities=("warning",),
        summary='{{ printf "%.2f" $value }} rate-limit hits per second on {{ $labels.handler }}',
        description=lambda v, f: (
            'Requests to {{ $labels.handler }} hit the rate limit {{ printf "%.2f" $value }} times per '
            f"second over the last 5m (limit {num(v)}/s for {f}). Dashboard: anonymeme-security."
        ),
    )
    return failed + suspicious + rate_limit


# --- Solana and business ------------------------------------------------------------------------------------


def solana() -> tuple[Alert, ...]:
    t = slo.SOLANA_SLOTS_BEHIND
    unhealthy = Alert(
        name="SolanaRpcUnhealthy",
        expr=(
            "min by (job, instance) (solana_node_is_healthy) == 0 or min by (job, instance) (solana_exporter_up) == 0"
        ),
        for_=t.critical_for,
        severity="critical",
        team="devops",
        runbook="solana-rpc",
        summary="Solana RPC behind {{ $labels.instance }} is unhealthy or unreachable",
        description=(
            "getHealth has not answered ok (or the exporter cannot reach the RPC endpoint) for more "
            f"than {t.critical_for}; trades cannot be confirmed. "
            "Dashboard: anonymeme-system-overview."
        ),
    )
    behind = _two_levels(
        "SolanaNodeBehind",
        t,
        lambda v: f"max by (job, instance) (solana_node_num_slots_behind) > {num(v)}",
        team="devops",
        runbook="solana-rpc",
        summary='Solana RPC {{ printf "%.0f" $value }} slots behind the cluster',
        description=lambda v, f: (
            'The RPC node behind {{ $labels.instance }} is {{ printf "%.0f" $value }} slots behind the '
            f"cluster tip (limit {num(v)} for {f}). Dashboard: anonymeme-system-overview."
        ),
    )
    return (unhealthy,) + behind


def business() -> tuple[Alert, ...]:
    return _two_levels(
        "TransactionSuccessRatioLow",
        slo.TRANSACTION_SUCCESS_RATIO,
        lambda v: f"anonymeme:transaction_success:ratio_rate1h < {num(v)}",
        team="business",
        runbook="business-transactions",
        summary="Transaction success ratio {{ $value | humanizePercentage }} over the last hour",
        description=lambda v, f: (
            "Only {{ $value | humanizePercentage }} of the platform's on-chain transactions succeeded over "
            f"the last hour (limit {pct(v)} for {f}). Dashboard: anonymeme-business."
        ),
    )


# --- the monitoring itself ----------------------------------------------------------------------------------

WATCHDOG = "Watchdog"
ESCALATION = "CriticalAlertUnresolved"
PAGED_TEAMS = ("devops", "security")  # teams with an on-call rotation (alerting.routing pages them)


def monitoring() -> tuple[Alert, ...]:
    """Who watches the watchers: the Watchdog, and Prometheus and Alertmanager failing at their own job.

    The Watchdog fires always; an external dead-man's switch pages when its heartbeat stops, which is the only
    way to hear about a Prometheus, an Alertmanager or a network path that is down as a whole.
    """
    prom, am, wait = jobs.PROMETHEUS.name, jobs.ALERTMANAGER.name, slo.SELF_MONITORING_FOR
    members = f'max_over_time(alertmanager_cluster_members{{job="{am}"}}[5m])'
    out = [
        Alert(
            name=WATCHDOG,
            expr="vector(1)",
            for_="0m",
            severity="none",
            team="devops",
            runbook="monitoring",
            summary="Watchdog: the alerting pipeline is alive",
            description=(
                "Always firing, on purpose. Alertmanager sends it to the dead-man's switch every minute; "
                "the switch pages when the heartbeat stops. Dashboard: anonymeme-system-overview."
            ),
        ),
        Alert(
            name="PrometheusRuleEvaluationFailures",
            expr=(
                f"sum by (job, instance, rule_group) "
                f'(rate(prometheus_rule_evaluation_failures_total{{job="{prom}"}}[5m])) > 0'
            ),
            for_=wait,
            severity="critical",
            team="devops",
            runbook="monitoring",
            summary="Prometheus fails to evaluate rule group {{ $labels.rule_group }}",
            description=(
                "Rules of group {{ $labels.rule_group }} have failed to evaluate for more than "
                f"{wait}: the alerts of that group cannot fire. Dashboard: anonymeme-system-overview."
            ),
        ),
        Alert(
            name="AlertmanagerNotificationsFailing",
            expr=(
                f"sum by (job, instance, integration) "
                f'(rate(alertmanager_notifications_failed_total{{job="{am}"}}[5m])) > 0'
            ),
            for_=wait,
            severity="critical",
            team="devops",
            runbook="monitoring",
            summary="Alertmanager cannot deliver {{ $labels.integration }} notifications",
            description=(
                "Notifications through {{ $labels.integration }} have failed for more than "
                f"{wait}: pages or messages are being lost. Dashboard: anonymeme-system-overview."
            ),
        ),
        *(
            Alert(
                name=f"{what}ConfigReloadFailed",
                expr=f'{metric}{{job="{job}"}} == 0',
                for_=wait,
                severity="warning",
                team="devops",
                runbook="monitoring",
                summary=f"{what} on {{{{ $labels.instance }}}} failed to reload its configuration",
                description=(
                    f"The last configuration reload of {what} failed more than {wait} ago; it keeps "
                    "running the previous configuration, and the next restart will fail. "
                    "Dashboard: anonymeme-system-overview."
                ),
            )
            for what, metric, job in (
                ("Prometheus", "prometheus_config_last_reload_successful", prom),
                ("Alertmanager", "alertmanager_config_last_reload_successful", am),
            )
        ),
        Alert(
            name="AlertmanagerClusterMembersMismatch",
            expr=f"{members} < on (job) group_left () count by (job) ({members})",
            for_=wait,
            severity="warning",
            team="devops",
            runbook="monitoring",
            summary="Alertmanager {{ $labels.instance }} sees fewer cluster members than are running",
            description=(
                "Alertmanager {{ $labels.instance }} sees fewer cluster members than Prometheus scrapes "
                f"(for {wait}): the cluster is partitioned and may send duplicate or no notifications. "
                "Quiet on a single instance. Dashboard: anonymeme-system-overview."
            ),
        ),
    ]
    esc = slo.ESCALATE_AFTER
    for team in PAGED_TEAMS:
        out.append(
            Alert(
                name=ESCALATION,
                # Prometheus overwrites `alertname` with the rule's name, so the escalated one is copied aside.
                expr=(
                    'label_replace(max by (alertname) (ALERTS{alertstate="firing", severity="critical", '
                    f'team="{team}", alertname!~"{ESCALATION}|{WATCHDOG}"}}), '
                    '"escalated_alert", "$1", "alertname", "(.+)")'
                ),
                for_=esc,
                severity="critical",
                team=team,
                runbook="monitoring",
                summary="{{ $labels.escalated_alert }} has been firing for more than " + esc,
                description=(
                    f"The critical alert {{{{ $labels.escalated_alert }}}} of team {team} is still firing after "
                    f"{esc}. During business hours critical alerts go to Slack and email only; this "
                    "escalation pages the on-call. Dashboard: anonymeme-system-overview."
                ),
            )
        )
    return tuple(out)


def absent_data() -> tuple[Alert, ...]:
    """A key series missing while its job may well be up (signals.jobs.KEY_SERIES says why each matters).

    `absent()` keeps the selector's `job`, so ServiceDown of the same job inhibits it (alerting.routing).
    """
    return tuple(
        Alert(
            name="KeySeriesAbsent",
            expr=f'absent({k.metric}{{job="{k.job.name}"}})',
            for_=slo.ABSENT_FOR,
            severity="warning",
            team=k.job.team,
            runbook="monitoring",
            summary=f"No {k.metric} from job {{{{ $labels.job }}}}",
            description=(
                f"Job {{{{ $labels.job }}}} has published no {k.metric} for {slo.ABSENT_FOR}, so "
                f"{k.why} show nothing and cannot alert. Dashboard: anonymeme-system-overview."
            ),
            extra_labels=(("metric", k.metric),),
        )
        for k in jobs.KEY_SERIES
    )


def collectors() -> tuple[Alert, ...]:
    """The project's exporters reporting their own failures (their endpoint, and so `up`, stays healthy)."""
    wait = slo.COLLECTOR_FAILING_FOR
    return (
        Alert(
            name="BusinessCollectorQueryFailing",
            expr=f'anonymeme_collector_query_success{{job="{jobs.BUSINESS.name}"}} == 0',
            for_=wait,
            severity="warning",
            team=jobs.BUSINESS.team,
            runbook="monitoring",
            summary="Business collector query {{ $labels.query }} is failing",
            description=(
                "The last runs of collector query {{ $labels.query }} have failed for more than "
                f"{wait}; its metric is missing and the alerts built on it are blind. "
                "Dashboard: anonymeme-business."
            ),
        ),
        Alert(
            name="SolanaExporterPollErrors",
            expr=(
                f"sum by (job, instance, step) "
                f'(rate(solana_exporter_poll_errors_total{{job="{jobs.SOLANA.name}"}}[5m])) > 0'
            ),
            for_=wait,
            severity="warning",
            team=jobs.SOLANA.team,
            runbook="monitoring",
            summary="Solana exporter poll step {{ $labels.step }} keeps failing",
            description=(
                "Poll step {{ $labels.step }} of the Solana exporter has failed on an unexpected answer "
                f"or a bug throughout the last {wait}; its gauges are stale. "
                "Dashboard: anonymeme-business."
            ),
        ),
    )


FAMILIES: tuple[tuple[str, Callable[[], tuple[Alert, ...]]], ...] = (
    ("service-down", service_down),
    ("api", api),
    ("slo-burn", slo_burn),
    ("resources", resources),
    ("certificates", certificates),
    ("databases", databases),
    ("security", security),
    ("solana", solana),
    ("business", business),
    ("monitoring", monitoring),
    ("absent-data", absent_data),
    ("collectors", collectors),
)


def all_alerts() -> tuple[Alert, ...]:
    return tuple(a for _, build in FAMILIES for a in build())


def groups(severity: str) -> tuple[AlertGroup, ...]:
    """The rule groups of one rule file (`critical.yml` or `warning.yml`), one group per family."""
    out = []
    for family, build in FAMILIES:
        alerts = tuple(a for a in build() if a.severity in RULE_FILE_SEVERITIES[severity])
        if alerts:
            out.append(AlertGroup(f"{family}-{severity}", alerts))
    return tuple(out)
