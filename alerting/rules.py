"""Every alert of the platform, built from `signals` so each number is written once.

A signal watched at two levels becomes two `Alert`s with the same name (critical and warning); Alertmanager
inhibits the warning while the critical fires. Expressions read the recording rules of `signals.recording`
where one exists, so the alert and the dashboard panel read the same series.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from alerting.model import RULE_FILE_SEVERITIES, TEAMS, Alert, AlertGroup
from signals import jobs, slo
from signals.recording import FILESYSTEM_SEL, slo_error_ratio_record


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
    keep_firing_for: str | None = None,
) -> tuple[Alert, ...]:
    """One alert per severity `threshold.alerts` names (critical first); `description(limit, for_)` names the
    limit that was crossed. The panels colour the same levels, so a red zone is always a page.

    `keep_firing_for` is for gauge alerts (slo.GAUGE_KEEP_FIRING_FOR): a value hovering at the line pages once."""
    out = []
    for severity in (s for s in ("critical", "warning") if s in threshold.alerts):
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
                keep_firing_for=keep_firing_for,
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
                    f"{slo.TARGET_DOWN_FOR}."
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
                    f"scrape for more than {slo.TARGET_DOWN_FOR} while other targets of the job are up."
                ),
                runbook="service-down",
            )
        )
    probe = f'job="{jobs.BLACKBOX_JOB}"'
    out.append(
        Alert(
            name="EndpointHttpStatusError",
            expr=f"probe_http_status_code{{{probe}}} >= 400",
            for_=slo.PROBE_FAILED_FOR,
            severity="critical",
            team="devops",
            summary='{{ $labels.instance }} answers HTTP {{ printf "%.0f" $value }}',
            description=(
                "The endpoint {{ $labels.instance }} answers the blackbox probe with HTTP status "
                '{{ printf "%.0f" $value }} '
                f"for more than {slo.PROBE_FAILED_FOR}: the server is reached, the application fails."
            ),
            runbook="service-down",
        )
    )
    out.append(
        Alert(
            name="EndpointProbeFailed",
            # An HTTP error status is EndpointHttpStatusError's (more precise); this is every other failure.
            expr=f"probe_success{{{probe}}} == 0 unless on (instance) probe_http_status_code{{{probe}}} >= 400",
            for_=slo.PROBE_FAILED_FOR,
            severity="critical",
            team="devops",
            summary="Probe of {{ $labels.instance }} is failing",
            description=(
                f"The blackbox probe ({jobs.BLACKBOX_MODULE}) of {{{{ $labels.instance }}}} has "
                f"failed for more than {slo.PROBE_FAILED_FOR}."
            ),
            runbook="service-down",
        )
    )
    out += _two_levels(
        "EndpointProbeSlow",
        slo.PROBE_DURATION_SECONDS,
        lambda v: f"avg_over_time(probe_duration_seconds{{{probe}}}[5m]) > {num(v)}",
        team="devops",
        runbook="service-down",
        summary='Probe of {{ $labels.instance }} takes {{ printf "%.2f" $value }}s',
        description=lambda v, f: (
            'The blackbox probe of {{ $labels.instance }} has taken {{ printf "%.2f" $value }}s on average '
            f"over 5m (limit {num(v)}s for {f}): users wait as long."
        ),
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
                "panels show no data."
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
            f"the last 5m (limit {pct(t)} for {f}, with at least {num(slo.API_MIN_TRAFFIC_RPS)} req/s)."
        ),
    )
    latency = _two_levels(
        "ApiHighLatencyP95",
        slo.API_LATENCY_P95,
        lambda t: f'job:http_request_duration_seconds:p95_5m{{job="{job}"}} > {num(t)}',
        team="devops",
        runbook="api-latency",
        summary='API p95 latency {{ printf "%.3f" $value }}s on {{ $labels.job }}',
        description=lambda t, f: (
            'The 95th percentile latency of job {{ $labels.job }} is {{ printf "%.3f" $value }}s over the '
            f"last 5m (target {num(t)}s, for {f})."
        ),
    )
    return errors + latency


def slo_burn() -> tuple[Alert, ...]:
    """Multi-window, multi-burn-rate alerts (SRE workbook): both windows must burn faster than the factor."""
    job, budget = jobs.API.name, slo.API_AVAILABILITY.error_budget

    def burn(window: str) -> str:
        return f'{slo_error_ratio_record(window)}{{job="{job}"}} / {num(budget)}'

    def traffic(window: str) -> str:
        """The volume guard: a handful of requests in a quiet hour must not burn the budget "14x"."""
        return f'sum by (job) (rate(http_requests_total{{job="{job}"}}[{window}])) > {num(slo.API_MIN_TRAFFIC_RPS)}'

    out = []
    for w in slo.API_AVAILABILITY.windows:
        out.append(
            Alert(
                name="ApiErrorBudgetBurn",
                expr=(
                    f"{burn(w.long)} > {num(w.factor)} and on (job) {burn(w.short)} > {num(w.factor)}"
                    f" and on (job) {traffic(w.short)}"
                ),
                for_=w.for_,
                severity=w.severity,
                team="devops",
                runbook="slo-burn",
                summary=f'API error budget burning {{{{ printf "%.1f" $value }}}}x over {w.long}',
                description=(
                    f"Job {{{{ $labels.job }}}} burns its {pct(slo.API_AVAILABILITY.objective)} availability "
                    f'error budget {{{{ printf "%.1f" $value }}}} times faster than sustainable over {w.long} '
                    f"(and over {w.short}, with at least {num(slo.API_MIN_TRAFFIC_RPS)} req/s), limit "
                    f"{num(w.factor)}x. At this rate the "
                    f"{slo.API_AVAILABILITY.period_days}-day budget is gone early."
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
            f"(limit {pct(v)} for {f})."
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
            f"(limit {pct(v)} for {f})."
        ),
        keep_firing_for=slo.GAUGE_KEEP_FIRING_FOR,
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
            f"{{{{ $value | humanizePercentage }}}} full (limit {pct(v)} for {f})."
        ),
        keep_firing_for=slo.GAUGE_KEEP_FIRING_FOR,
    )
    window, hours, floor = slo.DISK_PREDICTION_WINDOW, slo.DISK_FULL_WITHIN_HOURS, slo.DISK_FILL_FREE_BELOW
    floors = {hours.critical: floor.critical, hours.warning: floor.warning}  # each level has its free-space floor
    fill = _two_levels(
        "HostDiskFillPredicted",
        hours,
        lambda h: (
            f"predict_linear(node_filesystem_avail_bytes{{{FILESYSTEM_SEL}}}[{window}], "
            f"{num(h)} * 3600) < 0"
            f" and on (instance, device, mountpoint) (node_filesystem_avail_bytes{{{FILESYSTEM_SEL}}}"
            f" / node_filesystem_size_bytes{{{FILESYSTEM_SEL}}}) < {num(floors[h])}"
            " and on (instance, device, mountpoint) node_filesystem_readonly == 0"
        ),
        team="devops",
        runbook="disk-space",
        summary="Disk {{ $labels.mountpoint }} on {{ $labels.instance }} is filling up",
        description=lambda h, f: (
            f"At the rate of the last {window}, filesystem {{{{ $labels.mountpoint }}}} "
            f"({{{{ $labels.device }}}}) of {{{{ $labels.instance }}}} will be full within {num(h)}h, and less "
            f"than {pct(floors[h])} of it is free (true for {f})."
        ),
    )
    return cpu + memory + disk + fill


def containers() -> tuple[Alert, ...]:
    """cAdvisor's view of the compose services (kubernetes-mixin and awesome-prometheus-alerts' logic, by the
    compose `name` label instead of pods), and the host's OOM killer."""
    sel = f'job="{jobs.CADVISOR.name}", name!=""'
    limit = f"container_spec_memory_limit_bytes{{{sel}}}"
    memory = _two_levels(
        "ContainerMemoryNearLimit",
        slo.CONTAINER_MEMORY_OF_LIMIT,
        lambda v: (
            f"max by (job, instance, name) (container_memory_working_set_bytes{{{sel}}}) "
            f"/ on (job, instance, name) max by (job, instance, name) ({limit} > 0) > {num(v)}"
        ),
        team="devops",
        runbook="high-memory",
        summary="Container {{ $labels.name }} uses {{ $value | humanizePercentage }} of its memory limit",
        description=lambda v, f: (
            "The working set of container {{ $labels.name }} is {{ $value | humanizePercentage }} of its memory "
            f"limit (limit {pct(v)} for {f}); at 100% the kernel OOM-kills it."
        ),
        keep_firing_for=slo.GAUGE_KEEP_FIRING_FOR,
    )
    periods = "sum by (job, instance, name) (increase(container_cpu_cfs_{}periods_total{{" + sel + "}}[5m]))"
    throttled = _two_levels(
        "ContainerCpuThrottled",
        slo.CONTAINER_CPU_THROTTLED,
        lambda v: f"{periods.format('throttled_')} / {periods.format('')} > {num(v)}",
        team="devops",
        runbook="high-cpu",
        summary="Container {{ $labels.name }} is CPU-throttled in {{ $value | humanizePercentage }} of periods",
        description=lambda v, f: (
            "Container {{ $labels.name }} hit its CPU quota in {{ $value | humanizePercentage }} of its CFS "
            f"periods over 5m (limit {pct(v)} for {f}): requests queue behind the quota."
        ),
    )
    window = slo.OOM_KILL_WINDOW
    oom = Alert(
        name="HostOomKillDetected",
        # node_vmstat_oom_kill is exported untyped; increase() reads it as the counter it is.
        expr=f'increase(node_vmstat_oom_kill{{job="{jobs.NODE.name}"}}[{window}]) > 0',
        for_="0m",
        severity="warning",
        team="devops",
        runbook="high-memory",
        summary="The kernel OOM-killed a process on {{ $labels.instance }}",
        description=(
            f"The OOM killer of {{{{ $labels.instance }}}} has killed a process in the last {window} (a container "
            "over its limit, or the host out of memory)."
        ),
    )
    return memory + throttled + (oom,)


