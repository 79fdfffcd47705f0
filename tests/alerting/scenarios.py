"""promtool unit tests generated from the alerts and their thresholds, so the tests move with the thresholds.

For every alert that compares a value with a threshold, a *driver* turns a target value into raw input series
(counters, gauges, histogram buckets: the recording rules run too). Each level then gets a case just beyond
its threshold (it and every less severe level fire), one just short of it (it stays quiet), and one beyond it
but not for long enough. Boolean alerts (a target down, a node unhealthy) get hand-written states. The
expected labels and annotations are computed here (annotations through `alerting.templates`), so promtool
checks the exact text Alertmanager will receive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from alerting import templates
from alerting.model import Alert
from alerting.rules import all_alerts
from signals import durations, jobs, slo
from signals.catalogue import LATENCY_BUCKETS

INTERVAL_MINUTES = 1
RPS = 10.0  # request rate the API drivers use, well above the error-ratio traffic guard


@dataclass(frozen=True)
class Series:
    series: str
    values: str


@dataclass(frozen=True)
class Check:
    """At the case's eval time, exactly `expected` (labels of each firing alert) fire under `alertname`."""

    alertname: str
    expected: tuple[dict[str, str], ...]  # alert labels, rule labels included, without alertname
    value: float = 0.0  # the $value the annotations are rendered with


@dataclass(frozen=True)
class Case:
    title: str
    series: tuple[Series, ...]
    eval_minutes: int
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Driver:
    """How to drive one alert's value: input series for `value`, the labels the result carries, and the window
    (minutes) in which the expression first becomes true (rates need two samples; recording rules may lag one
    evaluation)."""

    series: Callable[[float, int], list[Series]]  # (value, samples) -> series
    labels: dict[str, str]
    onset: tuple[int, int] = (0, 1)
    step: float | None = None  # absolute margin around thresholds (ratios); None: 10% of the threshold
    values: Callable[[float], list[float]] | None = field(default=None)


def _sel(metric: str, labels: dict[str, str]) -> str:
    inner = ",".join(f'{k}="{v}"' for k, v in labels.items())
    return f"{metric}{{{inner}}}"


def number(value: float) -> str:
    """A value as promtool series notation and the case titles write it: 9 decimals at most, no float noise."""
    return format(round(value, 9), ".12g")


def counter(metric: str, labels: dict[str, str], per_second: float, samples: int) -> Series:
    return Series(_sel(metric, labels), f"0+{number(per_second * 60 * INTERVAL_MINUTES)}x{samples}")


def gauge(metric: str, labels: dict[str, str], value: float, samples: int) -> Series:
    return Series(_sel(metric, labels), f"{number(value)}x{samples}")


# --- drivers ------------------------------------------------------------------------------------------------

API = {"job": jobs.API.name, "instance": jobs.API.target}
NODE = {"job": jobs.NODE.name, "instance": jobs.NODE.target}
ROUTE = {"handler": "/api/v1/tokens", "method": "GET"}


def _error_ratio(ratio: float, n: int, rps: float = RPS) -> list[Series]:
    return [
        counter("http_requests_total", {**API, **ROUTE, "status": "2xx"}, rps * (1 - ratio), n),
        counter("http_requests_total", {**API, **ROUTE, "status": "5xx"}, rps * ratio, n),
    ]


def _latency_p95(seconds: float, n: int) -> list[Series]:
    """Buckets whose interpolated p95 is `seconds`: a share of requests in the bucket just under it, the rest
    in the bucket that holds `seconds` (histogram_quantile interpolates linearly inside a bucket)."""
    pairs = zip(LATENCY_BUCKETS, LATENCY_BUCKETS[1:], strict=False)
    lo, hi = next((a, b) for a, b in pairs if a < seconds < b)
    p = (seconds - lo) / (hi - lo)
    if p >= 0.95:
        raise ValueError(f"p95 {seconds}s is too close to bucket bound {hi}s to drive; move the margin")
    below = (0.95 - p) / (1 - p)
    out = []
    for le in (*LATENCY_BUCKETS, float("inf")):
        share = 0.0 if le < lo else below if le == lo else 1.0
        labels = {**API, **ROUTE, "le": "+Inf" if le == float("inf") else format(le, "g")}
        out.append(counter("http_request_duration_seconds_bucket", labels, RPS * share, n))
    return out


def _cpu(ratio: float, n: int) -> list[Series]:
    cpu = {**NODE, "cpu": "0"}
    return [
        counter("node_cpu_seconds_total", {**cpu, "mode": "idle"}, 1 - ratio, n),
        counter("node_cpu_seconds_total", {**cpu, "mode": "user"}, ratio, n),
    ]


