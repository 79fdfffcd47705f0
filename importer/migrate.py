"""Migrate Grafana's removed (Angular) panel types to their successors when a dashboard is opened.

Grafana's frontend swaps them on load whatever the schemaVersion (PanelModel.ts `autoMigrateAngular`: graph ->
timeseries, table-old -> table, singlestat and grafana-singlestat-panel -> stat, grafana-piechart-panel ->
piechart, grafana-worldmap-panel -> geomap), so keeping them in code would only store a form Grafana no longer
writes. `graph` and `singlestat` are built with the project's builders from the old panel's settings (a graph's
thresholds as Grafana's timeseries migration turns them into steps); the
piechart follows Grafana's own handler (PieChartMigrations.ts `PieChartPanelChangedHandler`); table-old takes
the schema step v24's table migration. Each carries over what the panel had besides (targets, links, repeats,
transformations) and returns the new panel and what could not be carried.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grafana_json.serialise import plain
from importer.schema_steps import angular_table, clear_before_plugin_change
from panels import stat, timeseries

Migration = Callable[[dict[str, Any]], tuple[dict[str, Any], list[str]]]

KEPT = (
    "id",
    "gridPos",
    "targets",
    "links",
    "repeat",
    "repeatDirection",
    "maxPerRow",
    "transformations",
    "datasource",
    "interval",
    "timeFrom",
    "timeShift",
    "transparent",
    "hideTimeOverride",
    "description",
)

# singlestat/graph-legend reducer names -> field-config reducer ids
REDUCERS = {
    "avg": "mean",
    "current": "lastNotNull",
    "max": "max",
    "min": "min",
    "total": "sum",
    "first": "firstNotNull",
    "last": "last",
    "delta": "delta",
    "range": "range",
    "diff": "diff",
}


def _number(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


def _carry(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = dict(new)
    for key in KEPT:
        if key in old:
            out[key] = old[key]
    return out


def graph(old: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    yaxes = old.get("yaxes") or [{}]
    left = yaxes[0] if isinstance(yaxes[0], dict) else {}
    legend = old.get("legend") or {}
    calcs = (
        tuple(REDUCERS[k] for k in ("avg", "max", "min", "current", "total") if legend.get(k))
        if legend.get("values")
        else ()
    )
    panel = timeseries(
        old.get("title", ""),
        [],
        unit=left.get("format") or "short",
        description=old.get("description", ""),
        stack=bool(old.get("stack")),
        fill=int(old.get("fill", 1)) * 10,
        min_=_number(left.get("min")),
        max_=_number(left.get("max")),
        decimals=old.get("decimals"),
        legend_calcs=calcs,
        bars=bool(old.get("bars")),
    )
    lost = [k for k in ("seriesOverrides", "aliasColors", "alert") if old.get(k)]
    new = _carry(old, plain(panel))
    thresholds = _graph_thresholds(old.get("thresholds"))
    if thresholds:
        steps, mode = thresholds
        defaults = new.setdefault("fieldConfig", {}).setdefault("defaults", {})
        defaults["thresholds"] = {"mode": "absolute", "steps": steps}
        defaults.setdefault("custom", {})["thresholdsStyle"] = {"mode": mode}
    return new, lost


def _threshold_color(threshold: dict[str, Any]) -> Any:
    """timeseries/migrations.ts `getThresholdColor`."""
    mode = threshold.get("colorMode")
    if mode == "warning":
        return "orange"
    if mode == "custom":
        return threshold.get("fillColor") or threshold.get("lineColor")
    return "red"


def _graph_thresholds(old: Any) -> tuple[list[dict[str, Any]], str] | None:
    """timeseries/migrations.ts `graphToTimeseriesOptions` (the thresholds part): sorted by value, a `gt`
    threshold is a step in its colour, an `lt` one colours below it (transparent up to the next `gt`), a
    transparent base step when none starts at -Infinity; drawn as area, line, or both as the old ones were."""
    thresholds = [t for t in old or [] if isinstance(t, dict) and isinstance(t.get("value"), int | float)]
    if not thresholds:
        return None
    ordered = sorted(thresholds, key=lambda t: t["value"])
    steps: list[dict[str, Any]] = []
    area = any(t.get("fill") for t in ordered)
    line = any(t.get("line") for t in ordered)
    for i, threshold in enumerate(ordered):
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        if threshold.get("op") == "gt":
            steps.append({"value": threshold["value"], "color": _threshold_color(threshold)})
        if threshold.get("op") == "lt":
            if not steps:
                steps.append({"value": None, "color": _threshold_color(threshold)})  # -Infinity
            if following and following.get("op") == "lt":
                steps.append({"value": threshold["value"], "color": _threshold_color(following)})
            else:
                steps.append({"value": threshold["value"], "color": "transparent"})
    if steps and steps[0]["value"] is not None:
        steps.insert(0, {"color": "transparent", "value": None})
    mode = "line+area" if line and area else "area" if area else "line"
    return steps, mode


def _singlestat_steps(old: dict[str, Any]) -> list[dict[str, Any]] | None:
    levels = [_number(v) for v in str(old.get("thresholds") or "").split(",") if v.strip()]
    colors = old.get("colors") or []
    if not levels or None in levels or len(colors) != len(levels) + 1:
        return None
    return [
        {"color": colors[0], "value": None},
        *({"color": c, "value": v} for c, v in zip(colors[1:], levels, strict=True)),
    ]


def singlestat(old: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    value_maps = [m for m in old.get("valueMaps") or [] if isinstance(m, dict) and m.get("op", "=") == "="]
    mappings = (
        [
            {
                "type": "value",
                "options": {
                    str(m["value"]): {"text": m.get("text", ""), "index": i}
                    for i, m in enumerate(value_maps)
                    if "value" in m
                },
            }
        ]
        if value_maps
        else []
    )
    panel = plain(
        stat(
            old.get("title", ""),
            [],
            unit=old.get("format") or "none",
            description=old.get("description", ""),
            reduce=REDUCERS.get(old.get("valueName", "avg"), "mean"),
            graph=bool((old.get("sparkline") or {}).get("show")),
            mappings=mappings,
            decimals=old.get("decimals"),
            color_background=bool(old.get("colorBackground")),
        )
    )
    steps = _singlestat_steps(old)
    if steps:
        panel["fieldConfig"]["defaults"]["thresholds"]["steps"] = steps
    lost = [k for k in ("prefix", "postfix") if old.get(k)]
    lost += (
        ["rangeMaps"] if any(m.get("from") != "null" for m in old.get("rangeMaps") or [] if isinstance(m, dict)) else []
    )
    lost += ["gauge"] if (old.get("gauge") or {}).get("show") else []
    return _carry(old, panel), lost


# PieChartMigrations.ts: the old valueName -> the reducer (only these five are mapped; others keep the default).
PIE_REDUCERS = {"current": "lastNotNull", "min": "min", "max": "max", "avg": "mean", "total": "sum"}


def piechart(old: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """PieChartMigrations.ts `PieChartPanelChangedHandler` (from grafana-piechart-panel): alias colours become
    fixed-colour overrides, format and decimals the unit and decimals (0 when unset: the old panel's default),
    legend type and values the legend, `On graph` the labels."""
    overrides = [
        {
            "matcher": {"id": "byName", "options": alias},
            "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": color}}],
        }
        for alias, color in (old.get("aliasColors") or {}).items()
        if color
    ]
    legend: dict[str, Any] = {
        "placement": "right",
        "values": [],
        "displayMode": "table",
        "showLegend": True,
        "calcs": [],
    }
    options: dict[str, Any] = {"legend": legend}
    if old.get("valueName"):
        options["reduceOptions"] = {
            "calcs": [PIE_REDUCERS[old["valueName"]]] if old["valueName"] in PIE_REDUCERS else []
        }
    placement = {"Under graph": "bottom", "Right side": "right"}.get(old.get("legendType", ""))
    if placement:
        legend["placement"] = placement
    if old.get("pieType") in ("pie", "donut"):
        options["pieType"] = old["pieType"]
    old_legend = old.get("legend") if isinstance(old.get("legend"), dict) else {}
    if old_legend:
        if not old_legend.get("show"):
            legend["showLegend"] = False
        if old_legend.get("values"):
            legend["values"].append("value")
        if old_legend.get("percentage"):
            legend["values"].append("percent")
    if old.get("legendType") == "On graph":
        legend["showLegend"] = False
        options["displayLabels"] = ["name"]
        options["displayLabels"] += ["value"] if old_legend.get("values") else []
        options["displayLabels"] += ["percent"] if old_legend.get("percentage") else []
    # The piechart plugin's option defaults (public/app/plugins/panel/piechart/panelcfg.cue), which Grafana
    # fills in when it loads the panel, under what the handler set.
    options = {
        "pieType": "pie",
        "orientation": "auto",
        "tooltip": {"mode": "single", "sort": "none"},
        **options,
        "reduceOptions": {"values": False, "calcs": ["lastNotNull"], "fields": ""} | options.get("reduceOptions", {}),
    }
    panel = {
        "type": "piechart",
        "title": old.get("title", ""),
        "fieldConfig": {
            "defaults": {"unit": old.get("format"), "decimals": old.get("decimals") or 0},
            "overrides": overrides,
        },
        "options": options,
    }
    return _carry(old, panel), []


def table_old(old: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """table-old -> table with the schema step v24's conversion of styles (schema_steps.angular_table)."""
    panel = dict(old)
    angular_table(panel)
    clear_before_plugin_change(panel)
    panel["type"] = "table"
    return panel, []


def worldmap(old: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """grafana-worldmap-panel -> geomap: the panel type and its queries; the map settings do not carry."""
    panel = {"type": "geomap", "title": old.get("title", ""), "options": {}, "fieldConfig": {"defaults": {}}}
    lost = [k for k in ("circleMaxSize", "circleMinSize", "locationData", "mapCenter", "thresholds") if old.get(k)]
    return _carry(old, panel), lost


MIGRATIONS: dict[str, Migration] = {
    "graph": graph,
    "singlestat": singlestat,
    "grafana-singlestat-panel": singlestat,
    "grafana-piechart-panel": piechart,
    "table-old": table_old,
    "grafana-worldmap-panel": worldmap,
}