def certificates() -> tuple[Alert, ...]:
    return _two_levels(
        "TlsCertificateExpiring",
        slo.CERT_EXPIRY_DAYS,
        lambda d: (
            f'(last_over_time(probe_ssl_earliest_cert_expiry{{job="{jobs.BLACKBOX_JOB}"}}'
            f"[{slo.CERT_EXPIRY_LOOKBACK}]) - time()) / 86400 < {num(d)}"
        ),
        team="devops",
        runbook="certificate-expiry",
        summary='TLS certificate of {{ $labels.instance }} expires in {{ printf "%.1f" $value }} days',
        description=lambda d, f: (
            'The certificate served by {{ $labels.instance }} expires in {{ printf "%.1f" $value }} days '
            f"(limit {num(d)} days, for {f})."
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
                f"{{{{ $labels.instance }}}} cannot connect to {what}."
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
            "(max by (job, instance) (pg_settings_max_connections)"
            f" - max by (job, instance) (pg_settings_superuser_reserved_connections)) > {num(v)}"
        ),
        team="devops",
        runbook="database-issues",
        summary="PostgreSQL uses {{ $value | humanizePercentage }} of its connections",
        description=lambda v, f: (
            "PostgreSQL behind {{ $labels.instance }} has {{ $value | humanizePercentage }} of the connections "
            "clients may open in use (max_connections minus superuser_reserved_connections; limit "
            f"{pct(v)} for {f})."
        ),
        keep_firing_for=slo.GAUGE_KEEP_FIRING_FOR,
    )
    return down + connections + postgres() + redis()


