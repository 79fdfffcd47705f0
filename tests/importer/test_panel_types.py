"""Every core panel type imports (issue #16): the common ones on the project's builders, the others as faithful
raw panels, each reported by path; and the Angular types Grafana migrates on load arrive migrated as Grafana does
it (PanelModel.ts `autoMigrateAngular`)."""

from __future__ import annotations

import json
from pathlib import Path

from importer.codegen import RAW
from importer.migrate import piechart
from importer.module import generate
from importer.source import normalise
from tests.importer.helpers import compile_module

CORE = [
    "timeseries", "stat", "gauge", "bargauge", "table", "heatmap", "text", "piechart", "barchart", "histogram",
    "state-timeline", "status-history", "logs", "nodeGraph", "traces", "geomap", "canvas", "news", "dashlist",
    "alertlist",
]  # fmt: skip
PROM = {"type": "prometheus", "uid": "${datasource}"}


def _dashboard(types: list[str]) -> dict:
    panels = []
    for i, ptype in enumerate(types):
        panel = {
            "type": ptype,
            "title": f"{ptype} panel",
            "gridPos": {"x": (i % 2) * 12, "y": (i // 2) * 8, "w": 12, "h": 8},
        }
        if ptype not in ("text", "news", "dashlist", "alertlist"):
            panel |= {"datasource": PROM, "targets": [{"refId": "A", "expr": f'up{{panel="{i}"}}', "datasource": PROM}]}
        panels.append(panel)
    return {"title": "Every type", "uid": "every-type", "schemaVersion": 42, "panels": panels}


def test_every_core_panel_type_imports_and_compiles_back(tmp_path: Path) -> None:
    imported = generate(normalise(_dashboard(CORE)), name="every_type", origin="every-type.json")
    (tmp_path / "every_type.py").write_text(imported.text)
    compiled = json.loads(compile_module(tmp_path / "every_type.py", "every_type"))
    assert [p["type"] for p in compiled["panels"]] == CORE
    by_type = {c.type: c.path for c in imported.choices}
    assert set(by_type) == set(CORE)
    assert {t for t, path in by_type.items() if path != RAW} >= {"timeseries", "stat", "gauge", "bargauge", "text"}
    assert by_type["nodeGraph"] == by_type["canvas"] == RAW  # no builder: kept as JSON, and said so
    assert all(f"{c.path:15} {c.type:10}" in "\n".join(imported.summary()) for c in imported.choices)


def test_the_old_piechart_plugin_becomes_the_core_piechart_as_grafana_migrates_it() -> None:
    """PieChartMigrations.ts `PieChartPanelChangedHandler`: alias colours -> fixed-colour overrides, format ->
    unit, decimals default 0, valueName current -> lastNotNull, legend type Under graph -> bottom, legend values
    and percentage -> legend values, donut kept."""
    old = {
        "type": "grafana-piechart-panel",
        "title": "Share",
        "gridPos": {"x": 0, "y": 0, "w": 8, "h": 8},
        "aliasColors": {"GET": "#00ff00"},
        "format": "short",
        "valueName": "current",
        "legendType": "Under graph",
        "legend": {"show": True, "values": True, "percentage": True},
        "pieType": "donut",
        "targets": [{"refId": "A", "expr": "sum by (method) (rate(http_requests_total[5m]))"}],
    }
    new, lost = piechart(old)
    assert lost == []
    assert new["type"] == "piechart" and new["gridPos"] == old["gridPos"] and new["targets"] == old["targets"]
    assert new["fieldConfig"] == {
        "defaults": {"unit": "short", "decimals": 0},
        "overrides": [
            {
                "matcher": {"id": "byName", "options": "GET"},
                "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": "#00ff00"}}],
            }
        ],
    }
    options = new["options"]
    assert options["reduceOptions"]["calcs"] == ["lastNotNull"] and options["pieType"] == "donut"
    assert options["legend"] == {
        "placement": "bottom",
        "values": ["value", "percent"],
        "displayMode": "table",
        "showLegend": True,
        "calcs": [],
    }


def test_an_old_dashboard_with_angular_panels_imports_with_each_migration_reported() -> None:
    """graph, singlestat (schema step v28), table-old, grafana-piechart-panel and grafana-worldmap-panel:
    each arrives as its successor, and the report names each migration."""
    old = _dashboard(["graph", "singlestat", "table-old", "grafana-piechart-panel", "grafana-worldmap-panel"])
    old["schemaVersion"] = 27
    source = normalise(old)
    assert [p["type"] for p in source.dashboard["panels"]] == ["timeseries", "stat", "table", "piechart", "geomap"]
    notes = "\n".join(source.notes)
    for before in ("graph", "singlestat", "table-old", "grafana-piechart-panel", "grafana-worldmap-panel"):
        assert f"migrated {before} -> " in notes
    generate(source, name="angular", origin="angular.json")  # and it compiles back exactly


def test_a_graphs_thresholds_become_timeseries_steps_as_grafana_migrates_them() -> None:
    """timeseries/migrations.ts `graphToTimeseriesOptions` (thresholds) and `getThresholdColor`: sorted by value;
    `gt` -> a step in its colour (critical red, warning orange, custom its fill colour); a transparent base; fill
    and line -> line+area."""
    from importer.migrate import graph

    old = {
        "type": "graph",
        "title": "Latency",
        "yaxes": [{"format": "s"}, {}],
        "thresholds": [
            {"value": 2, "op": "gt", "colorMode": "critical", "fill": True, "line": True},
            {"value": 1, "op": "gt", "colorMode": "warning", "fill": True, "line": False},
            {"value": 3, "op": "gt", "colorMode": "custom", "fillColor": "#123456", "line": True},
        ],
        "targets": [{"refId": "A", "expr": "up"}],
    }
    new, lost = graph(old)
    assert "thresholds" not in lost
    defaults = new["fieldConfig"]["defaults"]
    assert defaults["thresholds"] == {
        "mode": "absolute",
        "steps": [
            {"color": "transparent", "value": None},
            {"value": 1, "color": "orange"},
            {"value": 2, "color": "red"},
            {"value": 3, "color": "#123456"},
        ],
    }
    assert defaults["custom"]["thresholdsStyle"] == {"mode": "line+area"}
