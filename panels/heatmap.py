"""Heatmaps of Prometheus histograms (latency distributions)."""

from __future__ import annotations

from grafanalib.core import Target

from panels.datasource import DATASOURCE
from panels.model import FieldPanel, grid


def heatmap(
    title: str,
    target: Target,
    *,
    unit: str,
    description: str,
    w: int = 12,
    h: int = 8,
    x: int | None = None,
    y: int | None = None,
) -> FieldPanel:
    """A heatmap of `sum by (le) (rate(..._bucket[...]))`; the target should use `prom(..., heatmap=True)`."""
    return FieldPanel(
        panelType="heatmap",
        title=title,
        description=description,
        dataSource=dict(DATASOURCE),
        maxDataPoints=None,
        targets=[target],
        colorMode="palette-classic",
        custom={"hideFrom": {"legend": False, "tooltip": False, "viz": False}, "scaleDistribution": {"type": "linear"}},
        options={
            "calculate": False,
            "cellGap": 1,
            "yAxis": {"axisPlacement": "left", "unit": unit},
            "rowsFrame": {"layout": "auto"},
            "tooltip": {"mode": "single", "yHistogram": False, "showColorScale": False},
            "filterValues": {"le": 1e-9},
        },
        gridPos=grid(w, h, x, y),
    )
