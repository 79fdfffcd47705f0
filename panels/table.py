"""Tables of instant query results."""

from __future__ import annotations

from grafanalib.core import Table, Target

from panels.datasource import DATASOURCE
from panels.model import grid
from panels.thresholds import steps
from signals.slo import Threshold


def table(
    title: str,
    targets: Target | list[Target],
    *,
    unit: str,
    description: str,
    threshold: Threshold | None = None,
    scale: float = 1.0,
    hide_columns: tuple[str, ...] = ("Time",),
    rename: dict[str, str] | None = None,
    w: int = 12,
    h: int = 8,
    x: int | None = None,
    y: int | None = None,
) -> Table:
    """A table joining instant queries by their labels (Grafana's `merge` transformation)."""
    transformations = [{"id": "merge", "options": {}}]
    if hide_columns or rename:
        transformations.append(
            {
                "id": "organize",
                "options": {
                    "excludeByName": {c: True for c in hide_columns},
                    "renameByName": dict(rename or {}),
                    "indexByName": {},
                },
            }
        )
    return Table(
        title=title,
        description=description,
        dataSource=dict(DATASOURCE),
        maxDataPoints=None,
        targets=list(targets) if isinstance(targets, list) else [targets],
        unit=unit,
        thresholds=steps(threshold, scale=scale),
        transformations=transformations,
        gridPos=grid(w, h, x, y),
    )
