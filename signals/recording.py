"""Recording rules as data: their names are what dashboards and alerts query, their expressions live here once.

`alerting` renders these into `compose/prometheus/rules/application.yml`; dashboards reference the recorded names,
so a panel and an alert built on `job:http_request_errors:ratio_rate5m` read exactly the same series.
Names follow the `level:metric:operations` convention.
"""

from __future__ import annotations

from dataclasses import dataclass

from signals import jobs
from signals.durations import check as check_durations
from signals.durations import seconds
from signals.slo import API_AVAILABILITY

# Every recording rule selects the job its metric comes from: an exporter or a second service publishing a
# metric of the same name must not leak into the platform's records (and the rule says where its input is).
API_SEL = f'job="{jobs.API.name}"'
NODE_SEL = f'job="{jobs.NODE.name}"'
CADVISOR_SEL = f'job="{jobs.CADVISOR.name}"'
BUSINESS_SEL = f'job="{jobs.BUSINESS.name}"'
FILESYSTEM_SEL = f'{NODE_SEL}, fstype!~"tmpfs|overlay|squashfs"'  # filesystems that are disks


@dataclass(frozen=True)
class RecordingRule:
    record: str
    expr: str


@dataclass(frozen=True)
class RuleGroup:
    name: str
    interval: str
    rules: tuple[RecordingRule, ...]

    def __post_init__(self) -> None:
        check_durations(f"RuleGroup {self.name}", interval=self.interval)


def errors_or_zero(fn: str, window: str, by: str, selector: str = "") -> str:
    """`fn` (rate or increase) of 5xx responses by `by`, and 0 where a series had traffic but no 5xx at all.

    Without the `or`, a healthy service has no 5xx series, so every error ratio built on it is empty: panels say
    "No data" and SLO records vanish exactly when all is well. `selector` narrows both sides (`job=~"$job"`).
    """
    sel = f"{selector}, " if selector else ""
    errors = f'http_requests_total{{{sel}status=~"5.."}}'
    total = f"http_requests_total{{{selector}}}" if selector else "http_requests_total"
    return f"(sum by ({by}) ({fn}({errors}[{window}])) or sum by ({by}) ({fn}({total}[{window}])) * 0)"


def _api_rules() -> tuple[RecordingRule, ...]:
    requests, buckets = f"http_requests_total{{{API_SEL}}}", f"http_request_duration_seconds_bucket{{{API_SEL}}}"
    rules = [
        RecordingRule("job_handler:http_requests:rate5m", f"sum by (job, handler) (rate({requests}[5m]))"),
        RecordingRule("job_handler:http_request_errors:rate5m", errors_or_zero("rate", "5m", "job, handler", API_SEL)),
        RecordingRule("job:http_requests:rate5m", f"sum by (job) (rate({requests}[5m]))"),
        RecordingRule("job:http_request_errors:rate5m", errors_or_zero("rate", "5m", "job", API_SEL)),
        RecordingRule(
            "job:http_request_errors:ratio_rate5m", "job:http_request_errors:rate5m / job:http_requests:rate5m"
        ),
    ]
    for q in ("50", "95", "99"):
        rules.append(
            RecordingRule(
                f"job_handler:http_request_duration_seconds:p{q}_5m",
                f"histogram_quantile(0.{q}, sum by (job, handler, le) (rate({buckets}[5m])))",
            )
        )
        rules.append(
            RecordingRule(
                f"job:http_request_duration_seconds:p{q}_5m",
                f"histogram_quantile(0.{q}, sum by (job, le) (rate({buckets}[5m])))",
            )
        )
    return tuple(rules)


def slo_error_ratio_record(window: str) -> str:
    """The recorded error ratio of the API availability SLO over `window` (5m, 30m, 1h, 2h, 6h, 1d, 3d)."""
    return f"job:slo_http_request_errors:ratio_rate{window}"


def slo_windows() -> tuple[str, ...]:
    """Every window the burn-rate alerts need, short windows first, in a stable order."""
    seen: list[str] = []
    for w in API_AVAILABILITY.windows:
        for win in (w.short, w.long):
            if win not in seen:
                seen.append(win)
    return tuple(sorted(seen, key=seconds))


