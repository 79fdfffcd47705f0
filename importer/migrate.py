"""Migrate Grafana's removed panel types to their successors, the way the builders would write them.

`graph` became `timeseries` and `singlestat` became `stat` (Grafana 8); Grafana itself migrates them when a
dashboard is opened, so keeping them in code would only store a form Grafana no longer writes. Each migration
builds the successor with the project's builder from the old panel's settings, then carries over what the panel
had besides (targets, links, repeats, transformations); it returns the new panel and what could not be carried.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grafana_json.serialise import plain
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
    lost = [k for k in ("seriesOverrides", "aliasColors", "thresholds", "alert") if old.get(k)]
    return _carry(old, plain(panel)), lost


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


MIGRATIONS: dict[str, Migration] = {"graph": graph, "singlestat": singlestat}