def _memory(ratio: float, n: int) -> list[Series]:
    total = 8 * 2**30
    return [
        gauge("node_memory_MemTotal_bytes", NODE, total, n),
        gauge("node_memory_MemAvailable_bytes", NODE, total * (1 - ratio), n),
    ]


DISK = {**NODE, "device": "/dev/sda1", "fstype": "ext4", "mountpoint": "/"}


def _disk(ratio: float, n: int) -> list[Series]:
    size = 100 * 2**30
    return [
        gauge("node_filesystem_size_bytes", DISK, size, n),
        gauge("node_filesystem_avail_bytes", DISK, size * (1 - ratio), n),
    ]


PROBE = {"job": jobs.BLACKBOX_JOB, "instance": "https://anonymeme.io/"}


def _cert_days(days: float, n: int) -> list[Series]:
    """An expiry timestamp that leaves `days` at the eval time (the last sample, `n - 1` minutes)."""
    eval_seconds = (n - 1) * 60 * INTERVAL_MINUTES
    return [gauge("probe_ssl_earliest_cert_expiry", PROBE, days * 86400 + eval_seconds, n)]


def _burn(factor: float, n: int) -> list[Series]:
    return _error_ratio(factor * slo.API_AVAILABILITY.error_budget, n)


SOLANA = {"job": jobs.SOLANA.name, "instance": jobs.SOLANA.target}
POSTGRES = {"job": jobs.POSTGRES.name, "instance": jobs.POSTGRES.target}


def _pg_connections(ratio: float, n: int) -> list[Series]:
    """`ratio` of the connections clients may open: max_connections minus the superuser-reserved ones."""
    active = {**POSTGRES, "datname": "anonymeme", "state": "active"}
    return [
        gauge("pg_stat_activity_count", active, 100 * ratio, n),
        gauge("pg_settings_max_connections", POSTGRES, 103, n),
        gauge("pg_settings_superuser_reserved_connections", POSTGRES, 3, n),
    ]


def _tx_success(ratio: float, n: int, per_second: float = 2.0) -> list[Series]:
    base = {"job": jobs.BUSINESS.name, "instance": jobs.BUSINESS.target, "type": "trade"}
    return [
        counter("anonymeme_transactions_total", {**base, "status": "success"}, per_second * ratio, n),
        counter("anonymeme_transactions_total", {**base, "status": "failed"}, per_second * (1 - ratio), n),
    ]


CONTAINER = {"job": jobs.CADVISOR.name, "instance": jobs.CADVISOR.target, "name": "anonymeme-backend"}
DATABASE = {**POSTGRES, "datname": "anonymeme"}
REDIS = {"job": jobs.REDIS.name, "instance": jobs.REDIS.target}
FEE_PAYER = {**SOLANA, "account": slo.FEE_PAYER_ACCOUNT}


def _container_memory(ratio: float, n: int) -> list[Series]:
    limit = 2 * 2**30
    unlimited = {**CONTAINER, "name": "anonymeme-unlimited"}  # limit 0: never near it
    return [
        gauge("container_memory_working_set_bytes", CONTAINER, limit * ratio, n),
        gauge("container_spec_memory_limit_bytes", CONTAINER, limit, n),
        gauge("container_memory_working_set_bytes", unlimited, limit * 4, n),
        gauge("container_spec_memory_limit_bytes", unlimited, 0, n),
    ]


def _throttled(ratio: float, n: int) -> list[Series]:
    return [
        counter("container_cpu_cfs_periods_total", CONTAINER, 10, n),
        counter("container_cpu_cfs_throttled_periods_total", CONTAINER, 10 * ratio, n),
    ]


def _pg_locks(ratio: float, n: int) -> list[Series]:
    """`ratio` of the lock table (max_locks_per_transaction x max_connections = 64 x 100)."""
    return [
        gauge("pg_locks_count", {**DATABASE, "mode": "rowexclusivelock"}, 6400 * ratio, n),
        gauge("pg_locks_count", {**DATABASE, "mode": "accessexclusivelock"}, 0, n),
        gauge("pg_settings_max_locks_per_transaction", POSTGRES, 64, n),
        gauge("pg_settings_max_connections", POSTGRES, 100, n),
    ]


def _redis_memory(ratio: float, n: int) -> list[Series]:
    return [
        gauge("redis_memory_used_bytes", REDIS, 2**30 * ratio, n),
        gauge("redis_memory_max_bytes", REDIS, 2**30, n),
    ]