def postgres() -> tuple[Alert, ...]:
    """Long transactions, the lock table filling up, deadlocks (postgres-exporter mixin, awesome-prometheus-alerts)."""
    sel = f'job="{jobs.POSTGRES.name}"'
    longest = _two_levels(
        "PostgresLongTransaction",
        slo.POSTGRES_LONGEST_TRANSACTION_SECONDS,
        lambda v: (
            f'max by (job, instance, datname) (pg_stat_activity_max_tx_duration{{{sel}, datname!~"template.*"}})'
            f" > {num(v)}"
        ),
        team="devops",
        runbook="database-issues",
        summary='A transaction on {{ $labels.datname }} has been open for {{ printf "%.0f" $value }}s',
        description=lambda v, f: (
            "The oldest transaction on database {{ $labels.datname }} has been open for "
            f'{{{{ printf "%.0f" $value }}}}s (limit {num(v)}s for {f}); it holds locks and stops vacuum.'
        ),
    )
    table = (
        f"max by (job, instance) (pg_settings_max_locks_per_transaction{{{sel}}})"
        f" * max by (job, instance) (pg_settings_max_connections{{{sel}}})"
    )
    locks = _two_levels(
        "PostgresLocksHigh",
        slo.POSTGRES_LOCKS_OF_TABLE,
        lambda v: f"sum by (job, instance) (pg_locks_count{{{sel}}}) / on (job, instance) ({table}) > {num(v)}",
        team="devops",
        runbook="database-issues",
        summary="PostgreSQL holds {{ $value | humanizePercentage }} of its lock table",
        description=lambda v, f: (
            "PostgreSQL behind {{ $labels.instance }} holds locks filling {{ $value | humanizePercentage }} of "
            f"its lock table (max_locks_per_transaction x max_connections; limit {pct(v)} for {f})."
        ),
        keep_firing_for=slo.GAUGE_KEEP_FIRING_FOR,
    )
    window = slo.POSTGRES_DEADLOCK_WINDOW
    deadlocks = Alert(
        name="PostgresDeadlocks",
        expr=(
            f'sum by (job, instance, datname) (increase(pg_stat_database_deadlocks{{{sel}, datid!="0"}}[{window}])) > 0'
        ),
        for_="0m",
        severity="warning",
        team="devops",
        runbook="database-issues",
        summary='{{ printf "%.0f" $value }} deadlocks on {{ $labels.datname }}',
        description=(
            f'PostgreSQL aborted {{{{ printf "%.0f" $value }}}} transactions of database {{{{ $labels.datname }}}} '
            f"as deadlocked in the last {window}."
        ),
    )
    return longest + locks + (deadlocks,)


