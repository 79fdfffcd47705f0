"""Escape hatches for dashboards brought back from the Grafana UI (`python -m dashboards import`).

The importer turns every panel it can into a call of the project's builders. Two things no builder covers stay
expressible here, and are always visibly marked in generated code so a reviewer can see what is not yet "code":

- `raw_panel(json)`: a panel that no builder reproduces; its canonical Grafana JSON, as is.
- `extend(panel, overlay)`: a builder's panel plus the few keys the builder has no parameter for (overrides,
  links, transformations, repeats...). `None` in the overlay removes a key the builder writes.

`placed_row` and `pinned` keep an imported dashboard's layout exactly as it was drawn: every panel carries its
own x/y, and rows sit at their own y, instead of flowing like `panels.layout.arrange` does.
"""

from __future__ import annotations

from typing import Any

import attr
from grafanalib.core import GridPos, Panel, RowPanel

from grafana_json.serialise import plain
from panels.layout import GRID_WIDTH, Cursor, check_grid
from panels.rows import row


def overlay_json(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """`overlay` over `base`: dicts merge recursively, anything else replaces whole, `None` deletes the key."""
    out = dict(base)
    for key, value in overlay.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = overlay_json(out[key], value)
        else:
            out[key] = value
    return out


@attr.s
class RawPanel(Panel):
    """A panel given as Grafana JSON; `gridPos` is read from the JSON so layout checks still see it."""

    json: dict = attr.ib(factory=dict)

    def to_json_data(self) -> dict:
        return plain(self.json)


@attr.s
class ExtendedPanel(Panel):
    """A builder's panel with an overlay of JSON the builder has no parameter for."""

    base: Panel = attr.ib(default=None)
    overlay: dict = attr.ib(factory=dict)

    def to_json_data(self) -> dict:
        return overlay_json(plain(self.base), self.overlay)


def _grid(pos: dict[str, int] | None) -> GridPos | None:
    if not pos:
        return None
    return GridPos(h=pos.get("h"), w=pos.get("w"), x=pos.get("x"), y=pos.get("y"))


def raw_panel(json: dict[str, Any]) -> RawPanel:
    """A panel no builder reproduces, kept as its canonical JSON (the importer says why in a comment)."""
    return RawPanel(title=json.get("title", ""), gridPos=_grid(json.get("gridPos")), json=json)


def extend(panel: Panel, overlay: dict[str, Any]) -> ExtendedPanel:
    """`panel` as its builder made it, plus `overlay` (see `overlay_json`)."""
    return ExtendedPanel(title=panel.title, gridPos=panel.gridPos, base=panel, overlay=overlay)


def placed_row(
    title: str, panels: list[Panel], *, y: int, collapsed: bool = False, repeat: str | None = None
) -> RowPanel:
    """`panels.row` at grid line `y` (its panels carry their own positions)."""
    placed = attr.evolve(row(title, panels, collapsed=collapsed), gridPos=GridPos(h=1, w=GRID_WIDTH, x=0, y=y))
    return extend(placed, {"repeat": repeat}) if repeat else placed


def flow(panels: list[Panel], *, x: int = 0, y: int) -> list[Panel]:
    """A group's panels (`panels.groups.red`/`use`) placed left to right from (x, y), wrapping at the grid edge."""
    cursor = Cursor(x=x, y=y)
    placed: list[Panel] = []
    for panel in panels:
        w, h = panel.gridPos.w, panel.gridPos.h
        px, py = cursor.place(w, h)
        placed.append(attr.evolve(panel, gridPos=GridPos(h=h, w=w, x=px, y=py)))
    return placed


def _children(item: Panel) -> list[Panel]:
    if isinstance(item, RowPanel):
        return list(item.panels)
    base = getattr(item, "base", None)
    return list(base.panels) if isinstance(base, RowPanel) else []


def _is_collapsed(item: Panel) -> bool:
    base = getattr(item, "base", item)
    return bool(getattr(base, "collapsed", False))


def _without_children(item: Panel) -> Panel:
    if isinstance(item, ExtendedPanel):
        return attr.evolve(item, base=attr.evolve(item.base, panels=[]))
    return attr.evolve(item, panels=[])


def pinned(items: list[Panel]) -> list[Panel]:
    """Panels as Grafana stores them, every position explicit: an expanded row's panels follow it at top level,
    a collapsed row keeps them inside. Overlaps and off-grid positions raise `panels.layout.LayoutError`."""
    out: list[Panel] = []
    for item in items:
        children = _children(item)
        if children and not _is_collapsed(item):
            out.append(_without_children(item))
            out.extend(children)
        else:
            out.append(item)
    check_grid(out)
    return out
