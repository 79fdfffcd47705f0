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
            runbook="api-errors",
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
            runbook="api-latency",
            description="Request latency quantiles from the duration histogram. Dashed line: the p95 "
            "target, above which the latency warning fires (no critical latency alert exists).",
            w=w,
            h=h,
        ),
    ]


@dataclass(frozen=True)
class UseSignals:
    """The three USE queries of one resource (the selector is substituted for `{sel}`), each with its own legend
    and description: a host has several disks, mountpoints and interfaces, so `{{instance}}` alone would draw
    several lines under one name."""

    resource: str
    utilisation: str
    utilisation_legend: str
    utilisation_help: str
    saturation: str
    saturation_unit: str
    saturation_legend: str
    saturation_help: str
    errors_title: str
    errors: str
    errors_unit: str
    errors_legend: str
    errors_help: str
    threshold: Threshold = RESOURCE_UTILISATION
    runbook: str | None = None  # the runbook of the utilisation alert, linked from the utilisation panel


# Block devices worth charting: node-mixin's `diskDevices` (node_exporter docs/node-mixin/config.libsonnet), so
# loop, zram and ram devices do not swamp the disk panels.
DISK_DEVICES = 'device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"'

USE_RESOURCES: dict[str, UseSignals] = {
    "cpu": UseSignals(
        "CPU",
        utilisation="instance:node_cpu_utilisation:rate5m{sel}",
        utilisation_legend="{{instance}}",
        utilisation_help="Share of CPU time busy per host, averaged over its cores (recording rule).",
        saturation="node_load1{sel} / count without (cpu, mode) (node_cpu_seconds_total{sel_idle})",
        saturation_unit="short",
        saturation_legend="{{instance}}",
        saturation_help="1-minute load average per core: above 1, runnable tasks wait for a CPU.",
        errors_title="CPU steal",
        errors="avg without (cpu, mode) (rate(node_cpu_seconds_total{sel_steal}[$__rate_interval]))",
        errors_unit="percentunit",
        errors_legend="{{instance}}",
        errors_help="Share of CPU time the hypervisor gave to other guests (steal), averaged over the host's "
        "cores: CPU has no error counter, steal is the time the host wanted a CPU and did not get one.",
        runbook="high-cpu",
    ),
    "memory": UseSignals(
        "Memory",
        utilisation="instance:node_memory_utilisation:ratio{sel}",
        utilisation_legend="{{instance}}",
        utilisation_help="Share of memory not available to new work per host (1 - MemAvailable / MemTotal).",
        saturation="rate(node_vmstat_pgmajfault{sel}[$__rate_interval])",
        saturation_unit="ops",
        saturation_legend="{{instance}}",
        saturation_help="Major page faults per second: pages read back from disk because memory was short.",
        errors_title="Memory errors (OOM kills)",
        errors="increase(node_vmstat_oom_kill{sel}[$__rate_interval])",
        errors_unit="short",
        errors_legend="{{instance}}",
        errors_help="Processes killed by the kernel's out-of-memory killer per interval.",
        runbook="high-memory",
    ),
    "disk": UseSignals(
        "Disk",
        utilisation="instance_mountpoint:node_filesystem_utilisation:ratio{sel}",
        utilisation_legend="{{instance}} {{mountpoint}}",
        utilisation_help="Share of each filesystem's space in use, one line per mountpoint.",
        saturation="rate(node_disk_io_time_weighted_seconds_total{sel_disk}[$__rate_interval])",
        saturation_unit="short",
        saturation_legend="{{instance}} {{device}}",
        saturation_help="Average I/O queue depth per block device (weighted I/O seconds per second): above "
        "1, requests wait for the device.",
        errors_title="Filesystems failing statfs",
        errors="node_filesystem_device_error{sel_fs}",
        errors_unit="short",
        errors_legend="{{instance}} {{mountpoint}}",
        errors_help="1 when node-exporter's statfs() of the mountpoint failed or hung (node_exporter "
        "collector/filesystem_linux.go, processStat): a stale network mount or a failing device; its size and "
        "free space are then unknown. Linux gives node-exporter no disk I/O error counter: those are in the "
        "kernel log.",
        runbook="disk-space",
    ),
    "network": UseSignals(
        "Network",
        utilisation="rate(node_network_receive_bytes_total{sel_nic}[$__rate_interval])"
        " + rate(node_network_transmit_bytes_total{sel_nic}[$__rate_interval])",
        utilisation_legend="{{instance}} {{device}}",
        utilisation_help="Bytes received plus sent per second, per interface (loopback excluded).",
        saturation="rate(node_network_receive_drop_total{sel_nic}[$__rate_interval])"
        " + rate(node_network_transmit_drop_total{sel_nic}[$__rate_interval])",
        saturation_unit="pps",
        saturation_legend="{{instance}} {{device}}",
        saturation_help="Packets dropped per second per interface: queues full, the interface cannot keep up.",
        errors_title="Network errors",
        errors="rate(node_network_receive_errs_total{sel_nic}[$__rate_interval])"
        " + rate(node_network_transmit_errs_total{sel_nic}[$__rate_interval])",
        errors_unit="pps",
        errors_legend="{{instance}} {{device}}",
        errors_help="Packets received or sent with errors per second per interface (bad frames, carrier loss).",
    ),
}

_REAL_FILESYSTEMS = 'fstype!~"tmpfs|overlay|squashfs"'  # as the filesystem recording rule (signals.recording)


def _fill(expr: str, selector: str) -> str:
    return (
        expr.replace("{sel_idle}", "{" + selector + ', mode="idle"}')
        .replace("{sel_steal}", "{" + selector + ', mode="steal"}')
        .replace("{sel_nic}", "{" + selector + ', device!="lo"}')
        .replace("{sel_disk}", "{" + selector + ", " + DISK_DEVICES + "}")
        .replace("{sel_fs}", "{" + selector + ", " + _REAL_FILESYSTEMS + "}")
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
            prom(_fill(s.utilisation, selector), s.utilisation_legend),
            unit="Bps" if network else "percentunit",
            threshold=None if network else s.threshold,
            min_=0,
            max_=None if network else 1,
            runbook=s.runbook,
            description=s.utilisation_help
            + ("" if network else " Dashed lines: the warning and critical alert thresholds."),
            w=w,
            h=h,
        ),
        timeseries(
            f"{s.resource} saturation",
            prom(_fill(s.saturation, selector), s.saturation_legend),
            unit=s.saturation_unit,
            description=s.saturation_help,
            w=w,
            h=h,
        ),
        timeseries(
            s.errors_title,
            prom(_fill(s.errors, selector), s.errors_legend),
            unit=s.errors_unit,
            description=s.errors_help,
            w=w,
            h=h,
        ),
    ]
