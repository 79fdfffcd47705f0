"""Build speed: the five dashboards, and 500 synthetic dashboards x 40 panels against grafanalib's own output.

The comparison is on the same prebuilt grafanalib objects. The target is grafanalib's compact
`json.dumps(d.to_json_data(), cls=DashboardEncoder)`: ours (canonicalise + schema validation + canonical, sorted,
indented serialisation) at or under it. grafanalib's `write_dashboard` (sorted and indented, like ours) is printed
for reference. Every timed run compiles from scratch: nothing is remembered from one run to the next.
"""

from __future__ import annotations

import gc
import io
import json
import statistics
import time
from collections.abc import Callable

from grafanalib._gen import DashboardEncoder, write_dashboard

from compiler.compile import compile_all, compile_dashboard
from dashboards.common import dashboard
from dashboards.registry import DASHBOARDS
from grafana_json.walk import dashboard_panels
from panels import bargauge, gauge, prom, row, stat
from panels.groups import red, use
from signals.slo import API_ERROR_RATIO

DASHBOARD_COUNT = 500


def _timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time; the garbage collector is paused so a collection of the other side's garbage is not billed."""
    samples = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(samples)


def synthetic_panels(seed: int) -> list:
    """Exactly 40 panels: 4 rows of 9 (RED and USE groups, stat, gauge, bar gauge), like a real service board."""
    rows = []
    for r in range(4):
        group = [
            *red(f'job="svc-{seed % 17}", handler="/h{r}"'),
            *use("cpu", f'instance="host-{r}"'),
            stat(
                f"Stat {r}",
                prom(f'sum(job:http_requests:rate5m{{job="svc-{r}"}})'),
                unit="reqps",
                description="d",
                threshold=API_ERROR_RATIO,
            ),
            gauge(f"Gauge {r}", prom("max(instance:node_cpu_utilisation:rate5m)"), unit="percentunit", description="d"),
            bargauge(
                f"Bars {r}",
                prom("instance_mountpoint:node_filesystem_utilisation:ratio"),
                unit="percentunit",
                description="d",
            ),
        ]
        rows.append(row(f"Row {r}", group, collapsed=r % 2 == 1))
    return rows


def run() -> None:
    five = _timed(lambda: compile_all(DASHBOARDS), repeat=5)
    print(f"build: five dashboards compiled, validated and serialised in {five * 1000:.1f} ms (median of 5)")

    dashboards = [
        dashboard(uid=f"bench-{i}", title=f"Bench {i}", description="synthetic", panels=synthetic_panels(i))
        for i in range(DASHBOARD_COUNT)
    ]
    panel_count = sum(
        1 for _ in dashboard_panels(json.loads(compile_dashboard(dashboards[0], name="x", folder="x").text))
    )
    raw = _timed(lambda: [write_dashboard(d, io.StringIO()) for d in dashboards])
    compact = _timed(lambda: [json.dumps(d.to_json_data(), cls=DashboardEncoder) for d in dashboards])
    ours = _timed(lambda: [compile_dashboard(d, name=d.uid, folder="Bench") for d in dashboards])
    print(f"build: {DASHBOARD_COUNT} dashboards x {panel_count} panels (median of 3 runs each):")
    print(f"  grafanalib compact json.dumps (DashboardEncoder, no indent)         {compact:.2f} s")
    print(
        f"  ours (canonical, schema-validated, sorted, indented)                {ours:.2f} s"
        f"  ratio {ours / compact:.2f}x (target <= 1.0x grafanalib compact)"
    )
    print(
        f"  for reference, grafanalib write_dashboard (sorted, indented)       {raw:.2f} s  ours / it {ours / raw:.2f}x"
    )
