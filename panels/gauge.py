"""Gauges and bar gauges (modern field-config form, see `panels.model.FieldPanel`)."""

from __future__ import annotations

from grafanalib.core import Target

from panels.datasource import DATASOURCE
from panels.links import runbook_links
from panels.model import FieldPanel, grid
from panels.thresholds import steps
from signals.slo import Threshold


def _reduce(calc: str) -> dict:
    return {"calcs": [calc], "fields": "", "values": False}


def gauge(
    title: str,
    target: Target | list[Target],
    *,
    unit: str,
    description: str,
    threshold: Threshold | None = None,
    scale: float = 1.0,
    min_: float = 0,
    max_: float = 1,
    reduce: str = "lastNotNull",
    runbook: str | None = None,
    w: int = 6,
    h: int = 6,
    x: int | None = None,
    y: int | None = None,
) -> FieldPanel:
    return FieldPanel(
        panelType="gauge",
        title=title,
        description=description,
        dataSource=dict(DATASOURCE),
        maxDataPoints=None,
        targets=list(target) if isinstance(target, list) else [target],
        unit=unit,
        valueMin=min_,
        valueMax=max_,
        thresholds=steps(threshold, scale=scale),
        options={
            "reduceOptions": _reduce(reduce),
            "orientation": "auto",
            "showThresholdLabels": False,
            "showThresholdMarkers": True,
        },
        links=runbook_links(runbook),
        gridPos=grid(w, h, x, y),
    )


def bargauge(
    title: str,
    target: Target | list[Target],
    *,
    unit: str,
    description: str,
    threshold: Threshold | None = None,
    scale: float = 1.0,
    min_: float | None = 0,
    max_: float | None = None,
    reduce: str = "lastNotNull",
    horizontal: bool = True,
    runbook: str | None = None,
    w: int = 12,
    h: int = 8,
    x: int | None = None,
    y: int | None = None,
) -> FieldPanel:
    return FieldPanel(
        panelType="bargauge",
        title=title,
        description=description,
        dataSource=dict(DATASOURCE),
        maxDataPoints=None,
        targets=list(target) if isinstance(target, list) else [target],
        unit=unit,
        valueMin=min_,
        valueMax=max_,
        thresholds=steps(threshold, scale=scale),
        options={
            "reduceOptions": _reduce(reduce),
            "orientation": "horizontal" if horizontal else "vertical",
            "displayMode": "gradient",
            "showUnfilled": True,
        },
        links=runbook_links(runbook),
        gridPos=grid(w, h, x, y),
    )
