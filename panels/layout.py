"""Flow layout onto Grafana's 24-column grid, and the checks that keep a dashboard on it.

Panels without a position flow left to right and wrap to a new line when the next one does not fit; a line is as
tall as its tallest panel. A row starts on a new line and takes one grid unit; the panels it holds follow it
(inside it when collapsed, positioned as Grafana stores them: as if the row were expanded). A panel with both `x`
and `y` stays where it is put and does not move the flow cursor. Overlapping panels, panels wider than the grid
or outside it are errors, never silently fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

import attr
from grafanalib.core import GridPos, Panel, RowPanel

GRID_WIDTH = 24
DEFAULT_SIZE = (12, 8)  # w, h for a panel built without a size


class LayoutError(ValueError):
    """A panel cannot be placed on the grid; the message names the panel."""


@dataclass
class Cursor:
    """The flow: left to right along a grid line, wrapping to the next line at the grid edge."""

    x: int = 0
    y: int = 0
    line_height: int = 0

    def newline(self) -> None:
        if self.x > 0:
            self.y += self.line_height
        self.x, self.line_height = 0, 0

    def place(self, w: int, h: int) -> tuple[int, int]:
        if self.x + w > GRID_WIDTH:
            self.newline()
        pos = (self.x, self.y)
        self.x += w
        self.line_height = max(self.line_height, h)
        return pos


def arrange(items: list[Panel]) -> list[Panel]:
    """Return new panels with complete `gridPos` (the inputs are not modified), then check the grid."""
    cursor = Cursor()
    placed: list[Panel] = []
    for item in items:
        if isinstance(item, RowPanel):
            placed.append(_arrange_row(item, cursor))
            if not item.collapsed:
                placed.extend(_place(child, cursor) for child in item.panels)
                cursor.newline()
        else:
            placed.append(_place(item, cursor))
    check_grid(placed)
    return placed


def _arrange_row(row: RowPanel, cursor: Cursor) -> RowPanel:
    cursor.newline()
    row_y = cursor.y
    cursor.y += 1
    if not row.collapsed:
        return attr.evolve(row, gridPos=GridPos(h=1, w=GRID_WIDTH, x=0, y=row_y), panels=[])
    inner = Cursor(x=0, y=row_y + 1)
    children = [_place(child, inner) for child in row.panels]
    cursor.x, cursor.y, cursor.line_height = 0, row_y + 1, 0
    return attr.evolve(row, gridPos=GridPos(h=1, w=GRID_WIDTH, x=0, y=row_y), panels=children)


def _size(panel: Panel) -> tuple[int, int, int | None, int | None]:
    gp = panel.gridPos
    if gp is None:
        return (*DEFAULT_SIZE, None, None)
    if isinstance(gp, dict):
        return gp.get("w", DEFAULT_SIZE[0]), gp.get("h", DEFAULT_SIZE[1]), gp.get("x"), gp.get("y")
    return gp.w, gp.h, gp.x, gp.y


def _place(panel: Panel, cursor: Cursor) -> Panel:
    if isinstance(panel, RowPanel):
        raise LayoutError(f"panel {panel.title!r}: a row cannot be nested inside another row")
    w, h, x, y = _size(panel)
    _check_size(panel.title, w, h)
    if (x is None) != (y is None):
        raise LayoutError(f"panel {panel.title!r}: give both x and y, or neither for automatic layout")
    if x is None:
        x, y = cursor.place(w, h)
    return attr.evolve(panel, gridPos=GridPos(h=h, w=w, x=x, y=y))


def _check_size(title: str, w: object, h: object) -> None:
    if not isinstance(w, int) or not isinstance(h, int) or w < 1 or h < 1:
        raise LayoutError(f"panel {title!r}: width and height must be positive integers (got w={w}, h={h})")
    if w > GRID_WIDTH:
        raise LayoutError(f"panel {title!r}: width {w} is wider than the {GRID_WIDTH}-column grid")


def check_grid(panels: list[Panel]) -> None:
    """Every panel inside the grid and no two overlapping (collapsed rows' panels checked among themselves)."""
    _check_layer(panels)
    for panel in panels:
        if isinstance(panel, RowPanel) and panel.panels:
            _check_layer(panel.panels)


def _check_layer(panels: list[Panel]) -> None:
    occupied: dict[int, int] = {}  # grid line -> bitmask of the columns taken on it
    owners: list[tuple[str, int, int, int, int]] = []
    for panel in panels:
        w, h, x, y = _size(panel)
        _check_size(panel.title, w, h)
        if x is None or y is None or x < 0 or y < 0 or x + w > GRID_WIDTH:
            raise LayoutError(f"panel {panel.title!r}: gridPos x={x} y={y} w={w} is off the {GRID_WIDTH}-column grid")
        mask = ((1 << w) - 1) << x
        for line in range(y, y + h):
            if occupied.get(line, 0) & mask:
                other = next(t for t, ox, oy, ow, oh in owners if oy <= line < oy + oh and ox < x + w and x < ox + ow)
                raise LayoutError(f"panel {panel.title!r} overlaps panel {other!r} at x={x} y={line}")
            occupied[line] = occupied.get(line, 0) | mask
        owners.append((panel.title, x, y, w, h))
