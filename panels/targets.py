"""Prometheus query targets."""

from __future__ import annotations

from grafanalib.core import Target

from panels.datasource import DATASOURCE


def prom(expr: str, legend: str = "", *, instant: bool = False, table: bool = False, heatmap: bool = False) -> Target:
    """A PromQL target on the `${datasource}` variable. `refId`s are assigned at compile time (A, B, C...)."""
    fmt = "table" if table else "heatmap" if heatmap else "time_series"
    return Target(expr=expr, legendFormat=legend or "__auto", instant=instant, format=fmt, datasource=dict(DATASOURCE))