def _rpc_errors(ratio: float, n: int) -> list[Series]:
    return [
        counter("solana_rpc_requests_total", {**SOLANA, "method": "getSlot", "outcome": "success"}, 4 * (1 - ratio), n),
        counter("solana_rpc_requests_total", {**SOLANA, "method": "getSlot", "outcome": "timeout"}, 4 * ratio, n),
    ]


RATE = (1, 5)  # rate() needs two samples and under-reads until its 5m window is full
DRIVERS: dict[str, Driver] = {
    "ApiHighErrorRatio": Driver(_error_ratio, {"job": jobs.API.name}, RATE, step=0.02),
    "ApiHighLatencyP95": Driver(_latency_p95, {"job": jobs.API.name}, RATE),
    "ApiErrorBudgetBurn": Driver(_burn, {"job": jobs.API.name}, RATE),
    "HostHighCpuUsage": Driver(_cpu, dict(NODE), RATE, step=0.02),
    "HostHighMemoryUsage": Driver(_memory, dict(NODE), step=0.02),
    "HostHighDiskUsage": Driver(_disk, dict(DISK), step=0.02),
    "TlsCertificateExpiring": Driver(_cert_days, dict(PROBE), (0, 0)),
    "PostgresConnectionsHigh": Driver(_pg_connections, dict(POSTGRES), step=0.02),
    "FailedAuthenticationSpike": Driver(
        lambda v, n: [counter("anonymeme_auth_failures_total", {**API, "reason": "bad_signature"}, v, n)], {}, RATE
    ),
    "SuspiciousActivityScoreHigh": Driver(
        lambda v, n: [
            gauge(
                "anonymeme_security_suspicious_activity_score",
                {"job": jobs.SECURITY.name, "instance": jobs.SECURITY.target, "detector": "wash_trading"},
                v,
                n,
            )
        ],
        {"detector": "wash_trading"},
    ),
    "RateLimitHitsElevated": Driver(
        lambda v, n: [
            counter("anonymeme_rate_limit_hits_total", {**API, "handler": "/api/v1/trade", "scope": "ip"}, v, n)
        ],
        {"handler": "/api/v1/trade"},
        RATE,
    ),
    "SolanaNodeBehind": Driver(lambda v, n: [gauge("solana_node_num_slots_behind", SOLANA, v, n)], dict(SOLANA)),
    "EndpointProbeSlow": Driver(lambda v, n: [gauge("probe_duration_seconds", PROBE, v, n)], dict(PROBE)),
    "ContainerMemoryNearLimit": Driver(_container_memory, dict(CONTAINER), step=0.02),
    "ContainerCpuThrottled": Driver(_throttled, dict(CONTAINER), RATE, step=0.05),
    "PostgresLongTransaction": Driver(
        lambda v, n: [
            gauge("pg_stat_activity_max_tx_duration", {**DATABASE, "state": "idle in transaction"}, v, n),
            gauge("pg_stat_activity_max_tx_duration", {**DATABASE, "datname": "template1", "state": "active"}, 9e9, n),
        ],
        dict(DATABASE),
    ),
    "PostgresLocksHigh": Driver(_pg_locks, dict(POSTGRES), step=0.02),
    "RedisMemoryNearMaxmemory": Driver(_redis_memory, dict(REDIS), step=0.02),
    "SolanaRpcErrorRatioHigh": Driver(_rpc_errors, dict(SOLANA), RATE, step=0.02),
    "SolanaFeePayerBalanceLow": Driver(
        lambda v, n: [gauge("solana_account_balance", FEE_PAYER, v, n)],
        dict(FEE_PAYER),
    ),
    "TransactionSuccessRatioLow": Driver(_tx_success, {}, RATE, step=0.01),
}


# --- threshold cases ----------------------------------------------------------------------------------------


