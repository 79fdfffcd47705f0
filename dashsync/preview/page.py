"""The preview page: one self-contained HTML file, uPlot and every chart's data inlined, nothing fetched at view time.

Why inline everything: the page is a pull-request artefact and a reviewer's local file; it must open from disk,
offline, years later, exactly as rendered. So uPlot's JS and CSS (vendor/uplot, see ORIGIN.md) are embedded,
the charts' specifications are one JSON script element, and the page's own script draws them with uPlot.

The look is Grafana's dark theme (packages/grafana-data/src/themes/createColors.ts: background canvas #111217,
panel #181b1f, text #ccccdc, border rgba(204,204,220,0.12)); the panel chrome is PanelChrome's (a 32 px header
with the title; a query error as a red corner mark). Panels are absolutely positioned at the pixel boxes
layout.box computed from gridPos, so the page's geometry is the dashboard's.

The DOM is the contract with the browser test: every panel is a `section.panel` carrying data-key, data-panel-id,
data-type, data-state (ok, nodata, error, placeholder, row, collapsed) and data-series; every chart a `div.chart`
or `div.spark` the script fills and marks with data-points (the non-null points it drew); when every chart is
drawn the root element gets data-drawn (the number of charts).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .layout import Box
from .panels import View

VENDOR = Path(__file__).resolve().parent / "vendor" / "uplot"
HEADER_HEIGHT = 76  # the page's own header: dashboard title, time range, variables
GUTTER = 16  # around the grid, px


@dataclass(frozen=True)
class PanelMarkup:
    key: str
    panel_id: str
    title: str
    kind: str
    box: Box
    view: View
    repeated: bool


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no "</" can close it early."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


def _utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _panel(p: PanelMarkup) -> str:
    b = p.box
    style = f"left:{b.left}px;top:{b.top}px;width:{b.width}px;height:{b.height}px"
    attrs = (
        f'data-key="{_e(p.key)}" data-panel-id="{_e(p.panel_id)}" data-type="{_e(p.kind)}" '
        f'data-state="{_e(p.view.state)}" data-series="{p.view.series}" data-title="{_e(p.title)}"'
    )
    if p.view.state in ("row", "collapsed"):
        return f'<section class="panel row-bar" {attrs} style="{style}">{p.view.body}</section>'
    corner = ""
    if p.view.errors:
        corner = f'<span class="error-corner" title="{_e("; ".join(p.view.errors))}">!</span>'
    return (
        f'<section class="panel" {attrs} style="{style}">{corner}'
        f'<header class="panel-title">{_e(p.title)}</header><div class="panel-body">{p.view.body}</div></section>'
    )


def page_height(grid_height: int) -> int:
    return HEADER_HEIGHT + grid_height + 2 * GUTTER


def assemble(header: dict[str, Any], items: list[PanelMarkup], width: int, grid_height: int) -> tuple[str, int]:
    """The whole page and its height in px (the screenshot's window height)."""
    charts: dict[str, Any] = {}
    for item in items:
        charts.update(item.view.charts)
    variables = " ".join(f'<span class="var"><b>{_e(n)}</b> {_e(v)}</span>' for n, v in header["variables"])
    source = f" · data from {_e(header['source'])}" if header.get("source") else ""
    height = page_height(grid_height)
    head = (
        f'<header class="dash-header"><h1>{_e(header["title"])}</h1>'
        f'<div class="range">{_e(header["from"])} to {_e(header["to"])} '
        f"({_e(_utc(header['start']))} to {_e(_utc(header['end']))} UTC){source}</div>"
        f'<div class="vars">{variables}</div></header>'
    )
    grid = (
        f'<main class="grid" style="width:{width}px;height:{grid_height}px">{"".join(_panel(i) for i in items)}</main>'
    )
    uplot_css = (VENDOR / "uPlot.min.css").read_text(encoding="utf-8")
    uplot_js = (VENDOR / "uPlot.iife.min.js").read_text(encoding="utf-8")
    text = (
        "<!doctype html>\n"
        f'<html lang="en" data-uid="{_e(header["uid"])}"><head><meta charset="utf-8">'
        f"<title>{_e(header['title'])} · preview</title>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">"
        f"<style>{uplot_css}</style><style>{CSS}</style></head>"
        f'<body style="width:{width + 2 * GUTTER}px;min-height:{height}px">{head}{grid}'
        f'<script type="application/json" id="chart-specs">{_script_json(charts)}</script>'
        f"<script>{uplot_js}</script><script>{SCRIPT}</script></body></html>\n"
    )
    return text, height


CSS = """
*{box-sizing:border-box}
html,body{margin:0;background:#111217;color:#ccccdc;font:12px/1.4 Inter,"Helvetica Neue",Arial,sans-serif}
body{padding:0 16px 16px}
.dash-header{height:76px;padding:10px 0 0;overflow:hidden}
.dash-header h1{margin:0;font-size:18px;font-weight:500;color:#fff}
.dash-header .range{color:#8e8e9a;margin-top:2px}
.dash-header .vars{margin-top:2px;white-space:nowrap;overflow:hidden}
.var{margin-right:12px;color:#ccccdc}.var b{color:#8e8e9a;font-weight:500;margin-right:4px}
.grid{position:relative}
.panel{position:absolute;background:#181b1f;border:1px solid rgba(204,204,220,0.12);border-radius:2px;overflow:hidden}
.panel-title{height:32px;line-height:32px;padding:0 8px;font-size:14px;font-weight:500;color:#ccccdc;
 white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.panel-body{position:absolute;left:8px;right:8px;top:32px;bottom:8px;overflow:hidden}
.row-bar{background:transparent;border:0;font-size:16px;font-weight:500;color:#ccccdc;line-height:30px;padding:0 4px}
.row-bar .count{color:#8e8e9a;font-size:12px}
.error-corner{position:absolute;left:0;top:0;width:0;height:0;border-top:30px solid #d10e5c;
 border-right:30px solid transparent;z-index:2;font-size:0}
.error-corner::after{content:"!";position:absolute;left:5px;top:-29px;color:#fff;font-size:13px;font-weight:700}
.panel[data-state="error"] .panel-title{padding-left:28px}
.query-error{color:#ff7383;background:rgba(209,14,92,0.12);padding:4px 6px;margin-bottom:4px;font-size:11px;
 white-space:pre-wrap;word-break:break-word;max-height:60px;overflow:hidden}
.no-data{display:flex;align-items:center;justify-content:center;height:100%;color:#8e8e9a;font-size:14px}
.placeholder{display:flex;align-items:center;justify-content:center;height:100%;color:#8e8e9a;
 border:1px dashed rgba(204,204,220,0.2)}
.legend-box{overflow:hidden}
.legend .item{display:inline-block;margin-right:12px;white-space:nowrap;line-height:20px}
.legend i{display:inline-block;width:14px;height:4px;border-radius:2px;margin-right:6px;vertical-align:middle}
.legend-table{border-collapse:collapse;width:100%}.legend-table th{color:#8e8e9a;font-weight:500;text-align:right}
.legend-table td{text-align:right;padding:0 6px;height:22px}.legend-table td:first-child{text-align:left}
.stat-row{display:flex;flex-direction:row;height:100%}.stat-col{display:flex;flex-direction:column;height:100%}
.stat{position:relative;display:flex;flex-direction:column;align-items:center;justify-content:center;overflow:hidden}
.stat-value{position:relative;z-index:1;font-weight:500;line-height:1.1;white-space:nowrap}
.stat-name{position:relative;z-index:1;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;
 max-width:100%}
.spark{position:absolute;left:0;right:0;bottom:0}
.bars{display:flex;flex-direction:column;justify-content:space-around;height:100%}
.bar{display:flex;align-items:center;gap:8px}
.bar-name{width:28%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bar-track{flex:1;height:100%;position:relative}
.bar-fill{position:absolute;left:0;top:0;bottom:0}
.bar-value{width:70px;text-align:right;font-weight:500;white-space:nowrap}
.table-box{height:100%;overflow:hidden}
.grid-table{border-collapse:collapse;width:100%}
.grid-table th{text-align:left;color:#6e9fff;font-weight:500;padding:4px 6px;
 border-bottom:1px solid rgba(204,204,220,0.12)}
.grid-table td{padding:4px 6px;border-bottom:1px solid rgba(204,204,220,0.07);white-space:nowrap}
.grid-table td.num{text-align:right}
.markdown{overflow:hidden;height:100%}.markdown a{color:#6e9fff}
.code{white-space:pre-wrap;margin:0}.note{color:#8e8e9a}
.gauge-value{font-weight:500}
.u-legend{display:none}
"""

# The page's script: draws every chart of #chart-specs with uPlot, with the ticks axes.py labelled in Python.
SCRIPT = r"""
(function () {
  "use strict";
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  // UPlotAxisBuilder.ts: 12 px axis font, grid rgba(240,250,255,0.09), ticks 4 px, gap 5 px, x axis 4 + 5 + 12 px
  // high, x ticks a label's width + 18 px apart, y ticks 30 px apart (15 px on plots up to 150 px high).
  var AXIS = "#ccccdc", GRID = "rgba(240,250,255,0.09)", FONT = "12px Inter, Helvetica, Arial, sans-serif";
  var X_SIZE = 21, PAD = 10;
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT;
  function widest(labels) {  // measureText, as Grafana's calculateAxisSize measures tick labels
    var w = 0;
    for (var i = 0; i < labels.length; i++) { w = Math.max(w, measure.measureText(labels[i]).width); }
    return w;
  }
  // The smallest increment whose ticks are at least `gap(ticks)` px apart (uPlot's own rule, with our labels).
  function choose(options, px, span, gap) {
    for (var i = 0; i < options.length; i++) {
      var t = options[i];
      if (px * t.incr / span >= gap(t)) { return t; }
    }
    return options.length ? options[options.length - 1] : { splits: [], labels: [] };
  }
  function xGap(t) { return widest(t.labels) + 18; }
  function yGap(px) { return px <= 150 ? 15 : 30; }
  // An axis whose ticks are picked, once uPlot knows the plot's size, from the increments axes.py labelled.
  function axis(options, side, gap) {
    var chosen = { splits: [], labels: [] };
    return {
      side: side, stroke: AXIS, font: FONT, gap: 5,
      size: side === 2 ? X_SIZE : function (u, values) { return values ? Math.ceil(widest(values)) + 9 : 40; },
      grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1, size: 4 },
      splits: function (u, axisIdx, min, max) {
        var px = (side === 2 ? u.bbox.width : u.bbox.height) / uPlot.pxRatio;
        chosen = choose(options, px, max - min, function (t) { return gap(t, px); });
        return chosen.splits;
      },
      values: function () { return chosen.labels; }
    };
  }
  function fixedAxis(ticks, side) {
    return {
      side: side, stroke: AXIS, font: FONT, gap: 5, size: Math.ceil(widest(ticks.labels)) + 9,
      grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1, size: 4 },
      splits: function () { return ticks.splits; },
      values: function () { return ticks.labels; }
    };
  }
  function pathFor(s) {
    if (s.style === "bars") { return uPlot.paths.bars({ size: [0.8, 64] }); }
    if (s.style === "points") { return function () { return null; }; }
    if (s.smooth) { return uPlot.paths.spline(); }
    return uPlot.paths.linear();
  }
  function thresholdHook(spec) {
    var mode = spec.thresholds.mode, steps = spec.thresholds.steps;
    function y(u, v) { return u.valToPos(v, "y", true); }
    return {
      drawClear: [function (u) {
        if (mode.indexOf("area") < 0) { return; }
        var ctx = u.ctx, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
        for (var i = 0; i < steps.length; i++) {
          var from = steps[i][0] === null ? bottom : Math.min(bottom, Math.max(top, y(u, steps[i][0])));
          var to = i + 1 < steps.length ? Math.min(bottom, Math.max(top, y(u, steps[i + 1][0]))) : top;
          ctx.save(); ctx.globalAlpha = 0.15; ctx.fillStyle = steps[i][1];
          ctx.fillRect(u.bbox.left, to, u.bbox.width, from - to); ctx.restore();
        }
      }],
      draw: [function (u) {
        if (mode.indexOf("line") < 0 && mode.indexOf("dashed") < 0) { return; }
        var ctx = u.ctx;
        for (var i = 0; i < steps.length; i++) {
          if (steps[i][0] === null) { continue; }
          var at = Math.round(y(u, steps[i][0])) + 0.5;
          if (at < u.bbox.top || at > u.bbox.top + u.bbox.height) { continue; }
          ctx.save(); ctx.strokeStyle = steps[i][1]; ctx.lineWidth = 2 * uPlot.pxRatio;
          if (mode.indexOf("dashed") >= 0) { ctx.setLineDash([10, 10]); }
          ctx.beginPath(); ctx.moveTo(u.bbox.left, at); ctx.lineTo(u.bbox.left + u.bbox.width, at); ctx.stroke();
          ctx.restore();
        }
      }]
    };
  }
  function points(values) {
    var n = 0;
    for (var i = 0; i < values.length; i++) { if (values[i] !== null) { n++; } }
    return n;
  }
  function timeseries(el, spec) {
    var series = [{}], data = [spec.x], drawn = 0;
    for (var i = 0; i < spec.series.length; i++) {
      var s = spec.series[i];
      series.push({
        label: s.label, stroke: s.color, width: s.width, fill: s.fill || undefined, spanGaps: s.spanNulls,
        paths: pathFor(s), points: { show: s.points || s.style === "points", size: 5, fill: s.color }
      });
      data.push(s.values);
      drawn += points(s.values);
    }
    var bands = spec.bands.map(function (b) { return { series: b, fill: null }; });
    var opts = {
      width: spec.width, height: spec.height, legend: { show: false },
      cursor: { show: true, x: true, y: false, points: { show: false }, drag: { x: false, y: false } },
      scales: { x: { time: true, range: spec.xRange }, y: { range: spec.yRange } },
      axes: [axis(spec.xTicks, 2, xGap), axis(spec.yTicks, 3, function (t, px) { return yGap(px); })],
      series: series, bands: bands, hooks: thresholdHook(spec)
    };
    new uPlot(opts, data, el);
    return drawn;
  }
  function sparkline(el, spec) {
    var opts = {
      width: spec.width, height: spec.height, legend: { show: false }, cursor: { show: false },
      padding: [0, 0, 0, 0], scales: { x: { time: true }, y: { range: spec.yRange } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: spec.color, fill: spec.fill, width: 1, spanGaps: false, points: { show: false } }]
    };
    new uPlot(opts, [spec.x, spec.values], el);
    return points(spec.values);
  }
  function heatmap(el, spec) {
    var n = spec.buckets.length, plotH = spec.height - X_SIZE - PAD;
    var every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotH / 18))));
    var splits = [], labels = [];
    for (var j = 0; j < n; j += every) { splits.push(j + 0.5); labels.push(spec.buckets[j]); }
    var drawn = 0;
    for (var b = 0; b < n; b++) { drawn += points(spec.cells[b]); }
    var opts = {
      width: spec.width, height: spec.height, legend: { show: false }, cursor: { show: false },
      scales: { x: { time: true, range: spec.xRange }, y: { range: [0, n] } },
      axes: [axis(spec.xTicks, 2, xGap), fixedAxis({ splits: splits, labels: labels }, 3)],
      series: [{}, { paths: function () { return null; }, points: { show: false } }],
      hooks: { draw: [function (u) {
        var ctx = u.ctx, gap = uPlot.pxRatio;
        for (var j = 0; j < n; j++) {
          var y0 = u.valToPos(j + 1, "y", true), y1 = u.valToPos(j, "y", true);
          for (var i = 0; i < spec.x.length; i++) {
            var level = spec.cells[j][i];
            if (level === null) { continue; }
            var x0 = u.valToPos(spec.x[i] - spec.step, "x", true), x1 = u.valToPos(spec.x[i], "x", true);
            ctx.fillStyle = spec.palette[level];
            ctx.fillRect(x0, y0, Math.max(1, x1 - x0 - gap), Math.max(1, y1 - y0 - gap));
          }
        }
      }] }
    };
    new uPlot(opts, [spec.x, spec.x.map(function () { return null; })], el);
    return drawn;
  }
  var kinds = { timeseries: timeseries, sparkline: sparkline, heatmap: heatmap };
  var keys = Object.keys(specs), count = 0;
  for (var k = 0; k < keys.length; k++) {
    var el = document.getElementById(keys[k]);
    var spec = specs[keys[k]];
    if (!el || !kinds[spec.kind]) { continue; }
    el.setAttribute("data-points", String(kinds[spec.kind](el, spec)));
    count++;
  }
  document.documentElement.setAttribute("data-drawn", String(count));
})();
"""
