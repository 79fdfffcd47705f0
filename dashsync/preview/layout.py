"""Where each panel goes, as Grafana lays a dashboard out: gridPos on 24 columns, rows, collapsed rows, repeats.

Grounded in Grafana's source:
- the grid: GRID_COLUMN_COUNT 24, GRID_CELL_HEIGHT 30 px, GRID_CELL_VMARGIN 8 px (public/app/core/constants.ts),
  laid out by react-grid-layout with margin [8, 8] and no container padding: a panel h units high is
  h * 30 + (h - 1) * 8 px, one unit down is 38 px, a column is (width - 23 * 8) / 24 px wide
  (calcGridItemPosition), and panels float up into free space (vertical compaction);
- a collapsed row keeps its panels inside `row.panels`: Grafana draws only the row's title bar (with the number
  of panels it hides) and neither shows nor queries them, so the preview does the same;
- a panel with `repeat` is copied once per selected value of that variable (every option for All), each copy
  seeing only its value; horizontally each copy is max(24 / values, 24 / maxPerRow) columns wide (maxPerRow 4
  by default) and copies wrap onto new rows; vertically they stack; the panels below move down
  (DashboardModel.repeatPanel).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .variables import Variable

COLUMNS = 24
DEFAULT_WIDTH = 1600  # px of the grid, about what Grafana gives a dashboard on a 1920 px screen with the menu docked
CELL_HEIGHT = 30
MARGIN = 8


@dataclass(frozen=True)
class Placed:
    """One panel (or row bar) at its grid position; `scoped` fixes the repeat variable of a copy."""

    panel: dict[str, Any]
    x: float
    y: float
    w: float
    h: float
    scoped: Mapping[str, Variable] = field(default_factory=dict)
    hidden: int = 0  # a collapsed row: how many panels it hides

    @property
    def is_row(self) -> bool:
        return self.panel.get("type") == "row"


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int


def _grid(panel: dict[str, Any]) -> tuple[float, float, float, float]:
    g = panel.get("gridPos") or {}
    return float(g.get("x", 0)), float(g.get("y", 0)), float(g.get("w", 12)), float(g.get("h", 8))


def _repeat(panel: dict[str, Any], variables: Mapping[str, Variable]) -> list[Placed]:
    x, y, w, h = _grid(panel)
    var = variables.get(str(panel.get("repeat") or ""))
    if var is None or panel.get("type") == "row":
        return [Placed(panel, x, y, w, h)]
    values = var.values() or ("",)
    per_row = int(panel.get("maxPerRow") or 4)
    out: list[Placed] = []
    xpos, ypos = 0.0, y
    for index, value in enumerate(values):
        scoped = {var.name: var.single(value)}
        if panel.get("repeatDirection") == "v":
            if index:
                ypos += h
            out.append(Placed(panel, x, ypos, w, h, scoped))
        else:
            width = max(COLUMNS / len(values), COLUMNS / per_row)
            out.append(Placed(panel, xpos, ypos, width, h, scoped))
            xpos += width
            if xpos + width > COLUMNS:
                xpos, ypos = 0.0, ypos + h
    return out


def _collides(a: Placed, b: Placed) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def _compact(items: list[Placed]) -> list[Placed]:
    """react-grid-layout's vertical compaction: in (y, x) order, each item rises while nothing is in its way."""
    placed: list[Placed] = []
    for item in sorted(items, key=lambda p: (p.y, p.x)):
        y = item.y
        while y > 0 and not any(_collides(_moved(item, y - 1), other) for other in placed):
            y -= 1
        while any(_collides(_moved(item, y), other) for other in placed):
            y += 1
        placed.append(_moved(item, y))
    return placed


def _moved(item: Placed, y: float) -> Placed:
    return Placed(item.panel, item.x, y, item.w, item.h, item.scoped, item.hidden)


def place(dashboard: dict[str, Any], variables: Mapping[str, Variable]) -> list[Placed]:
    """Every panel Grafana shows, in reading order, at its grid position after repeats and compaction."""
    items: list[Placed] = []
    growth: list[tuple[float, float]] = []  # (bottom of a repeated panel, rows its copies added)

    def shift(y: float) -> float:
        return sum(grown for bottom, grown in growth if y >= bottom)

    for panel in [p for p in dashboard.get("panels") or [] if isinstance(p, dict)]:
        x, y, w, h = _grid(panel)
        if panel.get("type") == "row":
            hidden = len([p for p in panel.get("panels") or [] if isinstance(p, dict)]) if panel.get("collapsed") else 0
            items.append(Placed(panel, 0, y + shift(y), COLUMNS, 1, hidden=hidden))
            continue
        copies = _repeat(panel, variables)
        offset = shift(y)
        items.extend(_moved(c, c.y + offset) for c in copies)
        grown = max(c.y + c.h for c in copies) - (y + h)
        if grown > 0:
            growth.append((y + h, grown))
    return sorted(_compact(items), key=lambda p: (p.y, p.x))


def box(item: Placed, width: int) -> Box:
    """react-grid-layout calcGridItemPosition for a container `width` px wide, margin 8 px, no padding."""
    column = (width - MARGIN * (COLUMNS - 1)) / COLUMNS
    left = round((column + MARGIN) * item.x)
    top = round((CELL_HEIGHT + MARGIN) * item.y)
    w = round(column * item.w + max(0.0, item.w - 1) * MARGIN)
    h = round(CELL_HEIGHT * item.h + max(0.0, item.h - 1) * MARGIN)
    return Box(left, top, w, h)


def height(items: list[Placed]) -> int:
    bottom = max((i.y + i.h for i in items), default=0)
    return round(bottom * (CELL_HEIGHT + MARGIN) - MARGIN) if bottom else 0