def _minutes(duration: str) -> int:
    return int(durations.seconds(duration) // 60)


def _margin(driver: Driver, alert: Alert) -> tuple[float, float]:
    """(beyond, short): values just past and just short of the alert's threshold."""
    assert alert.threshold is not None
    delta = driver.step if driver.step is not None else abs(alert.threshold) * 0.1
    sign = 1 if alert.rising else -1
    return alert.threshold + sign * delta, alert.threshold - sign * delta


def _firing(levels: Sequence[Alert], driver: Driver, value: float, eval_minutes: int) -> tuple[Alert, ...]:
    """The levels that must fire at `eval_minutes` for a value held from the start; ambiguity is an error."""
    first, last = driver.onset
    out = []
    for level in levels:
        if not level.beyond(value):
            continue
        needed = _minutes(level.for_)
        if eval_minutes - last >= needed:
            out.append(level)
        elif eval_minutes - first >= needed:
            raise ValueError(f"{level.name}/{level.severity}: eval at {eval_minutes}m is too close to `for`")
    return tuple(out)


def _expected(alerts: Sequence[Alert], labels: dict[str, str]) -> tuple[dict[str, str], ...]:
    return tuple({**labels, **a.labels} for a in alerts)


def threshold_cases(name: str, levels: Sequence[Alert], driver: Driver) -> list[Case]:
    longest = max(_minutes(a.for_) for a in levels)
    settled = driver.onset[1] + longest + 2
    cases = []

    def case(title: str, value: float, eval_minutes: int) -> Case:
        fire = _firing(levels, driver, value, eval_minutes)
        series = tuple(driver.series(value, eval_minutes + 1))
        return Case(title, series, eval_minutes, (Check(name, _expected(fire, driver.labels), value),))

    for level in levels:
        beyond, short = _margin(driver, level)
        cases.append(case(f"{name} {level.severity}: {number(beyond)} held past `for` fires", beyond, settled))
        cases.append(case(f"{name} {level.severity}: {number(short)} stays quiet", short, settled))
        early = driver.onset[0] + _minutes(level.for_) - 1
        if early > driver.onset[1]:
            cases.append(
                case(f"{name} {level.severity}: {number(beyond)} not held for {level.for_} yet", beyond, early)
            )
    return cases


# --- boolean and time-dependent cases -----------------------------------------------------------------------


def _state(values: Sequence[int]) -> str:
    return " ".join(str(v) for v in values)


def _by_name(name: str) -> list[Alert]:
    return [a for a in all_alerts() if a.name == name]


def _rule(name: str, **labels: str) -> Alert:
    found = [a for a in _by_name(name) if all(a.labels.get(k) == v for k, v in labels.items())]
    if len(found) != 1:
        raise ValueError(f"expected one {name} rule with {labels}, found {len(found)}")
    return found[0]


def service_down_cases() -> list[Case]:
    cases = []
    for team in ("devops", "security", "business"):
        candidates = [j for j in jobs.SCRAPE_JOBS if j.team == team and not j.exporter]
        if not candidates:
            continue
        job = candidates[0]
        down_for = _minutes(slo.TARGET_DOWN_FOR)
        t = down_for + 3
        one = {"job": job.name, "instance": job.target}
        two = {"job": job.name, "instance": f"{job.service}-2:{job.port}"}
        service, instance = _rule("ServiceDown", team=team), _rule("ServiceInstanceDown", team=team)
        cases += [
            Case(
                f"{job.name} wholly down: one ServiceDown, no ServiceInstanceDown",
                (Series(_sel("up", one), f"0x{t + 1}"),),
                t,
                (Check("ServiceDown", _expected([service], {"job": job.name})), Check("ServiceInstanceDown", ())),
            ),
            Case(
                f"{job.name}: one of two instances down",
                (Series(_sel("up", one), f"0x{t + 1}"), Series(_sel("up", two), f"1x{t + 1}")),
                t,
                (Check("ServiceInstanceDown", _expected([instance], one)), Check("ServiceDown", ())),
            ),
            Case(
                f"{job.name} up: quiet",
                (Series(_sel("up", one), f"1x{t + 1}"),),
                t,
                (Check("ServiceDown", ()), Check("ServiceInstanceDown", ())),
            ),
            Case(
                f"{job.name} down for less than {slo.TARGET_DOWN_FOR}: pending only",
                (Series(_sel("up", one), _state([1] * t + [0] * 2)),),
                t,
                (Check("ServiceDown", ()),),
            ),
        ]
    return cases


@dataclass(frozen=True)
class Signal:
    """One input series of a boolean case: its sample while healthy and while failing (None: no sample, so
    absent() sees nothing). A counter (`counter=True`) adds its value per sample instead of holding it."""

    series: str
    healthy: float | None
    failing: float | None
    counter: bool = False

    def values(self, failing: Sequence[bool]) -> str:
        out, total = [], 0.0
        for bad in failing:
            value = self.failing if bad else self.healthy
            if self.counter:
                total += value or 0.0
                out.append(number(total))
            else:
                out.append("_" if value is None else number(value))
        return " ".join(out)


def _boolean(
    name: str,
    signals: Sequence[Signal],
    labels: dict[str, str],
    for_: str,
    value: float = 0.0,
    **rule_labels: str,
) -> list[Case]:
    """Failing from t=0 fires; healthy throughout is quiet; failing for less than `for_` is quiet.

    `value` is the alert's $value at the eval time (for annotations that print it); `rule_labels` pick one rule
    where several share a name (one per team, one per key series)."""
    alert = _rule(name, **rule_labels)
    t = _minutes(for_) + 3
    flip = t - _minutes(for_) + 1  # failing from here leaves less than `for_` before the eval time

    def series(failing: Sequence[bool]) -> tuple[Series, ...]:
        return tuple(Series(s.series, s.values(failing)) for s in signals)

    cases = [
        Case(
            f"{name}: failing state fires",
            series([True] * (t + 1)),
            t,
            (Check(name, _expected([alert], labels), value),),
        ),
        Case(f"{name}: healthy state is quiet", series([False] * (t + 1)), t, (Check(name, ()),)),
    ]
    if _minutes(for_):  # an event alert (`for: 0m`) has no "not for long enough"
        cases.append(
            Case(
                f"{name}: failing for less than {for_} is quiet",
                series([False] * flip + [True] * (t + 1 - flip)),
                t,
                (Check(name, ()),),
            )
        )
    return cases


def _gauge(metric: str, labels: dict[str, str], healthy: float | None, failing: float | None) -> Signal:
    return Signal(_sel(metric, labels), healthy, failing)


def boolean_cases() -> list[Case]:
    pg = {"job": jobs.POSTGRES.name, "instance": jobs.POSTGRES.target}
    redis = {"job": jobs.REDIS.name, "instance": jobs.REDIS.target}
    cases = service_down_cases()
    cases += _boolean("EndpointProbeFailed", [_gauge("probe_success", PROBE, 1, 0)], PROBE, slo.PROBE_FAILED_FOR)
    cases += _boolean("ExporterDown", [_gauge("up", pg, 1, 0)], pg, slo.EXPORTER_DOWN_FOR)
    cases.append(
        Case(
            "ExporterDown ignores platform services",
            (Series(_sel("up", API), "0x10"),),
            9,
            (Check("ExporterDown", ()),),
        )
    )
    cases += _boolean("PostgresDown", [_gauge("pg_up", pg, 1, 0)], pg, slo.TARGET_DOWN_FOR)
    cases += coverage_cases()
    cases += _boolean("RedisDown", [_gauge("redis_up", redis, 1, 0)], redis, slo.TARGET_DOWN_FOR)
    crit_for = slo.SOLANA_SLOTS_BEHIND.critical_for
    cases += _boolean(
        "SolanaRpcUnhealthy",
        [_gauge("solana_node_is_healthy", SOLANA, 1, 0), _gauge("solana_exporter_up", SOLANA, 1, 1)],
        SOLANA,
        crit_for,
    )
    cases += _boolean(
        "SolanaRpcUnhealthy",
        [_gauge("solana_node_is_healthy", SOLANA, 1, 1), _gauge("solana_exporter_up", SOLANA, 1, 0)],
        SOLANA,
        crit_for,
    )[:1]
    cases.append(
        Case(
            "ApiHighErrorRatio: traffic guard keeps a quiet API quiet",
            tuple(_error_ratio(0.5, 21, rps=slo.API_MIN_TRAFFIC_RPS / 2)),
            20,
            (Check("ApiHighErrorRatio", ()),),
        )
    )
    return cases + monitoring_cases()


PROMETHEUS = {"job": jobs.PROMETHEUS.name, "instance": jobs.PROMETHEUS.target}
ALERTMANAGER = {"job": jobs.ALERTMANAGER.name, "instance": jobs.ALERTMANAGER.target}


def monitoring_cases() -> list[Case]:
    """The monitoring's own alerts, the absent-data alerts and the collectors' failure metrics."""
    wait, per_minute = slo.SELF_MONITORING_FOR, 60.0 * INTERVAL_MINUTES
    group = {**PROMETHEUS, "rule_group": "/etc/prometheus/alerts/critical.yml;api-critical"}
    email = {**ALERTMANAGER, "integration": "email"}
    cases = [
        Case(
            "Watchdog fires whatever the input",
            (Series(_sel("up", PROMETHEUS), "1x3"),),
            2,
            (Check("Watchdog", _expected([_rule("Watchdog")], {})),),
        )
    ]
    cases += _boolean(
        "PrometheusRuleEvaluationFailures",
        [Signal(_sel("prometheus_rule_evaluation_failures_total", group), 0, per_minute, True)],
        group,
        wait,
    )
    cases += _boolean(
        "AlertmanagerNotificationsFailing",
        [Signal(_sel("alertmanager_notifications_failed_total", email), 0, per_minute, True)],
        email,
        wait,
    )
    cases += _boolean(
        "PrometheusNotificationsDropped",
        [Signal(_sel("prometheus_notifications_dropped_total", PROMETHEUS), 0, per_minute, True)],
        PROMETHEUS,
        wait,
    )
    cases += _boolean(
        "PrometheusConfigReloadFailed",
        [_gauge("prometheus_config_last_reload_successful", PROMETHEUS, 1, 0)],
        PROMETHEUS,
        wait,
    )
    cases += _boolean(
        "AlertmanagerConfigReloadFailed",
        [_gauge("alertmanager_config_last_reload_successful", ALERTMANAGER, 1, 0)],
        ALERTMANAGER,
        wait,
    )
    peer = {**ALERTMANAGER, "instance": f"{jobs.ALERTMANAGER.service}-2:{jobs.ALERTMANAGER.port}"}
    cases += _boolean(
        "AlertmanagerClusterMembersMismatch",
        [
            _gauge("alertmanager_cluster_members", ALERTMANAGER, 2, 1),
            _gauge("alertmanager_cluster_members", peer, 2, 2),
        ],
        ALERTMANAGER,
        wait,
    )
    cases.append(
        Case(
            "AlertmanagerClusterMembersMismatch: a single instance is quiet",
            (Series(_sel("alertmanager_cluster_members", ALERTMANAGER), "1x10"),),
            9,
            (Check("AlertmanagerClusterMembersMismatch", ()),),
        )
    )
    for team in ("devops", "security"):
        firing = {
            "alertname": "ServiceDown",
            "alertstate": "firing",
            "severity": "critical",
            "team": team,
            "job": "api",
        }
        cases += _boolean(
            "CriticalAlertUnresolved",
            [_gauge("ALERTS", firing, None, 1)],
            {"escalated_alert": "ServiceDown"},
            slo.ESCALATE_AFTER,
            team=team,
        )
    for key in jobs.KEY_SERIES:  # the other key series stay present, or their own absent alerts would fire
        present = [
            _gauge(k.metric, {"job": k.job.name, "instance": k.job.target}, 1, None if k == key else 1)
            for k in jobs.KEY_SERIES
        ]
        cases += _boolean("KeySeriesAbsent", present, {"job": key.job.name}, slo.ABSENT_FOR, metric=key.metric)
    query = {"job": jobs.BUSINESS.name, "instance": jobs.BUSINESS.target, "query": "anonymeme_transactions_total"}
    cases += _boolean(
        "BusinessCollectorQueryFailing",
        [_gauge("anonymeme_collector_query_success", query, 1, 0)],
        query,
        slo.COLLECTOR_FAILING_FOR,
    )
    step = {**SOLANA, "step": "epoch"}  # a step of exporters/solana/metrics.py POLL_STEPS
    cases += _boolean(
        "SolanaExporterPollErrors",
        [Signal(_sel("solana_exporter_poll_errors_total", step), 0, 1, True)],
        step,
        slo.COLLECTOR_FAILING_FOR,
    )
    return cases


def coverage_cases() -> list[Case]:
    """The alerts closing the anchors' coverage gaps that are states or events rather than levels."""
    status = [_gauge("probe_http_status_code", PROBE, 200, 503), _gauge("probe_success", PROBE, 1, 0)]
    cases = _boolean("EndpointHttpStatusError", status, PROBE, slo.PROBE_FAILED_FOR, value=503)
    t = _minutes(slo.PROBE_FAILED_FOR) + 3
    cases.append(
        Case(
            "EndpointProbeFailed: an HTTP error status is EndpointHttpStatusError's alone",
            tuple(Series(s.series, s.values([True] * (t + 1))) for s in status),
            t,
            (Check("EndpointProbeFailed", ()),),
        )
    )
    cases += _boolean("HostOomKillDetected", [Signal(_sel("node_vmstat_oom_kill", NODE), 0, 1, True)], dict(NODE), "0m")
    deadlocks = {**DATABASE, "datid": "16384"}
    # increase() over 4 samples 1m apart, extrapolated half a step back: 3 * 3.5 / 3
    cases += _boolean(
        "PostgresDeadlocks",
        [Signal(_sel("pg_stat_database_deadlocks", deadlocks), 0, 1, True)],
        dict(DATABASE),
        "0m",
        value=3.5,
    )
    # increase() over the 6 samples of a whole 5m window: 5
    cases += _boolean(
        "RedisRejectedConnections",
        [Signal(_sel("redis_rejected_connections_total", REDIS), 0, 1, True)],
        dict(REDIS),
        slo.REDIS_REJECTED_FOR,
        value=5,
    )
    cases += _boolean(
        "SolanaSlotNotAdvancing",
        [Signal(_sel("solana_node_slot_height", SOLANA), 150, 0, True)],
        dict(SOLANA),
        slo.SOLANA_SLOT_STALL_FOR,
    )
    trades = {"job": jobs.BUSINESS.name, "instance": jobs.BUSINESS.target, "side": "buy", "status": "success"}
    cases += _boolean(
        "NoTradesRecently",
        [Signal(_sel("anonymeme_trades_total", trades), 1, 0, True)],
        {"job": jobs.BUSINESS.name},
        slo.NO_TRADES_FOR,
    )
    return cases


def disk_fill_cases() -> list[Case]:
    """predict_linear over a filesystem draining at a constant rate: hours left = avail / drain."""
    name, levels = "HostDiskFillPredicted", _by_name("HostDiskFillPredicted")
    drain = 2**20  # bytes per second
    labels = dict(DISK)
    cases = []

    big = 2**40  # a disk so large that every case is under both free-space floors

    def series(avail0: float, n: int, size: float = big) -> tuple[Series, ...]:
        step = drain * 60 * INTERVAL_MINUTES
        return (
            Series(_sel("node_filesystem_avail_bytes", labels), f"{number(avail0)}-{number(step)}x{n}"),
            gauge("node_filesystem_size_bytes", labels, size, n),
            gauge("node_filesystem_readonly", labels, 0, n),
        )

    def floor(level: Alert) -> float:
        limits = slo.DISK_FILL_FREE_BELOW
        return limits.critical if level.severity == "critical" else limits.warning

    def firing(avail0: float, t: int, size: float = big) -> tuple[Alert, ...]:
        out = []
        for level in levels:
            hours_start = (avail0 - drain * 60) / drain / 3600  # at 1m, the first prediction
            hours_end = (avail0 - drain * 60 * t) / drain / 3600
            free_start, free_end = avail0 / size, (avail0 - drain * 60 * t) / size
            if hours_start < level.threshold and free_start < floor(level) and t - 2 >= _minutes(level.for_):
                out.append(level)
            elif hours_end < level.threshold and free_end < floor(level) and t - 1 >= _minutes(level.for_):
                raise ValueError(f"{name}/{level.severity}: ambiguous case")
        return tuple(out)

    longest = max(_minutes(a.for_) for a in levels)
    for level in levels:
        assert level.threshold is not None
        t = longest + 4
        inside = 0.9 * level.threshold * 3600 * drain
        outside = (1.1 * level.threshold * 3600 + t * 60) * drain
        early = _minutes(level.for_)  # true from 1m: at `for` minutes it has been pending for `for` - 1m
        soon, later = f"{0.9 * level.threshold:g}h", f"{1.1 * level.threshold:g}h"
        for title, avail0, at in (
            (f"full in {soon} fires", inside, t),
            (f"full in {later} stays quiet", outside, t),
            (f"full in {soon}, not for {level.for_} yet", inside, early),
        ):
            cases.append(
                Case(
                    f"{name} {level.severity}: {title}",
                    series(avail0, at + 1),
                    at,
                    (Check(name, _expected(firing(avail0, at), labels)),),
                )
            )
        # A mostly empty disk filling fast (a backup): predicted full, but above the level's floor, stays quiet.
        size = inside / (floor(level) + 0.1)
        expected = firing(inside, t, size)
        assert level not in expected
        cases.append(
            Case(
                f"{name} {level.severity}: full in {soon} with {inside / size:.0%} free is under no floor of its own",
                series(inside, t + 1, size),
                t,
                (Check(name, _expected(expected, labels)),),
            )
        )
    return cases


def keep_firing_cases() -> list[Case]:
    """A gauge alert that recovers keeps firing for `keep_firing_for`, then resolves: one page, not a flap."""
    cases = []
    for alert in all_alerts():
        driver = DRIVERS.get(alert.name)
        if alert.keep_firing_for is None or driver is None:
            continue
        levels = _by_name(alert.name)
        beyond, _ = _margin(driver, alert)
        shorts = [_margin(driver, level)[1] for level in levels]
        healthy = min(shorts) if alert.rising else max(shorts)  # short of every level
        held = driver.onset[1] + max(_minutes(a.for_) for a in levels) + 2
        fired = _firing(levels, driver, beyond, held)  # what fires when the value recovers (threshold_cases prove it)
        assert alert in fired
        keep = _minutes(alert.keep_firing_for)
        for after, still in ((keep // 2, True), (keep + 3, False)):
            at = held + after
            series = [
                Series(b.series, " ".join(_values(b.values)[: held + 1] + _values(r.values)[held + 1 :]))
                for b, r in zip(driver.series(beyond, at + 1), driver.series(healthy, at + 1), strict=True)
            ]
            state = "still fires" if still else "resolves"
            cases.append(
                Case(
                    f"{alert.name} {alert.severity}: {number(beyond)}, then {number(healthy)} for {after}m {state}",
                    tuple(series),
                    at,
                    (Check(alert.name, _expected(fired if still else (), driver.labels), beyond),),
                )
            )
    return cases


def _values(notation: str) -> list[str]:
    """promtool's expanding notation (`a+bxN`, `axN`, plain values) as one value per sample."""
    out: list[str] = []
    for token in notation.split():
        if "x" not in token:
            out.append(token)
            continue
        start, count = token.split("x")
        sign = "+" if "+" in start[1:] else "-" if "-" in start[1:] else None
        if sign is None:
            out += [start] * (int(count) + 1)
            continue
        head, delta = start[0] + start[1:].split(sign)[0], float(start[1:].split(sign, 1)[1])
        base, step = float(head), delta if sign == "+" else -delta
        out += [number(base + i * step) for i in range(int(count) + 1)]
    return out


def all_cases() -> list[Case]:
    cases: list[Case] = []
    names = list(dict.fromkeys(a.name for a in all_alerts()))
    for name in names:
        if name in DRIVERS:
            cases += threshold_cases(name, _by_name(name), DRIVERS[name])
    cases += boolean_cases()
    cases += disk_fill_cases()
    cases += keep_firing_cases()
    cases += guard_cases()
    return cases


def guard_cases() -> list[Case]:
    """Volume guards: a burn or a failure ratio over a handful of events is noise, not a page."""
    fast = slo.API_AVAILABILITY.windows[0]
    t = _minutes(fast.long) + _minutes(fast.for_) + 5
    quiet_rps = slo.API_MIN_TRAFFIC_RPS / 2
    tx_per_second = slo.TRANSACTION_MIN_PER_HOUR / 3600 / 2  # half the minimum per hour
    tx_for = _minutes(slo.TRANSACTION_SUCCESS_RATIO.warning_for)
    return [
        Case(
            f"ApiErrorBudgetBurn: {number(quiet_rps)} req/s, all failing, burns nothing (volume guard)",
            tuple(_error_ratio(0.9, t + 1, rps=quiet_rps)),
            t,
            (Check("ApiErrorBudgetBurn", ()),),
        ),
        Case(
            "TransactionSuccessRatioLow: half the minimum transactions an hour, mostly failing, is quiet",
            tuple(_tx_success(0.1, 60 + tx_for + 6, per_second=tx_per_second)),
            60 + tx_for + 5,
            (Check("TransactionSuccessRatioLow", ()),),
        ),
    ]


# --- the promtool file --------------------------------------------------------------------------------------


def _exp_alert(labels: dict[str, str], value: float, alertname: str) -> dict:
    alert = next(a for a in _by_name(alertname) if all(labels.get(k) == v for k, v in a.labels.items()))
    return {
        "exp_labels": dict(sorted(labels.items())),
        "exp_annotations": {k: templates.render(v, labels, value) for k, v in alert.annotations.items()},
    }


def unit_test_file(rule_files: Sequence[str], cases: Sequence[Case] | None = None) -> dict:
    """The `promtool test rules` document for `rule_files` (paths as promtool will open them)."""
    cases = all_cases() if cases is None else cases
    tests = []
    for case in cases:
        tests.append(
            {
                "name": case.title,
                "interval": f"{INTERVAL_MINUTES}m",
                "input_series": [{"series": s.series, "values": s.values} for s in case.series],
                "alert_rule_test": [
                    {
                        "eval_time": f"{case.eval_minutes}m",
                        "alertname": c.alertname,
                        "exp_alerts": [_exp_alert(lbl, c.value, c.alertname) for lbl in c.expected],
                    }
                    for c in case.checks
                ],
            }
        )
    return {"rule_files": list(rule_files), "evaluation_interval": f"{INTERVAL_MINUTES}m", "tests": tests}
