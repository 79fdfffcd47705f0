"""Stat panels: one big number, coloured by thresholds."""

from __future__ import annotations

from grafanalib.core import Stat, Target

from panels.datasource import DATASOURCE
from panels.links import runbook_links
from panels.model import field_extras, grid
from panels.thresholds import steps
from signals.slo import Threshold


def stat(
    title: str,
    target: Target | list[Target],
    *,
    unit: str,
    description: str,
    threshold: Threshold | None = None,
    colours: list[dict] | None = None,
    scale: float = 1.0,
    reduce: str = "lastNotNull",
    graph: bool = True,
    mappings: list | None = None,
    decimals: int | None = None,
    min_: float | None = None,
    max_: float | None = None,
    color_background: bool = False,
    runbook: str | None = None,
    w: int = 6,
    h: int = 4,
    x: int | None = None,
    y: int | None = None,
) -> Stat:
    """A stat coloured by `threshold` (an alert's levels) or, for a value no alert watches, by explicit `colours`
    steps (`panels.thresholds.count_steps`)."""
    if threshold is not None and colours is not None:
        raise ValueError(f"stat {title!r}: give threshold or colours, not both")
    return Stat(
        title=title,
        description=description,
        dataSource=dict(DATASOURCE),
        maxDataPoints=None,
        targets=list(target) if isinstance(target, list) else [target],
        format=unit,
        thresholds=list(colours) if colours is not None else steps(threshold, scale=scale),
        reduceCalc=reduce,
        graphMode="area" if graph else "none",
        colorMode="background" if color_background else "value",
        mappings=list(mappings or []),
        color={"mode": "thresholds"},
        noValue="No data",
        links=runbook_links(runbook),
        gridPos=grid(w, h, x, y),
        extraJson=field_extras(min_, max_, decimals),
    )


def up_mappings() -> list[dict]:
    """Value mappings for `up`-style 0/1 series: 1 -> UP (green), 0 -> DOWN (red)."""
    return [
        {
            "type": "value",
            "options": {
                "0": {"text": "DOWN", "color": "red", "index": 1},
                "1": {"text": "UP", "color": "green", "index": 0},
            },
        }
    ]
