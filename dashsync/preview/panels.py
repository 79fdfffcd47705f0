"""Each panel type as Grafana draws it, made into HTML plus, for charts, a uPlot specification the page's script
draws. Pure: a panel, its data and its box in, a View out.

Types: timeseries (lines/bars/points, stacking normal/percent, fill, threshold lines and areas per
fieldConfig.defaults.custom.thresholdsStyle, legend list/table with calcs), stat (reduced value coloured by
threshold, colorMode value/background, sparkline when graphMode is "area"), gauge (arc, threshold markers),
bargauge (one bar per series), table (instant queries, merge/organize), heatmap (de-accumulated `le` buckets,
the configured scheme), text (markdown, with raw HTML escaped: dashboards come from pull requests and the page
is opened by reviewers), row (a title bar; a collapsed one says how many panels it hides). Any other type is a
labelled placeholder, never dropped. "No data" (or fieldConfig.defaults.noValue) is shown where Grafana shows it;
a query Prometheus rejected puts Grafana's red corner mark on the panel and, since a picture has no tooltip,
the message in the panel body.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt

from . import axes, colors, frames, units
from .layout import Box, Placed
from .queries import PanelData, Series

HEADER = 32  # PanelChrome header height, px
PAD = 8
NO_DATA = "No data"
CHART_TYPES = ("timeseries", "stat", "gauge", "bargauge", "table", "heatmap", "text", "row")
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


@dataclass(frozen=True)
class View:
    """What one panel shows. state: ok | nodata | error | placeholder | row | collapsed."""

    state: str
    body: str
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    series: int = 0  # series drawn (a timeseries counts an all-NaN series too, as Grafana draws its legend)
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    key: str  # unique per panel on the page (chart ids derive from it)
    start: float
    end: float
    now_ms: float


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _defaults(panel: dict[str, Any]) -> dict[str, Any]:
    return ((panel.get("fieldConfig") or {}).get("defaults")) or {}


def _custom(panel: dict[str, Any]) -> dict[str, Any]:
    return _defaults(panel).get("custom") or {}


def _fmt(panel: dict[str, Any], value: float | None, ctx: Context, unit: str | None = None) -> str:
    d = _defaults(panel)
    decimals = d.get("decimals") if isinstance(d.get("decimals"), int) else None
    return units.format_value(value, unit if unit is not None else d.get("unit"), decimals, ctx.now_ms)


def _no_data(panel: dict[str, Any]) -> str:
    return _e(_defaults(panel).get("noValue") or NO_DATA)


def _nonempty(series: Sequence[Series]) -> list[Series]:
    return [s for s in series if any(v is not None for v in s.values)]


def _calc(panel: dict[str, Any]) -> str:
    calcs = ((panel.get("options") or {}).get("reduceOptions") or {}).get("calcs") or ["lastNotNull"]
    return str(calcs[0])


def _error_box(errors: Sequence[str]) -> str:
    return "".join(f'<div class="query-error">{_e(err)}</div>' for err in errors)


def _legend_rows(panel: dict[str, Any], shown: list[tuple[Series, str]], ctx: Context) -> tuple[str, int]:
    legend = (panel.get("options") or {}).get("legend") or {}
    if legend.get("showLegend") is False or legend.get("displayMode") == "hidden" or not shown:
        return "", 0
    calcs = [str(c) for c in legend.get("calcs") or []]
    if legend.get("displayMode") == "table":
        head = "".join(f"<th>{_e(frames.CALC_NAMES.get(c, c))}</th>" for c in calcs)
        rows = []
        for s, colour in shown:
            cells = "".join(f"<td>{_e(_fmt(panel, frames.reduce(s.values, c), ctx))}</td>" for c in calcs)
            rows.append(f'<tr><td><i style="background:{colour}"></i>{_e(s.name)}</td>{cells}</tr>')
        table = f'<table class="legend-table"><tr><th></th>{head}</tr>{"".join(rows)}</table>'
        return f'<div class="legend">{table}</div>', 22 * (len(shown) + 1) + 4
    items = []
    for s, colour in shown:
        extra = " ".join(
            f"{frames.CALC_NAMES.get(c, c)}: {_fmt(panel, frames.reduce(s.values, c), ctx)}" for c in calcs
        )
        items.append(
            f'<span class="item"><i style="background:{colour}"></i>{_e(s.name)}'
            f"{' ' + _e(extra) if extra else ''}</span>"
        )
    return f'<div class="legend">{"".join(items)}</div>', 0  # height measured below


def _list_height(names: Sequence[str], width: int) -> int:
    """Lines a wrapped legend list needs at ~7 px per character plus swatch and gap."""
    lines, used = 1, 0
    for name in names:
        need = 7 * len(name) + 32
        if used and used + need > width:
            lines, used = lines + 1, 0
        used += need
    return lines * 20 + 4


def timeseries(panel: dict[str, Any], data: PanelData, b: Box, ctx: Context) -> View:
    series = [s for s in data.series]
    custom = _custom(panel)
    body_w, body_h = b.width - 2 * PAD, b.height - HEADER - PAD
    if (
        not series
    ):  # a series of only NaN/null is still drawn, empty, with its legend (GraphNG/utils.ts prepareGraphableFields)
        return _empty(panel, data)
    start, end = (data.requests[0].start, data.requests[0].end) if data.requests else (ctx.start, ctx.end)
    grid = frames.time_grid(series, start, end, data.step or 1)
    columns = [frames.on_grid(s, grid) for s in series]
    stacking = (custom.get("stacking") or {}).get("mode") or "none"
    drawn = frames.stacked(columns, percent=stacking == "percent") if stacking in ("normal", "percent") else columns
    d = _defaults(panel)
    flat = [v for col in drawn for v in col if v is not None] or [0.0, 1.0]
    unit = "percentunit" if stacking == "percent" else d.get("unit")
    hard_min = d.get("min") if isinstance(d.get("min"), int | float) else (0.0 if stacking == "percent" else None)
    hard_max = d.get("max") if isinstance(d.get("max"), int | float) else (1.0 if stacking == "percent" else None)
    lo, hi = axes.range_num(min(flat), max(flat), hard_min, hard_max)
    steps = colors.steps(d)
    t_mode = (custom.get("thresholdsStyle") or {}).get("mode") or "off"
    if t_mode != "off":  # threshold lines must be in view, as Grafana widens the range for them
        limits = [float(v) for v, _ in steps if v is not None]
        if limits and hard_max is None:
            lo, hi = axes.range_num(min(min(flat), *limits), max(max(flat), *limits), hard_min, hard_max)
    opacity = float(custom.get("fillOpacity") or 0) / 100
    shown = []
    specs = []
    for i, (s, col) in enumerate(zip(series, drawn, strict=True)):
        colour = colors.series_colour(d, i, frames.reduce(s.values, "lastNotNull"))
        shown.append((s, colour))
        specs.append(
            {
                "label": s.name,
                "color": colour,
                "values": col,
                "fill": colors.with_alpha(colour, opacity) if opacity or stacking != "none" else None,
                "width": float(custom.get("lineWidth") if custom.get("lineWidth") is not None else 1),
                "style": custom.get("drawStyle") or "line",
                "smooth": custom.get("lineInterpolation") == "smooth",
                "points": custom.get("showPoints") == "always",
                "spanNulls": custom.get("spanNulls") is True,
            }
        )
    bands = [[i + 1, i] for i in range(1, len(specs))] if stacking != "none" else []
    legend, legend_h = _legend_rows(panel, shown, ctx)
    if legend and not legend_h:
        legend_h = min(_list_height([s.name for s, _ in shown], body_w), body_h // 3)
    chart_h = max(40, body_h - legend_h)
    key = f"{ctx.key}-ts"
    spec = {
        "kind": "timeseries",
        "width": body_w,
        "height": chart_h,
        "x": grid,
        "xRange": [start, end],
        "series": specs,
        "bands": bands,
        "yRange": [lo, hi],
        "yTicks": [t.as_json() for t in axes.value_ticks(lo, hi, unit, d.get("decimals"))],
        "xTicks": [t.as_json() for t in axes.time_ticks(start, end)],
        "thresholds": {"mode": t_mode, "steps": [[v, c] for v, c in steps]},
    }
    body = f'<div class="chart" id="{key}" style="height:{chart_h}px"></div>'
    if legend:
        body += f'<div class="legend-box" style="height:{legend_h}px">{legend}</div>'
    return View(_state(data), _errors_line(data) + body, {key: spec}, len(series), data.errors)


def _state(data: PanelData) -> str:
    return "error" if data.errors else "ok"


def _errors_line(data: PanelData) -> str:
    return _error_box(data.errors) if data.errors else ""


def _empty(panel: dict[str, Any], data: PanelData) -> View:
    if data.errors and not data.series:
        return View("error", _error_box(data.errors), errors=data.errors)
    return View(
        "error" if data.errors else "nodata",
        _errors_line(data) + f'<div class="no-data">{_no_data(panel)}</div>',
        errors=data.errors,
    )


def _font(text: str, width: float, height: float, maximum: float = 64) -> int:
    """A value's font size: as large as fits (Grafana's BigValue sizes the text to its box)."""
    by_width = width / max(1, len(text)) / 0.66  # digits of the sans-serif fonts are about 0.64 em wide
    return int(max(10, min(maximum, by_width, height * 0.7)))


def stat(panel: dict[str, Any], data: PanelData, b: Box, ctx: Context) -> View:
    series = _nonempty(data.series)
    if not series:
        return _empty(panel, data)
    opts = panel.get("options") or {}
    d = _defaults(panel)
    body_w, body_h = b.width - 2 * PAD, b.height - HEADER - PAD
    horizontal = opts.get("orientation") == "horizontal" or (
        opts.get("orientation") in (None, "auto") and body_w >= body_h
    )
    n = len(series)
    cell_w, cell_h = (body_w / n, body_h) if horizontal and n > 1 else (body_w, body_h / n)
    cells, charts = [], {}
    text_mode = opts.get("textMode") or "auto"
    for i, s in enumerate(series):
        value = frames.reduce(s.values, _calc(panel))
        colour = (
            colors.threshold_colour(value, d)
            if (d.get("color") or {}).get("mode") in (None, "thresholds")
            else colors.series_colour(d, i, value)
        )
        text = _fmt(panel, value, ctx) if value is not None else _no_data(panel)
        show_name = text_mode in ("name", "value_and_name") or (text_mode == "auto" and n > 1)
        mode = opts.get("colorMode") or "value"
        style = f"width:{cell_w:.0f}px;height:{cell_h:.0f}px"
        style += f";background:{colour}" if mode == "background" else ""
        value_style = f"color:{colour}" if mode == "value" else "color:#fff" if mode == "background" else ""
        name_h = 18 if show_name else 0
        size = _font(text, cell_w - 8, cell_h - name_h)
        spark = ""
        if opts.get("graphMode") == "area" and len(s.values) > 1 and cell_h > 40:
            key = f"{ctx.key}-spark{i}"
            grid = [t for t in s.times]
            present = [v for v in s.values if v is not None]
            lo, hi = min(present), max(present)
            if isinstance(d.get("min"), int | float):
                lo = float(d["min"])
            if isinstance(d.get("max"), int | float):
                hi = float(d["max"])
            charts[key] = {
                "kind": "sparkline",
                "width": int(cell_w),
                "height": int(cell_h * 0.5),
                "x": grid,
                "values": list(s.values),
                "yRange": [lo, hi if hi > lo else lo + 1],
                "color": "rgba(255,255,255,0.5)" if mode == "background" else colour,
                "fill": "rgba(255,255,255,0.2)" if mode == "background" else colors.with_alpha(colour, 0.2),
            }
            spark = f'<div class="spark" id="{key}"></div>'
        name_size = _font(s.name, cell_w - 8, 18, 12)
        name = f'<div class="stat-name" style="font-size:{name_size}px">{_e(s.name)}</div>' if show_name else ""
        cells.append(
            f'<div class="stat" style="{style}">{spark}{name}'
            f'<div class="stat-value" style="{value_style};font-size:{size}px">{_e(text)}</div></div>'
        )
    wrap = "stat-row" if horizontal else "stat-col"
    return View(
        _state(data),
        _errors_line(data) + f'<div class="{wrap}">{"".join(cells)}</div>',
        charts,
        len(series),
        data.errors,
    )


def _min_max(panel: dict[str, Any], values: Sequence[float]) -> tuple[float, float]:
    """fieldConfig min/max, else 0..100 for percent, 0..1 for percentunit, else 0..the largest value."""
    d = _defaults(panel)
    unit = d.get("unit")
    lo = float(d["min"]) if isinstance(d.get("min"), int | float) else min([0.0, *values])
    default_hi = 100.0 if unit == "percent" else 1.0 if unit == "percentunit" else max([*values, lo + 1])
    hi = float(d["max"]) if isinstance(d.get("max"), int | float) else default_hi
    return lo, hi if hi > lo else lo + 1


def _arc(cx: float, cy: float, r: float, a0: float, a1: float) -> str:
    x0, y0 = cx + r * math.cos(a0), cy + r * math.sin(a0)
    x1, y1 = cx + r * math.cos(a1), cy + r * math.sin(a1)
    large = 1 if a1 - a0 > math.pi else 0
    return f"M{x0:.1f},{y0:.1f} A{r:.1f},{r:.1f} 0 {large} 1 {x1:.1f},{y1:.1f}"


def gauge(panel: dict[str, Any], data: PanelData, b: Box, ctx: Context) -> View:
    series = _nonempty(data.series)
    if not series:
        return _empty(panel, data)
    d = _defaults(panel)
    opts = panel.get("options") or {}
    body_w, body_h = b.width - 2 * PAD, b.height - HEADER - PAD
    values = [frames.reduce(s.values, _calc(panel)) for s in series]
    lo, hi = _min_max(panel, [v for v in values if v is not None])
    n = len(series)
    cell_w = body_w / n
    parts = []
    start, sweep = math.radians(150), math.radians(240)
    for s, value in zip(series, values, strict=True):
        size = min(cell_w, body_h * 1.15)
        r = size * 0.38
        cx, cy = cell_w / 2, min(body_h / 2 + r * 0.15, body_h - r * 0.3)
        frac = 0.0 if value is None else min(max((value - lo) / (hi - lo), 0.0), 1.0)
        colour = colors.threshold_colour(value, d, lo, hi)
        width = max(4.0, r * 0.22)
        svg = [f'<svg width="{cell_w:.0f}" height="{body_h:.0f}" class="gauge">']
        svg.append(
            f'<path d="{_arc(cx, cy, r, start, start + sweep)}" stroke="rgba(204,204,220,0.12)" '
            f'stroke-width="{width:.1f}" fill="none"/>'
        )
        if frac > 0:
            svg.append(
                f'<path d="{_arc(cx, cy, r, start, start + sweep * frac)}" stroke="{colour}" '
                f'stroke-width="{width:.1f}" fill="none"/>'
            )
        if opts.get("showThresholdMarkers", True):
            found = colors.steps(d)
            for i, (limit, c) in enumerate(found):
                a = lo if limit is None else float(limit)
                b_next = hi if i + 1 >= len(found) else float(found[i + 1][0] or lo)
                f0 = min(max((a - lo) / (hi - lo), 0), 1)
                f1 = min(max((b_next - lo) / (hi - lo), 0), 1)
                if f1 > f0:
                    svg.append(
                        f'<path d="{_arc(cx, cy, r + width * 0.9, start + sweep * f0, start + sweep * f1)}" '
                        f'stroke="{c}" stroke-width="{max(2.0, width * 0.25):.1f}" fill="none"/>'
                    )
        text = _fmt(panel, value, ctx) if value is not None else _no_data(panel)
        font = _font(text, r * 1.4, r * 0.8, 48)
        svg.append(
            f'<text x="{cx:.1f}" y="{cy + font * 0.35:.1f}" fill="{colour}" font-size="{font}" '
            f'text-anchor="middle" class="gauge-value">{_e(text)}</text>'
        )
        if n > 1:
            svg.append(
                f'<text x="{cx:.1f}" y="{body_h - 4:.0f}" fill="#ccccdc" font-size="12" '
                f'text-anchor="middle">{_e(s.name)}</text>'
            )
        svg.append("</svg>")
        parts.append("".join(svg))
    return View(_state(data), _errors_line(data) + f'<div class="stat-row">{"".join(parts)}</div>', {}, n, data.errors)


def bargauge(panel: dict[str, Any], data: PanelData, b: Box, ctx: Context) -> View:
    series = _nonempty(data.series)
    if not series:
        return _empty(panel, data)
    d = _defaults(panel)
    opts = panel.get("options") or {}
    values = [frames.reduce(s.values, _calc(panel)) for s in series]
    lo, hi = _min_max(panel, [v for v in values if v is not None])
    body_h = b.height - HEADER - PAD
    row_h = max(14, min(40, body_h / len(series) - 6))
    rows = []
    mode = opts.get("displayMode") or "gradient"
    for s, value in zip(series, values, strict=True):
        frac = 0.0 if value is None else min(max((value - lo) / (hi - lo), 0.0), 1.0)
        colour = colors.threshold_colour(value, d, lo, hi)
        if mode == "gradient":
            stops = [c for v, c in colors.steps(d) if v is None or float(v) <= (value or 0)]
            fill = f"linear-gradient(90deg,{','.join(colors.with_alpha(c, 0.7) for c in stops or [colour])},{colour})"
        elif mode == "lcd":
            fill = f"repeating-linear-gradient(90deg,{colour} 0 8px,transparent 8px 11px)"
        else:
            fill = colour
        unfilled = ' style="background:rgba(204,204,220,0.07)"' if opts.get("showUnfilled", True) else ""
        shown = _fmt(panel, value, ctx) if value is not None else _no_data(panel)
        rows.append(
            f'<div class="bar" style="height:{row_h:.0f}px"><span class="bar-name">{_e(s.name)}</span>'
            f'<span class="bar-track"{unfilled}><span class="bar-fill" '
            f'style="width:{frac * 100:.1f}%;background:{fill}"></span></span>'
            f'<span class="bar-value" style="color:{colour}">{_e(shown)}</span></div>'
        )
    return View(
        _state(data), _errors_line(data) + f'<div class="bars">{"".join(rows)}</div>', {}, len(series), data.errors
    )


def _column_unit(panel: dict[str, Any], column: str) -> str | None:
    for o in (panel.get("fieldConfig") or {}).get("overrides") or []:
        matcher = o.get("matcher") or {}
        if matcher.get("id") == "byName" and matcher.get("options") == column:
            for p in o.get("properties") or []:
                if p.get("id") == "unit":
                    return str(p.get("value"))
    return _defaults(panel).get("unit")


def table(panel: dict[str, Any], data: PanelData, b: Box, ctx: Context) -> View:
    series = _nonempty(data.series)
    if not series:
        return _empty(panel, data)
    refs = [r.ref_id for r in data.requests]
    found = frames.table(series, panel.get("transformations") or [], refs)
    head = "".join(f"<th>{_e(c)}</th>" for c in found.columns)
    body_rows = []
    for row in found.rows[:200]:
        cells = []
        for column, numeric, value in zip(found.columns, found.numeric, row, strict=True):
            if column == "Time" and isinstance(value, int | float):
                cells.append(f"<td>{_e(units.format_time(value, 'YYYY-MM-DD HH:mm:ss'))}</td>")
            elif numeric and isinstance(value, int | float):
                cells.append(f'<td class="num">{_e(_fmt(panel, value, ctx, _column_unit(panel, column)))}</td>')
            else:
                cells.append(f"<td>{_e('' if value is None else value)}</td>")
        body_rows.append(f"<tr>{''.join(cells)}</tr>")
    markup = f'<div class="table-box"><table class="grid-table"><tr>{head}</tr>{"".join(body_rows)}</table></div>'
    return View(_state(data), _errors_line(data) + markup, {}, len(series), data.errors)


def heatmap(panel: dict[str, Any], data: PanelData, b: Box, ctx: Context) -> View:
    series = _nonempty(data.series)
    if not series:
        return _empty(panel, data)
    opts = panel.get("options") or {}
    colour = opts.get("color") or {}
    start, end = (data.requests[0].start, data.requests[0].end) if data.requests else (ctx.start, ctx.end)
    grid = frames.time_grid(series, start, end, data.step or 1)
    hm = frames.heatmap(series, grid)
    peak = max((c for row in hm.counts for c in row if c is not None), default=0.0) or 1.0
    levels = int(colour.get("steps") or 64)
    exponent = float(colour.get("exponent") or 0.5)
    palette = [colors.scheme(str(colour.get("scheme") or "Oranges"), i / max(1, levels - 1)) for i in range(levels)]
    cells = [
        [None if c is None or c <= 0 else min(levels - 1, int(((c / peak) ** exponent) * (levels - 1))) for c in row]
        for row in hm.counts
    ]
    y_unit = (opts.get("yAxis") or {}).get("unit") or _defaults(panel).get("unit")
    labels = []
    for le in hm.buckets:
        try:
            labels.append(units.format_value(float(le), y_unit) if le not in ("+Inf", "Inf") else "+Inf")
        except ValueError:
            labels.append(le)
    body_w, body_h = b.width - 2 * PAD, b.height - HEADER - PAD
    key = f"{ctx.key}-hm"
    spec = {
        "kind": "heatmap",
        "width": body_w,
        "height": body_h,
        "x": list(hm.times),
        "xRange": [start, end],
        "step": data.step,
        "buckets": labels,
        "cells": cells,
        "palette": palette,
        "xTicks": [t.as_json() for t in axes.time_ticks(start, end)],
    }
    return View(
        _state(data),
        _errors_line(data) + f'<div class="chart" id="{key}"></div>',
        {key: spec},
        len(series),
        data.errors,
    )


def text_panel(panel: dict[str, Any], content: str) -> View:
    opts = panel.get("options") or {}
    mode = opts.get("mode") or "markdown"
    if mode == "markdown":
        return View("ok", f'<div class="markdown">{_MARKDOWN.render(content)}</div>')
    note = "" if mode == "code" else '<div class="note">HTML content, shown as source</div>'
    return View("ok", f'{note}<pre class="code">{_e(content)}</pre>')


def placeholder(panel: dict[str, Any], reason: str) -> View:
    return View("placeholder", f'<div class="placeholder">{_e(reason)}</div>')


def row_bar(item: Placed, title: str) -> View:
    """DashboardRow.tsx: the title (interpolated as text), and for a collapsed row "(N panel/panels)"."""
    if item.hidden:
        count = f"{item.hidden} panel{'' if item.hidden == 1 else 's'}"
        return View(
            "collapsed", f'<span class="chevron">&#9656;</span> {_e(title)} <span class="count">({count})</span>'
        )
    return View("row", f'<span class="chevron">&#9662;</span> {_e(title)}')


RENDERERS = {
    "timeseries": timeseries,
    "stat": stat,
    "gauge": gauge,
    "bargauge": bargauge,
    "table": table,
    "heatmap": heatmap,
}