def redis() -> tuple[Alert, ...]:
    """Memory near maxmemory (only where it is set) and refused connections (awesome-prometheus-alerts)."""
    sel = f'job="{jobs.REDIS.name}"'
    memory = _two_levels(
        "RedisMemoryNearMaxmemory",
        slo.REDIS_MEMORY_OF_MAX,
        lambda v: (
            f"redis_memory_used_bytes{{{sel}}} / on (job, instance) (redis_memory_max_bytes{{{sel}}} > 0) > {num(v)}"
        ),
        team="devops",
        runbook="database-issues",
        summary="Redis uses {{ $value | humanizePercentage }} of maxmemory",
        description=lambda v, f: (
            "Redis behind {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its maxmemory "
            f"(limit {pct(v)} for {f}); at 100% it evicts keys or refuses writes."
        ),
        keep_firing_for=slo.GAUGE_KEEP_FIRING_FOR,
    )
    rejected = Alert(
        name="RedisRejectedConnections",
        expr=f"increase(redis_rejected_connections_total{{{sel}}}[5m]) > 0",
        for_=slo.REDIS_REJECTED_FOR,
        severity="warning",
        team="devops",
        runbook="database-issues",
        summary='Redis refused {{ printf "%.0f" $value }} connections in 5m',
        description=(
            'Redis behind {{ $labels.instance }} refused {{ printf "%.0f" $value }} connections over the last '
            "5m (maxclients reached): clients of the cache fail."
        ),
    )
    return memory + (rejected,)


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
            f"(limit {num(v)}/s for {f}): credential stuffing or a broken client."
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
            f'{{{{ printf "%.0f" $value }}}} (limit {num(v)} for {f}).'
        ),
    )
    rate_limit = _two_levels(
        "RateLimitHitsElevated",
        slo.RATE_LIMIT_HITS,
        lambda v: f"sum by (handler) (rate(anonymeme_rate_limit_hits_total[5m])) > {num(v)}",
        team="security",
        runbook="security-incidents",
        summary='{{ printf "%.2f" $value }} rate-limit hits per second on {{ $labels.handler }}',
        description=lambda v, f: (
            'Requests to {{ $labels.handler }} hit the rate limit {{ printf "%.2f" $value }} times per '
            f"second over the last 5m (limit {num(v)}/s for {f})."
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
            f"than {t.critical_for}; trades cannot be confirmed."
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
            f"cluster tip (limit {num(v)} for {f})."
        ),
        keep_firing_for=slo.GAUGE_KEEP_FIRING_FOR,
    )
    sel = f'job="{jobs.SOLANA.name}"'
    stall = slo.SOLANA_SLOT_STALL_WINDOW
    stuck = Alert(
        name="SolanaSlotNotAdvancing",
        expr=f"changes(solana_node_slot_height{{{sel}}}[{stall}]) == 0",
        for_=slo.SOLANA_SLOT_STALL_FOR,
        severity="critical",
        team="devops",
        runbook="solana-rpc",
        summary="The slot of the Solana RPC behind {{ $labels.instance }} does not advance",
        description=(
            f"The RPC node's slot height has not changed in {stall}, for more than {slo.SOLANA_SLOT_STALL_FOR} "
            "(a slot lasts about 400ms): the node is stuck, whatever getHealth says."
        ),
    )

    def requests(extra: str = "") -> str:
        return f"sum by (job, instance) (rate(solana_rpc_requests_total{{{sel}{extra}}}[5m]))"

    failed = requests(', outcome!="success"')
    errors = _two_levels(
        "SolanaRpcErrorRatioHigh",
        slo.SOLANA_RPC_ERROR_RATIO,
        lambda v: f"{failed} / {requests()} > {num(v)}",
        team="devops",
        runbook="solana-rpc",
        summary="{{ $value | humanizePercentage }} of Solana RPC requests fail",
        description=lambda v, f: (
            "{{ $value | humanizePercentage }} of the exporter's JSON-RPC requests to the node behind "
            f"{{{{ $labels.instance }}}} failed over 5m (limit {pct(v)} for {f})."
        ),
    )
    fee_payer = _two_levels(
        "SolanaFeePayerBalanceLow",
        slo.FEE_PAYER_BALANCE_SOL,
        lambda v: f'solana_account_balance{{{sel}, account="{slo.FEE_PAYER_ACCOUNT}"}} < {num(v)}',
        team="devops",
        runbook="solana-rpc",
        summary='Fee payer balance {{ printf "%.3f" $value }} SOL',
        description=lambda v, f: (
            f'The platform\'s fee payer holds {{{{ printf "%.3f" $value }}}} SOL (limit {num(v)} SOL for {f}); '
            "once it cannot pay fees, every platform transaction fails."
        ),
        keep_firing_for=slo.GAUGE_KEEP_FIRING_FOR,
    )
    return (unhealthy,) + behind + (stuck,) + errors + fee_payer


