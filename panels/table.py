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
    column_units: dict[str, str] | None = None,
    w: int = 12,
    h: int = 8,
    x: int | None = None,
    y: int | None = None,
) -> Table:
    """A table joining instant queries by their labels (Grafana's `merge` transformation).

    `column_units` gives a column (by its name after `rename`) its own unit, as a field override: Grafana runs the
    transformations before it applies field config (public/app/features/query/state/PanelQueryRunner.ts, `getData`),
    and the `byName` matcher compares the field's display name, which the organize rename sets
    (packages/grafana-data/src/transformations/matchers/nameMatcher.ts, `fieldNameMatcher`).
    """
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
        overrides=[
            {"matcher": {"id": "byName", "options": column}, "properties": [{"id": "unit", "value": column_unit}]}
            for column, column_unit in (column_units or {}).items()
        ],
        gridPos=grid(w, h, x, y),
    )
