"""Rules about one panel: title, description, unit, datasource, type and place on the grid."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from grafana_json.schema import CUSTOM_UNIT_PREFIXES
from lint.context import Context
from lint.model import GRID_COLUMNS, LAYOUT_TYPES, Dashboard, Panel, datasource_variable, is_mixed
from lint.rules.grid import number_problems

Issue = tuple[str, str]

# Angular panels: removed in Grafana 12 (angular support off by default since 11). Core ones first, then the
# popular angular plugins of grafana.com dashboards.
DEPRECATED_TYPES: dict[str, str] = {
    "graph": "timeseries",
    "singlestat": "stat",
    "table-old": "table",
    "grafana-singlestat-panel": "stat",
    "grafana-piechart-panel": "piechart",
    "grafana-worldmap-panel": "geomap",
    "natel-discrete-panel": "state-timeline",
    "grafana-clock-panel": "a text or stat panel",
    "michaeldmoore-annunciator-panel": "stat",
    "briangann-gauge-panel": "gauge",
    "vonage-status-panel": "stat",
    "flant-statusmap-panel": "state-timeline",
    "btplc-status-dot-panel": "stat",
    "neocat-cal-heatmap-panel": "heatmap",
}
# Panels that draw numbers and so need a unit; where each keeps it.
NUMERIC_TYPES = frozenset(
    {
        "timeseries",
        "stat",
        "gauge",
        "bargauge",
        "graph",
        "singlestat",
        "barchart",
        "histogram",
        "trend",
        "xychart",
    }
)


def _is_row(p: Panel) -> bool:
    return p.type == "row"


def title(p: Panel, d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """An untitled panel cannot be found, linked or discussed."""
    t = p.raw.get("title")
    if not isinstance(t, str):
        yield p.title, f"title is {t!r}, not a string" if t is not None else "panel has no title"
    elif not t.strip():
        yield p.title, "panel has an empty title"


def description(p: Panel, d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """The description is the (i) tooltip: what the panel means and what to do when it looks wrong."""
    if _is_row(p):
        return
    text = p.raw.get("description")
    if not isinstance(text, str) or not text.strip():
        yield p.title, "panel has no description"


def _unit(p: Panel) -> tuple[bool, Any]:
    """(where a unit was looked for, the unit found) for the panel's type."""
    if p.type == "graph":
        axes = p.raw.get("yaxes")
        first = axes[0] if isinstance(axes, list) and axes and isinstance(axes[0], dict) else {}
        return True, first.get("format")
    if p.type == "singlestat":
        return True, p.raw.get("format")
    fc = p.raw.get("fieldConfig")
    defaults = fc.get("defaults") if isinstance(fc, dict) else None
    return True, defaults.get("unit") if isinstance(defaults, dict) else None


def unit(p: Panel, d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """A number without a unit is a guess: 0.05 of what? Units must be ids Grafana knows, or it shows raw."""
    if p.type not in NUMERIC_TYPES:
        return
    _, u = _unit(p)
    if u is None or u == "":
        yield p.title, "panel shows numbers but has no unit"
    elif not isinstance(u, str):
        yield p.title, f"unit {u!r} is not a string"
    elif u not in ctx.known_units and not u.startswith(CUSTOM_UNIT_PREFIXES):
        yield p.title, f"unit {u!r} is not a unit Grafana knows"


def datasource(p: Panel, d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """A panel pinned to one datasource ignores the dashboard's datasource variable."""
    if _is_row(p) or p.type in LAYOUT_TYPES or not p.targets:
        return
    ref = p.raw.get("datasource")
    if is_mixed(ref):
        return
    name = datasource_variable(ref)
    known = d.datasource_variables()
    if name is None:
        yield p.title, f"panel datasource {ref!r} is not a datasource template variable"
    elif name not in known:
        yield p.title, f"panel datasource ${name} is not a datasource template variable of this dashboard"


def deprecated_type(p: Panel, d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """Angular panels stop rendering in Grafana 12; their JSON must be migrated, not kept."""
    if p.type in DEPRECATED_TYPES:
        yield p.title, f"panel type {p.type!r} is deprecated (angular); use {DEPRECATED_TYPES[p.type]}"
    elif "type" in p.raw and not isinstance(p.raw["type"], str):
        yield p.title, f"panel type is {p.raw['type']!r}, not a string"
    elif "type" not in p.raw and not p.in_rows_layout:
        yield p.title, "panel has no type"


def grid(p: Panel, d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """Every panel sits on Grafana's 24-column grid; a panel wider than the grid is cut or reflowed."""
    if p.in_rows_layout:
        span = p.raw.get("span")
        if span is None:
            return
        if isinstance(span, bool) or not isinstance(span, int | float):
            yield p.title, f"span is {span!r}, not a number"
        elif not 0 < span <= 12:
            yield p.title, f"span {span} is outside the 12-column row (1..12)"
        return
    problems = number_problems(p.raw.get("gridPos"))
    if problems:
        yield p.title, "; ".join(problems)
        return
    g = p.raw["gridPos"]
    x, w, h = g["x"], g["w"], g["h"]
    if w <= 0 or h <= 0 or x < 0 or g["y"] < 0:
        yield p.title, f"gridPos {g} has a negative position or an empty size"
    elif x + w > GRID_COLUMNS:
        yield p.title, f"panel is wider than the grid: x={x} + w={w} > {GRID_COLUMNS}"