def business() -> tuple[Alert, ...]:
    window = slo.NO_TRADES_WINDOW
    no_trades = Alert(
        name="NoTradesRecently",
        expr=f'sum by (job) (increase(anonymeme_trades_total{{job="{jobs.BUSINESS.name}"}}[{window}])) == 0',
        for_=slo.NO_TRADES_FOR,
        severity="warning",
        team="business",
        runbook="business-transactions",
        summary=f"No trade in the last {window}",
        description=(
            f"The business collector has recorded no trade for {window} (plus {slo.NO_TRADES_FOR}): the trading "
            "path is broken end to end, or nobody can reach it."
        ),
    )
    return (no_trades,) + _two_levels(
        "TransactionSuccessRatioLow",
        slo.TRANSACTION_SUCCESS_RATIO,
        lambda v: (
            f"anonymeme:transaction_success:ratio_rate1h < {num(v)} and on () "
            f'sum(increase(anonymeme_transactions_total{{job="{jobs.BUSINESS.name}"}}[1h]))'
            f" >= {num(slo.TRANSACTION_MIN_PER_HOUR)}"
        ),
        team="business",
        runbook="business-transactions",
        summary="Transaction success ratio {{ $value | humanizePercentage }} over the last hour",
        description=lambda v, f: (
            "Only {{ $value | humanizePercentage }} of the platform's on-chain transactions succeeded over "
            f"the last hour (limit {pct(v)} for {f}, over at least {num(slo.TRANSACTION_MIN_PER_HOUR)} "
            "transactions)."
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
                "the switch pages when the heartbeat stops."
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
                f"{wait}: the alerts of that group cannot fire."
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
                f"{wait}: pages or messages are being lost."
            ),
        ),
        Alert(
            name="PrometheusNotificationsDropped",
            expr=f'sum by (job, instance) (rate(prometheus_notifications_dropped_total{{job="{prom}"}}[5m])) > 0',
            for_=wait,
            severity="critical",
            team="devops",
            runbook="monitoring",
            summary="Prometheus {{ $labels.instance }} drops alerts on their way to Alertmanager",
            description=(
                "Prometheus has dropped alert notifications (Alertmanager unreachable, or the queue full) for "
                f"more than {wait}: firing alerts may never reach anyone."
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
                    "running the previous configuration, and the next restart will fail."
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
                "Quiet on a single instance."
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
                    "escalation pages the on-call."
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
                f"{k.why} show nothing and cannot alert."
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
                f"{wait}; its metric is missing and the alerts built on it are blind."
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
                f"or a bug throughout the last {wait}; its gauges are stale."
            ),
        ),
    )


FAMILIES: tuple[tuple[str, Callable[[], tuple[Alert, ...]]], ...] = (
    ("service-down", service_down),
    ("api", api),
    ("slo-burn", slo_burn),
    ("resources", resources),
    ("containers", containers),
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