def _slo_rules() -> tuple[RecordingRule, ...]:
    rules = [
        RecordingRule(
            slo_error_ratio_record(w),
            f"{errors_or_zero('rate', w, 'job', API_SEL)} / sum by (job) (rate(http_requests_total{{{API_SEL}}}[{w}]))",
        )
        for w in slo_windows()
    ]
    period = f"{API_AVAILABILITY.period_days}d"
    availability = f"job:slo_availability:ratio_rate{period}"  # the name follows the SLO period
    rules += [
        RecordingRule(
            availability,
            f"1 - ({errors_or_zero('increase', period, 'job', API_SEL)}"
            f" / sum by (job) (increase(http_requests_total{{{API_SEL}}}[{period}])))",
        ),
        RecordingRule(
            "job:slo_error_budget_remaining:ratio", f"1 - ((1 - {availability}) / {API_AVAILABILITY.error_budget})"
        ),
    ]
    return tuple(rules)


def _resource_rules() -> tuple[RecordingRule, ...]:
    return (
        RecordingRule(
            "instance:node_cpu_utilisation:rate5m",
            "1 - avg without (cpu) (sum without (mode) "
            f'(rate(node_cpu_seconds_total{{{NODE_SEL}, mode=~"idle|iowait|steal"}}[5m])))',
        ),
        RecordingRule(
            "instance:node_memory_utilisation:ratio",
            f"1 - node_memory_MemAvailable_bytes{{{NODE_SEL}}} / node_memory_MemTotal_bytes{{{NODE_SEL}}}",
        ),
        RecordingRule(
            "instance_mountpoint:node_filesystem_utilisation:ratio",
            f"1 - node_filesystem_avail_bytes{{{FILESYSTEM_SEL}}} / node_filesystem_size_bytes{{{FILESYSTEM_SEL}}}",
        ),
        RecordingRule(
            "name:container_cpu_usage_seconds:rate5m",
            f'sum by (name) (rate(container_cpu_usage_seconds_total{{{CADVISOR_SEL}, name!=""}}[5m]))',
        ),
        RecordingRule(
            "name:container_memory_working_set_bytes:sum",
            f'sum by (name) (container_memory_working_set_bytes{{{CADVISOR_SEL}, name!=""}})',
        ),
    )


def _hourly(metric: str) -> str:
    return f"sum(increase({metric}{{{BUSINESS_SEL}}}[1h]))"


def _business_rules() -> tuple[RecordingRule, ...]:
    return (
        RecordingRule("anonymeme:trading_volume_sol:increase1h", _hourly("anonymeme_trading_volume_sol_total")),
        RecordingRule("anonymeme:trades:increase1h", _hourly("anonymeme_trades_total")),
        RecordingRule("anonymeme:user_registrations:increase1h", _hourly("anonymeme_user_registrations_total")),
        RecordingRule("anonymeme:tokens_created:increase1h", _hourly("anonymeme_tokens_created_total")),
        RecordingRule("anonymeme:revenue_sol:increase1h", _hourly("anonymeme_revenue_sol_total")),
        RecordingRule("anonymeme:transaction_fees_sol:increase1h", _hourly("anonymeme_transaction_fees_sol_total")),
        RecordingRule(
            "anonymeme:transaction_success:ratio_rate1h",
            f'sum(rate(anonymeme_transactions_total{{{BUSINESS_SEL}, status="success"}}[1h]))'
            f" / sum(rate(anonymeme_transactions_total{{{BUSINESS_SEL}}}[1h]))",
        ),
    )


RECORDING_GROUPS: tuple[RuleGroup, ...] = (
    RuleGroup("api-red", "30s", _api_rules()),
    RuleGroup("api-slo", "30s", _slo_rules()),
    RuleGroup("resources", "30s", _resource_rules()),
    RuleGroup("business-hourly", "1m", _business_rules()),
)


def recorded_names() -> frozenset[str]:
    return frozenset(r.record for g in RECORDING_GROUPS for r in g.rules)
