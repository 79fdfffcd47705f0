"""Time series panels."""

from __future__ import annotations

from grafanalib.core import Target, TimeSeries

from panels.datasource import DATASOURCE
from panels.links import runbook_links
from panels.model import field_extras, grid
from panels.thresholds import steps
from signals.slo import Threshold


def timeseries(
    title: str,
    targets: Target | list[Target],
    *,
    unit: str,
    description: str,
    threshold: Threshold | None = None,
    scale: float = 1.0,
    stack: bool = False,
    fill: int = 10,
    min_: float | None = None,
    max_: float | None = None,
    decimals: int | None = None,
    legend_calcs: tuple[str, ...] = (),
    bars: bool = False,
    runbook: str | None = None,
    w: int = 12,
    h: int = 8,
    x: int | None = None,
    y: int | None = None,
) -> TimeSeries:
    """A time series; with `threshold`, the warning/critical levels are drawn as dashed lines."""
    return TimeSeries(
        title=title,
        description=description,
        dataSource=dict(DATASOURCE),
        maxDataPoints=None,
        targets=list(targets) if isinstance(targets, list) else [targets],
        unit=unit,
        thresholds=steps(threshold, scale=scale),
        thresholdsStyleMode="dashed" if threshold else "off",
        stacking={"mode": "normal", "group": "A"} if stack else {"mode": "none", "group": "A"},
        fillOpacity=fill,
        drawStyle="bars" if bars else "line",
        showPoints="never",
        legendDisplayMode="table" if legend_calcs else "list",
        legendPlacement="right" if legend_calcs else "bottom",
        legendCalcs=list(legend_calcs),
        tooltipMode="multi",
        tooltipSort="desc",
        links=runbook_links(runbook),
        gridPos=grid(w, h, x, y),
        extraJson=field_extras(min_, max_, decimals),
    )
