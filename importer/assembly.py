"""What an imported dashboard module calls to become a Dashboard: its settings as Grafana saved them.

A dashboard drawn in the UI has its own time range, refresh, links, annotations and tags; `dashboards.common`
imposes the project's. So an imported module keeps its dashboard-level settings as data (reviewable, and easy to
replace with `dashboards.common.dashboard(...)` once the layout is settled) and its panels where they were drawn.

Where they were drawn means exactly that: a dashboard from the wild may have panels that overlap or stick out of
the 24 columns (Grafana's grid compacts them when it renders, the JSON keeps them). `panels.raw.pinned` refuses
such a layout for the project's own dashboards; an import keeps it as it is (the report says so), so that
compiling the module gives the input back.
"""

from __future__ import annotations

from typing import Any

import attr
from grafanalib.core import Dashboard, Panel, RowPanel

from panels.layout import LayoutError
from panels.raw import ExtendedPanel, pinned


@attr.s
class ImportedDashboard(Dashboard):
    settings: dict = attr.ib(factory=dict)
    variables: list = attr.ib(factory=list)

    def to_json_data(self) -> dict[str, Any]:
        return {
            **self.settings,
            "uid": self.uid,
            "title": self.title,
            "panels": self.panels,
            "templating": {"list": self.variables},
        }


def _row_of(item: Panel) -> RowPanel | None:
    base = item.base if isinstance(item, ExtendedPanel) else item
    return base if isinstance(base, RowPanel) else None


def as_drawn(items: list[Panel]) -> list[Panel]:
    """`panels.raw.pinned` without the grid check: an expanded row's panels follow it at top level, a collapsed
    row keeps them inside, every position as given."""
    out: list[Panel] = []
    for item in items:
        row = _row_of(item)
        if row is None or not row.panels or row.collapsed:
            out.append(item)
            continue
        empty = attr.evolve(row, panels=[])
        out.append(attr.evolve(item, base=empty) if isinstance(item, ExtendedPanel) else empty)
        out.extend(row.panels)
    return out


def imported_dashboard(
    *, uid: str, title: str, settings: dict[str, Any], variables: list[Any], panels: list[Panel]
) -> Dashboard:
    """A dashboard whose panels carry their own positions (checked by `panels.raw.pinned` when they fit the
    grid, kept as drawn when they overlap or leave it)."""
    try:
        placed = pinned(panels)
    except LayoutError:
        placed = as_drawn(panels)
    return ImportedDashboard(uid=uid, title=title, settings=settings, variables=list(variables), panels=placed)
