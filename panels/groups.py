"""Method groups: RED for a request-driven service, USE for a host resource.

Each returns a fresh list of panels built from `signals` (metric names, thresholds), ready to put in a row.
"""

from __future__ import annotations

from dataclasses import dataclass

from grafanalib.core import Panel

from panels.targets import prom
from panels.timeseries import timeseries
from signals.catalogue import metric
from signals.recording import errors_or_zero
from signals.slo import API_ERROR_RATIO, API_LATENCY_P95, RESOURCE_UTILISATION, Threshold

_REQUESTS = metric("http_requests_total").name
_DURATION = metric("http_request_duration_seconds").name


def red(selector: str, *, by: str = "handler", w: int = 8, h: int = 8) -> list[Panel]:
    """Rate, errors (ratio of 5xx) and duration (p50/p95/p99 from the histogram) of the selected requests."""
    sel = "{" + selector + "}"
    rate = f"rate({_REQUESTS}{sel}[$__rate_interval])"
    return [
        timeseries(
            "Request rate",
            prom(f"sum by ({by}) ({rate})", f"{{{{{by}}}}}"),
            unit="reqps",
            description=f"Requests per second by {by}.",
            stack=True,
            w=w,
            h=h,
        ),
        timeseries(
            "Error ratio",
            prom(
                f"{errors_or_zero('rate', '$__rate_interval', by, selector)} / sum by ({by}) ({rate})", f"{{{{{by}}}}}"
            ),
            unit="percentunit",
            threshold=API_ERROR_RATIO,
            min_=0,
            description="Share of requests answered with a 5xx status. Dashed lines: the warning and "
            "critical alert thresholds.",
            w=w,
            h=h,
        ),
        timeseries(
            "Latency p50 / p95 / p99",
            [
                prom(
                    f"histogram_quantile(0.{q}, sum by (le) (rate({_DURATION}_bucket{sel}[$__rate_interval])))", f"p{q}"
                )
                for q in ("50", "95", "99")
            ],
            unit="s",
            threshold=API_LATENCY_P95,
            description="Request latency quantiles from the duration histogram. Dashed lines: the p95 "
            "target (above it a warning alert fires) and the red zone.",
            w=w,
            h=h,
        ),
    ]


@dataclass(frozen=True)
class UseSignals:
    """The three USE queries of one resource (the selector is substituted for `{sel}`)."""

    resource: str
    utilisation: str
    saturation: str
    saturation_unit: str
    errors: str
    errors_unit: str
    threshold: Threshold = RESOURCE_UTILISATION


USE_RESOURCES: dict[str, UseSignals] = {
    "cpu": UseSignals(
        "CPU",
        utilisation="instance:node_cpu_utilisation:rate5m{sel}",
        saturation="node_load1{sel} / count without (cpu, mode) (node_cpu_seconds_total{sel_idle})",
        saturation_unit="short",
        errors="sum without (mode) (rate(node_cpu_seconds_total{sel_steal}[$__rate_interval]))",
        errors_unit="percentunit",
    ),
    "memory": UseSignals(
        "Memory",
        utilisation="instance:node_memory_utilisation:ratio{sel}",
        saturation="rate(node_vmstat_pgmajfault{sel}[$__rate_interval])",
        saturation_unit="ops",
        errors="increase(node_vmstat_oom_kill{sel}[$__rate_interval])",
        errors_unit="short",
    ),
    "disk": UseSignals(
        "Disk",
        utilisation="instance_mountpoint:node_filesystem_utilisation:ratio{sel}",
        saturation="rate(node_disk_io_time_weighted_seconds_total{sel}[$__rate_interval])",
        saturation_unit="s",
        errors="node_filesystem_device_error{sel}",
        errors_unit="short",
    ),
    "network": UseSignals(
        "Network",
        utilisation="rate(node_network_receive_bytes_total{sel_nic}[$__rate_interval])"
        " + rate(node_network_transmit_bytes_total{sel_nic}[$__rate_interval])",
        saturation="rate(node_network_receive_drop_total{sel_nic}[$__rate_interval])"
        " + rate(node_network_transmit_drop_total{sel_nic}[$__rate_interval])",
        saturation_unit="pps",
        errors="rate(node_network_receive_errs_total{sel_nic}[$__rate_interval])"
        " + rate(node_network_transmit_errs_total{sel_nic}[$__rate_interval])",
        errors_unit="pps",
    ),
}


def _fill(expr: str, selector: str) -> str:
    return (
        expr.replace("{sel_idle}", "{" + selector + ', mode="idle"}')
        .replace("{sel_steal}", "{" + selector + ', mode="steal"}')
        .replace("{sel_nic}", "{" + selector + ', device!="lo"}')
        .replace("{sel}", "{" + selector + "}")
    )


def use(resource: str, selector: str, *, w: int = 8, h: int = 8) -> list[Panel]:
    """Utilisation (with the resource thresholds), saturation and errors of `resource` on the selected hosts."""
    if resource not in USE_RESOURCES:
        raise KeyError(f"unknown USE resource {resource!r}; known: {', '.join(sorted(USE_RESOURCES))}")
    s = USE_RESOURCES[resource]
    network = resource == "network"
    return [
        timeseries(
            f"{s.resource} utilisation",
            prom(_fill(s.utilisation, selector), "{{instance}}"),
            unit="Bps" if network else "percentunit",
            threshold=None if network else s.threshold,
            min_=0,
            max_=None if network else 1,
            description=f"{s.resource} utilisation per host."
            + ("" if network else " Dashed lines: the warning and critical alert thresholds."),
            w=w,
            h=h,
        ),
        timeseries(
            f"{s.resource} saturation",
            prom(_fill(s.saturation, selector), "{{instance}}"),
            unit=s.saturation_unit,
            description=f"{s.resource} saturation: work waiting for the resource.",
            w=w,
            h=h,
        ),
        timeseries(
            f"{s.resource} errors",
            prom(_fill(s.errors, selector), "{{instance}}"),
            unit=s.errors_unit,
            description=f"{s.resource} errors (for CPU: time stolen by the hypervisor).",
            w=w,
            h=h,
        ),
    ]
