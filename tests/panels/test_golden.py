"""Golden files: each builder's compiled panels, as Grafana would store them.

A change in a builder's output shows up here as a readable JSON diff. After an intended change, regenerate with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/panels/test_golden.py` and review the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from compiler.compile import compile_dashboard
from dashboards.common import dashboard
from panels import bargauge, gauge, heatmap, prom, row, stat, table, text, timeseries
from panels.groups import red, use
from panels.thresholds import count_steps
from signals.slo import API_ERROR_RATIO, API_LATENCY_P95, CERT_EXPIRY_DAYS, RESOURCE_UTILISATION

GOLDEN = Path(__file__).parent / "golden"

BUILDERS = {
    "timeseries": lambda: [
        timeseries(
            "Error ratio",
            prom('sum(rate(x_total{job="a"}[$__rate_interval]))', "{{job}}"),
            unit="percentunit",
            threshold=API_ERROR_RATIO,
            min_=0,
            description="d",
        )
    ],
    "stat": lambda: [stat("Requests", prom("sum(job:http_requests:rate5m)"), unit="reqps", description="d")],
    "gauge": lambda: [
        gauge(
            "CPU",
            prom("max(instance:node_cpu_utilisation:rate5m)"),
            unit="percentunit",
            threshold=RESOURCE_UTILISATION,
            description="d",
        )
    ],
    "bargauge": lambda: [
        bargauge(
            "Cert expiry",
            prom("probe_ssl_earliest_cert_expiry - time()", "{{instance}}"),
            unit="dtdurations",
            threshold=CERT_EXPIRY_DAYS,
            scale=86400,
            description="d",
        )
    ],
    "table": lambda: [
        table(
            "Endpoints",
            [prom("sum by (handler) (job_handler:http_requests:rate5m)", instant=True, table=True)],
            unit="short",
            rename={"Value": "req/s"},
            description="d",
        )
    ],
    "heatmap": lambda: [
        heatmap(
            "Latency", prom("sum by (le) (rate(h_bucket[$__rate_interval]))", heatmap=True), unit="s", description="d"
        )
    ],
    "text": lambda: [text("Read me", "# Hello")],
    "row": lambda: [row("Collapsed", [stat("Inside", prom("up"), unit="none", description="d")], collapsed=True)],
    "red": lambda: red('job="api"'),
    "use_cpu": lambda: use("cpu", 'instance="h1"'),
    "use_disk": lambda: use("disk", 'instance="h1"'),
    "use_network": lambda: use("network", 'instance="h1"'),
    "table_column_units": lambda: [
        table(
            "Endpoints",
            [
                prom("sum by (handler) (job_handler:http_requests:rate5m)", instant=True, table=True),
                prom("max by (handler) (job_handler:http_request_duration_seconds:p95_5m)", instant=True, table=True),
            ],
            unit="short",
            rename={"Value #A": "req/s", "Value #B": "p95"},
            column_units={"req/s": "reqps", "p95": "s"},
            description="d",
        )
    ],
    "stat_count": lambda: [
        stat("Firing", prom("count(ALERTS) or vector(0)"), unit="short", colours=count_steps(), description="d")
    ],
    "timeseries_warning_only": lambda: [
        timeseries(
            "p95",
            prom("job:http_request_duration_seconds:p95_5m"),
            unit="s",
            threshold=API_LATENCY_P95,
            description="d",
        )
    ],
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_matches_golden(name):
    compiled = compile_dashboard(
        dashboard(uid=f"golden-{name}", title=name, description=name, panels=BUILDERS[name]()),
        name=name,
        folder="Golden",
    )
    panels_json = json.dumps(json.loads(compiled.text)["panels"], indent=2, sort_keys=True) + "\n"
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1" and (not path.is_file() or path.read_text() != panels_json):
        path.write_text(panels_json)
        pytest.fail(f"golden {path.name} rewritten: review its diff, then run again without UPDATE_GOLDEN")
    assert path.is_file(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 and review it"
    assert panels_json == path.read_text()
