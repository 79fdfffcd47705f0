"""A panel's queries as Grafana sends them (variables and built-ins interpolated, step and range computed), and
Prometheus's answers as series with their legend names.

The plan is pure (`plan`); `run` is the thin edge that asks a Source. Grounded in Grafana's Prometheus datasource:
a target hidden (`hide`) or without `expr` is not sent; `instant` without `range` is an instant query at the end of
the range, anything else a range query (models.Parse: "!range && !instant was run as range query"); the legend is
`legendFormat` with `{{label}}` replaced, and for "__auto" or none the series name is the metric name with its
labels, or the expression when there are no labels (result_transformer's getOriginalMetricName).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import timerange
from .prometheus import QueryError, Source
from .variables import Variable, interpolate

AUTO = "__auto"
_LEGEND = re.compile(r"\{\{\s*(.+?)\s*\}\}")


@dataclass(frozen=True)
class Request:
    ref_id: str
    expr: str  # as sent: variables and built-ins replaced
    instant: bool
    start: float
    end: float
    step: float
    legend: str
    fmt: str  # time_series | table | heatmap


@dataclass(frozen=True)
class Series:
    ref_id: str
    name: str
    labels: tuple[tuple[str, str], ...]
    times: tuple[float, ...]  # epoch seconds
    values: tuple[float | None, ...]

    @property
    def label_map(self) -> dict[str, str]:
        return dict(self.labels)


@dataclass(frozen=True)
class PanelData:
    requests: tuple[Request, ...]
    series: tuple[Series, ...]
    errors: tuple[str, ...] = ()

    @property
    def step(self) -> float:
        return self.requests[0].step if self.requests else 0.0


def plan(
    panel: dict[str, Any],
    variables: Mapping[str, Variable],
    window: timerange.TimeRange,
    width_px: int,
    scrape: float,
) -> tuple[Request, ...]:
    """The requests Grafana would send for this panel, `width_px` wide."""
    points = panel.get("maxDataPoints") if isinstance(panel.get("maxDataPoints"), int) else width_px
    spans = timerange.intervals(window, int(points or width_px), scrape, str(panel.get("interval") or ""))
    builtins = spans.builtins()
    out = []
    for target in panel.get("targets") or []:
        if not isinstance(target, dict) or target.get("hide") or not str(target.get("expr") or "").strip():
            continue
        instant = bool(target.get("instant")) and not bool(target.get("range"))
        start, end = timerange.aligned(window, spans.step)
        if instant:
            start = end = window.end
        out.append(
            Request(
                ref_id=str(target.get("refId") or "A"),
                expr=interpolate(str(target["expr"]), variables, builtins, quoting="regex"),
                instant=instant,
                start=start,
                end=end,
                step=spans.step,
                legend=str(target.get("legendFormat") or ""),
                fmt=str(target.get("format") or "time_series"),
            )
        )
    return tuple(out)


def series_name(labels: Mapping[str, str], legend: str, expr: str) -> str:
    if legend and legend != AUTO:
        return _LEGEND.sub(lambda m: labels.get(m.group(1), ""), legend)
    rest = {k: v for k, v in labels.items() if k != "__name__"}
    name = labels.get("__name__", "")
    if not rest:
        return name or expr
    return name + "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(rest.items())) + "}"


def _number(text: Any) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None  # NaN and ±Inf become gaps, as prepareGraphableFields makes them


def parse(request: Request, data: Any) -> list[Series]:
    """Prometheus's `data` (matrix, vector or scalar) as series; NaN and infinite samples are gaps (null), as
    Grafana's prepareGraphableFields (public/app/core/components/GraphNG/utils.ts) turns every non-finite number."""
    kind, result = (data or {}).get("resultType"), (data or {}).get("result")
    if kind == "scalar" or kind == "string":
        result = [{"metric": {}, "value": result}]
    out = []
    for item in result or []:
        labels = {str(k): str(v) for k, v in (item.get("metric") or {}).items()}
        pairs = item.get("values") or ([item["value"]] if item.get("value") else [])
        times = tuple(float(t) for t, _ in pairs)
        values = tuple(_number(v) for _, v in pairs)
        out.append(
            Series(
                request.ref_id,
                series_name(labels, request.legend, request.expr),
                tuple(sorted(labels.items())),
                times,
                values,
            )
        )
    return out


def run(requests: tuple[Request, ...], source: Source) -> PanelData:
    series: list[Series] = []
    errors: list[str] = []
    for r in requests:
        if r.instant:
            path, params = "/api/v1/query", {"query": r.expr, "time": _num(r.end)}
        else:
            params = {"query": r.expr, "start": _num(r.start), "end": _num(r.end), "step": _num(r.step)}
            path = "/api/v1/query_range"
        try:
            series.extend(parse(r, source.get(path, params)))
        except QueryError as exc:
            errors.append(f"{r.ref_id}: {exc.message}")
    return PanelData(requests, tuple(series), tuple(errors))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"
