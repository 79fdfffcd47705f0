"""Stat panels: one big number, coloured by thresholds."""

from __future__ import annotations

from grafanalib.core import Stat, Target

from panels.datasource import DATASOURCE
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
    scale: float = 1.0,
    reduce: str = "lastNotNull",
    graph: bool = True,
    mappings: list | None = None,
    decimals: int | None = None,
    min_: float | None = None,
    max_: float | None = None,
    color_background: bool = False,
    w: int = 6,
    h: int = 4,
    x: int | None = None,
    y: int | None = None,
) -> Stat:
    return Stat(
        title=title,
        description=description,
        dataSource=dict(DATASOURCE),
        maxDataPoints=None,
        targets=list(target) if isinstance(target, list) else [target],
        format=unit,
        thresholds=steps(threshold, scale=scale),
        reduceCalc=reduce,
        graphMode="area" if graph else "none",
        colorMode="background" if color_background else "value",
        mappings=list(mappings or []),
        color={"mode": "thresholds"},
        noValue="No data",
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
